import type { Role } from 'src/modules/organisation/organisation.constants';

export type { Role };

/** Who is calling: a person (user) or a service account (API key). */
export interface Principal {
  kind: 'user' | 'apiKey';
  id: string;
  /** Username, or the API key's name. */
  name: string;
  role: Role;
  orgUnitId: string;
  /** Set when the caller belongs to an institution: their view is limited to it. */
  institutionId: string | null;
  /** What an API key may do, e.g. `ledger:write`. Empty for users. */
  scopes: string[];
}

export const IDENTITY_STORE = Symbol('IDENTITY_STORE');

/** Resolves credentials to principals. Implemented by the organisation context, which owns users and keys. */
export interface IdentityStore {
  principalForUser(userId: string): Promise<Principal | null>;
  principalForExternalSubject(subject: string): Promise<Principal | null>;
  principalForApiKey(key: string): Promise<Principal | null>;
}
