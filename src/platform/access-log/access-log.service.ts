import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { AccessAction } from 'src/platform/access-log/access-log-entry.entity';
import { Principal } from 'src/platform/auth/principal';

export interface AccessRecord {
  action: AccessAction;
  objectType: string;
  objectId?: string | null;
  citizenId?: string | null;
  /** For searches: the criteria, never a CPR in clear (callers pass its keyed hash). */
  criteria?: Record<string, unknown> | null;
  purpose: string;
}

/**
 * Writes the access log in the caller's transaction, so the log row and the data it describes commit
 * together; if the log cannot be written, the request fails.
 */
@Injectable()
export class AccessLogService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
  ) {}

  async record(principal: Principal, ...records: AccessRecord[]): Promise<void> {
    if (!records.length) return;
    if (!this.txHost.isTransactionActive()) throw new Error('access log written outside a transaction');
    const requestId = this.cls.isActive() ? (this.cls.getId() ?? null) : null;
    await this.txHost.tx.query(
      `INSERT INTO access_log (actor_user_id, actor_api_key_id, actor_role, actor_org_unit_id, action, object_type,
                               object_id, citizen_id, criteria, purpose, request_id)
       SELECT $1, $2, $3, $4, r.action, r.object_type, r.object_id, r.citizen_id, r.criteria, r.purpose, $5
         FROM jsonb_to_recordset($6::jsonb) AS r(action text, object_type text, object_id uuid, citizen_id uuid,
                                                 criteria jsonb, purpose text)`,
      [
        principal.kind === 'user' ? principal.id : null,
        principal.kind === 'apiKey' ? principal.id : null,
        principal.role,
        principal.orgUnitId,
        requestId,
        JSON.stringify(
          records.map((r) => ({
            action: r.action,
            object_type: r.objectType,
            object_id: r.objectId ?? null,
            citizen_id: r.citizenId ?? null,
            criteria: r.criteria ?? null,
            purpose: r.purpose,
          })),
        ),
      ],
    );
  }
}
