import { ownerClient } from 'test/support/db';

/**
 * A digest of every row of every table (as the owner, so nothing is hidden from it): equal fingerprints
 * before and after a request prove that the request changed nothing at all, not just one table.
 */
export async function dbFingerprint(): Promise<Record<string, string>> {
  const client = await ownerClient();
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const result: Record<string, string> = {};
    for (const { table_name: t } of tables) {
      const { rows } = await client.query<{ n: number; digest: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest FROM "${t}" x`,
      );
      result[t] = `${rows[0].n}:${rows[0].digest}`;
    }
    return result;
  } finally {
    await client.end();
  }
}

/** Rows in one table (as the owner). */
export async function countRows(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const client = await ownerClient();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`,
      params,
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}
