import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ownerClient, resetDatabase, workerDatabase } from 'test/support/db';
import {
  DIST,
  describeExit,
  dropRedisPrefix,
  startNode,
  stopAllProcesses,
  tail,
  uniquePrefix,
  waitFor,
} from 'test/support/processes';
import { CONSUMER, notificationsQueue } from './outbox-helpers';

jest.setTimeout(60_000);

/** The built worker (`node dist/src/worker.js`), as production and CI run it. */
describe('built worker smoke test', () => {
  let db: Client;
  const prefixes: string[] = [];

  beforeAll(async () => {
    await resetDatabase();
    db = await ownerClient();
  });
  afterEach(async () => {
    await stopAllProcesses();
    await Promise.all(prefixes.splice(0).map(dropRedisPrefix));
  });
  afterAll(() => db?.end());

  it('boots, processes one committed outbox event, and stops on SIGTERM with code 0', async () => {
    const prefix = uniquePrefix('smoke');
    prefixes.push(prefix);
    const worker = await startNode(
      DIST.worker,
      { DATABASE_URL: await workerDatabase(), REDIS_PREFIX: prefix },
      'worker',
    );
    const userId = randomUUID();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO outbox (type, payload) VALUES ('UserCreated', $1) RETURNING id`,
      [
        JSON.stringify({
          userId,
          username: 'smoke.user',
          role: 'caseworker',
          orgUnitId: randomUUID(),
          createdBy: null,
        }),
      ],
    );
    const eventId = Number(rows[0].id);
    const started = Date.now();

    await waitFor(
      'the worker to process the event',
      async () => {
        if (worker.exit)
          throw new Error(`worker exited (${describeExit(worker.exit)}):\n${tail(worker.output())}`);
        return (
          (
            await db.query(`SELECT 1 FROM processed_event WHERE consumer = $1 AND event_id = $2`, [
              CONSUMER,
              eventId,
            ])
          ).rowCount === 1
        );
      },
      { timeoutMs: 30_000 },
    );
    console.log(`worker smoke: event processed ${Date.now() - started} ms after commit (boot included)`);

    const notes = await db.query(
      `SELECT recipient_user_id, kind FROM notification WHERE source_event_id = $1`,
      [eventId],
    );
    expect(notes.rows).toEqual([{ recipient_user_id: userId, kind: 'accountCreated' }]);
    const outbox = await db.query(`SELECT published_at FROM outbox WHERE id = $1`, [eventId]);
    expect(outbox.rows[0].published_at).toBeInstanceOf(Date);
    const heartbeat = await db.query(`SELECT pid FROM worker_heartbeat WHERE pid = $1`, [worker.pid]);
    expect(heartbeat.rowCount).toBe(1);

    const queue = notificationsQueue(prefix);
    try {
      expect(await queue.getJobState(`outbox-${eventId}`)).toBe('completed');
    } finally {
      await queue.close();
    }

    const stopAt = Date.now();
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    console.log(`worker smoke: stopped in ${exit.at - stopAt} ms (${describeExit(exit)})`);
    expect(exit.at - stopAt).toBeLessThan(10_000);
    expect(exit).toMatchObject({ code: 0, signal: null });
    // A clean stop removes its heartbeat, so readiness does not count a stopped worker as alive.
    expect((await db.query(`SELECT 1 FROM worker_heartbeat WHERE pid = $1`, [worker.pid])).rowCount).toBe(0);
  });

  it('the CI script (dist/src/scripts/worker-smoke.js) passes', async () => {
    const script = await startNode(
      DIST.workerSmoke,
      { DATABASE_URL: await workerDatabase() },
      'worker-smoke',
    );
    // The script queues under its own prefix, `bumsmoke-<its pid>`: clean that up too.
    prefixes.push(`bumsmoke-${script.pid}`);
    const exit = await script.exited;
    expect({ exit, output: tail(script.output()) }).toMatchObject({ exit: { code: 0, signal: null } });
    expect(script.output()).toMatch(/worker processed outbox event \d+/);
    expect(script.output()).toMatch(/worker stopped \(code 0\)/);
  });
});
