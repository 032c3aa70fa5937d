import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SEED_RATES, SEED_STANDARDS } from 'src/modules/catalogue/catalogue-seed';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { draftFields } from 'test/support/catalogue';
import { login, request } from 'test/support/http';

const approval = (validFrom: string, reference = 'SSU test') => ({ committee: 'Social- og Sundhedsudvalget', approvedOn: '2026-01-15', reference, validFrom });

describe('catalogue', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let caseworker: string;
  let finance: string;
  const institutions = new Map<string, string>();

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    admin = await login(app, 'admin', DEMO_PASSWORD);
    caseworker = await login(app, 'caseworker', DEMO_PASSWORD);
    finance = await login(app, 'finance', DEMO_PASSWORD);
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string; name: string }[]; nextCursor: string | null } } = await request(app, 'GET', `/api/v1/institutions?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      for (const i of page.body.items) institutions.set(i.name, i.id);
      cursor = page.body.nextCursor;
    } while (cursor);
  });
  afterAll(() => app.close());

  describe('the seeded catalogue', () => {
    it('has every service of DOMAIN.md §2 approved and in force, with its rates', async () => {
      const res = await request(app, 'GET', '/api/v1/quality-standards?limit=200', { token: caseworker });
      expect(res.status).toBe(200);
      expect(res.body.items.map((s: { code: string }) => s.code).sort()).toEqual(SEED_STANDARDS.map((s) => s.code).sort());
      for (const s of res.body.items) expect(s.inForce).toMatchObject({ versionNo: 1, lifecycle: 'inForce' });
      const rates = await request(app, 'GET', '/api/v1/rates', { token: caseworker });
      expect(rates.body).toHaveLength(SEED_RATES.length);
    });

    it('publishes every seeded standard as HTML and Markdown', async () => {
      for (const s of SEED_STANDARDS) {
        const html = await request(app, 'GET', `/api/v1/quality-standards/${s.code}/versions/1/document`);
        expect(html.status).toBe(200);
        expect(html.headers['content-type']).toMatch(/^text\/html/);
        expect(html.text).toContain(`<h1>Kvalitetsstandard: ${s.title.replace(/&/g, '&amp;')}</h1>`);
        expect(html.text).toContain('Klagevejledning');
        expect(html.text).toContain(s.fields.appealable ? 'klage over afgørelsen til Ankestyrelsen' : 'kan ikke påklages');
        const md = await request(app, 'GET', `/api/v1/quality-standards/${s.code}/versions/1/document?format=markdown`);
        expect(md.status).toBe(200);
        expect(md.headers['content-type']).toMatch(/^text\/markdown/);
        expect(md.text.startsWith(`# Kvalitetsstandard: ${s.title}`)).toBe(true);
      }
    });

    it('resolves the institution rate and falls back to the general one', async () => {
      const own = await request(app, 'GET', `/api/v1/rates/effective?standard=SEL-85&institution=${institutions.get('Bostøtten Psykiatri')}`, { token: caseworker });
      expect(own.body).toMatchObject({ source: 'institution', priceOere: SEED_RATES.find((r) => r.institution === 'Bostøtten Psykiatri')!.priceOere });
      const general = await request(app, 'GET', `/api/v1/rates/effective?standard=SEL-85&institution=${institutions.get('Bostøtten Handicap')}`, { token: caseworker });
      expect(general.body).toMatchObject({ source: 'general', institutionId: null, priceOere: SEED_RATES.find((r) => r.standard === 'SEL-85' && !r.institution)!.priceOere });
      const none = await request(app, 'GET', `/api/v1/rates/effective?standard=SEL-108&institution=${institutions.get('Bostøtten Handicap')}`, { token: caseworker });
      expect(none.status).toBe(404);
      const before = await request(app, 'GET', `/api/v1/rates/effective?standard=SEL-85&date=2000-01-01`, { token: caseworker });
      expect(before.status).toBe(404);
    });
  });

  describe('versions', () => {
    it('goes draft → approved → superseded, and an approved version never changes', async () => {
      const created = await request(app, 'POST', '/api/v1/quality-standards', { token: admin, body: { code: 'SEL-85-life', title: 'Livscyklus', draft: draftFields() } });
      expect(created.status).toBe(201);
      expect(created.body.versions).toEqual([{ versionNo: 1, status: 'draft', lifecycle: 'draft', validFrom: null, validTo: null }]);

      const v1 = await request(app, 'GET', '/api/v1/quality-standards/SEL-85-life/versions/1', { token: admin });
      const patched = await request(app, 'PATCH', '/api/v1/quality-standards/SEL-85-life/versions/1', { token: admin, body: { scopeMax: 12 }, headers: { 'if-match': String(v1.headers.etag) } });
      expect(patched.status).toBe(200);
      expect(patched.body.scopeMax).toBe(12);
      const stale = await request(app, 'PATCH', '/api/v1/quality-standards/SEL-85-life/versions/1', { token: admin, body: { scopeMax: 13 }, headers: { 'if-match': String(v1.headers.etag) } });
      expect(stale.status).toBe(409);

      const approved = await request(app, 'POST', '/api/v1/quality-standards/SEL-85-life/versions/1/approve', { token: admin, body: approval('2027-01-01', 'SSU 15.01.2026 pkt. 3') });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', lifecycle: 'scheduled', validFrom: '2027-01-01', validTo: null, approval: { committee: 'Social- og Sundhedsudvalget', approvedOn: '2026-01-15', reference: 'SSU 15.01.2026 pkt. 3' } });

      const edit = await request(app, 'PATCH', '/api/v1/quality-standards/SEL-85-life/versions/1', { token: admin, body: { scopeMax: 14 }, headers: { etag: '"3"', 'if-match': `"${approved.body.version}"` } });
      expect(edit.status).toBe(409);
      expect((await request(app, 'DELETE', '/api/v1/quality-standards/SEL-85-life/versions/1', { token: admin })).status).toBe(409);

      const copy = await request(app, 'POST', '/api/v1/quality-standards/SEL-85-life/versions/1/copy', { token: admin });
      expect(copy.body).toMatchObject({ versionNo: 2, status: 'draft', scopeMax: 12, approval: null });
      const second = await request(app, 'POST', '/api/v1/quality-standards/SEL-85-life/versions/2/approve', { token: admin, body: approval('2027-07-01') });
      expect(second.status).toBe(200);
      const first = await request(app, 'GET', '/api/v1/quality-standards/SEL-85-life/versions/1', { token: admin });
      expect(first.body).toMatchObject({ validFrom: '2027-01-01', validTo: '2027-07-01' });

      const on = async (date: string) => (await request(app, 'GET', `/api/v1/quality-standards/SEL-85-life/in-force?date=${date}`, { token: caseworker }));
      expect((await on('2026-12-31')).status).toBe(404);
      expect((await on('2027-01-01')).body.versionNo).toBe(1);
      expect((await on('2027-06-30')).body.versionNo).toBe(1);
      expect((await on('2027-07-01')).body.versionNo).toBe(2);
      expect((await on('2099-01-01')).body.versionNo).toBe(2);
    });

    it('refuses an overlapping period and says which version it collides with', async () => {
      await request(app, 'POST', '/api/v1/quality-standards', { token: admin, body: { code: 'SEL-85-overlap', title: 'Overlap', draft: draftFields() } });
      await request(app, 'POST', '/api/v1/quality-standards/SEL-85-overlap/versions/1/approve', { token: admin, body: approval('2027-01-01') });
      await request(app, 'POST', '/api/v1/quality-standards/SEL-85-overlap/versions', { token: admin, body: draftFields() });
      const earlier = await request(app, 'POST', '/api/v1/quality-standards/SEL-85-overlap/versions/2/approve', { token: admin, body: approval('2026-06-01') });
      expect(earlier.status).toBe(409);
      expect(earlier.body.detail).toContain('version 1');
      expect(earlier.body.errors[0].pointer).toBe('/validFrom');
      // Retired versions block their period too.
      await request(app, 'POST', '/api/v1/quality-standards/SEL-85-overlap/versions/1/retire', { token: admin, body: { retiredOn: '2028-01-01' } });
      const inside = await request(app, 'POST', '/api/v1/quality-standards/SEL-85-overlap/versions/2/approve', { token: admin, body: approval('2027-06-01') });
      expect(inside.status).toBe(409);
      const after = await request(app, 'POST', '/api/v1/quality-standards/SEL-85-overlap/versions/2/approve', { token: admin, body: approval('2028-01-01') });
      expect(after.status).toBe(200);
      expect((await request(app, 'GET', '/api/v1/quality-standards/SEL-85-overlap/in-force?date=2027-12-31', { token: admin })).body.versionNo).toBe(1);
      expect((await request(app, 'GET', '/api/v1/quality-standards/SEL-85-overlap/in-force?date=2028-01-01', { token: admin })).body.versionNo).toBe(2);
    });

    it('keeps approved versions immutable and periods disjoint in the database itself', async () => {
      const db = await ownerClient();
      try {
        await db.query('SET ROLE bum_app');
        await expect(db.query(`UPDATE quality_standard_version SET content = 'changed' WHERE status = 'approved'`)).rejects.toMatchObject({ constraint: 'ck_qsv_immutable' });
        await expect(db.query(`DELETE FROM quality_standard_version WHERE status = 'approved'`)).rejects.toMatchObject({ constraint: 'ck_qsv_immutable' });
        await expect(
          db.query(
            `INSERT INTO quality_standard_version (standard_id, version_no, status, valid_from, legal_law, legal_paragraph, target_group, purpose, content,
               scope_unit, casework_deadline_days, settlement_basis, account_function, local_service_code, approved_by_committee, approved_on, approval_reference, version)
             SELECT standard_id, 99, 'approved', valid_from + 1, legal_law, legal_paragraph, target_group, purpose, content, scope_unit,
               casework_deadline_days, settlement_basis, account_function, 'X-1', 'SSU', approved_on, 'ref', 1
               FROM quality_standard_version WHERE status = 'approved' LIMIT 1`,
          ),
        ).rejects.toMatchObject({ code: '23P01', constraint: 'ex_qsv_in_force' });
      } finally {
        await db.end();
      }
    });

    it('needs committee, date and reference to approve (400 naming the field)', async () => {
      await request(app, 'POST', '/api/v1/quality-standards', { token: admin, body: { code: 'SEL-85-approve', title: 'Approve', draft: draftFields({ validFrom: '2027-01-01' }) } });
      for (const missing of ['committee', 'approvedOn', 'reference']) {
        const body: Record<string, unknown> = approval('2027-01-01');
        delete body[missing];
        const res = await request(app, 'POST', '/api/v1/quality-standards/SEL-85-approve/versions/1/approve', { token: admin, body });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(`/${missing}`);
      }
      const v = await request(app, 'GET', '/api/v1/quality-standards/SEL-85-approve/versions/1', { token: admin });
      expect(v.body.status).toBe('draft');
    });

    it.each([
      ['scope min above max', { scopeMin: 10, scopeMax: 2 }, '/scopeMax'],
      ['an unknown unit', { scopeUnit: 'minutesPerFortnight' }, '/scopeUnit'],
      ['an unknown settlement basis', { settlementBasis: 'perMood' }, '/settlementBasis'],
      ['a malformed paragraph', { legalBasis: { law: 'SEL', paragraph: '85a' } }, '/legalBasis/paragraph'],
      ['an unknown law', { legalBasis: { law: 'XYZ', paragraph: '85' } }, '/legalBasis/law'],
      ['a malformed account function', { accountFunction: '5.38' }, '/accountFunction'],
    ])('rejects a draft with %s (400)', async (_name, override, pointer) => {
      const res = await request(app, 'POST', '/api/v1/quality-standards/SEL-85/versions', { token: admin, body: draftFields(override) });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
      const std = await request(app, 'GET', '/api/v1/quality-standards/SEL-85', { token: admin });
      expect(std.body.versions).toHaveLength(1);
    });

    it('lets every role read but only admin write', async () => {
      expect((await request(app, 'GET', '/api/v1/quality-standards/SEL-108/in-force', { token: caseworker })).status).toBe(200);
      expect((await request(app, 'POST', '/api/v1/quality-standards', { token: caseworker, body: { code: 'SEL-85-cw', title: 'x' } })).status).toBe(403);
      expect((await request(app, 'POST', '/api/v1/quality-standards', { token: finance, body: { code: 'SEL-85-fi', title: 'x' } })).status).toBe(403);
      expect((await request(app, 'GET', '/api/v1/quality-standards/SEL-108')).status).toBe(401);
    });

    it('does not publish drafts', async () => {
      await request(app, 'POST', '/api/v1/quality-standards', { token: admin, body: { code: 'SEL-85-draft', title: 'Draft', draft: draftFields() } });
      expect((await request(app, 'GET', '/api/v1/quality-standards/SEL-85-draft/versions/1/document')).status).toBe(404);
    });
  });

  describe('rates', () => {
    const rate = (overrides: Record<string, unknown>) => ({ standard: 'SEL-108', validFrom: '2027-01-01', priceOere: 300_000, ...overrides });

    it('rejects bad prices and periods with 400', async () => {
      for (const [body, pointer] of [
        [rate({ priceOere: -1 }), '/priceOere'],
        [rate({ priceOere: 12.5 }), '/priceOere'],
        [rate({ priceOere: '300000' }), '/priceOere'],
        [rate({ validFrom: '2027-02-30' }), '/validFrom'],
        [rate({ validTo: '2026-12-31' }), '/validTo'],
      ] as const) {
        const res = await request(app, 'POST', '/api/v1/rates', { token: finance, body });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
      }
    });

    it('refuses a rate for an institution that cannot deliver the service (422)', async () => {
      const res = await request(app, 'POST', '/api/v1/rates', { token: finance, body: rate({ institutionId: institutions.get('Bostøtten Handicap') }) });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].pointer).toBe('/institutionId');
      expect(res.body.detail).toContain('Bostøtten Handicap');
    });

    it('closes the open rate when the next starts, and refuses true overlaps naming the rate', async () => {
      const egeskoven = institutions.get('Bofællesskabet Egeskoven');
      const next = await request(app, 'POST', '/api/v1/rates', { token: finance, body: rate({ institutionId: egeskoven, validFrom: '2027-01-01', priceOere: 275_000 }) });
      expect(next.status).toBe(201);
      const all = await request(app, 'GET', `/api/v1/rates?standard=SEL-108&institutionId=${egeskoven}`, { token: finance });
      expect(all.body.map((r: { validFrom: string; validTo: string | null }) => [r.validFrom, r.validTo])).toEqual([
        [expect.any(String), '2027-01-01'],
        ['2027-01-01', null],
      ]);
      const bounded = await request(app, 'POST', '/api/v1/rates', { token: finance, body: rate({ institutionId: egeskoven, validFrom: '2026-06-01', validTo: '2026-09-01', priceOere: 1 }) });
      expect(bounded.status).toBe(409);
      expect(bounded.body.detail).toContain(all.body[0].id);
      const onDay = async (date: string) => (await request(app, 'GET', `/api/v1/rates/effective?standard=SEL-108&institution=${egeskoven}&date=${date}`, { token: caseworker })).body.priceOere;
      expect(await onDay('2026-12-31')).toBe(SEED_RATES.find((r) => r.institution === 'Bofællesskabet Egeskoven')!.priceOere);
      expect(await onDay('2027-01-01')).toBe(275_000);
    });

    it('edits only rates not yet in effect', async () => {
      const future = await request(app, 'POST', '/api/v1/rates', { token: finance, body: { standard: 'SEL-104', validFrom: '2099-01-01', priceOere: 50_000 } });
      expect(future.body.editable).toBe(true);
      expect((await request(app, 'DELETE', `/api/v1/rates/${future.body.id}`, { token: finance })).status).toBe(204);
      const current = await request(app, 'GET', '/api/v1/rates/effective?standard=SEL-104', { token: finance });
      expect(current.body.editable).toBe(false);
      expect((await request(app, 'DELETE', `/api/v1/rates/${current.body.id}`, { token: finance })).status).toBe(409);
      const db = await ownerClient();
      try {
        await db.query('SET ROLE bum_app');
        await expect(db.query('UPDATE rate SET price_oere = 1 WHERE id = $1', [current.body.id])).rejects.toMatchObject({ constraint: 'ck_rate_immutable' });
      } finally {
        await db.end();
      }
    });
  });
});
