import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { numericTransformer } from 'src/platform/database/numeric.transformer';
import { Decision } from 'src/modules/visitation/decision.entity';
import { SelfReferralAdmission } from 'src/modules/visitation/self-referral-admission.entity';

/**
 * A bevilling: the citizen may receive a service (a quality-standard version) in a scope, from an
 * institution, over a period. Made by a notified granting decision, or by confirming a self-referral
 * admission. Never deleted or rewritten: only its end can be brought forward (a change or termination).
 * The database keeps one citizen's grants of one standard from overlapping.
 */
@Entity({ name: 'citizen_grant' })
@Check('ck_citizen_grant_origin', '(decision_id IS NULL) <> (admission_id IS NULL)')
@Check('ck_citizen_grant_period', 'valid_to IS NULL OR valid_to >= valid_from')
@Check('ck_citizen_grant_scope', 'scope IS NULL OR scope > 0')
@Exclusion('ex_citizen_grant_overlap', `USING gist (citizen_id WITH =, standard_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)`)
@Index('ix_citizen_grant_citizen', ['citizenId', 'validFrom'])
@Index('ix_citizen_grant_institution', ['institutionId', 'validFrom'])
@Index('uq_citizen_grant_decision', ['decisionId'], { unique: true })
@Index('uq_citizen_grant_admission', ['admissionId'], { unique: true })
export class Grant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  /** The notified decision that granted it. */
  @Column({ type: 'uuid', nullable: true })
  decisionId: string | null;

  @ManyToOne(() => Decision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decision_id', foreignKeyConstraintName: 'fk_citizen_grant_decision' })
  decision?: Decision;

  /** The self-referral admission (§ 109/§ 110) it confirms. */
  @Column({ type: 'uuid', nullable: true })
  admissionId: string | null;

  @ManyToOne(() => SelfReferralAdmission, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'admission_id', foreignKeyConstraintName: 'fk_citizen_grant_admission' })
  admission?: SelfReferralAdmission;

  @Column({ type: 'uuid' })
  standardId: string;

  @Column({ type: 'text' })
  standardCode: string;

  @Column({ type: 'uuid' })
  standardVersionId: string;

  @Column({ type: 'integer' })
  standardVersionNo: number;

  @Column({ type: 'numeric', precision: 8, scale: 2, nullable: true, transformer: numericTransformer })
  scope: number | null;

  @Column({ type: 'text' })
  scopeUnit: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  /** The takst in effect on the first day (settlement uses the rate in force each day). */
  @Column({ type: 'uuid', nullable: true })
  rateId: string | null;

  @Column({ type: 'date' })
  validFrom: string;

  /** Last day, inclusive; null = until further notice. */
  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  /** The change or termination decision that brought the end forward. */
  @Column({ type: 'uuid', nullable: true })
  endedByDecisionId: string | null;

  @ManyToOne(() => Decision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ended_by_decision_id', foreignKeyConstraintName: 'fk_citizen_grant_ended_by' })
  endedByDecision?: Decision;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
