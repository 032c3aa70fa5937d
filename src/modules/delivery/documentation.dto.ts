import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { SUB_GOAL_STATUSES, SubGoalStatus } from 'src/modules/delivery/delivery.constants';
import { GoalView } from 'src/modules/visitation/visitation.dto';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';


/** A journal note (dokumentation). Notes are never edited: to correct one, write a note that amends it. */
export class CreateNoteDto {
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  text: string;

  /** Sub-goals (delmål) of the same order the note is about. */
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  subGoalIds?: string[];

  /**
   * Shared with the authority: the caseworker sees it (what the authority needs, DOMAIN.md §7). An amendment
   * of a shared note is shared too.
   */
  @IsOptional()
  @IsBoolean()
  sharedWithAuthority?: boolean;

  /** The note this one amends (a note of the same order, not amended before: amend the latest version). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  amendsNoteId?: string;
}

export class NoteView {
  id: string;
  orderId: string;
  citizenId: string;
  institutionId: string;
  text: string;
  subGoalIds: string[];
  sharedWithAuthority: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  amendsNoteId: string | null;
  /** The later notes that amend this one (in the caller's view): a note with none is the current version. */
  @ApiProperty({ type: [String], format: 'uuid' })
  amendedBy: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  authorUserId: string | null;
  recordedAt: string;
}

export class NotePage {
  items: NoteView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class ListNotesQuery extends PageQuery {}

/** A delmål under one of the authority's goals of the order's decision. */
export class CreateSubGoalDto {
  /** The ordinal of the decision goal (indsatsmål) it serves, as in the order's `content.goals`. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  goalOrdinal: number;

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description: string;

  /** The level (0–4) the institution works towards. */
  @ApiPropertyOptional({ minimum: 0, maximum: 4 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4)
  targetLevel?: number;
}

/** Change a sub-goal's status or wording (send If-Match). It stays under its goal. */
export class UpdateSubGoalDto {
  @ApiPropertyOptional({ enum: SUB_GOAL_STATUSES, description: 'active = aktivt, achieved = opnået, dropped = opgivet' })
  @IsOptional()
  @IsIn(SUB_GOAL_STATUSES)
  status?: SubGoalStatus;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description?: string;
}

/** Progression on a sub-goal: a level 0–4 and what was seen, on a day (default today; never in the future). */
export class CreateProgressDto {
  @ApiProperty({ minimum: 0, maximum: 4 })
  @IsInt()
  @Min(0)
  @Max(4)
  level: number;

  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  text: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-03-01' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'recordedOn must be a date (YYYY-MM-DD)' })
  recordedOn?: string;
}

export class ProgressView {
  id: string;
  subGoalId: string;
  level: number;
  text: string;
  @ApiProperty({ format: 'date' })
  recordedOn: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  recordedBy: string | null;
  recordedAt: string;
}

export class SubGoalView {
  id: string;
  orderId: string;
  citizenId: string;
  institutionId: string;
  decisionId: string;
  goalOrdinal: number;
  description: string;
  @ApiProperty({ nullable: true, type: Number })
  targetLevel: number | null;
  @ApiProperty({ enum: SUB_GOAL_STATUSES })
  status: SubGoalStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Send as If-Match to change the sub-goal. */
  version: number;
  /** Progress entries, oldest first. */
  progress: ProgressView[];
}

export class GoalWithSubGoalsView extends GoalView {
  /** The institution's delmål under this goal, with their progress. */
  subGoals: SubGoalView[];
}

/** The authority's view of a grant's goals and the institution's work on them (read-only). */
export class GrantGoalsView {
  grantId: string;
  citizenId: string;
  institutionId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  decisionId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  orderId: string | null;
  @ApiProperty({ nullable: true, type: String })
  servicePurpose: string | null;
  goals: GoalWithSubGoalsView[];
}
