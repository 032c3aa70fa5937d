import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { IDENTITY_STORE, IdentityStore } from 'src/platform/auth/principal';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { AdmissionService } from 'src/modules/visitation/admission.service';
import { OrderService } from 'src/modules/visitation/order.service';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { MovableClock } from 'test/support/clock';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

/**
 * The casework deadlines over time (a movable clock): an inquiry past its deadline asks for a notice to the
 * citizen until one is recorded (and again when its expected date passes); § 101 treatment must start within
 * 14 days of the inquiry, tracked to the order's start.
 */
describe('work list over time: casework deadlines and the 14-day treatment rule', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const clock = new MovableClock('2026-03-02T09:00:00+01:00');
  const t0 = '2026-03-02';
  const institution = {} as Record<string, string>;
  let serial = 4000;

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

  const today = () => danishDate(clock.now());
  /** Tokens are issued and checked on the moved clock: log in again after moving it. */
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (role: string) => {
    const key = `${role}@${clock.now().toISOString()}`;
    if (!tokens.has(key)) tokens.set(key, login(app, role, DEMO_PASSWORD));
    return tokens.get(key)!;
  };
  const workList = async () => {
    const res = await request(app, 'GET', '/api/v1/work-list?dueWithinDays=0', { token: await tokenOf('caseworker') });
    if (res.status !== 200) throw new Error(`work list: ${res.status} ${res.text}`);
    return res.body;
  };
  const inquiryFor = async (standardCode: string, receivedOn = today()) => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', { token: await tokenOf('caseworker'), body: { cpr: `010180-${serial++}`, name: `Borger ${serial}` } });
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, { token: await tokenOf('caseworker'), body: { receivedOn, channel: 'phone', request: 'Hjælp', standardCode } });
    expect(inquiry.status).toBe(201);
    return { citizenId: citizen.body.id as string, caseId: inquiry.body.caseId as string, inquiryId: inquiry.body.id as string, deadline: inquiry.body.caseworkDeadline as string };
  };

  it('an inquiry past its deadline asks for a notice until one is sent, and again when the expected date passes', async () => {
    clock.set(`${t0}T09:00:00+01:00`);
    const { inquiryId, deadline } = await inquiryFor('SEL-85');
    expect(deadline).toBe(addDays(t0, 56));
    expect((await workList()).inquiriesDue.find((i: { inquiryId: string }) => i.inquiryId === inquiryId)).toBeUndefined();

    clock.set(`${addDays(deadline, 1)}T09:00:00+02:00`);
    const overdue = (await workList()).inquiriesDue.find((i: { inquiryId: string }) => i.inquiryId === inquiryId);
    expect(overdue).toMatchObject({ overdue: true, noticeRequired: true, noticeSentOn: null });

    const bad = await request(app, 'POST', `/api/v1/inquiries/${inquiryId}/deadline-notices`, {
      token: await tokenOf('caseworker'),
      body: { sentOn: today(), channel: 'digitalPost', expectedDecisionOn: today(), reason: 'Vi mangler lægeoplysninger.' },
    });
    expect(expectProblem(bad, 422).errors.map((e) => e.pointer)).toEqual(['/expectedDecisionOn']);
    const expected = addDays(today(), 14);
    const notice = await request(app, 'POST', `/api/v1/inquiries/${inquiryId}/deadline-notices`, {
      token: await tokenOf('caseworker'),
      body: { sentOn: today(), channel: 'digitalPost', expectedDecisionOn: expected, reason: 'Vi mangler lægeoplysninger.' },
    });
    expect(notice.status).toBe(201);
    expect((await workList()).inquiriesDue.find((i: { inquiryId: string }) => i.inquiryId === inquiryId)).toMatchObject({
      overdue: true,
      noticeRequired: false,
      noticeSentOn: today(),
      expectedDecisionOn: expected,
    });

    clock.advanceDays(15);
    expect((await workList()).inquiriesDue.find((i: { inquiryId: string }) => i.inquiryId === inquiryId)).toMatchObject({ noticeRequired: true });
    const notices = await request(app, 'GET', `/api/v1/inquiries/${inquiryId}/deadline-notices`, { token: await tokenOf('caseworker') });
    expect(notices.body).toEqual([expect.objectContaining({ expectedDecisionOn: expected, channel: 'digitalPost' })]);
    const providerStaff = await tokenOf('providerStaff');
    expect((await request(app, 'GET', `/api/v1/inquiries/${inquiryId}/deadline-notices`, { token: providerStaff })).status).toBe(403);
  });

  it('§ 101 treatment must start within 14 days of the inquiry: on the list until the order starts in time; breached after', async () => {
    clock.set(`${t0}T09:00:00+01:00`);
    const onTime = await inquiryFor('SEL-101');
    const late = await inquiryFor('SEL-101');
    const start = (await workList()).treatmentStarts;
    expect(start).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ inquiryId: onTime.inquiryId, startDeadline: addDays(t0, 14), startedOn: null, breached: false }),
        expect.objectContaining({ inquiryId: late.inquiryId, breached: false }),
      ]),
    );

    // A grant of § 101 at the substance-abuse centre; the centre's manager accepts from day 10.
    const grantAndOrder = async (caseId: string, inquiryId: string) => {
      const d = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
        token: await tokenOf('caseworker'),
        body: { kind: 'grant', standardCode: 'SEL-101', inquiryId, validFrom: addDays(t0, 3), institutionId: institution['Rusmiddelcenter Viborg'], reasoning: 'Behov for behandling.' },
      });
      expect(d.status).toBe(201);
      const n = await request(app, 'POST', `/api/v1/decisions/${d.body.id}/notify`, { token: await tokenOf('caseworker'), body: { channel: 'digitalPost' } });
      expect(n.status).toBe(200);
      return (await db.query('SELECT id, version FROM service_order WHERE grant_id = $1', [n.body.resultingGrantId])).rows[0] as { id: string; version: number };
    };
    const manager = await request(app, 'POST', '/api/v1/users', {
      token: await tokenOf('admin'),
      body: { username: 'rusmiddel.leder', displayName: 'Leder Rusmiddelcenter', role: 'institutionManager', orgUnitId: institution['Rusmiddelcenter Viborg'], password: 'a-long-password-for-tests' },
    });
    expect(manager.status).toBe(201);
    const principal = (await app.get<IdentityStore>(IDENTITY_STORE).principalForUser(manager.body.id))!;
    const accept = (orderId: string, version: number, startDate: string) =>
      app.get(ClsService).run(() => app.get(OrderService).accept(principal, 'delivery', orderId, version, startDate));

    const first = await grantAndOrder(onTime.caseId, onTime.inquiryId);
    clock.set(`${addDays(t0, 10)}T09:00:00+01:00`);
    await accept(first.id, first.version, addDays(t0, 10));
    expect((await workList()).treatmentStarts.map((t: { inquiryId: string }) => t.inquiryId)).not.toContain(onTime.inquiryId);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'OrderAccepted' AND payload->>'orderId' = $1`, [first.id])).rows[0].n).toBe(1);

    clock.set(`${addDays(t0, 15)}T09:00:00+01:00`);
    expect((await workList()).treatmentStarts).toEqual([expect.objectContaining({ inquiryId: late.inquiryId, startedOn: null, breached: true })]);
    const second = await grantAndOrder(late.caseId, late.inquiryId);
    await accept(second.id, second.version, addDays(t0, 16));
    expect((await workList()).treatmentStarts).toEqual([expect.objectContaining({ inquiryId: late.inquiryId, startedOn: addDays(t0, 16), breached: true })]);
    // Accepting twice, or by another institution, is refused.
    await expect(accept(second.id, second.version + 1, addDays(t0, 16))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('complaints on my cases: re-assess within 4 weeks, forward once upheld, decide again when remitted; action plans not offered', async () => {
    clock.set(`${t0}T09:00:00+01:00`);
    const { caseId, inquiryId } = await inquiryFor('SEL-85');
    const cw = await tokenOf('caseworker');
    const decision = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      token: cw,
      body: { kind: 'grant', standardCode: 'SEL-85', inquiryId, scope: 3, requestedScope: 6, validFrom: addDays(t0, 7), institutionId: institution['Bostøtten Handicap'], reasoning: 'Behovet svarer til 3 timer.', hearingExemptionReason: 'Afgørelsen bygger alene på borgerens egne oplysninger.' },
    });
    const notified = await request(app, 'POST', `/api/v1/decisions/${decision.body.id}/notify`, { token: cw, body: { channel: 'digitalPost' } });
    expect(notified.status).toBe(200);
    const entry = async () => (await workList()).complaints.find((k: { decisionId: string }) => k.decisionId === decision.body.id);
    const plans = async () => (await workList()).actionPlansNotOffered.filter((p: { caseId: string }) => p.caseId === caseId);
    expect(await plans()).toEqual([expect.objectContaining({ standardCodes: ['SEL-85'], mandatory: false })]);

    clock.set(`${addDays(t0, 5)}T09:00:00+01:00`);
    const complaint = await request(app, 'POST', `/api/v1/decisions/${decision.body.id}/complaints`, {
      token: await tokenOf('caseworker'),
      body: { receivedOn: today(), channel: 'letter', summary: 'Borgeren ønsker 6 timer.' },
    });
    expect(complaint.status).toBe(201);
    expect(await entry()).toMatchObject({ task: 'reassess', dueOn: addDays(t0, 33), overdue: false, late: false });
    clock.set(`${addDays(t0, 34)}T09:00:00+01:00`);
    expect(await entry()).toMatchObject({ task: 'reassess', overdue: true });

    const step = async (action: string, body: Record<string, unknown>) => {
      const current = await request(app, 'GET', `/api/v1/complaints/${complaint.body.id}`, { token: await tokenOf('caseworker') });
      const res = await request(app, 'POST', `/api/v1/complaints/${complaint.body.id}/${action}`, {
        token: await tokenOf('caseworker'),
        headers: { 'if-match': `"${current.body.version}"` },
        body,
      });
      expect(res.status).toBe(200);
    };
    await step('reassessment', { outcome: 'upheld', reassessedOn: today(), note: 'Fastholdes.' });
    expect(await entry()).toMatchObject({ task: 'forward' });
    await step('forward', { forwardedOn: today(), documents: ['Afgørelse', 'Udredning'] });
    expect(await entry()).toBeUndefined();
    clock.set(`${addDays(t0, 90)}T09:00:00+01:00`);
    await step('outcome', { outcome: 'remitted', decidedOn: today(), note: 'Hjemvist: mangler oplysninger.' });
    expect(await entry()).toMatchObject({ task: 'decideAgain', dueOn: addDays(addDays(t0, 90), 28) });

    // The new decision on the case (a change of the grant to 6 hours) answers the remitted case.
    const grantId = notified.body.resultingGrantId;
    const change = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      token: await tokenOf('caseworker'),
      body: { kind: 'change', grantId, scope: 6, validFrom: addDays(t0, 95), reasoning: 'Ny vurdering efter hjemvisning.' },
    });
    expect(change.status).toBe(201);
    expect((await request(app, 'POST', `/api/v1/decisions/${change.body.id}/notify`, { token: await tokenOf('caseworker'), body: { channel: 'digitalPost' } })).status).toBe(200);
    expect(await entry()).toBeUndefined();

    // A handleplan offered takes the citizen off the "not offered" list.
    const plan = await request(app, 'POST', `/api/v1/cases/${caseId}/action-plans`, {
      token: await tokenOf('caseworker'),
      body: { purpose: 'Bo i egen bolig', services: 'Bostøtte', expectedDuration: '1 år', grantIds: [grantId] },
    });
    expect(plan.status).toBe(201);
    const v1 = plan.body.versions[0];
    const offered = await request(app, 'POST', `/api/v1/action-plans/${plan.body.id}/versions/1/offer`, {
      token: await tokenOf('caseworker'),
      headers: { 'if-match': `"${v1.version}"` },
      body: { offeredOn: today() },
    });
    expect(offered.status).toBe(200);
    expect(await plans()).toEqual([]);
  });

  it('a current § 110 stay without a § 142 handleplan is on every caseworker\'s list until one is offered', async () => {
    clock.set(`${addDays(t0, 100)}T09:00:00+01:00`);
    const { citizenId, caseId } = await inquiryFor('SEL-85');
    const caseworkerPrincipal = (await app.get<IdentityStore>(IDENTITY_STORE).principalForUser(
      (await request(app, 'GET', '/api/v1/me', { token: await tokenOf('caseworker') })).body.id,
    ))!;
    const admission = await app.get(ClsService).run(() =>
      app.get(AdmissionService).record(caseworkerPrincipal, 'administration', {
        citizenId,
        institutionId: institution['Forsorgscenter Viborg'],
        standardCode: 'SEL-110',
        admittedOn: today(),
        sourceRef: `stay-${citizenId}`,
      }),
    );
    const stays = async () => (await workList()).staysNeedingActionPlan.filter((a: { admissionId: string }) => a.admissionId === admission.id);
    expect(await stays()).toEqual([expect.objectContaining({ citizenId, standardCode: 'SEL-110', admittedOn: today(), admissionStatus: 'unconfirmed' })]);

    const plan = await request(app, 'POST', `/api/v1/cases/${caseId}/action-plans`, {
      token: await tokenOf('caseworker'),
      body: { legalBasis: 'SEL-142', purpose: 'Ud af hjemløshed', services: 'Ophold og bostøtte', expectedDuration: '3 måneder' },
    });
    expect(plan.status).toBe(201);
    expect(await stays()).toHaveLength(1);
    const offered = await request(app, 'POST', `/api/v1/action-plans/${plan.body.id}/versions/1/offer`, {
      token: await tokenOf('caseworker'),
      headers: { 'if-match': `"${plan.body.versions[0].version}"` },
      body: { offeredOn: today() },
    });
    expect(offered.status).toBe(200);
    expect(await stays()).toEqual([]);
  });
});
