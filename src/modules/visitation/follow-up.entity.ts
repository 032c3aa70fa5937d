import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { Grant } from 'src/modules/visitation/grant.entity';
import {
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_SOURCES,
  FOLLOW_UP_STATUSES,
  FollowUpOutcome,
  FollowUpSource,
  FollowUpStatus,
} from 'src/modules/visitation/visitation.constants';

/**
 * An opfølgning of a grant: due on a date (from the standard's interval, a provider report, or set by hand);
 * recorded with an outcome, notes and the next due date (which opens the next scheduled follow-up).
 */
@Entity({ name: 'follow_up' })
@Check('ck_follow_up_source', `source IN (${sqlList(FOLLOW_UP_SOURCES)})`)
@Check('ck_follow_up_status', `status IN (${sqlList(FOLLOW_UP_STATUSES)})`)
@Check('ck_follow_up_outcome', `outcome IS NULL OR outcome IN (${sqlList(FOLLOW_UP_OUTCOMES)})`)
@Check(
  'ck_follow_up_done',
  `(status = 'done') = (outcome IS NOT NULL AND held_on IS NOT NULL AND recorded_at IS NOT NULL)
   AND (outcome IS DISTINCT FROM 'continue' OR next_due_on IS NOT NULL)
   AND ((outcome = 'terminateAndRefer') = (referred_standard_code IS NOT NULL))
   AND (next_due_on IS NULL OR next_due_on > held_on)`,
)
@Index('ix_follow_up_grant', ['grantId', 'dueOn'])
@Index('ix_follow_up_due', { synchronize: false })
@Index('uq_follow_up_scheduled_open', { synchronize: false })
export class FollowUp {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  grantId: string;

  @ManyToOne(() => Grant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id', foreignKeyConstraintName: 'fk_follow_up_grant' })
  grant?: Grant;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'date' })
  dueOn: string;

  @Column({ type: 'text' })
  source: FollowUpSource;

  /** E.g. the provider report's id in the delivery context. */
  @Column({ type: 'text', nullable: true })
  sourceRef: string | null;

  /** Why it is due (e.g. the provider report's summary). */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', default: 'open' })
  status: FollowUpStatus;

  @Column({ type: 'date', nullable: true })
  heldOn: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: FollowUpOutcome | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** For terminateAndRefer: the service the citizen is referred to (a new inquiry opens the decision flow). */
  @Column({ type: 'text', nullable: true })
  referredStandardCode: string | null;

  @Column({ type: 'date', nullable: true })
  nextDueOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  recordedAt: Date | null;

  /** The FollowUpDue outbox event, once the daily job has emitted it (never twice). */
  @Column({ type: 'bigint', nullable: true })
  dueEventId: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
