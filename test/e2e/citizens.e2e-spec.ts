import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { CprCipher } from 'src/modules/citizens/cpr-cipher';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request, TestResponse } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'providerStaff' | 'institutionManager' | 'finance' | 'auditor';
const ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'providerStaff', 'institutionManager', 'finance', 'auditor'];

describe('citizens, cases and visits', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const userId = {} as Record<Role, string>;
  const today = danishDate(new Date());
  const year = today.slice(0, 4);
  let serial = 1000;
  /** A fresh, valid CPR number (born 1 March 1985, serial 1xxx). */
  const newCpr = () => `010385-${serial++}`;

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
  const createCitizen = async (body: Record<string, unknown> = {}) => {
    const res = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: newCpr(), name: 'Jens Jensen', ...body } });
    expect(res.status).toBe(201);
    return res.body as { id: string; cpr: string; version: number };
  };
  /** The access-log rows written while answering a response (matched by its request id). */
  const logOf = async (res: TestResponse) =>
    (await db.query('SELECT * FROM access_log WHERE request_id = $1 ORDER BY id', [res.headers['x-request-id']])).rows as {
      action: string;
      object_type: string;
      object_id: string | null;
      citizen_id: string | null;
      criteria: Record<string, unknown> | null;
      purpose: string;
      actor_user_id: string;
      actor_role: string;
    }[];

  describe('CPR numbers', () => {
    it.each([
      ['too short', '010190-123'],
      ['too long', '010190-12345'],
      ['letters', '01019O-1234'],
      ['day 32', '320190-1234'],
      ['month 13', '011390-1234'],
      ['29 February 1900 (serial 0-3 means 19xx)', '290200-1234'],
    ])('refuses %s with 400 on /cpr, without repeating the number', async (_, cpr) => {
      const res = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr, name: 'X' } });
      const problem = expectProblem(res, 400, 'validationFailed');
      expect(problem.errors.map((e) => e.pointer)).toEqual(['/cpr']);
      expect(res.text).not.toContain(cpr);
    });

    it('refuses a birth date in the future (400)', async () => {
      // Serial 4, year 36 → 2036.
      const res = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: '010136-4000', name: 'X' } });
      expect(expectProblem(res, 400).errors[0].pointer).toBe('/cpr');
    });

    it('accepts a number that fails modulus 11, with or without the dash, and refuses it twice (409)', async () => {
      const res = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: '0101901235', name: 'Modulus Hansen' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ cpr: '010190-xxxx', cprRevealed: false, anonymous: false, name: 'Modulus Hansen' });
      const again = await request(app, 'POST', '/api/v1/citizens', { ...as('admin'), body: { cpr: '010190-1235', name: 'Someone Else' } });
      expect(expectProblem(again, 409, 'conflict').errors[0].pointer).toBe('/cpr');
    });

    it('stores the number neither in clear in the citizen table nor in the access log', async () => {
      const cpr = '240467-3811';
      const c = await createCitizen({ cpr, name: 'Kirsten Krypt' });
      const reveal = await request(app, 'GET', `/api/v1/citizens/${c.id}?reveal=cpr`, as('caseworker'));
      expect(reveal.body.cpr).toBe(cpr);
      await request(app, 'POST', '/api/v1/citizens/search', { ...as('caseworker'), body: { cpr } });
      const [row] = (await db.query('SELECT c::text AS t, cpr_encrypted, cpr_hash FROM citizen c WHERE id = $1', [c.id])).rows;
      for (const form of ['2404673811', '240467-3811']) {
        expect(row.t).not.toContain(form);
        expect((row.cpr_encrypted as Buffer).toString('latin1')).not.toContain(form);
        const hits = await db.query(`SELECT count(*)::int AS n FROM access_log WHERE access_log::text LIKE '%' || $1 || '%'`, [form]);
        expect(hits.rows[0].n).toBe(0);
        const anywhere = await db.query(`SELECT count(*)::int AS n FROM citizen WHERE citizen::text LIKE '%' || $1 || '%'`, [form]);
        expect(anywhere.rows[0].n).toBe(0);
      }
      expect(row.cpr_hash).toBe(app.get(CprCipher).hash('2404673811'));
      expect(app.get(CprCipher).decrypt(row.cpr_encrypted)).toBe('2404673811');
    });

    it('is never taken in a URL', async () => {
      const res = await request(app, 'GET', '/api/v1/citizens?cpr=010190-1235', as('caseworker'));
      expect(expectProblem(res, 400).errors[0].pointer).toBe('/cpr');
    });
  });

  describe('reading', () => {
    it('masks the CPR number by default and reveals it only on request to allowed roles, logging the reveal', async () => {
      const c = await createCitizen({ cpr: '150872-2345', name: 'Mette Maske' });
      const plain = await request(app, 'GET', `/api/v1/citizens/${c.id}`, as('caseworker'));
      expect(plain.status).toBe(200);
      expect(plain.body).toMatchObject({ cpr: '150872-xxxx', cprRevealed: false });
      expect(plain.headers.etag).toBe(`"${c.version}"`);
      expect((await logOf(plain)).map((r) => r.action)).toEqual(['read']);

      for (const role of ['caseworker', 'panelMember', 'admin'] as const) {
        const res = await request(app, 'GET', `/api/v1/citizens/${c.id}?reveal=cpr`, as(role));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ cpr: '150872-2345', cprRevealed: true });
        expect(res.headers['cache-control']).toBe('no-store');
        const log = await logOf(res);
        expect(log.map((r) => [r.action, r.citizen_id, r.actor_user_id])).toEqual([
          ['read', c.id, userId[role]],
          ['reveal', c.id, userId[role]],
        ]);
      }
      for (const role of ['providerStaff', 'institutionManager'] as const) expectProblem(await request(app, 'GET', `/api/v1/citizens/${c.id}?reveal=cpr`, as(role)), 404);
      for (const role of ['finance', 'auditor'] as const) expectProblem(await request(app, 'GET', `/api/v1/citizens/${c.id}?reveal=cpr`, as(role)), 403);
      const bad = await request(app, 'GET', `/api/v1/citizens/${c.id}?reveal=everything`, as('caseworker'));
      expectProblem(bad, 400);
    });

    it('answers 404 to institution staff (no active order at their institution) and 403 to finance and auditors', async () => {
      const c = await createCitizen();
      for (const role of ['providerStaff', 'institutionManager'] as const) {
        const res = await request(app, 'GET', `/api/v1/citizens/${c.id}`, as(role));
        expectProblem(res, 404, 'notFound');
        expect(await logOf(res)).toEqual([]);
        expectProblem(await request(app, 'GET', '/api/v1/citizens', as(role)), 403);
        expectProblem(await request(app, 'POST', '/api/v1/citizens/search', { ...as(role), body: { name: 'Jens' } }), 403);
        expectProblem(await request(app, 'GET', `/api/v1/citizens/${c.id}/cases`, as(role)), 403);
      }
      for (const role of ['finance', 'auditor'] as const) {
        expectProblem(await request(app, 'GET', `/api/v1/citizens/${c.id}`, as(role)), 403);
        expectProblem(await request(app, 'GET', '/api/v1/citizens', as(role)), 403);
        expectProblem(await request(app, 'POST', '/api/v1/citizens/search', { ...as(role), body: { name: 'Jens' } }), 403);
        expectProblem(await request(app, 'POST', '/api/v1/citizens', { ...as(role), body: { cpr: newCpr(), name: 'X' } }), 403);
      }
    });

    it('logs every citizen a list shows, with the purpose from X-Purpose or the role', async () => {
      const a = await createCitizen({ name: 'Liste Aagaard' });
      const b = await createCitizen({ name: 'Liste Bøgh' });
      const res = await request(app, 'GET', '/api/v1/citizens?limit=200', { ...as('panelMember'), headers: { 'x-purpose': 'followUp' } });
      expect(res.status).toBe(200);
      const ids = res.body.items.map((c: { id: string }) => c.id);
      expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
      for (const item of res.body.items) expect(item.cpr).toMatch(/^\d{6}-xxxx$/);
      const log = await logOf(res);
      expect(log.map((r) => r.citizen_id).sort()).toEqual([...ids].sort());
      expect(new Set(log.map((r) => `${r.action}/${r.purpose}/${r.actor_role}`))).toEqual(new Set(['read/followUp/panelMember']));

      const byRole = await request(app, 'GET', `/api/v1/citizens/${a.id}`, as('panelMember'));
      expect((await logOf(byRole))[0].purpose).toBe('panelReview');
      const unknown = await request(app, 'GET', `/api/v1/citizens/${a.id}`, { ...as('caseworker'), headers: { 'x-purpose': 'curiosity' } });
      expect(expectProblem(unknown, 400).errors[0].pointer).toBe('#header/X-Purpose');
    });

    it('pages the list by a stable cursor', async () => {
      for (let i = 0; i < 3; i++) await createCitizen({ name: `Side ${i}` });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: TestResponse = await request(app, 'GET', `/api/v1/citizens?limit=2${cursor ? `&cursor=${cursor}` : ''}`, as('caseworker'));
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((c: { id: string }) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM citizen')).rows;
      expect(seen).toHaveLength(n);
    });
  });

  describe('search', () => {
    it('finds exactly the citizen with the CPR number in the body and logs the search by keyed hash', async () => {
      const cpr = '031178-4321';
      const c = await createCitizen({ cpr, name: 'Søren Søgning' });
      await createCitizen({ name: 'Søren Søgning' });
      const res = await request(app, 'POST', '/api/v1/citizens/search', { ...as('caseworker'), body: { cpr: '0311784321', purpose: 'complaint' } });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
      expect(res.body.items[0].cpr).toBe('031178-xxxx');
      const log = await logOf(res);
      expect(log.map((r) => [r.action, r.citizen_id, r.criteria, r.purpose])).toEqual([
        ['search', null, { cprHash: app.get(CprCipher).hash('0311784321') }, 'complaint'],
        ['read', c.id, null, 'complaint'],
      ]);
      expect(JSON.stringify(log)).not.toContain('0311784321');
    });

    it('finds by part of the name, and logs the name searched for', async () => {
      const c = await createCitizen({ name: 'Åse Navnesøg' });
      const res = await request(app, 'POST', '/api/v1/citizens/search', { ...as('admin'), body: { name: 'navnesØ' } });
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
      const log = await logOf(res);
      expect(log[0]).toMatchObject({ action: 'search', criteria: { name: 'navnesØ' }, purpose: 'administration' });
      expect(log.slice(1).map((r) => r.citizen_id)).toEqual([c.id]);
      const none = await request(app, 'POST', '/api/v1/citizens/search', { ...as('caseworker'), body: { name: '%%' } });
      expect(none.body.items).toEqual([]);
      expect((await logOf(none)).map((r) => r.action)).toEqual(['search']);
    });

    it('needs exactly one of cpr and name', async () => {
      expectProblem(await request(app, 'POST', '/api/v1/citizens/search', { ...as('caseworker'), body: {} }), 400);
      expectProblem(await request(app, 'POST', '/api/v1/citizens/search', { ...as('caseworker'), body: { cpr: newCpr(), name: 'Jens' } }), 400);
      expectProblem(await request(app, 'POST', '/api/v1/citizens/search', { ...as('caseworker'), body: { cpr: '123' } }), 400);
    });
  });

  describe('changes', () => {
    it('checks municipalities, takes If-Match and loses nothing to a stale one', async () => {
      const municipalities = (await request(app, 'GET', '/api/v1/municipalities', as('admin'))).body as { id: string; name: string; isOwn: boolean }[];
      const own = municipalities.find((m) => m.isOwn)!;
      const skive = municipalities.find((m) => m.name === 'Skive Kommune')!;
      const c = await createCitizen({ payingMunicipalityId: skive.id, address: { street: 'Vej 1', postalCode: '8800', city: 'Viborg' } });
      const read = await request(app, 'GET', `/api/v1/citizens/${c.id}`, as('caseworker'));
      expect(read.body).toMatchObject({ actingMunicipalityId: own.id, payingMunicipalityId: skive.id, address: { street: 'Vej 1', postalCode: '8800', city: 'Viborg' } });

      const missing = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: newCpr(), name: 'X', actingMunicipalityId: '00000000-0000-4000-8000-000000000000' } });
      expect(expectProblem(missing, 422).errors[0].pointer).toBe('/actingMunicipalityId');

      expectProblem(await request(app, 'PATCH', `/api/v1/citizens/${c.id}`, { ...as('caseworker'), body: { phone: '12345678' } }), 428);
      const etag = String(read.headers.etag);
      const [first, second] = await Promise.all([
        request(app, 'PATCH', `/api/v1/citizens/${c.id}`, { ...as('caseworker'), body: { phone: '11111111' }, headers: { 'if-match': etag } }),
        request(app, 'PATCH', `/api/v1/citizens/${c.id}`, { ...as('admin'), body: { email: 'jens@example.dk' }, headers: { 'if-match': etag } }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const winner = first.status === 200 ? first : second;
      const loser = first.status === 200 ? second : first;
      expectProblem(loser, 409, 'versionMismatch');
      const retried = await request(app, 'PATCH', `/api/v1/citizens/${c.id}`, {
        token: loser === first ? token.caseworker : token.admin,
        body: loser === first ? { phone: '11111111' } : { email: 'jens@example.dk' },
        headers: { 'if-match': String(winner.headers.etag) },
      });
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ phone: '11111111', email: 'jens@example.dk', version: c.version + 2 });
      expect((await logOf(retried)).map((r) => [r.action, r.citizen_id])).toEqual([['update', c.id]]);
      expect((await logOf(loser)).length).toBe(0);
    });

    it('creates anonymous clients only for services that allow them, and they ask only for those', async () => {
      const refused = await request(app, 'POST', '/api/v1/citizens/anonymous', { ...as('caseworker'), body: { serviceCode: 'SEL-85' } });
      expect(expectProblem(refused, 422).errors[0].pointer).toBe('/serviceCode');
      const res = await request(app, 'POST', '/api/v1/citizens/anonymous', { ...as('caseworker'), body: { serviceCode: 'SEL-101a', alias: 'K' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ anonymous: true, cpr: null, cprRevealed: false, name: 'K' });
      expect(res.body.pseudonym).toMatch(/^ANON-[0-9A-Z]{8}$/);
      const reveal = await request(app, 'GET', `/api/v1/citizens/${res.body.id}?reveal=cpr`, as('caseworker'));
      expect(reveal.body.cpr).toBeNull();
      expect((await logOf(reveal)).map((r) => r.action)).toEqual(['read']);
      const inquiry = (code: string) =>
        request(app, 'POST', `/api/v1/citizens/${res.body.id}/inquiries`, { ...as('caseworker'), body: { receivedOn: today, channel: 'inPerson', request: 'Behandling', standardCode: code } });
      expect(expectProblem(await inquiry('SEL-85'), 422).errors[0].pointer).toBe('/standardCode');
      expect((await inquiry('SEL-101a')).status).toBe(201);
    });
  });

  describe('cases and inquiries', () => {
    it('opens a case with the deadline of the standard in force, and later inquiries join it', async () => {
      const c = await createCitizen();
      const receivedOn = `${year}-01-05`;
      const first = await request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, {
        ...as('caseworker'),
        body: { receivedOn, channel: 'phone', request: 'Ønsker bostøtte', standardCode: 'SEL-85' },
      });
      expect(first.status).toBe(201);
      // SEL-85 in the seeded catalogue: 56 days.
      expect(first.body).toMatchObject({ caseOpened: true, receivedOn, standardCode: 'SEL-85', standardVersionNo: 1, caseworkDeadline: addDays(receivedOn, 56) });
      expect((await logOf(first)).map((r) => [r.action, r.object_type])).toEqual([
        ['create', 'case'],
        ['create', 'inquiry'],
      ]);

      const second = await request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, {
        ...as('caseworker'),
        body: { receivedOn: `${year}-01-20`, channel: 'referral', request: 'Aktivitetstilbud', standardCode: 'SEL-104' },
      });
      expect(second.body).toMatchObject({ caseOpened: false, caseId: first.body.caseId, caseworkDeadline: addDays(`${year}-01-20`, 42) });

      const kase = await request(app, 'GET', `/api/v1/cases/${first.body.caseId}`, as('caseworker'));
      expect(kase.body).toMatchObject({
        citizenId: c.id,
        status: 'open',
        responsibleCaseworkerId: userId.caseworker,
        openedOn: receivedOn,
        caseworkDeadline: addDays(receivedOn, 56),
        overdue: addDays(receivedOn, 56) < today,
      });
      expect(kase.body.inquiries.map((i: { standardCode: string }) => i.standardCode)).toEqual(['SEL-85', 'SEL-104']);
      expect(await logOf(kase)).toEqual([expect.objectContaining({ action: 'read', object_type: 'case', object_id: first.body.caseId, citizen_id: c.id })]);

      const list = await request(app, 'GET', `/api/v1/citizens/${c.id}/cases`, as('panelMember'));
      expect(list.body.map((k: { id: string }) => k.id)).toEqual([first.body.caseId]);
      expect((await logOf(list)).map((r) => [r.action, r.citizen_id])).toEqual([['read', c.id]]);
    });

    it('refuses future inquiries, unknown standards and standards not in force on the date (422)', async () => {
      const c = await createCitizen();
      const post = (body: Record<string, unknown>) =>
        request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, { ...as('caseworker'), body: { receivedOn: today, channel: 'letter', request: 'x', standardCode: 'SEL-85', ...body } });
      expect(expectProblem(await post({ receivedOn: addDays(today, 1) }), 422).errors[0].pointer).toBe('/receivedOn');
      expect(expectProblem(await post({ standardCode: 'SEL-999' }), 422).errors[0].pointer).toBe('/standardCode');
      expect(expectProblem(await post({ receivedOn: `${Number(year) - 1}-06-01` }), 422).errors[0].pointer).toBe('/standardCode');
      expectProblem(await post({ channel: 'pigeon' }), 400);
      expectProblem(await post({ receivedOn: `${year}-02-30` }), 400);
      expect((await db.query('SELECT count(*)::int AS n FROM citizen_case WHERE citizen_id = $1', [c.id])).rows[0].n).toBe(0);
      expectProblem(await request(app, 'POST', '/api/v1/citizens/00000000-0000-4000-8000-000000000000/inquiries', { ...as('caseworker'), body: { receivedOn: today, channel: 'letter', request: 'x', standardCode: 'SEL-85' } }), 404);
    });

    it('changes the responsible caseworker and closes with If-Match; a stale one is 409 and loses nothing', async () => {
      const c = await createCitizen();
      const inq = await request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, { ...as('caseworker'), body: { receivedOn: today, channel: 'digital', request: 'x', standardCode: 'SEL-85' } });
      const caseId = inq.body.caseId;
      const read = await request(app, 'GET', `/api/v1/cases/${caseId}`, as('caseworker'));
      const etag = String(read.headers.etag);
      const [a, b] = await Promise.all([
        request(app, 'PATCH', `/api/v1/cases/${caseId}`, { ...as('caseworker'), body: { responsibleCaseworkerId: userId.panelMember }, headers: { 'if-match': etag } }),
        request(app, 'PATCH', `/api/v1/cases/${caseId}`, { ...as('admin'), body: { status: 'closed' }, headers: { 'if-match': etag } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const after = await request(app, 'GET', `/api/v1/cases/${caseId}`, as('caseworker'));
      if (a.status === 200) expect(after.body).toMatchObject({ responsibleCaseworkerId: userId.panelMember, status: 'open', version: 2 });
      else expect(after.body).toMatchObject({ responsibleCaseworkerId: userId.caseworker, status: 'closed', closedOn: today, version: 2 });

      expectProblem(
        await request(app, 'PATCH', `/api/v1/cases/${caseId}`, { ...as('caseworker'), body: { responsibleCaseworkerId: userId.finance }, headers: { 'if-match': String(after.headers.etag) } }),
        after.body.status === 'open' ? 422 : 409,
      );
      expectProblem(await request(app, 'PATCH', `/api/v1/cases/${caseId}`, { ...as('caseworker'), body: { status: 'closed' } }), 428);
      if (after.body.status === 'open') {
        const closed = await request(app, 'PATCH', `/api/v1/cases/${caseId}`, { ...as('caseworker'), body: { status: 'closed' }, headers: { 'if-match': String(after.headers.etag) } });
        expect(closed.body).toMatchObject({ status: 'closed', closedOn: today, responsibleCaseworkerId: userId.panelMember });
      }
      // A new inquiry after closing opens a new case.
      const next = await request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, { ...as('caseworker'), body: { receivedOn: today, channel: 'phone', request: 'igen', standardCode: 'SEL-85' } });
      expect(next.body.caseOpened).toBe(true);
      expect(next.body.caseId).not.toBe(caseId);
    });

    it('keeps one open case per citizen even when inquiries race', async () => {
      const c = await createCitizen();
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, { ...as('caseworker'), body: { receivedOn: today, channel: 'phone', request: 'x', standardCode: 'SEL-85' } }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(results.map((r) => r.body.caseId)).size).toBe(1);
      expect(results.filter((r) => r.body.caseOpened)).toHaveLength(1);
    });
  });

  describe('journal notes', () => {
    let caseId: string;
    let otherCaseId: string;
    beforeAll(async () => {
      const open = async () => {
        const c = await createCitizen();
        return (await request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, { ...as('caseworker'), body: { receivedOn: today, channel: 'phone', request: 'x', standardCode: 'SEL-85' } })).body.caseId as string;
      };
      caseId = await open();
      otherCaseId = await open();
    });

    it('appends notes and amendments, and lists each note with what amends it', async () => {
      const first = await request(app, 'POST', `/api/v1/cases/${caseId}/notes`, { ...as('caseworker'), body: { text: 'Borgeren ringede: ønsker hjælp til økonomi.' } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ caseId, amendsNoteId: null, amendedBy: [], authorUserId: userId.caseworker });
      const amendment = await request(app, 'POST', `/api/v1/cases/${caseId}/notes`, { ...as('caseworker'), body: { text: 'Rettelse: hjælp til post og økonomi.', amendsNoteId: first.body.id } });
      expect(amendment.body.amendsNoteId).toBe(first.body.id);
      expect((await logOf(amendment)).map((r) => [r.action, r.object_type])).toEqual([['create', 'journalNote']]);

      const list = await request(app, 'GET', `/api/v1/cases/${caseId}/notes`, as('panelMember'));
      expect(list.body.items.map((n: { id: string; amendedBy: string[]; text: string }) => [n.id, n.amendedBy, n.text])).toEqual([
        [first.body.id, [amendment.body.id], 'Borgeren ringede: ønsker hjælp til økonomi.'],
        [amendment.body.id, [], 'Rettelse: hjælp til post og økonomi.'],
      ]);
      expect((await logOf(list)).map((r) => [r.action, r.object_type])).toEqual([['read', 'journalNote']]);

      const foreign = await request(app, 'POST', `/api/v1/cases/${otherCaseId}/notes`, { ...as('caseworker'), body: { text: 'x', amendsNoteId: first.body.id } });
      expect(expectProblem(foreign, 422).errors[0].pointer).toBe('/amendsNoteId');
      expectProblem(await request(app, 'GET', `/api/v1/cases/${caseId}/notes`, as('finance')), 403);
      expectProblem(await request(app, 'GET', `/api/v1/cases/${caseId}/notes`, as('providerStaff')), 403);
    });

    it('is append-only in the database: the app role cannot change or delete a note, nor can the owner', async () => {
      const note = await request(app, 'POST', `/api/v1/cases/${caseId}/notes`, { ...as('caseworker'), body: { text: 'Oprindelig tekst' } });
      const appRole = await ownerClient();
      try {
        await appRole.query('SET ROLE bum_app');
        await expect(appRole.query(`UPDATE journal_note SET text = 'ændret' WHERE id = $1`, [note.body.id])).rejects.toMatchObject({ code: '42501' });
        await expect(appRole.query('DELETE FROM journal_note WHERE id = $1', [note.body.id])).rejects.toMatchObject({ code: '42501' });
        // Amending a note of another case is refused by the database too.
        await expect(
          appRole.query(`INSERT INTO journal_note (case_id, text, amends_note_id) VALUES ($1, 'x', $2)`, [otherCaseId, note.body.id]),
        ).rejects.toMatchObject({ constraint: 'ck_journal_note_amends_case' });
      } finally {
        await appRole.end();
      }
      await expect(db.query(`UPDATE journal_note SET text = 'ændret' WHERE id = $1`, [note.body.id])).rejects.toMatchObject({ constraint: 'ck_journal_note_append_only' });
      await expect(db.query('DELETE FROM journal_note WHERE id = $1', [note.body.id])).rejects.toMatchObject({ constraint: 'ck_journal_note_append_only' });
      expect((await db.query('SELECT text FROM journal_note WHERE id = $1', [note.body.id])).rows[0].text).toBe('Oprindelig tekst');
    });
  });

  describe('visits', () => {
    let caseId: string;
    let citizenName: string;
    const at = (day: string, time: string) => `${day}T${time}:00+01:00`;
    const day1 = addDays(today, 10);
    const day2 = addDays(today, 11);
    const day3 = addDays(today, 20);
    beforeAll(async () => {
      citizenName = 'Bent Besøg';
      const c = await createCitizen({ name: citizenName });
      caseId = (await request(app, 'POST', `/api/v1/citizens/${c.id}/inquiries`, { ...as('caseworker'), body: { receivedOn: today, channel: 'phone', request: 'x', standardCode: 'SEL-85' } })).body.caseId;
    });
    const plan = (body: Record<string, unknown>, role: Role = 'caseworker') =>
      request(app, 'POST', `/api/v1/cases/${caseId}/visits`, { ...as(role), body: { place: 'Borgerens hjem', participants: ['borgeren'], ...body } });

    it('goes planned → held or cancelled, and nothing else', async () => {
      const past = await plan({ startsAt: new Date(Date.now() - 3600_000).toISOString(), endsAt: new Date(Date.now() - 1800_000).toISOString() });
      expect(past.status).toBe(201);
      expect(past.body).toMatchObject({ status: 'planned', caseworkerId: userId.caseworker, citizenName, participants: ['borgeren'] });
      const future = await plan({ startsAt: at(day1, '10:00'), endsAt: at(day1, '11:00') });

      expect(expectProblem(await request(app, 'POST', `/api/v1/visits/${future.body.id}/hold`, { ...as('caseworker'), body: {} }), 422).detail).toMatch(/before it starts/);
      const held = await request(app, 'POST', `/api/v1/visits/${past.body.id}/hold`, { ...as('caseworker'), body: { notes: 'Gennemgik behov.' } });
      expect(held.body).toMatchObject({ status: 'held', notes: 'Gennemgik behov.' });
      expectProblem(await request(app, 'POST', `/api/v1/visits/${past.body.id}/hold`, { ...as('caseworker'), body: {} }), 409);
      expectProblem(await request(app, 'POST', `/api/v1/visits/${past.body.id}/cancel`, { ...as('caseworker'), body: { reason: 'x' } }), 409);
      expectProblem(await request(app, 'PATCH', `/api/v1/visits/${past.body.id}`, { ...as('caseworker'), body: { place: 'Kontoret' }, headers: { 'if-match': `"${held.body.version}"` } }), 409);

      expectProblem(await request(app, 'POST', `/api/v1/visits/${future.body.id}/cancel`, { ...as('caseworker'), body: {} }), 400);
      const cancelled = await request(app, 'POST', `/api/v1/visits/${future.body.id}/cancel`, { ...as('caseworker'), body: { reason: 'Borgeren er syg' } });
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Borgeren er syg' });
      expectProblem(await request(app, 'POST', `/api/v1/visits/${future.body.id}/hold`, { ...as('caseworker'), body: {} }), 409);

      const appRole = await ownerClient();
      try {
        await appRole.query('SET ROLE bum_app');
        await expect(appRole.query(`UPDATE visit SET status = 'planned', notes = NULL WHERE id = $1`, [past.body.id])).rejects.toMatchObject({ constraint: 'ck_visit_transition' });
        await expect(appRole.query(`DELETE FROM visit WHERE id = $1`, [future.body.id])).rejects.toMatchObject({ constraint: 'ck_visit_transition' });
      } finally {
        await appRole.end();
      }
    });

    it('reschedules a planned visit with If-Match and refuses bad times', async () => {
      expect(expectProblem(await plan({ startsAt: at(day1, '10:00'), endsAt: at(day1, '09:00') }), 422).errors[0].pointer).toBe('/endsAt');
      expectProblem(await plan({ startsAt: `${day1} 10:00`, endsAt: at(day1, '11:00') }), 400);
      expect(expectProblem(await plan({ startsAt: at(day1, '10:00'), endsAt: at(day1, '11:00'), caseworkerId: userId.finance }), 422).errors[0].pointer).toBe('/caseworkerId');
      const v = await plan({ startsAt: at(day1, '13:00'), endsAt: at(day1, '14:00') });
      const moved = await request(app, 'PATCH', `/api/v1/visits/${v.body.id}`, { ...as('caseworker'), body: { startsAt: at(day1, '15:00'), endsAt: at(day1, '16:00') }, headers: { 'if-match': `"${v.body.version}"` } });
      expect(moved.status).toBe(200);
      expect(moved.body.startsAt).toBe(new Date(at(day1, '15:00')).toISOString());
      expect(moved.headers.etag).toBe(`"${v.body.version + 1}"`);
      const stale = await request(app, 'PATCH', `/api/v1/visits/${v.body.id}`, { ...as('caseworker'), body: { place: 'Kontoret' }, headers: { 'if-match': `"${v.body.version}"` } });
      expectProblem(stale, 409, 'versionMismatch');
      expect((await request(app, 'GET', `/api/v1/visits/${v.body.id}`, as('caseworker'))).body.place).toBe('Borgerens hjem');
      expect(expectProblem(await request(app, 'PATCH', `/api/v1/visits/${v.body.id}`, { ...as('caseworker'), body: { endsAt: at(day1, '14:00') }, headers: { 'if-match': String(moved.headers.etag) } }), 422).errors[0].pointer).toBe('/endsAt');
    });

    it("shows the caseworker's calendar filtered by caseworker, period and status, and logs the citizens shown", async () => {
      const mine1 = await plan({ startsAt: at(day2, '09:00'), endsAt: at(day2, '10:00') });
      const mine2 = await plan({ startsAt: at(day2, '21:00'), endsAt: at(day2, '22:00') });
      const mineLater = await plan({ startsAt: at(day3, '09:00'), endsAt: at(day3, '10:00') });
      const theirs = await plan({ startsAt: at(day2, '11:00'), endsAt: at(day2, '12:00'), caseworkerId: userId.panelMember });
      await request(app, 'POST', `/api/v1/visits/${mine1.body.id}/cancel`, { ...as('caseworker'), body: { reason: 'flyttet' } });

      const ids = (res: TestResponse) => res.body.items.map((v: { id: string }) => v.id);
      const day = await request(app, 'GET', `/api/v1/visits?caseworker=me&from=${day2}&to=${day2}`, as('caseworker'));
      expect(day.status).toBe(200);
      expect(ids(day)).toEqual([mine1.body.id, mine2.body.id]);
      expect(day.body.items[0]).toMatchObject({ citizenName, caseId, status: 'cancelled' });
      expect((await logOf(day)).map((r) => [r.action, r.object_type])).toEqual([['read', 'visit']]);

      const planned = await request(app, 'GET', `/api/v1/visits?from=${day2}&to=${day3}&status=planned`, as('caseworker'));
      expect(ids(planned)).toEqual([mine2.body.id, mineLater.body.id]);
      const instant = await request(app, 'GET', `/api/v1/visits?from=${encodeURIComponent(at(day2, '09:30'))}&to=${encodeURIComponent(at(day2, '21:00'))}`, as('caseworker'));
      expect(ids(instant)).toEqual([mine1.body.id]);
      const colleague = await request(app, 'GET', `/api/v1/visits?caseworker=${userId.panelMember}&from=${day2}&to=${day2}`, as('caseworker'));
      expect(ids(colleague)).toEqual([theirs.body.id]);
      const panel = await request(app, 'GET', `/api/v1/visits?caseworker=me&from=${day2}&to=${day2}`, as('panelMember'));
      expect(ids(panel)).toEqual([theirs.body.id]);
      const empty = await request(app, 'GET', `/api/v1/visits?caseworker=me&from=${day3}&to=${day3}`, as('admin'));
      expect(empty.body.items).toEqual([]);

      const paged = await request(app, 'GET', `/api/v1/visits?from=${day2}&to=${day3}&limit=1`, as('caseworker'));
      const rest = await request(app, 'GET', `/api/v1/visits?from=${day2}&to=${day3}&limit=5&cursor=${paged.body.nextCursor}`, as('caseworker'));
      expect([...ids(paged), ...ids(rest)]).toEqual([mine1.body.id, mine2.body.id, mineLater.body.id]);

      expectProblem(await request(app, 'GET', `/api/v1/visits?from=${day3}&to=${day2}`, as('caseworker')), 400);
      expectProblem(await request(app, 'GET', `/api/v1/visits?from=${day2}`, as('caseworker')), 400);
      expectProblem(await request(app, 'GET', `/api/v1/visits?from=${year}-02-30&to=${day2}`, as('caseworker')), 400);
      expectProblem(await request(app, 'GET', `/api/v1/visits?caseworker=someone&from=${day2}&to=${day2}`, as('caseworker')), 400);
      expectProblem(await request(app, 'GET', `/api/v1/visits?from=${day2}&to=${day2}`, as('providerStaff')), 403);
      expectProblem(await request(app, 'GET', `/api/v1/visits?from=${day2}&to=${day2}`, as('finance')), 403);
    });
  });
});
