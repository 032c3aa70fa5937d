import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { Client } from 'pg';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { countRows } from 'test/support/db-fingerprint';
import { login, request } from 'test/support/http';
import { directBalances, ledgerViolations } from 'test/support/ledger';
import { expectProblem } from 'test/support/problem';

interface Account {
  id: string;
  number: string;
  ownerId: string;
  ownerKind: string;
  kind: string;
  expenseCategory: string | null;
  accountFunction: string;
  art: string;
}
interface Posting {
  accountId: string;
  amountOere: number;
}

/** The ledger over HTTP: chart of accounts, journal, balances, periods, access; invariants under concurrency. */
describe('ledger', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let finance: string;
  let admin: string;
  let manager: string;
  let caseworker: string;
  let authorityId: string;
  let areaId: string;
  let bostoetten: string;
  let egeskoven: string;
  let accounts: Account[];

  const entriesCount = () => countRows('journal_entry');
  const post = (body: unknown, key: string = randomUUID(), token = finance) =>
    request(app, 'POST', '/api/v1/ledger/entries', { token, body, headers: { 'idempotency-key': key } });
  const entry = (entryDate: string, postings: Posting[], description = 'Test') => ({ entryDate, kind: 'manual', description, postings });
  const account = (ownerId: string, kind: string, category?: string) =>
    accounts.find((a) => a.ownerId === ownerId && a.kind === kind && (category === undefined || a.expenseCategory === category))!;
  /** The authority buys from Bostøtten Handicap: internal purchase debit, internal sale credit. */
  const purchase = (amount: number) => [
    { accountId: account(authorityId, 'internalPurchase').id, amountOere: amount },
    { accountId: account(bostoetten, 'internalSale').id, amountOere: -amount },
  ];
  const close = (ownerId: string, month: string, token = finance) => request(app, 'POST', `/api/v1/ledger/periods/${ownerId}/${month}/close`, { token });

  async function allAccounts(token = finance): Promise<Account[]> {
    const items: Account[] = [];
    let cursor: string | null = null;
    type Page = { status: number; body: { items: Account[]; nextCursor: string | null } };
    do {
      const res: Page = await request(app, 'GET', `/api/v1/ledger/accounts?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  beforeAll(async () => {
    app = await createTestApp();
    await resetDatabase();
    await seedDemo(app);
    db = await ownerClient();
    [finance, admin, manager, caseworker] = await Promise.all(['finance', 'admin', 'institutionManager', 'caseworker'].map((u) => login(app, u, DEMO_PASSWORD)));
    authorityId = (await request(app, 'GET', '/api/v1/authority', { token: admin })).body.id;
    const units = await db.query<{ id: string; name: string }>(`SELECT id, name FROM org_unit WHERE name IN ('Bostøtten Handicap', 'Bofællesskabet Egeskoven')`);
    bostoetten = units.rows.find((u) => u.name === 'Bostøtten Handicap')!.id;
    egeskoven = units.rows.find((u) => u.name === 'Bofællesskabet Egeskoven')!.id;
    areaId = (await db.query<{ id: string }>('SELECT id FROM municipality WHERE is_own')).rows[0].id;
    const run = await request(app, 'POST', '/api/v1/ledger/accounts/standard', { token: finance });
    expect(run.status).toBe(200);
    expect(run.body.created).toBeGreaterThan(0);
    accounts = await allAccounts();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  describe('chart of accounts', () => {
    it('the demo organisation has its standard accounts: the authority per function, each own institution, each other municipality', async () => {
      const functions = ['5.38.38', '5.38.42', '5.38.44', '5.38.45', '5.38.50', '5.38.51', '5.38.52', '5.38.53', '5.38.58', '5.38.59'];
      const authority = accounts.filter((a) => a.ownerId === authorityId);
      expect(authority.filter((a) => a.kind === 'internalPurchase').map((a) => a.accountFunction).sort()).toEqual(functions);
      expect(authority.filter((a) => a.kind === 'externalPurchase').map((a) => a.accountFunction).sort()).toEqual(functions);
      expect(new Set(authority.filter((a) => a.kind === 'internalPurchase').map((a) => a.art))).toEqual(new Set(['9.4']));
      expect(new Set(authority.filter((a) => a.kind === 'externalPurchase').map((a) => a.art))).toEqual(new Set(['4.7']));

      const own = await db.query<{ id: string; institution_type: string }>(
        `SELECT u.id, u.institution_type FROM org_unit u JOIN municipality m ON m.id = u.municipality_id WHERE u.kind = 'institution' AND m.is_own`,
      );
      expect(own.rows.length).toBeGreaterThan(10);
      for (const institution of own.rows) {
        const mine = accounts.filter((a) => a.ownerId === institution.id);
        expect(mine.map((a) => `${a.kind}:${a.expenseCategory ?? ''}:${a.art}`).sort()).toEqual(
          [
            'internalSale::9.7',
            'externalSale::7.7',
            'result::0',
            'expense:personnel:1',
            'expense:premises:4',
            'expense:food:2',
            'expense:transport:4',
            'expense:activities:2',
            'expense:administration:4',
            'expense:other:4.9',
          ].sort(),
        );
        expect(new Set(mine.map((a) => a.accountFunction)).size).toBe(1);
      }
      expect(account(egeskoven, 'internalSale').accountFunction).toBe('5.38.50'); // § 108
      expect(account(bostoetten, 'internalSale').accountFunction).toBe('5.38.38'); // § 85

      const others = await db.query<{ id: string }>('SELECT id FROM municipality WHERE NOT is_own');
      expect(others.rows.length).toBeGreaterThan(0);
      for (const m of others.rows)
        expect(accounts.filter((a) => a.ownerId === m.id).map((a) => `${a.ownerKind}:${a.kind}:${a.art}`).sort()).toEqual(['municipality:payable:4.7', 'municipality:receivable:7.7']);
      // External institutions keep no books here.
      const external = await db.query<{ id: string }>(
        `SELECT u.id FROM org_unit u JOIN municipality m ON m.id = u.municipality_id WHERE u.kind = 'institution' AND NOT m.is_own`,
      );
      for (const e of external.rows) expect(accounts.filter((a) => a.ownerId === e.id)).toEqual([]);
      expect(new Set(accounts.map((a) => a.number)).size).toBe(accounts.length);
    });

    it('is idempotent, and a new institution gets its accounts (and an outbox event for the worker)', async () => {
      expect((await request(app, 'POST', '/api/v1/ledger/accounts/standard', { token: finance })).body).toEqual({ created: 0 });
      const area = (await request(app, 'GET', '/api/v1/operating-areas', { token: admin })).body.find((a: { name: string }) => a.name === 'Udsatte').id;
      const created = await request(app, 'POST', '/api/v1/institutions', {
        token: admin,
        body: { name: 'Herberget Ledger', institutionType: 'homelessShelter', operatingAreaId: area, capacity: 10 },
      });
      expect(created.status).toBe(201);
      expect(await countRows('outbox', "type = 'InstitutionCreated' AND payload->>'institutionId' = $1", [created.body.id])).toBe(1);
      const [a, b] = await Promise.all([
        request(app, 'POST', '/api/v1/ledger/accounts/standard', { token: finance }),
        request(app, 'POST', '/api/v1/ledger/accounts/standard', { token: finance }),
      ]);
      expect(a.body.created + b.body.created).toBe(10);
      const mine = await request(app, 'GET', `/api/v1/ledger/accounts?ownerId=${created.body.id}`, { token: finance });
      expect(mine.body.items).toHaveLength(10);
      expect(new Set(mine.body.items.map((x: Account) => x.accountFunction))).toEqual(new Set(['5.38.42']));
      expect(mine.body.items.find((x: Account) => x.kind === 'internalSale').number).toMatch(/^T-HERBERGETLED-[0-9A-F]{4}-ISALG-5\.38\.42$/);
      expect((await request(app, 'GET', '/api/v1/ledger/accounts?kind=internalSale', { token: caseworker })).status).toBe(403);
    });

    it('finance adds an account; a duplicate number is 409, an unknown owner 422, a bad art 400', async () => {
      const body = { number: 'MYN-ADM-5.38.38', name: 'Administration', ownerKind: 'authority', ownerId: authorityId, kind: 'expense', expenseCategory: 'administration', accountFunction: '5.38.38', art: '4.9' };
      const res = await request(app, 'POST', '/api/v1/ledger/accounts', { token: finance, body });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ number: 'MYN-ADM-5.38.38', kind: 'expense', art: '4.9', ownerId: authorityId });
      expectProblem(await request(app, 'POST', '/api/v1/ledger/accounts', { token: finance, body }), 409);
      expectProblem(await request(app, 'POST', '/api/v1/ledger/accounts', { token: finance, body: { ...body, number: 'X-1-2', ownerId: randomUUID() } }), 422);
      expectProblem(await request(app, 'POST', '/api/v1/ledger/accounts', { token: finance, body: { ...body, number: 'X-1-3', art: '9.777' } }), 400, 'validationFailed');
      expectProblem(await request(app, 'POST', '/api/v1/ledger/accounts', { token: finance, body: { ...body, number: 'X-1-4', kind: 'payable' } }), 422);
      expectProblem(await request(app, 'POST', '/api/v1/ledger/accounts', { token: manager, body: { ...body, number: 'X-1-5' } }), 403);
      accounts = await allAccounts();
    });
  });

  describe('journal', () => {
    it('a balanced entry is 201 with its postings; a replay is 200 with the same entry; another body is 409', async () => {
      const key = randomUUID();
      const body = { ...entry('2025-01-15', purchase(125_000)), sourceRef: 'ERP-1' };
      const first = await post(body, key);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ entryDate: '2025-01-15', period: '2025-01', kind: 'manual', sourceRef: 'ERP-1', idempotencyKey: key, reversesEntryId: null });
      expect(first.body.postings.map((p: Posting) => p.amountOere).sort()).toEqual([-125_000, 125_000]);
      expect(first.headers.location).toBe(`/api/v1/ledger/entries/${first.body.id}`);
      const before = await entriesCount();

      const replay = await post(body, key);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expectProblem(await post(entry('2025-01-15', purchase(125_001)), key), 409, 'idempotencyKeyReused');
      expect(await entriesCount()).toBe(before);
      expect((await request(app, 'GET', `/api/v1/ledger/entries/${first.body.id}`, { token: finance })).body).toEqual(first.body);
    });

    it('20 concurrent identical requests make one entry', async () => {
      const key = randomUUID();
      const body = entry('2025-01-16', purchase(777));
      const before = await entriesCount();
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(body, key)));
      expect(responses.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array<number>(19).fill(200), 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await entriesCount()).toBe(before + 1);
    });

    it('bad input is 400 or 422 and writes nothing', async () => {
      const [a, b] = purchase(100);
      const cases: [string, unknown, number, string?][] = [
        ['unbalanced', entry('2025-01-17', [a, { ...b, amountOere: -99 }]), 422, 'ruleViolated'],
        ['one posting', entry('2025-01-17', [a]), 400, 'validationFailed'],
        ['no postings', entry('2025-01-17', []), 400, 'validationFailed'],
        ['a zero amount', entry('2025-01-17', [a, b, { ...a, amountOere: 0 }]), 400, 'validationFailed'],
        ['a fraction of an øre', entry('2025-01-17', [{ ...a, amountOere: 1.5 }, { ...b, amountOere: -1.5 }]), 400, 'validationFailed'],
        ['an amount as a string', entry('2025-01-17', [{ ...a, amountOere: '100' as unknown as number }, b]), 400, 'validationFailed'],
        ['beyond a safe integer', entry('2025-01-17', [{ ...a, amountOere: 2 ** 53 }, { ...b, amountOere: -(2 ** 53) }]), 400, 'validationFailed'],
        ['an unknown account', entry('2025-01-17', [a, { ...b, accountId: randomUUID() }]), 422, 'ruleViolated'],
        ['a reversal kind', { ...entry('2025-01-17', [a, b]), kind: 'reversal' }, 400, 'validationFailed'],
        ['not a date', entry('2025-02-30', [a, b]), 400, 'validationFailed'],
        ['an unknown field', { ...entry('2025-01-17', [a, b]), period: '2025-01' }, 400, 'validationFailed'],
      ];
      const before = await entriesCount();
      const postingsBefore = await countRows('posting');
      for (const [name, body, status, code] of cases) {
        const res = await post(body);
        expect({ name, status: res.status }).toEqual({ name, status });
        expectProblem(res, status, code);
      }
      expectProblem(await request(app, 'POST', '/api/v1/ledger/entries', { token: finance, body: entry('2025-01-17', [a, b]) }), 400, 'idempotencyKeyMissing');
      expect(await entriesCount()).toBe(before);
      expect(await countRows('posting')).toBe(postingsBefore);
    });

    it('a reversal negates every posting once; a replay returns it; a second reversal is 409', async () => {
      const original = await post(entry('2025-02-03', purchase(50_000), 'Wrong amount'));
      const key = randomUUID();
      const url = `/api/v1/ledger/entries/${original.body.id}/reversal`;
      const reversal = await request(app, 'POST', url, { token: finance, body: { entryDate: '2025-02-10' }, headers: { 'idempotency-key': key } });
      expect(reversal.status).toBe(201);
      expect(reversal.body).toMatchObject({ kind: 'reversal', reversesEntryId: original.body.id, entryDate: '2025-02-10', description: 'Tilbageførsel: Wrong amount' });
      expect(reversal.body.postings.map((p: Posting) => [p.accountId, p.amountOere]).sort()).toEqual(
        original.body.postings.map((p: Posting) => [p.accountId, -p.amountOere]).sort(),
      );
      const replay = await request(app, 'POST', url, { token: finance, body: { entryDate: '2025-02-10' }, headers: { 'idempotency-key': key } });
      expect(replay.status).toBe(200);
      expect(replay.body.id).toBe(reversal.body.id);
      expectProblem(await request(app, 'POST', url, { token: finance, body: {}, headers: { 'idempotency-key': randomUUID() } }), 409);
      expectProblem(
        await request(app, 'POST', `/api/v1/ledger/entries/${reversal.body.id}/reversal`, { token: finance, body: {}, headers: { 'idempotency-key': randomUUID() } }),
        422,
      );
      expect((await request(app, 'GET', `/api/v1/ledger/entries/${original.body.id}`, { token: finance })).body.reversedByEntryId).toBe(reversal.body.id);
      expectProblem(await request(app, 'POST', `/api/v1/ledger/entries/${randomUUID()}/reversal`, { token: finance, body: {}, headers: { 'idempotency-key': randomUUID() } }), 404);
    });

    it('an API key with ledger:write posts; one without it is 403', async () => {
      const keyFor = async (scopes: string[]) =>
        (
          await request(app, 'POST', '/api/v1/api-keys', {
            token: admin,
            body: { name: `ERP ${scopes.join(' ')}`, role: 'finance', scopes, orgUnitId: authorityId },
          })
        ).body.key as string;
      const writer = await keyFor(['ledger:write']);
      const reader = await keyFor(['ledger:read']);
      expect((await post(entry('2025-02-04', purchase(10)), randomUUID(), writer)).status).toBe(201);
      expectProblem(await post(entry('2025-02-04', purchase(10)), randomUUID(), reader), 403);
      expect((await request(app, 'GET', '/api/v1/ledger/entries?period=2025-02', { token: reader })).status).toBe(200);
    });

    it('lists entries by account, owner and month, newest first, in keyset pages', async () => {
      for (const day of ['2025-04-01', '2025-04-02', '2025-04-03']) expect((await post(entry(day, purchase(1_000)))).status).toBe(201);
      const first = await request(app, 'GET', `/api/v1/ledger/entries?period=2025-04&ownerId=${bostoetten}&limit=2`, { token: finance });
      expect(first.body.items.map((e: { entryDate: string }) => e.entryDate)).toEqual(['2025-04-03', '2025-04-02']);
      const second = await request(app, 'GET', `/api/v1/ledger/entries?period=2025-04&ownerId=${bostoetten}&limit=2&cursor=${first.body.nextCursor}`, { token: finance });
      expect(second.body.items.map((e: { entryDate: string }) => e.entryDate)).toEqual(['2025-04-01']);
      expect(second.body.nextCursor).toBeNull();
      const byAccount = await request(app, 'GET', `/api/v1/ledger/entries?period=2025-04&accountId=${account(egeskoven, 'internalSale').id}`, { token: finance });
      expect(byAccount.body.items).toEqual([]);
    });
  });

  describe('periods', () => {
    it("a closed month of an institution refuses postings touching it (409 periodClosed); others still post; reopening needs an admin and a reason", async () => {
      expect((await post(entry('2025-05-02', purchase(100)))).status).toBe(201);
      const closed = await close(bostoetten, '2025-05');
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ ownerId: bostoetten, month: '2025-05', status: 'closed', reopenings: 0 });
      expectProblem(await close(bostoetten, '2025-05'), 409);
      const before = await entriesCount();
      expectProblem(await post(entry('2025-05-20', purchase(100))), 409, 'periodClosed');
      expect(await entriesCount()).toBe(before);
      // Another institution's May is open; Bostøtten's June too.
      expect((await post(entry('2025-05-20', [{ accountId: account(authorityId, 'internalPurchase').id, amountOere: 5 }, { accountId: account(egeskoven, 'internalSale').id, amountOere: -5 }]))).status).toBe(201);
      expect((await post(entry('2025-06-01', purchase(100)))).status).toBe(201);

      expectProblem(await request(app, 'POST', `/api/v1/ledger/periods/${bostoetten}/2025-05/reopen`, { token: finance, body: { reason: 'Late invoice' } }), 403);
      expectProblem(await close(bostoetten, '2025-07', manager), 403);
      expectProblem(await request(app, 'POST', `/api/v1/ledger/periods/${bostoetten}/2025-05/reopen`, { token: admin, body: {} }), 400, 'validationFailed');
      const reopened = await request(app, 'POST', `/api/v1/ledger/periods/${bostoetten}/2025-05/reopen`, { token: admin, body: { reason: 'A late invoice from the ERP' } });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({ status: 'open', closedAt: null, reopenings: 1 });
      const log = await db.query('SELECT reason, reopened_by FROM ledger_period_reopening WHERE owner_id = $1', [bostoetten]);
      expect(log.rows).toEqual([{ reason: 'A late invoice from the ERP', reopened_by: expect.any(String) }]);
      expect((await post(entry('2025-05-20', purchase(100)))).status).toBe(201);
      expectProblem(await request(app, 'POST', `/api/v1/ledger/periods/${bostoetten}/2025-05/reopen`, { token: admin, body: { reason: 'again' } }), 409);

      const list = await request(app, 'GET', `/api/v1/ledger/periods?ownerId=${bostoetten}&year=2025`, { token: finance });
      expect(list.body.find((p: { month: string }) => p.month === '2025-05')).toMatchObject({ status: 'open', reopenings: 1 });
      expectProblem(await close(randomUUID(), '2025-05'), 404);
      expectProblem(await close(bostoetten, '2025-13'), 400);
    });

    it('closing the whole area closes the month for every account', async () => {
      expect((await close(areaId, '2025-08')).status).toBe(200);
      const before = await entriesCount();
      expectProblem(await post(entry('2025-08-10', purchase(100))), 409, 'periodClosed');
      expectProblem(await post(entry('2025-08-10', [{ accountId: account(authorityId, 'internalPurchase').id, amountOere: 5 }, { accountId: account(egeskoven, 'internalSale').id, amountOere: -5 }])), 409, 'periodClosed');
      expect(await entriesCount()).toBe(before);
      expect((await post(entry('2025-09-10', purchase(100)))).status).toBe(201);
    });

    it('the database refuses a posting into a closed month even past the service (the trigger)', async () => {
      await close(authorityId, '2025-10');
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE bum_app');
        const [{ id }] = (await db.query(`INSERT INTO journal_entry (entry_date, period, kind, description, idempotency_key, request_hash) VALUES ('2025-10-05', '2025-10-01', 'manual', 'x', $1, 'h') RETURNING id`, [randomUUID()])).rows;
        await expect(
          db.query(`INSERT INTO posting (entry_id, account_id, amount_oere, entry_date, period) VALUES ($1, $2, 5, '2025-10-05', '2025-10-01'), ($1, $3, -5, '2025-10-05', '2025-10-01')`, [
            id,
            account(authorityId, 'internalPurchase').id,
            account(bostoetten, 'internalSale').id,
          ]),
        ).rejects.toMatchObject({ constraint: 'ck_period_closed' });
      } finally {
        await db.query('ROLLBACK');
      }
    });
  });

  describe('balances', () => {
    let fresh: Account[];
    beforeAll(async () => {
      fresh = [];
      for (const n of [1, 2]) {
        const res = await request(app, 'POST', '/api/v1/ledger/accounts', {
          token: finance,
          body: { number: `TEST-BAL-${n}`, name: `Balance ${n}`, ownerKind: 'institution', ownerId: egeskoven, kind: n === 1 ? 'internalSale' : 'result', accountFunction: '5.38.50', art: n === 1 ? '9.7' : '0' },
        });
        expect(res.status).toBe(201);
        fresh.push(res.body);
      }
      const pair = (amount: number) => [
        { accountId: fresh[0].id, amountOere: -amount },
        { accountId: fresh[1].id, amountOere: amount },
      ];
      expect((await post(entry('2025-11-05', pair(10_000)))).status).toBe(201);
      expect((await post(entry('2025-11-20', pair(2_500)))).status).toBe(201);
      expect((await post(entry('2025-12-01', pair(-700)))).status).toBe(201);
    });

    it('an account balance at a point in time is the sum of its postings up to that day', async () => {
      const at = async (day?: string) =>
        (await request(app, 'GET', `/api/v1/ledger/accounts/${fresh[1].id}/balance${day ? `?at=${day}` : ''}`, { token: finance })).body;
      expect((await at('2025-11-04')).balanceOere).toBe(0);
      expect(await at('2025-11-10')).toMatchObject({ balanceOere: 10_000, debitOere: 10_000, creditOere: 0, postingCount: 1, at: '2025-11-10' });
      expect((await at('2025-11-30')).balanceOere).toBe(12_500);
      expect(await at()).toMatchObject({ balanceOere: 11_800, debitOere: 12_500, creditOere: 700, postingCount: 3, at: null });
      for (const day of ['2025-11-10', '2025-11-30', null]) expect((await at(day ?? undefined)).balanceOere).toBe((await directBalances(db, day)).get(fresh[1].id));
      expectProblem(await request(app, 'GET', `/api/v1/ledger/accounts/${fresh[1].id}/balance?at=2025-11`, { token: finance }), 400);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/accounts/${randomUUID()}/balance`, { token: finance }), 404);
    });

    it("an owner's balances: every account, with a total", async () => {
      const res = await request(app, 'GET', `/api/v1/ledger/owners/${egeskoven}/balances?at=2025-11-30`, { token: finance });
      expect(res.status).toBe(200);
      const direct = await directBalances(db, '2025-11-30');
      for (const a of res.body.accounts) expect(a.balanceOere).toBe(direct.get(a.accountId) ?? 0);
      expect(res.body.accounts.length).toBe(accounts.filter((a) => a.ownerId === egeskoven).length + 2);
      expect(res.body.totalOere).toBe(res.body.accounts.reduce((s: number, a: { balanceOere: number }) => s + a.balanceOere, 0));
    });

    it('the trial balance of the whole ledger sums to zero; per account closing = opening + debit − credit', async () => {
      const res = await request(app, 'GET', '/api/v1/ledger/trial-balance?period=2025-12', { token: finance });
      expect(res.status).toBe(200);
      expect(res.body.totals.openingOere).toBe(0);
      expect(res.body.totals.closingOere).toBe(0);
      expect(res.body.totals.debitOere).toBe(res.body.totals.creditOere);
      const line = res.body.lines.find((l: { accountId: string }) => l.accountId === fresh[1].id);
      expect(line).toMatchObject({ openingOere: 12_500, debitOere: 0, creditOere: 700, closingOere: 11_800 });
      for (const l of res.body.lines) expect(l.closingOere).toBe(l.openingOere + l.debitOere - l.creditOere);
      const direct = await directBalances(db, '2025-12-31');
      for (const l of res.body.lines) expect(l.closingOere).toBe(direct.get(l.accountId));
      const nov = await request(app, 'GET', `/api/v1/ledger/trial-balance?period=2025-11&ownerId=${egeskoven}`, { token: finance });
      expect(nov.body.lines.find((l: { accountId: string }) => l.accountId === fresh[0].id)).toMatchObject({ openingOere: 0, debitOere: 0, creditOere: 12_500, closingOere: -12_500 });
      expectProblem(await request(app, 'GET', '/api/v1/ledger/trial-balance?period=2025-13', { token: finance }), 400);
    });
  });

  describe('access', () => {
    it("an institution manager reads their institution's accounts, entries and balances only; others are 403/404", async () => {
      const mine = await allAccounts(manager);
      expect(mine.length).toBe(10);
      expect(new Set(mine.map((a) => a.ownerId))).toEqual(new Set([bostoetten]));
      expectProblem(await request(app, 'GET', `/api/v1/ledger/accounts?ownerId=${egeskoven}`, { token: manager }), 404);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/accounts/${account(egeskoven, 'internalSale').id}`, { token: manager }), 404);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/accounts/${account(egeskoven, 'internalSale').id}/balance`, { token: manager }), 404);
      expect((await request(app, 'GET', `/api/v1/ledger/accounts/${account(bostoetten, 'internalSale').id}/balance`, { token: manager })).status).toBe(200);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/owners/${egeskoven}/balances`, { token: manager }), 404);

      const ours = await post(entry('2026-01-05', purchase(300)));
      const theirs = await post(entry('2026-01-05', [{ accountId: account(authorityId, 'internalPurchase').id, amountOere: 5 }, { accountId: account(egeskoven, 'internalSale').id, amountOere: -5 }]));
      expect((await request(app, 'GET', `/api/v1/ledger/entries/${ours.body.id}`, { token: manager })).status).toBe(200);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/entries/${theirs.body.id}`, { token: manager }), 404);
      const list = await request(app, 'GET', '/api/v1/ledger/entries?period=2026-01', { token: manager });
      expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([ours.body.id]);
      const tb = await request(app, 'GET', '/api/v1/ledger/trial-balance?period=2026-01', { token: manager });
      expect(tb.status).toBe(200);
      expect(new Set(tb.body.lines.map((l: { ownerId: string }) => l.ownerId))).toEqual(new Set([bostoetten]));
      expectProblem(await request(app, 'GET', `/api/v1/ledger/trial-balance?period=2026-01&ownerId=${egeskoven}`, { token: manager }), 404);

      expectProblem(await post(entry('2026-01-05', purchase(1)), randomUUID(), manager), 403);
      expectProblem(await request(app, 'GET', '/api/v1/ledger/entries', { token: caseworker }), 403);
      expectProblem(await request(app, 'GET', `/api/v1/ledger/accounts/${account(bostoetten, 'internalSale').id}/balance`, { token: caseworker }), 403);
      expectProblem(await request(app, 'GET', '/api/v1/ledger/trial-balance?period=2026-01', { token: caseworker }), 403);
    });
  });

  describe('immutability', () => {
    it.each([
      ['UPDATE posting SET amount_oere = amount_oere * 2'],
      ['DELETE FROM posting'],
      ["UPDATE journal_entry SET description = 'changed'"],
      ['DELETE FROM journal_entry'],
      ["UPDATE ledger_period_reopening SET reason = 'x'"],
    ])('the app role cannot %s', async (sql) => {
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE bum_app');
        await expect(db.query(sql)).rejects.toThrow(/permission denied/);
      } finally {
        await db.query('ROLLBACK');
      }
    });
  });

  describe('property: random entries posted concurrently', () => {
    it('every entry balances with two or more postings, balances equal the sum of postings, nothing lands in a closed period', async () => {
      // A pool of accounts of several owners; February 2026 is closed for Egeskoven before the runs.
      const pool = [account(authorityId, 'internalPurchase'), account(bostoetten, 'internalSale'), account(bostoetten, 'expense', 'personnel'), account(egeskoven, 'internalSale'), account(egeskoven, 'expense', 'food')];
      expect((await close(egeskoven, '2026-02')).status).toBe(200);
      const closedIds = new Set(pool.filter((a) => a.ownerId === egeskoven).map((a) => a.id));
      const entryArb = fc.record({
        day: fc.constantFrom('2026-02-10', '2026-03-10', '2026-03-31'),
        amounts: fc.array(fc.integer({ min: -5_000_000, max: 5_000_000 }).filter((n) => n !== 0), { minLength: 1, maxLength: 5 }),
        accounts: fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { minLength: 6, maxLength: 6 }),
        balanced: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 12 }), async (specs) => {
          const bodies = specs.map((s) => {
            const postings = s.amounts.map((amountOere, i) => ({ accountId: pool[s.accounts[i]].id, amountOere }));
            const sum = s.amounts.reduce((a, b) => a + b, 0);
            if (s.balanced && sum !== 0) postings.push({ accountId: pool[s.accounts[5]].id, amountOere: -sum });
            return entry(s.day, postings);
          });
          const before = await entriesCount();
          const responses = await Promise.all(bodies.map((b) => post(b)));
          for (const [i, res] of responses.entries()) {
            const b = bodies[i];
            const balanced = b.postings.length >= 2 && b.postings.reduce((s, p) => s + p.amountOere, 0) === 0;
            const closed = b.entryDate.startsWith('2026-02') && b.postings.some((p) => closedIds.has(p.accountId));
            const expected = b.postings.length < 2 ? 400 : !balanced ? 422 : closed ? 409 : 201;
            expect({ i, status: res.status }).toEqual({ i, status: expected });
          }
          expect(await entriesCount()).toBe(before + responses.filter((r) => r.status === 201).length);
          expect(await ledgerViolations(db)).toEqual([]);
          const direct = await directBalances(db);
          for (const a of pool) {
            const api = await request(app, 'GET', `/api/v1/ledger/accounts/${a.id}/balance`, { token: finance });
            expect(api.body.balanceOere).toBe(direct.get(a.id) ?? 0);
          }
        }),
        { numRuns: 15 },
      );
    }, 120_000);
  });
});
