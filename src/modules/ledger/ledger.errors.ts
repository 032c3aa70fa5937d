import { registerConstraintMessages } from 'src/platform/errors/constraint-messages';

registerConstraintMessages({
  fk_ledger_account_owner: { status: 422, message: "the account's owner does not exist", missing: { status: 422, message: "the account's owner does not exist", pointer: '/ownerId' } },
  ck_ledger_account_fixed: { status: 409, message: 'an account keeps its owner, kind and place in the chart of accounts' },
  uq_ledger_account_number: { status: 409, message: 'an account with this number exists', pointer: '/number' },
  fk_posting_account: { status: 409, message: 'the account has postings', missing: { status: 422, message: 'the account does not exist', pointer: '/postings' } },
  ck_entry_balanced: { status: 422, message: 'an entry has two or more postings that sum to zero', pointer: '/postings' },
  ck_posting_amount: { status: 422, message: 'a posting amount is a non-zero whole number of øre', pointer: '/postings' },
  ck_posting_entry_date: { status: 422, message: "a posting carries its entry's date and period" },
  ck_period_closed: { status: 409, message: 'the period is closed for an account the entry touches' },
  ck_journal_entry_period: { status: 422, message: 'the entry date lies in its period (a month)', pointer: '/entryDate' },
  uq_journal_entry_idempotency: { status: 409, message: 'an entry with this idempotency key exists' },
  uq_journal_entry_reverses: { status: 409, message: 'the entry is reversed already' },
  uq_budget_current: { status: 409, message: 'the institution has an approved budget for the year: it is superseded by approving a new version' },
  uq_budget_draft: { status: 409, message: 'the institution has a draft budget for the year already' },
  uq_budget_version: { status: 409, message: 'someone made a budget version at the same time; reload and retry' },
  ck_budget_fixed: { status: 409, message: 'an approved budget is never edited; make a new version' },
  uq_expense_line_reference: { status: 409, message: 'an expense line with this external reference is booked already', pointer: '/lines' },
  uq_expense_batch_key: { status: 409, message: 'an expense batch with this idempotency key exists' },
});
