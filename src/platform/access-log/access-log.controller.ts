import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import {
  AccessLogEntryView,
  AccessLogPage,
  CitizenAccessExtract,
  ListAccessLogQuery,
} from 'src/platform/access-log/access-log.dto';
import { Policy } from 'src/platform/auth/policy.decorator';

interface Row {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_role: string;
  actor_org_unit_id: string | null;
  action: AccessLogEntryView['action'];
  object_type: string;
  object_id: string | null;
  citizen_id: string | null;
  criteria: Record<string, unknown> | null;
  purpose: string;
  request_id: string | null;
}

/** The access log (adgangslog) for the data-protection officer. */
@ApiTags('access-log')
@Controller('api/v1/access-log')
export class AccessLogController {
  constructor(private readonly dataSource: DataSource) {}

  /** Entries newest first, filtered by citizen, user, action and time. */
  @Get()
  @Policy({ roles: ['auditor'] })
  async list(@Query() q: ListAccessLogQuery): Promise<AccessLogPage> {
    const limit = q.limit ?? 100;
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM access_log
        WHERE ($1::uuid IS NULL OR citizen_id = $1) AND ($2::uuid IS NULL OR actor_user_id = $2)
          AND ($3::text IS NULL OR action = $3) AND ($4::timestamptz IS NULL OR occurred_at >= $4)
          AND ($5::timestamptz IS NULL OR occurred_at < $5) AND ($6::bigint IS NULL OR id < $6)
        ORDER BY id DESC LIMIT $7`,
      [q.citizenId ?? null, q.userId ?? null, q.action ?? null, q.from ?? null, q.to ?? null, q.cursor ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: Number(r.id),
        occurredAt: r.occurred_at.toISOString(),
        actorUserId: r.actor_user_id,
        actorApiKeyId: r.actor_api_key_id,
        actorRole: r.actor_role,
        actorOrgUnitId: r.actor_org_unit_id,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        citizenId: r.citizen_id,
        criteria: r.criteria,
        purpose: r.purpose,
        requestId: r.request_id,
      })),
      nextCursor: rows.length > limit ? Number(page[page.length - 1].id) : null,
    };
  }

  /**
   * A citizen's extract (indsigt i logning): the dates, actions and purposes of every access to their data
   * and the unit that made it, without the employees' names.
   */
  @Get('citizens/:citizenId/extract')
  @Policy({ roles: ['auditor'] })
  async extract(@Param('citizenId', new ParseUUIDPipe()) citizenId: string): Promise<CitizenAccessExtract> {
    const rows: { day: string; action: AccessLogEntryView['action']; purpose: string; org_unit_name: string | null }[] =
      await this.dataSource.query(
        `SELECT to_char(l.occurred_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD') AS day, l.action, l.purpose,
                o.name AS org_unit_name
           FROM access_log l LEFT JOIN org_unit o ON o.id = l.actor_org_unit_id
          WHERE l.citizen_id = $1
          GROUP BY 1, 2, 3, 4 ORDER BY 1 DESC, 2, 3`,
        [citizenId],
      );
    return {
      citizenId,
      lines: rows.map((r) => ({ date: r.day, action: r.action, purpose: r.purpose, orgUnitName: r.org_unit_name })),
    };
  }
}
