/**
 * Balances are computed from postings every time; nothing is cached, so a balance cannot drift from the sum
 * of its postings. `ix_posting_account (account_id, entry_date)` makes a point-in-time sum an index range scan.
 *
 * $1 account ids (null: every account of $2), $2 owner id (null: any), $3 the day (null: every posting).
 */
export const BALANCES_SQL = `
  SELECT a.id, a.number, a.name, a.kind, a.owner_id, a.account_function, a.art,
         coalesce(sum(p.amount_oere), 0)::text AS balance,
         coalesce(sum(p.amount_oere) FILTER (WHERE p.amount_oere > 0), 0)::text AS debit,
         coalesce(-sum(p.amount_oere) FILTER (WHERE p.amount_oere < 0), 0)::text AS credit,
         count(p.id)::int AS posting_count
    FROM ledger_account a
    LEFT JOIN posting p ON p.account_id = a.id AND ($3::date IS NULL OR p.entry_date <= $3::date)
   WHERE ($1::uuid[] IS NULL OR a.id = ANY($1::uuid[])) AND ($2::uuid IS NULL OR a.owner_id = $2)
   GROUP BY a.id
   ORDER BY a.number`;

export interface BalanceRow {
  id: string;
  number: string;
  name: string;
  kind: string;
  owner_id: string;
  account_function: string;
  art: string;
  balance: string;
  debit: string;
  credit: string;
  posting_count: number;
}
