import type { Role } from 'src/modules/organisation/organisation.constants';

/** Who owns an account: the authority (myndighed), an institution (tilbud), or another municipality (debitor/kreditor). */
export const OWNER_KINDS = ['authority', 'institution', 'municipality'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

/**
 * Account kinds: interne køb/salg (art 9.x), eksterne køb/salg med andre kommuner (art 4.7/7.7), udgifter by
 * category, tilgodehavender (receivable), gæld (payable), budget, and the result carried (overført resultat).
 */
export const ACCOUNT_KINDS = [
  'internalPurchase',
  'internalSale',
  'externalPurchase',
  'externalSale',
  'expense',
  'receivable',
  'payable',
  'budget',
  'result',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Expense categories of an institution's costs. */
export const EXPENSE_CATEGORIES = ['personnel', 'premises', 'food', 'transport', 'activities', 'administration', 'other'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

/** Journal entry kinds. */
export const ENTRY_KINDS = ['manual', 'settlement', 'adjustment', 'expense', 'reversal', 'yearEnd', 'opening'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const PERIOD_STATUSES = ['open', 'closed'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

/** A budget version: drafted, then approved (immutable); a new version supersedes it. */
export const BUDGET_STATUSES = ['draft', 'approved', 'superseded'] as const;
export type BudgetStatus = (typeof BUDGET_STATUSES)[number];

/** Budget lines: income by service (planned units × rate), sales to other municipalities, expenses by category. */
export const BUDGET_LINE_KINDS = ['serviceIncome', 'externalSale', 'expense'] as const;
export type BudgetLineKind = (typeof BUDGET_LINE_KINDS)[number];

/** Finance runs the ledger; institution managers read their own institution's accounts and budget. */
export const LEDGER_WRITE_ROLES: readonly Role[] = ['finance'];
export const LEDGER_READ_ROLES: readonly Role[] = ['finance', 'institutionManager'];
/** The API-key scope that may post entries (e.g. an ERP integration). */
export const LEDGER_WRITE_SCOPE = 'ledger:write';
