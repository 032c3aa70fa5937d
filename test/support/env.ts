import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The server the tests use: the local PostgreSQL (as in CI), overridable with TEST_DATABASE_SERVER. */
export const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Named by a hash of migrations/: a changed migration gets a fresh template. */
export function templateName(): string {
  const dir = join(__dirname, '..', '..', 'migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return `bum_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export function workerId(): string {
  return process.env.JEST_WORKER_ID ?? '1';
}

/** Set by the global setup: test runs side by side (two terminals, worktrees) never share a database. */
export function runId(): string {
  return process.env.BUM_TEST_RUN ?? String(process.ppid);
}

export function workerDatabaseName(): string {
  return `${templateName()}_r${runId()}_w${workerId()}`;
}

export function databaseUrl(name: string): string {
  return `${SERVER_URL}/${name}`;
}
