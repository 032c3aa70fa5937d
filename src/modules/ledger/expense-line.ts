import { createHash } from 'node:crypto';
import { FieldError } from 'src/platform/errors/domain-error';
import { EXPENSE_CATEGORIES, ExpenseCategory } from 'src/modules/ledger/ledger.constants';

/** An expense line as the finance system sends it, checked: one journal entry each. */
export interface ExpenseLineInput {
  institutionId: string;
  /** YYYY-MM. */
  month: string;
  category: ExpenseCategory;
  /** Signed øre: a cost is positive, a credit note (refund) negative; never 0. */
  amountOere: number;
  /** The finance system's own reference (bilagsnummer): unique across every batch ever booked. */
  externalRef: string;
  description: string | null;
}

/** How many lines one batch (JSON or CSV) may carry: every line is one entry written in the same transaction. */
export const MAX_EXPENSE_LINES = 10_000;
export const MAX_EXTERNAL_REF = 200;
export const MAX_DESCRIPTION = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
// Control characters in a reference would hide in an ERP's screens and logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const FIELDS = ['institutionId', 'month', 'category', 'amountOere', 'externalRef', 'description'] as const;
type Field = (typeof FIELDS)[number];

/** Where a line's field is (null: the line itself), for the error report: a JSON pointer, or a CSV line. */
export type FieldLocator = (field: string | null) => string;

/**
 * Checks one line's shape (the database facts — does the institution exist, is the period open — come after).
 * The same rules for a JSON batch and a CSV file, so that both reject the same lines for the same reasons.
 * Returns the line or every reason it is bad.
 */
export function checkExpenseLine(raw: unknown, at: FieldLocator, label: (field: Field) => string = (f) => f): { line?: ExpenseLineInput; errors: FieldError[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { errors: [{ pointer: at(null), reason: 'a line is an object' }] };
  const r = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  const bad = (field: Field, reason: string) => errors.push({ pointer: at(field), reason: `${label(field)}: ${reason}` });
  for (const key of Object.keys(r)) if (!(FIELDS as readonly string[]).includes(key)) errors.push({ pointer: at(key), reason: `${key}: unknown field` });

  const { institutionId, month, category, amountOere, externalRef, description } = r;
  if (typeof institutionId !== 'string' || !UUID.test(institutionId)) bad('institutionId', institutionId == null || institutionId === '' ? 'required' : 'not an institution id (a UUID)');
  const m = typeof month === 'string' ? MONTH.exec(month) : null;
  if (!m) bad('month', month == null || month === '' ? 'required' : 'a month written YYYY-MM');
  else if (Number(m[1]) < 2000 || Number(m[1]) > 2100) bad('month', 'a month between 2000 and 2100');
  if (typeof category !== 'string' || !(EXPENSE_CATEGORIES as readonly string[]).includes(category))
    bad('category', category == null || category === '' ? 'required' : `unknown category; one of ${EXPENSE_CATEGORIES.join(', ')}`);
  if (typeof amountOere !== 'number' || !Number.isSafeInteger(amountOere))
    bad('amountOere', amountOere == null || amountOere === '' ? 'required' : 'a whole number of øre (e.g. 123456 for 1.234,56 kr.)');
  else if (amountOere === 0) bad('amountOere', 'not 0 (a cost is positive, a credit note negative)');
  const ref = typeof externalRef === 'string' ? externalRef.trim() : externalRef;
  if (typeof ref !== 'string' || ref === '') bad('externalRef', 'required');
  else if (ref.length > MAX_EXTERNAL_REF) bad('externalRef', `at most ${MAX_EXTERNAL_REF} characters`);
  else if (CONTROL.test(ref)) bad('externalRef', 'no control characters');
  const text = typeof description === 'string' ? description.trim() : description;
  if (text != null && typeof text !== 'string') bad('description', 'text');
  else if (typeof text === 'string' && text.length > MAX_DESCRIPTION) bad('description', `at most ${MAX_DESCRIPTION} characters`);

  if (errors.length) return { errors };
  return {
    errors,
    line: {
      institutionId: (institutionId as string).toLowerCase(),
      month: month as string,
      category: category as ExpenseCategory,
      amountOere: amountOere as number,
      externalRef: ref as string,
      description: typeof text === 'string' && text !== '' ? text : null,
    },
  };
}

/** A reference used twice in one batch: the later line is the bad one, naming the first. */
export function duplicateRefs(lines: { line: ExpenseLineInput; index: number }[], at: (index: number) => string, name: (index: number) => string): FieldError[] {
  const first = new Map<string, number>();
  const errors: FieldError[] = [];
  for (const { line, index } of lines) {
    const seen = first.get(line.externalRef);
    if (seen === undefined) first.set(line.externalRef, index);
    else errors.push({ pointer: at(index), reason: `externalRef ${line.externalRef} is used by ${name(seen)} of this batch already` });
  }
  return errors;
}

/** The last calendar day of a YYYY-MM month: the date an expense of that month is booked on. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The batch's content hash: the checked lines in order, whatever the source or the JSON key order. */
export function batchHash(lines: ExpenseLineInput[]): string {
  const canonical = JSON.stringify(lines.map((l) => [l.institutionId, l.month, l.category, l.amountOere, l.externalRef, l.description]));
  return createHash('sha256').update(canonical).digest('hex');
}

/** Σ of the lines in øre, refused if it would leave the safe integer range. */
export function totalOf(lines: ExpenseLineInput[]): number {
  const total = lines.reduce((s, l) => s + BigInt(l.amountOere), 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError('the batch total is outside the safe integer range');
  return Number(total);
}
