import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ACCESS_ACTIONS, AccessAction } from 'src/platform/access-log/access-log-entry.entity';

export class ListAccessLogQuery {
  /** Only entries about this citizen. */
  @IsOptional()
  @IsUUID()
  citizenId?: string;

  /** Only entries by this user. */
  @IsOptional()
  @IsUUID()
  userId?: string;

  @IsOptional()
  @IsIn(ACCESS_ACTIONS)
  action?: AccessAction;

  /** From this instant (inclusive), ISO 8601. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Up to this instant (exclusive), ISO 8601. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number = 100;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  cursor?: number;
}

export class AccessLogEntryView {
  id: number;
  occurredAt: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorRole: string;
  actorOrgUnitId: string | null;
  @ApiProperty({ enum: ACCESS_ACTIONS })
  action: AccessAction;
  objectType: string;
  objectId: string | null;
  citizenId: string | null;
  criteria: Record<string, unknown> | null;
  purpose: string;
  requestId: string | null;
}

export class AccessLogPage {
  items: AccessLogEntryView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: number | null;
}

/** One line of a citizen's extract (indsigt): when and why, without the employees' names. */
export class CitizenAccessExtractLine {
  date: string;
  @ApiProperty({ enum: ACCESS_ACTIONS })
  action: AccessAction;
  purpose: string;
  /** The organisational unit that accessed the data (e.g. Socialafdelingen), never a person. */
  orgUnitName: string | null;
}

export class CitizenAccessExtract {
  citizenId: string;
  lines: CitizenAccessExtractLine[];
}
