import { Client } from 'pg';
import { databaseUrl, SERVER_URL, templateName, workerDatabaseName } from './env';

let ready: Promise<string> | undefined;

/** This Jest worker's own database, cloned from the migrated template once per worker process. */
export function workerDatabase(): Promise<string> {
  ready ??= (async () => {
    const name = workerDatabaseName();
    const admin = new Client({ connectionString: `${SERVER_URL}/postgres` });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!exists.rowCount) {
        for (let attempt = 0; ; attempt++) {
          try {
            await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`);
            break;
          } catch (err) {
            const code = (err as { code?: string }).code;
            if (code === '42P04') break; // created meanwhile
            if (attempt > 20 || code !== '55006') throw err; // template busy: another worker is cloning
            await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
          }
        }
      }
    } finally {
      await admin.end();
    }
    return databaseUrl(name);
  })();
  return ready;
}

/** Tables in the order DELETE can empty them (children first); every table but the migrations'. */
async function tables(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migration'`,
  );
  return rows.map((r) => r.table_name);
}

/** Empties every table in one transaction, as the owner (the app role may not delete the access log). */
export async function resetDatabase(): Promise<void> {
  const client = new Client({ connectionString: await workerDatabase() });
  await client.connect();
  try {
    const names = await tables(client);
    await client.query('BEGIN');
    await client.query('SET CONSTRAINTS ALL DEFERRED');
    // Triggers (e.g. foreign keys, immutability guards) are bypassed for the clean-up only.
    await client.query(`SET LOCAL session_replication_role = replica`);
    for (const t of names) await client.query(`DELETE FROM "${t}"`);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

/** An owner connection for assertions the app role may not make (or to set up odd states). */
export async function ownerClient(): Promise<Client> {
  const client = new Client({ connectionString: await workerDatabase() });
  await client.connect();
  return client;
}
