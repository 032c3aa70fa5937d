import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from 'src/platform/auth/principal';

export const POLICY_KEY = 'bum:policy';

export interface PolicySpec {
  /** Roles allowed on the route. */
  roles: readonly Role[];
  /** An API key may call the route only when it holds this scope. Without it, API keys are refused. */
  apiKeyScope?: string;
  public?: false;
}
export type RoutePolicy = PolicySpec | { public: true };

/**
 * Declares who may call a route. Every route has one: the app refuses to start otherwise. Object scope
 * (which institution's data) is checked again in the service for each object.
 */
export function Policy(spec: Omit<PolicySpec, 'public'>) {
  return applyDecorators(
    SetMetadata(POLICY_KEY, spec),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No, expired or invalid credentials' }),
    ApiForbiddenResponse({ description: `Allowed roles: ${spec.roles.join(', ')}` }),
  );
}

/** A route open without credentials (log-in, health, documentation). */
export function Public() {
  return SetMetadata(POLICY_KEY, { public: true });
}
