import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { UserService } from 'src/modules/organisation/user.service';
import { createTestApp, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase, workerDatabase } from 'test/support/db';
import {
  DIST,
  describeExit,
  dropRedisPrefix,
  NodeProcess,
  sleep,
  startNode,
  stopAllProcesses,
  tail,
  uniquePrefix,
  waitFor,
} from 'test/support/processes';
import {
  CONSUMER,
  createUsers,
  demoUnits,
  effectMismatches,
  notificationsQueue,
  outboxStatus,
  Units,
} from './outbox-helpers';

jest.setTimeout(60_000);

describe('outbox → BullMQ → consumer', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let units: Units;
  const prefixes: string[] = [];

  const newPrefix = (label: string) => {
    const prefix = uniquePrefix(label);
    prefixes.push(prefix);
    return prefix;
  };

  beforeAll(async () => {
    app = await createTestApp();
    db = await ownerClient();
  });
  beforeEach(async () => {
    await resetDatabase();
    await seedDemo(app);
    units = await demoUnits(db);
  });
  afterEach(async () => {
    await stopAllProcesses();
    await Promise.all(prefixes.splice(0).map(dropRedisPrefix));
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  /**
   * The built worker as a child process. (An in-process worker would share nestjs-cls's static
   * TransactionHost with the in-process API, whose @Transactional() methods then use the worker's DataSource.)
   */
  const startWorker = async (prefix: string, name = 'worker', env: Record<string, string> = {}) =>
    await startNode(
      DIST.worker,
      { DATABASE_URL: await workerDatabase(), REDIS_PREFIX: prefix, ...env },
      name,
    );

  const allProcessed = (timeoutMs = 30_000, proc?: NodeProcess) =>
    waitFor(
      'every outbox event to be published and processed',
      async () => {
        if (proc?.exit)
          throw new Error(`${proc.name} exited (${describeExit(proc.exit)}):\n${tail(proc.output())}`);
        const s = await outboxStatus(db);
        return s.unpublished === 0 && s.processed === s.events && s.events > 0 ? s : undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );

  it('never publishes an event of a rolled-back transaction, and processes a committed one exactly once', async () => {
    const cls = app.get(ClsService);
    const tx = app.get<TransactionHost<TransactionalAdapterTypeOrm>>(TransactionHost);
    const users = app.get(UserService);
    let rolledBackEventId = 0;
    await expect(
      cls.run(() =>
        tx.withTransaction(async () => {
          await users.create(null, {
            username: 'rolled.back',
            displayName: 'Rolled Back',
            role: 'providerStaff',
            orgUnitId: units.bostoetten,
            externalSubject: 'rb',
          });
          // The id the outbox row got inside the transaction (its sequence value survives the rollback).
          const [row]: { id: string }[] = await tx.tx.query(
            `SELECT currval(pg_get_serial_sequence('outbox', 'id'))::text AS id`,
          );
          rolledBackEventId = Number(row.id);
          throw new Error('the business transaction fails after writing its event');
        }),
      ),
    ).rejects.toThrow('the business transaction fails');
    expect(rolledBackEventId).toBeGreaterThan(0);
    const committed = await cls.run(() =>
      users.create(null, {
        username: 'committed.user',
        displayName: 'Committed',
        role: 'providerStaff',
        orgUnitId: units.bostoetten,
        externalSubject: 'cu',
      }),
    );
    const { rows: events } = await db.query<{ id: string; payload: { userId: string; username: string } }>(
      `SELECT id, payload FROM outbox WHERE type = 'UserCreated' ORDER BY id`,
    );
    expect(events.map((e) => e.payload.username)).toEqual(expect.arrayContaining(['committed.user']));
    expect(events.map((e) => e.payload.username)).not.toContain('rolled.back');
    const committedEventId = Number(events.find((e) => e.payload.userId === committed.id)!.id);
    expect(committedEventId).toBeGreaterThan(rolledBackEventId);

    const prefix = newPrefix('outbox-rb');
    const worker = await startWorker(prefix);
    const status = await allProcessed(30_000, worker);
    expect(status).toEqual({ events: events.length, unpublished: 0, processed: events.length, orphans: 0 });
    // Give the relay a few more polls: nothing else may ever appear.
    await sleep(500);
    expect(await outboxStatus(db)).toEqual(status);

    // BullMQ received exactly the committed events, once each, and never the rolled-back one.
    const queue = notificationsQueue(prefix);
    try {
      const jobs = await queue.getJobs([
        'completed',
        'failed',
        'active',
        'wait',
        'delayed',
        'prioritized',
        'waiting-children',
      ]);
      expect(jobs.map((j) => j.id).sort()).toEqual(events.map((e) => `outbox-${e.id}`).sort());
      expect(await queue.getJob(`outbox-${rolledBackEventId}`)).toBeUndefined();
      expect(await queue.getJobState(`outbox-${committedEventId}`)).toBe('completed');
      expect(await queue.getFailedCount()).toBe(0);
    } finally {
      await queue.close();
    }

    // The committed event: the welcome and one note to the unit's manager; the rolled-back one: nothing.
    const notes = await db.query(
      `SELECT kind, recipient_user_id FROM notification WHERE source_event_id = $1 ORDER BY kind`,
      [committedEventId],
    );
    expect(notes.rows.map((r) => r.kind)).toEqual(['accountCreated', 'colleagueAdded']);
    expect(notes.rows[0].recipient_user_id).toBe(committed.id);
    expect(
      (await db.query(`SELECT 1 FROM notification WHERE source_event_id = $1`, [rolledBackEventId])).rowCount,
    ).toBe(0);
    expect(
      (await db.query(`SELECT 1 FROM processed_event WHERE event_id = $1`, [rolledBackEventId])).rowCount,
    ).toBe(0);
    expect(await effectMismatches(db)).toEqual([]);
  });

  it('has one effect per event when BullMQ delivers it again or the relay republishes it', async () => {
    const prefix = newPrefix('outbox-dup');
    const worker = await startWorker(prefix);
    await allProcessed(30_000, worker);
    const { rows } = await db.query<{ id: string; processed_at: Date }>(
      `SELECT o.id, p.processed_at FROM outbox o JOIN processed_event p ON p.event_id = o.id AND p.consumer = $1 ORDER BY o.id LIMIT 1`,
      [CONSUMER],
    );
    const eventId = Number(rows[0].id);
    const notificationsBefore = (await db.query(`SELECT count(*)::int AS n FROM notification`)).rows[0]
      .n as number;
    const queue = notificationsQueue(prefix);
    try {
      const original = (await queue.getJob(`outbox-${eventId}`))!;
      expect(original).toBeDefined();
      const finishedOn = original.finishedOn;

      // At-least-once delivery: the same event arrives again as another job (e.g. after a stalled job).
      const again = await queue.add(original.name, original.data, { jobId: `redelivery-${eventId}` });
      await waitFor('the redelivered job to finish', async () =>
        (await queue.getJobState(again.id!)) === 'completed' ? true : undefined,
      );

      // The relay died after BullMQ accepted the job but before it marked the row published: it publishes again.
      await db.query(`UPDATE outbox SET published_at = NULL WHERE id = $1`, [eventId]);
      await waitFor('the row to be republished', async () =>
        (await db.query(`SELECT 1 FROM outbox WHERE id = $1 AND published_at IS NOT NULL`, [eventId]))
          .rowCount === 1
          ? true
          : undefined,
      );
      await sleep(300);
      // BullMQ kept the completed job under its id, so the republished one was ignored, not run again.
      expect((await queue.getJob(`outbox-${eventId}`))!.finishedOn).toBe(finishedOn);
      expect(await queue.getFailedCount()).toBe(0);
    } finally {
      await queue.close();
    }
    const processed = await db.query(
      `SELECT processed_at FROM processed_event WHERE consumer = $1 AND event_id = $2`,
      [CONSUMER, eventId],
    );
    expect(processed.rows).toEqual([{ processed_at: rows[0].processed_at }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM notification`)).rows[0].n).toBe(
      notificationsBefore,
    );
    expect(await effectMismatches(db)).toEqual([]);
  });

  it('processes every committed event exactly once although the worker process is killed (SIGKILL) mid-job', async () => {
    const total = 300;
    await createUsers(app, units, total, 'kill');
    const { events } = await outboxStatus(db);
    expect(events).toBe(total + 7); // the 300 and the 7 demo users of the seed
    const { rows: ids } = await db.query<{ id: string }>(`SELECT id FROM outbox WHERE type = 'UserCreated' ORDER BY id`);

    // Hold one event's de-duplication row in an open transaction: the worker's consumer blocks on it, so the
    // worker is provably inside a job (with its own transaction open) when it is killed.
    const blockedEventId = Number(ids[20].id);
    const blocker = await ownerClient();
    await blocker.query('BEGIN');
    await blocker.query(`INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2)`, [
      CONSUMER,
      blockedEventId,
    ]);

    const prefix = newPrefix('outbox-kill');
    const env = { WORKER_LOCK_DURATION_MS: '2000' };
    try {
      const first = await startWorker(prefix, 'worker#1', env);
      const atKill = await waitFor(
        'worker #1 to be inside the blocked job with events still unprocessed',
        async () => {
          if (first.exit)
            throw new Error(`worker #1 exited (${describeExit(first.exit)}):\n${tail(first.output())}`);
          const waiting = await db.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'bum'
                AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO processed_event%'`,
          );
          if (!waiting.rowCount) return undefined;
          const s = await outboxStatus(db);
          return s.processed > 0 && s.processed < total ? s : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 10 },
      );
      first.signal('SIGKILL');
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
      console.log(
        `SIGKILL with ${atKill.processed}/${atKill.events} events processed, ${atKill.unpublished} unpublished`,
      );
      await blocker.query('ROLLBACK');

      const queue = notificationsQueue(prefix);
      try {
        // The killed worker left jobs locked in "active"; they are retried only after their lock expires.
        expect(await queue.getActiveCount()).toBeGreaterThan(0);
      } finally {
        await queue.close();
      }
      const before = await outboxStatus(db);
      expect(before.processed).toBeLessThan(before.events);

      const restartedAt = Date.now();
      const second = await startWorker(prefix, 'worker#2', env);
      const done = await allProcessed(40_000, second);
      console.log(
        `restarted worker finished the remaining ${done.events - before.processed} events in ${Date.now() - restartedAt} ms`,
      );
      expect(done).toEqual({ events: total + 7, unpublished: 0, processed: total + 7, orphans: 0 });
      await sleep(500);
      expect(await outboxStatus(db)).toEqual(done);
      // Every event: exactly one processed_event row and exactly its notifications.
      expect(await effectMismatches(db)).toEqual([]);
      const expected = (
        await db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'orgUnitId' = $1`, [
          units.bostoetten,
        ])
      ).rows[0].n as number;
      const notifications = (await db.query(`SELECT count(*)::int AS n FROM notification`)).rows[0]
        .n as number;
      // One welcome per event, plus one note to the Bostøtten manager per other new user in that unit.
      expect(notifications).toBe(total + 7 + expected - 1);
      const check = notificationsQueue(prefix);
      try {
        expect(await check.getFailedCount()).toBe(0);
        const states = await Promise.all(ids.map((r) => check.getJobState(`outbox-${r.id}`)));
        expect(new Set(states)).toEqual(new Set(['completed']));
      } finally {
        await check.close();
      }
      expect(second.exit).toBeUndefined();
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });

  it('still has exactly one effect per event after repeated SIGKILLs at arbitrary moments (relay and consumers)', async () => {
    const total = 300;
    const prefix = newPrefix('outbox-kills');
    const env = { WORKER_LOCK_DURATION_MS: '2000' };
    const kills: string[] = [];
    // Events keep arriving while workers die: some kills hit the relay mid-batch, others consumers mid-job.
    const producing = createUsers(app, units, total, 'kills', { batchSize: 5, pauseMs: 40 });
    for (const share of [0.2, 0.45, 0.7]) {
      const worker = await startWorker(prefix, `worker@${share}`, env);
      await waitFor(
        `${share * 100} % of the events to be processed`,
        async () => {
          if (worker.exit)
            throw new Error(
              `${worker.name} exited (${describeExit(worker.exit)}):\n${tail(worker.output())}`,
            );
          const s = await outboxStatus(db);
          return s.processed >= Math.round((total + 7) * share) ? s : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 10 },
      );
      worker.signal('SIGKILL');
      await worker.exited;
      const s = await outboxStatus(db);
      kills.push(`${s.processed}/${s.events} processed, ${s.unpublished} unpublished`);
    }
    await producing;
    const last = await startWorker(prefix, 'worker@end', env);
    const done = await allProcessed(40_000, last);
    console.log(`SIGKILLs at: ${kills.join('; ')}`);
    expect(done).toEqual({ events: total + 7, unpublished: 0, processed: total + 7, orphans: 0 });
    expect(await effectMismatches(db)).toEqual([]);
    const queue = notificationsQueue(prefix);
    try {
      expect(await queue.getFailedCount()).toBe(0);
    } finally {
      await queue.close();
    }
  });
});
