import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import {
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_SOURCES,
  FOLLOW_UP_STATUSES,
  FollowUpOutcome,
  FollowUpSource,
  FollowUpStatus,
} from 'src/modules/visitation/visitation.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';

const STANDARD_CODE = /^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/;

/** Record a held opfølgning (send If-Match). */
export class RecordFollowUpDto {
  /** The day the follow-up was held; not in the future. */
  @ApiProperty({ format: 'date', example: '2027-05-03' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'heldOn must be a date (YYYY-MM-DD)' })
  heldOn: string;

  @ApiProperty({
    enum: FOLLOW_UP_OUTCOMES,
    description:
      'continue = fortsættelse (give nextDueOn), terminate = afslutning (the grant runs until a termination decision), ' +
      'terminateAndRefer = afslutning og visitering til ny indsats (give referredStandardCode: a new inquiry starts the decision flow)',
  })
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome: FollowUpOutcome;

  /** What was found and agreed, in the caseworker's words (notatpligt). */
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  notes: string;

  /** For `continue`: the next opfølgningsdato, after today. It opens the next scheduled follow-up. */
  @ApiPropertyOptional({ format: 'date', example: '2027-11-03' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'nextDueOn must be a date (YYYY-MM-DD)' })
  nextDueOn?: string;

  /** For `terminateAndRefer`: the service the citizen is referred to (a quality-standard code). */
  @ApiPropertyOptional({ example: 'SEL-107' })
  @IsOptional()
  @Matches(STANDARD_CODE, { message: 'referredStandardCode must be a quality-standard code' })
  referredStandardCode?: string;
}

/** A follow-up set by hand (e.g. after a phone call from a relative). */
export class CreateFollowUpDto {
  /** When it is due; today or later. */
  @ApiProperty({ format: 'date', example: '2027-02-01' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'dueOn must be a date (YYYY-MM-DD)' })
  dueOn: string;

  /** Why it is due. */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class ListFollowUpsQuery extends PageQuery {
  /** Whose: `me` (default: follow-ups of grants on cases you are responsible for), `all`, or a caseworker's user id. */
  @ApiPropertyOptional({ default: 'me', example: 'me' })
  @IsOptional()
  @Matches(/^(me|all|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'caseworker must be "me", "all" or a user id' })
  caseworker?: string;

  @ApiPropertyOptional({ enum: FOLLOW_UP_STATUSES, default: 'open', description: 'open = åben, done = afholdt, cancelled = annulleret' })
  @IsOptional()
  @IsIn(FOLLOW_UP_STATUSES)
  status?: FollowUpStatus;

  /** Only follow-ups due before this date (exclusive). */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'dueBefore must be a date (YYYY-MM-DD)' })
  dueBefore?: string;
}

/** En opfølgning. */
export class FollowUpView {
  id: string;
  grantId: string;
  citizenId: string;
  /** The granted service (quality-standard code). */
  standardCode: string;
  @ApiProperty({ format: 'date' })
  dueOn: string;
  @ApiProperty({ enum: FOLLOW_UP_SOURCES, description: 'schedule = fra kvalitetsstandardens interval, providerReport = tilbagemelding fra tilbud, manual = oprettet manuelt' })
  source: FollowUpSource;
  /** E.g. the provider report's reference. */
  sourceRef: string | null;
  reason: string | null;
  @ApiProperty({ enum: FOLLOW_UP_STATUSES, description: 'open = åben, done = afholdt, cancelled = annulleret' })
  status: FollowUpStatus;
  /** Open and due before today. */
  overdue: boolean;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  heldOn: string | null;
  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES, nullable: true })
  outcome: FollowUpOutcome | null;
  notes: string | null;
  referredStandardCode: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  nextDueOn: string | null;
  recordedBy: string | null;
  recordedAt: string | null;
  /** The caseworker was told it is due (the daily job's FollowUpDue event). */
  dueNotified: boolean;
  createdAt: string;
  version: number;
}

/** The new inquiry a referral made (the decision flow for the new service starts there). */
export class FollowUpReferralView {
  inquiryId: string;
  caseId: string;
  caseOpened: boolean;
}

/** A recorded follow-up, with the next one it opened (continue) or the inquiry it made (terminateAndRefer). */
export class RecordedFollowUpView extends FollowUpView {
  next: FollowUpView | null;
  referral: FollowUpReferralView | null;
}

/** A row of the caseworker's follow-up list. */
export class FollowUpListItem extends FollowUpView {
  citizenName: string | null;
  caseId: string | null;
  /** The case's responsible caseworker; null for grants without a case (confirmed self-referral admissions). */
  caseworkerId: string | null;
  institutionId: string;
}

export class FollowUpPage {
  @ApiProperty({ format: 'date' })
  today: string;
  items: FollowUpListItem[];
  nextCursor: string | null;
}
