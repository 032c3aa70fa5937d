import { NestFastifyApplication } from '@nestjs/platform-fastify';
import jwt from 'jsonwebtoken';
import { AppConfig } from 'src/platform/config/app-config';
import { Clock } from 'src/platform/clock/clock';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';
import { hmacToken, unsignedToken } from 'test/support/tokens';

/** Bearer tokens of the built-in issuer, roles on routes, and object scope (out of scope is 404). */
describe('authentication and authorization', () => {
  let app: NestFastifyApplication;
  let config: AppConfig;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    config = app.get(AppConfig);
    admin = await login(app, 'admin', DEMO_PASSWORD);
    adminId = (await request(app, 'GET', '/api/v1/me', { token: admin })).body.id;
  });
  afterAll(() => app.close());
  afterEach(() => jest.restoreAllMocks());

  /** Claims as the built-in issuer makes them, for the admin, valid for a minute; override per test. */
  const claims = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: adminId,
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
      iat: now,
      exp: now + 60,
      ...overrides,
    };
  };
  const me = (token: string) => request(app, 'GET', '/api/v1/me', { token });

  describe('401 for missing or bad credentials', () => {
    it('a well-formed token of our own is accepted (the control for every case below)', async () => {
      const res = await me(jwt.sign(claims(), config.JWT_SECRET, { algorithm: 'HS256' }));
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(adminId);
    });

    it('no token', async () => {
      const res = await request(app, 'GET', '/api/v1/me');
      expectProblem(res, 401, 'unauthenticated');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('another scheme, or a bearer that is not a token', async () => {
      const basic = await request(app, 'GET', '/api/v1/me', {
        headers: { authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` },
      });
      expectProblem(basic, 401, 'unauthenticated');
      expectProblem(await me('not-a-jwt'), 401, 'unauthenticated');
      expectProblem(await me('bumk_not-a-real-key'), 401, 'unauthenticated');
    });

    it('a token anywhere but the Authorization header (RFC 6750 §2.1): a URL ends up in logs', async () => {
      const token = await login(app, 'caseworker', DEMO_PASSWORD);
      expect((await me(token)).status).toBe(200);
      expectProblem(await request(app, 'GET', `/api/v1/me?access_token=${token}`), 401, 'unauthenticated');
      const inBody = await request(app, 'POST', '/api/v1/me/password', {
        body: { access_token: token, currentPassword: DEMO_PASSWORD, newPassword: 'a-brand-new-password' },
      });
      expectProblem(inBody, 401, 'unauthenticated');
    });

    it('an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await me(
        jwt.sign(claims({ iat: now - 3600, exp: now - 60 }), config.JWT_SECRET, { algorithm: 'HS256' }),
      );
      expect(expectProblem(res, 401, 'unauthenticated').detail).toMatch(/expired/);
    });

    it('a token the API issued itself stops working when its lifetime has passed', async () => {
      const token = await login(app, 'caseworker', DEMO_PASSWORD);
      expect((await me(token)).status).toBe(200);
      const later = new Date(Date.now() + (config.JWT_TTL_SECONDS + 5) * 1000);
      jest.spyOn(app.get(Clock), 'now').mockReturnValue(later);
      expectProblem(await me(token), 401, 'unauthenticated');
    });

    it('a token signed with another secret', async () => {
      const res = await me(
        jwt.sign(claims(), 'someone-elses-secret-of-at-least-32-chars', { algorithm: 'HS256' }),
      );
      expect(expectProblem(res, 401, 'unauthenticated').detail).toMatch(/signature/);
    });

    it('a genuine token whose claims were changed after signing', async () => {
      const caseworker = await login(app, 'caseworker', DEMO_PASSWORD);
      const [header, , signature] = caseworker.split('.');
      const forged = `${header}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.${signature}`;
      expectProblem(await me(forged), 401, 'unauthenticated');
    });

    it('alg: none', async () => {
      expectProblem(await me(unsignedToken(claims())), 401, 'unauthenticated');
      // Even with something in the signature slot.
      expectProblem(await me(`${unsignedToken(claims())}c2lnbmF0dXJl`), 401, 'unauthenticated');
    });

    it('another HMAC algorithm than the one allowed (HS512)', async () => {
      expectProblem(
        await me(jwt.sign(claims(), config.JWT_SECRET, { algorithm: 'HS512' })),
        401,
        'unauthenticated',
      );
    });

    it('a wrong issuer', async () => {
      const res = await me(
        jwt.sign(claims({ iss: 'urn:someone:else' }), config.JWT_SECRET, { algorithm: 'HS256' }),
      );
      expectProblem(res, 401, 'unauthenticated');
    });

    it('a wrong audience, or none', async () => {
      expectProblem(
        await me(jwt.sign(claims({ aud: 'another-api' }), config.JWT_SECRET, { algorithm: 'HS256' })),
        401,
        'unauthenticated',
      );
      const { aud: _aud, ...withoutAudience } = claims();
      expectProblem(
        await me(jwt.sign(withoutAudience, config.JWT_SECRET, { algorithm: 'HS256' })),
        401,
        'unauthenticated',
      );
    });

    it('a token for a user that does not exist, or without a subject', async () => {
      const unknown = jwt.sign(claims({ sub: '00000000-0000-4000-8000-000000000000' }), config.JWT_SECRET, {
        algorithm: 'HS256',
      });
      expectProblem(await me(unknown), 401, 'unauthenticated');
      const { sub: _sub, ...withoutSubject } = claims();
      expectProblem(
        await me(jwt.sign(withoutSubject, config.JWT_SECRET, { algorithm: 'HS256' })),
        401,
        'unauthenticated',
      );
      // A hand-made HS256 token with the right secret but a subject that is not an id.
      expectProblem(
        await me(hmacToken(claims({ sub: "' OR 1=1 --" }), config.JWT_SECRET)),
        401,
        'unauthenticated',
      );
    });

    it('a token that is not valid yet', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectProblem(
        await me(jwt.sign(claims({ nbf: now + 600 }), config.JWT_SECRET, { algorithm: 'HS256' })),
        401,
        'unauthenticated',
      );
    });
  });

  describe('403 for a role the route does not allow', () => {
    it.each([
      ['caseworker', 'GET', '/api/v1/users'],
      ['caseworker', 'POST', '/api/v1/users'],
      ['caseworker', 'POST', '/api/v1/institutions'],
      ['providerStaff', 'GET', '/api/v1/access-log'],
      ['finance', 'GET', '/api/v1/api-keys'],
      ['auditor', 'POST', '/api/v1/operating-areas'],
      ['institutionManager', 'GET', '/api/v1/api-keys'],
    ] as const)('%s: %s %s', async (role, method, url) => {
      const token = await login(app, role, DEMO_PASSWORD);
      const res = await request(app, method, url, { token, body: method === 'POST' ? {} : undefined });
      expect(expectProblem(res, 403, 'forbidden').detail).toContain(role);
    });

    it('the roles a route allows get through (controls)', async () => {
      const auditor = await login(app, 'auditor', DEMO_PASSWORD);
      expect((await request(app, 'GET', '/api/v1/access-log', { token: auditor })).status).toBe(200);
      expect((await request(app, 'GET', '/api/v1/api-keys', { token: admin })).status).toBe(200);
      const manager = await login(app, 'institutionManager', DEMO_PASSWORD);
      expect((await request(app, 'GET', '/api/v1/users', { token: manager })).status).toBe(200);
    });

    it('the role check comes before validation: a forbidden caller learns nothing about the body', async () => {
      const caseworker = await login(app, 'caseworker', DEMO_PASSWORD);
      const res = await request(app, 'POST', '/api/v1/institutions', {
        token: caseworker,
        rawBody: '{"name": 1, "x": true}',
      });
      expectProblem(res, 403, 'forbidden');
    });
  });

  describe("another institution's object is 404", () => {
    let manager: string;
    let managerInstitutionId: string;
    let otherInstitutionStaffId: string;
    let ownStaffId: string;
    let caseworkerId: string;

    beforeAll(async () => {
      manager = await login(app, 'institutionManager', DEMO_PASSWORD);
      managerInstitutionId = (await request(app, 'GET', '/api/v1/me', { token: manager })).body.institutionId;
      expect(managerInstitutionId).toEqual(expect.any(String));
      const psychiatry = await request(
        app,
        'GET',
        `/api/v1/institutions?q=${encodeURIComponent('Bostøtten Psykiatri')}`,
        { token: admin },
      );
      const otherId = psychiatry.body.items[0].id as string;
      expect(otherId).not.toBe(managerInstitutionId);
      const created = await request(app, 'POST', '/api/v1/users', {
        token: admin,
        body: {
          username: 'psyk-staff',
          displayName: 'Anden Medarbejder',
          role: 'providerStaff',
          orgUnitId: otherId,
          password: 'long-enough-password',
        },
      });
      expect(created.status).toBe(201);
      otherInstitutionStaffId = created.body.id;
      const users = (await request(app, 'GET', '/api/v1/users?limit=200', { token: admin })).body.items as {
        id: string;
        username: string;
      }[];
      ownStaffId = users.find((u) => u.username === 'providerStaff')!.id;
      caseworkerId = users.find((u) => u.username === 'caseworker')!.id;
    });

    it('reading a user of another institution, or of the authority, is 404 exactly like a user that does not exist', async () => {
      const missing = expectProblem(
        await request(app, 'GET', '/api/v1/users/00000000-0000-4000-8000-000000000000', { token: manager }),
        404,
        'notFound',
      );
      for (const id of [otherInstitutionStaffId, caseworkerId]) {
        const res = await request(app, 'GET', `/api/v1/users/${id}`, { token: manager });
        const problem = expectProblem(res, 404, 'notFound');
        expect(problem.detail).toBe(missing.detail);
        // The admin sees the same user: it exists, it is only out of the manager's scope.
        expect((await request(app, 'GET', `/api/v1/users/${id}`, { token: admin })).status).toBe(200);
      }
    });

    it("the manager's own staff is visible", async () => {
      const res = await request(app, 'GET', `/api/v1/users/${ownStaffId}`, { token: manager });
      expect(res.status).toBe(200);
      expect(res.body.orgUnitId).toBe(managerInstitutionId);
    });

    it("changing, unlocking or setting the password of another institution's user is 404 (or 403 by role)", async () => {
      const patch = await request(app, 'PATCH', `/api/v1/users/${otherInstitutionStaffId}`, {
        token: manager,
        body: { displayName: 'Overtaget' },
        headers: { 'if-match': '"1"' },
      });
      expectProblem(patch, 404, 'notFound');
      const password = await request(app, 'POST', `/api/v1/users/${otherInstitutionStaffId}/password`, {
        token: manager,
        body: { password: 'a-new-long-password' },
      });
      expectProblem(password, 404, 'notFound');
      expectProblem(
        await request(app, 'POST', `/api/v1/users/${otherInstitutionStaffId}/unlock`, { token: manager }),
        403,
        'forbidden',
      );
      const after = await request(app, 'GET', `/api/v1/users/${otherInstitutionStaffId}`, { token: admin });
      expect(after.body.displayName).toBe('Anden Medarbejder');
      expect(after.body.version).toBe(1);
    });

    it("lists show only the manager's own institution's users", async () => {
      const all = (await request(app, 'GET', '/api/v1/users?limit=200', { token: admin })).body.items as {
        id: string;
        orgUnitId: string;
      }[];
      const expected = all
        .filter((u) => u.orgUnitId === managerInstitutionId)
        .map((u) => u.id)
        .sort();
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect(all.length).toBeGreaterThan(expected.length);

      const mine = await request(app, 'GET', '/api/v1/users?limit=200', { token: manager });
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((u: { id: string }) => u.id).sort()).toEqual(expected);

      // Asking for another unit, or searching for an outsider by name, does not widen the view.
      const other = await request(
        app,
        'GET',
        `/api/v1/users?orgUnitId=${all.find((u) => u.id === otherInstitutionStaffId)!.orgUnitId}`,
        { token: manager },
      );
      expect(other.body.items).toEqual([]);
      const search = await request(app, 'GET', '/api/v1/users?q=psyk-staff', { token: manager });
      expect(search.body.items).toEqual([]);
      expect(
        (await request(app, 'GET', '/api/v1/users?q=psyk-staff', { token: admin })).body.items,
      ).toHaveLength(1);
    });

    it('a paged walk through the list stays inside the institution', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/users?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await request(app, 'GET', url, { token: manager });
        expect(page.status).toBe(200);
        for (const u of page.body.items as { id: string; orgUnitId: string }[]) {
          expect(u.orgUnitId).toBe(managerInstitutionId);
          seen.push(u.id);
        }
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toContain(ownStaffId);
    });
  });
});
