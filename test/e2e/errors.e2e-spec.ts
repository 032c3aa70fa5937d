import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from 'src/platform/config/app-config';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { countRows, dbFingerprint } from 'test/support/db-fingerprint';
import { login, request, TestResponse } from 'test/support/http';
import { waitForLockWait } from 'test/support/locks';
import { expectProblem, LEAK, pointersOf } from 'test/support/problem';

/**
 * Errors and validation over HTTP: every failure is RFC 9457 problem+json naming what was wrong, a refused
 * request changes nothing, and no stack trace or SQL ever reaches the client.
 */
describe('errors and validation', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let areaId: string;
  let authorityId: string;

  /** A body the API accepts (checked once below), varied per test. */
  const validInstitution = (name: string) => ({
    name,
    institutionType: 'longTermHousing',
    operatingAreaId: areaId,
    capacity: 10,
    address: { street: 'Testvej 1', postalCode: '8800', city: 'Viborg' },
  });

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    admin = await login(app, 'admin', DEMO_PASSWORD);
    const areas = await request(app, 'GET', '/api/v1/operating-areas', { token: admin });
    areaId = areas.body.find((a: { name: string }) => a.name === 'Handicap').id;
    authorityId = (await request(app, 'GET', '/api/v1/authority', { token: admin })).body.id;
  });
  afterAll(() => app.close());

  /** Sends a refused request and proves that no table changed. */
  async function refusedWithoutEffect(send: () => Promise<TestResponse>): Promise<TestResponse> {
    const before = await dbFingerprint();
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await dbFingerprint()).toEqual(before);
    return res;
  }

  it('accepts the valid body the refusals below are variations of', async () => {
    const res = await request(app, 'POST', '/api/v1/institutions', {
      token: admin,
      body: validInstitution('Gyldigt Botilbud'),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Gyldigt Botilbud', capacity: 10, parentId: areaId });
  });

  describe('400 for a bad body, naming the field, changing nothing', () => {
    it('malformed JSON', async () => {
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          rawBody: '{"name": "Halvt Botilbud", ',
        }),
      );
      const problem = expectProblem(res, 400, 'malformedJson');
      expect(problem.detail).toMatch(/JSON/);
    });

    it('an empty body declared as JSON', async () => {
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          rawBody: '',
          headers: { 'content-type': 'application/json' },
        }),
      );
      expectProblem(res, 400, 'malformedJson');
    });

    it('an unknown field', async () => {
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          body: { ...validInstitution('Ukendt Felt'), budgetOere: 5 },
        }),
      );
      const problem = expectProblem(res, 400, 'validationFailed');
      expect(problem.errors).toEqual([{ pointer: '/budgetOere', reason: 'unknown field' }]);
      expect(await countRows('org_unit', 'name = $1', ['Ukendt Felt'])).toBe(0);
    });

    it('an unknown field inside a nested object', async () => {
      const body = validInstitution('Ukendt Adressefelt');
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          body: { ...body, address: { ...body.address, floor: 2 } },
        }),
      );
      expect(pointersOf(expectProblem(res, 400, 'validationFailed'))).toEqual(['/address/floor']);
    });

    it('a wrong type', async () => {
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          body: { ...validInstitution('Forkert Type'), capacity: 'ti' },
        }),
      );
      const problem = expectProblem(res, 400, 'validationFailed');
      expect(pointersOf(problem)).toEqual(['/capacity']);
      expect(problem.detail).toContain('/capacity');
      // The reason names the type expected, not some range rule that a string happens to fail too.
      expect(problem.errors[0].reason).toMatch(/integer/);
    });

    it('a wrong type inside a nested object', async () => {
      const body = validInstitution('Forkert Postnummer');
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          body: { ...body, address: { ...body.address, postalCode: 8800 } },
        }),
      );
      expect(pointersOf(expectProblem(res, 400, 'validationFailed'))).toEqual(['/address/postalCode']);
    });

    it('a missing field, said to be missing', async () => {
      const { name: _omitted, ...body } = validInstitution('x');
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', { token: admin, body }),
      );
      const problem = expectProblem(res, 400, 'validationFailed');
      expect(pointersOf(problem)).toEqual(['/name']);
      // The reason must say what is wrong (it is absent), not some other rule of the field.
      expect(problem.errors[0].reason).toMatch(/required|missing/i);
    });

    it('several bad fields at once: one pointer each', async () => {
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          body: { institutionType: 'castle', capacity: -1, operatingAreaId: 'not-a-uuid', colour: 'red' },
        }),
      );
      expect(pointersOf(expectProblem(res, 400, 'validationFailed'))).toEqual(
        ['/capacity', '/colour', '/institutionType', '/name', '/operatingAreaId'].sort(),
      );
    });

    it('a JSON value that is not an object', async () => {
      for (const rawBody of ['null', '42', '"text"']) {
        const res = await refusedWithoutEffect(() =>
          request(app, 'POST', '/api/v1/institutions', { token: admin, rawBody }),
        );
        expect(res.status).toBe(400);
        expectProblem(res, 400);
      }
    });

    it('a prototype-poisoning body', async () => {
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          rawBody: JSON.stringify(validInstitution('Forgiftet')).replace(
            /^\{/,
            '{"__proto__": {"admin": true}, ',
          ),
        }),
      );
      expectProblem(res, 400);
    });

    it('a deeply nested body is refused as a bad request, not a crash', async () => {
      const depth = 5000;
      const rawBody = `{"name": "Dyb", "address": ${'{"street":'.repeat(depth)}"x"${'}'.repeat(depth)}}`;
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', { token: admin, rawBody }),
      );
      const problem = expectProblem(res, 400);
      expect(problem.detail).toMatch(/deep|nest/i);
    });

    it('bad query parameters: a pointer each', async () => {
      const limit = expectProblem(
        await request(app, 'GET', '/api/v1/institutions?limit=0', { token: admin }),
        400,
        'validationFailed',
      );
      expect(pointersOf(limit)).toEqual(['/limit']);
      const unknown = expectProblem(
        await request(app, 'GET', '/api/v1/institutions?colour=red', { token: admin }),
        400,
        'validationFailed',
      );
      expect(pointersOf(unknown)).toEqual(['/colour']);
      const cursor = expectProblem(
        await request(app, 'GET', '/api/v1/institutions?cursor=forged', { token: admin }),
        400,
        'validationFailed',
      );
      expect(pointersOf(cursor)).toEqual(['/cursor']);
    });

    it('a path id that is not a UUID is 400 saying a UUID is expected', async () => {
      const problem = expectProblem(
        await request(app, 'GET', '/api/v1/institutions/42', { token: admin }),
        400,
      );
      expect(problem.detail).toMatch(/uuid/i);
    });
  });

  describe('body size and type', () => {
    it('a huge body is 413 and changes nothing', async () => {
      const limit = app.get(AppConfig).BODY_LIMIT_BYTES;
      const rawBody = JSON.stringify({ ...validInstitution('Kæmpe'), name: 'x'.repeat(limit + 1) });
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', { token: admin, rawBody }),
      );
      expectProblem(res, 413, 'payloadTooLarge');
    });

    it('a body just under the limit is read (and then judged on its content)', async () => {
      const limit = app.get(AppConfig).BODY_LIMIT_BYTES;
      const template = JSON.stringify({ ...validInstitution('Stor'), phone: '' });
      const rawBody = template.replace('"phone":""', `"phone":"${'1'.repeat(limit - template.length - 10)}"`);
      expect(rawBody.length).toBeLessThan(limit);
      const problem = expectProblem(
        await request(app, 'POST', '/api/v1/institutions', { token: admin, rawBody }),
        400,
        'validationFailed',
      );
      expect(pointersOf(problem)).toEqual(['/phone']);
    });

    it('a text/plain body is 415 and changes nothing', async () => {
      const res = await refusedWithoutEffect(() =>
        request(app, 'POST', '/api/v1/institutions', {
          token: admin,
          rawBody: JSON.stringify(validInstitution('Tekst')),
          headers: { 'content-type': 'text/plain' },
        }),
      );
      expectProblem(res, 415, 'unsupportedMediaType');
    });

    it('a form-encoded body is 415', async () => {
      const res = await request(app, 'POST', '/api/v1/institutions', {
        token: admin,
        rawBody: 'name=Form&institutionType=activityCentre',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(res, 415, 'unsupportedMediaType');
    });
  });

  describe('unknown routes', () => {
    it('are 404 problem+json, with or without credentials', async () => {
      expectProblem(await request(app, 'GET', '/api/v1/no-such-thing', { token: admin }), 404, 'notFound');
      expectProblem(await request(app, 'GET', '/api/v1/no-such-thing'), 404, 'notFound');
      expectProblem(await request(app, 'POST', '/api/v2/institutions', { body: {} }), 404, 'notFound');
    });

    it('an unknown object is 404 problem+json', async () => {
      const res = await request(app, 'GET', '/api/v1/institutions/00000000-0000-4000-8000-000000000000', {
        token: admin,
      });
      expect(expectProblem(res, 404, 'notFound').detail).toMatch(/institution/);
    });
  });

  describe('request ids', () => {
    it('keeps a sane X-Request-Id and echoes it in the header and the problem', async () => {
      const res = await request(app, 'GET', '/api/v1/no-such-thing', {
        headers: { 'x-request-id': 'trace-abc.123:9' },
      });
      expect(res.headers['x-request-id']).toBe('trace-abc.123:9');
      expect(expectProblem(res, 404).requestId).toBe('trace-abc.123:9');
    });

    it('echoes it on successful responses too', async () => {
      const res = await request(app, 'GET', '/api/v1/authority', {
        token: admin,
        headers: { 'x-request-id': 'ok-request-1' },
      });
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('ok-request-1');
    });

    it('replaces an unsafe or oversized one with a generated id', async () => {
      for (const given of ['<script>alert(1)</script>', 'a b', 'x'.repeat(129)]) {
        const res = await request(app, 'GET', '/api/v1/no-such-thing', {
          headers: { 'x-request-id': given },
        });
        const problem = expectProblem(res, 404);
        expect(problem.requestId).not.toBe(given);
        expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('generates distinct ids when none is given', async () => {
      const a = await request(app, 'GET', '/api/v1/no-such-thing');
      const b = await request(app, 'GET', '/api/v1/no-such-thing');
      expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });
  });

  describe('database constraint violations: clear messages, never SQL', () => {
    it('a duplicate username (any case) is 409 naming /username', async () => {
      const body = {
        username: 'ADMIN',
        displayName: 'Dublet',
        role: 'finance',
        orgUnitId: authorityId,
        password: 'long-enough-password',
      };
      const before = await countRows('app_user');
      const res = await request(app, 'POST', '/api/v1/users', { token: admin, body });
      const problem = expectProblem(res, 409, 'conflict');
      expect(problem.detail).toMatch(/username/i);
      expect(problem.errors).toEqual([{ pointer: '/username', reason: problem.detail }]);
      expect(await countRows('app_user')).toBe(before);
    });

    it('a duplicate municipality code is 409 naming /code', async () => {
      const existing = (await request(app, 'GET', '/api/v1/municipalities', { token: admin })).body[0];
      const res = await request(app, 'POST', '/api/v1/municipalities', {
        token: admin,
        body: { code: existing.code, name: 'Ny Kommune' },
      });
      expect(pointersOf(expectProblem(res, 409, 'conflict'))).toEqual(['/code']);
    });

    it("a row the database's own CHECK rejects is 422 with a clear message", async () => {
      // Nothing in the service checks an API key's role against its unit: the database trigger does.
      const res = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: {
          name: 'Forkert enhed',
          role: 'providerStaff',
          scopes: ['organisation:read'],
          orgUnitId: authorityId,
        },
      });
      const problem = expectProblem(res, 422, 'ruleViolated');
      expect(problem.detail).toMatch(/institution/);
      expect(pointersOf(problem)).toEqual(['/orgUnitId']);
      expect(await countRows('api_key')).toBe(0);
    });

    it('a unit still referred to cannot be deleted: 409, and it is still there', async () => {
      const list = await request(app, 'GET', '/api/v1/institutions?q=Bost%C3%B8tten%20Handicap', {
        token: admin,
      });
      const id = list.body.items[0].id as string;
      const problem = expectProblem(
        await request(app, 'DELETE', `/api/v1/institutions/${id}`, { token: admin }),
        409,
        'conflict',
      );
      expect(problem.detail).toMatch(/user/);
      expect((await request(app, 'GET', `/api/v1/institutions/${id}`, { token: admin })).status).toBe(200);
    });

    it('a foreign key broken by a concurrent delete (the service checked before it) is 422 naming the field', async () => {
      const unit = await request(app, 'POST', '/api/v1/institutions', {
        token: admin,
        body: validInstitution('Forsvinder Snart'),
      });
      expect(unit.status).toBe(201);
      const owner = await ownerClient();
      try {
        // Someone deletes the unit and has not committed yet: the service still sees it.
        await owner.query('BEGIN');
        await owner.query('DELETE FROM org_unit WHERE id = $1', [unit.body.id]);
        const creating = request(app, 'POST', '/api/v1/users', {
          token: admin,
          body: {
            username: 'for.sent',
            displayName: 'For Sent',
            role: 'providerStaff',
            orgUnitId: unit.body.id,
            password: 'long-enough-password',
          },
        });
        await waitForLockWait(owner);
        await owner.query('COMMIT');
        const problem = expectProblem(await creating, 422, 'ruleViolated');
        expect(pointersOf(problem)).toEqual(['/orgUnitId']);
        expect(problem.detail).toMatch(/does not exist/);
      } finally {
        await owner.end();
      }
      expect(await countRows('app_user', 'username = $1', ['for.sent'])).toBe(0);
    });

    it('a delete that a concurrent insert makes illegal (the service counted before it) is 409 saying why', async () => {
      const unit = await request(app, 'POST', '/api/v1/institutions', {
        token: admin,
        body: validInstitution('Får En Bruger'),
      });
      expect(unit.status).toBe(201);
      const owner = await ownerClient();
      try {
        // Someone adds a user to the unit and has not committed yet: the service counts no users.
        await owner.query('BEGIN');
        await owner.query(
          `INSERT INTO app_user (username, display_name, role, org_unit_id, password_hash, version)
           VALUES ('ny.bruger', 'Ny Bruger', 'providerStaff', $1, 'x', 1)`,
          [unit.body.id],
        );
        const deleting = request(app, 'DELETE', `/api/v1/institutions/${unit.body.id}`, { token: admin });
        await waitForLockWait(owner);
        await owner.query('COMMIT');
        const problem = expectProblem(await deleting, 409, 'conflict');
        expect(problem.detail).toMatch(/user/);
      } finally {
        await owner.end();
      }
      expect(
        (await request(app, 'GET', `/api/v1/institutions/${unit.body.id}`, { token: admin })).status,
      ).toBe(200);
    });

    it('no response of this suite leaked internals (checked on a spread of failures)', async () => {
      const failures = await Promise.all([
        request(app, 'POST', '/api/v1/institutions', { token: admin, rawBody: '{' }),
        request(app, 'POST', '/api/v1/users', { token: admin, body: { username: 'caseworker' } }),
        request(app, 'GET', '/api/v1/users/00000000-0000-4000-8000-000000000000', { token: admin }),
        request(app, 'PATCH', '/api/v1/institutions/00000000-0000-4000-8000-000000000000', {
          token: admin,
          body: {},
          headers: { 'if-match': '"1"' },
        }),
      ]);
      for (const res of failures) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.text).not.toMatch(LEAK);
      }
    });
  });
});
