import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { IDENTITY_STORE, IdentityStore, Principal } from 'src/platform/auth/principal';
import { OrderService } from 'src/modules/visitation/order.service';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { MovableClock } from 'test/support/clock';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem, pointersOf } from 'test/support/problem';

/**
 * Delivery registrations (sessions, attendance, treatment courses) with their rules, idempotency and
 * corrections, and delivery security (leverancesikkerhed) for a month of 30 bostøtte citizens, checked
 * against figures computed by hand.
 *
 * Time: decisions are made on 20 February 2026 (the catalogue is in force from 1 January); registrations are
 * made on 16 April 2026 (within the 30 days an institution still sees an order whose grant ended on 20 March), for March (the delivery-security month) and April (the rule tests).
 */
describe('delivery registrations and delivery security', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const clock = new MovableClock('2026-02-20T09:00:00+01:00');
  const DECIDE = '2026-02-20T09:00:00+01:00';
  const REGISTER = '2026-04-16T09:00:00+02:00';
  const institution = {} as Record<string, string>;
  const managers = {} as Record<string, { principal: Principal; username: string }>;
  const PASSWORD = 'a-long-password-for-tests';
  let serial = 5000;
  let keySerial = 0;

  const tokens = new Map<string, Promise<string>>();
  /** Tokens are issued and checked on the moved clock: log in again after moving it. */
  const tokenOf = (username: string, password = DEMO_PASSWORD) => {
    const key = `${username}@${clock.now().toISOString()}`;
    if (!tokens.has(key)) tokens.set(key, login(app, username, password));
    return tokens.get(key)!;
  };
  const idKey = () => `test-key-${++keySerial}-${Date.now()}`;

  const userAt = async (username: string, role: string, institutionName: string) => {
    const res = await request(app, 'POST', '/api/v1/users', {
      token: await tokenOf('admin'),
      body: { username, displayName: username, role, orgUnitId: institution[institutionName], password: PASSWORD },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const managerOf = async (institutionName: string) => {
    if (!managers[institutionName]) {
      let userId: string;
      let username: string;
      if (institutionName === 'Bostøtten Handicap') {
        username = 'institutionManager';
        userId = (await db.query(`SELECT id FROM app_user WHERE username = 'institutionManager'`)).rows[0].id;
      } else {
        username = `tilbudsleder.nr${Object.keys(managers).length + 1}`;
        userId = await userAt(username, 'institutionManager', institutionName);
      }
      managers[institutionName] = { principal: (await app.get<IdentityStore>(IDENTITY_STORE).principalForUser(userId))!, username };
    }
    return managers[institutionName];
  };

  /** A notified grant of the standard at the institution and its order; accepted from the grant's first day unless told not to. */
  const grantWithOrder = async (
    standardCode: string,
    institutionName: string,
    period: { validFrom: string; validTo?: string; scope?: number },
    accept = true,
  ): Promise<{ citizenId: string; grantId: string; orderId: string }> => {
    const saved = clock.now();
    clock.set(DECIDE);
    const cw = await tokenOf('caseworker');
    const citizen = await request(app, 'POST', '/api/v1/citizens', { token: cw, body: { cpr: `010180-${serial++}`, name: `Borger ${serial}` } });
    expect(citizen.status).toBe(201);
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
      token: cw,
      body: { receivedOn: '2026-02-20', channel: 'phone', request: 'Hjælp', standardCode },
    });
    expect(inquiry.status).toBe(201);
    const decision = await request(app, 'POST', `/api/v1/cases/${inquiry.body.caseId}/decisions`, {
      token: cw,
      body: {
        kind: 'grant',
        standardCode,
        inquiryId: inquiry.body.id,
        ...(period.scope !== undefined ? { scope: period.scope } : {}),
        validFrom: period.validFrom,
        ...(period.validTo ? { validTo: period.validTo } : {}),
        institutionId: institution[institutionName],
        reasoning: 'Behovet er vurderet.',
      },
    });
    expect(decision.status).toBe(201);
    const notified = await request(app, 'POST', `/api/v1/decisions/${decision.body.id}/notify`, { token: cw, body: { channel: 'digitalPost' } });
    expect(notified.status).toBe(200);
    const grantId = notified.body.resultingGrantId as string;
    const order = (await db.query('SELECT id, version FROM service_order WHERE grant_id = $1', [grantId])).rows[0] as { id: string; version: number };
    if (accept) {
      const { principal } = await managerOf(institutionName);
      await app.get(ClsService).run(() => app.get(OrderService).accept(principal, 'delivery', order.id, order.version, period.validFrom));
    }
    clock.set(saved);
    return { citizenId: citizen.body.id, grantId, orderId: order.id };
  };

  const post = async (username: string, path: string, body: Record<string, unknown>, key = idKey(), password = DEMO_PASSWORD) =>
    request(app, 'POST', path, { token: await tokenOf(username, password), body, headers: { 'idempotency-key': key } });
  const session = (orderId: string, body: Record<string, unknown>, username = 'providerStaff') =>
    post(username, `/api/v1/orders/${orderId}/sessions`, { status: 'delivered', ...body });
  const delivered = async (orderId: string, sessionDate: string, minutes: number, status = 'delivered') => {
    const res = await session(orderId, { sessionDate, minutes, status });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp({ clock });
    await seedDemo(app);
    await seedCatalogue(app);
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });
  beforeEach(() => clock.set(REGISTER));

  it('registers sessions on an accepted order of an hour-based grant; each rule is a 422 naming it', async () => {
    const g = await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-04-01', validTo: '2026-06-30', scope: 3 });
    const staffId = (await db.query(`SELECT id FROM app_user WHERE username = 'providerStaff'`)).rows[0].id as string;

    const ok = await session(g.orderId, { sessionDate: '2026-04-02', startsAt: '09:30', minutes: 90, staffUserId: staffId });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      orderId: g.orderId,
      citizenId: g.citizenId,
      institutionId: institution['Bostøtten Handicap'],
      sessionDate: '2026-04-02',
      startsAt: '09:30',
      minutes: 90,
      staffUserId: staffId,
      status: 'delivered',
      correctsId: null,
      supersededBy: null,
      recordedBy: staffId,
    });
    // The manager registers too; minutes 1 and 1440 are the limits.
    expect((await session(g.orderId, { sessionDate: '2026-04-03', minutes: 1 }, 'institutionManager')).status).toBe(201);
    expect((await session(g.orderId, { sessionDate: '2026-04-04', minutes: 1440 })).status).toBe(201);

    for (const minutes of [0, -5, 1441]) {
      const bad = expectProblem(await session(g.orderId, { sessionDate: '2026-04-02', minutes }), 422, 'ruleViolated');
      expect(pointersOf(bad)).toEqual(['/minutes']);
      expect(bad.errors[0].reason).toBe('a session lasts 1–1440 minutes');
    }
    // Not a whole number of minutes: a malformed body (400), not a rule.
    expectProblem(await session(g.orderId, { sessionDate: '2026-04-02', minutes: 1.5 }), 400);

    const before = expectProblem(await session(g.orderId, { sessionDate: '2026-03-31', minutes: 60 }), 422, 'ruleViolated');
    expect(before.errors).toEqual([{ pointer: '/sessionDate', reason: "the day lies outside the grant's period (2026-04-01–2026-06-30)" }]);
    // Not in the future (today is 20 April), and every failing field at once.
    const future = expectProblem(await session(g.orderId, { sessionDate: '2026-04-21', minutes: 0 }), 422);
    expect(pointersOf(future)).toEqual(['/minutes', '/sessionDate']);
    // The staff member must be one of the institution's users.
    const elsewhere = await userAt('psyk.medarbejder', 'providerStaff', 'Bostøtten Psykiatri');
    expect(pointersOf(expectProblem(await session(g.orderId, { sessionDate: '2026-04-02', minutes: 60, staffUserId: elsewhere }), 422))).toEqual(['/staffUserId']);
    // Sessions are for hour-based services: attendance and treatment courses are refused on this order.
    expect(expectProblem(await post('providerStaff', `/api/v1/orders/${g.orderId}/attendance`, { attendedOn: '2026-04-02', present: true }), 422).detail).toMatch(
      /attendance is registered for day services/,
    );
    expect(expectProblem(await post('providerStaff', `/api/v1/orders/${g.orderId}/treatment-courses`, { startedOn: '2026-04-02' }), 422).detail).toMatch(/not treatment/);

    // The authority reads; the order's list carries every registration, filtered by period.
    const list = await request(app, 'GET', `/api/v1/orders/${g.orderId}/sessions?from=2026-04-03&to=2026-04-30`, { token: await tokenOf('caseworker') });
    expect(list.status).toBe(200);
    expect(list.body.map((s: { sessionDate: string; minutes: number }) => [s.sessionDate, s.minutes])).toEqual([
      ['2026-04-03', 1],
      ['2026-04-04', 1440],
    ]);
    expect((await db.query(`SELECT count(*)::int AS n FROM delivery_session WHERE order_id = $1`, [g.orderId])).rows[0].n).toBe(3);
    // Each write and read is in the access log, with the purpose.
    const logged = (await db.query(`SELECT action, purpose FROM access_log WHERE object_type = 'deliverySession' AND citizen_id = $1 ORDER BY occurred_at`, [g.citizenId])).rows;
    expect(logged).toEqual(expect.arrayContaining([{ action: 'create', purpose: 'delivery' }, { action: 'read', purpose: 'visitation' }]));
  });

  it('a registration on an order that is not accepted is refused with the rule (422)', async () => {
    const sent = await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-04-01', scope: 2 }, false);
    const bad = expectProblem(await session(sent.orderId, { sessionDate: '2026-04-02', minutes: 60 }), 422, 'ruleViolated');
    expect(bad.detail).toBe('registrations are made on an accepted order; this order is sent');
    expect((await db.query(`SELECT count(*)::int AS n FROM delivery_session WHERE order_id = $1`, [sent.orderId])).rows[0].n).toBe(0);
    // The database refuses it too (the trigger is the backstop for any other writer), and a day outside the grant.
    const insert = (orderId: string, citizenId: string, day: string) =>
      db.query(
        `INSERT INTO delivery_session (order_id, citizen_id, institution_id, session_date, minutes, status) VALUES ($1, $2, $3, $4, 60, 'delivered')`,
        [orderId, citizenId, institution['Bostøtten Handicap'], day],
      );
    await expect(insert(sent.orderId, sent.citizenId, '2026-04-02')).rejects.toMatchObject({ constraint: 'ck_registration_order_accepted' });
    const accepted = await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-04-01', scope: 2 });
    await expect(insert(accepted.orderId, accepted.citizenId, '2026-03-31')).rejects.toMatchObject({ constraint: 'ck_registration_period' });
    await expect(insert(accepted.orderId, sent.citizenId, '2026-04-02')).rejects.toMatchObject({ constraint: 'ck_registration_order_accepted' });
    await insert(accepted.orderId, accepted.citizenId, '2026-04-02');
  });

  it('the same Idempotency-Key gives one registration and the first response; another body with it is 409', async () => {
    const g = await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-04-01', scope: 4 });
    const key = idKey();
    const body = { sessionDate: '2026-04-06', minutes: 45, status: 'delivered' };
    const first = await post('providerStaff', `/api/v1/orders/${g.orderId}/sessions`, body, key);
    const again = await post('providerStaff', `/api/v1/orders/${g.orderId}/sessions`, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await db.query(`SELECT count(*)::int AS n FROM delivery_session WHERE order_id = $1`, [g.orderId])).rows[0].n).toBe(1);

    expectProblem(await post('providerStaff', `/api/v1/orders/${g.orderId}/sessions`, { ...body, minutes: 50 }, key), 409, 'idempotencyKeyReused');
    expect((await db.query(`SELECT count(*)::int AS n FROM delivery_session WHERE order_id = $1`, [g.orderId])).rows[0].n).toBe(1);
  });

  it('a correction replaces the corrected registration, which stops counting; a registration is corrected once', async () => {
    const g = await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-04-01', scope: 7 });
    const other = await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-04-01', scope: 1 });
    const s1 = await delivered(g.orderId, '2026-04-07', 300);
    const s2 = await delivered(g.orderId, '2026-04-08', 60);
    // Granted in April: 7 h/week × 30/7 days = 30 h; delivered 300 + 60 min = 6 h → 20 %.
    const month = async () => (await request(app, 'GET', `/api/v1/grants/${g.grantId}/delivery?month=2026-04`, { token: await tokenOf('caseworker') })).body;
    expect(await month()).toMatchObject({ grantedUnits: 30, deliveredUnits: 6, deliveryRate: 20, underDelivered: true, daysActive: 30 });

    // s1 was really 120 minutes: 120 + 60 min = 3 h → 10 %.
    const c1 = await session(g.orderId, { sessionDate: '2026-04-07', minutes: 120, correctsId: s1 });
    expect(c1.status).toBe(201);
    expect(c1.body).toMatchObject({ correctsId: s1, supersededBy: null, minutes: 120 });
    expect(await month()).toMatchObject({ deliveredUnits: 3, deliveryRate: 10 });
    const list = (await request(app, 'GET', `/api/v1/orders/${g.orderId}/sessions`, { token: await tokenOf('providerStaff') })).body as { id: string; supersededBy: string | null }[];
    expect(list.find((s) => s.id === s1)!.supersededBy).toBe(c1.body.id);

    // Correcting s1 again: 409 (correct the correction instead); a registration of another order: 422.
    const twice = expectProblem(await session(g.orderId, { sessionDate: '2026-04-07', minutes: 150, correctsId: s1 }), 409, 'conflict');
    expect(twice.detail).toMatch(/corrected already/);
    const foreign = await delivered(other.orderId, '2026-04-07', 30);
    expect(pointersOf(expectProblem(await session(g.orderId, { sessionDate: '2026-04-07', minutes: 30, correctsId: foreign }), 422))).toEqual(['/correctsId']);
    // s2 was cancelled by the provider: it no longer counts (60 min less): 2 h → 6.67 %.
    const c2 = await session(g.orderId, { sessionDate: '2026-04-08', minutes: 60, status: 'cancelledByProvider', correctsId: s2 });
    expect(c2.status).toBe(201);
    expect(await month()).toMatchObject({ deliveredUnits: 2, deliveryRate: 6.67 });
    // The correction of the correction counts instead of it.
    expect((await session(g.orderId, { sessionDate: '2026-04-07', minutes: 180, correctsId: c1.body.id })).status).toBe(201);
    expect(await month()).toMatchObject({ deliveredUnits: 3, deliveryRate: 10 });
    // Two devices correcting the same registration at once: one wins, the other is 409 (the unique index decides).
    const s3 = await delivered(g.orderId, '2026-04-09', 30);
    const race = await Promise.all([45, 50].map((minutes) => session(g.orderId, { sessionDate: '2026-04-09', minutes, correctsId: s3 })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expectProblem(race.find((r) => r.status === 409)!, 409, 'conflict');
    // The database keeps every row: nothing was updated or deleted.
    expect((await db.query(`SELECT count(*)::int AS n FROM delivery_session WHERE order_id = $1`, [g.orderId])).rows[0].n).toBe(7);
  });

  it("staff of another institution get 404 for anything of this institution's", async () => {
    const g = await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-04-01', scope: 2 });
    const s = await delivered(g.orderId, '2026-04-09', 60);
    await userAt('psyk.leder', 'institutionManager', 'Bostøtten Psykiatri');
    const other = await tokenOf('psyk.leder', PASSWORD);
    const bh = institution['Bostøtten Handicap'];
    expectProblem(
      await request(app, 'POST', `/api/v1/orders/${g.orderId}/sessions`, { token: other, body: { sessionDate: '2026-04-09', minutes: 60, status: 'delivered' } }),
      404,
    );
    expectProblem(
      await request(app, 'POST', `/api/v1/orders/${g.orderId}/sessions`, { token: other, body: { sessionDate: '2026-04-09', minutes: 60, status: 'delivered', correctsId: s } }),
      404,
    );
    for (const url of [
      `/api/v1/orders/${g.orderId}/sessions`,
      `/api/v1/orders/${g.orderId}/attendance`,
      `/api/v1/institutions/${bh}/sessions`,
      `/api/v1/institutions/${bh}/delivery-security?month=2026-04`,
      `/api/v1/grants/${g.grantId}/delivery?month=2026-04`,
    ])
      expectProblem(await request(app, 'GET', url, { token: other }), 404);
    // Finance and the auditor do not register (403 by role).
    expectProblem(await request(app, 'POST', `/api/v1/orders/${g.orderId}/sessions`, { token: await tokenOf('finance'), body: { sessionDate: '2026-04-09', minutes: 60, status: 'delivered' } }), 403);
  });

  it('attendance for a § 104 day service at Aktivitetscentret Viborg', async () => {
    const g = await grantWithOrder('SEL-104', 'Aktivitetscentret Viborg', { validFrom: '2026-04-01', scope: 3 });
    const { username } = await managerOf('Aktivitetscentret Viborg');
    const attend = (body: Record<string, unknown>) => post(username, `/api/v1/orders/${g.orderId}/attendance`, body, idKey(), PASSWORD);
    for (const [day, present] of [['2026-04-01', true], ['2026-04-02', true], ['2026-04-03', false], ['2026-04-06', true]] as const)
      expect((await attend({ attendedOn: day, present })).status).toBe(201);
    const absent = (await db.query(`SELECT id FROM attendance WHERE order_id = $1 AND attended_on = '2026-04-03'`, [g.orderId])).rows[0].id;
    // The citizen did come on the 3rd after all.
    const corrected = await attend({ attendedOn: '2026-04-03', present: true, correctsId: absent });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ attendedOn: '2026-04-03', present: true, correctsId: absent });
    expectProblem(await attend({ attendedOn: '2026-03-31', present: true }), 422);
    expect(expectProblem(await post(username, `/api/v1/orders/${g.orderId}/sessions`, { sessionDate: '2026-04-02', minutes: 60, status: 'delivered' }, idKey(), PASSWORD), 422).detail).toMatch(
      /hour-based services/,
    );
    const list = await request(app, 'GET', `/api/v1/orders/${g.orderId}/attendance?to=2026-04-03`, { token: await tokenOf(username, PASSWORD) });
    expect(list.body.map((a: { attendedOn: string; present: boolean; supersededBy: string | null }) => [a.attendedOn, a.present, a.supersededBy !== null])).toEqual([
      ['2026-04-01', true, false],
      ['2026-04-02', true, false],
      ['2026-04-03', false, true],
      ['2026-04-03', true, false],
    ]);
    // Granted in April: 3 days/week × 30/7 days = 90/7 = 12.857142… days; attended 4 days → 4 × 7 / 90 = 31.11 %.
    const month = await request(app, 'GET', `/api/v1/grants/${g.grantId}/delivery?month=2026-04`, { token: await tokenOf('caseworker') });
    expect(month.body).toMatchObject({ unit: 'days', grantedUnits: 12.86, deliveredUnits: 4, deliveryRate: 31.11, underDelivered: true });
  });

  it('a treatment course for § 101 at Rusmiddelcenter Viborg: the start, then the end with the outcome as a correction', async () => {
    const g = await grantWithOrder('SEL-101', 'Rusmiddelcenter Viborg', { validFrom: '2026-04-01' });
    const { username } = await managerOf('Rusmiddelcenter Viborg');
    const course = (body: Record<string, unknown>) => post(username, `/api/v1/orders/${g.orderId}/treatment-courses`, body, idKey(), PASSWORD);
    const started = await course({ startedOn: '2026-04-02' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ startedOn: '2026-04-02', endedOn: null, outcome: null });
    expect(pointersOf(expectProblem(await course({ startedOn: '2026-04-02', endedOn: '2026-04-15', correctsId: started.body.id }), 422))).toEqual(['/outcome']);
    expect(pointersOf(expectProblem(await course({ startedOn: '2026-04-10', endedOn: '2026-04-05', outcome: 'reduced' }), 422))).toEqual(['/endedOn']);
    const ended = await course({ startedOn: '2026-04-02', endedOn: '2026-04-15', outcome: 'reduced', correctsId: started.body.id });
    expect(ended.status).toBe(201);
    const list = await request(app, 'GET', `/api/v1/orders/${g.orderId}/treatment-courses`, { token: await tokenOf('caseworker') });
    expect(list.body).toEqual([
      expect.objectContaining({ id: started.body.id, supersededBy: ended.body.id }),
      expect.objectContaining({ id: ended.body.id, endedOn: '2026-04-15', outcome: 'reduced', supersededBy: null }),
    ]);
    // Not an hour- or day-based grant: no delivery security for it.
    expectProblem(await request(app, 'GET', `/api/v1/grants/${g.grantId}/delivery?month=2026-04`, { token: await tokenOf('caseworker') }), 422);
  });

  it('delivery security for March: 30 bostøtte citizens at 5 h/week, some from mid-month, some ending early, some sessions cancelled', async () => {
    // 31 days in March. Granted, per citizen:
    //   A (20 citizens, 1 March onwards):   5 h/week × 31/7 days = 155/7 = 22.142857… h → 22.14
    //   B (6 citizens, from 16 March):      5 h/week × 16/7 days =  80/7 = 11.428571… h → 11.43
    //   C (4 citizens, 1–20 March):         5 h/week × 20/7 days = 100/7 = 14.285714… h → 14.29
    const A = [];
    const B = [];
    const C = [];
    for (let i = 0; i < 20; i++) A.push(await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-03-01', scope: 5 }));
    for (let i = 0; i < 6; i++) B.push(await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-03-16', scope: 5 }));
    for (let i = 0; i < 4; i++) C.push(await grantWithOrder('SEL-85', 'Bostøtten Handicap', { validFrom: '2026-03-01', validTo: '2026-03-20', scope: 5 }));

    const weekly = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'];
    for (const [i, g] of A.entries()) {
      const ids = [];
      for (const day of weekly) ids.push(await delivered(g.orderId, day, 300, i >= 5 && i < 10 && day === '2026-03-23' ? 'cancelledByProvider' : 'delivered'));
      if (i < 5) await delivered(g.orderId, '2026-03-30', 300, 'cancelledByCitizen'); // chargeable under SEL-85: counts
      if (i >= 10 && i < 15) await delivered(g.orderId, '2026-03-30', 300, 'noShow'); // does not count
      if (i >= 15) expect((await session(g.orderId, { sessionDate: '2026-03-23', minutes: 120, correctsId: ids[3] })).status).toBe(201);
      await delivered(g.orderId, '2026-04-01', 300); // April: not in March
    }
    for (const [i, g] of B.entries()) {
      await delivered(g.orderId, '2026-03-17', 300);
      await delivered(g.orderId, '2026-03-24', 300);
      if (i < 3) await delivered(g.orderId, '2026-03-31', 60);
    }
    for (const g of C) for (const day of ['2026-03-02', '2026-03-09', '2026-03-16']) await delivered(g.orderId, day, 300);

    // Delivered, per citizen, and the rate = delivered / granted:
    //   A0–A4:   4 × 5 h + 5 h cancelled by the citizen (chargeable) = 25 h → 25 × 7/155 = 112.903225… % → 112.90
    //   A5–A9:   3 × 5 h (the 4th cancelled by the provider)         = 15 h → 15 × 7/155 =  67.741935… % →  67.74 (under)
    //   A10–A14: 4 × 5 h (the no-show does not count)                = 20 h → 20 × 7/155 =  90.322580… % →  90.32
    //   A15–A19: 3 × 5 h + 2 h (the 4th corrected to 120 min)        = 17 h → 17 × 7/155 =  76.774193… % →  76.77 (under)
    //   B0–B2:   2 × 5 h + 1 h                                       = 11 h → 11 × 7/80  =  96.25 %
    //   B3–B5:   2 × 5 h                                             = 10 h → 10 × 7/80  =  87.50 %        (under)
    //   C:       3 × 5 h                                             = 15 h → 15 × 7/100 = 105.00 %
    const expected = (g: { grantId: string }, grantedUnits: number, deliveredUnits: number, deliveryRate: number, daysActive: number) => ({
      grantId: g.grantId,
      grantedUnits,
      deliveredUnits,
      deliveryRate,
      daysActive,
      underDelivered: deliveryRate < 90,
    });
    const want = [
      ...A.slice(0, 5).map((g) => expected(g, 22.14, 25, 112.9, 31)),
      ...A.slice(5, 10).map((g) => expected(g, 22.14, 15, 67.74, 31)),
      ...A.slice(10, 15).map((g) => expected(g, 22.14, 20, 90.32, 31)),
      ...A.slice(15, 20).map((g) => expected(g, 22.14, 17, 76.77, 31)),
      ...B.slice(0, 3).map((g) => expected(g, 11.43, 11, 96.25, 16)),
      ...B.slice(3, 6).map((g) => expected(g, 11.43, 10, 87.5, 16)),
      ...C.map((g) => expected(g, 14.29, 15, 105, 20)),
    ];

    const bh = institution['Bostøtten Handicap'];
    const report = await request(app, 'GET', `/api/v1/institutions/${bh}/delivery-security?month=2026-03`, { token: await tokenOf('institutionManager') });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ institutionId: bh, month: '2026-03', from: '2026-03-01', to: '2026-03-31', threshold: 90 });
    // Only these 30 grants are active in March (the other tests' grants start in April).
    expect(report.body.grants).toHaveLength(30);
    const byGrant = new Map(report.body.grants.map((g: { grantId: string }) => [g.grantId, g]));
    for (const w of want) expect(byGrant.get(w.grantId)).toMatchObject({ ...w, unit: 'hours', standardCode: 'SEL-85', scope: 5, citizenName: expect.any(String) });
    // Under-delivered below 90 %: A5–A9 (67.74), A15–A19 (76.77), B3–B5 (87.50): 13 grants, lowest rate first.
    expect(report.body.underDelivered.map((g: { deliveryRate: number }) => g.deliveryRate)).toEqual([...Array(5).fill(67.74), ...Array(5).fill(76.77), ...Array(3).fill(87.5)]);
    // Totals: granted (20 × 155 + 6 × 80 + 4 × 100)/7 = 3980/7 = 568.571428… h → 568.57;
    // delivered 5 × 25 + 5 × 15 + 5 × 20 + 5 × 17 + 3 × 11 + 3 × 10 + 4 × 15 = 508 h; rate 508 × 7/3980 = 89.346733… % → 89.35.
    expect(report.body.totals).toEqual({ grantedHours: 568.57, deliveredHours: 508, deliveryRate: 89.35 });

    // A lower threshold: only those below 80 % (A5–A9, A15–A19).
    const at80 = await request(app, 'GET', `/api/v1/institutions/${bh}/delivery-security?month=2026-03&threshold=80`, { token: await tokenOf('providerStaff') });
    expect(at80.body.underDelivered).toHaveLength(10);
    // Finance sees the figures without the citizens.
    const finance = await request(app, 'GET', `/api/v1/institutions/${bh}/delivery-security?month=2026-03`, { token: await tokenOf('finance') });
    expect(finance.status).toBe(200);
    expect(finance.body.totals).toEqual(report.body.totals);
    expect(finance.body.grants.every((g: { citizenId: unknown; citizenName: unknown }) => g.citizenId === null && g.citizenName === null)).toBe(true);
    // The caseworker's view of one grant; the default month is last month (today is 20 April → March).
    const one = await request(app, 'GET', `/api/v1/grants/${A[15].grantId}/delivery`, { token: await tokenOf('caseworker') });
    expect(one.body).toMatchObject({ month: '2026-03', grantedUnits: 22.14, deliveredUnits: 17, deliveryRate: 76.77, underDelivered: true });
    // C's grant in April: not active at all.
    const after = await request(app, 'GET', `/api/v1/grants/${C[0].grantId}/delivery?month=2026-04`, { token: await tokenOf('institutionManager') });
    expect(after.body).toMatchObject({ daysActive: 0, grantedUnits: 0, deliveredUnits: 0, deliveryRate: null, underDelivered: false });
    // A bad month is 400.
    for (const month of ['2026-3', '2026-13', 'march', '2026-03-01'])
      expectProblem(await request(app, 'GET', `/api/v1/institutions/${bh}/delivery-security?month=${month}`, { token: await tokenOf('institutionManager') }), 400);
    expectProblem(await request(app, 'GET', `/api/v1/grants/${A[0].grantId}/delivery?month=2026-00`, { token: await tokenOf('caseworker') }), 400);

    // The manager's overview of March's sessions, paginated: every page together is every session of March.
    const march = (await db.query(`SELECT count(*)::int AS n FROM delivery_session WHERE institution_id = $1 AND session_date BETWEEN '2026-03-01' AND '2026-03-31'`, [bh])).rows[0].n;
    // 20 × 4 + 5 cancelled by the citizen + 5 no-shows + 5 corrections + 6 × 2 + 3 + 4 × 3 = 122.
    expect(march).toBe(122);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string; sessionDate: string }[]; nextCursor: string | null } } = await request(
        app,
        'GET',
        `/api/v1/institutions/${bh}/sessions?from=2026-03-01&to=2026-03-31&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
        { token: await tokenOf('institutionManager') },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((s) => s.id));
      expect(page.body.items.every((s) => s.sessionDate >= '2026-03-01' && s.sessionDate <= '2026-03-31')).toBe(true);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(122);
    expect(seen).toHaveLength(122);
  }, 180_000);
});
