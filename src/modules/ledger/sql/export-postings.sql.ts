/**
 * Every posting of a month (by entry period), optionally of one owner's accounts, with its entry, its account's
 * place in the chart of accounts and its owner: the ERP's import. $1 the period (first day of the month),
 * $2 the owner id or null. Ordered by date, entry and posting, so that an entry's postings stay together.
 */
export const EXPORT_POSTINGS = `
SELECT p.id::text AS posting_id, e.id AS entry_id, e.entry_date::text AS entry_date, to_char(e.period, 'YYYY-MM') AS period,
       e.kind, e.description, e.source_ref,
       a.id AS account_id, a.number AS account_number, a.name AS account_name, a.account_function, a.art,
       a.owner_kind, a.owner_id, COALESCE(ou.name, m.name) AS owner_name, p.amount_oere::text AS amount_oere
  FROM journal_entry e
  JOIN posting p ON p.entry_id = e.id
  JOIN ledger_account a ON a.id = p.account_id
  LEFT JOIN org_unit ou ON a.owner_kind <> 'municipality' AND ou.id = a.owner_id
  LEFT JOIN municipality m ON a.owner_kind = 'municipality' AND m.id = a.owner_id
 WHERE e.period = $1::date AND ($2::uuid IS NULL OR a.owner_id = $2::uuid)
 ORDER BY e.entry_date, e.created_at, e.id, p.id`;
