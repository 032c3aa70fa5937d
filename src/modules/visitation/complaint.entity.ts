import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { Decision } from 'src/modules/visitation/decision.entity';
import {
  APPEAL_OUTCOMES,
  AppealOutcome,
  COMPLAINT_STATUSES,
  ComplaintStatus,
  CORRESPONDENCE_CHANNELS,
  CorrespondenceChannel,
} from 'src/modules/visitation/visitation.constants';

/**
 * A klage over a notified, appealable decision. The authority re-assesses within 4 weeks (RSL § 66): it
 * changes the decision (a new one in the citizen's favour) or upholds it and forwards the complaint to
 * Ankestyrelsen, whose outcome is recorded. A late complaint is registered and flagged, never refused.
 */
@Entity({ name: 'complaint' })
@Check('ck_complaint_status', `status IN (${sqlList(COMPLAINT_STATUSES)})`)
@Check('ck_complaint_channel', `channel IN (${sqlList(CORRESPONDENCE_CHANNELS)})`)
@Check('ck_complaint_outcome', `outcome IS NULL OR outcome IN (${sqlList(APPEAL_OUTCOMES)})`)
@Check(
  'ck_complaint_state',
  `(status = 'awaitingReassessment') = (reassessed_on IS NULL)
   AND (status <> 'changed' OR new_decision_id IS NOT NULL)
   AND (status IN ('forwarded', 'decided')) = (forwarded_on IS NOT NULL)
   AND (status = 'decided') = (outcome IS NOT NULL AND outcome_on IS NOT NULL)
   AND ((outcome = 'remitted') = (remitted_decision_due_on IS NOT NULL))
   AND (reassessed_on IS NULL OR reassessed_on >= received_on)
   AND (forwarded_on IS NULL OR forwarded_on >= reassessed_on)
   AND (outcome_on IS NULL OR outcome_on >= forwarded_on)`,
)
@Index('ix_complaint_decision', ['decisionId'])
@Index('ix_complaint_received', ['receivedOn'])
@Index('ix_complaint_open', { synchronize: false })
export class Complaint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  decisionId: string;

  @ManyToOne(() => Decision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decision_id', foreignKeyConstraintName: 'fk_complaint_decision' })
  decision?: Decision;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  caseId: string;

  /** The complained decision's service and legal basis (for the statistics). */
  @Column({ type: 'text' })
  standardCode: string;

  @Column({ type: 'text' })
  legalBasis: string;

  @Column({ type: 'date' })
  receivedOn: string;

  @Column({ type: 'text' })
  channel: CorrespondenceChannel;

  /** Received after the complaint deadline (still registered; Ankestyrelsen decides on dispensation). */
  @Column({ type: 'boolean' })
  late: boolean;

  /** What the citizen complains about, in their words or the caseworker's summary. */
  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text', default: 'awaitingReassessment' })
  status: ComplaintStatus;

  /** Genvurdering due: received + 4 weeks. */
  @Column({ type: 'date' })
  reassessmentDueOn: string;

  @Column({ type: 'date', nullable: true })
  reassessedOn: string | null;

  @Column({ type: 'text', nullable: true })
  reassessmentNote: string | null;

  /** The new decision in the citizen's favour (changed). */
  @Column({ type: 'uuid', nullable: true })
  newDecisionId: string | null;

  @ManyToOne(() => Decision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'new_decision_id', foreignKeyConstraintName: 'fk_complaint_new_decision' })
  newDecision?: Decision;

  /** Where it was forwarded: Ankestyrelsen, or Styrelsen for Patientklager (sundhedsloven). */
  @Column({ type: 'text', nullable: true })
  appealBody: string | null;

  @Column({ type: 'date', nullable: true })
  forwardedOn: string | null;

  /** The case documents sent along (akter). */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  documents: string[];

  @Column({ type: 'text', nullable: true })
  outcome: AppealOutcome | null;

  @Column({ type: 'date', nullable: true })
  outcomeOn: string | null;

  @Column({ type: 'text', nullable: true })
  outcomeNote: string | null;

  /** Hjemvist: the authority must decide again by this date. */
  @Column({ type: 'date', nullable: true })
  remittedDecisionDueOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
