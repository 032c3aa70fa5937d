import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import {
  ACTION_PLAN_RULES,
  ActionPlanRule,
  LAWS,
  Law,
  LIFECYCLE_STATES,
  LifecycleState,
  SCOPE_UNITS,
  ScopeUnit,
  SETTLEMENT_BASES,
  SettlementBasis,
  VERSION_STATUSES,
  VersionStatus,
} from 'src/modules/catalogue/catalogue.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';


export class LegalBasisView {
  @ApiProperty({ enum: LAWS })
  law: Law;
  paragraph: string;
  subsection: number | null;
  /** As written in decisions, e.g. "SEL § 85, stk. 1". */
  text: string;
}

export class ApprovalView {
  committee: string;
  approvedOn: string;
  reference: string;
  approvedAt: string | null;
}

export class VersionSummaryView {
  versionNo: number;
  @ApiProperty({ enum: VERSION_STATUSES })
  status: VersionStatus;
  @ApiProperty({ enum: LIFECYCLE_STATES, description: 'draft, scheduled (approved, not yet in force), inForce, superseded, retired' })
  lifecycle: LifecycleState;
  validFrom: string | null;
  /** Exclusive end. */
  validTo: string | null;
}

export class VersionView extends VersionSummaryView {
  id: string;
  /** The quality standard's id (the same for all its versions). */
  standardId: string;
  standardCode: string;
  title: string;
  legalBasis: LegalBasisView;
  targetGroup: string;
  purpose: string;
  content: string;
  @ApiProperty({ enum: SCOPE_UNITS })
  scopeUnit: ScopeUnit;
  scopeMin: number | null;
  scopeMax: number | null;
  maxDurationMonths: number | null;
  followUpIntervalMonths: number | null;
  caseworkDeadlineDays: number;
  startDeadlineDays: number | null;
  @ApiProperty({ enum: SETTLEMENT_BASES })
  settlementBasis: SettlementBasis;
  areaTypes: string[];
  institutionTypes: string[];
  panelApprovalRequired: boolean;
  leastInterventionRule: boolean;
  appealable: boolean;
  selfReferral: boolean;
  anonymousAllowed: boolean;
  belowStatePensionAgeOnly: boolean;
  shortNoticeCancellationChargeable: boolean;
  @ApiProperty({ enum: ACTION_PLAN_RULES })
  actionPlan: ActionPlanRule;
  accountFunction: string;
  accountGroup: string | null;
  ffbServiceCode: string | null;
  ffbServiceName: string | null;
  localServiceCode: string | null;
  ffbTargetGroups: string[];
  approval: ApprovalView | null;
  /** Row version for If-Match on drafts. */
  version: number;
}

export class QualityStandardSummaryView {
  id: string;
  code: string;
  title: string;
  /** The version in force today, if any. */
  inForce: VersionSummaryView | null;
  latestVersionNo: number | null;
}

export class QualityStandardView {
  id: string;
  code: string;
  title: string;
  versions: VersionSummaryView[];
  version: number;
}

export class QualityStandardPage {
  items: QualityStandardSummaryView[];
  nextCursor: string | null;
}

export class ListQualityStandardsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LAWS })
  @IsOptional()
  @IsIn(LAWS)
  law?: Law;

  /** Part of the code or title. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class DateQuery {
  /** A date (YYYY-MM-DD); default today in Denmark. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}

export class DocumentQuery {
  @ApiPropertyOptional({ enum: ['html', 'markdown'], default: 'html' })
  @IsOptional()
  @IsIn(['html', 'markdown'])
  format?: 'html' | 'markdown';
}

export class RateView {
  id: string;
  standardCode: string;
  standardId: string;
  /** Null for the standard's general rate. */
  institutionId: string | null;
  validFrom: string;
  /** Exclusive end; null while open-ended. */
  validTo: string | null;
  /** Price per unit, in øre. */
  priceOere: number;
  @ApiProperty({ enum: SCOPE_UNITS, nullable: true, description: 'The unit priced: that of the standard version in force when the rate starts' })
  unit: ScopeUnit | null;
  plannedOccupancyPct: number | null;
  note: string | null;
  /** False once the rate is in effect: then it is never edited, only closed. */
  editable: boolean;
  createdAt: string;
}

export class EffectiveRateView extends RateView {
  @ApiProperty({ enum: ['institution', 'general'], description: "institution: the institution's own rate; general: the standard's" })
  source: 'institution' | 'general';
}

export class ListRatesQuery {
  @IsOptional()
  @Matches(/^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/, { message: 'standard must be a quality-standard code' })
  standard?: string;

  @IsOptional()
  @IsUUID()
  institutionId?: string;

  /** Only rates valid on this date. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE, { message: 'at must be YYYY-MM-DD' })
  at?: string;
}

export class EffectiveRateQuery {
  /** Quality-standard code, e.g. SEL-108. */
  @Matches(/^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/, { message: 'standard must be a quality-standard code' })
  standard: string;

  /** The institution; without it only the general rate is considered. */
  @IsOptional()
  @IsUUID()
  institution?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}
