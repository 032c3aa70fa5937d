import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { Principal } from 'src/platform/auth/principal';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { AdmissionService } from 'src/modules/visitation/admission.service';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request, TestResponse } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance' | 'forsorgLeader';
const ROLES = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance'] as const;

interface Version {
  versionNo: number;
  status: string;
  version: number;
  purpose: string;
  otherMatters: string | null;
  grantIds: string[];
  offeredOn: string | null;
  respondedOn: string | null;
}
interface Plan {
  id: string;
  legalBasis: string;
  version: number;
  versions: Version[];
  grants: { grantId: string; orderId: string | null; servicePurpose: string | null; goals: { primaryTheme: string }[]; subGoals: unknown[] }[];
}

describe('action plans (handleplaner, SEL § 141/§ 142)', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const principal = {} as Record<Role, Principal>;
  const institution = {} as Record<string, string>;
  const today = danishDate(new Date());
  let serial = 4000;

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
    const created = await request(app, 'POST', '/api/v1/users', {
      token: token.admin,
      body: { username: 'forsorgleder', displayName: 'Leder Forsorgscenter', role: 'institutionManager', orgUnitId: institution['Forsorgscenter Viborg'], password: DEMO_PASSWORD },
    });
    expect(created.status).toBe(201);
    token.forsorgLeader = await login(app, 'forsorgleder', DEMO_PASSWORD);
    principal.forsorgLeader = await me(token.forsorgLeader);
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const as = (role: Role, headers?: Record<string, string>) => ({ token: token[role], headers });
  const caseFor = async (standardCode: string) => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', {
      ...as('caseworker'),
      body: { cpr: `010385-${serial++}`, name: 'Åse Østergård', address: { street: 'Søvej 1', postalCode: '8800', city: 'Viborg' } },
    });
    expect(citizen.status).toBe(201);
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
      ...as('caseworker'),
      body: { receivedOn: addDays(today, -10), channel: 'phone', request: 'Ønsker hjælp', standardCode },
    });
    expect(inquiry.status).toBe(201);
    return { citizenId: citizen.body.id as string, caseId: inquiry.body.caseId as string };
  };
  /** A notified § 85 grant with goals at Bostøtten Handicap (the demo providerStaff's institution): its grant and order. */
  const bostøtte = async (caseId: string, citizenId: string) => {
    const d = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      ...as('caseworker'),
      body: {
        kind: 'grant',
        standardCode: 'SEL-85',
        scope: 5,
        validFrom: addDays(today, 7),
        institutionId: institution['Bostøtten Handicap'],
        servicePurpose: 'At borgeren kan bo i egen bolig',
        goals: [{ description: 'Handler selv ind to gange om ugen', primaryTheme: 'practicalTasks', secondaryThemes: ['mobility'], targetLevel: 1, goalType: 'develop' }],
        reasoning: 'Borgeren har betydelig nedsat funktionsevne i praktiske opgaver og har behov for støtte i hjemmet.',
      },
    });
    expect(d.status).toBe(201);
    expect((await request(app, 'POST', `/api/v1/decisions/${d.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost' } })).status).toBe(200);
    const [grant] = (await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'))).body as { id: string }[];
    const orders = (await request(app, 'GET', `/api/v1/orders?citizenId=${citizenId}`, as('caseworker'))).body.items as { id: string; grantId: string }[];
    return { grantId: grant.id, orderId: orders.find((o) => o.grantId === grant.id)!.id };
  };
  const planBody = (grantIds: string[], extra: Record<string, unknown> = {}) => ({
    purpose: 'At borgeren bliver boende i egen bolig og får et netværk.',
    services: 'Bostøtte 5 timer om ugen.',
    grantIds,
    expectedDuration: '12 måneder',
    otherMatters: 'Gæld til boligselskabet; kontakt til jobcentret.',
    ...extra,
  });
  const create = (caseId: string, body: Record<string, unknown>, role: Role = 'caseworker') =>
    request<Plan>(app, 'POST', `/api/v1/cases/${caseId}/action-plans`, { ...as(role), body });
  const patch = (id: string, n: number, version: number, body: Record<string, unknown>) =>
    request<Plan>(app, 'PATCH', `/api/v1/action-plans/${id}/versions/${n}`, { ...as('caseworker', { 'if-match': `"${version}"` }), body });
  const offer = (id: string, n: number, version: number, body: Record<string, unknown> = {}) =>
    request<Plan>(app, 'POST', `/api/v1/action-plans/${id}/versions/${n}/offer`, { ...as('caseworker', { 'if-match': `"${version}"` }), body });
  const respond = (id: string, n: number, body: Record<string, unknown>) =>
    request<Plan>(app, 'POST', `/api/v1/action-plans/${id}/versions/${n}/response`, { ...as('caseworker'), body });
  const versionOf = (res: TestResponse<Plan>, n: number) => res.body.versions.find((v) => v.versionNo === n)!;

  it('create → edit the draft → offer (the order carries it; the institution reads it without other matters) → accepted; a new version → offered → declined (kept)', async () => {
    const { citizenId, caseId } = await caseFor('SEL-85');
    const { grantId, orderId } = await bostøtte(caseId, citizenId);

    const created = await create(caseId, planBody([grantId]), 'caseworker');
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ legalBasis: 'SEL-141', citizenId, caseId, version: 1 });
    expect(created.body.versions).toEqual([expect.objectContaining({ versionNo: 1, status: 'draft', grantIds: [grantId], offeredOn: null, version: 1 })]);
    expect(created.body.grants).toEqual([
      expect.objectContaining({ grantId, orderId, servicePurpose: 'At borgeren kan bo i egen bolig', goals: [expect.objectContaining({ primaryTheme: 'practicalTasks', goalType: 'develop' })], subGoals: [] }),
    ]);
    const planId = created.body.id;
    // Before it is offered, the institution has nothing to read.
    expectProblem(await request(app, 'GET', `/api/v1/orders/${orderId}/action-plan`, as('providerStaff')), 404);

    const edited = await patch(planId, 1, 1, { services: 'Bostøtte 5 timer om ugen, heraf 1 time i weekenden.' });
    expect(edited.status).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(versionOf(edited, 1)).toMatchObject({ status: 'draft', version: 2, purpose: 'At borgeren bliver boende i egen bolig og får et netværk.' });

    const offered = await offer(planId, 1, 2, { offeredOn: addDays(today, -3) });
    expect(offered.status).toBe(200);
    expect(versionOf(offered, 1)).toMatchObject({ status: 'offered', offeredOn: addDays(today, -3) });
    expect((await request(app, 'GET', `/api/v1/orders/${orderId}`, as('caseworker'))).body.actionPlanId).toBe(planId);
    const event = await db.query(`SELECT payload FROM outbox WHERE type = 'OrderActionPlanOffered' AND payload->>'orderId' = $1`, [orderId]);
    expect(event.rows).toEqual([{ payload: expect.objectContaining({ actionPlanId: planId, versionNo: 1, institutionId: institution['Bostøtten Handicap'] }) }]);

    const seen = await request(app, 'GET', `/api/v1/orders/${orderId}/action-plan`, as('providerStaff'));
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({
      orderId,
      grantId,
      actionPlanId: planId,
      legalBasis: 'SEL-141',
      versionNo: 1,
      status: 'offered',
      offeredOn: addDays(today, -3),
      purpose: 'At borgeren bliver boende i egen bolig og får et netværk.',
      services: 'Bostøtte 5 timer om ugen, heraf 1 time i weekenden.',
      expectedDuration: '12 måneder',
      servicePurpose: 'At borgeren kan bo i egen bolig',
      goals: [expect.objectContaining({ description: 'Handler selv ind to gange om ugen', primaryTheme: 'practicalTasks', targetLevel: 1 })],
    });
    expect(seen.text).not.toContain('Gæld');

    const accepted = await respond(planId, 1, { response: 'accepted', respondedOn: addDays(today, -1) });
    expect(accepted.status).toBe(200);
    expect(versionOf(accepted, 1)).toMatchObject({ status: 'accepted', respondedOn: addDays(today, -1) });
    expectProblem(await respond(planId, 1, { response: 'declined' }), 409);

    // A new version: If-Match on the plan; copied from the latest, the body overrides.
    const v2 = await request<Plan>(app, 'POST', `/api/v1/action-plans/${planId}/versions`, {
      ...as('caseworker', { 'if-match': '"1"' }),
      body: { expectedDuration: '6 måneder' },
    });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);
    expect(v2.body.versions.map((v) => [v.versionNo, v.status])).toEqual([
      [2, 'draft'],
      [1, 'accepted'],
    ]);
    expect(versionOf(v2, 2)).toMatchObject({ grantIds: [grantId], otherMatters: 'Gæld til boligselskabet; kontakt til jobcentret.', offeredOn: null });
    // A second new version while v2 is a draft: edit the draft (409); a stale plan ETag also 409.
    expectProblem(await request(app, 'POST', `/api/v1/action-plans/${planId}/versions`, { ...as('caseworker', { 'if-match': '"2"' }), body: {} }), 409);
    expectProblem(await request(app, 'POST', `/api/v1/action-plans/${planId}/versions`, { ...as('caseworker', { 'if-match': '"1"' }), body: {} }), 409, 'versionMismatch');

    expect((await offer(planId, 2, 1, { offeredOn: today })).status).toBe(200);
    const declined = await respond(planId, 2, { response: 'declined', respondedOn: today, note: 'Borgeren ønsker ikke at tale om økonomi.' });
    expect(declined.status).toBe(200);
    expect(versionOf(declined, 2)).toMatchObject({ status: 'declined', respondedOn: today });

    // The institution still reads the latest offered or accepted version: v1 (v2 was declined); never the note.
    const after = await request(app, 'GET', `/api/v1/orders/${orderId}/action-plan`, as('providerStaff'));
    expect(after.body).toMatchObject({ versionNo: 1, status: 'accepted', expectedDuration: '12 måneder' });
    expect(after.text).not.toContain('økonomi');

    const got = await request<Plan>(app, 'GET', `/api/v1/action-plans/${planId}`, as('caseworker'));
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.versions.map((v) => v.status)).toEqual(['declined', 'accepted']);
    expect((await request<Plan[]>(app, 'GET', `/api/v1/cases/${caseId}/action-plans`, as('caseworker'))).body.map((p) => p.id)).toEqual([planId]);
    expect((await request<Plan[]>(app, 'GET', `/api/v1/citizens/${citizenId}/action-plans`, as('panelMember'))).body.map((p) => p.id)).toEqual([planId]);

    // Other institutions and finance see nothing; institution staff do not read the plan itself.
    expectProblem(await request(app, 'GET', `/api/v1/orders/${orderId}/action-plan`, as('forsorgLeader')), 404);
    expectProblem(await request(app, 'GET', `/api/v1/orders/${orderId}/action-plan`, as('finance')), 403);
    expectProblem(await request(app, 'GET', `/api/v1/action-plans/${planId}`, as('providerStaff')), 403);
    expectProblem(await request(app, 'GET', `/api/v1/action-plans/${planId}`, as('finance')), 403);

    // Access log: each read and change of the plan, in the same transaction; the institution's read is there too.
    const log = await db.query(`SELECT action, actor_user_id FROM access_log WHERE object_type = 'actionPlan' AND citizen_id = $1 ORDER BY id`, [citizenId]);
    const entries = log.rows.map((r: { action: string; actor_user_id: string }) => `${r.action}:${r.actor_user_id === principal.providerStaff.id ? 'provider' : 'authority'}`);
    expect(entries.filter((e) => e === 'create:authority')).toHaveLength(1);
    expect(entries.filter((e) => e === 'update:authority')).toHaveLength(6); // patch, offer, accept, new version, offer, decline
    expect(entries.filter((e) => e === 'read:provider')).toHaveLength(2);
    expect(entries.filter((e) => e === 'read:authority')).toHaveLength(3);
    expect((await db.query(`SELECT count(*)::int AS n FROM access_log WHERE citizen_id = $1 AND actor_user_id = $2`, [citizenId, principal.forsorgLeader.id])).rows[0].n).toBe(0);
    const orderLog = await db.query(`SELECT count(*)::int AS n FROM access_log WHERE object_type = 'order' AND object_id = $1 AND action = 'update'`, [orderId]);
    expect(orderLog.rows[0].n).toBe(2);
  });

  it('an offered version never changes: PATCH 409, and the database refuses an UPDATE by the app role', async () => {
    const { citizenId, caseId } = await caseFor('SEL-85');
    const { grantId } = await bostøtte(caseId, citizenId);
    const plan = (await create(caseId, planBody([grantId]))).body;
    const offered = await offer(plan.id, 1, 1);
    expect(versionOf(offered, 1)).toMatchObject({ status: 'offered', offeredOn: today });
    const v = versionOf(offered, 1);
    expectProblem(await patch(plan.id, 1, v.version, { purpose: 'Noget andet' }), 409);
    expectProblem(await offer(plan.id, 1, v.version), 409);
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE bum_app');
      await expect(db.query(`UPDATE action_plan_version SET purpose = 'Noget andet' WHERE plan_id = $1`, [plan.id])).rejects.toThrow(/never changes/);
    } finally {
      await db.query('ROLLBACK');
    }
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE bum_app');
      await expect(db.query(`DELETE FROM action_plan_version WHERE plan_id = $1`, [plan.id])).rejects.toThrow(/permission denied/);
    } finally {
      await db.query('ROLLBACK');
    }
    expect((await db.query(`SELECT purpose FROM action_plan_version WHERE plan_id = $1`, [plan.id])).rows).toEqual([{ purpose: plan.versions[0].purpose }]);
  });

  it('a stale If-Match on a draft is 409 and nothing is lost; no If-Match is 428', async () => {
    const { caseId } = await caseFor('SEL-85');
    const plan = (await create(caseId, planBody([]))).body;
    expect((await patch(plan.id, 1, 1, { purpose: 'Første redaktør' })).status).toBe(200);
    expectProblem(await patch(plan.id, 1, 1, { purpose: 'Anden redaktør' }), 409, 'versionMismatch');
    expectProblem(await request(app, 'PATCH', `/api/v1/action-plans/${plan.id}/versions/1`, { ...as('caseworker'), body: { purpose: 'x' } }), 428);
    expectProblem(await offer(plan.id, 1, 1), 409, 'versionMismatch');
    const got = await request<Plan>(app, 'GET', `/api/v1/action-plans/${plan.id}`, as('caseworker'));
    expect(got.body.versions).toEqual([expect.objectContaining({ purpose: 'Første redaktør', status: 'draft', version: 2 })]);
    expectProblem(await patch(plan.id, 7, 2, { purpose: 'x' }), 404);
  });

  it('dates: offered in the future 422; answered before the offer or in the future 422; a draft is not answered (409)', async () => {
    const { caseId } = await caseFor('SEL-85');
    const plan = (await create(caseId, planBody([]))).body;
    expectProblem(await respond(plan.id, 1, { response: 'accepted' }), 409);
    expect(expectProblem(await offer(plan.id, 1, 1, { offeredOn: addDays(today, 1) }), 422).errors.map((e) => e.pointer)).toEqual(['/offeredOn']);
    expect((await offer(plan.id, 1, 1, { offeredOn: addDays(today, -2) })).status).toBe(200);
    expect(expectProblem(await respond(plan.id, 1, { response: 'accepted', respondedOn: addDays(today, -3) }), 422).errors.map((e) => e.pointer)).toEqual(['/respondedOn']);
    expect(expectProblem(await respond(plan.id, 1, { response: 'accepted', respondedOn: addDays(today, 1) }), 422).errors.map((e) => e.pointer)).toEqual(['/respondedOn']);
    const got = await request<Plan>(app, 'GET', `/api/v1/action-plans/${plan.id}`, as('caseworker'));
    expect(got.body.versions[0]).toMatchObject({ status: 'offered', respondedOn: null });
  });

  it('refuses § 142 without a § 110 stay, a grant of another citizen, an anonymous client, and nothing is stored', async () => {
    const { citizenId, caseId } = await caseFor('SEL-85');
    const other = await caseFor('SEL-85');
    const { grantId: othersGrant } = await bostøtte(other.caseId, other.citizenId);
    expect(expectProblem(await create(caseId, planBody([], { legalBasis: 'SEL-142' })), 422).errors.map((e) => e.pointer)).toEqual(['/legalBasis']);
    const wrongGrant = expectProblem(await create(caseId, planBody([othersGrant])), 422);
    expect(wrongGrant.errors.map((e) => e.pointer)).toEqual(['/grantIds/0']);
    expect(wrongGrant.detail).toMatch(/grantIds/i);

    const anonymous = await request(app, 'POST', '/api/v1/citizens/anonymous', { ...as('caseworker'), body: { serviceCode: 'SEL-101a', alias: 'K' } });
    expect(anonymous.status).toBe(201);
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${anonymous.body.id}/inquiries`, {
      ...as('caseworker'),
      body: { receivedOn: today, channel: 'phone', request: 'Anonym behandling', standardCode: 'SEL-101a' },
    });
    expect(inquiry.status).toBe(201);
    expectProblem(await create(inquiry.body.caseId, planBody([])), 422, 'ruleViolated');
    // Only caseworkers and panel members make plans.
    expectProblem(await create(caseId, planBody([]), 'providerStaff'), 403);
    expectProblem(await create(caseId, planBody([]), 'finance'), 403);
    expect((await db.query('SELECT count(*)::int AS n FROM action_plan WHERE citizen_id = ANY($1::uuid[])', [[citizenId, anonymous.body.id]])).rows[0].n).toBe(0);
  });

  it('refuses a plan that covers only § 101 a treatment (no action plan: SEL § 141, stk. 6)', async () => {
    const { citizenId, caseId } = await caseFor('SEL-101a');
    const d = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      ...as('caseworker'),
      body: { kind: 'grant', standardCode: 'SEL-101a', validFrom: today, institutionId: institution['Rusmiddelcenter Viborg'], reasoning: 'Anonym ambulant behandling.' },
    });
    expect(d.status).toBe(201);
    expect((await request(app, 'POST', `/api/v1/decisions/${d.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost' } })).status).toBe(200);
    const [grant] = (await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'))).body as { id: string }[];
    const refused = expectProblem(await create(caseId, planBody([grant.id])), 422, 'ruleViolated');
    expect(refused.errors.map((e) => e.pointer)).toEqual(['/grantIds']);
    expect(refused.detail).toContain('SEL-101a');
  });

  it('§ 142 for a citizen staying at a § 110 forsorgshjem: the default legal basis', async () => {
    const { citizenId, caseId } = await caseFor('SEL-110');
    const admission = await app.get(ClsService).run(() =>
      app.get(AdmissionService).record(principal.forsorgLeader, 'delivery', {
        citizenId,
        institutionId: institution['Forsorgscenter Viborg'],
        standardCode: 'SEL-110',
        admittedOn: addDays(today, -4),
        sourceRef: 'delivery-stay-action-plan-1',
      }),
    );
    const plan = await create(caseId, planBody([], { otherMatters: null }));
    expect(plan.status).toBe(201);
    expect(plan.body.legalBasis).toBe('SEL-142');
    expect((await request(app, 'POST', `/api/v1/admissions/${admission.id}/confirm`, as('caseworker'))).status).toBe(200);
    const [grant] = (await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'))).body as { id: string }[];
    const explicit = await create(caseId, planBody([grant.id], { legalBasis: 'SEL-142' }));
    expect(explicit.status).toBe(201);
    expect(explicit.body.legalBasis).toBe('SEL-142');
  });
});
