import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { numericTransformer } from 'src/platform/database/numeric.transformer';
import { NOTIFICATION_CHANNELS, NotificationChannel } from 'src/platform/clock/deadlines';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { Assessment } from 'src/modules/visitation/assessment.entity';
import { DECISION_KINDS, DECISION_STATUSES, DecisionKind, DecisionStatus } from 'src/modules/visitation/visitation.constants';

/**
 * An afgørelse: a grant, refusal, change or termination of one service (a quality-standard version) for a
 * citizen. Drafted, approved by the visitation panel where the standard says so, then notified on a date
 * through a channel; from then on the row never changes (a trigger refuses it).
 */
@Entity({ name: 'decision' })
@Check('ck_decision_kind', `kind IN (${sqlList(DECISION_KINDS)})`)
@Check('ck_decision_status', `status IN (${sqlList(DECISION_STATUSES)})`)
@Check('ck_decision_channel', `notification_channel IS NULL OR notification_channel IN (${sqlList(NOTIFICATION_CHANNELS)})`)
@Check('ck_decision_reasoning', `length(btrim(reasoning)) > 0`)
@Check(
  'ck_decision_service_fields',
  `(kind NOT IN ('grant', 'change') OR (valid_from IS NOT NULL AND institution_id IS NOT NULL))
   AND (kind <> 'termination' OR valid_to IS NOT NULL)
   AND ((kind IN ('change', 'termination')) = (grant_id IS NOT NULL))`,
)
@Check('ck_decision_period', 'valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from')
@Check('ck_decision_scope', 'scope IS NULL OR scope > 0')
@Check(
  'ck_decision_least_intervention',
  `NOT least_intervention_required OR kind NOT IN ('grant', 'change') OR length(btrim(coalesce(least_intervention_justification, ''))) > 0`,
)
@Check('ck_decision_hearing', 'NOT (hearing_held_on IS NOT NULL AND hearing_exemption_reason IS NOT NULL) AND ((hearing_held_on IS NULL) = (hearing_summary IS NULL))')
@Check(
  'ck_decision_notified',
  `(status = 'notified') = (notified_on IS NOT NULL AND notification_channel IS NOT NULL AND received_on IS NOT NULL AND notified_at IS NOT NULL)
   AND (status <> 'notified' OR appealable = (complaint_deadline IS NOT NULL AND complaint_guidance IS NOT NULL))
   AND (notified_on IS NULL OR notified_on >= decided_on)`,
)
@Index('ix_decision_case', ['caseId', 'createdAt'])
@Index('ix_decision_citizen', ['citizenId', 'createdAt'])
@Index('ix_decision_open', { synchronize: false })
@Index('ix_decision_inquiry', { synchronize: false })
export class Decision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  caseId: string;

  /** The henvendelse the decision answers: notifying it meets that inquiry's casework deadline. */
  @Column({ type: 'uuid', nullable: true })
  inquiryId: string | null;

  /** The completed udredning the decision rests on. */
  @Column({ type: 'uuid', nullable: true })
  assessmentId: string | null;

  @ManyToOne(() => Assessment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_decision_assessment' })
  assessment?: Assessment;

  @Column({ type: 'text' })
  kind: DecisionKind;

  @Column({ type: 'text', default: 'draft' })
  status: DecisionStatus;

  @Column({ type: 'uuid' })
  standardId: string;

  @Column({ type: 'text' })
  standardCode: string;

  /** The quality-standard version in force on decidedOn: cited, never re-resolved. */
  @Column({ type: 'uuid' })
  standardVersionId: string;

  @Column({ type: 'integer' })
  standardVersionNo: number;

  /** Afgørelsesdato. */
  @Column({ type: 'date' })
  decidedOn: string;

  /** Lovgrundlag as cited in the letter, e.g. "SEL § 85, stk. 1". */
  @Column({ type: 'text' })
  legalBasis: string;

  /** Omfang in the standard's unit (grant and change). */
  @Column({ type: 'numeric', precision: 8, scale: 2, nullable: true, transformer: numericTransformer })
  scope: number | null;

  @Column({ type: 'text' })
  scopeUnit: string;

  /** What the citizen asked for, where it is a scope: a grant of less is a partial refusal (unfavourable). */
  @Column({ type: 'numeric', precision: 8, scale: 2, nullable: true, transformer: numericTransformer })
  requestedScope: number | null;

  /** The grant's first day (grant, change). */
  @Column({ type: 'date', nullable: true })
  validFrom: string | null;

  /** The grant's last day, inclusive (null = until further notice); for a termination, the last day of the grant. */
  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  @Column({ type: 'uuid', nullable: true })
  institutionId: string | null;

  /** The grant a change or termination acts on. */
  @Column({ type: 'uuid', nullable: true })
  grantId: string | null;

  /** Indsatsformål. */
  @Column({ type: 'text', nullable: true })
  servicePurpose: string | null;

  /** Begrundelse: the rules applied and the main considerations (FVL §§ 22, 24). */
  @Column({ type: 'text' })
  reasoning: string;

  /** Copied from the standard version: the least-intervention rule applies (§ 107, § 108). */
  @Column({ type: 'boolean' })
  leastInterventionRequired: boolean;

  /** Which less intrusive support was considered and why it does not suffice. */
  @Column({ type: 'text', nullable: true })
  leastInterventionJustification: string | null;

  /** Partshøring (FVL § 19): when the citizen was heard, and a summary of the answer. */
  @Column({ type: 'date', nullable: true })
  hearingHeldOn: string | null;

  @Column({ type: 'text', nullable: true })
  hearingSummary: string | null;

  /** Why no hearing was needed (e.g. the decision rests only on facts the citizen gave). */
  @Column({ type: 'text', nullable: true })
  hearingExemptionReason: string | null;

  /** Copied from the standard version: the visitation panel must approve (grant, change, refusal). */
  @Column({ type: 'boolean' })
  panelRequired: boolean;

  /** Copied from the standard version: false for § 82 a, § 82 b, § 101 a (the decision is final). */
  @Column({ type: 'boolean' })
  appealable: boolean;

  @Column({ type: 'date', nullable: true })
  notifiedOn: string | null;

  @Column({ type: 'text', nullable: true })
  notificationChannel: NotificationChannel | null;

  /** The day the citizen counts as having received it (digital post: the day sent; a letter: working days later). */
  @Column({ type: 'date', nullable: true })
  receivedOn: string | null;

  /** Klagefrist: the last day a complaint is in time (received + 4 weeks). */
  @Column({ type: 'date', nullable: true })
  complaintDeadline: string | null;

  /** Klagevejledning as sent (where, how and by when), fixed at notification. */
  @Column({ type: 'text', nullable: true })
  complaintGuidance: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  notifiedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  notifiedBy: string | null;

  /** The caseworker who makes the decision (a panel member cannot approve their own). */
  @Column({ type: 'uuid' })
  caseworkerId: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
