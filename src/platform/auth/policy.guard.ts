import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerStrategy, unauthenticated } from 'src/platform/auth/bearer.strategy';
import { POLICY_KEY, RoutePolicy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';

export function policyOf(reflector: Reflector, ctx: ExecutionContext): RoutePolicy | undefined {
  return reflector.getAllAndOverride<RoutePolicy>(POLICY_KEY, [ctx.getHandler(), ctx.getClass()]);
}

// RFC 6750 §2.1: `Authorization: Bearer <token>`, the token in b64token characters.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The bearer credential of a request: from the Authorization header only. */
export function bearerTokenOf(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  return (value && BEARER.exec(value)?.[1]) || null;
}

/**
 * Authenticates the bearer credential with this application's BearerStrategy and checks the route's
 * declared policy: role for users, role and scope for API keys. A route without a policy is refused (and the
 * app does not start).
 *
 * It calls the strategy itself rather than going through passport.authenticate(): passport-http-bearer also
 * takes the token from an `access_token` query parameter or body field, which puts tokens into URLs and so
 * into logs (RFC 6750 §5.3), and passport's strategy registry is process-wide, so that of two applications in
 * one process the one created last authenticated for both.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerStrategy,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = policyOf(this.reflector, ctx);
    if (!policy) throw new DomainError('forbidden', 'this route declares no access policy');
    if (policy.public) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: Principal }>();
    const token = bearerTokenOf(req.headers.authorization);
    if (!token) throw unauthenticated('send a bearer token: Authorization: Bearer <token>');
    const principal = await this.bearer.validate(token);
    req.user = principal;
    if (principal.kind === 'apiKey') {
      if (!policy.apiKeyScope || !principal.scopes.includes(policy.apiKeyScope))
        throw new DomainError('forbidden', `this API key lacks the scope ${policy.apiKeyScope ?? 'for this route'}`);
    }
    if (!policy.roles.includes(principal.role))
      throw new DomainError('forbidden', `the role ${principal.role} may not do this`);
    return true;
  }
}
