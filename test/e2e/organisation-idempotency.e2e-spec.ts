import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { resetDatabase } from 'test/support/db';
import { countRows, dbFingerprint } from 'test/support/db-fingerprint';
import { login, request } from 'test/support/http';
import { expectProblem, pointersOf } from 'test/support/problem';

/** Idempotency-Key on POST /api/v1/institutions: a retried create has one effect and one answer. */
describe('idempotent creation', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let areaId: string;

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase();
    await seedDemo(app);
    admin = await login(app, 'admin', DEMO_PASSWORD);
    areaId = (await request(app, 'GET', '/api/v1/operating-areas', { token: admin })).body.find(
      (a: { name: string }) => a.name === 'Udsatte',
    ).id;
  });
  afterAll(() => app.close());

  const body = (name: string) => ({
    name,
    institutionType: 'homelessShelter',
    operatingAreaId: areaId,
    capacity: 12,
  });
  const create = (key: string, payload: unknown, token = admin) =>
    request(app, 'POST', '/api/v1/institutions', {
      token,
      body: payload,
      headers: { 'idempotency-key': key },
    });
  const rowsNamed = (name: string) => countRows('org_unit', 'name = $1', [name]);

  it('the same key and body: the original response again (201, same id, marked replayed), one row', async () => {
    const key = randomUUID();
    const first = await create(key, body('Herberget Nord'));
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const second = await create(key, body('Herberget Nord'));
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await rowsNamed('Herberget Nord')).toBe(1);
  });

  it('field order does not make a body different', async () => {
    const key = randomUUID();
    const first = await create(key, body('Herberget Syd'));
    const { name, institutionType, operatingAreaId, capacity } = body('Herberget Syd');
    const reordered = await create(key, { capacity, operatingAreaId, institutionType, name });
    expect(reordered.status).toBe(201);
    expect(reordered.body.id).toBe(first.body.id);
    expect(await rowsNamed('Herberget Syd')).toBe(1);
  });

  it('the same key with another body is 409 idempotencyKeyReused, and changes nothing', async () => {
    const key = randomUUID();
    expect((await create(key, body('Herberget Øst'))).status).toBe(201);
    const before = await dbFingerprint();
    const res = await create(key, body('Herberget Vest'));
    const problem = expectProblem(res, 409, 'idempotencyKeyReused');
    expect(pointersOf(problem)).toEqual(['#header/Idempotency-Key']);
    expect(await dbFingerprint()).toEqual(before);
    expect(await rowsNamed('Herberget Vest')).toBe(0);
  });

  it('the same key on another route is a different request (409)', async () => {
    const key = randomUUID();
    expect((await create(key, body('Herberget Midt'))).status).toBe(201);
    const res = await request(app, 'POST', '/api/v1/operating-areas', {
      token: admin,
      body: body('Herberget Midt'),
      headers: { 'idempotency-key': key },
    });
    expectProblem(res, 409, 'idempotencyKeyReused');
  });

  it('10 concurrent identical requests: exactly one institution, and all ten answers carry its id', async () => {
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => create(key, body('Herberget Samtidig'))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(results.map((r) => r.body.id as string));
    expect(ids.size).toBe(1);
    expect(await rowsNamed('Herberget Samtidig')).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    const [id] = [...ids];
    expect((await request(app, 'GET', `/api/v1/institutions/${id}`, { token: admin })).body.name).toBe(
      'Herberget Samtidig',
    );
  });

  it('a refused request does not use up its key: corrected, the retry is carried out', async () => {
    const key = randomUUID();
    const { capacity: _capacity, ...withoutCapacity } = body('Herberget Rettet');
    expectProblem(await create(key, withoutCapacity), 422, 'ruleViolated');
    expect(await countRows('idempotency_record')).toBe(0);
    const retry = await create(key, body('Herberget Rettet'));
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await rowsNamed('Herberget Rettet')).toBe(1);
  });

  it('keys belong to their caller: another user with the same key is not answered with my result', async () => {
    const authorityId = (await request(app, 'GET', '/api/v1/authority', { token: admin })).body.id;
    const other = await request(app, 'POST', '/api/v1/users', {
      token: admin,
      body: {
        username: 'admin2',
        displayName: 'Anden Admin',
        role: 'admin',
        orgUnitId: authorityId,
        password: 'long-enough-password',
      },
    });
    expect(other.status).toBe(201);
    const otherAdmin = await login(app, 'admin2', 'long-enough-password');
    const key = randomUUID();
    const mine = await create(key, body('Herberget A'));
    const theirs = await create(key, body('Herberget B'), otherAdmin);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('without a key, each request is its own: the second is a duplicate name (409)', async () => {
    expect(
      (
        await request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          body: body('Herberget Uden Nøgle'),
        })
      ).status,
    ).toBe(201);
    const again = await request(app, 'POST', '/api/v1/institutions', {
      token: admin,
      body: body('Herberget Uden Nøgle'),
    });
    expect(pointersOf(expectProblem(again, 409, 'conflict'))).toEqual(['/name']);
  });

  it('a malformed key is 400 naming the header, and changes nothing', async () => {
    const before = await dbFingerprint();
    for (const key of ['short', 'with spaces in it', 'x'.repeat(201)]) {
      const res = await create(key, body('Herberget Forkert Nøgle'));
      expect(pointersOf(expectProblem(res, 400, 'badRequest'))).toEqual(['#header/Idempotency-Key']);
    }
    expect(await dbFingerprint()).toEqual(before);
  });
});
