import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { complaintDeadline } from 'src/platform/clock/deadlines';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance';
const ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance'];

describe('decisions, grants and orders', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const userId = {} as Record<Role, string>;
  const institution = {} as Record<string, string>;
  const today = danishDate(new Date());
  let serial = 2000;

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of ROLES) {
      token[role] = await login(app, role, DEMO_PASSWORD);
      userId[role] = (await request(app, 'GET', '/api/v1/me', { token: token[role] })).body.id;
    }
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const as = (role: Role) => ({ token: token[role] });
  /** A citizen with an open case and an inquiry for the standard; born 1 March 1985 unless told otherwise. */
  const caseFor = async (standardCode: string, born = '010385') => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', {
      ...as('caseworker'),
      body: { cpr: `${born}-${serial++}`, name: 'Åse Østergård', address: { street: 'Søvej 1', postalCode: '8800', city: 'Viborg' } },
    });
    expect(citizen.status).toBe(201);
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
      ...as('caseworker'),
      body: { receivedOn: addDays(today, -10), channel: 'phone', request: 'Ønsker hjælp', standardCode },
    });
    expect(inquiry.status).toBe(201);
    return { citizenId: citizen.body.id as string, caseId: inquiry.body.caseId as string, inquiryId: inquiry.body.id as string };
  };
  const bostøtte = (extra: Record<string, unknown> = {}) => ({
    kind: 'grant',
    standardCode: 'SEL-85',
    scope: 5,
    validFrom: addDays(today, 7),
    institutionId: institution['Bostøtten Handicap'],
    servicePurpose: 'At borgeren kan bo i egen bolig',
    goals: [{ description: 'Handler selv ind to gange om ugen', primaryTheme: 'practicalTasks', secondaryThemes: ['mobility'], targetLevel: 1, goalType: 'develop' }],
    reasoning: 'Borgeren har betydelig nedsat funktionsevne i praktiske opgaver (udredning) og har behov for støtte i hjemmet.',
    ...extra,
  });
  const draft = async (caseId: string, body: Record<string, unknown>, role: Role = 'caseworker') => {
    const res = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, { ...as(role), body });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };
  const notify = (id: string, body: Record<string, unknown> = { channel: 'digitalPost' }, role: Role = 'caseworker') =>
    request(app, 'POST', `/api/v1/decisions/${id}/notify`, { ...as(role), body });

  it('grants bostøtte 5 hours a week: notified → grant → order the institution sees (and only then the citizen)', async () => {
    const { citizenId, caseId, inquiryId } = await caseFor('SEL-85');
    const staffBefore = await request(app, 'GET', `/api/v1/citizens/${citizenId}`, as('providerStaff'));
    expect(staffBefore.status).toBe(404);

    const d = await draft(caseId, bostøtte({ inquiryId }));
    const notified = await notify(d.id);
    expect(notified.status).toBe(200);
    const expected = complaintDeadline(today, 'digitalPost', 6);
    expect(notified.body).toMatchObject({ status: 'notified', notifiedOn: today, receivedOn: expected.receivedOn, complaintDeadline: expected.deadline, unfavourable: false });
    expect(notified.body.complaintGuidance).toContain('Ankestyrelsen');
    expect(notified.body.legalBasis).toBe('SEL § 85, stk. 1');

    const grants = await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'));
    expect(grants.body).toEqual([
      expect.objectContaining({ decisionId: d.id, standardCode: 'SEL-85', scope: 5, scopeUnit: 'hoursPerWeek', validFrom: addDays(today, 7), validTo: null, state: 'future' }),
    ]);
    const outbox = await db.query(`SELECT payload FROM outbox WHERE type = 'OrderSent' AND payload->>'grantId' = $1`, [grants.body[0].id]);
    expect(outbox.rows).toHaveLength(1);

    const inbox = await request(app, 'GET', '/api/v1/orders?status=sent', as('providerStaff'));
    const order = inbox.body.items.find((o: { grantId: string }) => o.grantId === grants.body[0].id);
    expect(order).toMatchObject({ status: 'sent', institutionId: institution['Bostøtten Handicap'], citizenId });
    expect(order.content).toMatchObject({ scope: 5, scopeUnit: 'hoursPerWeek', servicePurpose: 'At borgeren kan bo i egen bolig', goals: [expect.objectContaining({ primaryTheme: 'practicalTasks' })] });
    expect((await request(app, 'GET', `/api/v1/citizens/${citizenId}`, as('providerStaff'))).status).toBe(200);
    // Another institution's staff and finance see neither the order nor the citizen.
    expect((await request(app, 'GET', `/api/v1/orders/${order.id}`, as('finance'))).status).toBe(403);
  });

  describe('rules against the standard in force (422 naming the rule)', () => {
    it.each([
      ['scope above the maximum', 'SEL-85', { scope: 25 }, '/scope'],
      ['an institution that cannot deliver it', 'SEL-85', { institutionId: 'Botilbuddet Hald Ege' }, '/institutionId'],
      ['a housing place without least-intervention justification', 'SEL-108', { standardCode: 'SEL-108', scope: undefined, institutionId: 'Bofællesskabet Egeskoven' }, '/leastInterventionJustification'],
      ['§ 82 b beyond 6 months', 'SEL-82b', { standardCode: 'SEL-82b', scope: 2, institutionId: 'Bostøtten Psykiatri', validTo: addDays(addDays(today, 7), 200) }, '/validTo'],
    ])('%s', async (_, code, extra, pointer) => {
      const { caseId } = await caseFor(code);
      const body = bostøtte(extra as Record<string, unknown>);
      if (typeof body.institutionId === 'string' && institution[body.institutionId]) body.institutionId = institution[body.institutionId];
      const res = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, { ...as('caseworker'), body });
      expect(expectProblem(res, 422, 'ruleViolated').errors.map((e) => e.pointer)).toContain(pointer);
      expect((await db.query('SELECT count(*)::int AS n FROM decision WHERE case_id = $1', [caseId])).rows[0].n).toBe(0);
    });

    it('§ 103 for a citizen over state pension age', async () => {
      const { caseId } = await caseFor('SEL-103', '010150');
      const res = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
        ...as('caseworker'),
        body: bostøtte({ standardCode: 'SEL-103', scope: 3, institutionId: institution['Beskyttet Værksted Viborg'] }),
      });
      const problem = expectProblem(res, 422, 'ruleViolated');
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/validFrom', reason: expect.stringContaining('folkepensionsalder') })]);
    });

    it('a refusal without reasoning', async () => {
      const { caseId } = await caseFor('SEL-85');
      const res = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, { ...as('caseworker'), body: { kind: 'refusal', standardCode: 'SEL-85', reasoning: '  ' } });
      expect(expectProblem(res, 422).errors.map((e) => e.pointer)).toEqual(['/reasoning']);
    });
  });

  it('a refusal needs partshøring or an exemption before it is notified; a letter counts as received 6 working days later', async () => {
    const { caseId } = await caseFor('SEL-85');
    const d = await draft(caseId, { kind: 'refusal', standardCode: 'SEL-85', reasoning: 'Borgeren kan klare sig med hjælp fra netværket.' });
    expect(expectProblem(await notify(d.id), 422).errors.map((e) => e.pointer)).toEqual(['/hearing']);
    const patched = await request(app, 'PATCH', `/api/v1/decisions/${d.id}`, {
      ...as('caseworker'),
      headers: { 'if-match': `"${d.version}"` },
      body: { hearing: { heldOn: today, summary: 'Borgeren er uenig.' } },
    });
    expect(patched.status).toBe(200);
    const res = await notify(d.id, { channel: 'letter' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ unfavourable: true, ...(({ receivedOn, deadline }) => ({ receivedOn, complaintDeadline: deadline }))(complaintDeadline(today, 'letter', 6)) });
    expect(res.body.receivedOn > today).toBe(true);
    expect((await request(app, 'GET', `/api/v1/citizens/${res.body.citizenId}/grants`, as('caseworker'))).body).toEqual([]);
  });

  it('a final decision (§ 82 b) carries no complaint guidance', async () => {
    const { caseId } = await caseFor('SEL-82b');
    const d = await draft(caseId, bostøtte({ standardCode: 'SEL-82b', scope: 2, institutionId: institution['Bostøtten Psykiatri'], validTo: addDays(today, 60) }));
    const res = await notify(d.id);
    expect(res.body).toMatchObject({ appealable: false, complaintDeadline: null, complaintGuidance: null });
  });

  it('a notified decision never changes (409), not even by SQL as the app role', async () => {
    const { caseId } = await caseFor('SEL-85');
    const d = await draft(caseId, bostøtte());
    const notified = await notify(d.id);
    const edit = await request(app, 'PATCH', `/api/v1/decisions/${d.id}`, { ...as('caseworker'), headers: { 'if-match': `"${notified.body.version}"` }, body: { scope: 6 } });
    expectProblem(edit, 409);
    expectProblem(await notify(d.id), 409);
    expectProblem(await request(app, 'DELETE', `/api/v1/decisions/${d.id}`, { ...as('caseworker'), headers: { 'if-match': `"${notified.body.version}"` } }), 409);
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE bum_app');
      await expect(db.query('UPDATE decision SET reasoning = $2 WHERE id = $1', [d.id, 'changed'])).rejects.toThrow(/never changes/);
    } finally {
      await db.query('ROLLBACK');
    }
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE bum_app');
      await expect(db.query('DELETE FROM citizen_grant WHERE decision_id = $1', [d.id])).rejects.toThrow(/permission denied/);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('a second grant of the same service overlapping the first is refused (409) and changes nothing', async () => {
    const { caseId, citizenId } = await caseFor('SEL-85');
    await notify((await draft(caseId, bostøtte())).id);
    const second = await draft(caseId, bostøtte({ validFrom: addDays(today, 30), scope: 3 }));
    const res = await notify(second.id);
    expectProblem(res, 409);
    expect((await request(app, 'GET', `/api/v1/decisions/${second.id}`, as('caseworker'))).body.status).toBe('draft');
    expect((await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'))).body).toHaveLength(1);
  });

  it('a change ends the old grant the day before the new one starts; a termination ends it on the day given', async () => {
    const { caseId, citizenId } = await caseFor('SEL-85');
    await notify((await draft(caseId, bostøtte({ validFrom: addDays(today, -60), decidedOn: addDays(today, -61) }), 'caseworker')).id, { channel: 'digitalPost', notifiedOn: addDays(today, -61) });
    const [first] = (await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'))).body;
    const changeFrom = addDays(today, 14);
    const change = await draft(caseId, { kind: 'change', grantId: first.id, scope: 8, validFrom: changeFrom, reasoning: 'Behovet er steget efter indlæggelse.' });
    const changed = await notify(change.id);
    expect(changed.status).toBe(200);
    const grants = (await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'))).body as { id: string; scope: number; validFrom: string; validTo: string | null; endedByDecisionId: string | null }[];
    expect(grants).toEqual([
      expect.objectContaining({ scope: 8, validFrom: changeFrom, validTo: null }),
      expect.objectContaining({ id: first.id, scope: 5, validTo: addDays(changeFrom, -1), endedByDecisionId: change.id }),
    ]);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'OrderChanged' AND payload->>'grantId' = $1`, [first.id])).rows[0].n).toBe(1);

    const lastDay = addDays(today, 60);
    const termination = await draft(caseId, { kind: 'termination', grantId: grants[0].id, validTo: lastDay, reasoning: 'Målene er nået.', hearingExemptionReason: 'Borgeren har selv bedt om ophør.' });
    expect((await notify(termination.id)).status).toBe(200);
    const after = (await request(app, 'GET', `/api/v1/grants/${grants[0].id}`, as('caseworker'))).body;
    expect(after).toMatchObject({ validTo: lastDay, endedByDecisionId: termination.id });
  });

  it('§ 108 needs the panel: submit, a returned draft, approval by another panel member, then notification', async () => {
    const { caseId, citizenId } = await caseFor('SEL-108');
    const d = await draft(caseId, {
      kind: 'grant',
      standardCode: 'SEL-108',
      validFrom: addDays(today, 30),
      institutionId: institution['Bofællesskabet Egeskoven'],
      reasoning: 'Borgeren har behov for døgndækket støtte.',
      leastInterventionJustification: 'Bostøtte 20 timer om ugen i eget hjem er afprøvet i et år og rækker ikke.',
    });
    expectProblem(await notify(d.id), 422);
    const submitted = await request(app, 'POST', `/api/v1/decisions/${d.id}/submit`, { ...as('caseworker'), headers: { 'if-match': `"${d.version}"` } });
    expect(submitted.body.status).toBe('awaitingPanel');
    expectProblem(await request(app, 'PATCH', `/api/v1/decisions/${d.id}`, { ...as('caseworker'), headers: { 'if-match': `"${submitted.body.version}"` }, body: { reasoning: 'x' } }), 409);
    expect((await request(app, 'POST', `/api/v1/decisions/${d.id}/panel-review`, { ...as('caseworker'), body: { outcome: 'approved' } })).status).toBe(403);
    expectProblem(await request(app, 'POST', `/api/v1/decisions/${d.id}/panel-review`, { ...as('panelMember'), body: { outcome: 'returned' } }), 422);
    const returned = await request(app, 'POST', `/api/v1/decisions/${d.id}/panel-review`, { ...as('panelMember'), body: { outcome: 'returned', comment: 'Beskriv netværket.' } });
    expect(returned.body).toMatchObject({ status: 'draft', panelReviews: [expect.objectContaining({ outcome: 'returned', comment: 'Beskriv netværket.', reviewerId: userId.panelMember })] });
    const edited = await request(app, 'PATCH', `/api/v1/decisions/${d.id}`, {
      ...as('caseworker'),
      headers: { 'if-match': `"${returned.body.version}"` },
      body: { reasoning: 'Borgeren har behov for døgndækket støtte; netværket er begrænset til en søster.' },
    });
    const resubmitted = await request(app, 'POST', `/api/v1/decisions/${d.id}/submit`, { ...as('caseworker'), headers: { 'if-match': `"${edited.body.version}"` } });
    const approved = await request(app, 'POST', `/api/v1/decisions/${d.id}/panel-review`, { ...as('panelMember'), body: { outcome: 'approved' } });
    expect(resubmitted.body.status).toBe('awaitingPanel');
    expect(approved.body.status).toBe('approved');
    const notified = await notify(d.id);
    expect(notified.body.status).toBe('notified');
    const [grant] = (await request(app, 'GET', `/api/v1/citizens/${citizenId}/grants`, as('caseworker'))).body;
    expect(grant).toMatchObject({ standardCode: 'SEL-108', scopeUnit: 'place', institutionId: institution['Bofællesskabet Egeskoven'] });
  });

  it('a panel member cannot approve their own decision (403), and nothing changes', async () => {
    const { caseId } = await caseFor('SEL-107');
    const d = await draft(
      caseId,
      {
        kind: 'grant',
        standardCode: 'SEL-107',
        validFrom: addDays(today, 30),
        institutionId: institution['Botilbuddet Søndersø'],
        reasoning: 'Behov for midlertidigt ophold.',
        leastInterventionJustification: 'Aflastning og bostøtte er afprøvet.',
      },
      'panelMember',
    );
    const submitted = await request(app, 'POST', `/api/v1/decisions/${d.id}/submit`, { ...as('panelMember'), headers: { 'if-match': `"${d.version}"` } });
    const own = await request(app, 'POST', `/api/v1/decisions/${d.id}/panel-review`, { ...as('panelMember'), body: { outcome: 'approved' } });
    expectProblem(own, 403);
    const after = await request(app, 'GET', `/api/v1/decisions/${d.id}`, as('caseworker'));
    expect(after.body).toMatchObject({ status: 'awaitingPanel', version: submitted.body.version, panelReviews: [] });
  });

  it('concurrent edits of one draft with the same version: one wins, the other gets 409 and nothing is lost', async () => {
    const { caseId } = await caseFor('SEL-85');
    const d = await draft(caseId, bostøtte());
    const edit = (scope: number) =>
      request(app, 'PATCH', `/api/v1/decisions/${d.id}`, { ...as('caseworker'), headers: { 'if-match': `"${d.version}"` }, body: { scope } });
    const results = await Promise.all([edit(6), edit(7)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const now = await request(app, 'GET', `/api/v1/decisions/${d.id}`, as('caseworker'));
    expect(now.body.scope).toBe(winner.body.scope);
    expect(now.body.version).toBe(d.version + 1);
  });

  it('the letter is a PDF with the complaint deadline; every read and the export are in the access log', async () => {
    const { caseId, citizenId } = await caseFor('SEL-85');
    const d = await draft(caseId, bostøtte());
    const notified = await notify(d.id);
    const res = await app.inject({ method: 'GET', url: `/api/v1/decisions/${d.id}/letter.pdf`, headers: { authorization: `Bearer ${token.caseworker}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { extractPdf } = await import('test/support/pdf');
    const { danishLongDate } = await import('src/modules/visitation/decision-letter-text');
    const text = extractPdf(res.rawPayload).text;
    expect(text).toContain(`Fristen for at klage er ${danishLongDate(notified.body.complaintDeadline).replace(/\s/g, ' ')}`);
    expect(text).toContain('5 timer pr. uge');
    expect(text).toContain('Åse Østergård');
    const log = await db.query(`SELECT action, object_type FROM access_log WHERE citizen_id = $1 AND object_type IN ('decision', 'decisionLetter', 'grant', 'order')`, [citizenId]);
    const actions = log.rows.map((r: { action: string; object_type: string }) => `${r.action}:${r.object_type}`);
    expect(actions).toEqual(expect.arrayContaining(['create:decision', 'update:decision', 'create:grant', 'create:order', 'export:decisionLetter']));
  });
});
