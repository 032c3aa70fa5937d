import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { numericTransformer } from 'src/platform/database/numeric.transformer';
import {
  ACTION_PLAN_RULES,
  ActionPlanRule,
  LAWS,
  Law,
  SCOPE_UNITS,
  ScopeUnit,
  SETTLEMENT_BASES,
  SettlementBasis,
  VERSION_STATUSES,
  VersionStatus,
} from 'src/modules/catalogue/catalogue.constants';
import { QualityStandard } from 'src/modules/catalogue/quality-standard.entity';
import { sqlList } from 'src/modules/organisation/organisation.constants';

/**
 * One version of a quality standard: draft (editable), approved by the political committee (immutable; in
 * force from validFrom until superseded or retired). At most one approved version is in force on any day.
 */
@Entity({ name: 'quality_standard_version' })
@Index('uq_qsv_number', ['standardId', 'versionNo'], { unique: true })
@Check('ck_qsv_status', `status IN (${sqlList(VERSION_STATUSES)})`)
@Check('ck_qsv_law', `legal_law IN (${sqlList(LAWS)})`)
@Check('ck_qsv_paragraph', `legal_paragraph ~ '^[1-9][0-9]{0,2}( [a-z])?$'`)
@Check('ck_qsv_subsection', 'legal_subsection IS NULL OR legal_subsection BETWEEN 1 AND 20')
@Check('ck_qsv_unit', `scope_unit IN (${sqlList(SCOPE_UNITS)})`)
@Check('ck_qsv_basis', `settlement_basis IN (${sqlList(SETTLEMENT_BASES)})`)
@Check('ck_qsv_action_plan', `action_plan IN (${sqlList(ACTION_PLAN_RULES)})`)
@Check('ck_qsv_scope', '(scope_min IS NULL OR scope_min >= 0) AND (scope_max IS NULL OR scope_max > 0) AND (scope_min IS NULL OR scope_max IS NULL OR scope_min <= scope_max)')
@Check('ck_qsv_durations', '(max_duration_months IS NULL OR max_duration_months > 0) AND (follow_up_interval_months IS NULL OR follow_up_interval_months > 0) AND casework_deadline_days > 0 AND (start_deadline_days IS NULL OR start_deadline_days > 0)')
@Check('ck_qsv_period', 'valid_to IS NULL OR valid_from < valid_to')
@Check('ck_qsv_account_function', `account_function ~ '^[0-9]\\.[0-9]{2}\\.[0-9]{2}$'`)
@Check('ck_qsv_service_code', 'ffb_service_code IS NOT NULL OR local_service_code IS NOT NULL')
@Check(
  'ck_qsv_approval',
  `status = 'draft' OR (approved_by_committee IS NOT NULL AND approved_on IS NOT NULL AND approval_reference IS NOT NULL AND valid_from IS NOT NULL)`,
)
@Exclusion('ex_qsv_in_force', `USING gist (standard_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&) WHERE (status <> 'draft')`)
export class QualityStandardVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  standardId: string;

  @ManyToOne(() => QualityStandard, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'standard_id', foreignKeyConstraintName: 'fk_qsv_standard' })
  standard?: QualityStandard;

  @Column({ type: 'integer' })
  versionNo: number;

  @Column({ type: 'text', default: 'draft' })
  status: VersionStatus;

  @Column({ type: 'date', nullable: true })
  validFrom: string | null;

  /** Exclusive end: the day the next version takes over, or the standard was retired. */
  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  @Column({ type: 'text' })
  legalLaw: Law;

  @Column({ type: 'text' })
  legalParagraph: string;

  @Column({ type: 'integer', nullable: true })
  legalSubsection: number | null;

  @Column({ type: 'text' })
  targetGroup: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'text' })
  scopeUnit: ScopeUnit;

  @Column({ type: 'numeric', precision: 8, scale: 2, nullable: true, transformer: numericTransformer })
  scopeMin: number | null;

  @Column({ type: 'numeric', precision: 8, scale: 2, nullable: true, transformer: numericTransformer })
  scopeMax: number | null;

  @Column({ type: 'integer', nullable: true })
  maxDurationMonths: number | null;

  @Column({ type: 'integer', nullable: true })
  followUpIntervalMonths: number | null;

  @Column({ type: 'integer' })
  caseworkDeadlineDays: number;

  /** Days from inquiry to the start of the service (14 for SEL § 101 and SUL § 141). */
  @Column({ type: 'integer', nullable: true })
  startDeadlineDays: number | null;

  @Column({ type: 'text' })
  settlementBasis: SettlementBasis;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  areaTypes: string[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  institutionTypes: string[];

  @Column({ type: 'boolean', default: false })
  panelApprovalRequired: boolean;

  @Column({ type: 'boolean', default: false })
  leastInterventionRule: boolean;

  @Column({ type: 'boolean', default: true })
  appealable: boolean;

  @Column({ type: 'boolean', default: false })
  selfReferral: boolean;

  @Column({ type: 'boolean', default: false })
  anonymousAllowed: boolean;

  @Column({ type: 'boolean', default: false })
  belowStatePensionAgeOnly: boolean;

  @Column({ type: 'boolean', default: false })
  shortNoticeCancellationChargeable: boolean;

  @Column({ type: 'text', default: 'offer' })
  actionPlan: ActionPlanRule;

  @Column({ type: 'text' })
  accountFunction: string;

  @Column({ type: 'text', nullable: true })
  accountGroup: string | null;

  @Column({ type: 'uuid', nullable: true })
  ffbServiceCode: string | null;

  @Column({ type: 'text', nullable: true })
  ffbServiceName: string | null;

  @Column({ type: 'text', nullable: true })
  localServiceCode: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  ffbTargetGroups: string[];

  @Column({ type: 'text', nullable: true })
  approvedByCommittee: string | null;

  @Column({ type: 'date', nullable: true })
  approvedOn: string | null;

  @Column({ type: 'text', nullable: true })
  approvalReference: string | null;

  @Column({ type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
