import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { AssessmentService } from 'src/modules/visitation/assessment.service';
import { IDENTITY_STORE, IdentityStore, Principal } from 'src/platform/auth/principal';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request, TestResponse } from 'test/support/http';
import { expectProblem, pointersOf } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance' | 'auditor';
const ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance', 'auditor'];
const THEMES = ['selfCare', 'practicalTasks', 'mobility', 'communication', 'relations', 'communityLife'];
const FUNCTIONS = ['mentalFunctions', 'physicalFunctions', 'healthConditions', 'socialConditions'];
const ENVIRONMENT = ['network', 'attitudes', 'housingArea'];

describe('assessments (udredning, VUM 2.0)', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const userId = {} as Record<Role, string>;
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
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const as = (role: Role) => ({ token: token[role] });
  const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

  /** A citizen with an open case asking for the given services (one inquiry each). */
  const newCase = async (...codes: string[]) => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: `010385-${serial++}`, name: 'Ulla Udredning' } });
    expect(citizen.status).toBe(201);
    let caseId = '';
    for (const standardCode of codes.length ? codes : ['SEL-85']) {
      const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
        ...as('caseworker'),
        body: { receivedOn: today, channel: 'phone', request: 'Ønsker støtte', standardCode },
      });
      expect(inquiry.status).toBe(201);
      caseId = inquiry.body.caseId;
    }
    return { citizenId: citizen.body.id as string, caseId };
  };
  const create = (caseId: string, body: Record<string, unknown> = {}, role: Role = 'caseworker', headers: Record<string, string> = {}) =>
    request(app, 'POST', `/api/v1/cases/${caseId}/assessments`, { ...as(role), body, headers });
  const patch = (id: string, version: number, body: Record<string, unknown>, role: Role = 'caseworker') =>
    request(app, 'PATCH', `/api/v1/assessments/${id}`, { ...as(role), body, headers: ifMatch(version) });
  const complete = (id: string, version: number, role: Role = 'caseworker') =>
    request(app, 'POST', `/api/v1/assessments/${id}/complete`, { ...as(role), headers: ifMatch(version) });
  const stored = async (id: string) => (await db.query('SELECT status, version, background, citizen_wishes FROM assessment WHERE id = $1', [id])).rows[0];
  /** The access-log rows written while answering a response (matched by its request id). */
  const logOf = async (res: TestResponse) =>
    (
      await db.query('SELECT action, object_type, object_id, citizen_id, purpose, actor_user_id FROM access_log WHERE request_id = $1 ORDER BY id', [
        res.headers['x-request-id'],
      ])
    ).rows as { action: string; object_type: string; object_id: string | null; citizen_id: string; purpose: string; actor_user_id: string }[];

  /** Everything a complete assessment of a SEL-85 case needs. */
  const fullContent = (overrides: Record<string, unknown> = {}) => ({
    assessedOn: today,
    citizenWishes: 'Jeg vil gerne klare min egen økonomi og bo i egen bolig.',
    sections: [
      ...THEMES.map((section, i) => ({ section, level: i === 5 ? null : i % 5, description: i === 5 ? null : `Iagttaget: ${section}`, sources: ['citizen'] })),
    ],
    supportNeeds: [{ standardCode: 'SEL-85', level: 'moderate', note: 'Ugentlig bostøtte' }],
    ...overrides,
  });

  describe('the flow: create → patch → complete', () => {
    it('creates a draft with content, patches it section by section, completes it, and logs every step', async () => {
      const { citizenId, caseId } = await newCase('SEL-85', 'SEL-104');
      const created = await create(caseId, {
        background: 'Henvendelse fra borgeren om støtte i hjemmet.',
        sections: [{ section: 'selfCare', level: 2, description: 'Har brug for påmindelser om personlig hygiejne.', sources: ['citizen', 'caseworker'] }],
      });
      expect(created.status).toBe(201);
      const a = created.body;
      expect(a).toMatchObject({
        citizenId,
        caseId,
        status: 'draft',
        assessedOn: null,
        background: 'Henvendelse fra borgeren om støtte i hjemmet.',
        citizenWishes: null,
        professionalAssessment: null,
        caseworkerId: userId.caseworker,
        supportNeeds: [],
        completedAt: null,
        completedBy: null,
        version: 1,
      });
      expect(a.sections.activityThemes.map((s: { section: string }) => s.section)).toEqual(THEMES);
      expect(a.sections.functions.map((s: { section: string }) => s.section)).toEqual(FUNCTIONS);
      expect(a.sections.environment.map((s: { section: string }) => s.section)).toEqual(ENVIRONMENT);
      expect(a.sections.activityThemes[0]).toEqual({
        section: 'selfCare',
        level: 2,
        notAssessed: false,
        description: 'Har brug for påmindelser om personlig hygiejne.',
        sources: ['citizen', 'caseworker'],
      });
      expect(a.sections.activityThemes[1]).toEqual({ section: 'practicalTasks', level: null, notAssessed: false, description: null, sources: [] });
      expect(a.sections.functions[0]).toEqual({ section: 'mentalFunctions', level: null, notAssessed: false, description: null, sources: [] });
      expect(await logOf(created)).toEqual([
        { action: 'create', object_type: 'assessment', object_id: a.id, citizen_id: citizenId, purpose: 'visitation', actor_user_id: userId.caseworker },
      ]);

      const got = await request(app, 'GET', `/api/v1/assessments/${a.id}`, as('panelMember'));
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).toEqual(a);
      expect((await logOf(got)).map((r) => [r.action, r.object_type, r.object_id, r.citizen_id, r.purpose])).toEqual([['read', 'assessment', a.id, citizenId, 'panelReview']]);

      const patched = await patch(a.id, 1, {
        assessedOn: today,
        citizenWishes: '  Jeg vil gerne bo for mig selv.  ',
        professionalAssessment: 'Moderat nedsat funktionsevne i praktiske opgaver.',
        sections: [
          { section: 'selfCare', level: 3, description: 'Revurderet efter besøg.' },
          { section: 'practicalTasks', level: 2, description: 'Kan ikke selv handle ind.', sources: ['relative'] },
          { section: 'mobility', level: 0 },
          { section: 'communication', level: 1, description: 'Taler tydeligt.' },
          { section: 'relations', level: 4, sources: ['provider'] },
          { section: 'communityLife', level: null, description: 'Ikke relevant at vurdere nu.' },
          { section: 'mentalFunctions', description: 'Angst i sociale sammenhænge.', sources: ['healthProfessional'] },
          { section: 'network', level: null, description: 'Søster i nærheden.' },
        ],
        supportNeeds: [
          { standardCode: 'SEL-85', level: 'moderate' },
          { standardCode: 'SEL-104', level: 'light', note: 'Samvær to dage om ugen' },
        ],
      });
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe('"2"');
      const p = patched.body;
      expect(p).toMatchObject({ version: 2, assessedOn: today, citizenWishes: 'Jeg vil gerne bo for mig selv.', background: a.background });
      // The section given replaces the row: selfCare's sources are gone.
      expect(p.sections.activityThemes[0]).toEqual({ section: 'selfCare', level: 3, notAssessed: false, description: 'Revurderet efter besøg.', sources: [] });
      expect(p.sections.activityThemes[5]).toEqual({ section: 'communityLife', level: null, notAssessed: true, description: 'Ikke relevant at vurdere nu.', sources: [] });
      expect(p.sections.activityThemes.map((s: { level: number | null }) => s.level)).toEqual([3, 2, 0, 1, 4, null]);
      expect(p.sections.functions[0]).toMatchObject({ section: 'mentalFunctions', level: null, notAssessed: false, sources: ['healthProfessional'] });
      expect(p.sections.environment[0]).toMatchObject({ section: 'network', level: null, notAssessed: false, description: 'Søster i nærheden.' });
      expect(p.supportNeeds).toEqual([
        { standardCode: 'SEL-104', level: 'light', note: 'Samvær to dage om ugen' },
        { standardCode: 'SEL-85', level: 'moderate', note: null },
      ]);
      expect((await logOf(patched)).map((r) => [r.action, r.object_type, r.object_id, r.citizen_id])).toEqual([['update', 'assessment', a.id, citizenId]]);

      // A support need given again replaces that standard's row only.
      const again = await patch(a.id, 2, { supportNeeds: [{ standardCode: 'SEL-85', level: 'high', note: 'Mere end antaget' }] });
      expect(again.body.supportNeeds).toEqual([
        { standardCode: 'SEL-104', level: 'light', note: 'Samvær to dage om ugen' },
        { standardCode: 'SEL-85', level: 'high', note: 'Mere end antaget' },
      ]);
      expect(again.body.sections).toEqual(p.sections);

      const done = await complete(a.id, 3);
      expect(done.status).toBe(200);
      expect(done.headers.etag).toBe('"4"');
      expect(done.body).toMatchObject({ status: 'completed', completedBy: userId.caseworker, version: 4 });
      expect(Date.now() - new Date(done.body.completedAt).getTime()).toBeLessThan(60_000);
      // Completing reads the case's inquiries (what services it asks for) and changes the assessment.
      expect((await logOf(done)).map((r) => [r.action, r.object_type, r.citizen_id])).toEqual([
        ['read', 'case', citizenId],
        ['update', 'assessment', citizenId],
      ]);

      const second = await create(caseId, {}, 'panelMember');
      expect(second.body.caseworkerId).toBe(userId.panelMember);
      const list = await request(app, 'GET', `/api/v1/cases/${caseId}/assessments`, as('caseworker'));
      expect(list.status).toBe(200);
      expect(list.body.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
        [second.body.id, 'draft'],
        [a.id, 'completed'],
      ]);
      expect(list.body[1]).toEqual(done.body);
      expect((await logOf(list)).map((r) => [r.action, r.object_type, r.object_id, r.citizen_id])).toEqual([['read', 'assessment', null, citizenId]]);

      // Every read and change of this citizen's assessments is in the access log.
      const logged = await db.query(`SELECT action, count(*)::int AS n FROM access_log WHERE object_type = 'assessment' AND citizen_id = $1 GROUP BY action ORDER BY action`, [citizenId]);
      expect(logged.rows).toEqual([
        { action: 'create', n: 2 },
        { action: 'read', n: 2 },
        { action: 'update', n: 3 },
      ]);
    });

    it('takes the caseworker from caseworkerId (an active caseworker or panel member), which an administrator must give', async () => {
      const { caseId } = await newCase();
      expect(pointersOf(expectProblem(await create(caseId, {}, 'admin'), 422, 'ruleViolated'))).toEqual(['/caseworkerId']);
      const byAdmin = await create(caseId, { caseworkerId: userId.caseworker }, 'admin');
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body.caseworkerId).toBe(userId.caseworker);
      expect(pointersOf(expectProblem(await create(caseId, { caseworkerId: userId.providerStaff }), 422))).toEqual(['/caseworkerId']);
      expect(pointersOf(expectProblem(await create(caseId, { caseworkerId: '00000000-0000-4000-8000-000000000000' }), 422))).toEqual(['/caseworkerId']);
      expectProblem(await create(caseId, { caseworkerId: 'me' }), 400);
    });

    it('creates once per Idempotency-Key', async () => {
      const { caseId } = await newCase();
      const key = `assessment-${caseId}`;
      const first = await create(caseId, { background: 'Første udkast' }, 'caseworker', { 'idempotency-key': key });
      const retry = await create(caseId, { background: 'Første udkast' }, 'caseworker', { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(first.body.id);
      expectProblem(await create(caseId, { background: 'Et andet udkast' }, 'caseworker', { 'idempotency-key': key }), 409);
      expect((await db.query('SELECT count(*)::int AS n FROM assessment WHERE case_id = $1', [caseId])).rows[0].n).toBe(1);
    });

    it('is not started on a closed case (422) nor on a case that does not exist (404)', async () => {
      const { caseId } = await newCase();
      const kase = await request(app, 'GET', `/api/v1/cases/${caseId}`, as('caseworker'));
      const closed = await request(app, 'PATCH', `/api/v1/cases/${caseId}`, { ...as('caseworker'), body: { status: 'closed' }, headers: ifMatch(kase.body.version) });
      expect(closed.status).toBe(200);
      expectProblem(await create(caseId), 422, 'ruleViolated');
      expectProblem(await create('00000000-0000-4000-8000-000000000000'), 404);
      expectProblem(await request(app, 'GET', '/api/v1/assessments/00000000-0000-4000-8000-000000000000', as('caseworker')), 404);
      expectProblem(await request(app, 'GET', '/api/v1/assessments/not-a-uuid', as('caseworker')), 400);
    });
  });

  describe('completing', () => {
    it('lists every missing item in one 422 and changes nothing', async () => {
      const { caseId } = await newCase('SEL-85', 'SEL-104');
      const a = (await create(caseId, { sections: [{ section: 'selfCare', level: 1 }, { section: 'mobility', level: null }] })).body;
      const res = await complete(a.id, 1);
      const problem = expectProblem(res, 422, 'ruleViolated');
      expect(pointersOf(problem)).toEqual(
        [
          '/assessedOn',
          '/citizenWishes',
          '/sections/practicalTasks',
          '/sections/communication',
          '/sections/relations',
          '/sections/communityLife',
          '/supportNeeds/SEL-104',
          '/supportNeeds/SEL-85',
        ].sort(),
      );
      expect(await stored(a.id)).toMatchObject({ status: 'draft', version: 1 });
      expect(await logOf(res)).toEqual([]);

      // Only what is still missing is named; a blank text is no text; a future date is refused.
      const v2 = await patch(a.id, 1, {
        ...fullContent({ assessedOn: addDays(today, 1), citizenWishes: '   ' }),
        sections: fullContent().sections.filter((s) => s.section !== 'relations'),
      });
      expect(v2.status).toBe(200);
      expect(pointersOf(expectProblem(await complete(a.id, 2), 422))).toEqual(['/assessedOn', '/citizenWishes', '/sections/relations', '/supportNeeds/SEL-104']);

      const v3 = await patch(a.id, 2, {
        ...fullContent({ citizenWishes: 'Borgeren ønsker ikke at udtale sig' }),
        supportNeeds: [{ standardCode: 'SEL-104', level: 'notAssessed' }],
      });
      const done = await complete(a.id, v3.body.version);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'completed', citizenWishes: 'Borgeren ønsker ikke at udtale sig' });
    });

    it('keeps a completed assessment as it is: PATCH and complete are 409, and the database refuses the app role', async () => {
      const { caseId } = await newCase();
      const a = (await create(caseId, fullContent())).body;
      const done = await complete(a.id, 1);
      expect(done.status).toBe(200);

      expectProblem(await patch(a.id, done.body.version, { background: 'Ændret bagefter' }), 409, 'conflict');
      expectProblem(await patch(a.id, done.body.version, { sections: [{ section: 'selfCare', level: 4 }] }), 409, 'conflict');
      expectProblem(await complete(a.id, done.body.version), 409, 'conflict');
      expectProblem(await complete(a.id, 1), 409, 'conflict');

      const appRole = await ownerClient();
      try {
        await appRole.query('SET ROLE bum_app');
        await expect(appRole.query(`UPDATE assessment SET background = 'ændret' WHERE id = $1`, [a.id])).rejects.toMatchObject({ constraint: 'ck_assessment_immutable' });
        await expect(appRole.query(`UPDATE assessment SET status = 'draft', completed_at = NULL, completed_by = NULL WHERE id = $1`, [a.id])).rejects.toMatchObject({
          constraint: 'ck_assessment_immutable',
        });
        await expect(appRole.query(`UPDATE assessment_section SET level = 4 WHERE assessment_id = $1`, [a.id])).rejects.toMatchObject({ constraint: 'ck_assessment_immutable' });
        await expect(appRole.query(`DELETE FROM assessment_section WHERE assessment_id = $1`, [a.id])).rejects.toMatchObject({ constraint: 'ck_assessment_immutable' });
        await expect(
          appRole.query(`INSERT INTO assessment_section (assessment_id, section, description) VALUES ($1, 'housingArea', 'x')`, [a.id]),
        ).rejects.toMatchObject({ constraint: 'ck_assessment_immutable' });
        await expect(appRole.query(`UPDATE assessment_support_need SET level = 'total' WHERE assessment_id = $1`, [a.id])).rejects.toMatchObject({
          constraint: 'ck_assessment_immutable',
        });
      } finally {
        await appRole.end();
      }
      const after = await request(app, 'GET', `/api/v1/assessments/${a.id}`, as('caseworker'));
      expect(after.body).toEqual(done.body);
    });

    it('is refused by the database without all six activity themes, even past the service', async () => {
      const { caseId } = await newCase();
      const a = (await create(caseId, { ...fullContent(), sections: [{ section: 'selfCare', level: 1 }] })).body;
      const appRole = await ownerClient();
      try {
        await appRole.query('SET ROLE bum_app');
        await expect(
          appRole.query(`UPDATE assessment SET status = 'completed', completed_at = now(), completed_by = $2 WHERE id = $1`, [a.id, userId.caseworker]),
        ).rejects.toMatchObject({ constraint: 'ck_assessment_themes_complete' });
        await expect(appRole.query(`INSERT INTO assessment_section (assessment_id, section, level, description) VALUES ($1, 'network', 2, 'x')`, [a.id])).rejects.toMatchObject({
          constraint: 'ck_assessment_section_level',
        });
      } finally {
        await appRole.end();
      }
      expect(await stored(a.id)).toMatchObject({ status: 'draft', version: 1 });
    });
  });

  describe('content rules', () => {
    let id: string;
    let version: number;
    beforeAll(async () => {
      const { caseId } = await newCase();
      const a = (await create(caseId, { background: 'Udgangspunkt' })).body;
      id = a.id;
      version = a.version;
    });
    afterEach(async () => {
      // Nothing refused ever changes the draft.
      expect(await stored(id)).toMatchObject({ version, background: 'Udgangspunkt' });
    });

    it('refuses a level on a function or environment section, naming the field (422)', async () => {
      const res = await patch(id, version, {
        background: 'Ændret',
        sections: [
          { section: 'selfCare', level: 2 },
          { section: 'mentalFunctions', level: 2, description: 'Angst' },
          { section: 'housingArea', level: 0, description: 'Roligt kvarter' },
        ],
      });
      expect(pointersOf(expectProblem(res, 422, 'ruleViolated'))).toEqual(['/sections/1/level', '/sections/2/level']);
    });

    it('needs a level (0–4 or null) on an activity theme and a description on the other sections; each section once; known standards (422)', async () => {
      const res = await patch(id, version, {
        background: 'Ændret',
        sections: [
          { section: 'selfCare', description: 'Beskrevet, men ikke scoret' },
          { section: 'physicalFunctions', sources: ['citizen'] },
          { section: 'attitudes', description: '   ' },
          { section: 'mobility', level: 1 },
          { section: 'mobility', level: 2 },
        ],
        supportNeeds: [
          { standardCode: 'SEL-999', level: 'light' },
          { standardCode: 'SEL-85', level: 'light' },
          { standardCode: 'SEL-85', level: 'high' },
        ],
      });
      expect(pointersOf(expectProblem(res, 422, 'ruleViolated'))).toEqual([
        '/sections/0/level',
        '/sections/1/description',
        '/sections/2/description',
        '/sections/4/section',
        '/supportNeeds/0/standardCode',
        '/supportNeeds/2/standardCode',
      ]);
    });

    it.each([
      ['an unknown section', { sections: [{ section: 'happiness', level: 1 }] }, '/sections/0/section'],
      ['an unknown source', { sections: [{ section: 'selfCare', level: 1, sources: ['neighbour'] }] }, '/sections/0/sources'],
      ['level 5', { sections: [{ section: 'selfCare', level: 5 }] }, '/sections/0/level'],
      ['level -1', { sections: [{ section: 'selfCare', level: -1 }] }, '/sections/0/level'],
      ['level 1.5', { sections: [{ section: 'selfCare', level: 1.5 }] }, '/sections/0/level'],
      ['level "2"', { sections: [{ section: 'selfCare', level: '2' }] }, '/sections/0/level'],
      ['an unknown support-need level', { supportNeeds: [{ standardCode: 'SEL-85', level: 'extreme' }] }, '/supportNeeds/0/level'],
      ['a malformed standard code', { supportNeeds: [{ standardCode: 'bostøtte', level: 'light' }] }, '/supportNeeds/0/standardCode'],
      ['an impossible date', { assessedOn: '2026-02-30' }, '/assessedOn'],
      ['a date-time', { assessedOn: '2026-02-03T10:00:00Z' }, '/assessedOn'],
      ['an unknown field', { score: 3 }, '/score'],
      ['a status', { status: 'completed' }, '/status'],
    ])('refuses %s (400)', async (_, body, pointer) => {
      const res = await patch(id, version, { background: 'Ændret', ...body });
      expect(pointersOf(expectProblem(res, 400, 'validationFailed'))).toContain(pointer);
    });

    it('refuses the same on create (400/422) and creates nothing', async () => {
      const { caseId } = await newCase();
      expectProblem(await create(caseId, { sections: [{ section: 'selfCare', level: 5 }] }), 400);
      expect(pointersOf(expectProblem(await create(caseId, { sections: [{ section: 'network', level: 1, description: 'x' }] }), 422))).toEqual(['/sections/0/level']);
      expect(pointersOf(expectProblem(await create(caseId, { supportNeeds: [{ standardCode: 'SEL-999', level: 'light' }] }), 422))).toEqual(['/supportNeeds/0/standardCode']);
      expect((await db.query('SELECT count(*)::int AS n FROM assessment WHERE case_id = $1', [caseId])).rows[0].n).toBe(0);
    });
  });

  describe('concurrency', () => {
    it('refuses a stale If-Match with 409 and keeps the first writer’s change', async () => {
      const { caseId } = await newCase();
      const a = (await create(caseId)).body;
      const first = await patch(a.id, 1, { background: 'Første skriver', sections: [{ section: 'selfCare', level: 2, description: 'Første' }] });
      expect(first.status).toBe(200);
      const second = await patch(a.id, 1, { background: 'Anden skriver', sections: [{ section: 'selfCare', level: 4, description: 'Anden' }] });
      expect(pointersOf(expectProblem(second, 409, 'versionMismatch'))).toEqual(['#header/If-Match']);
      expectProblem(await complete(a.id, 1), 409, 'versionMismatch');
      const now = await request(app, 'GET', `/api/v1/assessments/${a.id}`, as('caseworker'));
      expect(now.body).toMatchObject({ version: 2, background: 'Første skriver' });
      expect(now.body.sections.activityThemes[0]).toMatchObject({ level: 2, description: 'Første' });
      expect(await logOf(second)).toEqual([]);

      expectProblem(await request(app, 'PATCH', `/api/v1/assessments/${a.id}`, { ...as('caseworker'), body: { background: 'x' } }), 428);
      expectProblem(await request(app, 'POST', `/api/v1/assessments/${a.id}/complete`, as('caseworker')), 428);
      expect(await stored(a.id)).toMatchObject({ version: 2, background: 'Første skriver' });
    });

    it('lets one of two simultaneous writers with the same version win', async () => {
      const { caseId } = await newCase();
      const a = (await create(caseId)).body;
      const results = await Promise.all([patch(a.id, 1, { background: 'A' }), patch(a.id, 1, { background: 'B' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      expect(await stored(a.id)).toMatchObject({ version: 2, background: winner.body.background });
    });
  });

  describe('who may', () => {
    it('refuses institution staff, finance and auditors on every route, and nothing changes or is logged for them', async () => {
      const { citizenId, caseId } = await newCase();
      const a = (await create(caseId, { background: 'Fortroligt' })).body;
      for (const role of ['providerStaff', 'institutionManager', 'finance', 'auditor'] as const) {
        const responses = [
          await create(caseId, {}, role),
          await request(app, 'GET', `/api/v1/cases/${caseId}/assessments`, as(role)),
          await request(app, 'GET', `/api/v1/assessments/${a.id}`, as(role)),
          await patch(a.id, 1, { background: 'Ændret' }, role),
          await complete(a.id, 1, role),
        ];
        for (const res of responses) {
          expect([403, 404]).toContain(res.status);
          const problem = expectProblem(res, res.status);
          expect(res.text).not.toContain('Fortroligt');
          expect(problem.code).toMatch(/forbidden|notFound/);
          expect(await logOf(res)).toEqual([]);
        }
      }
      expect(await stored(a.id)).toMatchObject({ version: 1, background: 'Fortroligt', status: 'draft' });
      expect((await db.query('SELECT count(*)::int AS n FROM assessment WHERE case_id = $1', [caseId])).rows[0].n).toBe(1);
      const actors = await db.query(`SELECT DISTINCT actor_role FROM access_log WHERE object_type = 'assessment' AND citizen_id = $1`, [citizenId]);
      expect(actors.rows).toEqual([{ actor_role: 'caseworker' }]);
    });
  });

  describe('requireCompleted (for decisions)', () => {
    const principalOf = async (role: Role) => (await app.get<IdentityStore>(IDENTITY_STORE).principalForUser(userId[role])) as Principal;
    const requireCompleted = async (role: Role, assessmentId: string, caseId: string) =>
      app.get(ClsService).run(async () => app.get(AssessmentService).requireCompleted(await principalOf(role), assessmentId, caseId));

    it('returns a completed assessment of the case, and refuses anything else with 422 on /assessmentId', async () => {
      const { caseId } = await newCase();
      const other = await newCase();
      const done = (await create(caseId, fullContent())).body;
      expect((await complete(done.id, 1)).status).toBe(200);
      const draft = (await create(caseId, fullContent())).body;

      await expect(requireCompleted('caseworker', done.id, caseId)).resolves.toMatchObject({ id: done.id, status: 'completed', caseId });
      for (const [assessmentId, kase, role] of [
        [draft.id, caseId, 'caseworker'],
        [done.id, other.caseId, 'caseworker'],
        ['00000000-0000-4000-8000-000000000000', caseId, 'caseworker'],
        [done.id, caseId, 'providerStaff'],
      ] as const) {
        const err = await requireCompleted(role, assessmentId, kase).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toMatchObject({ code: 'ruleViolated', errors: [{ pointer: '/assessmentId', reason: 'the assessment is not a completed assessment of this case' }] });
      }
    });
  });
});
