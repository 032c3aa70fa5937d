import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import {
  ACTIVITY_THEMES,
  ASSESSMENT_SECTIONS,
  ASSESSMENT_STATUSES,
  AssessmentSection,
  AssessmentStatus,
  OBSERVATION_SOURCES,
  ObservationSource,
  SUPPORT_NEED_LEVELS,
  SupportNeedLevel,
} from 'src/modules/visitation/visitation.constants';

/**
 * An udredning (VUM 2.0) of a citizen in a case. Drafted over one or more visits; completed once, and then
 * never changed (a new situation gets a new assessment). The citizen and case belong to the citizens context.
 */
@Entity({ name: 'assessment' })
@Check('ck_assessment_status', `status IN (${sqlList(ASSESSMENT_STATUSES)})`)
@Check('ck_assessment_completed', `(status = 'completed') = (completed_at IS NOT NULL AND completed_by IS NOT NULL AND assessed_on IS NOT NULL)`)
@Index('ix_assessment_case', ['caseId', 'createdAt'])
@Index('ix_assessment_citizen', ['citizenId', 'createdAt'])
export class Assessment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @Column({ type: 'text', default: 'draft' })
  status: AssessmentStatus;

  /** The date the assessment concludes (udredningsdato); required to complete. */
  @Column({ type: 'date', nullable: true })
  assessedOn: string | null;

  /** Why the assessment is made (årsag til sagsåbning, formålet med udredningen). */
  @Column({ type: 'text', nullable: true })
  background: string | null;

  /** The citizen's own wishes and goals, in their own words (borgerens ønsker). */
  @Column({ type: 'text', nullable: true })
  citizenWishes: string | null;

  /** The caseworker's overall professional assessment (faglig vurdering). */
  @Column({ type: 'text', nullable: true })
  professionalAssessment: string | null;

  /** The caseworker who makes the assessment. */
  @Column({ type: 'uuid' })
  caseworkerId: string;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  completedBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One theme or section of an assessment: its level (activity themes only: 0 none … 4 total limitation; null
 * = not assessed), a description, and where the observations come from.
 */
@Entity({ name: 'assessment_section' })
@Check('ck_assessment_section_name', `section IN (${sqlList(ASSESSMENT_SECTIONS)})`)
@Check('ck_assessment_section_level', `level IS NULL OR (level BETWEEN 0 AND 4 AND section IN (${sqlList(ACTIVITY_THEMES)}))`)
@Check('ck_assessment_section_sources', `sources <@ ARRAY[${sqlList(OBSERVATION_SOURCES)}]::text[]`)
export class AssessmentSectionEntry {
  @PrimaryColumn({ type: 'uuid' })
  assessmentId: string;

  @ManyToOne(() => Assessment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_assessment_section_assessment' })
  assessment?: Assessment;

  @PrimaryColumn({ type: 'text' })
  section: AssessmentSection;

  @Column({ type: 'smallint', nullable: true })
  level: number | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  sources: ObservationSource[];
}

/** Støttebehov: the level of support the citizen needs for one service asked for (a quality standard code). */
@Entity({ name: 'assessment_support_need' })
@Check('ck_assessment_support_need_level', `level IN (${sqlList(SUPPORT_NEED_LEVELS)})`)
export class AssessmentSupportNeed {
  @PrimaryColumn({ type: 'uuid' })
  assessmentId: string;

  @ManyToOne(() => Assessment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_assessment_support_need_assessment' })
  assessment?: Assessment;

  @PrimaryColumn({ type: 'text' })
  standardCode: string;

  @Column({ type: 'text' })
  level: SupportNeedLevel;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
