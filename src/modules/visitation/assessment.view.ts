import { ApiProperty } from '@nestjs/swagger';
import {
  ASSESSMENT_SECTIONS,
  ASSESSMENT_STATUSES,
  AssessmentSection,
  AssessmentStatus,
  OBSERVATION_SOURCES,
  ObservationSource,
  SUPPORT_NEED_LEVELS,
  SupportNeedLevel,
} from 'src/modules/visitation/visitation.constants';

export class AssessmentSectionView {
  @ApiProperty({ enum: ASSESSMENT_SECTIONS })
  section: AssessmentSection;
  /** Funktionsevneniveau 0–4 (activity themes only); null when not assessed, not yet filled in, or not scored. */
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 4 })
  level: number | null;
  /** Ikke vurderet: the activity theme was explicitly marked not assessed. */
  notAssessed: boolean;
  /** Null when the section is not yet filled in. */
  description: string | null;
  @ApiProperty({ enum: OBSERVATION_SOURCES, isArray: true })
  sources: ObservationSource[];
}

/** The udredning's sections by VUM 2.0 category, always all of them, in a fixed order. */
export class AssessmentSectionsView {
  /** Aktivitet og deltagelse: the six themes, scored. */
  activityThemes: AssessmentSectionView[];
  /** Funktioner og forhold: four sections, described in text. */
  functions: AssessmentSectionView[];
  /** Omgivelsesfaktorer: three sections, described in text. */
  environment: AssessmentSectionView[];
}

export class AssessmentSupportNeedView {
  standardCode: string;
  @ApiProperty({ enum: SUPPORT_NEED_LEVELS })
  level: SupportNeedLevel;
  note: string | null;
}

export class AssessmentView {
  id: string;
  citizenId: string;
  caseId: string;
  @ApiProperty({ enum: ASSESSMENT_STATUSES, description: 'kladde, afsluttet' })
  status: AssessmentStatus;
  /** Udredningsdato. */
  @ApiProperty({ type: String, format: 'date', nullable: true })
  assessedOn: string | null;
  background: string | null;
  /** Borgerens ønsker, in the citizen's own words. */
  citizenWishes: string | null;
  /** Faglig vurdering. */
  professionalAssessment: string | null;
  caseworkerId: string;
  sections: AssessmentSectionsView;
  /** Støttebehov per service asked for, by standard code. */
  supportNeeds: AssessmentSupportNeedView[];
  completedAt: string | null;
  completedBy: string | null;
  createdAt: string;
  /** Row version for If-Match. */
  version: number;
}
