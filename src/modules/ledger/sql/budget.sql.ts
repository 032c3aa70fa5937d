/** A budget row, with timestamps and bigint columns as text (checked into safe integers by the service). */
export interface BudgetRow {
  id: string;
  institution_id: string;
  year: number;
  version_no: number;
  status: 'draft' | 'approved' | 'superseded';
  tolerance_oere: string;
  note: string | null;
  approved_at: Date | null;
  approved_by: string | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const SELECT_BUDGET = `
  SELECT b.id, b.institution_id, b.year, b.version_no, b.status, b.tolerance_oere::text AS tolerance_oere, b.note,
         b.approved_at, b.approved_by, b.created_by, b.version, b.created_at, b.updated_at
    FROM budget b`;

export interface BudgetLineRow {
  budget_id: string;
  line_no: number;
  kind: 'serviceIncome' | 'externalSale' | 'expense';
  standard_code: string | null;
  planned_units: string | null;
  rate_oere: string | null;
  rate_id: string | null;
  expense_category: string | null;
  municipality_id: string | null;
  amount_oere: string;
  description: string | null;
}

/** The lines of any number of budgets ($1 uuid[]), in line order. */
export const SELECT_LINES = `
  SELECT budget_id, line_no, kind, standard_code, planned_units::text AS planned_units, rate_oere::text AS rate_oere, rate_id,
         expense_category, municipality_id, amount_oere::text AS amount_oere, description
    FROM budget_line WHERE budget_id = ANY($1::uuid[]) ORDER BY budget_id, line_no`;

/** Inserts a budget's lines ($1) from a JSON array ($2) in one statement. */
export const INSERT_LINES = `
  INSERT INTO budget_line (budget_id, line_no, kind, standard_code, planned_units, rate_oere, rate_id, expense_category,
                           municipality_id, amount_oere, description)
  SELECT $1, l.line_no, l.kind, l.standard_code, l.planned_units, l.rate_oere, l.rate_id, l.expense_category,
         l.municipality_id, l.amount_oere, l.description
    FROM jsonb_to_recordset($2::jsonb) AS l(line_no int, kind text, standard_code text, planned_units numeric, rate_oere bigint,
                                           rate_id uuid, expense_category text, municipality_id uuid, amount_oere bigint, description text)`;

/** Copies one budget's lines ($1) onto another ($2), as they are (rates included). */
export const COPY_LINES = `
  INSERT INTO budget_line (budget_id, line_no, kind, standard_code, planned_units, rate_oere, rate_id, expense_category,
                           municipality_id, amount_oere, description)
  SELECT $2, line_no, kind, standard_code, planned_units, rate_oere, rate_id, expense_category, municipality_id, amount_oere, description
    FROM budget_line WHERE budget_id = $1`;

export interface ActualsRow {
  internal_sales: string;
  external_sales: string;
  expenses: string;
}

/**
 * An institution's actual figures for a year ($1 institution, $2 year) from its ledger: income is the credit
 * balance of its internal and external sale accounts (−Σ postings), expenses the debit balance of its expense
 * accounts (Σ postings). Year-end closing entries (kind yearEnd) move these balances to the result and are left
 * out, so the figures stay those of the year's operations. Uses ix_posting_account (account, entry_date).
 */
export const SELECT_ACTUALS = `
  SELECT (-coalesce(sum(p.amount_oere) FILTER (WHERE a.kind = 'internalSale'), 0))::text AS internal_sales,
         (-coalesce(sum(p.amount_oere) FILTER (WHERE a.kind = 'externalSale'), 0))::text AS external_sales,
         coalesce(sum(p.amount_oere) FILTER (WHERE a.kind = 'expense'), 0)::text AS expenses
    FROM ledger_account a
    JOIN posting p ON p.account_id = a.id
                  AND p.entry_date >= make_date($2::int, 1, 1) AND p.entry_date < make_date($2::int + 1, 1, 1)
    JOIN journal_entry e ON e.id = p.entry_id AND e.kind <> 'yearEnd'
   WHERE a.owner_kind = 'institution' AND a.owner_id = $1 AND a.kind IN ('internalSale', 'externalSale', 'expense')`;
