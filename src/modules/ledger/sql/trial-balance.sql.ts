/**
 * Trial balance (råbalance) for a month: per account, the opening balance (postings before the month), the
 * month's debits and credits, and the closing balance. Computed from postings in one pass over the accounts'
 * postings up to the month's end. Accounts without any posting up to then are left out.
 *
 * $1 the month's first day, $2 owner id (null: the whole ledger).
 */
export const TRIAL_BALANCE_SQL = `
  SELECT a.id, a.number, a.name, a.kind, a.owner_id, a.account_function, a.art,
         coalesce(sum(p.amount_oere) FILTER (WHERE p.entry_date < $1::date), 0)::text AS opening,
         coalesce(sum(p.amount_oere) FILTER (WHERE p.entry_date >= $1::date AND p.amount_oere > 0), 0)::text AS debit,
         coalesce(-sum(p.amount_oere) FILTER (WHERE p.entry_date >= $1::date AND p.amount_oere < 0), 0)::text AS credit,
         sum(p.amount_oere)::text AS closing
    FROM ledger_account a
    JOIN posting p ON p.account_id = a.id AND p.entry_date < ($1::date + interval '1 month')::date
   WHERE ($2::uuid IS NULL OR a.owner_id = $2)
   GROUP BY a.id
   ORDER BY a.number`;

export interface TrialBalanceRow {
  id: string;
  number: string;
  name: string;
  kind: string;
  owner_id: string;
  account_function: string;
  art: string;
  opening: string;
  debit: string;
  credit: string;
  closing: string;
}
