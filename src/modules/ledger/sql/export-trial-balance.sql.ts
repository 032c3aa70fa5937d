/**
 * Saldobalance for a month: per account with a balance or a posting up to the month's end, the opening balance
 * (every posting dated before the month), the month's debits and credits (credits as a positive amount) and
 * the closing balance = opening + debit − credit. Over all accounts each column nets as the journal does:
 * Σ opening = Σ closing = 0 and Σ debit = Σ credit. $1 the period (first day), $2 the owner id or null.
 */
export const EXPORT_TRIAL_BALANCE = `
WITH sums AS (
  SELECT p.account_id,
         COALESCE(sum(p.amount_oere) FILTER (WHERE p.entry_date < $1::date), 0) AS opening,
         COALESCE(sum(p.amount_oere) FILTER (WHERE p.entry_date >= $1::date AND p.amount_oere > 0), 0) AS debit,
         COALESCE(-sum(p.amount_oere) FILTER (WHERE p.entry_date >= $1::date AND p.amount_oere < 0), 0) AS credit
    FROM posting p
    JOIN ledger_account a ON a.id = p.account_id
   WHERE p.entry_date < ($1::date + interval '1 month')::date AND ($2::uuid IS NULL OR a.owner_id = $2::uuid)
   GROUP BY p.account_id
)
SELECT a.id AS account_id, a.number AS account_number, a.name AS account_name, a.kind, a.account_function, a.art,
       a.owner_kind, a.owner_id, COALESCE(ou.name, m.name) AS owner_name,
       s.opening::text AS opening, s.debit::text AS debit, s.credit::text AS credit, (s.opening + s.debit - s.credit)::text AS closing
  FROM sums s
  JOIN ledger_account a ON a.id = s.account_id
  LEFT JOIN org_unit ou ON a.owner_kind <> 'municipality' AND ou.id = a.owner_id
  LEFT JOIN municipality m ON a.owner_kind = 'municipality' AND m.id = a.owner_id
 WHERE s.opening <> 0 OR s.debit <> 0 OR s.credit <> 0
 ORDER BY a.account_function, a.number`;
