import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { loadConfig } from 'src/platform/config/app-config';
import { loadEnvFile } from 'src/platform/config/config.module';
import { exitOnConfigError } from 'src/platform/process';

/**
 * CI smoke test of the built worker: start it, commit one UserCreated outbox event, wait until its consumer
 * has processed it, then stop the worker with SIGTERM and check that it exits in time.
 */
async function main() {
  loadEnvFile();
  const config = exitOnConfigError(() => loadConfig(process.env));
  const prefix = `bumsmoke-${process.pid}`;
  const worker = spawn(process.execPath, [join(__dirname, '..', 'worker.js')], {
    env: { ...process.env, REDIS_PREFIX: prefix, DB_MIGRATE_ON_START: 'false', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    worker.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const db = new Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  const started = Date.now();
  try {
    const userId = randomUUID();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO outbox (type, payload) VALUES ('UserCreated', $1) RETURNING id`,
      [JSON.stringify({ userId, username: 'smoke-test', role: 'caseworker', orgUnitId: randomUUID(), createdBy: null })],
    );
    const eventId = rows[0].id;
    for (;;) {
      const done = await db.query(`SELECT 1 FROM processed_event WHERE event_id = $1`, [eventId]);
      if (done.rowCount) break;
      if (Date.now() - started > 30_000) throw new Error('the worker did not process the event within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const notes = await db.query(`SELECT count(*)::int AS n FROM notification WHERE source_event_id = $1`, [eventId]);
    if (notes.rows[0].n !== 1) throw new Error(`expected one notification, found ${notes.rows[0].n}`);
    console.log(`worker processed outbox event ${eventId} in ${Date.now() - started} ms`);
    await db.query(`DELETE FROM notification WHERE source_event_id = $1`, [eventId]);
    await db.query(`DELETE FROM processed_event WHERE event_id = $1`, [eventId]);
    await db.query(`DELETE FROM outbox WHERE id = $1`, [eventId]);
  } finally {
    await db.end();
    const stopAt = Date.now();
    worker.kill('SIGTERM');
    const timeout = setTimeout(() => worker.kill('SIGKILL'), 10_000);
    const { code, signal } = await exited;
    clearTimeout(timeout);
    console.log(`worker stopped (${signal ?? `code ${code}`}) in ${Date.now() - stopAt} ms`);
    await removeKeys(config.REDIS_URL, prefix);
    if (code !== 0) process.exitCode = 1;
  }
}

/** The smoke run's own BullMQ keys go away with it. */
async function removeKeys(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // best effort: leftover keys of a smoke run are harmless
  } finally {
    redis.disconnect();
  }
}

void main().catch((err: unknown) => {
  console.error('worker smoke test failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
