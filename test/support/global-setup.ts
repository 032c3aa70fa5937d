import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseUrl, SERVER_URL, templateName } from './env';

/**
 * Migrates once into a template database named by a hash of migrations/; each Jest worker then clones it.
 * The migration runs through the built CLI (`npm test` builds first), exactly as production runs it.
 */
export default async function globalSetup(): Promise<void> {
  // Jest workers are forked after this runs, so they inherit the run id (see env.ts).
  process.env.BUM_TEST_RUN ??= String(process.pid);
  const name = templateName();
  const admin = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return;
    const building = `${name}_build_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const script = join(__dirname, '..', '..', 'dist', 'src', 'scripts', 'migrate.js');
    if (!existsSync(script)) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
    execFileSync(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: databaseUrl(building), DB_CREATE_IF_MISSING: 'false', LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    try {
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      await admin.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true`);
    } catch (err) {
      // Another project's setup finished first: keep theirs.
      if ((err as { code?: string }).code !== '42P04') throw err;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
    }
    // Old templates and their clones from earlier schemas are dead weight. Only in CI: on a developer's
    // machine another checkout (a worktree, another branch) may be using them right now.
    if (!process.env.CI) return;
    const stale = await admin.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'bum\\_tpl\\_%' AND datname <> $1
          AND datname NOT LIKE $1 || '\\_r' || $2 || '\\_%'`,
      [name, process.env.BUM_TEST_RUN],
    );
    for (const row of stale.rows as { datname: string }[]) {
      await admin.query(`ALTER DATABASE "${row.datname}" WITH IS_TEMPLATE false`).catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`).catch(() => undefined);
    }
  } finally {
    await admin.end();
  }
}
