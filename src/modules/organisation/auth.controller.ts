import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy, Public } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { LoginRoute } from 'src/platform/http/throttling';
import { CreateTokenDto, TokenView } from 'src/modules/organisation/create-token.dto';
import { LoginService } from 'src/modules/organisation/login.service';
import { ROLES } from 'src/modules/organisation/organisation.constants';
import { MeView } from 'src/modules/organisation/organisation.dto';
import { ChangeOwnPasswordDto } from 'src/modules/organisation/update-user.dto';
import { UserService } from 'src/modules/organisation/user.service';

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly users: UserService,
  ) {}

  /**
   * Log in with the built-in issuer (demo, tests, installations without an identity broker). Five wrong
   * passwords within 24 hours lock the account until an administrator unlocks it.
   */
  @Post('auth/token')
  @Public()
  @LoginRoute()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView })
  @ApiTooManyRequestsResponse({ description: 'Too many log-in attempts from this address' })
  token(@Body() dto: CreateTokenDto, @Req() req: FastifyRequest): Promise<TokenView> {
    return this.login.login(dto.username, dto.password, req.ip ?? null);
  }

  /** The calling user: role, unit and (for institution staff) the institution their view is limited to. */
  @Get('me')
  @Policy({ roles: ROLES })
  me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.users.me(principal);
  }

  /** Change your own password (built-in issuer only). */
  @Post('me/password')
  @HttpCode(204)
  @Policy({ roles: ROLES })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() dto: ChangeOwnPasswordDto): Promise<void> {
    await this.users.changeOwnPassword(principal, dto.currentPassword, dto.newPassword);
  }
}
