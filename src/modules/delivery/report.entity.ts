import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { FORCE_FORMS, FORCE_REVIEW_STATUSES, ForceForm, ForceReviewStatus, REPORT_DIRECTIONS, ReportDirection } from 'src/modules/delivery/delivery.constants';

/** A tilbagemelding to the authority: the citizen's needs changed, with the institution's proposal. */
@Entity({ name: 'provider_report' })
@Check('ck_provider_report_direction', `direction IN (${sqlList(REPORT_DIRECTIONS)})`)
@Index('ix_provider_report_order', ['orderId', 'submittedAt'])
export class ProviderReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'text' })
  direction: ReportDirection;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', nullable: true })
  proposal: string | null;

  /** The follow-up task it created on the authority's side. */
  @Column({ type: 'uuid', nullable: true })
  followUpId: string | null;

  @Column({ type: 'uuid', nullable: true })
  submittedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  submittedAt: Date;
}

/**
 * A magtanvendelse report (the statutory forms 1a, 1b, 2), registered by the institution and reviewed by the
 * citizen's acting municipality (reviewed, with comments).
 */
@Entity({ name: 'use_of_force_report' })
@Check('ck_use_of_force_report_form', `form IN (${sqlList(FORCE_FORMS)})`)
@Check('ck_use_of_force_report_review', `review_status IN (${sqlList(FORCE_REVIEW_STATUSES)}) AND (review_status = 'reviewed') = (reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL)`)
@Check('ck_use_of_force_report_duration', 'duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND 1440')
@Index('ix_use_of_force_report_institution', ['institutionId', 'occurredAt'])
@Index('ix_use_of_force_report_pending', { synchronize: false })
export class UseOfForceReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  /** The citizen's handlekommune at the time: it reviews the report. */
  @Column({ type: 'uuid' })
  actingMunicipalityId: string;

  @Column({ type: 'text' })
  form: ForceForm;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'integer', nullable: true })
  durationMinutes: number | null;

  /** What happened and why (the form's account). */
  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'uuid', nullable: true })
  reportedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  reportedAt: Date;

  @Column({ type: 'text', default: 'pending' })
  reviewStatus: ForceReviewStatus;

  @Column({ type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  reviewComment: string | null;

  @VersionColumn()
  version: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
