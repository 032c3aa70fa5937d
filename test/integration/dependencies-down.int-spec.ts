import { Queue } from 'bullmq';
import { Client } from 'pg';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase, workerDatabase } from 'test/support/db';
import { REDIS_URL, SERVER_URL } from 'test/support/env';
import {
  DIST,
  dropRedisPrefix,
  freePort,
  http,
  NodeProcess,
  sleep,
  startNode,
  stopAllProcesses,
  uniquePrefix,
  waitFor,
  waitForHttp,
} from 'test/support/processes';
import { TcpProxy } from 'test/support/tcp-proxy';
import { demoUnits, effectMismatches, outboxStatus, Units } from './outbox-helpers';

jest.setTimeout(60_000);

const PROBLEM_JSON = /^application\/problem\+json/;

describe('dependencies down', () => {
  let db: Client;
  let units: Units;
  const proxies: TcpProxy[] = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    await resetDatabase();
    const app = await createTestApp();
    try {
      await seedDemo(app);
    } finally {
      await app.close();
    }
    db = await ownerClient();
    units = await demoUnits(db);
  });
  afterEach(async () => {
    await stopAllProcesses();
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
    await Promise.all(prefixes.splice(0).map(dropRedisPrefix));
  });
  afterAll(() => db?.end());

  const portOf = (url: string) => Number(new URL(url).port || 0);

  async function startApi(env: Record<string, string>): Promise<{ api: NodeProcess; base: string }> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const api = await startNode(
      DIST.api,
      { DATABASE_URL: await workerDatabase(), PORT: String(port), HOST: '127.0.0.1', ...env },
      'api',
    );
    await waitForHttp(base, '/health/live', 200, 20_000, api);
    return { api, base };
  }

  async function login(base: string, username: string): Promise<string> {
    const res = await http(base, 'POST', '/api/v1/auth/token', {
      body: { username, password: DEMO_PASSWORD },
    });
    if (res.status !== 200) throw new Error(`log-in as ${username}: ${res.status} ${res.text}`);
    return res.body.accessToken as string;
  }

  const newUser = (label: string) => ({
    username: `${label}.${Date.now().toString(36)}.${Math.floor(Math.random() * 1e6)}`,
    displayName: `Test ${label}`,
    role: 'providerStaff',
    orgUnitId: units.bostoetten,
    externalSubject: `${label}-${Math.random()}`,
  });

  describe('Redis', () => {
    it('keeps serving reads and writes while Redis is down, says so in /health/ready, and drains the outbox when it returns', async () => {
      const redis = await TcpProxy.open(portOf(REDIS_URL) || 6379, new URL(REDIS_URL).hostname);
      proxies.push(redis);
      const prefix = uniquePrefix('redis-down');
      prefixes.push(prefix);
      const env = { REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: prefix };
      const { api, base } = await startApi(env);
      const worker = await startNode(DIST.worker, { DATABASE_URL: await workerDatabase(), ...env }, 'worker');
      await waitForHttp(base, '/health/ready', 200, 20_000, api);
      expect(redis.connections).toBeGreaterThan(0); // both processes really talk to Redis through the proxy
      const admin = await login(base, 'admin');
      const before = await outboxStatus(db);
      await waitFor('the seed events to be processed', async () => {
        const s = await outboxStatus(db);
        return s.unpublished === 0 && s.processed === s.events ? s : undefined;
      });

      await redis.stop();
      const downAt = Date.now();

      // /health/ready answers 503 and names Redis (and only Redis) as down.
      const ready = await waitFor('/health/ready to report Redis down', async () => {
        const res = await http(base, 'GET', '/health/ready', { timeoutMs: 5000 });
        return res.status === 503 ? res : undefined;
      });
      expect(ready.body.status).toBe('notReady');
      expect(ready.body.checks.redis.status).toBe('down');
      expect(ready.body.checks.database.status).toBe('up');
      expect(ready.headers['retry-after']).toBeDefined();
      expect(ready.ms).toBeLessThan(3000);

      // Reads, writes and log-ins through the API still work, and quickly.
      const list = await http(base, 'GET', '/api/v1/institutions', { token: admin, timeoutMs: 5000 });
      expect({ status: list.status, text: list.status === 200 ? '' : list.text }).toEqual({
        status: 200,
        text: '',
      });
      expect(list.ms).toBeLessThan(2000);
      const created: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await http(base, 'POST', '/api/v1/users', {
          token: admin,
          body: newUser('redisdown'),
          timeoutMs: 5000,
        });
        expect({ status: res.status, text: res.status === 201 ? '' : res.text }).toEqual({
          status: 201,
          text: '',
        });
        expect(res.ms).toBeLessThan(2000);
        created.push(res.body.id);
      }
      const relogin = await http(base, 'POST', '/api/v1/auth/token', {
        body: { username: 'finance', password: DEMO_PASSWORD },
        timeoutMs: 5000,
      });
      expect(relogin.status).toBe(200);
      const me = await http(base, 'GET', '/api/v1/me', { token: relogin.body.accessToken, timeoutMs: 5000 });
      expect(me.status).toBe(200);

      // The events wait in the outbox: the relay cannot reach Redis (so the test really cut it off).
      await sleep(1500);
      const during = await outboxStatus(db);
      expect(during.events).toBe(before.events + 3);
      expect(during.unpublished).toBe(3);
      const { rows: pending } = await db.query<{ id: string; publish_attempts: number }>(
        `SELECT id, publish_attempts FROM outbox WHERE published_at IS NULL ORDER BY id`,
      );
      expect(pending.every((r) => r.publish_attempts > 0)).toBe(true);
      console.log(
        `Redis down for ${Date.now() - downAt} ms: API answered, ${pending.length} events waited in the outbox`,
      );

      await redis.start();
      const upAt = Date.now();
      const drained = await waitFor(
        'the outbox to drain after Redis returned',
        async () => {
          const s = await outboxStatus(db);
          return s.unpublished === 0 && s.processed === s.events ? s : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      console.log(`outbox drained ${Date.now() - upAt} ms after Redis returned`);
      expect(drained).toMatchObject({
        events: before.events + 3,
        unpublished: 0,
        processed: before.events + 3,
        orphans: 0,
      });
      expect(await effectMismatches(db)).toEqual([]);
      for (const userId of created) {
        const notes = await db.query(`SELECT kind FROM notification WHERE recipient_user_id = $1`, [userId]);
        expect(notes.rows).toEqual([{ kind: 'accountCreated' }]);
      }
      await waitForHttp(base, '/health/ready', 200, 15_000, api);
      expect(api.exit).toBeUndefined();
      expect(worker.exit).toBeUndefined();
    });

    it('starts the API and the worker while Redis is down, and catches up (events, schedules) when it comes', async () => {
      const redis = await TcpProxy.open(portOf(REDIS_URL) || 6379, new URL(REDIS_URL).hostname);
      proxies.push(redis);
      await redis.stop();
      const prefix = uniquePrefix('redis-late');
      prefixes.push(prefix);
      const env = { REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: prefix };
      const { api, base } = await startApi(env);
      const worker = await startNode(DIST.worker, { DATABASE_URL: await workerDatabase(), ...env }, 'worker');
      await waitFor('the worker to report its heartbeat', async () =>
        (await db.query(`SELECT 1 FROM worker_heartbeat WHERE pid = $1`, [worker.pid])).rowCount
          ? true
          : undefined,
      );
      const admin = await login(base, 'admin');
      const created = await http(base, 'POST', '/api/v1/users', { token: admin, body: newUser('redislate') });
      expect(created.status).toBe(201);
      const ready = await http(base, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.redis.status).toBe('down');
      expect(ready.body.checks.worker.status).toBe('up');
      const { rows } = await db.query(
        `SELECT id FROM outbox WHERE payload->>'userId' = $1 AND published_at IS NULL`,
        [created.body.id],
      );
      expect(rows).toHaveLength(1);

      await redis.start();
      await waitFor(
        'the new user’s event to be processed',
        async () => {
          const r = await db.query(
            `SELECT 1 FROM notification WHERE recipient_user_id = $1 AND kind = 'accountCreated'`,
            [created.body.id],
          );
          return r.rowCount === 1 ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      await waitForHttp(base, '/health/ready', 200, 15_000, api);
      // The nightly access-log purge is scheduled even though Redis was down when the worker started.
      const maintenance = new Queue('maintenance', {
        connection: { url: REDIS_URL, maxRetriesPerRequest: null },
        prefix,
      });
      try {
        const schedulers = await waitFor(
          'the retention job to be scheduled',
          async () => {
            const list = await maintenance.getJobSchedulers();
            return list.length ? list : undefined;
          },
          { timeoutMs: 15_000, intervalMs: 200 },
        );
        expect(schedulers.map((s) => s.key ?? s.name)).toContain('access-log-retention');
      } finally {
        await maintenance.close();
      }
      expect(api.exit).toBeUndefined();
      expect(worker.exit).toBeUndefined();
    });
  });

  describe('Redis, at shutdown', () => {
    it.each([
      ['after it was reachable', true],
      ['having never reached it', false],
    ])(
      'stops the worker and the API on SIGTERM with code 0 within 10 s while Redis is down (%s)',
      async (_, reachable) => {
        const redis = await TcpProxy.open(portOf(REDIS_URL) || 6379, new URL(REDIS_URL).hostname);
        proxies.push(redis);
        if (!reachable) await redis.stop();
        const prefix = uniquePrefix('redis-stop');
        prefixes.push(prefix);
        const env = { REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: prefix };
        const { api, base } = await startApi(env);
        const worker = await startNode(
          DIST.worker,
          { DATABASE_URL: await workerDatabase(), ...env },
          'worker',
        );
        await waitFor('the worker to report its heartbeat', async () =>
          (await db.query(`SELECT 1 FROM worker_heartbeat WHERE pid = $1`, [worker.pid])).rowCount
            ? true
            : undefined,
        );
        if (reachable) {
          await waitForHttp(base, '/health/ready', 200, 20_000, api);
          await redis.stop();
        }
        // An event waits to be relayed, so the relay is busy trying when the signal comes.
        const admin = await login(base, 'admin');
        expect(
          (await http(base, 'POST', '/api/v1/users', { token: admin, body: newUser('redisstop') })).status,
        ).toBe(201);
        await sleep(300);
        const signalledAt = Date.now();
        worker.signal('SIGTERM');
        api.signal('SIGTERM');
        const [w, a] = await Promise.all([worker.exited, api.exited]);
        console.log(
          `Redis down (${_}): worker stopped in ${w.at - signalledAt} ms (code ${w.code}), API in ${a.at - signalledAt} ms (code ${a.code})`,
        );
        expect({ worker: w.code, api: a.code }).toEqual({ worker: 0, api: 0 });
        expect(w.at - signalledAt).toBeLessThan(10_000);
        expect(a.at - signalledAt).toBeLessThan(10_000);
      },
    );
  });

  describe('PostgreSQL', () => {
    it('answers 503 problem+json with Retry-After within 3 s while PostgreSQL is down, stays up, and recovers', async () => {
      const server = new URL(SERVER_URL);
      const pg = await TcpProxy.open(Number(server.port || 5432), server.hostname);
      proxies.push(pg);
      const prefix = uniquePrefix('pg-down');
      prefixes.push(prefix);
      const url = new URL(await workerDatabase());
      url.port = String(pg.port);
      url.hostname = '127.0.0.1';
      const { api, base } = await startApi({ DATABASE_URL: url.toString(), REDIS_PREFIX: prefix });
      const worker = await startNode(
        DIST.worker,
        { DATABASE_URL: url.toString(), REDIS_PREFIX: prefix },
        'worker',
      );
      await waitFor('the worker to report its heartbeat', async () =>
        (await db.query(`SELECT 1 FROM worker_heartbeat WHERE pid = $1`, [worker.pid])).rowCount
          ? true
          : undefined,
      );
      const admin = await login(base, 'admin');
      expect((await http(base, 'GET', '/api/v1/institutions', { token: admin })).status).toBe(200);
      expect(pg.connections).toBeGreaterThan(0);

      await pg.stop();
      const downAt = Date.now();

      const timings: number[] = [];
      const check503 = async (method: string, path: string, options: Parameters<typeof http>[3] = {}) => {
        const res = await http(base, method, path, { timeoutMs: 10_000, ...options });
        timings.push(res.ms);
        expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
          path,
          status: 503,
          type: expect.stringMatching(PROBLEM_JSON),
        });
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.body).toMatchObject({
          status: 503,
          code: 'dependencyUnavailable',
          type: expect.any(String),
          title: expect.any(String),
        });
        expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres|at .*\.js/i);
        expect(res.ms).toBeLessThan(3000);
        return res;
      };
      // The first requests meet pooled connections that were just cut, later ones find nothing to connect to.
      await check503('GET', '/api/v1/institutions', { token: admin });
      await check503('GET', '/api/v1/users', { token: admin });
      await check503('POST', '/api/v1/users', { token: admin, body: newUser('pgdown') });
      await check503('POST', '/api/v1/auth/token', {
        body: { username: 'caseworker', password: DEMO_PASSWORD },
      });
      await Promise.all(
        Array.from({ length: 15 }, () => check503('GET', '/api/v1/institutions', { token: admin })),
      );
      // Still down a few seconds later (pool idle timeouts, reconnect attempts): still 503, still quick.
      await sleep(2500);
      await Promise.all(Array.from({ length: 5 }, () => check503('GET', '/api/v1/me', { token: admin })));

      const live = await http(base, 'GET', '/health/live');
      expect(live.status).toBe(200);
      const ready = await http(base, 'GET', '/health/ready', { timeoutMs: 10_000 });
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database.status).toBe('down');
      expect(ready.ms).toBeLessThan(3000);
      expect(api.exit).toBeUndefined(); // the processes stay up
      expect(worker.exit).toBeUndefined();
      console.log(
        `PostgreSQL down ${Date.now() - downAt} ms: ${timings.length} requests answered 503, ` +
          `slowest ${Math.max(...timings)} ms, median ${timings.sort((a, b) => a - b)[Math.floor(timings.length / 2)]} ms`,
      );

      await pg.start();
      const upAt = Date.now();
      const back = await waitFor(
        'requests to succeed after PostgreSQL returned',
        async () => {
          const res = await http(base, 'GET', '/api/v1/institutions', { token: admin, timeoutMs: 5000 });
          return res.status === 200 ? res : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      console.log(`PostgreSQL back: first success ${Date.now() - upAt} ms after it returned`);
      expect(back.body.items?.length ?? back.body.length).toBeGreaterThan(0);
      const created = await http(base, 'POST', '/api/v1/users', { token: admin, body: newUser('pgback') });
      expect(created.status).toBe(201);
      // The worker came back too: the new user's event is relayed and handled.
      await waitFor(
        'the worker to process an event after PostgreSQL returned',
        async () => {
          const r = await db.query(
            `SELECT 1 FROM notification WHERE recipient_user_id = $1 AND kind = 'accountCreated'`,
            [created.body.id],
          );
          return r.rowCount === 1 ? true : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      expect(
        (
          await http(base, 'POST', '/api/v1/auth/token', {
            body: { username: 'caseworker', password: DEMO_PASSWORD },
          })
        ).status,
      ).toBe(200);
      await waitForHttp(base, '/health/ready', 200, 15_000, api);
      expect(api.exit).toBeUndefined();
      expect(worker.exit).toBeUndefined();
    });
  });
});
