import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { AccountService } from 'src/modules/ledger/account.service';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase, workerDatabase } from 'test/support/db';
import { directBalances, ledgerViolations } from 'test/support/ledger';
import { DIST, dropRedisPrefix, freePort, http, HttpResponse, startNode, stopAllProcesses, uniquePrefix, waitForHttp } from 'test/support/processes';

interface Account {
  id: string;
  ownerId: string;
  kind: string;
  expenseCategory: string | null;
}

/** A small deterministic generator (mulberry32), so a failure can be rerun as it was. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two built API processes (`node dist/src/main.js`) post into the same ledger at once — new entries, the same
 * Idempotency-Key sent to both, entries into a month one of them closes meanwhile — and the invariants hold:
 * every entry balances with two or more postings, a key made one entry, balances equal the sum of postings,
 * and no posting was written into a period after it was closed.
 */
describe('the ledger under two API processes', () => {
  const prefix = uniquePrefix('ledger2');
  let db: Client;
  const bases: string[] = [];
  let token: string;
  let pool: Account[];
  let egeskoven: string;

  beforeAll(async () => {
    await resetDatabase();
    const app = await createTestApp();
    try {
      await seedDemo(app);
      await app.get(ClsService).run(() => app.get(AccountService).ensureStandardAccounts());
    } finally {
      await app.close();
    }
    db = await ownerClient();
    for (const name of ['api-1', 'api-2']) {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const api = await startNode(DIST.api, { DATABASE_URL: await workerDatabase(), REDIS_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1' }, name);
      await waitForHttp(base, '/health/live', 200, 30_000, api);
      bases.push(base);
    }
    const login = await http<{ accessToken: string }>(bases[0], 'POST', '/api/v1/auth/token', { body: { username: 'finance', password: DEMO_PASSWORD } });
    expect(login.status).toBe(200);
    token = login.body.accessToken;
    const units = await db.query<{ id: string; name: string }>(
      `SELECT id, name FROM org_unit WHERE kind = 'authority' OR name IN ('Bostøtten Handicap', 'Bofællesskabet Egeskoven')`,
    );
    egeskoven = units.rows.find((u) => u.name === 'Bofællesskabet Egeskoven')!.id;
    const accounts = await http<{ items: Account[] }>(bases[1], 'GET', '/api/v1/ledger/accounts?limit=200', { token });
    const owners = new Set(units.rows.map((u) => u.id));
    const eligible = accounts.body.items.filter((a) => owners.has(a.ownerId) && ['internalPurchase', 'internalSale', 'expense'].includes(a.kind));
    pool = [...owners].flatMap((owner) => eligible.filter((a) => a.ownerId === owner).slice(0, 4));
    expect(new Set(pool.map((a) => a.ownerId)).size).toBe(3);
  }, 90_000);

  afterAll(async () => {
    await stopAllProcesses();
    await dropRedisPrefix(prefix);
    await db?.end();
  });

  it('keeps every invariant while both post, replay and close at once', async () => {
    const next = random(20261123);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
    const days = ['2026-02-10', '2026-03-05', '2026-03-20', '2026-04-01'];
    const bodies = Array.from({ length: 120 }, (_, i) => {
      const n = 1 + Math.floor(next() * 4);
      const postings = Array.from({ length: n }, () => ({ accountId: pick(pool).id, amountOere: (1 + Math.floor(next() * 1_000_000)) * (next() < 0.5 ? -1 : 1) }));
      const sum = postings.reduce((s, p) => s + p.amountOere, 0);
      if (next() < 0.8 && sum !== 0) postings.push({ accountId: pick(pool).id, amountOere: -sum });
      return { key: `two-processes-${i}-${randomUUID()}`, body: { entryDate: pick(days), kind: 'manual', description: `Entry ${i}`, postings } };
    });
    // February is closed for Egeskoven before; March is closed for it while the posting runs.
    expect((await http(bases[0], 'POST', `/api/v1/ledger/periods/${egeskoven}/2026-02/close`, { token })).status).toBe(200);

    const send = (base: string, b: (typeof bodies)[number]) =>
      http(base, 'POST', '/api/v1/ledger/entries', { token, body: b.body, headers: { 'idempotency-key': b.key }, timeoutMs: 60_000 });
    const duplicated = bodies.slice(0, 30);
    const started: Promise<HttpResponse>[] = [];
    bodies.forEach((b, i) => started.push(send(bases[i % 2], b)));
    // The same key and body to the other process as well: one entry between them.
    const duplicates = duplicated.map((b, i) => send(bases[(i + 1) % 2], b));
    const closing = http(bases[1], 'POST', `/api/v1/ledger/periods/${egeskoven}/2026-03/close`, { token, timeoutMs: 60_000 });
    const responses = await Promise.all(started);
    const duplicateResponses = await Promise.all(duplicates);
    expect((await closing).status).toBe(200);

    for (const [i, res] of responses.entries()) {
      const { postings, entryDate } = bodies[i].body;
      const balanced = postings.length >= 2 && postings.reduce((s, p) => s + p.amountOere, 0) === 0;
      const touchesEgeskoven = postings.some((p) => pool.find((a) => a.id === p.accountId)!.ownerId === egeskoven);
      const allowed = postings.length < 2 ? [400] : !balanced ? [422] : touchesEgeskoven && entryDate.startsWith('2026-02') ? [409] : touchesEgeskoven && entryDate.startsWith('2026-03') ? [200, 201, 409] : [200, 201];
      expect({ i, status: res.status, allowed: allowed.includes(res.status) }).toEqual({ i, status: res.status, allowed: true });
    }
    for (const [i, res] of duplicateResponses.entries()) {
      const first = responses[i];
      if (first.status === 201 || first.status === 200) {
        expect([200, 201]).toContain(res.status);
        expect(res.body.id).toBe(first.body.id);
        expect([first.status, res.status].sort()).toEqual([200, 201]);
      }
    }

    const written = new Set([...responses, ...duplicateResponses].filter((r) => r.status === 200 || r.status === 201).map((r) => r.body.id as string));
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM journal_entry WHERE idempotency_key LIKE 'two-processes-%'`);
    expect(rows[0].n).toBe(written.size);
    expect(await ledgerViolations(db)).toEqual([]);
    const direct = await directBalances(db);
    for (const a of pool) {
      const res = await http(bases[a.id.charCodeAt(0) % 2], 'GET', `/api/v1/ledger/accounts/${a.id}/balance`, { token });
      expect(res.body.balanceOere).toBe(direct.get(a.id) ?? 0);
    }
    const trial = await http(bases[0], 'GET', '/api/v1/ledger/trial-balance?period=2026-04', { token });
    expect(trial.body.totals.closingOere).toBe(0);
    expect(trial.body.totals.debitOere).toBe(trial.body.totals.creditOere);
  }, 120_000);
});
