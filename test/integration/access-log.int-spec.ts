import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TransactionHost } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { AccessLogRetentionJob } from 'src/platform/access-log/access-log-retention.job';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { ConsumerRegistry } from 'src/platform/queue/consumers';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';

describe('access log', () => {
  let app: NestFastifyApplication;
  let caseworker: Principal;
  let auditorToken: string;

  beforeAll(async () => {
    app = await createTestApp({ extra: { providers: [ConsumerRegistry, AccessLogRetentionJob] } });
  });
  afterAll(() => app.close());

  beforeEach(async () => {
    await resetDatabase();
    await seedDemo(app);
    auditorToken = await login(app, 'auditor', DEMO_PASSWORD);
    const token = await login(app, 'caseworker', DEMO_PASSWORD);
    const me = await request(app, 'GET', '/api/v1/me', { token });
    caseworker = { kind: 'user', id: me.body.id, name: 'caseworker', role: 'caseworker', orgUnitId: me.body.orgUnitId, institutionId: null, scopes: [] };
  });

  /** Runs fn in a request-like context and a transaction, as a service method would. */
  const inTransaction = <T>(fn: () => Promise<T>) =>
    app.get(ClsService).run(() => app.get(TransactionHost).withTransaction(fn));

  const count = async () => {
    const db = await ownerClient();
    try {
      return (await db.query('SELECT count(*)::int AS n FROM access_log')).rows[0].n as number;
    } finally {
      await db.end();
    }
  };

  it('commits with the access it describes and vanishes with a rolled-back one', async () => {
    const log = app.get(AccessLogService);
    const citizenId = randomUUID();
    await inTransaction(() => log.record(caseworker, { action: 'read', objectType: 'citizen', objectId: citizenId, citizenId, purpose: 'visitation' }));
    expect(await count()).toBe(1);
    await expect(
      inTransaction(async () => {
        await log.record(caseworker, { action: 'read', objectType: 'citizen', citizenId, purpose: 'visitation' });
        throw new Error('the read failed after logging');
      }),
    ).rejects.toThrow('the read failed after logging');
    expect(await count()).toBe(1);
  });

  it('refuses to log outside a transaction, so a read can never go unlogged silently', async () => {
    const log = app.get(AccessLogService);
    await expect(
      app.get(ClsService).run(() => log.record(caseworker, { action: 'read', objectType: 'citizen', citizenId: randomUUID(), purpose: 'x' })),
    ).rejects.toThrow(/outside a transaction/);
  });

  it('is append-only for the application role', async () => {
    const log = app.get(AccessLogService);
    await inTransaction(() => log.record(caseworker, { action: 'search', objectType: 'citizen', criteria: { name: 'Jensen' }, purpose: 'inquiry' }));
    const ds = app.get(DataSource);
    await expect(ds.query(`UPDATE access_log SET purpose = 'tampered'`)).rejects.toMatchObject({ driverError: { code: '42501' } });
    await expect(ds.query(`DELETE FROM access_log`)).rejects.toMatchObject({ driverError: { code: '42501' } });
    await expect(ds.query(`TRUNCATE access_log`)).rejects.toMatchObject({ driverError: { code: '42501' } });
    expect(await count()).toBe(1);
  });

  it('lets the auditor filter it, and nobody else read it', async () => {
    const log = app.get(AccessLogService);
    const a = randomUUID();
    const b = randomUUID();
    await inTransaction(() =>
      log.record(
        caseworker,
        { action: 'read', objectType: 'citizen', citizenId: a, purpose: 'visitation' },
        { action: 'update', objectType: 'case', citizenId: a, purpose: 'casework' },
        { action: 'read', objectType: 'citizen', citizenId: b, purpose: 'visitation' },
      ),
    );
    const all = await request(app, 'GET', '/api/v1/access-log', { token: auditorToken });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(3);
    const forA = await request(app, 'GET', `/api/v1/access-log?citizenId=${a}`, { token: auditorToken });
    expect(forA.body.items.map((i: { citizenId: string }) => i.citizenId)).toEqual([a, a]);
    const reads = await request(app, 'GET', `/api/v1/access-log?action=read&limit=1`, { token: auditorToken });
    expect(reads.body.items).toHaveLength(1);
    const next = await request(app, 'GET', `/api/v1/access-log?action=read&limit=1&cursor=${reads.body.nextCursor}`, { token: auditorToken });
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].id).not.toBe(reads.body.items[0].id);
    expect(next.body.nextCursor).toBeNull();
    expect(all.body.items[0]).toMatchObject({ actorUserId: caseworker.id, actorRole: 'caseworker', actorOrgUnitId: caseworker.orgUnitId });

    const caseworkerToken = await login(app, 'caseworker', DEMO_PASSWORD);
    expect((await request(app, 'GET', '/api/v1/access-log', { token: caseworkerToken })).status).toBe(403);
    const bad = await request(app, 'GET', '/api/v1/access-log?citizenId=nope', { token: auditorToken });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/citizenId');
  });

  it("gives a citizen's extract with dates, purposes and units but no employees", async () => {
    const log = app.get(AccessLogService);
    const citizenId = randomUUID();
    await inTransaction(() =>
      log.record(caseworker, { action: 'read', objectType: 'citizen', citizenId, purpose: 'visitation' }, { action: 'read', objectType: 'citizen', citizenId, purpose: 'visitation' }),
    );
    const res = await request(app, 'GET', `/api/v1/access-log/citizens/${citizenId}/extract`, { token: auditorToken });
    expect(res.status).toBe(200);
    expect(res.body.lines).toHaveLength(1); // the same day, action and purpose once
    const authority = await request(app, 'GET', '/api/v1/authority', { token: auditorToken });
    expect(res.body.lines[0]).toEqual({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), action: 'read', purpose: 'visitation', orgUnitName: authority.body.name });
    expect(res.text).not.toContain(caseworker.id);
    expect(res.text).not.toContain('caseworker');
  });

  it('purges entries older than the retention and keeps the rest', async () => {
    const log = app.get(AccessLogService);
    await inTransaction(() =>
      log.record(caseworker, ...[1, 2, 3].map(() => ({ action: 'read' as const, objectType: 'citizen', citizenId: randomUUID(), purpose: 'visitation' }))),
    );
    const db = await ownerClient();
    try {
      // Age two of them: one just past six months, one just inside.
      const { rows } = await db.query<{ id: string }>('SELECT id FROM access_log ORDER BY id');
      await db.query(`UPDATE access_log SET occurred_at = now() - interval '6 months 1 day' WHERE id = $1`, [rows[0].id]);
      await db.query(`UPDATE access_log SET occurred_at = now() - interval '6 months' + interval '1 day' WHERE id = $1`, [rows[1].id]);
      const result = await app.get(AccessLogRetentionJob).purge();
      expect(result.purged).toBe(1);
      const left = await db.query<{ id: string }>('SELECT id FROM access_log ORDER BY id');
      expect(left.rows.map((r) => r.id)).toEqual([rows[1].id, rows[2].id]);
    } finally {
      await db.end();
    }
  });
});
