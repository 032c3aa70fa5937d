import { Principal } from 'src/platform/auth/principal';
import { notFound } from 'src/platform/errors/domain-error';

/**
 * Object scope: institution staff see only their own institution's objects. Out of scope answers 404,
 * as if the object did not exist, so that ids cannot be probed.
 */
export function canSeeInstitution(principal: Principal, institutionId: string | null | undefined): boolean {
  if (!principal.institutionId) return true;
  return institutionId === principal.institutionId;
}

export function assertInstitutionScope(principal: Principal, institutionId: string | null | undefined, what: string): void {
  if (!canSeeInstitution(principal, institutionId)) throw notFound(what);
}
