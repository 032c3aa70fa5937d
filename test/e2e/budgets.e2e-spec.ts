import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { danishDate } from 'src/platform/clock/danish-date';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem, pointersOf } from 'test/support/problem';

type Role = 'finance' | 'institutionManager' | 'admin';
const ROLES: Role[] = ['finance', 'institutionManager', 'admin'];

describe('institution budgets', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role, string>;
  const institution = {} as Record<string, string>;
  const municipality = {} as Record<string, string>;
  const year = Number(danishDate(new Date()).slice(0, 4));
  const BUDGETS = '/api/v1/ledger/budgets';

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of ROLES) token[role] = await login(app, role, DEMO_PASSWORD);
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as {
      id: string;
      name: string;
    }[])
      institution[r.name] = r.id;
    for (const r of (await db.query(`SELECT id, name FROM municipality`)).rows as {
      id: string;
      name: string;
    }[])
      municipality[r.name] = r.id;
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const as = (role: Role) => ({ token: token[role] });
  const create = (
    body: Record<string, unknown>,
    role: Role = 'finance',
    headers: Record<string, string> = {},
  ) => request(app, 'POST', BUDGETS, { ...as(role), body, headers });
  const patch = (id: string, version: number, body: Record<string, unknown>, role: Role = 'finance') =>
    request(app, 'PATCH', `${BUDGETS}/${id}`, { ...as(role), body, headers: { 'if-match': `"${version}"` } });
  const approve = (id: string, version: number, role: Role = 'finance') =>
    request(app, 'POST', `${BUDGETS}/${id}/approve`, {
      ...as(role),
      headers: { 'if-match': `"${version}"` },
    });
  const get = (id: string, role: Role = 'finance') => request(app, 'GET', `${BUDGETS}/${id}`, as(role));

  // Bofællesskabet Egeskoven: SEL-108 at 2 680,00 kr (268 000 øre) per place-day in the catalogue seed.
  const egeskoven = () => ({
    institutionId: institution['Bofællesskabet Egeskoven'],
    year: year + 1,
    toleranceOere: 1_000_000, // 10 000 kr
    note: 'Budget med 97 % belægning',
    lines: [
      {
        kind: 'serviceIncome',
        standardCode: 'SEL-108',
        plannedUnits: 8497.25,
        description: '24 pladser × 365 dage × ca. 97 %',
      },
      { kind: 'externalSale', municipalityId: municipality['Silkeborg Kommune'], amountOere: 150_000_000 },
      { kind: 'expense', expenseCategory: 'personnel', amountOere: 1_900_000_000 },
      { kind: 'expense', expenseCategory: 'premises', amountOere: 300_000_000 },
      { kind: 'expense', expenseCategory: 'food', amountOere: 120_000_000 },
      { kind: 'expense', expenseCategory: 'administration', amountOere: 100_000_000 },
    ],
  });

  it('drafts, refuses approval off zero (422), balances by PATCH, approves; then the budget is fixed (409 and the trigger)', async () => {
    const created = await create(egeskoven());
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const b = created.body;
    expect(b).toMatchObject({
      status: 'draft',
      versionNo: 1,
      year: year + 1,
      toleranceOere: 1_000_000,
      approvedAt: null,
    });
    expect(b.lines[0]).toMatchObject({
      lineNo: 1,
      kind: 'serviceIncome',
      standardCode: 'SEL-108',
      plannedUnits: 8497.25,
      rateOere: 268_000,
    });
    expect(b.lines[0].rateId).toEqual(expect.any(String));
    expect(b.lines[0].amountOere).toBe(2_277_263_000); // 8 497,25 × 268 000 øre
    expect(b.totals).toEqual({
      serviceIncomeOere: 2_277_263_000,
      externalSalesOere: 150_000_000,
      incomeOere: 2_427_263_000, // 2 277 263 000 + 150 000 000
      expensesOere: 2_420_000_000, // 1 900 000 000 + 300 000 000 + 120 000 000 + 100 000 000
      resultOere: 7_263_000, // 2 427 263 000 − 2 420 000 000
      netsToZero: false, // 7 263 000 > 1 000 000
    });

    const refused = expectProblem(await approve(b.id, 1), 422, 'ruleViolated');
    expect(refused.detail).toContain('7263000 øre');
    expect(refused.detail).toContain('6263000 øre beyond the tolerance'); // 7 263 000 − 1 000 000
    expect((await get(b.id)).body).toMatchObject({ status: 'draft', version: 1 });

    // 70 000 kr more for activities: result 7 263 000 − 7 000 000 = 263 000 ≤ 1 000 000.
    const lines = [
      ...egeskoven().lines,
      { kind: 'expense', expenseCategory: 'activities', amountOere: 7_000_000 },
    ];
    const patched = await patch(b.id, 1, { lines });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.body.totals).toMatchObject({
      expensesOere: 2_427_000_000,
      resultOere: 263_000,
      netsToZero: true,
    });
    expectProblem(await patch(b.id, 1, { note: 'forældet' }), 409, 'versionMismatch');
    expectProblem(await approve(b.id, 1), 409, 'versionMismatch');

    const approved = await approve(b.id, 2);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 3, approvedBy: expect.any(String) });
    expect(approved.body.approvedAt).toEqual(expect.any(String));

    expectProblem(await patch(b.id, 3, { note: 'Ændret' }), 409, 'conflict');
    expectProblem(await approve(b.id, 3), 409, 'conflict');
    for (const sql of [
      `UPDATE budget SET tolerance_oere = 0 WHERE id = $1`,
      `UPDATE budget_line SET amount_oere = 0 WHERE budget_id = $1`,
      `DELETE FROM budget_line WHERE budget_id = $1`,
    ]) {
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE bum_app');
        await expect(db.query(sql, [b.id])).rejects.toThrow(/never edited/);
      } finally {
        await db.query('ROLLBACK');
      }
    }
    expect((await get(b.id)).body).toMatchObject({
      status: 'approved',
      toleranceOere: 1_000_000,
      totals: { resultOere: 263_000 },
    });
  });

  it('a new version copies the approved budget; approving it supersedes the old one; one draft at a time', async () => {
    const [current] = (
      await request(
        app,
        'GET',
        `${BUDGETS}?institutionId=${institution['Bofællesskabet Egeskoven']}&year=${year + 1}&status=approved`,
        as('finance'),
      )
    ).body.items;
    const copy = await request(app, 'POST', `${BUDGETS}/${current.id}/new-version`, as('finance'));
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({
      status: 'draft',
      versionNo: 2,
      version: 1,
      toleranceOere: current.toleranceOere,
      note: current.note,
    });
    expect(copy.body.lines).toEqual(current.lines);
    expect(copy.body.totals).toEqual(current.totals);
    expectProblem(
      await request(app, 'POST', `${BUDGETS}/${current.id}/new-version`, as('finance')),
      409,
      'conflict',
    );
    expectProblem(await create(egeskoven()), 409, 'conflict');
    expectProblem(
      await request(app, 'POST', `${BUDGETS}/${copy.body.id}/new-version`, as('finance')),
      409,
      'conflict',
    );

    // Fewer planned days (8 400 × 268 000 = 2 251 200 000): income 2 401 200 000; expenses cut to match within 1 000 000.
    const lines = [
      { kind: 'serviceIncome', standardCode: 'SEL-108', plannedUnits: 8400 },
      { kind: 'externalSale', municipalityId: municipality['Silkeborg Kommune'], amountOere: 150_000_000 },
      { kind: 'expense', expenseCategory: 'personnel', amountOere: 1_881_000_000 },
      { kind: 'expense', expenseCategory: 'premises', amountOere: 300_000_000 },
      { kind: 'expense', expenseCategory: 'food', amountOere: 120_000_000 },
      { kind: 'expense', expenseCategory: 'administration', amountOere: 100_000_000 },
    ];
    const changed = await patch(copy.body.id, 1, { lines, toleranceOere: 500_000, note: null });
    expect(changed.status).toBe(200);
    // 2 401 200 000 − (1 881 000 000 + 300 000 000 + 120 000 000 + 100 000 000 = 2 401 000 000) = 200 000 ≤ 500 000
    expect(changed.body).toMatchObject({
      note: null,
      toleranceOere: 500_000,
      totals: {
        incomeOere: 2_401_200_000,
        expensesOere: 2_401_000_000,
        resultOere: 200_000,
        netsToZero: true,
      },
    });
    const approved = await approve(copy.body.id, 2);
    expect(approved.status).toBe(200);
    expect((await get(current.id)).body).toMatchObject({
      status: 'superseded',
      approvedAt: current.approvedAt,
      totals: current.totals,
    });
    const list = await request(
      app,
      'GET',
      `${BUDGETS}?institutionId=${institution['Bofællesskabet Egeskoven']}&year=${year + 1}`,
      as('finance'),
    );
    expect(
      list.body.items.map((i: { versionNo: number; status: string }) => [i.versionNo, i.status]),
    ).toEqual([
      [2, 'approved'],
      [1, 'superseded'],
    ]);
    const [{ n }] = (
      await db.query(
        `SELECT count(*)::int AS n FROM budget WHERE institution_id = $1 AND year = $2 AND status = 'approved'`,
        [institution['Bofællesskabet Egeskoven'], year + 1],
      )
    ).rows;
    expect(n).toBe(1);
  });

  it('names the line a rule refuses (422) and the malformed line (400); nothing is stored', async () => {
    const body = {
      institutionId: institution['Bofællesskabet Egeskoven'],
      year: year + 2,
      toleranceOere: 0,
      lines: [
        { kind: 'expense', expenseCategory: 'personnel', amountOere: 1 },
        { kind: 'serviceIncome', standardCode: 'SEL-85', plannedUnits: 100 }, // bostøtte: Egeskoven (longTermHousing) cannot deliver it
        { kind: 'externalSale', municipalityId: municipality['Viborg Kommune'], amountOere: 1 }, // the own municipality
        { kind: 'serviceIncome', standardCode: 'SEL-999', plannedUnits: 1 }, // no such standard
      ],
    };
    const refused = expectProblem(await create(body), 422, 'ruleViolated');
    expect(pointersOf(refused)).toEqual([
      '/lines/1/standardCode',
      '/lines/2/municipalityId',
      '/lines/3/standardCode',
    ]);
    expect(refused.errors.find((e) => e.pointer === '/lines/1/standardCode')!.reason).toMatch(
      /cannot deliver SEL-85/,
    );

    const malformed = expectProblem(
      await create({
        ...body,
        lines: [
          { kind: 'serviceIncome', standardCode: 'SEL-108', amountOere: 5 },
          { kind: 'expense', amountOere: 5 },
        ],
      }),
      400,
    );
    expect(pointersOf(malformed)).toEqual([
      '/lines/0/amountOere',
      '/lines/0/plannedUnits',
      '/lines/1/expenseCategory',
    ]);
    expectProblem(
      await create({ ...body, lines: [{ kind: 'expense', expenseCategory: 'food', amountOere: 1.5 }] }),
      400,
    );
    expectProblem(
      await create({ ...body, institutionId: institution['Forsorgshjemmet Silkeborg'], lines: [] }),
      422,
    ); // another municipality's
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM budget WHERE year = $1`, [year + 2]))
      .rows;
    expect(n).toBe(0);
  });

  it('concurrent drafts and approvals: one wins, the other is 409; lists page by cursor', async () => {
    const body = {
      institutionId: institution['Botilbuddet Søndersø'],
      year: year + 1,
      toleranceOere: 0,
      lines: [],
    };
    const drafts = await Promise.all([create(body), create(body), create(body)]);
    expect(drafts.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const draft = drafts.find((r) => r.status === 201)!.body;
    const approvals = await Promise.all([approve(draft.id, 1), approve(draft.id, 1)]);
    expect(approvals.map((r) => r.status).sort()).toEqual([200, 409]);

    const copies = await Promise.all(
      [1, 2].map(() => request(app, 'POST', `${BUDGETS}/${draft.id}/new-version`, as('finance'))),
    );
    expect(copies.map((r) => r.status).sort()).toEqual([201, 409]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await request(
        app,
        'GET',
        `${BUDGETS}?institutionId=${body.institutionId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        as('finance'),
      );
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([copies.find((r) => r.status === 201)!.body.id, draft.id]); // version 2, then 1
  });

  it('creates once per Idempotency-Key', async () => {
    const body = {
      institutionId: institution['Botilbuddet Hald Ege'],
      year: year + 1,
      toleranceOere: 0,
      lines: [],
    };
    const first = await create(body, 'finance', { 'idempotency-key': 'budget-e2e-0001' });
    const again = await create(body, 'finance', { 'idempotency-key': 'budget-e2e-0001' });
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expectProblem(
      await create({ ...body, toleranceOere: 1 }, 'finance', { 'idempotency-key': 'budget-e2e-0001' }),
      409,
    );
  });

  it('institution managers read their own budgets only; other roles none', async () => {
    // Bostøtten Handicap: SEL-85 at the general rate 560,00 kr an hour; 5 000 hours = 280 000 000 øre.
    const own = await create({
      institutionId: institution['Bostøtten Handicap'],
      year: year + 1,
      toleranceOere: 0,
      lines: [
        { kind: 'serviceIncome', standardCode: 'SEL-85', plannedUnits: 5000 },
        { kind: 'expense', expenseCategory: 'personnel', amountOere: 280_000_000 },
      ],
    });
    expect(own.status).toBe(201);
    expect(own.body.totals).toMatchObject({ incomeOere: 280_000_000, resultOere: 0, netsToZero: true });
    const [other] = (
      await request(
        app,
        'GET',
        `${BUDGETS}?institutionId=${institution['Bofællesskabet Egeskoven']}`,
        as('finance'),
      )
    ).body.items;

    expect((await get(own.body.id, 'institutionManager')).status).toBe(200);
    expectProblem(await get(other.id, 'institutionManager'), 404);
    expectProblem(
      await request(
        app,
        'GET',
        `${BUDGETS}?institutionId=${institution['Bofællesskabet Egeskoven']}`,
        as('institutionManager'),
      ),
      404,
    );
    const mine = await request(app, 'GET', BUDGETS, as('institutionManager'));
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([own.body.id]);
    expectProblem(
      await request(
        app,
        'GET',
        `${BUDGETS}/year-end?institutionId=${institution['Bofællesskabet Egeskoven']}&year=${year}`,
        as('institutionManager'),
      ),
      404,
    );
    expect(
      (
        await request(
          app,
          'GET',
          `${BUDGETS}/year-end?institutionId=${institution['Bostøtten Handicap']}&year=${year}`,
          as('institutionManager'),
        )
      ).status,
    ).toBe(200);

    expectProblem(await patch(own.body.id, 1, { note: 'Min' }, 'institutionManager'), 403);
    expectProblem(await approve(own.body.id, 1, 'institutionManager'), 403);
    expectProblem(
      await create(
        { institutionId: institution['Bostøtten Handicap'], year: year + 3, toleranceOere: 0, lines: [] },
        'institutionManager',
      ),
      403,
    );
    expectProblem(await get(own.body.id, 'admin'), 403);
    expectProblem(await request(app, 'GET', BUDGETS, as('admin')), 403);
    expect((await get(own.body.id)).body.version).toBe(1);
  });

  describe('year-end result from the ledger', () => {
    const eg = () => institution['Bofællesskabet Egeskoven'];
    const account = {} as Record<string, string>;
    let serial = 0;
    let ratesBefore = 0;
    /** One balanced entry written as the owner (the journal API is built elsewhere): postings in one statement. */
    const post = async (entryDate: string, postings: [string, number][], kind = 'manual') => {
      await db.query('BEGIN');
      try {
        const key = `budget-e2e-${serial++}`;
        const {
          rows: [{ id }],
        } = await db.query(
          `INSERT INTO journal_entry (entry_date, period, kind, description, idempotency_key, request_hash)
           VALUES ($1, date_trunc('month', $1::date)::date, $2, 'test', $3, $3) RETURNING id`,
          [entryDate, kind, key],
        );
        await db.query(
          `INSERT INTO posting (entry_id, account_id, amount_oere, entry_date, period)
           SELECT $1, a, x, $4::date, date_trunc('month', $4::date)::date FROM unnest($2::uuid[], $3::bigint[]) AS t(a, x)`,
          [id, postings.map((p) => account[p[0]]), postings.map((p) => p[1]), entryDate],
        );
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK');
        throw err;
      }
    };
    const yearEnd = async () => {
      const res = await request(
        app,
        'GET',
        `${BUDGETS}/year-end?institutionId=${eg()}&year=${year}`,
        as('finance'),
      );
      expect(res.status).toBe(200);
      return res.body;
    };

    beforeAll(async () => {
      ratesBefore = (await db.query(`SELECT count(*)::int AS n FROM rate`)).rows[0].n;
      const [{ id: authority }] = (await db.query(`SELECT id FROM org_unit WHERE kind = 'authority'`)).rows;
      const accounts: [string, string, string, string, string | null, string][] = [
        ['sale', 'institution', eg(), 'internalSale', null, '9.71'],
        ['extSale', 'institution', eg(), 'externalSale', null, '7.7'],
        ['personnel', 'institution', eg(), 'expense', 'personnel', '1'],
        ['result', 'institution', eg(), 'result', null, '9'],
        ['purchase', 'authority', authority, 'internalPurchase', null, '9.76'],
        ['payable', 'authority', authority, 'payable', null, '9'],
        ['receivable', 'municipality', municipality['Silkeborg Kommune'], 'receivable', null, '7.7'],
      ];
      for (const [name, ownerKind, ownerId, kind, category, art] of accounts) {
        const { rows } = await db.query(
          `INSERT INTO ledger_account (number, name, owner_kind, owner_id, kind, expense_category, account_function, art, version)
           VALUES ($1, $1, $2, $3, $4, $5, '5.38.52', $6, 1) RETURNING id`,
          [`BUDGET-E2E-${name}`, ownerKind, ownerId, kind, category, art],
        );
        account[name] = rows[0].id;
      }
      // The approved budget of the year: two SEL-108 lines, 8 000 and 497,25 place-days at 268 000 øre.
      const created = await create({
        institutionId: eg(),
        year,
        toleranceOere: 0,
        lines: [
          { kind: 'serviceIncome', standardCode: 'SEL-108', plannedUnits: 8000 }, // 2 144 000 000
          { kind: 'serviceIncome', standardCode: 'SEL-108', plannedUnits: 497.25 }, // 133 263 000
          { kind: 'expense', expenseCategory: 'personnel', amountOere: 2_277_263_000 }, // their sum
        ],
      });
      expect(created.status).toBe(201);
      expect((await approve(created.body.id, 1)).status).toBe(200);
    });

    it('a surplus under 5 % of the cost base is set aside whole; nothing carried', async () => {
      await post(`${year}-03-15`, [
        ['purchase', 1_950_000_000],
        ['sale', -1_950_000_000],
      ]); // internal sales 19,5 mio. kr
      await post(`${year}-04-30`, [
        ['receivable', 100_000_000],
        ['extSale', -100_000_000],
      ]); // sales to Silkeborg 1 mio. kr
      await post(`${year}-06-30`, [
        ['personnel', 2_000_000_000],
        ['payable', -2_000_000_000],
      ]); // costs 20 mio. kr
      await post(`${year - 1}-12-31`, [
        ['purchase', 999_000],
        ['sale', -999_000],
      ]); // the year before: not counted
      await post(
        `${year}-12-31`,
        [
          ['sale', 1_950_000_000],
          ['result', -1_950_000_000],
        ],
        'yearEnd',
      ); // closing: not counted
      const r = await yearEnd();
      expect(r).toMatchObject({
        institutionId: eg(),
        year,
        provisional: true,
        internalSalesOere: 1_950_000_000,
        externalSalesOere: 100_000_000,
        incomeOere: 2_050_000_000,
        expensesOere: 2_000_000_000,
        resultOere: 50_000_000, // 2 050 000 000 − 2 000 000 000
        costBaseOere: 2_000_000_000,
        setAsideCapOere: 100_000_000, // 5 % of 2 000 000 000
        setAsideOere: 50_000_000, // min(50 000 000, 100 000 000)
        useBy: year + 5,
        carriedOere: 0,
        carriedToYear: year + 2,
        budgetVersionNo: 1,
        unplacedOere: 0,
      });
      expect(r.rateProposal.map((p: { proposedRateOere: number }) => p.proposedRateOere)).toEqual([
        268_000, 268_000,
      ]);
    });

    it('a surplus over 5 %: the cap set aside, the rest lowers the t+2 rates; a deficit raises them', async () => {
      await post(`${year}-09-30`, [
        ['purchase', 80_000_000],
        ['sale', -80_000_000],
      ]);
      const r = await yearEnd();
      // income 2 050 000 000 + 80 000 000 = 2 130 000 000; result 130 000 000; set aside 100 000 000; carried 30 000 000
      expect(r).toMatchObject({
        incomeOere: 2_130_000_000,
        resultOere: 130_000_000,
        setAsideOere: 100_000_000,
        carriedOere: 30_000_000,
      });
      // 30 000 000 split 2 144 000 000 : 133 263 000 (of 2 277 263 000): exact 28 244 432.02 / 1 755 567.98;
      // floors 28 244 432 + 1 755 567 = 29 999 999, the odd øre to the larger remainder (line 2).
      // Per unit: 28 244 432 / 8 000 = 3 530.55 and 1 755 568 / 497.25 = 3 530.55 → 3 531 øre off 268 000.
      expect(r.rateProposal).toEqual([
        {
          lineNo: 1,
          standardCode: 'SEL-108',
          plannedUnits: 8000,
          rateOere: 268_000,
          rateId: expect.any(String),
          carriedShareOere: 28_244_432,
          adjustmentPerUnitOere: -3_531,
          proposedRateOere: 264_469,
        },
        {
          lineNo: 2,
          standardCode: 'SEL-108',
          plannedUnits: 497.25,
          rateOere: 268_000,
          rateId: expect.any(String),
          carriedShareOere: 1_755_568,
          adjustmentPerUnitOere: -3_531,
          proposedRateOere: 264_469,
        },
      ]);

      await post(`${year}-10-31`, [
        ['personnel', 200_000_000],
        ['payable', -200_000_000],
      ]);
      const deficit = await yearEnd();
      // expenses 2 200 000 000; result 2 130 000 000 − 2 200 000 000 = −70 000 000: nothing set aside, all carried.
      // |−70 000 000| split: floors 65 903 674 + 4 096 325, the odd øre to line 1 (remainder 1 635 738 000 > 641 525 000);
      // per unit 65 903 675 / 8 000 = 8 237.96 and 4 096 325 / 497.25 = 8 237.96 → +8 238 øre.
      expect(deficit).toMatchObject({
        resultOere: -70_000_000,
        setAsideCapOere: 110_000_000,
        setAsideOere: 0,
        carriedOere: -70_000_000,
      });
      expect(
        deficit.rateProposal.map((p: Record<string, number>) => [p.carriedShareOere, p.proposedRateOere]),
      ).toEqual([
        [-65_903_675, 276_238],
        [-4_096_325, 276_238],
      ]);
      // A proposal only: the catalogue is untouched.
      expect((await db.query(`SELECT count(*)::int AS n FROM rate`)).rows[0].n).toBe(ratesBefore);
      expect((await db.query(`SELECT 1 FROM rate WHERE price_oere IN (264469, 276238)`)).rowCount).toBe(0);
    });
  });
});
