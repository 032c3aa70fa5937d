import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { resetDatabase } from 'test/support/db';
import { countRows, dbFingerprint } from 'test/support/db-fingerprint';
import { login, request } from 'test/support/http';
import { expectProblem, pointersOf } from 'test/support/problem';

interface Unit {
  id: string;
  kind: string;
  name: string;
  parentId: string | null;
  municipalityId: string;
  institutionType: string | null;
  capacity: number | null;
  external: boolean;
  version: number;
}

/** Admin CRUD of the organisation with the rules users expect, and the directory's filters and pages. */
describe('organisation', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let areas: Record<string, Unit>;
  let authorityId: string;

  beforeAll(async () => {
    app = await createTestApp();
  });
  /** A fresh demo organisation: before each test that changes it, once for a group that only reads. */
  async function freshDemo(): Promise<void> {
    await resetDatabase();
    await seedDemo(app);
    admin = await login(app, 'admin', DEMO_PASSWORD);
    const list = (await request(app, 'GET', '/api/v1/operating-areas', { token: admin })).body as Unit[];
    areas = Object.fromEntries(list.map((a) => [a.name, a]));
    authorityId = (await request(app, 'GET', '/api/v1/authority', { token: admin })).body.id;
  }
  afterAll(() => app.close());

  async function allInstitutions(): Promise<Unit[]> {
    const res = await request(app, 'GET', '/api/v1/institutions?limit=200', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.items;
  }
  const institutionNamed = async (name: string) => (await allInstitutions()).find((i) => i.name === name)!;
  const createInstitution = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    request(app, 'POST', '/api/v1/institutions', { token: admin, body, headers });

  describe('the demo organisation', () => {
    beforeAll(freshDemo);

    it('is Viborg with its operating areas and the institutions and sizes of DOMAIN.md §5', async () => {
      expect(Object.keys(areas).sort()).toEqual(['Handicap', 'Psykiatri', 'Udsatte']);
      const all = await allInstitutions();
      expect((await institutionNamed('Forsorgscenter Viborg')).capacity).toBe(52);
      expect((await institutionNamed('Krisecenter Viborg')).capacity).toBe(8);
      expect(all.filter((i) => i.external).length).toBeGreaterThan(0);
      for (const i of all.filter((u) => !u.external))
        expect(Object.values(areas).map((a) => a.id)).toContain(i.parentId);
    });
  });

  describe('validation rules', () => {
    beforeEach(freshDemo);

    it('names are unique per parent, ignoring case and surrounding spaces: 409 naming /name, nothing created', async () => {
      const before = await countRows('org_unit');
      const res = await createInstitution({
        name: '  bostøtten HANDICAP ',
        institutionType: 'housingSupport',
        operatingAreaId: areas.Handicap.id,
      });
      const problem = expectProblem(res, 409, 'conflict');
      expect(pointersOf(problem)).toEqual(['/name']);
      expect(problem.detail).toMatch(/name/);
      expect(await countRows('org_unit')).toBe(before);
    });

    it('the same name under another parent is fine', async () => {
      const res = await createInstitution({
        name: 'Bostøtten Handicap',
        institutionType: 'housingSupport',
        operatingAreaId: areas.Psykiatri.id,
      });
      expect(res.status).toBe(201);
      expect(res.body.parentId).toBe(areas.Psykiatri.id);
    });

    it('operating areas are unique by name too', async () => {
      const res = await request(app, 'POST', '/api/v1/operating-areas', {
        token: admin,
        body: { name: 'handicap', areaType: 'disability' },
      });
      expect(pointersOf(expectProblem(res, 409, 'conflict'))).toEqual(['/name']);
    });

    it('renaming onto a sibling name is 409 too, and changes nothing', async () => {
      const target = await institutionNamed('Botilbuddet Søndersø');
      const res = await request(app, 'PATCH', `/api/v1/institutions/${target.id}`, {
        token: admin,
        body: { name: 'Bofællesskabet Egeskoven' },
        headers: { 'if-match': `"${target.version}"` },
      });
      expect(pointersOf(expectProblem(res, 409, 'conflict'))).toEqual(['/name']);
      expect(await institutionNamed('Botilbuddet Søndersø')).toEqual(target);
    });

    it('capacity below 0 is 400 naming /capacity', async () => {
      const res = await createInstitution({
        name: 'Negativ',
        institutionType: 'longTermHousing',
        operatingAreaId: areas.Handicap.id,
        capacity: -1,
      });
      expect(pointersOf(expectProblem(res, 400, 'validationFailed'))).toEqual(['/capacity']);
      const zero = await createInstitution({
        name: 'Nul Pladser',
        institutionType: 'longTermHousing',
        operatingAreaId: areas.Handicap.id,
        capacity: 0,
      });
      expect(zero.status).toBe(201);
      expect(zero.body.capacity).toBe(0);
    });

    it('a place-based institution (homelessShelter) without capacity is 422 naming /capacity', async () => {
      const before = await dbFingerprint();
      const res = await createInstitution({
        name: 'Herberg uden pladser',
        institutionType: 'homelessShelter',
        operatingAreaId: areas.Udsatte.id,
      });
      const problem = expectProblem(res, 422, 'ruleViolated');
      expect(pointersOf(problem)).toEqual(['/capacity']);
      expect(problem.detail).toMatch(/capacity/);
      expect(await dbFingerprint()).toEqual(before);
    });

    it('a service without places (housingSupport) needs no capacity', async () => {
      const res = await createInstitution({
        name: 'Ny Bostøtte',
        institutionType: 'housingSupport',
        operatingAreaId: areas.Udsatte.id,
      });
      expect(res.status).toBe(201);
      expect(res.body.capacity).toBeNull();
    });

    it('an own institution without operatingAreaId is 422 naming /operatingAreaId', async () => {
      const res = await createInstitution({ name: 'Hjemløs', institutionType: 'activityCentre' });
      expect(pointersOf(expectProblem(res, 422, 'ruleViolated'))).toEqual(['/operatingAreaId']);
    });

    it('operatingAreaId must be an operating area: an institution id or an unknown id is 422', async () => {
      const institution = await institutionNamed('Bostøtten Psykiatri');
      for (const id of [institution.id, authorityId, '00000000-0000-4000-8000-000000000000']) {
        const res = await createInstitution({
          name: `Forkert forælder ${id.slice(0, 4)}`,
          institutionType: 'activityCentre',
          operatingAreaId: id,
        });
        expect(pointersOf(expectProblem(res, 422, 'ruleViolated'))).toEqual(['/operatingAreaId']);
      }
    });

    it("another municipality's institution is external and has no operating area", async () => {
      const skive = (
        (await request(app, 'GET', '/api/v1/municipalities', { token: admin })).body as {
          id: string;
          name: string;
        }[]
      ).find((m) => m.name === 'Skive Kommune')!;
      const external = await createInstitution({
        name: 'Skive Aktivitet',
        institutionType: 'activityCentre',
        municipalityId: skive.id,
      });
      expect(external.status).toBe(201);
      expect(external.body).toMatchObject({ external: true, parentId: null, municipalityId: skive.id });
      const withArea = await createInstitution({
        name: 'Skive Aktivitet 2',
        institutionType: 'activityCentre',
        municipalityId: skive.id,
        operatingAreaId: areas.Handicap.id,
      });
      expect(pointersOf(expectProblem(withArea, 422, 'ruleViolated'))).toEqual(['/operatingAreaId']);
    });
  });

  describe('deleting', () => {
    beforeEach(freshDemo);

    it('an institution that has users is 409, and nothing is deleted', async () => {
      const bostotten = await institutionNamed('Bostøtten Handicap');
      const before = await dbFingerprint();
      const res = await request(app, 'DELETE', `/api/v1/institutions/${bostotten.id}`, { token: admin });
      expect(expectProblem(res, 409, 'conflict').detail).toMatch(/user/);
      expect(await dbFingerprint()).toEqual(before);
    });

    it('an operating area that has users is 409, and nothing is deleted', async () => {
      const area = await request(app, 'POST', '/api/v1/operating-areas', {
        token: admin,
        body: { name: 'Ældre', areaType: 'disability' },
      });
      expect(area.status).toBe(201);
      // Authority staff other than caseworkers (e.g. the area's finance officer) may work in an operating area.
      const user = await request(app, 'POST', '/api/v1/users', {
        token: admin,
        body: {
          username: 'omraadeoekonom',
          displayName: 'Områdeøkonom',
          role: 'finance',
          orgUnitId: area.body.id,
          password: 'long-enough-password',
        },
      });
      expect(user.status).toBe(201);
      const before = await dbFingerprint();
      const res = await request(app, 'DELETE', `/api/v1/operating-areas/${area.body.id}`, { token: admin });
      expect(expectProblem(res, 409, 'conflict').detail).toMatch(/user/);
      expect(await dbFingerprint()).toEqual(before);
    });

    it('an operating area with institutions under it is 409, and nothing is deleted', async () => {
      const before = await dbFingerprint();
      const res = await request(app, 'DELETE', `/api/v1/operating-areas/${areas.Udsatte.id}`, {
        token: admin,
      });
      expect(expectProblem(res, 409, 'conflict').detail).toMatch(/unit/);
      expect(await dbFingerprint()).toEqual(before);
    });

    it('an institution with an API key is 409', async () => {
      const unit = await createInstitution({
        name: 'Med Nøgle',
        institutionType: 'activityCentre',
        operatingAreaId: areas.Handicap.id,
      });
      const key = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: {
          name: 'Fagsystem',
          role: 'providerStaff',
          scopes: ['organisation:read'],
          orgUnitId: unit.body.id,
        },
      });
      expect(key.status).toBe(201);
      expectProblem(
        await request(app, 'DELETE', `/api/v1/institutions/${unit.body.id}`, { token: admin }),
        409,
        'conflict',
      );
    });

    it('an unused institution and operating area can be deleted (the 409s above are about their use)', async () => {
      const area = await request(app, 'POST', '/api/v1/operating-areas', {
        token: admin,
        body: { name: 'Midlertidigt', areaType: 'psychiatry' },
      });
      const unit = await createInstitution({
        name: 'Kortvarig',
        institutionType: 'activityCentre',
        operatingAreaId: area.body.id,
      });
      expect(unit.status).toBe(201);
      expectProblem(
        await request(app, 'DELETE', `/api/v1/operating-areas/${area.body.id}`, { token: admin }),
        409,
        'conflict',
      );
      expect(
        (await request(app, 'DELETE', `/api/v1/institutions/${unit.body.id}`, { token: admin })).status,
      ).toBe(204);
      expectProblem(
        await request(app, 'GET', `/api/v1/institutions/${unit.body.id}`, { token: admin }),
        404,
        'notFound',
      );
      expect(
        (await request(app, 'DELETE', `/api/v1/operating-areas/${area.body.id}`, { token: admin })).status,
      ).toBe(204);
      expectProblem(
        await request(app, 'GET', `/api/v1/operating-areas/${area.body.id}`, { token: admin }),
        404,
        'notFound',
      );
    });

    it('deleting through the wrong collection is 404 (an operating area is not an institution)', async () => {
      expectProblem(
        await request(app, 'DELETE', `/api/v1/institutions/${areas.Handicap.id}`, { token: admin }),
        404,
        'notFound',
      );
      expect(
        (await request(app, 'GET', `/api/v1/operating-areas/${areas.Handicap.id}`, { token: admin })).status,
      ).toBe(200);
    });
  });

  describe('optimistic concurrency (ETag / If-Match)', () => {
    beforeEach(freshDemo);

    it('PATCH without If-Match is 428 and changes nothing', async () => {
      const unit = await institutionNamed('Krisecenter Viborg');
      const before = await dbFingerprint();
      const res = await request(app, 'PATCH', `/api/v1/institutions/${unit.id}`, {
        token: admin,
        body: { capacity: 9 },
      });
      expect(pointersOf(expectProblem(res, 428, 'preconditionRequired'))).toEqual(['#header/If-Match']);
      expect(await dbFingerprint()).toEqual(before);
    });

    it('a correct If-Match is 200 with the new ETag; the old one is then stale (409 versionMismatch) and changes nothing', async () => {
      const unit = await institutionNamed('Krisecenter Viborg');
      const read = await request(app, 'GET', `/api/v1/institutions/${unit.id}`, { token: admin });
      const etag = String(read.headers.etag);
      expect(etag).toBe(`"${unit.version}"`);

      const ok = await request(app, 'PATCH', `/api/v1/institutions/${unit.id}`, {
        token: admin,
        body: { capacity: 10 },
        headers: { 'if-match': etag },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.capacity).toBe(10);
      expect(ok.body.version).toBe(unit.version + 1);
      expect(ok.headers.etag).toBe(`"${ok.body.version}"`);
      expect(ok.headers.etag).not.toBe(etag);
      expect(
        (await request(app, 'GET', `/api/v1/institutions/${unit.id}`, { token: admin })).headers.etag,
      ).toBe(ok.headers.etag);

      const before = await dbFingerprint();
      const stale = await request(app, 'PATCH', `/api/v1/institutions/${unit.id}`, {
        token: admin,
        body: { capacity: 11 },
        headers: { 'if-match': etag },
      });
      const problem = expectProblem(stale, 409, 'versionMismatch');
      expect(pointersOf(problem)).toEqual(['#header/If-Match']);
      expect(await dbFingerprint()).toEqual(before);
      expect((await institutionNamed('Krisecenter Viborg')).capacity).toBe(10);
    });

    it('two writers with the same ETag: exactly one wins', async () => {
      const unit = await institutionNamed('Botilbuddet Hald Ege');
      const etag = `"${unit.version}"`;
      const results = await Promise.all(
        [17, 18].map((capacity) =>
          request(app, 'PATCH', `/api/v1/institutions/${unit.id}`, {
            token: admin,
            body: { capacity },
            headers: { 'if-match': etag },
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      expect((await institutionNamed('Botilbuddet Hald Ege')).capacity).toBe(winner.body.capacity);
    });

    it('a malformed If-Match is 400; one for a missing institution is 404', async () => {
      const unit = await institutionNamed('Krisecenter Viborg');
      expectProblem(
        await request(app, 'PATCH', `/api/v1/institutions/${unit.id}`, {
          token: admin,
          body: { capacity: 9 },
          headers: { 'if-match': 'yesterday' },
        }),
        400,
      );
      expectProblem(
        await request(app, 'PATCH', '/api/v1/institutions/00000000-0000-4000-8000-000000000000', {
          token: admin,
          body: { capacity: 9 },
          headers: { 'if-match': '"1"' },
        }),
        404,
        'notFound',
      );
    });

    it('operating areas, municipalities and users follow the same rules', async () => {
      const area = areas.Psykiatri;
      expectProblem(
        await request(app, 'PATCH', `/api/v1/operating-areas/${area.id}`, {
          token: admin,
          body: { name: 'Psykiatri og misbrug' },
        }),
        428,
      );
      const renamed = await request(app, 'PATCH', `/api/v1/operating-areas/${area.id}`, {
        token: admin,
        body: { name: 'Psykiatri og misbrug' },
        headers: { 'if-match': `"${area.version}"` },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Psykiatri og misbrug');
      expectProblem(
        await request(app, 'PATCH', `/api/v1/operating-areas/${area.id}`, {
          token: admin,
          body: { name: 'Igen' },
          headers: { 'if-match': `"${area.version}"` },
        }),
        409,
        'versionMismatch',
      );

      const municipality = (await request(app, 'GET', '/api/v1/municipalities', { token: admin })).body.find(
        (m: { name: string }) => m.name === 'Skive Kommune',
      );
      const m1 = await request(app, 'PATCH', `/api/v1/municipalities/${municipality.id}`, {
        token: admin,
        body: { name: 'Skive' },
        headers: { 'if-match': `"${municipality.version}"` },
      });
      expect(m1.status).toBe(200);
      expect(m1.body).toMatchObject({
        id: municipality.id,
        name: 'Skive',
        version: municipality.version + 1,
      });
      expect(m1.headers.etag).toBe(`"${municipality.version + 1}"`);
      expectProblem(
        await request(app, 'PATCH', `/api/v1/municipalities/${municipality.id}`, {
          token: admin,
          body: { name: 'Skive igen' },
          headers: { 'if-match': `"${municipality.version}"` },
        }),
        409,
        'versionMismatch',
      );

      const users = (await request(app, 'GET', '/api/v1/users?q=auditor', { token: admin })).body.items;
      const auditor = users[0];
      const u1 = await request(app, 'PATCH', `/api/v1/users/${auditor.id}`, {
        token: admin,
        body: { displayName: 'Ny DPO' },
        headers: { 'if-match': `"${auditor.version}"` },
      });
      expect(u1.status).toBe(200);
      expect(u1.body.displayName).toBe('Ny DPO');
      const before = await dbFingerprint();
      const u2 = await request(app, 'PATCH', `/api/v1/users/${auditor.id}`, {
        token: admin,
        body: { displayName: 'Forsinket' },
        headers: { 'if-match': `"${auditor.version}"` },
      });
      expectProblem(u2, 409, 'versionMismatch');
      expect(await dbFingerprint()).toEqual(before);
    });
  });

  describe('the institution directory', () => {
    beforeAll(freshDemo);

    it('filters by operating area', async () => {
      const all = await allInstitutions();
      for (const area of Object.values(areas)) {
        const res = await request(app, 'GET', `/api/v1/institutions?limit=200&operatingAreaId=${area.id}`, {
          token: admin,
        });
        const expected = all.filter((i) => i.parentId === area.id).map((i) => i.id);
        expect(expected.length).toBeGreaterThan(0);
        expect(res.body.items.map((i: Unit) => i.id)).toEqual(expected);
      }
    });

    it('filters by type', async () => {
      const all = await allInstitutions();
      const res = await request(
        app,
        'GET',
        '/api/v1/institutions?limit=200&institutionType=homelessShelter',
        { token: admin },
      );
      const expected = all.filter((i) => i.institutionType === 'homelessShelter').map((i) => i.id);
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect(res.body.items.map((i: Unit) => i.id)).toEqual(expected);
    });

    it('filters own and external', async () => {
      const all = await allInstitutions();
      const external = await request(app, 'GET', '/api/v1/institutions?limit=200&external=true', {
        token: admin,
      });
      const own = await request(app, 'GET', '/api/v1/institutions?limit=200&external=false', {
        token: admin,
      });
      expect(external.body.items.map((i: Unit) => i.id)).toEqual(
        all.filter((i) => i.external).map((i) => i.id),
      );
      expect(own.body.items.map((i: Unit) => i.id)).toEqual(all.filter((i) => !i.external).map((i) => i.id));
      expect(external.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.length).toBeGreaterThan(0);
      expectProblem(
        await request(app, 'GET', '/api/v1/institutions?external=maybe', { token: admin }),
        400,
        'validationFailed',
      );
    });

    it('searches names (case-insensitive, wildcards taken literally)', async () => {
      const all = await allInstitutions();
      const res = await request(
        app,
        'GET',
        `/api/v1/institutions?limit=200&q=${encodeURIComponent('BOSTØTTEN')}`,
        { token: admin },
      );
      const expected = all.filter((i) => i.name.toLowerCase().includes('bostøtten')).map((i) => i.id);
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect(res.body.items.map((i: Unit) => i.id)).toEqual(expected);
      for (const wildcard of ['%', '_', '\\']) {
        const w = await request(app, 'GET', `/api/v1/institutions?q=${encodeURIComponent(wildcard)}`, {
          token: admin,
        });
        expect(w.status).toBe(200);
        expect(w.body.items).toEqual([]);
      }
    });

    it('combines filters', async () => {
      const all = await allInstitutions();
      const res = await request(
        app,
        'GET',
        `/api/v1/institutions?limit=200&operatingAreaId=${areas.Udsatte.id}&q=viborg&external=false`,
        { token: admin },
      );
      const expected = all
        .filter(
          (i) => i.parentId === areas.Udsatte.id && i.name.toLowerCase().includes('viborg') && !i.external,
        )
        .map((i) => i.id);
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect(res.body.items.map((i: Unit) => i.id)).toEqual(expected);
    });

    it('pages with a cursor: limit=2 walks every institution once, in name order', async () => {
      const all = await allInstitutions();
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/v1/institutions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await request(app, 'GET', url, { token: admin });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((i: Unit) => i.id));
        cursor = page.body.nextCursor;
        pages++;
        expect(pages).toBeLessThanOrEqual(all.length);
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(all.map((i) => i.id));
      expect(pages).toBe(Math.ceil(all.length / 2));
      const names = all.map((i) => i.name.toLowerCase());
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('pages with a filter too, and a new row does not disturb a walk in progress', async () => {
      const first = await request(app, 'GET', '/api/v1/institutions?limit=2&external=false', {
        token: admin,
      });
      // A name that sorts first: it falls before the cursor and must not appear in later pages.
      const early = await createInstitution({
        name: 'Aaa Første',
        institutionType: 'activityCentre',
        operatingAreaId: areas.Handicap.id,
      });
      expect(early.status).toBe(201);
      const seen: string[] = first.body.items.map((i: Unit) => i.id);
      let cursor: string | null = first.body.nextCursor;
      while (cursor) {
        const page = await request(
          app,
          'GET',
          `/api/v1/institutions?limit=2&external=false&cursor=${encodeURIComponent(cursor)}`,
          { token: admin },
        );
        for (const i of page.body.items as Unit[]) expect(i.external).toBe(false);
        seen.push(...page.body.items.map((i: Unit) => i.id));
        cursor = page.body.nextCursor;
      }
      const own = (await allInstitutions())
        .filter((i) => !i.external && i.id !== early.body.id)
        .map((i) => i.id);
      expect(seen).toEqual(own);
    });

    it('every role reads the directory; only admin writes it', async () => {
      for (const role of ['caseworker', 'providerStaff', 'finance', 'auditor'] as const) {
        const token = await login(app, role, DEMO_PASSWORD);
        expect((await request(app, 'GET', '/api/v1/institutions', { token })).status).toBe(200);
        expectProblem(
          await request(app, 'POST', '/api/v1/institutions', { token, body: {} }),
          403,
          'forbidden',
        );
      }
    });
  });

  describe('who may create users', () => {
    beforeEach(freshDemo);

    let manager: string;
    let managerInstitutionId: string;

    beforeEach(async () => {
      manager = await login(app, 'institutionManager', DEMO_PASSWORD);
      managerInstitutionId = (await request(app, 'GET', '/api/v1/me', { token: manager })).body.institutionId;
    });
    const staff = (username: string, orgUnitId: string, role = 'providerStaff') => ({
      username,
      displayName: `Medarbejder ${username}`,
      role,
      orgUnitId,
      password: 'long-enough-password',
    });

    it('an institution manager creates providerStaff in their own institution', async () => {
      const res = await request(app, 'POST', '/api/v1/users', {
        token: manager,
        body: staff('ny.medarbejder', managerInstitutionId),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        username: 'ny.medarbejder',
        role: 'providerStaff',
        orgUnitId: managerInstitutionId,
        active: true,
        locked: false,
      });
      expect(res.body).not.toHaveProperty('passwordHash');
      expect(
        (
          await request(app, 'POST', '/api/v1/auth/token', {
            body: { username: 'ny.medarbejder', password: 'long-enough-password' },
          })
        ).status,
      ).toBe(200);
    });

    it('…but not in another institution (422 naming /orgUnitId)', async () => {
      const other = await institutionNamed('Bostøtten Psykiatri');
      const before = await countRows('app_user');
      const res = await request(app, 'POST', '/api/v1/users', {
        token: manager,
        body: staff('fremmed', other.id),
      });
      expect(pointersOf(expectProblem(res, 422, 'ruleViolated'))).toEqual(['/orgUnitId']);
      expect(await countRows('app_user')).toBe(before);
    });

    it('…and no other role (403), not even in their own institution', async () => {
      const before = await countRows('app_user');
      for (const [role, unit] of [
        ['institutionManager', managerInstitutionId],
        ['admin', authorityId],
        ['caseworker', authorityId],
      ] as const) {
        const res = await request(app, 'POST', '/api/v1/users', {
          token: manager,
          body: staff(`rolle-${role}`, unit, role),
        });
        expectProblem(res, 403, 'forbidden');
      }
      expect(await countRows('app_user')).toBe(before);
    });

    it('…and cannot promote their staff to another role', async () => {
      const staffUser = (await request(app, 'GET', '/api/v1/users?role=providerStaff', { token: manager }))
        .body.items[0];
      const res = await request(app, 'PATCH', `/api/v1/users/${staffUser.id}`, {
        token: manager,
        body: { role: 'institutionManager' },
        headers: { 'if-match': `"${staffUser.version}"` },
      });
      expectProblem(res, 403, 'forbidden');
    });

    it('a caseworker may not create users (403), and nothing is created', async () => {
      const caseworker = await login(app, 'caseworker', DEMO_PASSWORD);
      const before = await countRows('app_user');
      const res = await request(app, 'POST', '/api/v1/users', {
        token: caseworker,
        body: staff('sneaky', authorityId, 'caseworker'),
      });
      expectProblem(res, 403, 'forbidden');
      expect(await countRows('app_user')).toBe(before);
    });

    it('an admin places each role in a fitting unit only (422 naming /orgUnitId)', async () => {
      const institution = await institutionNamed('Rusmiddelcenter Viborg');
      expectProblem(
        await request(app, 'POST', '/api/v1/users', {
          token: admin,
          body: staff('cw-i-tilbud', institution.id, 'caseworker'),
        }),
        422,
        'ruleViolated',
      );
      const wrongStaff = await request(app, 'POST', '/api/v1/users', {
        token: admin,
        body: staff('staff-i-myndighed', authorityId, 'providerStaff'),
      });
      expect(pointersOf(expectProblem(wrongStaff, 422, 'ruleViolated'))).toEqual(['/orgUnitId']);
      const external = await institutionNamed('Botilbuddet Skovbrynet');
      expectProblem(
        await request(app, 'POST', '/api/v1/users', { token: admin, body: staff('i-skive', external.id) }),
        422,
        'ruleViolated',
      );
      const ok = await request(app, 'POST', '/api/v1/users', {
        token: admin,
        body: staff('rus.staff', institution.id),
      });
      expect(ok.status).toBe(201);
    });

    it('a user needs a password or an external subject (422)', async () => {
      const { password: _password, ...body } = staff('uden.login', managerInstitutionId);
      expectProblem(await request(app, 'POST', '/api/v1/users', { token: admin, body }), 422, 'ruleViolated');
    });

    it('creating a user publishes UserCreated in the same transaction', async () => {
      const before = await countRows('outbox', "type = 'UserCreated'");
      const res = await request(app, 'POST', '/api/v1/users', {
        token: admin,
        body: staff('med.haendelse', managerInstitutionId),
      });
      expect(res.status).toBe(201);
      expect(
        await countRows('outbox', "type = 'UserCreated' AND payload->>'userId' = $1", [res.body.id]),
      ).toBe(1);
      // A refused creation publishes nothing.
      await request(app, 'POST', '/api/v1/users', {
        token: admin,
        body: staff('med.haendelse', managerInstitutionId),
      });
      expect(await countRows('outbox', "type = 'UserCreated'")).toBe(before + 1);
    });
  });
});
