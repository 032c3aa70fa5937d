import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { danishLongDate } from 'src/modules/visitation/decision-letter-text';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { extractPdf } from 'test/support/pdf';

type Role = 'caseworker' | 'panelMember' | 'providerStaff' | 'institutionManager';
const THEMES = ['selfCare', 'practicalTasks', 'mobility', 'communication', 'relations', 'communityLife'];

/** The caseworker's day, over HTTP as the demo users (issue 4, "Done means"). */
describe('visitation, end to end as the demo users', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const institution = {} as Record<string, string>;
  const today = danishDate(new Date());

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of ['caseworker', 'panelMember', 'providerStaff', 'institutionManager'] as Role[]) token[role] = await login(app, role, DEMO_PASSWORD);
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const call = async (role: Role, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await request(app, method, url, { token: token[role], body, headers: { 'idempotency-key': randomUUID(), ...headers } });
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${res.text}`);
    return res;
  };
  const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

  /** Inquiry → visit (held) → completed assessment; returns the ids. */
  async function assess(cpr: string, name: string, standardCode: string, need: string) {
    const citizen = (await call('caseworker', 'POST', '/api/v1/citizens', { cpr, name, address: { street: 'Ådalen 3', postalCode: '8800', city: 'Viborg' } })).body;
    const inquiry = (
      await call('caseworker', 'POST', `/api/v1/citizens/${citizen.id}/inquiries`, { receivedOn: addDays(today, -20), channel: 'phone', request: 'Søster ringer: har svært ved at klare sig', standardCode })
    ).body;
    expect(inquiry.caseOpened).toBe(true);
    const start = new Date(Date.now() - 3 * 3600_000);
    const visit = (
      await call('caseworker', 'POST', `/api/v1/cases/${inquiry.caseId}/visits`, {
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3600_000).toISOString(),
        place: 'Borgerens hjem',
        participants: ['borgeren', 'søster (pårørende)'],
      })
    ).body;
    await call('caseworker', 'POST', `/api/v1/visits/${visit.id}/hold`, { notes: 'Borgeren viste rundt i lejligheden.' });
    const draft = (
      await call('caseworker', 'POST', `/api/v1/cases/${inquiry.caseId}/assessments`, {
        background: 'Henvendelse fra søster.',
        sections: THEMES.map((section, i) => ({ section, level: i % 4, description: `Observeret ved besøg: ${section}`, sources: ['citizen', 'caseworker'] })),
      })
    ).body;
    const patched = (
      await call(
        'caseworker',
        'PATCH',
        `/api/v1/assessments/${draft.id}`,
        {
          assessedOn: today,
          citizenWishes: 'Jeg vil blive boende i min lejlighed.',
          sections: [{ section: 'network', description: 'Søster kommer ugentligt.', sources: ['relative'] }],
          supportNeeds: [{ standardCode, level: need }],
        },
        ifMatch(draft.version),
      )
    ).body;
    const completed = (await call('caseworker', 'POST', `/api/v1/assessments/${draft.id}/complete`, undefined, ifMatch(patched.version))).body;
    expect(completed.status).toBe('completed');
    return { citizenId: citizen.id as string, caseId: inquiry.caseId as string, inquiryId: inquiry.id as string, assessmentId: draft.id as string };
  }

  it('bostøtte 5 hours a week: inquiry → visit → assessment → decision → notified → grant → order at the institution', async () => {
    const { citizenId, caseId, inquiryId, assessmentId } = await assess('120488-1234', 'Birthe Ærenlund', 'SEL-85', 'moderate');

    // SEL-85's casework deadline is 56 days: due in 36, so on the list with a 60-day horizon, not the default 14.
    expect((await call('caseworker', 'GET', '/api/v1/work-list')).body.inquiriesDue.map((i: { inquiryId: string }) => i.inquiryId)).not.toContain(inquiryId);
    const before = (await call('caseworker', 'GET', '/api/v1/work-list?dueWithinDays=60')).body;
    expect(before.openCases).toEqual(expect.arrayContaining([expect.objectContaining({ caseId, nextDeadline: addDays(today, 36) })]));
    expect(before.inquiriesDue).toEqual(expect.arrayContaining([expect.objectContaining({ inquiryId, citizenId })]));

    const decision = (
      await call('caseworker', 'POST', `/api/v1/cases/${caseId}/decisions`, {
        kind: 'grant',
        standardCode: 'SEL-85',
        inquiryId,
        assessmentId,
        scope: 5,
        validFrom: addDays(today, 3),
        institutionId: institution['Bostøtten Handicap'],
        servicePurpose: 'At Birthe kan blive boende i egen bolig.',
        goals: [{ description: 'Laver selv madplan', primaryTheme: 'practicalTasks', targetLevel: 1, goalType: 'develop' }],
        reasoning: 'Udredningen viser moderat nedsat funktionsevne i praktiske opgaver; støtte 5 timer om ugen dækker behovet (SEL § 85).',
      })
    ).body;
    expect((await call('caseworker', 'GET', '/api/v1/work-list')).body.draftDecisions).toEqual([expect.objectContaining({ decisionId: decision.id })]);

    const notified = (await call('caseworker', 'POST', `/api/v1/decisions/${decision.id}/notify`, { channel: 'digitalPost' })).body;
    expect(notified).toMatchObject({ status: 'notified', notifiedOn: today, resultingGrantId: expect.any(String) });
    const after = (await call('caseworker', 'GET', '/api/v1/work-list?dueWithinDays=60')).body;
    expect(after.inquiriesDue.map((i: { inquiryId: string }) => i.inquiryId)).not.toContain(inquiryId);
    expect(after.draftDecisions).toEqual([]);

    const grant = (await call('caseworker', 'GET', `/api/v1/grants/${notified.resultingGrantId}`)).body;
    expect(grant).toMatchObject({ citizenId, scope: 5, scopeUnit: 'hoursPerWeek', validFrom: addDays(today, 3), institutionId: institution['Bostøtten Handicap'], rateId: expect.any(String) });

    // The institution's staff find the order in their inbox and may now read the citizen.
    const inbox = (await call('providerStaff', 'GET', '/api/v1/orders?status=sent')).body;
    const order = inbox.items.find((o: { grantId: string }) => o.grantId === grant.id);
    expect(order.content).toMatchObject({ scope: 5, standardCode: 'SEL-85', servicePurpose: 'At Birthe kan blive boende i egen bolig.' });
    expect((await call('institutionManager', 'GET', `/api/v1/orders/${order.id}`)).body.id).toBe(order.id);
    expect((await call('providerStaff', 'GET', `/api/v1/citizens/${citizenId}`)).body.name).toBe('Birthe Ærenlund');

    // The letter opens and shows the complaint deadline.
    const pdf = await app.inject({ method: 'GET', url: `/api/v1/decisions/${decision.id}/letter.pdf`, headers: { authorization: `Bearer ${token.caseworker}` } });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = extractPdf(pdf.rawPayload).text;
    expect(text).toContain(danishLongDate(notified.complaintDeadline).replace(/\s/g, ' '));
    expect(text).toContain('Birthe Ærenlund');

    // Every read of the citizen's data is in the access log (by role: the caseworker's and the institution's).
    const log = (await db.query('SELECT actor_role, action, object_type FROM access_log WHERE citizen_id = $1', [citizenId])).rows as { actor_role: string; action: string; object_type: string }[];
    const seen = new Set(log.map((r) => `${r.actor_role}:${r.action}:${r.object_type}`));
    for (const entry of [
      'caseworker:create:citizen',
      'caseworker:create:inquiry',
      'caseworker:create:visit',
      'caseworker:update:assessment',
      'caseworker:create:decision',
      'caseworker:update:decision',
      'caseworker:create:grant',
      'caseworker:create:order',
      'caseworker:read:grant',
      'caseworker:read:workList',
      'caseworker:export:decisionLetter',
      'providerStaff:read:order',
      'providerStaff:read:citizen',
      'institutionManager:read:order',
    ])
      expect(seen).toContain(entry);
  });

  it('a § 108 housing place goes through the visitation panel before it is notified', async () => {
    const { citizenId, caseId, inquiryId, assessmentId } = await assess('051170-4321', 'Ole Kjær', 'SEL-108', 'total');
    const draft = (
      await call('caseworker', 'POST', `/api/v1/cases/${caseId}/decisions`, {
        kind: 'grant',
        standardCode: 'SEL-108',
        inquiryId,
        assessmentId,
        validFrom: addDays(today, 30),
        institutionId: institution['Bofællesskabet Egeskoven'],
        reasoning: 'Ole har brug for omfattende hjælp døgnet rundt (udredningen: svære begrænsninger i egenomsorg og mobilitet).',
        leastInterventionJustification: 'Bostøtte efter § 85 i 20 timer om ugen og aflastning efter § 84 er afprøvet i 2025 og dækker ikke behovet om natten.',
      })
    ).body;
    expect(draft).toMatchObject({ panelRequired: true, leastInterventionRequired: true });
    const submitted = (await call('caseworker', 'POST', `/api/v1/decisions/${draft.id}/submit`, undefined, ifMatch(draft.version))).body;
    const queue = (await call('panelMember', 'GET', '/api/v1/work-list')).body;
    expect(queue.panelQueue).toEqual([expect.objectContaining({ decisionId: draft.id, status: 'awaitingPanel' })]);
    expect((await call('caseworker', 'GET', '/api/v1/work-list')).body.awaitingPanel).toEqual([expect.objectContaining({ decisionId: submitted.id })]);

    const approved = (await call('panelMember', 'POST', `/api/v1/decisions/${draft.id}/panel-review`, { outcome: 'approved', comment: 'Enig.' })).body;
    expect(approved.status).toBe('approved');
    expect((await call('caseworker', 'GET', '/api/v1/work-list')).body.toNotify).toEqual([expect.objectContaining({ decisionId: draft.id })]);
    const notified = (await call('caseworker', 'POST', `/api/v1/decisions/${draft.id}/notify`, { channel: 'letter' })).body;
    expect(notified.status).toBe('notified');
    const grants = (await call('caseworker', 'GET', `/api/v1/citizens/${citizenId}/grants`)).body;
    expect(grants).toEqual([expect.objectContaining({ standardCode: 'SEL-108', scopeUnit: 'place', institutionId: institution['Bofællesskabet Egeskoven'] })]);
    // Bostøtten Handicap's staff do not see this citizen: the order went to Egeskoven.
    expect((await request(app, 'GET', `/api/v1/citizens/${citizenId}`, { token: token.providerStaff })).status).toBe(404);
  });

  it('an inquiry past its casework deadline without a decision is on the list as overdue; another caseworker\'s list by id', async () => {
    const citizen = (await call('caseworker', 'POST', '/api/v1/citizens', { cpr: '030390-1111', name: 'Karen Lund' })).body;
    const inquiry = (
      await call('caseworker', 'POST', `/api/v1/citizens/${citizen.id}/inquiries`, { receivedOn: addDays(today, -60), channel: 'letter', request: 'Bostøtte', standardCode: 'SEL-85' })
    ).body;
    const mine = (await call('caseworker', 'GET', '/api/v1/work-list')).body;
    expect(mine.inquiriesDue).toEqual(expect.arrayContaining([expect.objectContaining({ inquiryId: inquiry.id, caseworkDeadline: addDays(today, -4), overdue: true })]));
    const caseworkerId = mine.caseworkerId as string;
    const viewed = (await call('panelMember', 'GET', `/api/v1/work-list?caseworker=${caseworkerId}`)).body;
    expect(viewed.inquiriesDue.map((i: { inquiryId: string }) => i.inquiryId)).toContain(inquiry.id);
    const notACaseworker = await request(app, 'GET', `/api/v1/work-list?caseworker=${citizen.id}`, { token: token.panelMember });
    expect(notACaseworker.status).toBe(422);
    expect((await request(app, 'GET', '/api/v1/work-list', { token: token.providerStaff })).status).toBe(403);
  });
});
