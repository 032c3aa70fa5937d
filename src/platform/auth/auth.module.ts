import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { BearerStrategy } from 'src/platform/auth/bearer.strategy';
import { PolicyCheck } from 'src/platform/auth/policy-check';
import { PolicyGuard } from 'src/platform/auth/policy.guard';
import { TokenService } from 'src/platform/auth/token.service';

/** Authentication (passport bearer: JWT or API key) and route policies, global to the API. */
@Global()
@Module({
  imports: [PassportModule.register({ session: false }), DiscoveryModule],
  providers: [TokenService, BearerStrategy, PolicyCheck, PolicyGuard],
  exports: [TokenService, PolicyGuard],
})
export class AuthModule {}
