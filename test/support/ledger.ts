import { Client } from 'pg';

/**
 * The ledger's invariants, checked directly in the database (as the owner): every entry has two or more
 * postings summing to zero; no posting was written into a period of its account's owner (or of the whole area)
 * after that period was closed;
 * each posting carries its entry's date and period. Returns the violations (empty when all hold).
 */
export async function ledgerViolations(db: Client): Promise<unknown[]> {
  const { rows } = await db.query(
    `SELECT 'unbalanced' AS problem, e.id::text AS ref FROM journal_entry e
       LEFT JOIN posting p ON p.entry_id = e.id
      GROUP BY e.id HAVING count(p.id) < 2 OR coalesce(sum(p.amount_oere), 0) <> 0
     UNION ALL
     SELECT 'closedPeriod', p.id::text FROM posting p JOIN journal_entry e ON e.id = p.entry_id
       JOIN ledger_account a ON a.id = p.account_id
       JOIN ledger_period lp ON lp.month = p.period AND lp.status = 'closed' AND e.created_at >= lp.closed_at
        AND (lp.owner_id = a.owner_id OR lp.owner_id IN (SELECT id FROM municipality WHERE is_own))
     UNION ALL
     SELECT 'postingDate', p.id::text FROM posting p JOIN journal_entry e ON e.id = p.entry_id
      WHERE (p.entry_date, p.period) IS DISTINCT FROM (e.entry_date, e.period)`,
  );
  return rows;
}

/** Σ of each account's postings, straight from the table: what every balance must equal. */
export async function directBalances(db: Client, at: string | null = null): Promise<Map<string, number>> {
  const { rows } = await db.query<{ account_id: string; total: string }>(
    `SELECT account_id, sum(amount_oere)::text AS total FROM posting WHERE $1::date IS NULL OR entry_date <= $1::date GROUP BY account_id`,
    [at],
  );
  return new Map(rows.map((r) => [r.account_id, Number(r.total)]));
}
