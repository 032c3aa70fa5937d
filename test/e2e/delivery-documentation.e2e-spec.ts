import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { IDENTITY_STORE, IdentityStore } from 'src/platform/auth/principal';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { OrderService } from 'src/modules/visitation/order.service';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance' | 'otherStaff';
const DEMO_ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance'];

/**
 * The institution's documentation on an accepted SEL-85 order at Bostøtten Handicap: journal notes (amended,
 * never edited; the caseworker sees the shared ones), sub-goals under the decision's goals and progress on them,
 * a provider report that makes the authority's follow-up, use-of-force reports reviewed by the acting
 * municipality and the yearly summary — and nothing of it for another institution's staff.
 */
describe('delivery: documentation, sub-goals, provider and use-of-force reports', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const userId = {} as Record<Role, string>;
  const institution = {} as Record<string, string>;
  const today = danishDate(new Date());
  const lastYear = Number(today.slice(0, 4)) - 1;
  let serial = 3100;
  let order: { id: string; grantId: string; citizenId: string };

  const as = (role: Role, headers: Record<string, string> = {}) => ({ token: token[role], headers });

  /** A citizen with a notified SEL-85 grant (two goals) at Bostøtten Handicap; the order is sent. */
  const grantWithOrder = async () => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', {
      ...as('caseworker'),
      body: { cpr: `010385-${serial++}`, name: 'Åse Østergård', address: { street: 'Søvej 1', postalCode: '8800', city: 'Viborg' } },
    });
    expect(citizen.status).toBe(201);
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
      ...as('caseworker'),
      body: { receivedOn: addDays(today, -10), channel: 'phone', request: 'Ønsker hjælp', standardCode: 'SEL-85' },
    });
    expect(inquiry.status).toBe(201);
    const decision = await request(app, 'POST', `/api/v1/cases/${inquiry.body.caseId}/decisions`, {
      ...as('caseworker'),
      body: {
        kind: 'grant',
        standardCode: 'SEL-85',
        inquiryId: inquiry.body.id,
        scope: 5,
        validFrom: addDays(today, 7),
        institutionId: institution['Bostøtten Handicap'],
        servicePurpose: 'At borgeren kan bo i egen bolig',
        goals: [
          { description: 'Handler selv ind to gange om ugen', primaryTheme: 'practicalTasks', secondaryThemes: ['mobility'], targetLevel: 1, goalType: 'develop' },
          { description: 'Holder kontakten til sin søster', primaryTheme: 'relations', secondaryThemes: [], targetLevel: 2, goalType: 'maintain' },
        ],
        reasoning: 'Borgeren har betydelig nedsat funktionsevne i praktiske opgaver (udredning) og har behov for støtte i hjemmet.',
      },
    });
    expect(decision.status).toBe(201);
    expect((await request(app, 'POST', `/api/v1/decisions/${decision.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost' } })).status).toBe(200);
    const grants = await request(app, 'GET', `/api/v1/citizens/${citizen.body.id}/grants`, as('caseworker'));
    const grantId = grants.body[0].id as string;
    const orders = await request(app, 'GET', `/api/v1/orders?citizenId=${citizen.body.id}`, as('caseworker'));
    const sent = orders.body.items.find((o: { grantId: string }) => o.grantId === grantId);
    return { id: sent.id as string, version: sent.version as number, grantId, citizenId: citizen.body.id as string };
  };

  const accept = async (o: { id: string; version: number }) => {
    const principal = (await app.get<IdentityStore>(IDENTITY_STORE).principalForUser(userId.institutionManager))!;
    await app.get(ClsService).run(() => app.get(OrderService).accept(principal, 'delivery', o.id, o.version, addDays(today, 7)));
  };

  const count = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0].n as number;

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of DEMO_ROLES) {
      token[role] = await login(app, role, DEMO_PASSWORD);
      userId[role] = (await request(app, 'GET', '/api/v1/me', { token: token[role] })).body.id;
    }
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
    const other = await request(app, 'POST', '/api/v1/users', {
      token: token.admin,
      body: { username: 'psykiatri.staff', displayName: 'Medarbejder Psykiatri', role: 'providerStaff', orgUnitId: institution['Bostøtten Psykiatri'], password: DEMO_PASSWORD },
    });
    expect(other.status).toBe(201);
    token.otherStaff = await login(app, 'psykiatri.staff', DEMO_PASSWORD);
    userId.otherStaff = other.body.id;

    const sent = await grantWithOrder();
    await accept(sent);
    order = sent;
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  describe('journal notes', () => {
    it('amended, never edited: history with amendedBy; the caseworker sees only shared notes; PATCH/PUT/DELETE 405 and nothing changes', async () => {
      const url = `/api/v1/orders/${order.id}/notes`;
      const first = await request(app, 'POST', url, { ...as('providerStaff', { 'idempotency-key': 'note-first-1' }), body: { text: 'Første besøg: borgeren var glad.' } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ orderId: order.id, citizenId: order.citizenId, institutionId: institution['Bostøtten Handicap'], sharedWithAuthority: false, amendsNoteId: null, amendedBy: [], authorUserId: userId.providerStaff });
      // The same key again: the same note, not a second one.
      const again = await request(app, 'POST', url, { ...as('providerStaff', { 'idempotency-key': 'note-first-1' }), body: { text: 'Første besøg: borgeren var glad.' } });
      expect(again.body.id).toBe(first.body.id);

      const shared = await request(app, 'POST', url, { ...as('institutionManager'), body: { text: 'Borgeren ønsker flere timer.', sharedWithAuthority: true } });
      expect(shared.status).toBe(201);
      const amendment = await request(app, 'POST', url, { ...as('providerStaff'), body: { text: 'Første besøg: borgeren var glad, men træt.', amendsNoteId: first.body.id } });
      expect(amendment.status).toBe(201);
      expect(amendment.body).toMatchObject({ amendsNoteId: first.body.id, sharedWithAuthority: false });
      // The amendment of a shared note stays shared, even if the writer did not say so.
      const sharedAmendment = await request(app, 'POST', url, { ...as('providerStaff'), body: { text: 'Borgeren ønsker 2 timer mere om ugen.', amendsNoteId: shared.body.id } });
      expect(sharedAmendment.body).toMatchObject({ amendsNoteId: shared.body.id, sharedWithAuthority: true });
      // A version that was amended already: amend the latest one instead (409).
      expectProblem(await request(app, 'POST', url, { ...as('providerStaff'), body: { text: 'Rettelse', amendsNoteId: first.body.id } }), 409, 'conflict');

      const history = await request(app, 'GET', url, as('providerStaff'));
      expect(history.status).toBe(200);
      expect(history.body.items.map((n: { id: string; amendedBy: string[] }) => [n.id, n.amendedBy])).toEqual([
        [first.body.id, [amendment.body.id]],
        [shared.body.id, [sharedAmendment.body.id]],
        [amendment.body.id, []],
        [sharedAmendment.body.id, []],
      ]);
      const paged = await request(app, 'GET', `${url}?limit=3`, as('providerStaff'));
      expect(paged.body.items).toHaveLength(3);
      const rest = await request(app, 'GET', `${url}?limit=3&cursor=${paged.body.nextCursor}`, as('providerStaff'));
      expect(rest.body).toEqual({ items: [expect.objectContaining({ id: sharedAmendment.body.id })], nextCursor: null });

      const caseworker = await request(app, 'GET', url, as('caseworker'));
      expect(caseworker.status).toBe(200);
      expect(caseworker.body.items.map((n: { id: string; amendedBy: string[] }) => [n.id, n.amendedBy])).toEqual([
        [shared.body.id, [sharedAmendment.body.id]],
        [sharedAmendment.body.id, []],
      ]);

      for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
        const res = await request(app, method, `${url}/${first.body.id}`, { ...as('providerStaff'), body: method === 'DELETE' ? undefined : { text: 'Ændret' } });
        expect(expectProblem(res, 405, 'methodNotAllowed').detail).toContain('amend');
      }
      const stored = await db.query('SELECT text FROM staff_note WHERE order_id = $1 ORDER BY recorded_at, id', [order.id]);
      expect(stored.rows.map((r) => r.text)).toEqual(['Første besøg: borgeren var glad.', 'Borgeren ønsker flere timer.', 'Første besøg: borgeren var glad, men træt.', 'Borgeren ønsker 2 timer mere om ugen.']);

      // Access log: each write and each read, with the citizen and the purpose.
      const log = await db.query(
        `SELECT actor_user_id, action, purpose FROM access_log WHERE object_type = 'staffNote' AND citizen_id = $1 ORDER BY id`,
        [order.citizenId],
      );
      expect(log.rows.filter((r) => r.action === 'create')).toHaveLength(4);
      expect(log.rows).toContainEqual({ actor_user_id: userId.caseworker, action: 'read', purpose: 'visitation' });
      expect(log.rows).toContainEqual({ actor_user_id: userId.providerStaff, action: 'read', purpose: 'delivery' });
    });

    it('refuses bad notes: a caseworker writing (403), sub-goals of no order (422), a note of another order (422), another institution (404)', async () => {
      const url = `/api/v1/orders/${order.id}/notes`;
      expectProblem(await request(app, 'POST', url, { ...as('caseworker'), body: { text: 'Fra myndigheden' } }), 403);
      expectProblem(await request(app, 'POST', url, { ...as('providerStaff'), body: { text: 'x', subGoalIds: ['00000000-0000-4000-8000-000000000001'] } }), 422);
      const otherOrder = await grantWithOrder();
      await accept({ id: otherOrder.id, version: otherOrder.version });
      const elsewhere = await request(app, 'POST', `/api/v1/orders/${otherOrder.id}/notes`, { ...as('providerStaff'), body: { text: 'Note på en anden borger' } });
      expect(elsewhere.status).toBe(201);
      expectProblem(await request(app, 'POST', url, { ...as('providerStaff'), body: { text: 'x', amendsNoteId: elsewhere.body.id } }), 422);
      expectProblem(await request(app, 'POST', url, { ...as('providerStaff'), body: { text: 'x', unknown: 1 } }), 400);

      expectProblem(await request(app, 'GET', url, as('otherStaff')), 404);
      expectProblem(await request(app, 'POST', url, { ...as('otherStaff'), body: { text: 'Forkert tilbud' } }), 404);
      expectProblem(await request(app, 'GET', url, as('finance')), 403);
      // A sent order is not documented on yet.
      const sent = await grantWithOrder();
      expectProblem(await request(app, 'POST', `/api/v1/orders/${sent.id}/notes`, { ...as('providerStaff'), body: { text: 'For tidligt' } }), 422);
    });
  });

  describe('sub-goals and progress', () => {
    it("under the decision's goals, written by the institution only, progress over time, read by the caseworker with the grant's goals", async () => {
      const url = `/api/v1/orders/${order.id}/sub-goals`;
      const wrong = await request(app, 'POST', url, { ...as('providerStaff'), body: { goalOrdinal: 3, description: 'Ikke et mål' } });
      expect(expectProblem(wrong, 422, 'ruleViolated').errors.map((e) => e.pointer)).toEqual(['/goalOrdinal']);
      expectProblem(await request(app, 'POST', url, { ...as('caseworker'), body: { goalOrdinal: 1, description: 'Fra myndigheden' } }), 403);
      expectProblem(await request(app, 'POST', url, { ...as('otherStaff'), body: { goalOrdinal: 1, description: 'Forkert tilbud' } }), 404);
      expectProblem(await request(app, 'POST', url, { ...as('providerStaff'), body: { goalOrdinal: 1, description: 'x', targetLevel: 5 } }), 400);

      const shopping = await request(app, 'POST', url, { ...as('providerStaff', { 'idempotency-key': 'sub-goal-shopping' }), body: { goalOrdinal: 1, description: 'Laver indkøbsliste selv', targetLevel: 1 } });
      expect(shopping.status).toBe(201);
      expect(shopping.headers.etag).toBe('"1"');
      expect(shopping.body).toMatchObject({ goalOrdinal: 1, status: 'active', targetLevel: 1, progress: [], version: 1, createdBy: userId.providerStaff });
      const sister = await request(app, 'POST', url, { ...as('institutionManager'), body: { goalOrdinal: 2, description: 'Ringer til søsteren hver uge' } });
      expect(sister.status).toBe(201);
      expect(expectProblem(await request(app, 'POST', url, { ...as('caseworker'), body: { goalOrdinal: 2, description: 'x' } }), 403).code).toBe('forbidden');

      const progressUrl = `/api/v1/sub-goals/${shopping.body.id}/progress`;
      const levels: [string, number, string][] = [
        [addDays(today, -14), 3, 'Har brug for hjælp til hele listen'],
        [addDays(today, -7), 2, 'Skriver halvdelen selv'],
        [today, 1, 'Skriver listen selv med lidt støtte'],
      ];
      for (const [recordedOn, level, text] of levels) {
        const res = await request(app, 'POST', progressUrl, { ...as('providerStaff', { 'idempotency-key': `progress-${recordedOn}` }), body: { level, text, recordedOn } });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ subGoalId: shopping.body.id, level, recordedOn, recordedBy: userId.providerStaff });
      }
      // Retried with the same key: still three entries.
      await request(app, 'POST', progressUrl, { ...as('providerStaff', { 'idempotency-key': `progress-${today}` }), body: { level: 1, text: 'Skriver listen selv med lidt støtte', recordedOn: today } });
      expect(await count('SELECT count(*)::int AS n FROM goal_progress WHERE sub_goal_id = $1', [shopping.body.id])).toBe(3);
      expectProblem(await request(app, 'POST', progressUrl, { ...as('providerStaff'), body: { level: 1, text: 'I morgen', recordedOn: addDays(today, 1) } }), 422);
      expectProblem(await request(app, 'POST', progressUrl, { ...as('providerStaff'), body: { level: 5, text: 'For højt' } }), 400);
      expectProblem(await request(app, 'POST', progressUrl, { ...as('caseworker'), body: { level: 1, text: 'Fra myndigheden' } }), 403);
      expectProblem(await request(app, 'POST', progressUrl, { ...as('otherStaff'), body: { level: 1, text: 'Forkert tilbud' } }), 404);

      // Status changes take If-Match; a stale one is 409; nothing is recorded on an achieved sub-goal.
      const subGoalUrl = `/api/v1/sub-goals/${sister.body.id}`;
      expectProblem(await request(app, 'PATCH', subGoalUrl, { ...as('providerStaff'), body: { status: 'achieved' } }), 428);
      expectProblem(await request(app, 'PATCH', subGoalUrl, { ...as('providerStaff', { 'if-match': '"7"' }), body: { status: 'achieved' } }), 409, 'versionMismatch');
      expectProblem(await request(app, 'PATCH', subGoalUrl, { ...as('caseworker', { 'if-match': '"1"' }), body: { status: 'achieved' } }), 403);
      const achieved = await request(app, 'PATCH', subGoalUrl, { ...as('providerStaff', { 'if-match': '"1"' }), body: { status: 'achieved' } });
      expect(achieved.status).toBe(200);
      expect(achieved.headers.etag).toBe('"2"');
      expect(achieved.body).toMatchObject({ status: 'achieved', version: 2 });
      expectProblem(await request(app, 'POST', `${subGoalUrl}/progress`, { ...as('providerStaff'), body: { level: 2, text: 'Efter målet' } }), 409);

      const list = await request(app, 'GET', url, as('institutionManager'));
      expect(list.body.map((s: { id: string }) => s.id)).toEqual([shopping.body.id, sister.body.id]);
      expect(list.body[0].progress.map((p: { level: number; recordedOn: string }) => [p.recordedOn, p.level])).toEqual(levels.map(([d, l]) => [d, l]));
      expectProblem(await request(app, 'GET', url, as('otherStaff')), 404);

      const goals = await request(app, 'GET', `/api/v1/grants/${order.grantId}/goals`, as('caseworker'));
      expect(goals.status).toBe(200);
      expect(goals.body).toMatchObject({ grantId: order.grantId, orderId: order.id, citizenId: order.citizenId, servicePurpose: 'At borgeren kan bo i egen bolig' });
      expect(goals.body.goals.map((g: { ordinal: number; subGoals: { id: string }[] }) => [g.ordinal, g.subGoals.map((s) => s.id)])).toEqual([
        [1, [shopping.body.id]],
        [2, [sister.body.id]],
      ]);
      expect(goals.body.goals[0].subGoals[0].progress).toHaveLength(3);
      expect(goals.body.goals[1]).toMatchObject({ primaryTheme: 'relations', targetLevel: 2, goalType: 'maintain', subGoals: [expect.objectContaining({ status: 'achieved' })] });
      expectProblem(await request(app, 'GET', `/api/v1/grants/${order.grantId}/goals`, as('providerStaff')), 403);
      expectProblem(await request(app, 'GET', '/api/v1/grants/00000000-0000-4000-8000-000000000001/goals', as('caseworker')), 404);

      // The citizen's handleplan shows the same sub-goals and progress under the grant it covers (read-only).
      const caseId = (await request(app, 'GET', `/api/v1/citizens/${order.citizenId}/cases`, as('caseworker'))).body[0].id;
      const plan = await request(app, 'POST', `/api/v1/cases/${caseId}/action-plans`, {
        ...as('caseworker'),
        body: { purpose: 'Bo i egen bolig', services: 'Bostøtte', expectedDuration: '1 år', grantIds: [order.grantId] },
      });
      expect(plan.status).toBe(201);
      const planView = await request(app, 'GET', `/api/v1/action-plans/${plan.body.id}`, as('caseworker'));
      expect(planView.body.grants[0].subGoals.map((sg: { id: string; goalOrdinal: number }) => [sg.goalOrdinal, sg.id])).toEqual([
        [1, shopping.body.id],
        [2, sister.body.id],
      ]);
      expect(planView.body.grants[0].subGoals[0].progress).toHaveLength(3);

      const log = await db.query(`SELECT object_type, action, count(*)::int AS n FROM access_log WHERE citizen_id = $1 AND object_type IN ('subGoal', 'goalProgress') GROUP BY 1, 2 ORDER BY 1, 2`, [order.citizenId]);
      expect(log.rows).toEqual([
        { object_type: 'goalProgress', action: 'create', n: 3 },
        { object_type: 'subGoal', action: 'create', n: 2 },
        { object_type: 'subGoal', action: 'read', n: 2 },
        { object_type: 'subGoal', action: 'update', n: 1 },
      ]);
    });
  });

  describe('provider reports', () => {
    it("make the authority's follow-up task in the same transaction; the same key twice is one report and one follow-up", async () => {
      const url = `/api/v1/orders/${order.id}/provider-reports`;
      const body = { direction: 'increased', description: 'Borgeren har brug for hjælp til økonomi også.', proposal: '2 timer mere om ugen' };
      const first = await request(app, 'POST', url, { ...as('providerStaff', { 'idempotency-key': 'provider-report-1' }), body });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ orderId: order.id, grantId: order.grantId, direction: 'increased', proposal: '2 timer mere om ugen', followUpId: expect.any(String) });
      const again = await request(app, 'POST', url, { ...as('providerStaff', { 'idempotency-key': 'provider-report-1' }), body });
      expect(again.body).toEqual(first.body);
      expectProblem(await request(app, 'POST', url, { ...as('providerStaff', { 'idempotency-key': 'provider-report-1' }), body: { ...body, direction: 'decreased' } }), 409, 'idempotencyKeyReused');
      expect(await count('SELECT count(*)::int AS n FROM provider_report WHERE order_id = $1', [order.id])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM follow_up WHERE grant_id = $1 AND source = 'providerReport'`, [order.grantId])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'ProviderReportSubmitted' AND payload->>'providerReportId' = $1`, [first.body.id])).toBe(1);

      const followUps = await request(app, 'GET', `/api/v1/grants/${order.grantId}/follow-ups`, as('caseworker'));
      const fromReport = followUps.body.filter((f: { source: string }) => f.source === 'providerReport');
      expect(fromReport).toEqual([expect.objectContaining({ id: first.body.followUpId, sourceRef: first.body.id, status: 'open', dueOn: today, reason: expect.stringContaining('økonomi') })]);

      const forCaseworker = await request(app, 'GET', url, as('caseworker'));
      expect(forCaseworker.body).toEqual([first.body]);
      expect((await request(app, 'GET', url, as('institutionManager'))).body).toEqual([first.body]);
      expectProblem(await request(app, 'GET', url, as('otherStaff')), 404);
      expectProblem(await request(app, 'POST', url, { ...as('otherStaff'), body }), 404);
      expectProblem(await request(app, 'POST', url, { ...as('caseworker'), body }), 403);
      expectProblem(await request(app, 'POST', url, { ...as('providerStaff'), body: { ...body, direction: 'sideways' } }), 400);

      const log = await db.query(`SELECT object_type, actor_user_id FROM access_log WHERE citizen_id = $1 AND action = 'create' AND object_type IN ('providerReport', 'followUp')`, [order.citizenId]);
      expect(log.rows).toEqual(
        expect.arrayContaining([
          { object_type: 'providerReport', actor_user_id: userId.providerStaff },
          { object_type: 'followUp', actor_user_id: userId.providerStaff },
        ]),
      );
      expect(log.rows).toHaveLength(2);
    });
  });

  describe('use-of-force reports', () => {
    it('registered by the institution, pending at the acting municipality, reviewed once; the yearly summary counts by hand', async () => {
      const url = `/api/v1/institutions/${institution['Bostøtten Handicap']}/use-of-force-reports`;
      const second = await grantWithOrder(); // a sent order makes the citizen visible to the institution
      const report = (citizenId: string, form: string, occurredAt: string, key?: string) =>
        request(app, 'POST', url, { ...as('providerStaff', key ? { 'idempotency-key': key } : {}), body: { citizenId, form, occurredAt, durationMinutes: 5, description: 'Fastholdt for at undgå skade.' } });

      // Hand count for lastYear (Danish time): Jan 1a ×2 (A, B), Feb 1a ×1 (A: 31 Jan 23:30 UTC is 1 Feb in Denmark),
      // Mar 2 ×1 (B); 31 Dec 23:30 UTC belongs to the next year in Denmark. Total 4, citizens 2.
      const made = [
        await report(order.citizenId, '1a', `${lastYear}-01-15T10:00:00+01:00`, 'force-report-1'),
        await report(second.citizenId, '1a', `${lastYear}-01-20T08:00:00+01:00`),
        await report(order.citizenId, '1a', `${lastYear}-01-31T23:30:00Z`),
        await report(second.citizenId, '2', `${lastYear}-03-10T12:00:00+01:00`),
        await report(order.citizenId, '1b', `${lastYear}-12-31T23:30:00Z`),
      ];
      for (const r of made) expect(r.status).toBe(201);
      const citizenRow = (await db.query('SELECT acting_municipality_id FROM citizen WHERE id = $1', [order.citizenId])).rows[0];
      const own = (await db.query('SELECT id FROM municipality WHERE is_own')).rows[0];
      expect(citizenRow.acting_municipality_id).toBe(own.id);
      expect(made[0].body).toMatchObject({ actingMunicipalityId: own.id, reviewStatus: 'pending', form: '1a', durationMinutes: 5, version: 1, reportedBy: userId.providerStaff });
      expect((await report(order.citizenId, '1a', `${lastYear}-01-15T10:00:00+01:00`, 'force-report-1')).body.id).toBe(made[0].body.id);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'UseOfForceReported'`, [])).toBe(5);

      // Bad input: in the future, unknown form, a citizen not at the institution, another institution.
      expectProblem(await report(order.citizenId, '1a', new Date(Date.now() + 3_600_000).toISOString()), 422, 'ruleViolated');
      expectProblem(await report(order.citizenId, '3', `${lastYear}-05-01T10:00:00+02:00`), 400);
      const stranger = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: `010385-${serial++}`, name: 'Ukendt Borger' } });
      expect(expectProblem(await report(stranger.body.id, '1a', `${lastYear}-05-01T10:00:00+02:00`), 422).errors.map((e) => e.pointer)).toEqual(['/citizenId']);
      expectProblem(await request(app, 'POST', url, { ...as('otherStaff'), body: { citizenId: order.citizenId, form: '1a', occurredAt: `${lastYear}-05-01T10:00:00+02:00`, description: 'x' } }), 404);
      expectProblem(await request(app, 'POST', url, { ...as('caseworker'), body: { citizenId: order.citizenId, form: '1a', occurredAt: `${lastYear}-05-01T10:00:00+02:00`, description: 'x' } }), 403);
      expectProblem(await request(app, 'GET', url, as('otherStaff')), 404);

      const institutionList = await request(app, 'GET', url, as('institutionManager'));
      expect(institutionList.body.items).toHaveLength(5);
      const pending = await request(app, 'GET', '/api/v1/use-of-force-reports?status=pending', as('caseworker'));
      expect(pending.body.items.map((r: { id: string }) => r.id).sort()).toEqual(made.map((r) => r.body.id).sort());
      expectProblem(await request(app, 'GET', '/api/v1/use-of-force-reports', as('providerStaff')), 403);

      // Review: If-Match, once.
      const reviewUrl = `/api/v1/use-of-force-reports/${made[0].body.id}/review`;
      expectProblem(await request(app, 'POST', reviewUrl, { ...as('caseworker'), body: { comment: 'Set' } }), 428);
      expectProblem(await request(app, 'POST', reviewUrl, { ...as('caseworker', { 'if-match': '"9"' }), body: { comment: 'Set' } }), 409, 'versionMismatch');
      expectProblem(await request(app, 'POST', reviewUrl, { ...as('providerStaff', { 'if-match': '"1"' }), body: { comment: 'Set' } }), 403);
      const reviewed = await request(app, 'POST', reviewUrl, { ...as('caseworker', { 'if-match': '"1"' }), body: { comment: 'Gennemgået; indgrebet var nødvendigt.' } });
      expect(reviewed.status).toBe(200);
      expect(reviewed.headers.etag).toBe('"2"');
      expect(reviewed.body).toMatchObject({ reviewStatus: 'reviewed', reviewedBy: userId.caseworker, reviewComment: 'Gennemgået; indgrebet var nødvendigt.', version: 2 });
      expectProblem(await request(app, 'POST', reviewUrl, { ...as('caseworker', { 'if-match': '"2"' }), body: { comment: 'Igen' } }), 409, 'conflict');
      const stillPending = await request(app, 'GET', '/api/v1/use-of-force-reports?status=pending', as('caseworker'));
      expect(stillPending.body.items.map((r: { id: string }) => r.id)).not.toContain(made[0].body.id);
      expect(stillPending.body.items).toHaveLength(4);
      const reviewedList = await request(app, 'GET', '/api/v1/use-of-force-reports?status=reviewed', as('caseworker'));
      expect(reviewedList.body.items.map((r: { id: string }) => r.id)).toEqual([made[0].body.id]);
      const seenByStaff = await request(app, 'GET', `/api/v1/use-of-force-reports/${made[0].body.id}`, as('providerStaff'));
      expect(seenByStaff.body).toMatchObject({ reviewStatus: 'reviewed' });
      expectProblem(await request(app, 'GET', `/api/v1/use-of-force-reports/${made[0].body.id}`, as('otherStaff')), 404);

      const summary = await request(app, 'GET', `/api/v1/institutions/${institution['Bostøtten Handicap']}/use-of-force-summary?year=${lastYear}`, as('institutionManager'));
      expect(summary.status).toBe(200);
      const zero = { '1a': 0, '1b': 0, '2': 0 };
      expect(summary.body).toMatchObject({ institutionId: institution['Bostøtten Handicap'], year: lastYear, total: 4, citizens: 2, byForm: { '1a': 3, '1b': 0, '2': 1 }, pending: 3 });
      expect(summary.body.byMonth).toHaveLength(12);
      expect(summary.body.byMonth.slice(0, 4)).toEqual([
        { month: 1, total: 2, byForm: { ...zero, '1a': 2 } },
        { month: 2, total: 1, byForm: { ...zero, '1a': 1 } },
        { month: 3, total: 1, byForm: { ...zero, '2': 1 } },
        { month: 4, total: 0, byForm: zero },
      ]);
      const nextYear = await request(app, 'GET', `/api/v1/institutions/${institution['Bostøtten Handicap']}/use-of-force-summary?year=${lastYear + 1}`, as('caseworker'));
      expect(nextYear.body).toMatchObject({ total: 1, citizens: 1, byForm: { '1a': 0, '1b': 1, '2': 0 } });
      expect(nextYear.body.byMonth[0]).toEqual({ month: 1, total: 1, byForm: { ...zero, '1b': 1 } });
      expectProblem(await request(app, 'GET', `/api/v1/institutions/${institution['Bostøtten Handicap']}/use-of-force-summary?year=${lastYear}`, as('otherStaff')), 404);
      expectProblem(await request(app, 'GET', `/api/v1/institutions/${institution['Bostøtten Handicap']}/use-of-force-summary`, as('institutionManager')), 400);

      const log = await db.query(`SELECT action, count(*)::int AS n FROM access_log WHERE object_type = 'useOfForceReport' AND citizen_id = $1 GROUP BY 1 ORDER BY 1`, [order.citizenId]);
      expect(log.rows).toEqual(expect.arrayContaining([{ action: 'create', n: 3 }, { action: 'update', n: 1 }]));
    });
  });
});
