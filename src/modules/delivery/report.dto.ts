import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { FORCE_FORMS, FORCE_REVIEW_STATUSES, ForceForm, ForceReviewStatus, REPORT_DIRECTIONS, ReportDirection } from 'src/modules/delivery/delivery.constants';

/** Tilbagemelding: the citizen's needs changed; the authority gets a follow-up task. */
export class CreateProviderReportDto {
  @ApiProperty({ enum: REPORT_DIRECTIONS, description: 'increased = øget behov, decreased = mindsket behov, other = andet' })
  @IsIn(REPORT_DIRECTIONS)
  direction: ReportDirection;

  /** What changed, as the institution sees it. */
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description: string;

  /** The institution's proposal (e.g. more hours, another service). */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  proposal?: string;
}

export class ProviderReportView {
  id: string;
  orderId: string;
  grantId: string;
  citizenId: string;
  institutionId: string;
  @ApiProperty({ enum: REPORT_DIRECTIONS })
  direction: ReportDirection;
  description: string;
  @ApiProperty({ nullable: true, type: String })
  proposal: string | null;
  /** The authority's follow-up task made from the report. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  followUpId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  submittedBy: string | null;
  submittedAt: string;
}

/** A magtanvendelse on one of the statutory forms. */
export class CreateUseOfForceReportDto {
  /** The citizen: one with an order or a stay at the institution. */
  @IsUUID()
  citizenId: string;

  @ApiProperty({ enum: FORCE_FORMS, description: 'Skema 1a (fastholdelse m.m.), 1b (alarm- og pejlesystemer), 2 (andre indgreb)' })
  @IsIn(FORCE_FORMS)
  form: ForceForm;

  /** When it happened (an instant with offset); not in the future. */
  @ApiProperty({ format: 'date-time', example: '2027-03-01T14:30:00+01:00' })
  @IsISO8601({ strict: true })
  @Matches(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'occurredAt must be a date-time with its offset, e.g. 2027-03-01T14:30:00+01:00' })
  occurredAt: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1440 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  durationMinutes?: number;

  /** What happened and why (the form's account). */
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description: string;
}

/** The acting municipality's review (send If-Match). */
export class ReviewUseOfForceReportDto {
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  comment: string;
}

export class UseOfForceReportView {
  id: string;
  institutionId: string;
  citizenId: string;
  /** The citizen's handlekommune when reported: it reviews the report. */
  actingMunicipalityId: string;
  @ApiProperty({ enum: FORCE_FORMS })
  form: ForceForm;
  occurredAt: string;
  @ApiProperty({ nullable: true, type: Number })
  durationMinutes: number | null;
  description: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  reportedBy: string | null;
  reportedAt: string;
  @ApiProperty({ enum: FORCE_REVIEW_STATUSES, description: 'pending = afventer gennemgang, reviewed = gennemgået' })
  reviewStatus: ForceReviewStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  reviewedBy: string | null;
  @ApiProperty({ nullable: true, type: String })
  reviewedAt: string | null;
  @ApiProperty({ nullable: true, type: String })
  reviewComment: string | null;
  /** Send as If-Match to review. */
  version: number;
}

export class UseOfForceReportPage {
  items: UseOfForceReportView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class ListUseOfForceReportsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FORCE_REVIEW_STATUSES })
  @IsOptional()
  @IsIn(FORCE_REVIEW_STATUSES)
  status?: ForceReviewStatus;
}

export class UseOfForceSummaryQuery {
  @ApiProperty({ example: 2027 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}

export class FormCountsView {
  @ApiProperty({ name: '1a' })
  '1a': number;
  @ApiProperty({ name: '1b' })
  '1b': number;
  @ApiProperty({ name: '2' })
  '2': number;
}

export class MonthCountsView {
  /** 1–12, in Danish time. */
  month: number;
  total: number;
  byForm: FormCountsView;
}

/** The institution's yearly magtanvendelse summary: counts only, no names. */
export class UseOfForceSummaryView {
  institutionId: string;
  year: number;
  total: number;
  /** How many citizens the reports concern. */
  citizens: number;
  byForm: FormCountsView;
  /** All twelve months, January first. */
  byMonth: MonthCountsView[];
  /** Reports still awaiting the acting municipality's review. */
  pending: number;
}
