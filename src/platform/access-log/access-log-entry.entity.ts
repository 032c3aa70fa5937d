import { Check, Column, Entity, Index, PrimaryColumn, Generated } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';

export const ACCESS_ACTIONS = ['read', 'search', 'create', 'update', 'delete', 'export', 'reveal'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/**
 * Append-only record of every read, search, change, export and deletion of a citizen's personal data
 * (DOMAIN.md §7). The app's database role may only INSERT and SELECT here; purging is a definer function.
 */
@Entity({ name: 'access_log' })
@Check('ck_access_log_action', `action IN (${ACCESS_ACTIONS.map((a) => `'${a}'`).join(', ')})`)
@Check('ck_access_log_subject', 'citizen_id IS NOT NULL OR criteria IS NOT NULL')
@Index('ix_access_log_citizen', ['citizenId', 'occurredAt'])
@Index('ix_access_log_actor', ['actorUserId', 'occurredAt'])
@Index('ix_access_log_occurred', ['occurredAt'])
export class AccessLogEntry {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer })
  @Generated('increment')
  id: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorApiKeyId: string | null;

  @Column({ type: 'text' })
  actorRole: string;

  @Column({ type: 'uuid', nullable: true })
  actorOrgUnitId: string | null;

  @Column({ type: 'text' })
  action: AccessAction;

  /** What was touched: e.g. citizen, case, assessment, decision. */
  @Column({ type: 'text' })
  objectType: string;

  @Column({ type: 'uuid', nullable: true })
  objectId: string | null;

  @Column({ type: 'uuid', nullable: true })
  citizenId: string | null;

  /** Search criteria, with CPR replaced by its keyed hash. */
  @Column({ type: 'jsonb', nullable: true })
  criteria: Record<string, unknown> | null;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;
}
