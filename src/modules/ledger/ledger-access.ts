import { Principal } from 'src/platform/auth/principal';
import { notFound } from 'src/platform/errors/domain-error';

/**
 * The owner a caller may read: null for everything (finance, an unrestricted API key), or the caller's own
 * institution (an institution manager, an institution's API key). Asking for another owner is 404: the
 * ledger does not tell whether another institution's books exist.
 */
export function readableOwner(principal: Principal, requested?: string | null): string | null {
  const own = principal.institutionId ?? (principal.role === 'institutionManager' ? principal.orgUnitId : null);
  if (own === null) return requested ?? null;
  if (requested && requested !== own) throw notFound('ledger owner');
  return own;
}

/** A bigint (or numeric) from PostgreSQL, as text, to a number of øre: refused if it is not a safe integer. */
export function oere(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`an amount of ${String(value)} øre is outside the safe integer range`);
  return n;
}
