import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { Principal } from 'src/platform/auth/principal';
import { addDays, addMonths, danishDate } from 'src/platform/clock/danish-date';
import { DomainEvent } from 'src/platform/outbox/events';
import { ConsumerRegistry } from 'src/platform/queue/consumers';
import { FollowUpDueConsumer } from 'src/modules/notifications/follow-up-due.consumer';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { AdmissionService } from 'src/modules/visitation/admission.service';
import { FollowUpDueJob } from 'src/modules/visitation/follow-up-due.job';
import { FollowUpService } from 'src/modules/visitation/follow-up.service';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { MovableClock } from 'test/support/clock';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance' | 'forsorgLeader';
const DEMO_ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance'];
const NAME = 'Åse Østergård';

interface FollowUp {
  id: string;
  grantId: string;
  dueOn: string;
  source: string;
  status: string;
  overdue: boolean;
  version: number;
  dueNotified: boolean;
}

describe('follow-ups (opfølgning)', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const clock = new MovableClock();
  const start = clock.now();
  const token = {} as Record<Role, string>;
  const userId = {} as Record<Role, string>;
  const institution = {} as Record<string, string>;
  const today = () => danishDate(clock.now());
  const startDay = danishDate(start);
  let serial = 3000;

  /** Tokens are checked against the (movable) clock: log in again whenever it moves. */
  const logIn = async () => {
    for (const role of Object.keys(userId) as Role[]) token[role] = await login(app, role === 'forsorgLeader' ? 'forsorgleader' : role, DEMO_PASSWORD);
  };
  /** Moves the clock to 09:00 in Denmark on a day, and logs in again. */
  const moveTo = async (day: string) => {
    clock.set(`${day}T09:00:00+01:00`);
    await logIn();
  };

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp({ clock, extra: { providers: [ConsumerRegistry, NotificationsService, FollowUpDueJob, FollowUpDueConsumer] } });
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of DEMO_ROLES) {
      token[role] = await login(app, role, DEMO_PASSWORD);
      userId[role] = (await request(app, 'GET', '/api/v1/me', { token: token[role] })).body.id;
    }
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
    const leader = await request(app, 'POST', '/api/v1/users', {
      token: token.admin,
      body: { username: 'forsorgleader', displayName: 'Leder', role: 'institutionManager', orgUnitId: institution['Forsorgscenter Viborg'], password: DEMO_PASSWORD },
    });
    expect(leader.status).toBe(201);
    userId.forsorgLeader = leader.body.id;
    token.forsorgLeader = await login(app, 'forsorgleader', DEMO_PASSWORD);
  });
  afterEach(async () => {
    if (clock.now().getTime() !== start.getTime()) {
      clock.set(start);
      await logIn();
    }
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const as = (role: Role, purpose?: string) => ({ token: token[role], ...(purpose ? { headers: { 'x-purpose': purpose } } : {}) });
  const inCls = <T>(fn: () => Promise<T>) => app.get(ClsService).run(fn);
  const runJob = () => inCls(() => app.get(FollowUpDueJob).run());
  const dueEvents = async (followUpId: string) =>
    (await db.query(`SELECT id, payload FROM outbox WHERE type = 'FollowUpDue' AND payload->>'followUpId' = $1 ORDER BY id`, [followUpId])).rows as {
      id: string;
      payload: DomainEvent<'FollowUpDue'>['payload'];
    }[];

  /** A citizen with a notified SEL-85 grant (bostøtte, follow-up every 6 months) on a case the caseworker has. */
  const grantOf = async (validFrom: string, standardCode = 'SEL-85', institutionName = 'Bostøtten Handicap') => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', {
      ...as('caseworker'),
      body: { cpr: `010385-${serial++}`, name: NAME, address: { street: 'Søvej 1', postalCode: '8800', city: 'Viborg' } },
    });
    expect(citizen.status).toBe(201);
    const decidedOn = validFrom < today() ? addDays(validFrom, -1) : today();
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
      ...as('caseworker'),
      body: { receivedOn: addDays(decidedOn, -10), channel: 'phone', request: 'Ønsker hjælp', standardCode },
    });
    expect(inquiry.status).toBe(201);
    const caseId = inquiry.body.caseId as string;
    const draft = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      ...as('caseworker'),
      body: {
        kind: 'grant',
        standardCode,
        ...(standardCode === 'SEL-85' ? { scope: 5 } : {}),
        decidedOn,
        validFrom,
        institutionId: institution[institutionName],
        reasoning: 'Borgeren har betydelig nedsat funktionsevne og behov for støtte.',
      },
    });
    expect(draft.status).toBe(201);
    const notified = await request(app, 'POST', `/api/v1/decisions/${draft.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost', notifiedOn: decidedOn } });
    expect(notified.status).toBe(200);
    const [grant] = (await request(app, 'GET', `/api/v1/citizens/${citizen.body.id}/grants`, as('caseworker'))).body as { id: string }[];
    return { citizenId: citizen.body.id as string, caseId, grantId: grant.id };
  };
  const history = async (grantId: string): Promise<FollowUp[]> => {
    const res = await request(app, 'GET', `/api/v1/grants/${grantId}/follow-ups`, as('caseworker'));
    expect(res.status).toBe(200);
    return res.body;
  };
  const list = async (query: string, role: Role = 'caseworker') => {
    const res = await request(app, 'GET', `/api/v1/follow-ups${query}`, as(role));
    expect(res.status).toBe(200);
    return res.body as { today: string; items: (FollowUp & { citizenName: string; caseworkerId: string | null })[]; nextCursor: string | null };
  };
  const record = (id: string, version: number, body: Record<string, unknown>, role: Role = 'caseworker') =>
    request(app, 'POST', `/api/v1/follow-ups/${id}/record`, { ...as(role, 'followUp'), headers: { 'if-match': `"${version}"`, 'x-purpose': 'followUp' }, body });

  it('a SEL-85 grant is followed up 6 months after it starts; overdue → one FollowUpDue however often the job runs → the caseworker is told; continue opens the next', async () => {
    const validFrom = addDays(startDay, 7);
    const { grantId, citizenId } = await grantOf(validFrom);
    const [first] = await history(grantId);
    const dueOn = addMonths(validFrom, 6);
    expect(first).toMatchObject({ grantId, citizenId, standardCode: 'SEL-85', source: 'schedule', status: 'open', dueOn, overdue: false, dueNotified: false });
    expect(await history(grantId)).toHaveLength(1);

    // On my list (not yet overdue); dueBefore is exclusive.
    expect((await list('?caseworker=me')).items.find((f) => f.id === first.id)).toMatchObject({ overdue: false, citizenName: NAME, caseworkerId: userId.caseworker });
    expect((await list(`?dueBefore=${dueOn}`)).items.map((f) => f.id)).not.toContain(first.id);
    expect((await list(`?dueBefore=${addDays(dueOn, 1)}`)).items.map((f) => f.id)).toContain(first.id);
    // Not another caseworker's.
    expect((await list(`?caseworker=${userId.panelMember}`)).items.map((f) => f.id)).not.toContain(first.id);

    await runJob();
    expect(await dueEvents(first.id)).toHaveLength(0);

    await moveTo(addDays(dueOn, 1));
    const overdue = (await list('')).items.find((f) => f.id === first.id);
    expect(overdue).toMatchObject({ overdue: true, dueOn });

    const firstRun = await runJob();
    expect(firstRun.emitted).toBeGreaterThanOrEqual(1);
    const events = await dueEvents(first.id);
    expect(events).toHaveLength(1);
    expect(events[0].payload).toEqual({ followUpId: first.id, grantId, citizenId, caseworkerId: userId.caseworker, standardCode: 'SEL-85', dueOn });
    await runJob();
    expect(await dueEvents(first.id)).toHaveLength(1);
    const announced = (await request(app, 'GET', `/api/v1/follow-ups/${first.id}`, as('caseworker'))).body as FollowUp;
    // Announcing is bookkeeping, not a change: the caseworker's If-Match stays valid.
    expect(announced).toMatchObject({ dueNotified: true, version: first.version });

    // The notifications consumer (run as the worker runs it: in a transaction) tells the responsible caseworker.
    const event: DomainEvent<'FollowUpDue'> = { eventId: Number(events[0].id), type: 'FollowUpDue', payload: events[0].payload, requestId: null, occurredAt: clock.now().toISOString() };
    const txHost = app.get<TransactionHost<TransactionalAdapterTypeOrm>>(TransactionHost);
    await inCls(() => txHost.withTransaction(() => app.get(FollowUpDueConsumer).handle(event)));
    const inbox = (await request(app, 'GET', '/api/v1/me/notifications', as('caseworker'))).body as { kind: string; subject: string; body: string }[];
    const notice = inbox.find((n) => n.kind === 'followUpDue' && n.body.includes(first.id));
    expect(notice).toMatchObject({ subject: 'Opfølgning forfalden: SEL-85' });
    const [y, m, d] = dueOn.split('-').map(Number);
    expect(notice!.body).toContain(`${d}.${m}.${y}`);
    expect(`${notice!.subject} ${notice!.body}`).not.toMatch(/Åse|Østergård|010385/);

    // Continue: the next follow-up opens on the agreed date.
    const nextDueOn = addMonths(today(), 6);
    const recorded = await record(first.id, first.version, { heldOn: today(), outcome: 'continue', notes: 'Støtten virker; borgeren handler selv ind.', nextDueOn });
    expect(recorded.status).toBe(200);
    expect(recorded.headers.etag).toBe(`"${first.version + 1}"`);
    expect(recorded.body).toMatchObject({ status: 'done', outcome: 'continue', heldOn: today(), nextDueOn, recordedBy: userId.caseworker, overdue: false, referral: null });
    expect(recorded.body.next).toMatchObject({ grantId, dueOn: nextDueOn, source: 'schedule', status: 'open' });
    expect((await history(grantId)).map((f) => [f.dueOn, f.status])).toEqual([
      [nextDueOn, 'open'],
      [dueOn, 'done'],
    ]);
    const mine = (await list('')).items.map((f) => f.id);
    expect(mine).not.toContain(first.id);
    expect(mine).toContain(recorded.body.next.id);
    // A recorded follow-up is kept as recorded.
    expectProblem(await record(first.id, recorded.body.version, { heldOn: today(), outcome: 'terminate', notes: 'x' }), 409);

    // Access log: reads and the change, with the purpose given.
    const log = await db.query(
      `SELECT action, object_type, object_id FROM access_log WHERE citizen_id = $1 AND purpose = 'followUp' ORDER BY occurred_at, id`,
      [citizenId],
    );
    expect(log.rows).toEqual(
      expect.arrayContaining([
        { action: 'update', object_type: 'followUp', object_id: first.id },
        { action: 'create', object_type: 'followUp', object_id: recorded.body.next.id },
      ]),
    );
    const reads = await db.query(`SELECT count(*)::int AS n FROM access_log WHERE citizen_id = $1 AND action = 'read' AND object_type IN ('followUp', 'followUpList')`, [citizenId]);
    expect(reads.rows[0].n).toBeGreaterThanOrEqual(5);
  });

  it('record is checked: outcome, dates and what each outcome needs (400), If-Match (428/409); nothing changes', async () => {
    const { grantId } = await grantOf(addDays(startDay, -200));
    const [f] = await history(grantId);
    const cases: [Record<string, unknown>, string][] = [
      [{ heldOn: startDay, notes: 'x' }, '/outcome'],
      [{ heldOn: startDay, outcome: 'pause', notes: 'x' }, '/outcome'],
      [{ heldOn: startDay, outcome: 'continue', notes: 'x' }, '/nextDueOn'],
      [{ heldOn: startDay, outcome: 'continue', notes: 'x', nextDueOn: addDays(startDay, -1) }, '/nextDueOn'],
      [{ heldOn: startDay, outcome: 'continue', notes: 'x', nextDueOn: startDay }, '/nextDueOn'],
      [{ heldOn: addDays(startDay, 1), outcome: 'terminate', notes: 'x' }, '/heldOn'],
      [{ heldOn: startDay, outcome: 'terminate', notes: 'x', nextDueOn: addDays(startDay, 30) }, '/nextDueOn'],
      [{ heldOn: startDay, outcome: 'terminateAndRefer', notes: 'x' }, '/referredStandardCode'],
      [{ heldOn: startDay, outcome: 'terminate', notes: 'x', referredStandardCode: 'SEL-107' }, '/referredStandardCode'],
      [{ heldOn: startDay, outcome: 'terminate' }, '/notes'],
    ];
    for (const [body, pointer] of cases) {
      const problem = expectProblem(await record(f.id, f.version, body), 400);
      expect({ body, pointers: problem.errors.map((e) => e.pointer) }).toEqual({ body, pointers: expect.arrayContaining([pointer]) });
    }
    expectProblem(await request(app, 'POST', `/api/v1/follow-ups/${f.id}/record`, { ...as('caseworker'), body: { heldOn: startDay, outcome: 'terminate', notes: 'x' } }), 428);
    expectProblem(await record(f.id, f.version + 1, { heldOn: startDay, outcome: 'terminate', notes: 'x' }), 409, 'versionMismatch');
    expect(await history(grantId)).toEqual([expect.objectContaining({ id: f.id, status: 'open', version: f.version })]);

    // terminate: recorded; the grant runs on until a termination decision.
    const done = await record(f.id, f.version, { heldOn: startDay, outcome: 'terminate', notes: 'Målene er nået; ophør indstilles.' });
    expect(done.body).toMatchObject({ status: 'done', outcome: 'terminate', next: null, referral: null });
    expect((await request(app, 'GET', `/api/v1/grants/${grantId}`, as('caseworker'))).body).toMatchObject({ validTo: null, state: 'active' });
    expect(await history(grantId)).toHaveLength(1);
  });

  it('terminateAndRefer makes an inquiry for the referred service on the citizen’s case (the decision flow starts there)', async () => {
    const { grantId, caseId, citizenId } = await grantOf(addDays(startDay, -200));
    const [f] = await history(grantId);
    const unknown = await record(f.id, f.version, { heldOn: startDay, outcome: 'terminateAndRefer', notes: 'x', referredStandardCode: 'SEL-999' });
    expect(expectProblem(unknown, 422).errors.map((e) => e.pointer)).toEqual(['/referredStandardCode']);
    expect((await history(grantId))[0]).toMatchObject({ status: 'open' });

    const heldOn = addDays(startDay, -2);
    const res = await record(f.id, f.version, { heldOn, outcome: 'terminateAndRefer', notes: 'Behovet er vokset: døgntilbud bør overvejes.', referredStandardCode: 'SEL-107' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', outcome: 'terminateAndRefer', referredStandardCode: 'SEL-107', next: null, referral: { caseId, caseOpened: false } });
    const inquiries = await db.query(`SELECT id, channel, standard_code, received_on::text AS received_on, request FROM inquiry WHERE case_id = $1 ORDER BY created_at`, [caseId]);
    expect(inquiries.rows).toHaveLength(2);
    expect(inquiries.rows[1]).toMatchObject({ id: res.body.referral.inquiryId, channel: 'referral', standard_code: 'SEL-107', received_on: heldOn });
    expect(inquiries.rows[1].request).toContain('døgntilbud');
    const work = await request(app, 'GET', '/api/v1/work-list?dueWithinDays=365', as('caseworker'));
    expect(work.body.inquiriesDue.map((i: { inquiryId: string }) => i.inquiryId)).toContain(res.body.referral.inquiryId);
    const log = await db.query(`SELECT action, object_type FROM access_log WHERE citizen_id = $1 AND object_id = $2`, [citizenId, res.body.referral.inquiryId]);
    expect(log.rows).toEqual([{ action: 'create', object_type: 'inquiry' }]);
  });

  it('a provider report makes one follow-up per report reference, due today', async () => {
    const { grantId } = await grantOf(addDays(startDay, -30));
    const service = app.get(FollowUpService);
    const report = { grantId, reportRef: 'delivery-report-1', summary: 'Borgeren har fået det værre og aflyser besøg.' };
    const a = await inCls(() => service.createFromProviderReport(report));
    const b = await inCls(() => service.createFromProviderReport(report));
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ source: 'providerReport', sourceRef: 'delivery-report-1', reason: report.summary, dueOn: startDay, status: 'open' });
    const later = await inCls(() => service.createFromProviderReport({ ...report, reportRef: 'delivery-report-2', dueOn: addDays(startDay, 3) }));
    expect(later.dueOn).toBe(addDays(startDay, 3));
    expect((await history(grantId)).map((f) => f.source).sort()).toEqual(['providerReport', 'providerReport', 'schedule']);
    await expect(inCls(() => service.createFromProviderReport({ ...report, grantId: '00000000-0000-4000-8000-000000000000' }))).rejects.toMatchObject({ code: 'notFound' });
  });

  it('a manual follow-up; a termination cancels the open follow-ups due after the grant’s new end, and keeps the earlier ones', async () => {
    const validFrom = addDays(startDay, -60);
    const { grantId, caseId } = await grantOf(validFrom);
    expectProblem(await request(app, 'POST', `/api/v1/grants/${grantId}/follow-ups`, { ...as('caseworker'), body: { dueOn: addDays(startDay, -1), reason: 'x' } }), 400);
    expectProblem(await request(app, 'POST', `/api/v1/grants/${grantId}/follow-ups`, { ...as('caseworker'), body: { dueOn: addDays(startDay, 10) } }), 400);
    const key = { 'idempotency-key': `manual-follow-up-${grantId}` };
    const body = { dueOn: addDays(startDay, 10), reason: 'Pårørende ringede: borgeren isolerer sig.' };
    const manual = await request(app, 'POST', `/api/v1/grants/${grantId}/follow-ups`, { ...as('caseworker'), headers: key, body });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({ source: 'manual', reason: body.reason, dueOn: body.dueOn, status: 'open' });
    const replay = await request(app, 'POST', `/api/v1/grants/${grantId}/follow-ups`, { ...as('caseworker'), headers: key, body });
    expect(replay.body.id).toBe(manual.body.id);
    expect(await history(grantId)).toHaveLength(2);

    const lastDay = addDays(startDay, 30);
    const termination = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      ...as('caseworker'),
      body: { kind: 'termination', grantId, validTo: lastDay, reasoning: 'Målene er nået.', hearingExemptionReason: 'Borgeren har selv bedt om ophør.' },
    });
    expect(termination.status).toBe(201);
    expect((await request(app, 'POST', `/api/v1/decisions/${termination.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost' } })).status).toBe(200);
    const after = await history(grantId);
    expect(after.map((f) => [f.source, f.dueOn, f.status])).toEqual([
      ['schedule', addMonths(validFrom, 6), 'cancelled'],
      ['manual', body.dueOn, 'open'],
    ]);
    const cancelled = after[0];
    expectProblem(await record(cancelled.id, cancelled.version, { heldOn: startDay, outcome: 'terminate', notes: 'x' }), 409);
    // A manual follow-up on an ended grant is refused.
    await moveTo(addDays(lastDay, 1));
    expectProblem(await request(app, 'POST', `/api/v1/grants/${grantId}/follow-ups`, { ...as('caseworker'), body: { dueOn: addDays(lastDay, 5), reason: 'x' } }), 422);
  });

  it('a grant without a case (confirmed § 110 admission) is on everyone’s list, and its due event names no caseworker', async () => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: `010390-${serial++}`, name: 'Bodil Bøgh' } });
    const admittedOn = addDays(startDay, -100);
    const leader = { kind: 'user', id: userId.forsorgLeader, name: 'forsorgleader', role: 'institutionManager', orgUnitId: institution['Forsorgscenter Viborg'], institutionId: institution['Forsorgscenter Viborg'], scopes: [] } as Principal;
    const admission = await inCls(() =>
      app.get(AdmissionService).record(leader, 'delivery', {
        citizenId: citizen.body.id,
        institutionId: institution['Forsorgscenter Viborg'],
        standardCode: 'SEL-110',
        admittedOn,
        sourceRef: 'follow-up-stay-1',
      }),
    );
    const confirmed = await request(app, 'POST', `/api/v1/admissions/${admission.id}/confirm`, as('caseworker'));
    expect(confirmed.status).toBe(200);
    const [f] = await history(confirmed.body.grantId);
    expect(f).toMatchObject({ source: 'schedule', dueOn: addMonths(admittedOn, 3), status: 'open', overdue: true });
    expect((await list('?caseworker=me')).items.map((i) => i.id)).not.toContain(f.id);
    expect((await list('?caseworker=all&limit=200')).items.find((i) => i.id === f.id)).toMatchObject({ caseworkerId: null, caseId: null });

    await runJob();
    const [event] = await dueEvents(f.id);
    expect(event.payload).toMatchObject({ caseworkerId: null, standardCode: 'SEL-110' });
    const txHost = app.get<TransactionHost<TransactionalAdapterTypeOrm>>(TransactionHost);
    const before = (await db.query('SELECT count(*)::int AS n FROM notification')).rows[0].n;
    await inCls(() =>
      txHost.withTransaction(() =>
        app.get(FollowUpDueConsumer).handle({ eventId: Number(event.id), type: 'FollowUpDue', payload: event.payload, requestId: null, occurredAt: new Date().toISOString() }),
      ),
    );
    expect((await db.query('SELECT count(*)::int AS n FROM notification')).rows[0].n).toBe(before);
  });

  it('the list pages by due date with a cursor', async () => {
    for (let i = 0; i < 3; i++) await grantOf(addDays(startDay, -300 + i));
    const first = await list('?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`?limit=2&cursor=${first.nextCursor}`);
    const all = await list('?limit=200');
    expect([...first.items, ...second.items].map((f) => f.id)).toEqual(all.items.slice(0, first.items.length + second.items.length).map((f) => f.id));
    const dues = all.items.map((f) => f.dueOn);
    expect(dues).toEqual([...dues].sort());
    expectProblem(await request(app, 'GET', '/api/v1/follow-ups?cursor=nonsense', as('caseworker')), 400);
    expectProblem(await request(app, 'GET', '/api/v1/follow-ups?status=pending', as('caseworker')), 400);
  });

  it('institution staff and finance have no follow-ups (403); unknown ids are 404', async () => {
    const { grantId } = await grantOf(addDays(startDay, -10));
    const [f] = await history(grantId);
    for (const role of ['providerStaff', 'institutionManager', 'finance'] as Role[]) {
      expectProblem(await request(app, 'GET', '/api/v1/follow-ups', as(role)), 403);
      expectProblem(await request(app, 'GET', `/api/v1/follow-ups/${f.id}`, as(role)), 403);
      expectProblem(await request(app, 'GET', `/api/v1/grants/${grantId}/follow-ups`, as(role)), 403);
      expectProblem(await record(f.id, f.version, { heldOn: startDay, outcome: 'terminate', notes: 'x' }, role), 403);
      expectProblem(await request(app, 'POST', `/api/v1/grants/${grantId}/follow-ups`, { ...as(role), body: { dueOn: startDay, reason: 'x' } }), 403);
    }
    // An administrator reads but does not record.
    expect((await request(app, 'GET', `/api/v1/follow-ups/${f.id}`, as('admin'))).status).toBe(200);
    expectProblem(await record(f.id, f.version, { heldOn: startDay, outcome: 'terminate', notes: 'x' }, 'admin'), 403);
    const missing = '00000000-0000-4000-8000-000000000000';
    expectProblem(await request(app, 'GET', `/api/v1/follow-ups/${missing}`, as('caseworker')), 404);
    expectProblem(await request(app, 'GET', `/api/v1/grants/${missing}/follow-ups`, as('caseworker')), 404);
    expectProblem(await record(missing, 1, { heldOn: startDay, outcome: 'terminate', notes: 'x' }), 404);
    expect((await history(grantId))[0]).toMatchObject({ status: 'open', version: f.version });
  });
});
