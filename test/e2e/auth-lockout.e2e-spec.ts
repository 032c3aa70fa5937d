import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from 'src/platform/config/app-config';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { countRows } from 'test/support/db-fingerprint';
import { login, request, TestResponse } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

/** Repeated failed log-ins lock an account until an administrator unlocks it; a locked or deactivated
 * account's tokens stop working at once. */
describe('account lockout and deactivation', () => {
  let app: NestFastifyApplication;
  let maxFailures: number;
  let admin: string;

  beforeAll(async () => {
    app = await createTestApp();
    maxFailures = app.get(AppConfig).LOGIN_MAX_FAILURES;
  });
  beforeEach(async () => {
    await resetDatabase();
    await seedDemo(app);
    admin = await login(app, 'admin', DEMO_PASSWORD);
  });
  afterAll(() => app.close());

  const attempt = (username: string, password: string) =>
    request(app, 'POST', '/api/v1/auth/token', { body: { username, password } });
  const me = (token: string) => request(app, 'GET', '/api/v1/me', { token });
  async function userId(username: string): Promise<string> {
    const res = await request(app, 'GET', `/api/v1/users?q=${username}`, { token: admin });
    return (res.body.items as { id: string; username: string }[]).find((u) => u.username === username)!.id;
  }
  async function failTimes(username: string, n: number): Promise<TestResponse[]> {
    const results: TestResponse[] = [];
    for (let i = 0; i < n; i++) results.push(await attempt(username, `wrong-password-${i}`));
    return results;
  }

  it('is configured as the issue says: five failures lock', () => {
    expect(maxFailures).toBe(5);
  });

  it('locks after five wrong passwords: the sixth attempt, with the right password, is 401 accountLocked', async () => {
    const token = await login(app, 'caseworker', DEMO_PASSWORD);
    const failures = await failTimes('caseworker', maxFailures);
    for (const res of failures.slice(0, -1)) expectProblem(res, 401, 'unauthenticated');
    // The failure that locks says so.
    expectProblem(failures[failures.length - 1], 401, 'accountLocked');

    const sixth = await attempt('caseworker', DEMO_PASSWORD);
    expect(expectProblem(sixth, 401, 'accountLocked').detail).toMatch(/locked/);
    // Every 401 names the scheme to use (RFC 9110 §11.6.1), the locking one included.
    for (const res of [...failures, sixth]) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(sixth.body.accessToken).toBeUndefined();

    // The token issued before the lock no longer works, and the admin sees the lock.
    expectProblem(await me(token), 401, 'unauthenticated');
    const id = await userId('caseworker');
    const user = await request(app, 'GET', `/api/v1/users/${id}`, { token: admin });
    expect(user.body.locked).toBe(true);
    expect(user.body.lockedAt).toEqual(expect.any(String));
    const locked = await request(app, 'GET', '/api/v1/users?locked=true', { token: admin });
    expect(locked.body.items.map((u: { username: string }) => u.username)).toEqual(['caseworker']);
  });

  it('stays unlocked below the limit', async () => {
    for (const res of await failTimes('caseworker', maxFailures - 1))
      expectProblem(res, 401, 'unauthenticated');
    const res = await attempt('caseworker', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
  });

  it('an administrator unlocks the account, and log-in works again', async () => {
    await failTimes('finance', maxFailures);
    expectProblem(await attempt('finance', DEMO_PASSWORD), 401, 'accountLocked');
    const id = await userId('finance');

    const noReason = await request(app, 'POST', `/api/v1/users/${id}/unlock`, { token: admin, body: {} });
    expectProblem(noReason, 400, 'validationFailed');
    expect(noReason.body.errors[0].pointer).toBe('/reason');
    expectProblem(await attempt('finance', DEMO_PASSWORD), 401, 'accountLocked');

    const reason = 'forgot the password; identity checked by phone';
    const unlocked = await request(app, 'POST', `/api/v1/users/${id}/unlock`, { token: admin, body: { reason } });
    expect(unlocked.status).toBe(200);
    const db = await ownerClient();
    try {
      const { rows } = await db.query('SELECT reason, unlocked_by, locked_at FROM account_unlock WHERE user_id = $1', [id]);
      expect(rows).toEqual([{ reason, unlocked_by: (await me(admin)).body.id, locked_at: expect.any(Date) }]);
    } finally {
      await db.end();
    }
    expect(unlocked.body).toMatchObject({ id, locked: false, lockedAt: null });

    const res = await attempt('finance', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    expect((await me(res.body.accessToken)).body.username).toBe('finance');
  });

  it('failures before the unlock no longer count: one more mistake does not lock again', async () => {
    await failTimes('finance', maxFailures);
    await request(app, 'POST', `/api/v1/users/${await userId('finance')}/unlock`, { token: admin, body: { reason: 'forgot the password; identity checked by phone' } });
    expectProblem((await failTimes('finance', 1))[0], 401, 'unauthenticated');
    expect((await attempt('finance', DEMO_PASSWORD)).status).toBe(200);
  });

  it('only an administrator may unlock', async () => {
    await failTimes('providerStaff', maxFailures);
    const id = await userId('providerStaff');
    const manager = await login(app, 'institutionManager', DEMO_PASSWORD);
    expectProblem(
      await request(app, 'POST', `/api/v1/users/${id}/unlock`, { token: manager, body: { reason: 'manager tries' } }),
      403,
      'forbidden',
    );
    expectProblem(await attempt('providerStaff', DEMO_PASSWORD), 401, 'accountLocked');
  });

  it('a locked account tells the right password from a wrong one in no way', async () => {
    await failTimes('auditor', maxFailures);
    const right = expectProblem(await attempt('auditor', DEMO_PASSWORD), 401, 'accountLocked');
    const wrong = expectProblem(await attempt('auditor', 'another-wrong-one'), 401, 'accountLocked');
    expect(right.detail).toBe(wrong.detail);
  });

  it('a successful log-in ends the run of failures (they must be consecutive)', async () => {
    await failTimes('caseworker', maxFailures - 1);
    expect((await attempt('caseworker', DEMO_PASSWORD)).status).toBe(200);
    await failTimes('caseworker', maxFailures - 1);
    expect((await attempt('caseworker', DEMO_PASSWORD)).status).toBe(200);
  });

  it('concurrent wrong passwords lock exactly once and never let the right one through afterwards', async () => {
    const id = await userId('panelMember');
    const before = (await request(app, 'GET', `/api/v1/users/${id}`, { token: admin })).body
      .version as number;
    const results = await Promise.all(
      Array.from({ length: maxFailures + 3 }, (_, i) => attempt('panelMember', `wrong-${i}`)),
    );
    for (const res of results) expect(res.status).toBe(401);
    expect(results.filter((r) => r.body.code === 'accountLocked').length).toBeGreaterThanOrEqual(1);
    expectProblem(await attempt('panelMember', DEMO_PASSWORD), 401, 'accountLocked');
    // Locked once: the row changed once.
    expect((await request(app, 'GET', `/api/v1/users/${id}`, { token: admin })).body.version).toBe(
      before + 1,
    );
  });

  it('unknown usernames are never locked and answer exactly like a wrong password', async () => {
    const wrongPassword = expectProblem(await attempt('caseworker', 'not-it'), 401, 'unauthenticated');
    for (const res of await failTimes('nobody-here', maxFailures + 2)) {
      const problem = expectProblem(res, 401, 'unauthenticated');
      expect(problem.detail).toBe(wrongPassword.detail);
    }
    expect(await countRows('login_attempt', 'username = $1 AND NOT succeeded', ['nobody-here'])).toBe(
      maxFailures + 2,
    );
  });

  it('a deactivated user cannot log in, and their existing token stops working', async () => {
    const token = await login(app, 'caseworker', DEMO_PASSWORD);
    expect((await me(token)).status).toBe(200);
    const id = await userId('caseworker');
    const current = await request(app, 'GET', `/api/v1/users/${id}`, { token: admin });
    const patched = await request(app, 'PATCH', `/api/v1/users/${id}`, {
      token: admin,
      body: { active: false },
      headers: { 'if-match': String(current.headers.etag) },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);

    expectProblem(await me(token), 401, 'unauthenticated');
    expectProblem(await attempt('caseworker', DEMO_PASSWORD), 401, 'unauthenticated');

    // Reactivated, the same token works again (it has not expired): the account state is checked per request.
    const again = await request(app, 'PATCH', `/api/v1/users/${id}`, {
      token: admin,
      body: { active: true },
      headers: { 'if-match': String(patched.headers.etag) },
    });
    expect(again.status).toBe(200);
    expect((await me(token)).status).toBe(200);
  });

  it('an administrator cannot deactivate their own account', async () => {
    const id = await userId('admin');
    const current = await request(app, 'GET', `/api/v1/users/${id}`, { token: admin });
    const res = await request(app, 'PATCH', `/api/v1/users/${id}`, {
      token: admin,
      body: { active: false },
      headers: { 'if-match': String(current.headers.etag) },
    });
    expectProblem(res, 422, 'ruleViolated');
    expect((await me(admin)).status).toBe(200);
  });
});
