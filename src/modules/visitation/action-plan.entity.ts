import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { ACTION_PLAN_BASES, ACTION_PLAN_STATUSES, ActionPlanBasis, ActionPlanStatus } from 'src/modules/visitation/visitation.constants';

/** A handleplan (SEL § 141, or § 142 for a § 110 stay) for a citizen in a case; its content lives in versions. */
@Entity({ name: 'action_plan' })
@Check('ck_action_plan_basis', `legal_basis IN (${sqlList(ACTION_PLAN_BASES)})`)
@Index('ix_action_plan_citizen', ['citizenId', 'createdAt'])
export class ActionPlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @Column({ type: 'text' })
  legalBasis: ActionPlanBasis;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * One version of a handleplan: purpose, services, expected duration, other matters. A draft is edited; once
 * offered its content is fixed, and the citizen's answer (accepted, declined) is recorded with its date. A
 * change is a new version.
 */
@Entity({ name: 'action_plan_version' })
@Check('ck_action_plan_version_status', `status IN (${sqlList(ACTION_PLAN_STATUSES)})`)
@Check(
  'ck_action_plan_version_dates',
  `(status = 'draft') = (offered_on IS NULL) AND (status IN ('accepted', 'declined')) = (responded_on IS NOT NULL)
   AND (responded_on IS NULL OR responded_on >= offered_on)`,
)
@Check('ck_action_plan_version_no', 'version_no >= 1')
@Index('uq_action_plan_version', ['planId', 'versionNo'], { unique: true })
export class ActionPlanVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => ActionPlan, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_id', foreignKeyConstraintName: 'fk_action_plan_version_plan' })
  plan?: ActionPlan;

  @Column({ type: 'integer' })
  versionNo: number;

  /** Formålet med indsatsen. */
  @Column({ type: 'text' })
  purpose: string;

  /** Indsatsen: the services, in words. */
  @Column({ type: 'text' })
  services: string;

  /** The grants the plan covers (their orders carry the plan's relevant parts). */
  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  grantIds: string[];

  /** Forventet varighed. */
  @Column({ type: 'text' })
  expectedDuration: string;

  /** Andre forhold (bolig, økonomi, beskæftigelse, netværk …); stays with the authority. */
  @Column({ type: 'text', nullable: true })
  otherMatters: string | null;

  @Column({ type: 'text', default: 'draft' })
  status: ActionPlanStatus;

  @Column({ type: 'date', nullable: true })
  offeredOn: string | null;

  @Column({ type: 'date', nullable: true })
  respondedOn: string | null;

  /** What the citizen said, e.g. why they declined. */
  @Column({ type: 'text', nullable: true })
  responseNote: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
