import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { CreateDecisionDto } from 'src/modules/visitation/decision.dto';
import {
  APPEAL_OUTCOMES,
  AppealOutcome,
  COMPLAINT_STATUSES,
  ComplaintStatus,
  CORRESPONDENCE_CHANNELS,
  CorrespondenceChannel,
} from 'src/modules/visitation/visitation.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';

const dateMessage = (field: string) => ({ message: `${field} must be a date (YYYY-MM-DD)` });

export const REASSESSMENT_OUTCOMES = ['changed', 'upheld'] as const;
export type ReassessmentOutcome = (typeof REASSESSMENT_OUTCOMES)[number];

const STATUS_TERMS =
  'awaitingReassessment = afventer genvurdering, changed = omgjort af kommunen, upheld = fastholdt, forwarded = oversendt til Ankestyrelsen, decided = afgjort af Ankestyrelsen';
const OUTCOME_TERMS = 'affirmed = stadfæstet, changed = ændret/ophævet, remitted = hjemvist, dismissed = afvist/bortfaldet';

/** A klage received by the authority (RSL § 67: lodged with the municipality, not with Ankestyrelsen). */
export class CreateComplaintDto {
  /** The day the complaint reached the authority; not in the future, not before the decision was notified. */
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('receivedOn'))
  receivedOn: string;

  @ApiProperty({ enum: CORRESPONDENCE_CHANNELS, description: 'digitalPost = Digital Post, letter = brev, email = e-mail, phone = telefon, inPerson = personligt fremmøde' })
  @IsIn(CORRESPONDENCE_CHANNELS)
  channel: CorrespondenceChannel;

  /** What the citizen complains about, in their own words or the caseworker's summary. */
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  summary: string;
}

/** Genvurdering (RSL § 66): the authority changes the decision in the citizen's favour, or upholds it. */
export class ReassessComplaintDto {
  @ApiProperty({ enum: REASSESSMENT_OUTCOMES, description: 'changed = omgjort (a new decision in the citizen’s favour), upheld = fastholdt (the complaint goes on)' })
  @IsIn(REASSESSMENT_OUTCOMES)
  outcome: ReassessmentOutcome;

  /** The day of the re-assessment; defaults to today; not in the future, not before the complaint was received. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('reassessedOn'))
  reassessedOn?: string;

  /** Genvurderingsnotat: required when the decision is upheld (why it stands). */
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  note?: string;

  /**
   * Required for `changed`, refused for `upheld`: the new decision, drafted on the complaint's case in the same
   * transaction (standardCode defaults to the complained decision's). It is then notified the normal way, with
   * new complaint guidance.
   */
  @ApiPropertyOptional({ type: () => CreateDecisionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateDecisionDto)
  newDecision?: CreateDecisionDto;
}

/** Oversendelse: an upheld complaint goes to Ankestyrelsen (or Styrelsen for Patientklager) with the case documents. */
export class ForwardComplaintDto {
  /** Defaults to today; not in the future, not before the re-assessment. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('forwardedOn'))
  forwardedOn?: string;

  /** The case documents (akter) sent along, including the re-assessment note: at least one. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(500, { each: true })
  documents: string[];
}

/** Ankestyrelsen's decision on a forwarded complaint. */
export class RecordAppealOutcomeDto {
  @ApiProperty({ enum: APPEAL_OUTCOMES, description: OUTCOME_TERMS })
  @IsIn(APPEAL_OUTCOMES)
  outcome: AppealOutcome;

  /** The day Ankestyrelsen decided; not in the future, not before the complaint was forwarded. */
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('decidedOn'))
  decidedOn: string;

  @IsOptional()
  @IsString()
  @MaxLength(8000)
  note?: string;
}

/** Complaints, oldest received first. */
export class ListComplaintsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES, description: STATUS_TERMS })
  @IsOptional()
  @IsIn(COMPLAINT_STATUSES)
  status?: ComplaintStatus;

  /**
   * true: only complaints past their re-assessment due date (received + 4 weeks, RSL § 66) that are still
   * awaiting re-assessment, or upheld but not yet forwarded; false: only the others.
   */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

