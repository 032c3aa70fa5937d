import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { Principal } from 'src/platform/auth/principal';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { addWorkingDays } from 'src/platform/clock/deadlines';
import { AdmissionService, NewAdmission } from 'src/modules/visitation/admission.service';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance';
const ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance'];
/** The leaders of the two self-referral boformer, made for this test. */
type Leader = 'forsorgLeader' | 'kriseLeader';

describe('self-referral admissions (selvmødere, § 109/§ 110)', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role | Leader, string>;
  const principal = {} as Record<Role | Leader, Principal>;
  const institution = {} as Record<string, string>;
  const today = danishDate(new Date());
  let serial = 3000;
  let ref = 0;

  const me = async (t: string): Promise<Principal> => {
    const body = (await request(app, 'GET', '/api/v1/me', { token: t })).body;
    return { kind: 'user', id: body.id, name: body.username, role: body.role, orgUnitId: body.orgUnitId, institutionId: body.institutionId, scopes: [] };
  };

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of ROLES) {
      token[role] = await login(app, role, DEMO_PASSWORD);
      principal[role] = await me(token[role]);
    }
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
    for (const [leader, unit] of [
      ['forsorgLeader', 'Forsorgscenter Viborg'],
      ['kriseLeader', 'Krisecenter Viborg'],
    ] as const) {
      const created = await request(app, 'POST', '/api/v1/users', {
        token: token.admin,
        body: { username: leader.toLowerCase(), displayName: `Leder ${unit}`, role: 'institutionManager', orgUnitId: institution[unit], password: DEMO_PASSWORD },
      });
      expect(created.status).toBe(201);
      token[leader] = await login(app, leader.toLowerCase(), DEMO_PASSWORD);
      principal[leader] = await me(token[leader]);
      expect(principal[leader].institutionId).toBe(institution[unit]);
    }
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const as = (who: Role | Leader) => ({ token: token[who] });
  const service = () => app.get(AdmissionService);
  /** Runs service code as the delivery context will: outside HTTP, in a CLS context (its own transaction). */
  const inCls = <T>(fn: (s: AdmissionService) => Promise<T>) => app.get(ClsService).run(() => fn(service()));
  const newCitizen = async () => {
    const res = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: `010390-${serial++}`, name: 'Bodil Bøgh' } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const admission = (citizenId: string, extra: Partial<NewAdmission> = {}): NewAdmission => ({
    citizenId,
    institutionId: institution['Forsorgscenter Viborg'],
    standardCode: 'SEL-110',
    admittedOn: addDays(today, -5),
    sourceRef: `delivery-stay-${ref++}`,
    ...extra,
  });
  const record = (who: Role | Leader, input: NewAdmission) => inCls((s) => s.record(principal[who], 'delivery', input));
  const confirm = (id: string, who: Role = 'caseworker') => request(app, 'POST', `/api/v1/admissions/${id}/confirm`, as(who));
  const unconfirmed = async (query = '') => (await request(app, 'GET', `/api/v1/admissions?status=unconfirmed${query}`, as('caseworker'))).body.items as { id: string }[];

  it('§ 110: recorded by the leader → on the authority’s list with the notice deadline → confirmed as a grant with an accepted order', async () => {
    const citizenId = await newCitizen();
    const admittedOn = addDays(today, -5);
    // Before the admission, the shelter's leader does not see the citizen.
    expect((await request(app, 'GET', `/api/v1/citizens/${citizenId}`, as('forsorgLeader'))).status).toBe(404);

    const recorded = await record('forsorgLeader', admission(citizenId, { admittedOn }));
    expect(recorded).toMatchObject({
      citizenId,
      institutionId: institution['Forsorgscenter Viborg'],
      standardCode: 'SEL-110',
      admittedOn,
      dischargedOn: null,
      status: 'unconfirmed',
      grantId: null,
      notificationDueBy: addWorkingDays(admittedOn, 3),
      confirmedAt: null,
    });
    expect(recorded.notificationDueBy! > admittedOn).toBe(true);
    // The boform that admitted the citizen sees them; another institution's staff see neither them nor the admission.
    expect((await request(app, 'GET', `/api/v1/citizens/${citizenId}`, as('forsorgLeader'))).status).toBe(200);
    expectProblem(await request(app, 'GET', `/api/v1/admissions/${recorded.id}`, as('providerStaff')), 404);
    expectProblem(await request(app, 'GET', `/api/v1/citizens/${citizenId}`, as('providerStaff')), 404);
    expectProblem(await request(app, 'GET', `/api/v1/admissions/${recorded.id}`, as('finance')), 403);

    const listed = await request(app, 'GET', `/api/v1/admissions?status=unconfirmed&standardCode=SEL-110&institutionId=${institution['Forsorgscenter Viborg']}`, as('caseworker'));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: recorded.id, notificationDueBy: addWorkingDays(admittedOn, 3) }));
    expect((await unconfirmed('&standardCode=SEL-109')).map((a) => a.id)).not.toContain(recorded.id);
    expect((await request(app, 'GET', `/api/v1/admissions/${recorded.id}`, as('forsorgLeader'))).body).toMatchObject({ id: recorded.id, status: 'unconfirmed' });

    const confirmed = await confirm(recorded.id);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: recorded.id, status: 'confirmed', confirmedBy: principal.caseworker.id, grantId: expect.any(String) });
    expect(confirmed.body.confirmedAt).not.toBeNull();

    const grant = await request(app, 'GET', `/api/v1/grants/${confirmed.body.grantId}`, as('caseworker'));
    expect(grant.body).toMatchObject({
      citizenId,
      admissionId: recorded.id,
      decisionId: null,
      caseId: null,
      standardCode: 'SEL-110',
      scope: null,
      scopeUnit: 'place',
      institutionId: institution['Forsorgscenter Viborg'],
      validFrom: admittedOn,
      validTo: null,
      state: 'active',
    });
    const inbox = await request(app, 'GET', '/api/v1/orders?status=accepted', as('forsorgLeader'));
    const order = inbox.body.items.find((o: { grantId: string }) => o.grantId === grant.body.id);
    expect(order).toMatchObject({ status: 'accepted', startDate: admittedOn, citizenId, institutionId: institution['Forsorgscenter Viborg'] });
    expect(order.content).toMatchObject({ selfReferral: true, admissionId: recorded.id, standardCode: 'SEL-110', validFrom: admittedOn, validTo: null, legalBasis: expect.stringContaining('§ 110') });

    const outbox = await db.query(`SELECT payload FROM outbox WHERE type = 'AdmissionConfirmed' AND payload->>'admissionId' = $1`, [recorded.id]);
    expect(outbox.rows).toEqual([{ payload: { admissionId: recorded.id, grantId: grant.body.id, orderId: order.id, citizenId, institutionId: institution['Forsorgscenter Viborg'] } }]);

    expect((await unconfirmed()).map((a) => a.id)).not.toContain(recorded.id);
    const confirmedList = await request(app, 'GET', '/api/v1/admissions?status=confirmed', as('caseworker'));
    expect(confirmedList.body.items.map((a: { id: string }) => a.id)).toContain(recorded.id);

    // Every read and change of the admission is in the access log, under the person and purpose that made it.
    const log = await db.query(`SELECT action, actor_user_id, purpose FROM access_log WHERE object_type = 'admission' AND object_id = $1 ORDER BY id`, [recorded.id]);
    expect(log.rows).toEqual(
      expect.arrayContaining([
        { action: 'create', actor_user_id: principal.forsorgLeader.id, purpose: 'delivery' },
        { action: 'read', actor_user_id: principal.caseworker.id, purpose: 'visitation' },
        { action: 'read', actor_user_id: principal.forsorgLeader.id, purpose: 'delivery' },
        { action: 'update', actor_user_id: principal.caseworker.id, purpose: 'visitation' },
      ]),
    );
    const grantLog = await db.query(`SELECT action FROM access_log WHERE object_type IN ('grant', 'order') AND citizen_id = $1 AND action = 'create'`, [citizenId]);
    expect(grantLog.rows).toHaveLength(2);
    // Nobody at another institution read it.
    expect((await db.query(`SELECT count(*)::int AS n FROM access_log WHERE object_id = $1 AND actor_user_id = $2`, [recorded.id, principal.providerStaff.id])).rows[0].n).toBe(0);
  });

  it('confirming twice is 409 and makes no second grant', async () => {
    const a = await record('forsorgLeader', admission(await newCitizen()));
    expect((await confirm(a.id)).status).toBe(200);
    expectProblem(await confirm(a.id, 'panelMember'), 409, 'conflict');
    expect((await db.query('SELECT count(*)::int AS n FROM citizen_grant WHERE admission_id = $1', [a.id])).rows[0].n).toBe(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'AdmissionConfirmed' AND payload->>'admissionId' = $1`, [a.id])).rows[0].n).toBe(1);
  });

  it('only caseworkers and panel members confirm; institution staff and admins cannot', async () => {
    const a = await record('forsorgLeader', admission(await newCitizen()));
    expectProblem(await request(app, 'POST', `/api/v1/admissions/${a.id}/confirm`, as('forsorgLeader')), 403);
    expectProblem(await confirm(a.id, 'admin'), 403);
    expectProblem(await confirm('00000000-0000-4000-8000-000000000000'), 404);
    expect((await request(app, 'GET', `/api/v1/admissions/${a.id}`, as('caseworker'))).body.status).toBe('unconfirmed');
  });

  it('§ 109: Krisecenter Viborg, no notice deadline; its leader lists only its own admissions', async () => {
    const citizenId = await newCitizen();
    const a = await record('kriseLeader', admission(citizenId, { institutionId: institution['Krisecenter Viborg'], standardCode: 'SEL-109', admittedOn: addDays(today, -2) }));
    expect(a).toMatchObject({ standardCode: 'SEL-109', notificationDueBy: null, status: 'unconfirmed' });
    expect((await unconfirmed('&standardCode=SEL-109')).map((x) => x.id)).toContain(a.id);

    const own = await request(app, 'GET', '/api/v1/admissions', as('kriseLeader'));
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((x: { institutionId: string }) => x.institutionId === institution['Krisecenter Viborg'])).toBe(true);
    expectProblem(await request(app, 'GET', `/api/v1/admissions?institutionId=${institution['Forsorgscenter Viborg']}`, as('kriseLeader')), 404);
    expectProblem(await request(app, 'GET', '/api/v1/admissions', as('finance')), 403);

    const confirmed = await confirm(a.id);
    expect(confirmed.status).toBe(200);
    const grant = await request(app, 'GET', `/api/v1/grants/${confirmed.body.grantId}`, as('kriseLeader'));
    expect(grant.body).toMatchObject({ standardCode: 'SEL-109', validFrom: a.admittedOn, admissionId: a.id });
  });

  it('recording the same sourceRef again returns the same admission (one row); other content under it is 409', async () => {
    const input = admission(await newCitizen());
    const first = await record('forsorgLeader', input);
    const again = await record('forsorgLeader', input);
    expect(again).toEqual(first);
    expect((await db.query('SELECT count(*)::int AS n FROM self_referral_admission WHERE source_ref = $1', [input.sourceRef])).rows[0].n).toBe(1);
    await expect(record('forsorgLeader', { ...input, admittedOn: addDays(input.admittedOn, -1) })).rejects.toMatchObject({ code: 'conflict' });
  });

  it.each([
    ['a standard that is not self-referral (SEL-85)', { standardCode: 'SEL-85', institutionId: 'Bostøtten Handicap' }, 'institutionManager', '/standardCode'],
    ['open access without a stay (SEL-99, støtte- og kontaktperson)', { standardCode: 'SEL-99', institutionId: 'Støtte- og kontaktpersonordningen' }, 'caseworker', '/standardCode'],
    ['an institution of the wrong type (§ 110 at the women’s shelter)', { institutionId: 'Krisecenter Viborg' }, 'kriseLeader', '/institutionId'],
    ['an admission in the future', { admittedOn: addDays(today, 1) }, 'forsorgLeader', '/admittedOn'],
    ['an institution that does not exist', { institutionId: '00000000-0000-4000-8000-000000000000' }, 'caseworker', '/institutionId'],
  ] as const)('refuses %s (422 naming the field) and records nothing', async (_, extra, who, pointer) => {
    const citizenId = await newCitizen();
    const fields: Partial<NewAdmission> = { ...extra };
    if (fields.institutionId && institution[fields.institutionId]) fields.institutionId = institution[fields.institutionId];
    await expect(record(who, admission(citizenId, fields))).rejects.toMatchObject({
      code: 'ruleViolated',
      errors: expect.arrayContaining([expect.objectContaining({ pointer })]),
    });
    expect((await db.query('SELECT count(*)::int AS n FROM self_referral_admission WHERE citizen_id = $1', [citizenId])).rows[0].n).toBe(0);
  });

  it('staff of another institution cannot record there (404)', async () => {
    await expect(record('forsorgLeader', admission(await newCitizen(), { institutionId: institution['Krisecenter Viborg'], standardCode: 'SEL-109' }))).rejects.toMatchObject({
      code: 'notFound',
    });
  });

  it('a discharge after confirmation ends the grant on the last night; before confirmation the grant is made ended', async () => {
    const a = await record('forsorgLeader', admission(await newCitizen(), { admittedOn: addDays(today, -20) }));
    const grantId = (await confirm(a.id)).body.grantId as string;
    const lastNight = addDays(today, -3);

    await expect(inCls((s) => s.recordDischarge(principal.forsorgLeader, 'delivery', a.sourceRef, addDays(a.admittedOn, -1)))).rejects.toMatchObject({ code: 'ruleViolated' });
    await expect(inCls((s) => s.recordDischarge(principal.kriseLeader, 'delivery', a.sourceRef, lastNight))).rejects.toMatchObject({ code: 'notFound' });
    const discharged = await inCls((s) => s.recordDischarge(principal.forsorgLeader, 'delivery', a.sourceRef, lastNight));
    expect(discharged).toMatchObject({ dischargedOn: lastNight, status: 'confirmed', grantId });
    expect((await request(app, 'GET', `/api/v1/grants/${grantId}`, as('caseworker'))).body).toMatchObject({ validFrom: a.admittedOn, validTo: lastNight, state: 'ended' });
    // The same discharge again changes nothing; another day is a conflict.
    expect(await inCls((s) => s.recordDischarge(principal.forsorgLeader, 'delivery', a.sourceRef, lastNight))).toEqual(discharged);
    await expect(inCls((s) => s.recordDischarge(principal.forsorgLeader, 'delivery', a.sourceRef, addDays(lastNight, -1)))).rejects.toMatchObject({ code: 'conflict' });
    const log = await db.query(`SELECT object_type FROM access_log WHERE action = 'update' AND actor_user_id = $1 AND object_id IN ($2, $3)`, [principal.forsorgLeader.id, a.id, grantId]);
    expect(log.rows.map((r) => r.object_type).sort()).toEqual(['admission', 'grant']);

    const b = await record('forsorgLeader', admission(await newCitizen(), { admittedOn: addDays(today, -10) }));
    await inCls((s) => s.recordDischarge(principal.forsorgLeader, 'delivery', b.sourceRef, addDays(today, -4)));
    const confirmed = await confirm(b.id);
    expect((await request(app, 'GET', `/api/v1/grants/${confirmed.body.grantId}`, as('caseworker'))).body).toMatchObject({ validFrom: b.admittedOn, validTo: addDays(today, -4) });
  });

  it('a stay that overlaps a confirmed one of the same service is 409 and stays unconfirmed', async () => {
    const citizenId = await newCitizen();
    const first = await record('forsorgLeader', admission(citizenId, { admittedOn: addDays(today, -30) }));
    const second = await record('forsorgLeader', admission(citizenId, { admittedOn: addDays(today, -10) }));
    expect((await confirm(first.id)).status).toBe(200);
    expectProblem(await confirm(second.id), 409, 'conflict');
    expect((await request(app, 'GET', `/api/v1/admissions/${second.id}`, as('caseworker'))).body).toMatchObject({ status: 'unconfirmed', grantId: null });
    // Once the first stay is discharged before the second began, the second can be confirmed.
    await inCls((s) => s.recordDischarge(principal.forsorgLeader, 'delivery', first.sourceRef, addDays(today, -11)));
    expect((await confirm(second.id)).status).toBe(200);
  });

  it('lists the unconfirmed oldest first, page by page', async () => {
    const ids: string[] = [];
    for (const days of [40, 39, 38]) ids.push((await record('forsorgLeader', admission(await newCitizen(), { admittedOn: addDays(today, -days), standardCode: 'SEL-110' }))).id);
    const seen: { id: string; admittedOn: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string; admittedOn: string }[]; nextCursor: string | null } } = await request(
        app,
        'GET',
        `/api/v1/admissions?standardCode=SEL-110&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        as('caseworker'),
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.filter((a) => ids.includes(a.id)).map((a) => a.id)).toEqual(ids);
    expect(seen.map((a) => a.admittedOn)).toEqual([...seen.map((a) => a.admittedOn)].sort());
    expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);
    expectProblem(await request(app, 'GET', '/api/v1/admissions?cursor=nonsense', as('caseworker')), 400);
  });
});
