import { Client } from 'pg';

/**
 * Waits until some session of this database waits for a lock: the request under test has reached the row
 * a test's own open transaction holds. Deterministic, unlike a sleep.
 */
export async function waitForLockWait(client: Client, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    if (rows[0].n > 0) return;
    if (Date.now() > deadline) throw new Error('no session started waiting for a lock');
    await new Promise((r) => setTimeout(r, 20));
  }
}
