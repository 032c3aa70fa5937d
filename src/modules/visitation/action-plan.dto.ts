import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ACTION_PLAN_BASES, ActionPlanBasis } from 'src/modules/visitation/visitation.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';


/** The content of a handleplan version (SEL § 141, stk. 3): formål, indsats, forventet varighed, andre forhold. */
export class ActionPlanContentDto {
  /** Formålet med indsatsen. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  purpose?: string;

  /** Indsatsen: the services, in words. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  services?: string;

  /** The citizen's grants the plan covers; their orders carry the plan's relevant parts once it is offered. Replaces the list. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  grantIds?: string[];

  /** Forventet varighed, e.g. "12 måneder". */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  expectedDuration?: string;

  /** Andre forhold (bolig, økonomi, beskæftigelse, netværk …). Stays with the authority: never sent to the institution. `null` clears it. */
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  otherMatters?: string | null;
}

/**
 * A new handleplan for the case's citizen; version 1 is a draft. (Not an extension of ActionPlanContentDto:
 * class-validator would carry its @IsOptional over to the required fields.)
 */
export class CreateActionPlanDto {
  /**
   * SEL-141 (handleplan, offered to citizens with considerably reduced function or serious social problems) or
   * SEL-142 (mandatory for a § 110 stay; only for a citizen with a § 110 grant or admission). Default: SEL-142
   * when a covered grant is of a § 110 standard or the citizen is staying at a § 110 boform now, else SEL-141.
   */
  @ApiPropertyOptional({ enum: ACTION_PLAN_BASES })
  @IsOptional()
  @IsIn(ACTION_PLAN_BASES)
  legalBasis?: ActionPlanBasis;

  /** Formålet med indsatsen. */
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  purpose: string;

  /** Indsatsen: the services, in words. */
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  services: string;

  /** The citizen's grants the plan covers; their orders carry the plan's relevant parts once it is offered. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  grantIds?: string[];

  /** Forventet varighed, e.g. "12 måneder". */
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  expectedDuration: string;

  /** Andre forhold (bolig, økonomi, beskæftigelse, netværk …). Stays with the authority: never sent to the institution. */
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  otherMatters?: string | null;
}

/** Edit a draft version (If-Match: the version's ETag). Only the fields given change. */
export class UpdateActionPlanVersionDto extends ActionPlanContentDto {}

/** A new draft version, copied from the latest version; the fields given override the copy. */
export class CreateActionPlanVersionDto extends ActionPlanContentDto {}

/** Tilbudt: the draft is offered to the citizen; from now on its content never changes. */
export class OfferActionPlanDto {
  /** The day the plan was offered (handed over, sent); defaults to today; not in the future. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'offeredOn must be a date (YYYY-MM-DD)' })
  offeredOn?: string;
}

export const ACTION_PLAN_RESPONSES = ['accepted', 'declined'] as const;
export type ActionPlanResponse = (typeof ACTION_PLAN_RESPONSES)[number];

/** The citizen's answer to an offered plan: accepted (accepteret) or declined (afslået af borger). */
export class RespondActionPlanDto {
  @ApiProperty({ enum: ACTION_PLAN_RESPONSES, description: 'accepted = accepteret, declined = afslået af borgeren' })
  @IsIn(ACTION_PLAN_RESPONSES)
  response: ActionPlanResponse;

  /** The day the citizen answered: on or after the day it was offered, not in the future. Defaults to today. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'respondedOn must be a date (YYYY-MM-DD)' })
  respondedOn?: string;

  /** What the citizen said, e.g. why they declined. Stays with the authority. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}
