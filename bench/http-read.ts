/**
 * `npm run bench:http`: throughput of an authenticated GET by id with a join (GET /api/v1/institutions/{id})
 * through the whole stack (Fastify, guards, pipes, the principal lookup, pg), against a bare node:http + pg
 * server answering the same query on the same machine in the same run. Prints req/s, p50/p99 and the ratio.
 * Needs the database of `npm start` (seeded) and a build (`npm run build`).
 */
import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bum';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

async function load(url: string, headers: Record<string, string>): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const start = process.hrtime.bigint();
      const req = http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: latencies.length / ((Date.now() - started) / 1000), p50: at(0.5), p99: at(0.99), errors };
}

async function waitFor(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

async function main() {
  const pool = new Pool({ connectionString: DATABASE_URL, max: 10 });
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM org_unit WHERE kind = 'institution' ORDER BY name LIMIT 1`);
  if (!rows.length) throw new Error('no institutions: run `npm start` once (it seeds the demo data)');
  const id = rows[0].id;
  const sql = `SELECT u.*, m.name AS municipality_name, m.is_own FROM org_unit u JOIN municipality m ON m.id = u.municipality_id WHERE u.id = $1`;

  const bare = http.createServer((req, res) => {
    pool.query(sql, [req.url!.split('/').pop()]).then(
      (r) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(r.rows[0]));
      },
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  });
  await new Promise<void>((r) => bare.listen(3901, '127.0.0.1', r));

  const api: ChildProcess = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: { ...process.env, DATABASE_URL, PORT: '3902', LOG_LEVEL: 'warn', DB_MIGRATE_ON_START: 'false', RATE_LIMIT_PER_MINUTE: '100000000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor('http://127.0.0.1:3902/health/live');
    const login = await fetch('http://127.0.0.1:3902/api/v1/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'caseworker', password: process.env.DEMO_PASSWORD ?? 'demo-password' }),
    });
    if (login.status !== 200) throw new Error(`log-in failed: ${login.status} ${await login.text()}`);
    const { accessToken } = (await login.json()) as { accessToken: string };

    // Warm up both, then measure each alone.
    await load(`http://127.0.0.1:3901/${id}`, {});
    const baseline = await load(`http://127.0.0.1:3901/${id}`, {});
    await load(`http://127.0.0.1:3902/api/v1/institutions/${id}`, { authorization: `Bearer ${accessToken}` });
    const full = await load(`http://127.0.0.1:3902/api/v1/institutions/${id}`, { authorization: `Bearer ${accessToken}` });
    const fmt = (r: typeof full) => `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}`;
    console.log(`GET by id with a join, ${CONCURRENCY} concurrent keep-alive clients, ${SECONDS} s each`);
    console.log(`  bare node:http + pg                         ${fmt(baseline)}  ratio 1.00`);
    console.log(`  BUM API (Fastify, auth, policy, pipes, pg)  ${fmt(full)}  ratio ${(full.rps / baseline.rps).toFixed(2)}`);
  } finally {
    api.kill('SIGTERM');
    bare.close();
    await pool.end();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