export class ComplaintStatisticsQuery {
  /** First day of the period (complaints received from this day). */
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('from'))
  from: string;

  /** Last day of the period, inclusive. */
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('to'))
  to: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: text/csv with one line per service and a total line' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ComplaintView {
  id: string;
  /** The complained decision. */
  decisionId: string;
  citizenId: string;
  caseId: string;
  /** The complained decision's service and legal basis. */
  standardCode: string;
  legalBasis: string;
  @ApiProperty({ format: 'date' })
  receivedOn: string;
  @ApiProperty({ enum: CORRESPONDENCE_CHANNELS })
  channel: CorrespondenceChannel;
  /** Received after the complaint deadline (for sent): registered anyway; Ankestyrelsen decides on dispensation. */
  late: boolean;
  summary: string;
  @ApiProperty({ enum: COMPLAINT_STATUSES, description: STATUS_TERMS })
  status: ComplaintStatus;
  /** Genvurdering and, if upheld, forwarding are due by this day: received + 4 weeks (RSL § 66). */
  @ApiProperty({ format: 'date' })
  reassessmentDueOn: string;
  /** Past reassessmentDueOn and still awaiting re-assessment, or upheld but not forwarded. */
  overdue: boolean;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  reassessedOn: string | null;
  reassessmentNote: string | null;
  /** The new decision in the citizen's favour (changed). */
  newDecisionId: string | null;
  /** Ankestyrelsen, or Styrelsen for Patientklager (sundhedsloven). */
  appealBody: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  forwardedOn: string | null;
  documents: string[];
  @ApiProperty({ enum: APPEAL_OUTCOMES, nullable: true, description: OUTCOME_TERMS })
  outcome: AppealOutcome | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  outcomeOn: string | null;
  outcomeNote: string | null;
  /** Hjemvist: the authority decides the case again by this day (REMITTED_DECISION_DEADLINE_DAYS after the outcome). */
  @ApiProperty({ format: 'date', nullable: true, type: String })
  remittedDecisionDueOn: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export class ComplaintPage {
  items: ComplaintView[];
  nextCursor: string | null;
}

/** Complaint figures for one service and legal basis (or, in `total`, for all services). */
export class ComplaintStatisticsRow {
  /** Quality-standard code; null in the total. */
  @ApiProperty({ nullable: true, type: String })
  standardCode: string | null;
  /** Legal basis as the decisions cited it; null in the total. */
  @ApiProperty({ nullable: true, type: String })
  legalBasis: string | null;
  /** Complaints received in the period. */
  received: number;
  /** Of those, received after the complaint deadline. */
  late: number;
  /** Re-assessed by the authority as changed (omgjort af kommunen). */
  changedByAuthority: number;
  /** Re-assessed as upheld (fastholdt), whether or not forwarded since. */
  upheld: number;
  /** Forwarded to Ankestyrelsen (or Styrelsen for Patientklager). */
  forwarded: number;
  /** Ankestyrelsen's outcomes known now: stadfæstet. */
  affirmed: number;
  /** ændret/ophævet. */
  changed: number;
  /** hjemvist. */
  remitted: number;
  /** afvist/bortfaldet (not counted in the reversal rate). */
  dismissed: number;
  /** Omgørelsesprocent = (changed + remitted) / (changed + remitted + affirmed) × 100, one decimal; null when nothing is decided. */
  @ApiProperty({ nullable: true, type: Number })
  reversalRate: number | null;
}

export class ComplaintStatisticsReport {
  @ApiProperty({ format: 'date' })
  from: string;
  @ApiProperty({ format: 'date' })
  to: string;
  /** One row per service and legal basis with at least one complaint received in the period. */
  services: ComplaintStatisticsRow[];
  /** All services. */
  total: ComplaintStatisticsRow;
}
