import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { NOTIFICATION_CHANNELS, NotificationChannel } from 'src/platform/clock/deadlines';
import { ACTIVITY_THEMES, ActivityTheme, DECISION_KINDS, DecisionKind, GOAL_TYPES, GoalType, PANEL_OUTCOMES, PanelOutcome } from 'src/modules/visitation/visitation.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';

const CODE = /^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/;

/** An indsatsmål: one primary and any secondary activity themes, a target level and a goal type. */
export class GoalDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description: string;

  @ApiProperty({ enum: ACTIVITY_THEMES, description: 'Primært tema (aktivitet og deltagelse)' })
  @IsIn(ACTIVITY_THEMES)
  primaryTheme: ActivityTheme;

  @ApiPropertyOptional({ enum: ACTIVITY_THEMES, isArray: true, description: 'Sekundære temaer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(ACTIVITY_THEMES, { each: true })
  secondaryThemes?: ActivityTheme[];

  /** Target funktionsevneniveau, 0 (none) … 4 (total limitation). */
  @IsInt()
  @Min(0)
  @Max(4)
  targetLevel: number;

  @ApiProperty({ enum: GOAL_TYPES, description: 'Måltype: udvikle, fastholde, begrænse tab af funktionsevne' })
  @IsIn(GOAL_TYPES)
  goalType: GoalType;
}

/** Partshøring held: when, and what the citizen said. */
export class HearingDto {
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'heldOn must be a date (YYYY-MM-DD)' })
  heldOn: string;

  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  summary: string;
}

/** The fields a draft decision carries; everything is checked against the standard version in force. */
export class DecisionFieldsDto {
  /** The day the decision is made; the quality-standard version in force that day is cited. Defaults to today. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'decidedOn must be a date (YYYY-MM-DD)' })
  decidedOn?: string;

  /** The henvendelse the decision answers (of the same case). */
  @IsOptional()
  @IsUUID()
  inquiryId?: string | null;

  /** The completed udredning the decision rests on (of the same case). */
  @IsOptional()
  @IsUUID()
  assessmentId?: string | null;

  /** Omfang in the standard's unit (e.g. 5 hours per week); required where the unit is a quantity. */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(999999)
  scope?: number | null;

  /** What the citizen asked for, in the same unit; granting less is a partial refusal (needs partshøring). */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(999999)
  requestedScope?: number | null;

  /** First day of the grant (grant, change). */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom?: string | null;

  /** Last day of the grant, inclusive (null: until further notice); for a termination, the grant's last day. */
  @ApiPropertyOptional({ format: 'date', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'validTo must be a date (YYYY-MM-DD)' })
  validTo?: string | null;

  /** The tilbud that delivers (grant, change). */
  @IsOptional()
  @IsUUID()
  institutionId?: string | null;

  /** Indsatsformål: what the service is for. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  servicePurpose?: string | null;

  /** Indsatsmål (replaces the list when given). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => GoalDto)
  goals?: GoalDto[];

  /** Begrundelse: the rules applied and the main considerations (FVL §§ 22, 24). */
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  reasoning?: string;

  /** Mindste indgrebs princip (§ 107, § 108): the less intrusive support considered and why it does not suffice. */
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  leastInterventionJustification?: string | null;

  /** Partshøring held (FVL § 19); null clears it. */
  @IsOptional()
  @ValidateNested()
  @Type(() => HearingDto)
  hearing?: HearingDto | null;

  /** Why no partshøring is needed (e.g. the decision rests only on what the citizen told us); null clears it. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  hearingExemptionReason?: string | null;
}

/** A draft afgørelse for the case's citizen. */
export class CreateDecisionDto extends DecisionFieldsDto {
  @ApiProperty({ enum: DECISION_KINDS, description: 'grant = bevilling, refusal = afslag, change = ændring, termination = ophør' })
  @IsIn(DECISION_KINDS)
  kind: DecisionKind;

  /** The service: a quality-standard code, e.g. SEL-85. For a change or termination, the grant's standard. */
  @ApiPropertyOptional({ example: 'SEL-85' })
  @IsOptional()
  @Matches(CODE, { message: 'standardCode must be a quality-standard code' })
  standardCode?: string;

  /** The grant a change or termination acts on. */
  @IsOptional()
  @IsUUID()
  grantId?: string;

  @ApiProperty({ description: 'Begrundelse' })
  @IsString()
  @MaxLength(20000)
  declare reasoning: string;
}

export class UpdateDecisionDto extends DecisionFieldsDto {}

/** Visitationsudvalgets behandling: approve, or return to the caseworker with a comment. */
export class PanelReviewDto {
  @ApiProperty({ enum: PANEL_OUTCOMES, description: 'approved = godkendt, returned = sendt retur med bemærkning' })
  @IsIn(PANEL_OUTCOMES)
  outcome: PanelOutcome;

  @IsOptional()
  @IsString()
  @MaxLength(8000)
  comment?: string;
}

/** Meddelelse: the decision is sent to the citizen; from now on it never changes. */
export class NotifyDecisionDto {
  /** The day it was sent or handed over; defaults to today; not in the future. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'notifiedOn must be a date (YYYY-MM-DD)' })
  notifiedOn?: string;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS, description: 'digitalPost = Digital Post (modtaget samme dag), letter = brev (modtaget 6 hverdage senere), handedOver = udleveret personligt' })
  @IsIn(NOTIFICATION_CHANNELS)
  channel: NotificationChannel;
}

export class ListDecisionsQuery {
  @ApiPropertyOptional({ enum: ['draft', 'awaitingPanel', 'approved', 'notified'] })
  @IsOptional()
  @IsIn(['draft', 'awaitingPanel', 'approved', 'notified'])
  status?: string;
}
