import { Client } from 'pg';
import { SERVER_URL, templateName } from './env';

/** Drops this run's worker databases (the template stays for the next run). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.BUM_TEST_RUN;
  if (!run) return;
  const admin = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${templateName()}_r${run}_w%`,
    ]);
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`).catch(() => undefined);
  } finally {
    await admin.end();
  }
}
