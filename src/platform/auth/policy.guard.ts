import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { unauthenticated } from 'src/platform/auth/bearer.strategy';
import { POLICY_KEY, RoutePolicy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';

export function policyOf(reflector: Reflector, ctx: ExecutionContext): RoutePolicy | undefined {
  return reflector.getAllAndOverride<RoutePolicy>(POLICY_KEY, [ctx.getHandler(), ctx.getClass()]);
}

/**
 * Authenticates the bearer credential (passport) and checks the route's declared policy: role for users,
 * role and scope for API keys. A route without a policy is refused (and the app does not start).
 */
@Injectable()
export class PolicyGuard extends AuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = policyOf(this.reflector, ctx);
    if (!policy) throw new DomainError('forbidden', 'this route declares no access policy');
    if (policy.public) return true;
    await super.canActivate(ctx);
    const principal = ctx.switchToHttp().getRequest<{ user: Principal }>().user;
    if (principal.kind === 'apiKey') {
      if (!policy.apiKeyScope || !principal.scopes.includes(policy.apiKeyScope))
        throw new DomainError('forbidden', `this API key lacks the scope ${policy.apiKeyScope ?? 'for this route'}`);
    }
    if (!policy.roles.includes(principal.role))
      throw new DomainError('forbidden', `the role ${principal.role} may not do this`);
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw unauthenticated('send a bearer token: Authorization: Bearer <token>');
    return user;
  }
}
