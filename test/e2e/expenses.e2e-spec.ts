import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Client } from 'pg';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request, TestResponse } from 'test/support/http';
import { expectProblem, pointersOf } from 'test/support/problem';

type Role = 'finance' | 'institutionManager' | 'caseworker' | 'admin';
interface Line {
  institutionId: string;
  month: string;
  category: string;
  amountOere: number;
  externalRef: string;
  description?: string | null;
}

const HEADER = ['institution_id', 'month', 'category', 'amount_oere', 'external_ref', 'description'];

describe('ledger expenses (udgifter) and exports', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const inst = {} as Record<string, string>;
  let authorityId: string;
  let serial = 0;

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of ['finance', 'institutionManager', 'caseworker', 'admin'] as Role[]) token[role] = await login(app, role, DEMO_PASSWORD);
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) inst[r.name] = r.id;
    authorityId = (await db.query(`SELECT id FROM org_unit WHERE kind = 'authority'`)).rows[0].id;
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const key = () => `batch-${Date.now()}-${++serial}`;
  const ref = () => `FIN-${++serial}`;
  const post = (lines: unknown[], batchKey: string | null = key(), as: string = token.finance) =>
    request(app, 'POST', '/api/v1/ledger/expenses', { token: as, body: { lines }, headers: batchKey ? { 'idempotency-key': batchKey } : {} });
  const importCsv = (text: string, batchKey = key()) =>
    request(app, 'POST', '/api/v1/ledger/expenses/import', { token: token.finance, rawBody: text, headers: { 'content-type': 'text/csv; charset=utf-8', 'idempotency-key': batchKey } });
  const count = async (table: string) => Number((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  const counts = async () => ({ entries: await count('journal_entry'), postings: await count('posting'), batches: await count('expense_batch'), lines: await count('expense_line'), accounts: await count('ledger_account') });
  const balance = async (number: string) => Number((await db.query(`SELECT COALESCE(sum(p.amount_oere), 0) AS s FROM posting p JOIN ledger_account a ON a.id = p.account_id WHERE a.number = $1`, [number])).rows[0].s);
  const prefix = (name: string) => `I-${inst[name].slice(0, 8).toUpperCase()}`;
  const line = (over: Partial<Line> = {}): Line => ({ institutionId: inst['Bofællesskabet Egeskoven'], month: '2026-03', category: 'food', amountOere: 1000, externalRef: ref(), ...over });
  /** What a finance system would send: `;` between fields, quoted where a field holds `;` or `"`. */
  const csvOf = (lines: Line[]) =>
    stringify([HEADER, ...lines.map((l) => [l.institutionId, l.month, l.category, l.amountOere, l.externalRef, l.description ?? ''])], { delimiter: ';', record_delimiter: 'windows' });

  describe('a JSON batch', () => {
    let booked: TestResponse;
    const batchKey = 'batch-march-2026-001';
    let lines: Line[];

    beforeAll(async () => {
      lines = [
        line({ category: 'food', amountOere: 1_234_556, description: 'Grossist marts' }),
        line({ category: 'food', amountOere: -10_000, description: 'Kreditnota' }),
        line({ category: 'personnel', amountOere: 45_000_000 }),
        line({ institutionId: inst['Bofællesskabet Kløvermarken'], category: 'premises', amountOere: 2_500_050 }),
      ];
      booked = await post(lines, batchKey);
    });

    it('books each line as one balanced entry on the last day of the month (201)', async () => {
      expect(booked.status).toBe(201);
      expect(booked.headers.location).toBe(`/api/v1/ledger/expense-batches/${booked.body.id}`);
      expect(booked.body).toMatchObject({ idempotencyKey: batchKey, source: 'api', lineCount: 4, totalOere: 1_234_556 - 10_000 + 45_000_000 + 2_500_050 });
      expect(booked.body.lines.map((l: { externalRef: string; lineNo: number }) => [l.lineNo, l.externalRef])).toEqual(lines.map((l, i) => [i + 1, l.externalRef]));
      const entries = (
        await db.query(
          `SELECT e.id, e.kind, e.entry_date::text, e.idempotency_key, e.source_ref, count(p.id)::int AS n, sum(p.amount_oere)::int AS total
             FROM journal_entry e JOIN posting p ON p.entry_id = e.id WHERE e.id = ANY ($1::uuid[]) GROUP BY e.id`,
          [booked.body.lines.map((l: { entryId: string }) => l.entryId)],
        )
      ).rows;
      expect(entries).toHaveLength(4);
      for (const e of entries) {
        expect(e).toMatchObject({ kind: 'expense', entry_date: '2026-03-31', n: 2, total: 0 });
        expect(e.idempotency_key).toBe(`expense:${e.source_ref}`);
      }
    });

    it("debits the institution's expense account for the category and credits its payable account", async () => {
      const egeskoven = prefix('Bofællesskabet Egeskoven');
      expect(await balance(`${egeskoven}-EXP-food`)).toBe(1_234_556 - 10_000);
      expect(await balance(`${egeskoven}-EXP-personnel`)).toBe(45_000_000);
      expect(await balance(`${egeskoven}-PAY`)).toBe(-(1_234_556 - 10_000 + 45_000_000));
      expect(await balance(`${prefix('Bofællesskabet Kløvermarken')}-EXP-premises`)).toBe(2_500_050);
      const accounts = (await db.query(`SELECT number, kind, expense_category, account_function, art, owner_kind, owner_id FROM ledger_account WHERE number LIKE $1 ORDER BY number`, [`${egeskoven}%`])).rows;
      expect(accounts).toEqual([
        { number: `${egeskoven}-EXP-food`, kind: 'expense', expense_category: 'food', account_function: '5.38.50', art: '2', owner_kind: 'institution', owner_id: inst['Bofællesskabet Egeskoven'] },
        { number: `${egeskoven}-EXP-personnel`, kind: 'expense', expense_category: 'personnel', account_function: '5.38.50', art: '1', owner_kind: 'institution', owner_id: inst['Bofællesskabet Egeskoven'] },
        { number: `${egeskoven}-PAY`, kind: 'payable', expense_category: null, account_function: '5.38.50', art: '9', owner_kind: 'institution', owner_id: inst['Bofællesskabet Egeskoven'] },
      ]);
      // A bofællesskab (ABL § 105) books on its dwelling's function, not on the § 85 support it also gives.
      expect((await db.query(`SELECT account_function FROM ledger_account WHERE number = $1`, [`${prefix('Bofællesskabet Kløvermarken')}-PAY`])).rows[0].account_function).toBe('5.38.51');
    });

    it('replays the same key and lines: 200, the original batch, nothing new', async () => {
      const before = await counts();
      // The same lines with the keys in another order and the description spaced out: the same batch.
      const again = await post(
        lines.map((l) => ({ externalRef: l.externalRef, amountOere: l.amountOere, category: l.category, month: l.month, institutionId: l.institutionId, description: l.description ? ` ${l.description} ` : undefined })),
        batchKey,
      );
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(booked.body);
      expect(await counts()).toEqual(before);
    });

    it('refuses the same key with other lines (409) and writes nothing', async () => {
      const before = await counts();
      expectProblem(await post([lines[0], { ...lines[1], amountOere: -10_001 }, lines[2], lines[3]], batchKey), 409, 'idempotencyKeyReused');
      expectProblem(await post(lines.slice(0, 3), batchKey), 409, 'idempotencyKeyReused');
      expect(await counts()).toEqual(before);
    });

    it('refuses a line whose externalRef was booked in another batch (409 naming it) and writes nothing of the batch', async () => {
      const before = await counts();
      const res = await post([line(), { ...line(), externalRef: lines[2].externalRef }, line()]);
      const problem = expectProblem(res, 409, 'conflict');
      expect(problem.errors).toEqual([{ pointer: '/lines/1/externalRef', reason: expect.stringContaining(`externalRef ${lines[2].externalRef} was booked in batch ${batchKey} (line 3)`) }]);
      expect(await counts()).toEqual(before);
    });

    it('reads the lines back with their entries, by institution and month, in pages', async () => {
      const res = await request(app, 'GET', `/api/v1/ledger/expenses?institutionId=${inst['Bofællesskabet Egeskoven']}&month=2026-03&limit=2`, { token: token.finance });
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
      const next = await request(app, 'GET', `/api/v1/ledger/expenses?institutionId=${inst['Bofællesskabet Egeskoven']}&month=2026-03&limit=2&cursor=${res.body.nextCursor}`, { token: token.finance });
      const all = [...res.body.items, ...next.body.items];
      expect(next.body.nextCursor).toBeNull();
      expect(all.map((l) => l.externalRef).sort()).toEqual(lines.slice(0, 3).map((l) => l.externalRef).sort());
      for (const l of all) expect(l).toEqual(booked.body.lines.find((b: { externalRef: string }) => b.externalRef === l.externalRef));
      const batch = await request(app, 'GET', `/api/v1/ledger/expense-batches/${booked.body.id}`, { token: token.finance });
      expect(batch.status).toBe(200);
      expect(batch.body).toEqual(booked.body);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/expense-batches/${inst['Bofællesskabet Egeskoven']}`, { token: token.finance }), 404, 'notFound');
    });

    it("shows an institution manager their own institution's lines only", async () => {
      const own = inst['Bostøtten Handicap'];
      expect((await post([line({ institutionId: own, category: 'transport', amountOere: 777 })])).status).toBe(201);
      const mine = await request(app, 'GET', '/api/v1/ledger/expenses', { token: token.institutionManager });
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((l: { institutionId: string }) => l.institutionId)).toEqual([own]);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/expenses?institutionId=${inst['Bofællesskabet Egeskoven']}`, { token: token.institutionManager }), 404, 'notFound');
      expectProblem(await request(app, 'GET', `/api/v1/ledger/expense-batches/${booked.body.id}`, { token: token.institutionManager }), 403, 'forbidden');
      expectProblem(await post([line()], key(), token.institutionManager), 403, 'forbidden');
      expectProblem(await request(app, 'GET', '/api/v1/ledger/expenses', { token: token.caseworker }), 403, 'forbidden');
    });
  });

  describe('concurrent batches', () => {
    it('the same key sent twice at once books one batch: one 201, one 200 with it', async () => {
      const before = await counts();
      const batchKey = key();
      const lines = [line({ institutionId: inst['Værestedet Viborg'] }), line({ institutionId: inst['Værestedet Viborg'], category: 'activities' })];
      const [a, b] = await Promise.all([post(lines, batchKey), post(lines, batchKey)]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.id).toBe(b.body.id);
      const after = await counts();
      expect({ batches: after.batches - before.batches, entries: after.entries - before.entries }).toEqual({ batches: 1, entries: 2 });
    });

    it('one externalRef in two batches at once is booked once: the other batch is 409 and writes nothing', async () => {
      const before = await counts();
      const shared = ref();
      const mk = () => [line({ institutionId: inst['Værestedet Viborg'] }), line({ institutionId: inst['Værestedet Viborg'], externalRef: shared })];
      const results = await Promise.all([post(mk()), post(mk())]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      // The later one waited for the first and then found the reference booked.
      expect(pointersOf(expectProblem(results.find((r) => r.status === 409)!, 409, 'conflict'))).toEqual(['/lines/1/externalRef']);
      const after = await counts();
      expect({ batches: after.batches - before.batches, entries: after.entries - before.entries }).toEqual({ batches: 1, entries: 2 });
    });
  });

  describe('bad batches: nothing is written', () => {
    it('lists every bad line (422) and books none of the good ones', async () => {
      const before = await counts();
      const res = await post([
        line(),
        line({ amountOere: 12.5 }),
        line(),
        line({ category: 'flowers', month: '2026-13' }),
        { ...line(), colour: 'red' },
        line({ amountOere: 0 }),
        'not a line',
      ]);
      const problem = expectProblem(res, 422, 'ruleViolated');
      expect(pointersOf(problem)).toEqual(['/lines/1/amountOere', '/lines/3/category', '/lines/3/month', '/lines/4/colour', '/lines/5/amountOere', '/lines/6'].sort());
      expect(problem.detail).toMatch(/^5 of 7 line\(s\) in the batch are not valid; nothing was booked/);
      expect(await counts()).toEqual(before);
    });

    it('refuses an unknown institution, another municipality’s institution and a reference twice in the batch (422)', async () => {
      const before = await counts();
      const twice = ref();
      const res = await post([
        line({ institutionId: '00000000-0000-4000-8000-000000000000' }),
        line({ institutionId: inst['Botilbuddet Skovbrynet'] }),
        line({ externalRef: twice }),
        line({ externalRef: twice }),
      ]);
      expect(pointersOf(expectProblem(res, 422, 'ruleViolated'))).toEqual(['/lines/3/externalRef']);
      const res2 = await post([line({ institutionId: '00000000-0000-4000-8000-000000000000' }), line({ institutionId: inst['Botilbuddet Skovbrynet'] }), line()]);
      const problem = expectProblem(res2, 422, 'ruleViolated');
      expect(pointersOf(problem)).toEqual(['/lines/0/institutionId', '/lines/1/institutionId']);
      expect(problem.errors[1].reason).toMatch(/another municipality/);
      expect(await counts()).toEqual(before);
    });

    it('needs a batch key (400) and an array of 1 or more lines (400)', async () => {
      expectProblem(await post([line()], null), 400, 'idempotencyKeyMissing');
      expectProblem(await post([line()], 'short'), 400, 'badRequest');
      expectProblem(await post([]), 400, 'validationFailed');
      expectProblem(await request(app, 'POST', '/api/v1/ledger/expenses', { token: token.finance, body: { lines: [line()], extra: 1 }, headers: { 'idempotency-key': key() } }), 400, 'validationFailed');
    });

    it('refuses a line in a closed period (409 periodClosed) and writes nothing', async () => {
      const closedFor = inst['Botilbuddet Søndersø'];
      await db.query(`INSERT INTO ledger_period (owner_id, month, status, closed_at) VALUES ($1, '2026-02-01', 'closed', now())`, [closedFor]);
      const before = await counts();
      const res = await post([line({ institutionId: closedFor, month: '2026-03' }), line({ institutionId: closedFor, month: '2026-02' })]);
      const problem = expectProblem(res, 409, 'periodClosed');
      expect(problem.errors).toEqual([{ pointer: '/lines/1/month', reason: '/lines/1: the period 2026-02 is closed' }]);
      // The whole area's month closed refuses every institution's lines.
      const area = (await db.query('SELECT id FROM municipality WHERE is_own')).rows[0].id;
      await db.query(`INSERT INTO ledger_period (owner_id, month, status, closed_at) VALUES ($1, '2026-01-01', 'closed', now())`, [area]);
      expect(pointersOf(expectProblem(await post([line({ month: '2026-01' }), line({ month: '2026-04' })]), 409, 'periodClosed'))).toEqual(['/lines/0/month']);
      expect(await counts()).toEqual(before);
    });

    it('takes text/csv only on the import route (415 elsewhere) and JSON only on the batch route', async () => {
      expectProblem(
        await request(app, 'POST', '/api/v1/ledger/expenses', { token: token.finance, rawBody: csvOf([line()]), headers: { 'content-type': 'text/csv', 'idempotency-key': key() } }),
        415,
        'unsupportedMediaType',
      );
      expectProblem(await request(app, 'POST', '/api/v1/ledger/expenses/import', { token: token.finance, body: { lines: [line()] }, headers: { 'idempotency-key': key() } }), 415, 'unsupportedMediaType');
      expectProblem(await request(app, 'POST', '/api/v1/institutions', { token: token.admin, rawBody: 'a;b\r\n', headers: { 'content-type': 'text/csv' } }), 415, 'unsupportedMediaType');
    });
  });

  describe('CSV import', () => {
    const thousand = (month: string) =>
      Array.from({ length: 1000 }, (_, i) =>
        line({
          institutionId: i % 2 ? inst['Forsorgscenter Viborg'] : inst['Rusmiddelcenter Viborg'],
          month,
          category: ['personnel', 'food', 'premises', 'activities'][i % 4],
          amountOere: 1 + ((i * 7919) % 100_000),
          description: i % 3 ? `Bilag nr. ${i}; "citat"` : null,
        }),
      );

    it('refuses a file of 1,000 lines with one bad line (422 naming line 537) and books nothing', async () => {
      const before = await counts();
      const lines = thousand('2026-05');
      // Line 537 of the file (the header is line 1) is the 536th expense.
      const nonInteger = csvOf(lines).split('\r\n');
      nonInteger[536] = nonInteger[536].replace(/;(\d+);FIN-/, ';$1,50;FIN-');
      const res = await importCsv(nonInteger.join('\r\n'));
      const problem = expectProblem(res, 422, 'ruleViolated');
      expect(problem.errors).toEqual([{ pointer: '#row=537', reason: 'line 537: amount_oere: a whole number of øre (e.g. 123456 for 1.234,56 kr.)' }]);
      expect(problem.detail).toMatch(/^1 of 1000 line\(s\) in the file are not valid/);

      const unknownCategory = csvOf(lines).split('\r\n');
      unknownCategory[536] = unknownCategory[536].replace(/;(personnel|food|premises|activities);/, ';flowers;');
      const res2 = await importCsv(unknownCategory.join('\r\n'));
      expect(expectProblem(res2, 422, 'ruleViolated').errors).toEqual([{ pointer: '#row=537', reason: expect.stringMatching(/^line 537: category: unknown category/) }]);

      const shortLine = csvOf(lines).split('\r\n');
      shortLine[536] = shortLine[536].split(';').slice(0, 4).join(';');
      expect(expectProblem(await importCsv(shortLine.join('\r\n')), 422, 'ruleViolated').errors).toEqual([{ pointer: '#row=537', reason: expect.stringMatching(/^line 537: /) }]);
      expect(await counts()).toEqual(before);
    });

    it('refuses a bad header (422 on line 1)', async () => {
      const problem = expectProblem(await importCsv('institution;month;category;amount;external_ref\r\n'), 422, 'ruleViolated');
      expect(problem.errors).toEqual([{ pointer: '#row=1', reason: expect.stringContaining('missing column institution_id, amount_oere; unknown column institution, amount') }]);
    });

    it('books a good file of 1,000 lines as one batch; the same file again is the same batch', async () => {
      const before = await counts();
      const lines = thousand('2026-04');
      const text = '\ufeff' + csvOf(lines);
      const batchKey = key();
      const res = await importCsv(text, batchKey);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ source: 'csv', lineCount: 1000, totalOere: lines.reduce((s, l) => s + l.amountOere, 0) });
      expect(res.body.lines[3]).toMatchObject({ lineNo: 4, externalRef: lines[3].externalRef, description: lines[3].description ?? null, amountOere: lines[3].amountOere });
      const after = await counts();
      expect({ entries: after.entries - before.entries, postings: after.postings - before.postings, lines: after.lines - before.lines }).toEqual({ entries: 1000, postings: 2000, lines: 1000 });
      const forsorg = prefix('Forsorgscenter Viborg');
      const food = lines.filter((l) => l.institutionId === inst['Forsorgscenter Viborg'] && l.category === 'food').reduce((s, l) => s + l.amountOere, 0);
      expect(await balance(`${forsorg}-EXP-food`)).toBe(food);
      // The same file with the same key: the original batch. The same lines as JSON under that key too.
      const again = await importCsv(text, batchKey);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(res.body.id);
      expect((await post(lines, batchKey)).status).toBe(200);
      expect(await count('journal_entry')).toBe(after.entries);
    });
  });

  describe('an API key of the finance system', () => {
    it('books with the scope ledger:write and is refused without it', async () => {
      const make = async (scopes: string[]) =>
        (await request(app, 'POST', '/api/v1/api-keys', { token: token.admin, body: { name: `ERP ${scopes.join(',') || 'none'}`, role: 'finance', scopes, orgUnitId: authorityId } })).body.key as string;
      const writer = await make(['ledger:write']);
      const reader = await make(['ledger:read']);
      const other = { institutionId: inst['Aktivitetscentret Viborg'] };
      expect((await post([line(other)], key(), writer)).status).toBe(201);
      expectProblem(await post([line(other)], key(), reader), 403, 'forbidden');
      expect((await request(app, 'GET', '/api/v1/ledger/exports/trial-balance?period=2026-03', { token: reader })).status).toBe(200);
    });
  });

  describe('exports for the ERP', () => {
    const period = '2026-03';
    interface PostingRow {
      postingId: string;
      entryId: string;
      amountOere: number;
      amountKroner: string;
      accountNumber: string;
      accountFunction: string;
      art: string;
      ownerKind: string;
      ownerId: string;
      ownerName: string;
      entryKind: string;
      entryDate: string;
    }

    it('exports the postings of a month as JSON: every posting, summing to zero, with function, art and owner', async () => {
      const res = await request(app, 'GET', `/api/v1/ledger/exports/postings?period=${period}`, { token: token.finance });
      expect(res.status).toBe(200);
      const expected = (await db.query(`SELECT p.id::text, p.amount_oere::bigint AS amount FROM posting p WHERE p.period = '2026-03-01' ORDER BY p.id`)).rows;
      expect(res.body.count).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
      expect(res.body.totalOere).toBe(0);
      expect(res.body.items.map((i: PostingRow) => i.postingId).sort()).toEqual(expected.map((r) => r.id).sort());
      expect(res.body.items.reduce((s: number, i: PostingRow) => s + i.amountOere, 0)).toBe(0);
      const food = res.body.items.find((i: PostingRow) => i.amountOere === 1_234_556);
      expect(food).toMatchObject({
        entryKind: 'expense',
        entryDate: '2026-03-31',
        accountNumber: `${prefix('Bofællesskabet Egeskoven')}-EXP-food`,
        accountFunction: '5.38.50',
        art: '2',
        ownerKind: 'institution',
        ownerId: inst['Bofællesskabet Egeskoven'],
        ownerName: 'Bofællesskabet Egeskoven',
        amountKroner: '12345,56',
      });
      expect(res.body.items.find((i: PostingRow) => i.amountOere === -1_234_556).amountKroner).toBe('-12345,56');
    });

    it('exports the same postings as CSV (; and decimal comma) that parse back to the JSON', async () => {
      const formula = '=HYPERLINK("http://evil.example")';
      expect((await post([line({ institutionId: inst['Aktivitetscentret Viborg'], amountOere: 4242, description: formula })])).status).toBe(201);
      const json = await request(app, 'GET', `/api/v1/ledger/exports/postings?period=${period}`, { token: token.finance });
      const res = await request(app, 'GET', `/api/v1/ledger/exports/postings?period=${period}&format=csv`, { token: token.finance });
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^text\/csv/);
      expect(res.text.startsWith('\ufeffposting_id;entry_id;entry_date;')).toBe(true);
      const rows = parse(res.text, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(json.body.count);
      rows.forEach((r, i) => {
        const j = json.body.items[i] as PostingRow;
        expect(r).toMatchObject({ posting_id: j.postingId, entry_id: j.entryId, account_number: j.accountNumber, account_function: j.accountFunction, art: j.art, owner_name: j.ownerName, amount_oere: String(j.amountOere), amount_kroner: j.amountKroner });
      });
      expect(rows.reduce((s, r) => s + Number(r.amount_oere), 0)).toBe(0);
      expect(rows.reduce((s, r) => s + Math.round(Number(r.amount_kroner.replace(',', '.')) * 100), 0)).toBe(0);
      // A description from a finance system that starts like a formula is escaped; a negative amount is not.
      expect(rows.filter((r) => ['4242', '-4242'].includes(r.amount_oere)).map((r) => r.description)).toEqual([`'${formula}`, `'${formula}`]);
      expect(rows.filter((r) => r.amount_oere === '-4242').map((r) => r.amount_kroner)).toEqual(['-42,42']);
    });

    it('exports the trial balance: opening, debit, credit, closing per account; Σ closing = 0, debit = credit', async () => {
      const res = await request(app, 'GET', `/api/v1/ledger/exports/trial-balance?period=${period}`, { token: token.finance });
      expect(res.status).toBe(200);
      expect(res.body.totals.openingOere).toBe(0);
      expect(res.body.totals.closingOere).toBe(0);
      expect(res.body.totals.debitOere).toBe(res.body.totals.creditOere);
      expect(res.body.totals.debitOere).toBeGreaterThan(0);
      const food = res.body.items.find((i: { accountNumber: string }) => i.accountNumber === `${prefix('Bofællesskabet Egeskoven')}-EXP-food`);
      expect(food).toMatchObject({ accountKind: 'expense', accountFunction: '5.38.50', art: '2', openingOere: 0, debitOere: 1_234_556, creditOere: 10_000, closingOere: 1_224_556 });
      for (const i of res.body.items) {
        expect(i.closingOere).toBe(i.openingOere + i.debitOere - i.creditOere);
        expect(i.closingOere).toBe(Number((await db.query(`SELECT COALESCE(sum(amount_oere), 0) AS s FROM posting WHERE account_id = $1 AND entry_date <= '2026-03-31'`, [i.accountId])).rows[0].s));
      }
      // April: March's closing is April's opening; the 1,000 CSV lines are April's movements.
      const april = await request(app, 'GET', '/api/v1/ledger/exports/trial-balance?period=2026-04', { token: token.finance });
      const aprilFood = april.body.items.find((i: { accountNumber: string }) => i.accountNumber === food.accountNumber);
      expect(aprilFood).toMatchObject({ openingOere: 1_224_556, debitOere: 0, creditOere: 0, closingOere: 1_224_556 });
      expect(april.body.totals).toMatchObject({ openingOere: 0, closingOere: 0 });

      const csv = await request(app, 'GET', `/api/v1/ledger/exports/trial-balance?period=${period}&format=csv`, { token: token.finance });
      const rows = parse(csv.text, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.account_number)).toEqual(res.body.items.map((i: { accountNumber: string }) => i.accountNumber));
      expect(rows.reduce((s, r) => s + Number(r.closing_oere), 0)).toBe(0);
      expect(rows.find((r) => r.account_number === food.accountNumber)).toMatchObject({ debit_kroner: '12345,56', credit_kroner: '100,00', closing_kroner: '12245,56' });
    });

    it("filters by owner; an institution manager exports their own institution's accounts only", async () => {
      const egeskoven = inst['Bofællesskabet Egeskoven'];
      const res = await request(app, 'GET', `/api/v1/ledger/exports/postings?period=${period}&ownerId=${egeskoven}`, { token: token.finance });
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(new Set(res.body.items.map((i: PostingRow) => i.ownerId))).toEqual(new Set([egeskoven]));
      // Expenses are booked within the institution's own accounts, so its share nets to zero as well.
      expect(res.body.totalOere).toBe(0);

      const own = inst['Bostøtten Handicap'];
      const mine = await request(app, 'GET', `/api/v1/ledger/exports/trial-balance?period=${period}`, { token: token.institutionManager });
      expect(mine.status).toBe(200);
      expect(mine.body.ownerId).toBe(own);
      expect(new Set(mine.body.items.map((i: { ownerId: string }) => i.ownerId))).toEqual(new Set([own]));
      expectProblem(await request(app, 'GET', `/api/v1/ledger/exports/postings?period=${period}&ownerId=${egeskoven}`, { token: token.institutionManager }), 404, 'notFound');
      expectProblem(await request(app, 'GET', `/api/v1/ledger/exports/postings?period=${period}`, { token: token.caseworker }), 403, 'forbidden');
      expectProblem(await request(app, 'GET', '/api/v1/ledger/exports/postings?period=2026-3', { token: token.finance }), 400, 'validationFailed');
    });
  });
});
