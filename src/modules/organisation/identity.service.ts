import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_KEY_PREFIX } from 'src/platform/auth/bearer.strategy';
import { IdentityStore, Principal } from 'src/platform/auth/principal';
import { Role } from 'src/modules/organisation/organisation.constants';

interface PrincipalRow {
  id: string;
  name: string;
  role: Role;
  org_unit_id: string;
  unit_kind: string;
  scopes: string[] | null;
}

const toPrincipal = (kind: Principal['kind'], r: PrincipalRow): Principal => ({
  kind,
  id: r.id,
  name: r.name,
  role: r.role,
  orgUnitId: r.org_unit_id,
  institutionId: r.unit_kind === 'institution' ? r.org_unit_id : null,
  scopes: r.scopes ?? [],
});

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Makes a new API key: `bumk_<prefix>_<secret>`, 256 bits of randomness. */
export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: sha256(key) };
}

/** Resolves credentials to principals on every request: one indexed query each. */
@Injectable()
export class IdentityService implements IdentityStore {
  constructor(private readonly dataSource: DataSource) {}

  private async userWhere(where: string, value: string): Promise<Principal | null> {
    const [row]: PrincipalRow[] = await this.dataSource.query(
      `SELECT u.id, u.username AS name, u.role, u.org_unit_id, o.kind AS unit_kind, NULL AS scopes
         FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
        WHERE ${where} = $1 AND u.active AND u.locked_at IS NULL`,
      [value],
    );
    return row ? toPrincipal('user', row) : null;
  }

  principalForUser(userId: string): Promise<Principal | null> {
    if (!/^[0-9a-f-]{36}$/i.test(userId)) return Promise.resolve(null);
    return this.userWhere('u.id', userId);
  }

  principalForExternalSubject(subject: string): Promise<Principal | null> {
    return this.userWhere('u.external_subject', subject);
  }

  async principalForApiKey(key: string): Promise<Principal | null> {
    const match = new RegExp(`^${API_KEY_PREFIX}([0-9a-f]{12})_[A-Za-z0-9_-]{43}$`).exec(key);
    if (!match) return null;
    const [row]: (PrincipalRow & { secret_hash: string; last_used_at: Date | null })[] = await this.dataSource.query(
      `SELECT k.id, k.name, k.role, k.org_unit_id, o.kind AS unit_kind, k.scopes, k.secret_hash, k.last_used_at
         FROM api_key k JOIN org_unit o ON o.id = k.org_unit_id
        WHERE k.prefix = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
      [match[1]],
    );
    if (!row) return null;
    const given = Buffer.from(sha256(key), 'hex');
    const stored = Buffer.from(row.secret_hash, 'hex');
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)
      await this.dataSource.query('UPDATE api_key SET last_used_at = now() WHERE id = $1', [row.id]);
    return toPrincipal('apiKey', row);
  }
}
