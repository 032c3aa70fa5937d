import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { UserService } from 'src/modules/organisation/user.service';
import { REDIS_URL } from 'test/support/env';

export const CONSUMER = 'notifications.user-created';

export interface Units {
  authority: string;
  /** Bostøtten Handicap: the demo institutionManager works here, so a new colleague notifies them. */
  bostoetten: string;
}

export async function demoUnits(db: Client): Promise<Units> {
  const { rows } = await db.query<{ id: string; kind: string; name: string }>(
    `SELECT id, kind, name FROM org_unit WHERE kind = 'authority' OR name = 'Bostøtten Handicap'`,
  );
  const authority = rows.find((r) => r.kind === 'authority')?.id;
  const bostoetten = rows.find((r) => r.name === 'Bostøtten Handicap')?.id;
  if (!authority || !bostoetten) throw new Error('the demo organisation is not seeded');
  return { authority, bostoetten };
}

/**
 * Creates users through the real UserService (each in its own transaction, as a request would), which
 * writes one UserCreated outbox row each. Every other user is providerStaff at Bostøtten Handicap (two
 * notifications: welcome + the manager), the rest caseworkers at the authority (one). No password: argon2
 * would make hundreds of users slow, and the event is the same.
 */
export async function createUsers(
  app: INestApplicationContext,
  units: Units,
  count: number,
  label: string,
  { batchSize = 20, pauseMs = 0 }: { batchSize?: number; pauseMs?: number } = {},
): Promise<string[]> {
  const users = app.get(UserService);
  const cls = app.get(ClsService);
  const ids: string[] = [];
  for (let start = 0; start < count; start += batchSize) {
    if (start && pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    const batch = Array.from({ length: Math.min(batchSize, count - start) }, (_, k) => start + k);
    const created = await Promise.all(
      batch.map((i) =>
        cls.run(() =>
          users.create(null, {
            username: `${label}.${i}`,
            displayName: `Test ${label} ${i}`,
            role: i % 2 ? 'providerStaff' : 'caseworker',
            orgUnitId: i % 2 ? units.bostoetten : units.authority,
            externalSubject: `${label}-${i}`,
          }),
        ),
      ),
    );
    ids.push(...created.map((u) => u.id));
  }
  return ids;
}

export interface OutboxStatus {
  events: number;
  unpublished: number;
  /** Events with a processed_event row of the consumer. */
  processed: number;
  /** processed_event rows that name no committed event (must never happen). */
  orphans: number;
}

export async function outboxStatus(db: Client): Promise<OutboxStatus> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM outbox WHERE type = 'UserCreated')::int AS events,
            (SELECT count(*) FROM outbox WHERE type = 'UserCreated' AND published_at IS NULL)::int AS unpublished,
            (SELECT count(*) FROM outbox o WHERE EXISTS
               (SELECT 1 FROM processed_event p WHERE p.consumer = $1 AND p.event_id = o.id))::int AS processed,
            (SELECT count(*) FROM processed_event p WHERE NOT EXISTS
               (SELECT 1 FROM outbox o WHERE o.id = p.event_id))::int AS orphans`,
    [CONSUMER],
  );
  return rows[0];
}

/**
 * What the UserCreated consumer must have produced, event by event: a welcome to the new user plus one
 * note to every active institution manager of the user's unit. Returns the events whose processed_event
 * rows or notifications differ from that (empty when every event had exactly its one effect).
 */
export async function effectMismatches(db: Client): Promise<unknown[]> {
  const { rows } = await db.query(
    `WITH expected AS (
       SELECT o.id,
              1 + (SELECT count(*) FROM app_user m
                    WHERE m.org_unit_id = (o.payload->>'orgUnitId')::uuid AND m.role = 'institutionManager'
                      AND m.active AND m.id <> (o.payload->>'userId')::uuid) AS notifications
         FROM outbox o WHERE o.type = 'UserCreated'),
     actual AS (
       SELECT e.id,
              (SELECT count(*) FROM processed_event p WHERE p.consumer = $1 AND p.event_id = e.id) AS processed,
              (SELECT count(*) FROM notification n WHERE n.source_event_id = e.id) AS notifications,
              (SELECT count(*) FROM notification n WHERE n.source_event_id = e.id AND n.kind = 'accountCreated'
                  AND n.recipient_user_id = (o.payload->>'userId')::uuid) AS welcomes
         FROM expected e JOIN outbox o ON o.id = e.id)
     SELECT e.id::int AS "eventId", e.notifications::int AS "expectedNotifications", a.notifications::int AS notifications,
            a.processed::int AS processed, a.welcomes::int AS welcomes
       FROM expected e JOIN actual a ON a.id = e.id
      WHERE a.processed <> 1 OR a.notifications <> e.notifications OR a.welcomes <> 1
      ORDER BY e.id`,
    [CONSUMER],
  );
  return rows;
}

/** The `notifications` queue of a prefix, as the test sees it in the real Redis. */
export function notificationsQueue(prefix: string): Queue {
  const queue = new Queue('notifications', {
    connection: { url: REDIS_URL, maxRetriesPerRequest: null },
    prefix,
  });
  queue.on('error', () => undefined);
  return queue;
}
