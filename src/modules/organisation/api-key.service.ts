import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from 'src/modules/organisation/create-api-key.dto';
import { generateApiKey } from 'src/modules/organisation/identity.service';
import { Role } from 'src/modules/organisation/organisation.constants';
import { rowsOf } from 'src/platform/database/rows';

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  scopes: string[];
  org_unit_id: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const toView = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role,
  scopes: r.scopes,
  orgUnitId: r.org_unit_id,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

const COLUMNS = 'id, name, prefix, role, scopes, org_unit_id, created_at, expires_at, revoked_at, last_used_at';

/** Service accounts' API keys: created by an administrator, shown once, stored hashed, revocable. */
@Injectable()
export class ApiKeyService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async list(): Promise<ApiKeyView[]> {
    const rows: ApiKeyRow[] = await this.txHost.tx.query(`SELECT ${COLUMNS} FROM api_key ORDER BY created_at DESC, id`);
    return rows.map(toView);
  }

  @Transactional()
  async create(principal: Principal, dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    if (dto.expiresAt && new Date(dto.expiresAt).getTime() <= Date.now()) throw ruleViolated('expiresAt must be in the future', '/expiresAt');
    const [unit]: { id: string }[] = await this.txHost.tx.query('SELECT id FROM org_unit WHERE id = $1', [dto.orgUnitId]);
    if (!unit) throw ruleViolated('the organisational unit does not exist', '/orgUnitId');
    const { key, prefix, secretHash } = generateApiKey();
    const [row]: ApiKeyRow[] = await this.txHost.tx.query(
      `INSERT INTO api_key (name, prefix, secret_hash, role, scopes, org_unit_id, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [dto.name.trim(), prefix, secretHash, dto.role, [...new Set(dto.scopes)], dto.orgUnitId, principal.kind === 'user' ? principal.id : null, dto.expiresAt ?? null],
    );
    return { ...toView(row), key };
  }

  /** Revokes a key at once; revoking twice keeps the first revocation time. */
  @Transactional()
  async revoke(id: string): Promise<ApiKeyView> {
    const [row] = rowsOf<ApiKeyRow>(
      await this.txHost.tx.query(`UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`, [id]),
    );
    if (!row) throw notFound('API key');
    return toView(row);
  }
}
