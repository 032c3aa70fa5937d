import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { MovableClock } from 'test/support/clock';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request, TestResponse } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance';
const ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance'];

/**
 * The clock starts on Monday 2 March 2026; the catalogue seeded with it is in force from 1 January 2026, so
 * decisions can be dated back to January. Complaints, re-assessments and outcomes are dated in the past of the
 * clock; the clock moves for the overdue list and the statistics fixture.
 */
const START = '2026-03-02';
/** Not the default 28, so that the test sees the configured value is used. */
const REMITTED_DAYS = 35;

interface Decision {
  id: string;
  version: number;
  citizenId: string;
  caseId: string;
  legalBasis: string;
  notifiedOn: string;
  complaintDeadline: string | null;
}
interface Complaint {
  id: string;
  version: number;
  status: string;
  late: boolean;
  [key: string]: unknown;
}

describe('complaints (klager) and complaint statistics', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const clock = new MovableClock(`${START}T09:00:00Z`);
  const token = {} as Record<Role, string>;
  const institution = {} as Record<string, string>;
  let serial = 3000;

  const today = () => danishDate(clock.now());
  /** Tokens are checked against the clock: after a move, log in again. */
  const moveTo = async (date: string) => {
    clock.set(`${date}T09:00:00Z`);
    for (const role of ROLES) token[role] = await login(app, role, DEMO_PASSWORD);
  };

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp({ clock, config: { REMITTED_DECISION_DEADLINE_DAYS: String(REMITTED_DAYS) } });
    await seedDemo(app);
    await seedCatalogue(app);
    await moveTo(START);
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  /** Every call says why it accesses the data: a klagesag. */
  const as = (role: Role, headers: Record<string, string> = {}) => ({ token: token[role], headers: { 'x-purpose': 'complaint', ...headers } });
  const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

  const caseFor = async (standardCode: string) => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', {
      ...as('caseworker'),
      body: { cpr: `010385-${serial++}`, name: 'Klara Kjærgaard', address: { street: 'Søvej 1', postalCode: '8800', city: 'Viborg' } },
    });
    expect(citizen.status).toBe(201);
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
      ...as('caseworker'),
      body: { receivedOn: addDays(today(), -10), channel: 'phone', request: 'Ønsker hjælp', standardCode },
    });
    expect(inquiry.status).toBe(201);
    return { citizenId: citizen.body.id as string, caseId: inquiry.body.caseId as string };
  };

  /** A refusal, decided and notified by Digital Post on `on` (received the same day; klagefrist 4 weeks later). */
  const refusal = async (caseId: string, standardCode: string, on: string): Promise<Decision> => {
    const draft = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      ...as('caseworker'),
      body: { kind: 'refusal', standardCode, decidedOn: on, reasoning: 'Behovet kan dækkes af netværket.', hearingExemptionReason: 'Afgørelsen bygger kun på borgerens egne oplysninger.' },
    });
    expect(draft.status).toBe(201);
    const notified = await request(app, 'POST', `/api/v1/decisions/${draft.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost', notifiedOn: on } });
    expect(notified.status).toBe(200);
    return notified.body as Decision;
  };

  const complain = (decisionId: string, body: Record<string, unknown>, role: Role = 'caseworker', headers: Record<string, string> = {}) =>
    request<Complaint>(app, 'POST', `/api/v1/decisions/${decisionId}/complaints`, { ...as(role, headers), body: { channel: 'letter', summary: 'Jeg er uenig i afslaget.', ...body } });
  const step = (c: { id: string; version: number }, action: 'reassessment' | 'forward' | 'outcome', body: Record<string, unknown>, role: Role = 'caseworker') =>
    request<Complaint>(app, 'POST', `/api/v1/complaints/${c.id}/${action}`, { ...as(role, ifMatch(c.version)), body });
  const ok = <T>(res: TestResponse<T>, status = 200): T => {
    expect({ status: res.status, body: res.body }).toEqual({ status, body: expect.anything() });
    return res.body;
  };
  const documents = ['Klage af 10. februar', 'Afgørelse', 'Genvurderingsnotat', 'Udredning'];

  describe('the state machine over HTTP', () => {
    it('received → upheld → forwarded → remitted, with every wrong step refused and nothing changed by it', async () => {
      const { caseId } = await caseFor('SEL-85');
      const notifiedOn = addDays(today(), -40);
      const d = await refusal(caseId, 'SEL-85', notifiedOn);
      const receivedOn = addDays(notifiedOn, 5);

      const created = await complain(d.id, { receivedOn, channel: 'letter' }, 'caseworker', { 'idempotency-key': 'complaint-e2e-0001' });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({
        decisionId: d.id,
        citizenId: d.citizenId,
        caseId,
        standardCode: 'SEL-85',
        legalBasis: 'SEL § 85, stk. 1',
        receivedOn,
        channel: 'letter',
        late: false,
        status: 'awaitingReassessment',
        reassessmentDueOn: addDays(receivedOn, 28),
        overdue: true, // received 35 days ago: the 4 weeks have passed
        reassessedOn: null,
        newDecisionId: null,
        forwardedOn: null,
        outcome: null,
        version: 1,
      });
      // A retry with the same Idempotency-Key returns the same complaint; no second row.
      const retry = await complain(d.id, { receivedOn, channel: 'letter' }, 'caseworker', { 'idempotency-key': 'complaint-e2e-0001' });
      expect(retry.body.id).toBe(created.body.id);
      expect((await db.query('SELECT count(*)::int AS n FROM complaint WHERE decision_id = $1', [d.id])).rows[0].n).toBe(1);

      const got = await request(app, 'GET', `/api/v1/complaints/${created.body.id}`, as('panelMember'));
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).toEqual(created.body);
      expect((await request(app, 'GET', `/api/v1/decisions/${d.id}/complaints`, as('admin'))).body).toEqual([created.body]);

      let c = created.body;
      // Before re-assessment: no forwarding, no outcome.
      expectProblem(await step(c, 'forward', { documents }), 409, 'conflict');
      expectProblem(await step(c, 'outcome', { outcome: 'affirmed', decidedOn: today() }), 409, 'conflict');
      // Upheld needs a note; a stale or missing If-Match is refused.
      expect(expectProblem(await step(c, 'reassessment', { outcome: 'upheld' }), 422, 'ruleViolated').errors.map((e) => e.pointer)).toEqual(['/note']);
      expectProblem(await step({ ...c, version: 7 }, 'reassessment', { outcome: 'upheld', note: 'Afgørelsen fastholdes.' }), 409, 'versionMismatch');
      expectProblem(await request(app, 'POST', `/api/v1/complaints/${c.id}/reassessment`, { ...as('caseworker'), body: { outcome: 'upheld', note: 'x' } }), 428);
      expectProblem(await step(c, 'reassessment', { outcome: 'upheld', note: 'x', reassessedOn: addDays(receivedOn, -1) }), 422);
      expectProblem(await step(c, 'reassessment', { outcome: 'upheld', note: 'x', newDecision: { kind: 'grant', reasoning: 'x' } }), 422);

      const reassessedOn = addDays(receivedOn, 20);
      const upheld = await step(c, 'reassessment', { outcome: 'upheld', reassessedOn, note: 'Afgørelsen fastholdes: behovet dækkes af netværket.' });
      c = ok(upheld);
      expect(upheld.headers.etag).toBe('"2"');
      expect(c).toMatchObject({ status: 'upheld', reassessedOn, reassessmentNote: 'Afgørelsen fastholdes: behovet dækkes af netværket.', version: 2, overdue: true });
      // A re-assessment is recorded once.
      expectProblem(await step(c, 'reassessment', { outcome: 'upheld', note: 'igen' }), 409, 'conflict');
      // Outcome still needs forwarding first; forwarding needs at least one document.
      expectProblem(await step(c, 'outcome', { outcome: 'affirmed', decidedOn: today() }), 409, 'conflict');
      expectProblem(await step(c, 'forward', { documents: [] }), 400, 'validationFailed');
      expectProblem(await step(c, 'forward', { documents, forwardedOn: addDays(today(), 1) }), 422, 'ruleViolated');

      const forwardedOn = addDays(receivedOn, 25);
      c = ok(await step(c, 'forward', { documents, forwardedOn }));
      expect(c).toMatchObject({ status: 'forwarded', forwardedOn, appealBody: 'Ankestyrelsen', documents, overdue: false, version: 3 });
      // Re-assessment after forwarding: 409.
      expectProblem(await step(c, 'reassessment', { outcome: 'changed', newDecision: { kind: 'grant', reasoning: 'x' } }), 409, 'conflict');
      expectProblem(await step(c, 'forward', { documents }), 409, 'conflict');
      // Unknown outcome: 400 naming the field.
      const unknown = expectProblem(await step(c, 'outcome', { outcome: 'overturned', decidedOn: today() }), 400, 'validationFailed');
      expect(unknown.errors.map((e) => e.pointer)).toEqual(['/outcome']);
      expectProblem(await step(c, 'outcome', { outcome: 'remitted', decidedOn: addDays(forwardedOn, -1) }), 422, 'ruleViolated');

      const decidedOn = addDays(today(), -2);
      c = ok(await step(c, 'outcome', { outcome: 'remitted', decidedOn, note: 'Hjemvist: sagen er ikke tilstrækkeligt oplyst.' }));
      expect(c).toMatchObject({
        status: 'decided',
        outcome: 'remitted',
        outcomeOn: decidedOn,
        outcomeNote: 'Hjemvist: sagen er ikke tilstrækkeligt oplyst.',
        remittedDecisionDueOn: addDays(decidedOn, REMITTED_DAYS),
        version: 4,
      });
      expectProblem(await step(c, 'outcome', { outcome: 'affirmed', decidedOn }), 409, 'conflict');
      expect((await request(app, 'GET', `/api/v1/complaints/${c.id}`, as('caseworker'))).body).toEqual(c);

      // The database keeps what was recorded even from the app role.
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE bum_app');
        await expect(db.query(`UPDATE complaint SET outcome = 'affirmed' WHERE id = $1`, [c.id])).rejects.toThrow(/stays as recorded/);
      } finally {
        await db.query('ROLLBACK');
      }
    });

    it('a complaint received 29 days after notification is registered and flagged late, not refused', async () => {
      const { caseId } = await caseFor('SEL-85');
      const notifiedOn = addDays(today(), -40); // 2026-01-21, a Wednesday: the klagefrist ends on 2026-02-18, a working day
      const d = await refusal(caseId, 'SEL-85', notifiedOn);
      expect(d.complaintDeadline).toBe(addDays(notifiedOn, 28));
      const late = ok(await complain(d.id, { receivedOn: addDays(notifiedOn, 29) }), 201);
      expect(late).toMatchObject({ late: true, status: 'awaitingReassessment', reassessmentDueOn: addDays(notifiedOn, 29 + 28) });
      const onTheLastDay = ok(await complain(d.id, { receivedOn: addDays(notifiedOn, 28) }), 201);
      expect(onTheLastDay.late).toBe(false);
    });

    it('changed: the new decision in the citizen’s favour is drafted on the case, linked, and then notified with new guidance', async () => {
      const { caseId, citizenId } = await caseFor('SEL-85');
      const d = await refusal(caseId, 'SEL-85', addDays(today(), -20));
      let c = ok(await complain(d.id, { receivedOn: addDays(today(), -10), channel: 'digitalPost' }), 201);

      expect(expectProblem(await step(c, 'reassessment', { outcome: 'changed', note: 'Omgjort.' }), 422).errors.map((e) => e.pointer)).toEqual(['/newDecision']);
      const grant = { kind: 'grant', scope: 5, validFrom: addDays(today(), 7), institutionId: institution['Bostøtten Handicap'], reasoning: 'Ved genvurderingen er behovet for bostøtte dokumenteret.' };
      // A new decision that breaks the standard's rules: 422 pointing into newDecision, and nothing is kept.
      const invalid = expectProblem(await step(c, 'reassessment', { outcome: 'changed', newDecision: { ...grant, scope: 25 } }), 422, 'ruleViolated');
      expect(invalid.errors.map((e) => e.pointer)).toEqual(['/newDecision/scope']);
      expect((await db.query('SELECT count(*)::int AS n FROM decision WHERE case_id = $1', [caseId])).rows[0].n).toBe(1);
      expect((await request(app, 'GET', `/api/v1/complaints/${c.id}`, as('caseworker'))).body).toMatchObject({ status: 'awaitingReassessment', version: 1 });

      c = ok(await step(c, 'reassessment', { outcome: 'changed', note: 'Borgeren får medhold.', newDecision: grant }));
      expect(c).toMatchObject({ status: 'changed', reassessedOn: today(), reassessmentNote: 'Borgeren får medhold.', overdue: false, version: 2 });
      const newDecision = await request(app, 'GET', `/api/v1/decisions/${c.newDecisionId as string}`, as('caseworker'));
      expect(newDecision.body).toMatchObject({ kind: 'grant', status: 'draft', caseId, citizenId, standardCode: 'SEL-85', scope: 5, unfavourable: false });
      // Changed is final for the complaint: no forwarding, no second re-assessment.
      expectProblem(await step(c, 'forward', { documents }), 409, 'conflict');
      expectProblem(await step(c, 'reassessment', { outcome: 'upheld', note: 'x' }), 409, 'conflict');

      const notified = await request(app, 'POST', `/api/v1/decisions/${newDecision.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost' } });
      expect(notified.body).toMatchObject({ status: 'notified', appealable: true, complaintDeadline: addDays(today(), 28) });
      expect(notified.body.complaintGuidance).toContain('Ankestyrelsen');
      const log = await db.query(`SELECT action, object_type, purpose FROM access_log WHERE citizen_id = $1 AND object_type IN ('complaint', 'decision') ORDER BY id`, [citizenId]);
      expect(log.rows).toEqual(
        expect.arrayContaining([
          { action: 'create', object_type: 'complaint', purpose: 'complaint' },
          { action: 'create', object_type: 'decision', purpose: 'complaint' },
          { action: 'update', object_type: 'complaint', purpose: 'complaint' },
          { action: 'read', object_type: 'complaint', purpose: 'complaint' },
        ]),
      );
    });

    it('a health-law decision (SUL § 141) goes to Styrelsen for Patientklager', async () => {
      const { caseId } = await caseFor('SUL-141');
      const d = await refusal(caseId, 'SUL-141', addDays(today(), -20));
      let c = ok(await complain(d.id, { receivedOn: addDays(today(), -15) }), 201);
      c = ok(await step(c, 'reassessment', { outcome: 'upheld', note: 'Fastholdt.' }));
      c = ok(await step(c, 'forward', { documents: ['Klage', 'Afgørelse'] }));
      expect(c).toMatchObject({ status: 'forwarded', appealBody: 'Styrelsen for Patientklager', legalBasis: 'SUL § 141, stk. 1', forwardedOn: today() });
    });

    it('refuses complaints against final (§ 82 b: 422) and un-notified (409) decisions, and impossible dates (422)', async () => {
      const { caseId } = await caseFor('SEL-82b');
      const final = await refusal(caseId, 'SEL-82b', addDays(today(), -5));
      const problem = expectProblem(await complain(final.id, { receivedOn: today() }), 422, 'ruleViolated');
      expect(problem.detail).toMatch(/§ 82 b/);
      expect(problem.detail).toMatch(/final/);

      const { caseId: other } = await caseFor('SEL-85');
      const draft = await request(app, 'POST', `/api/v1/cases/${other}/decisions`, { ...as('caseworker'), body: { kind: 'refusal', standardCode: 'SEL-85', reasoning: 'x' } });
      expectProblem(await complain(draft.body.id, { receivedOn: today() }), 409, 'conflict');

      const d = await refusal(other, 'SEL-85', addDays(today(), -5));
      expect(expectProblem(await complain(d.id, { receivedOn: addDays(today(), 1) }), 422).errors.map((e) => e.pointer)).toEqual(['/receivedOn']);
      expect(expectProblem(await complain(d.id, { receivedOn: addDays(today(), -6) }), 422).errors.map((e) => e.pointer)).toEqual(['/receivedOn']);
      expect(expectProblem(await complain(d.id, { receivedOn: '2026-02-30' }), 400).errors.map((e) => e.pointer)).toEqual(['/receivedOn']);
      expect(expectProblem(await complain(d.id, { receivedOn: today(), channel: 'pigeon' }), 400).errors.map((e) => e.pointer)).toEqual(['/channel']);
      expectProblem(await complain('00000000-0000-4000-8000-000000000000', { receivedOn: today() }), 404);
      expect((await db.query('SELECT count(*)::int AS n FROM complaint WHERE decision_id = ANY($1::uuid[])', [[final.id, draft.body.id, d.id]])).rows[0].n).toBe(0);
    });

    it('institution roles and finance cannot see or handle complaints (403); an unknown complaint is 404', async () => {
      const { caseId } = await caseFor('SEL-85');
      const d = await refusal(caseId, 'SEL-85', addDays(today(), -5));
      const c = ok(await complain(d.id, { receivedOn: today() }), 201);
      for (const role of ['providerStaff', 'institutionManager', 'finance'] as Role[]) {
        expectProblem(await request(app, 'GET', `/api/v1/complaints/${c.id}`, as(role)), 403);
        expectProblem(await request(app, 'GET', '/api/v1/complaints', as(role)), 403);
        expectProblem(await request(app, 'GET', `/api/v1/decisions/${d.id}/complaints`, as(role)), 403);
        expectProblem(await complain(d.id, { receivedOn: today() }, role), 403);
        expectProblem(await step(c, 'reassessment', { outcome: 'upheld', note: 'x' }, role), 403);
      }
      // admin reads but does not handle complaints
      expectProblem(await step(c, 'reassessment', { outcome: 'upheld', note: 'x' }, 'admin'), 403);
      expectProblem(await request(app, 'GET', '/api/v1/complaints/00000000-0000-4000-8000-000000000000', as('caseworker')), 404);
      expect((await request(app, 'GET', `/api/v1/complaints/${c.id}`, as('caseworker'))).body).toMatchObject({ status: 'awaitingReassessment', version: 1 });
    });
  });

  it('lists complaints oldest first in keyset pages; overdue = past the 4 weeks and not re-assessed, or upheld and not forwarded', async () => {
    await moveTo('2026-03-20');
    const { caseId } = await caseFor('SEL-104');
    const d = await refusal(caseId, 'SEL-104', '2026-02-10');
    const dueYesterday = ok(await complain(d.id, { receivedOn: addDays(today(), -29) }), 201);
    const dueToday = ok(await complain(d.id, { receivedOn: addDays(today(), -28) }), 201);
    let upheldLate = ok(await complain(d.id, { receivedOn: addDays(today(), -30) }), 201);
    upheldLate = ok(await step(upheldLate, 'reassessment', { outcome: 'upheld', note: 'Fastholdt.', reassessedOn: addDays(today(), -5) }));
    let forwarded = ok(await complain(d.id, { receivedOn: addDays(today(), -31) }), 201);
    forwarded = ok(await step(forwarded, 'reassessment', { outcome: 'upheld', note: 'Fastholdt.', reassessedOn: addDays(today(), -5) }));
    forwarded = ok(await step(forwarded, 'forward', { documents }));

    const pages: Complaint[][] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/complaints?overdue=true&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: TestResponse<{ items: Complaint[]; nextCursor: string | null }> = await request<{ items: Complaint[]; nextCursor: string | null }>(app, 'GET', url, as('caseworker'));
      expect(page.status).toBe(200);
      pages.push(page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const overdue = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    expect(overdue.every((c) => c.overdue === true && (c.status === 'awaitingReassessment' || c.status === 'upheld'))).toBe(true);
    const ids = overdue.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([dueYesterday.id, upheldLate.id]));
    expect(ids).not.toContain(dueToday.id);
    expect(ids).not.toContain(forwarded.id);
    const received = overdue.map((c) => c.receivedOn as string);
    expect(received).toEqual([...received].sort());

    const notOverdue = await request(app, 'GET', '/api/v1/complaints?overdue=false&status=awaitingReassessment&limit=200', as('caseworker'));
    expect(notOverdue.body.items.map((c: Complaint) => c.id)).toContain(dueToday.id);
    expect(notOverdue.body.items.every((c: Complaint) => c.status === 'awaitingReassessment' && c.overdue === false)).toBe(true);
    const upheldOnly = await request(app, 'GET', '/api/v1/complaints?status=upheld&limit=200', as('admin'));
    expect(upheldOnly.body.items.map((c: Complaint) => c.id)).toContain(upheldLate.id);
    expect(upheldOnly.body.items.every((c: Complaint) => c.status === 'upheld')).toBe(true);
    expectProblem(await request(app, 'GET', '/api/v1/complaints?status=lost', as('caseworker')), 400);
    expectProblem(await request(app, 'GET', '/api/v1/complaints?cursor=nonsense', as('caseworker')), 400);
    // Each listed complaint is a read in the access log.
    const log = await db.query(`SELECT count(*)::int AS n FROM access_log WHERE object_type = 'complaint' AND action = 'read' AND object_id = $1`, [dueYesterday.id]);
    expect(log.rows[0].n).toBeGreaterThanOrEqual(1);
  });

  describe('statistics', () => {
    /**
     * What happens to a complaint after it is received: A = awaiting re-assessment, C = changed by the
     * authority, U = upheld (not forwarded), F = forwarded (no outcome yet), and Ankestyrelsen's outcomes
     * aff(irmed), chg (changed), rem(itted), dis(missed). "late" marks complaints received after the klagefrist.
     */
    type Fate = 'A' | 'C' | 'U' | 'F' | 'aff' | 'chg' | 'rem' | 'dis';
    const NOTIFIED = '2026-03-20'; // a Friday: klagefrist 2026-04-17 (a Friday, no holiday)
    const IN_TIME = '2026-04-10';
    const LATE = '2026-04-24';
    const FIXTURE: { code: string; fates: [Fate, number, number][] }[] = [
      // [fate, how many in time, how many late]
      { code: 'SEL-85', fates: [['aff', 5, 1], ['chg', 3, 1], ['rem', 2, 0], ['dis', 1, 0], ['C', 1, 1], ['U', 1, 0], ['F', 1, 0], ['A', 1, 0]] },
      { code: 'SEL-104', fates: [['aff', 5, 0], ['chg', 1, 0], ['rem', 0, 1], ['C', 1, 0], ['F', 1, 0], ['A', 1, 0]] },
      { code: 'SUL-141', fates: [['dis', 2, 0], ['C', 1, 0], ['U', 1, 0], ['A', 1, 0]] },
    ];
    const NEW_DECISION: Record<string, Record<string, unknown>> = {
      'SEL-85': { kind: 'grant', scope: 5, validFrom: '2026-07-01', institution: 'Bostøtten Handicap' },
      'SEL-104': { kind: 'grant', scope: 2, validFrom: '2026-07-01', institution: 'Aktivitetscentret Viborg' },
      'SUL-141': { kind: 'grant', validFrom: '2026-07-01', institution: 'Rusmiddelcenter Viborg' },
    };

    // Figures computed by hand from FIXTURE (received in April 2026):
    //   SEL-85:  received 6+4+2+1+2+1+1+1 = 18; late 1+1+1 = 3; changedByAuthority 2; upheld 6+4+2+1 (decided) + 1 U + 1 F = 15;
    //            forwarded 13 + 1 F = 14; affirmed 6, changed 4, remitted 2, dismissed 1;
    //            reversal: 4 changed + 2 remitted of 4+2+6 → 6/12 = 50.0 %
    //   SEL-104: received 5+1+1+1+1+1 = 10; late 1; changedByAuthority 1; upheld 7 decided + 1 F = 8; forwarded 8;
    //            affirmed 5, changed 1, remitted 1, dismissed 0; reversal: 1 + 1 of 1+1+5 → 2/7 = 28.571 → 28.6 %
    //   SUL-141: received 2+1+1+1 = 5; late 0; changedByAuthority 1; upheld 2 dismissed + 1 U = 3; forwarded 2;
    //            only dismissals: reversal 0/0 → null
    //   total:   received 18+10+5 = 33; late 4; changedByAuthority 4; upheld 15+8+3 = 26; forwarded 14+8+2 = 24;
    //            affirmed 11, changed 5, remitted 3, dismissed 3; reversal (5+3)/(5+3+11) = 8/19 = 42.105 → 42.1 %
    // Two more SEL-85 complaints, received 31 March and 1 May (outside the period), are both affirmed: counted,
    // they would make SEL-85 18 → 20 received and its reversal 6/14 = 42.9 %.
    const EXPECTED = {
      from: '2026-04-01',
      to: '2026-04-30',
      services: [
        { standardCode: 'SEL-104', legalBasis: 'SEL § 104', received: 10, late: 1, changedByAuthority: 1, upheld: 8, forwarded: 8, affirmed: 5, changed: 1, remitted: 1, dismissed: 0, reversalRate: 28.6 },
        { standardCode: 'SEL-85', legalBasis: 'SEL § 85, stk. 1', received: 18, late: 3, changedByAuthority: 2, upheld: 15, forwarded: 14, affirmed: 6, changed: 4, remitted: 2, dismissed: 1, reversalRate: 50 },
        { standardCode: 'SUL-141', legalBasis: 'SUL § 141, stk. 1', received: 5, late: 0, changedByAuthority: 1, upheld: 3, forwarded: 2, affirmed: 0, changed: 0, remitted: 0, dismissed: 2, reversalRate: null },
      ],
      total: { standardCode: null, legalBasis: null, received: 33, late: 4, changedByAuthority: 4, upheld: 26, forwarded: 24, affirmed: 11, changed: 5, remitted: 3, dismissed: 3, reversalRate: 42.1 },
    };

    /** Takes one complaint, received on `receivedOn`, to its fate. */
    const play = async (code: string, caseId: string, decisionId: string, receivedOn: string, fate: Fate) => {
      let c = ok(await complain(decisionId, { receivedOn }), 201);
      if (fate === 'A') return c;
      const reassessedOn = receivedOn > '2026-04-28' ? addDays(receivedOn, 1) : '2026-04-28';
      if (fate === 'C') {
        const { institution: name, ...rest } = NEW_DECISION[code];
        const newDecision = { ...rest, institutionId: institution[name as string], reasoning: 'Ved genvurderingen gives borgeren medhold.' };
        return ok(await step(c, 'reassessment', { outcome: 'changed', reassessedOn, newDecision }));
      }
      c = ok(await step(c, 'reassessment', { outcome: 'upheld', reassessedOn, note: 'Fastholdt.' }));
      if (fate === 'U') return c;
      c = ok(await step(c, 'forward', { documents, forwardedOn: addDays(reassessedOn, 2) }));
      if (fate === 'F') return c;
      const outcome = { aff: 'affirmed', chg: 'changed', rem: 'remitted', dis: 'dismissed' }[fate];
      return ok(await step(c, 'outcome', { outcome, decidedOn: '2026-06-01' }));
    };

    beforeAll(async () => {
      await moveTo('2026-03-10');
      const cases: Record<string, string> = {};
      for (const { code } of FIXTURE) cases[code] = (await caseFor(code)).caseId;
      await moveTo('2026-06-15');
      for (const { code, fates } of FIXTURE) {
        for (const [fate, inTime, late] of fates) {
          for (const [n, receivedOn] of [[inTime, IN_TIME], [late, LATE]] as [number, string][]) {
            for (let i = 0; i < n; i++) {
              const d = await refusal(cases[code], code, NOTIFIED);
              expect(d.complaintDeadline).toBe('2026-04-17');
              await play(code, cases[code], d.id, receivedOn, fate);
            }
          }
        }
      }
      for (const outside of ['2026-03-31', '2026-05-01']) {
        const d = await refusal(cases['SEL-85'], 'SEL-85', NOTIFIED);
        await play('SEL-85', cases['SEL-85'], d.id, outside, 'aff');
      }
    });

    it('per service and in total, against the figures computed by hand', async () => {
      const res = await request(app, 'GET', '/api/v1/reports/complaints?from=2026-04-01&to=2026-04-30', as('finance'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EXPECTED);
      expect(res.text).not.toMatch(/Klara|Kjærgaard|010385/);
      for (const role of ['caseworker', 'panelMember', 'admin'] as Role[])
        expect((await request(app, 'GET', '/api/v1/reports/complaints?from=2026-04-01&to=2026-04-30', as(role))).body).toEqual(EXPECTED);
    });

    it('the CSV parses to the same figures', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/reports/complaints?from=2026-04-01&to=2026-04-30&format=csv', headers: { authorization: `Bearer ${token.finance}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toContain('klagestatistik-2026-04-01-2026-04-30.csv');
      const records = await new Promise<Record<string, string>[]>((resolve, reject) =>
        parse(res.body, { columns: true }, (err, rows: Record<string, string>[]) => (err ? reject(err) : resolve(rows))),
      );
      const asRow = (r: Record<string, string>) => ({
        ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v])),
        reversalRate: r.reversalRate === '' ? null : Number(r.reversalRate),
      });
      expect(records.map(asRow)).toEqual([...EXPECTED.services, { ...EXPECTED.total, standardCode: 'total', legalBasis: '' }]);
      expect(records.find((r) => r.standardCode === 'SEL-85')?.reversalRate).toBe('50.0');
    });

    it('an empty period has a zero total; the outside complaints count in their own period', async () => {
      const empty = await request(app, 'GET', '/api/v1/reports/complaints?from=2025-01-01&to=2025-12-31', as('admin'));
      expect(empty.body).toEqual({
        from: '2025-01-01',
        to: '2025-12-31',
        services: [],
        total: { standardCode: null, legalBasis: null, received: 0, late: 0, changedByAuthority: 0, upheld: 0, forwarded: 0, affirmed: 0, changed: 0, remitted: 0, dismissed: 0, reversalRate: null },
      });
      // May 2026 holds only the complaint received on 1 May (late, affirmed): 0 of 0+0+1 → 0.0 %.
      const may = await request(app, 'GET', '/api/v1/reports/complaints?from=2026-05-01&to=2026-05-31', as('admin'));
      expect(may.body.services).toEqual([
        { standardCode: 'SEL-85', legalBasis: 'SEL § 85, stk. 1', received: 1, late: 1, changedByAuthority: 0, upheld: 1, forwarded: 1, affirmed: 1, changed: 0, remitted: 0, dismissed: 0, reversalRate: 0 },
      ]);
    });

    it('refuses bad periods (400) and roles without access (403)', async () => {
      expect(expectProblem(await request(app, 'GET', '/api/v1/reports/complaints?from=2026-05-01&to=2026-04-01', as('finance')), 400).errors.map((e) => e.pointer)).toEqual(['/to']);
      expect(expectProblem(await request(app, 'GET', '/api/v1/reports/complaints?from=2026-02-30&to=2026-04-01', as('finance')), 400).errors.map((e) => e.pointer)).toEqual(['/from']);
      expectProblem(await request(app, 'GET', '/api/v1/reports/complaints?from=2026-04-01', as('finance')), 400);
      expectProblem(await request(app, 'GET', '/api/v1/reports/complaints?from=2026-04-01&to=2026-04-30&format=xlsx', as('finance')), 400);
      for (const role of ['providerStaff', 'institutionManager'] as Role[])
        expectProblem(await request(app, 'GET', '/api/v1/reports/complaints?from=2026-04-01&to=2026-04-30', as(role)), 403);
    });
  });
});
