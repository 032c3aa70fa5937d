import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from 'src/platform/auth/principal';

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});
