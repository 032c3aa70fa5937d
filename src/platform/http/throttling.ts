import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from 'src/platform/config/app-config';

const LOGIN_ROUTE = 'bum:login-route';
const reflector = new Reflector();

/** Marks the log-in route, which gets its own, stricter rate limit per client address. */
export const LoginRoute = () => SetMetadata(LOGIN_ROUTE, true);

export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'api', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE },
      {
        name: 'login',
        ttl: 60_000,
        limit: config.RATE_LIMIT_LOGIN_PER_MINUTE,
        skipIf: (ctx: ExecutionContext) => !reflector.get<boolean>(LOGIN_ROUTE, ctx.getHandler()),
      },
    ],
    errorMessage: 'too many requests; slow down and retry after the time in Retry-After',
  };
}
