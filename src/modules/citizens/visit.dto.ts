import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { VISIT_STATUSES, VisitStatus } from 'src/modules/citizens/citizens.constants';
import { PageQuery } from 'src/platform/http/pagination';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A planned besøg. */
export class CreateVisitDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00+01:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'startsAt must be a date-time with offset' })
  startsAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T11:00:00+01:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'endsAt must be a date-time with offset' })
  endsAt: string;

  /** Where: the citizen's home, the office, ... */
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  place: string;

  /** Who takes part besides the caseworker, e.g. "borgeren", "mor (pårørende)". */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  participants?: string[];

  /** The caseworker who holds the visit; defaults to you. */
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'caseworkerId must be a UUID' })
  caseworkerId?: string;
}

/** Reschedule or change a planned visit; send If-Match. */
export class UpdateVisitDto extends PartialType(CreateVisitDto) {}

export class HoldVisitDto {
  /** What happened at the visit. */
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  notes?: string;
}

export class CancelVisitDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

/** The caseworker's calendar. */
export class CalendarQuery extends PageQuery {
  /** `me`, or a caseworker's user id. */
  @ApiPropertyOptional({ default: 'me', example: 'me' })
  @IsOptional()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'caseworker must be "me" or a user id' })
  caseworker?: string = 'me';

  /** From (inclusive): a date (the start of that day in Denmark) or a date-time with offset. */
  @ApiProperty({ example: '2026-12-01' })
  @Matches(DATE_OR_INSTANT, { message: 'from must be a date (YYYY-MM-DD) or a date-time with offset' })
  from: string;

  /** To: a date (inclusive: the whole day in Denmark) or a date-time with offset (exclusive). */
  @ApiProperty({ example: '2026-12-07' })
  @Matches(DATE_OR_INSTANT, { message: 'to must be a date (YYYY-MM-DD) or a date-time with offset' })
  to: string;

  @ApiPropertyOptional({ enum: VISIT_STATUSES })
  @IsOptional()
  @IsIn(VISIT_STATUSES)
  status?: VisitStatus;
}
