import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { danishDate } from 'src/platform/clock/danish-date';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

/**
 * Issue 7, "Done means": finance, through the API alone, sets up an institution's budget, books the month's
 * income and expenses, sees the institution's result and trial balance, closes the month and exports it.
 */
describe("finance's month for an institution, through the API alone", () => {
  let app: NestFastifyApplication;
  let db: Client;
  let finance: string;
  let manager: string;
  const today = danishDate(new Date());
  const month = today.slice(0, 7);
  const year = Number(today.slice(0, 4));

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    finance = await login(app, 'finance', DEMO_PASSWORD);
    manager = await login(app, 'institutionManager', DEMO_PASSWORD); // Lars Tilbudsleder, Bostøtten Handicap
    db = await ownerClient();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const call = async (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}, token = finance) => {
    const res = await request(app, method, url, { token, body, headers });
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${res.text}`);
    return res;
  };

  it('budget → income and expenses → result and trial balance → month closed → export', async () => {
    await call('POST', '/api/v1/ledger/accounts/standard');
    const institutions = (await call('GET', '/api/v1/institutions?q=Bost%C3%B8tten%20Handicap')).body.items as { id: string; name: string }[];
    const bostotten = institutions.find((i) => i.name === 'Bostøtten Handicap')!.id;
    const authority = (await call('GET', '/api/v1/authority')).body.id as string;

    // 1. The budget: 10 000 hours of bostøtte at the general SEL-85 rate of 560,00 kr = 5 600 000,00 kr income,
    //    5 000 000,00 kr personnel + 600 000,00 kr premises = 5 600 000,00 kr expenses: nets to zero.
    const budget = await call(
      'POST',
      '/api/v1/ledger/budgets',
      {
        institutionId: bostotten,
        year,
        toleranceOere: 0,
        lines: [
          { kind: 'serviceIncome', standardCode: 'SEL-85', plannedUnits: 10000 },
          { kind: 'expense', expenseCategory: 'personnel', amountOere: 500_000_000 },
          { kind: 'expense', expenseCategory: 'premises', amountOere: 60_000_000 },
        ],
      },
      { 'idempotency-key': 'budget-bostotten' },
    );
    expect(budget.body).toMatchObject({ status: 'draft' });
    const approved = await call('POST', `/api/v1/ledger/budgets/${budget.body.id}/approve`, undefined, { 'if-match': `"${budget.body.version}"` });
    expect(approved.body.status).toBe('approved');

    // 2. The month's income: the authority buys 460 000,00 kr of bostøtte from the institution (internal).
    const accounts = async (ownerId: string, kind: string) => (await call('GET', `/api/v1/ledger/accounts?ownerId=${ownerId}&kind=${kind}`)).body.items as { id: string; accountFunction: string }[];
    const sale = (await accounts(bostotten, 'internalSale'))[0];
    const purchase = (await accounts(authority, 'internalPurchase')).find((a) => a.accountFunction === sale.accountFunction)!;
    expect(purchase).toBeDefined();
    const entry = await call(
      'POST',
      '/api/v1/ledger/entries',
      {
        entryDate: `${month}-01`,
        kind: 'manual',
        description: `Intern afregning bostøtte ${month}`,
        sourceRef: `manual-${month}`,
        postings: [
          { accountId: purchase.id, amountOere: 46_000_000 },
          { accountId: sale.id, amountOere: -46_000_000 },
        ],
      },
      { 'idempotency-key': `sale-${month}` },
    );
    expect(entry.status).toBe(201);

    // 3. The month's expenses from the finance system, as a CSV file: 400 000,00 kr personnel, 50 000,00 kr premises.
    const csv = ['institution_id;month;category;amount_oere;external_ref;description', `${bostotten};${month};personnel;40000000;LON-${month};Løn`, `${bostotten};${month};premises;5000000;HUS-${month};Husleje`].join('\r\n');
    const imported = await request(app, 'POST', '/api/v1/ledger/expenses/import', {
      token: finance,
      rawBody: csv,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'idempotency-key': `expenses-${month}` },
    });
    expect(imported.status).toBe(201);

    // 4. The institution's trial balance and result for the month: income 460 000,00 − expenses 450 000,00 = 10 000,00 kr.
    const trial = (await call('GET', `/api/v1/ledger/trial-balance?period=${month}&ownerId=${bostotten}`)).body as {
      lines: { kind: string; expenseCategory?: string; closingOere: number; debitOere: number; creditOere: number }[];
    };
    const closing = (kind: string) => trial.lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.closingOere, 0);
    expect(closing('internalSale')).toBe(-46_000_000);
    expect(closing('expense')).toBe(45_000_000);
    expect(closing('payable')).toBe(-45_000_000);
    const result = -closing('internalSale') - closing('externalSale') - closing('expense');
    expect(result).toBe(1_000_000);
    // The institution's manager reads the same; the whole ledger nets to zero.
    expect((await call('GET', `/api/v1/ledger/trial-balance?period=${month}&ownerId=${bostotten}`, undefined, {}, manager)).body.lines).toHaveLength(trial.lines.length);
    expect((await call('GET', `/api/v1/ledger/trial-balance?period=${month}`)).body.totals.closingOere).toBe(0);

    // 5. Finance closes the institution's month: no more postings into it (409 periodClosed).
    await call('POST', `/api/v1/ledger/periods/${bostotten}/${month}/close`);
    const late = await request(app, 'POST', '/api/v1/ledger/entries', {
      token: finance,
      headers: { 'idempotency-key': `late-${month}` },
      body: { entryDate: `${month}-02`, kind: 'manual', description: 'For sent', postings: [{ accountId: purchase.id, amountOere: 100 }, { accountId: sale.id, amountOere: -100 }] },
    });
    expectProblem(late, 409, 'periodClosed');

    // 6. The export for the ERP: the institution's postings of the month, the same amounts as the trial balance.
    const exported = await app.inject({ method: 'GET', url: `/api/v1/ledger/exports/postings?period=${month}&ownerId=${bostotten}&format=csv`, headers: { authorization: `Bearer ${finance}` } });
    expect(exported.statusCode).toBe(200);
    expect(String(exported.headers['content-type'])).toMatch(/^text\/csv/);
    const rows = parse(exported.rawPayload.toString('utf8').replace(/^\uFEFF/, ''), { delimiter: ';', columns: true }) as Record<string, string>[];
    const oereColumn = Object.keys(rows[0]).find((k) => /oere|øre/i.test(k))!;
    expect(rows).toHaveLength(5); // the sale, two expenses, two payables
    expect(rows.reduce((s, r) => s + Number(r[oereColumn]), 0)).toBe(closing('internalSale') + closing('expense') + closing('payable'));
    expect((await db.query('SELECT count(*)::int AS n FROM journal_entry')).rows[0].n).toBe(3);
  });
});
