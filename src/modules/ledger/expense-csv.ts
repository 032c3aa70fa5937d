import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { FieldError } from 'src/platform/errors/domain-error';
import { checkExpenseLine, ExpenseLineInput, MAX_EXPENSE_LINES } from 'src/modules/ledger/expense-line';

/**
 * The CSV import file: a header line, then one expense per line, UTF-8 (a BOM is allowed), fields separated
 * by `;` (what Danish Excel writes, and what our exports use) — or by `,` when the header line has no `;`.
 * Columns, in any order: institution_id (the institution's UUID), month (YYYY-MM), category, amount_oere (a
 * signed whole number of øre: 123456 is 1.234,56 kr.; kroner with a decimal comma are refused rather than
 * guessed at), external_ref, and optionally description.
 */
export const CSV_COLUMNS = { institution_id: 'institutionId', month: 'month', category: 'category', amount_oere: 'amountOere', external_ref: 'externalRef', description: 'description' } as const;
type Column = keyof typeof CSV_COLUMNS;
const REQUIRED: Column[] = ['institution_id', 'month', 'category', 'amount_oere', 'external_ref'];
const FIELD_TO_COLUMN = Object.fromEntries(Object.entries(CSV_COLUMNS).map(([c, f]) => [f, c])) as Record<string, string>;

/** A CSV line's place in the error report: RFC 7111's fragment for a row of a text/csv document. */
export const csvPointer = (lineNo: number) => `#row=${lineNo}`;

export interface ParsedCsv {
  lines: { line: ExpenseLineInput; lineNo: number }[];
  /** One entry per bad line (its number in the file, the header being line 1) and reason. */
  errors: FieldError[];
}

/**
 * Parses and checks the whole file, streaming its records through csv-parse, and collects every bad line
 * rather than stopping at the first: the sender fixes the file once. Nothing is booked here.
 */
export async function parseExpenseCsv(text: string): Promise<ParsedCsv> {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const parser = parse({
    delimiter: firstLine.includes(';') ? ';' : ',',
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
    // A line with too many or too few fields is reported and the rest still checked.
    skip_records_with_error: true,
    max_record_size: 10_000,
  });
  const errors: FieldError[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => {
    errors.push({ pointer: csvPointer(err.lines ?? 0), reason: `line ${err.lines ?? '?'}: ${err.message}` });
  });
  Readable.from([text]).pipe(parser);

  const lines: ParsedCsv['lines'] = [];
  let header: (Column | null)[] | null = null;
  let records = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const lineNo = info.lines;
    if (!header) {
      const names = record.map((h) => h.toLowerCase());
      const unknown = names.filter((n) => !(n in CSV_COLUMNS));
      const missing = REQUIRED.filter((c) => !names.includes(c));
      const twice = names.filter((n, i) => names.indexOf(n) !== i);
      if (unknown.length || missing.length || twice.length) {
        const reasons = [missing.length && `missing column ${missing.join(', ')}`, unknown.length && `unknown column ${unknown.join(', ')}`, twice.length && `column ${twice.join(', ')} twice`].filter(Boolean);
        errors.push({ pointer: csvPointer(lineNo), reason: `line ${lineNo} (the header): ${reasons.join('; ')}; the columns are ${Object.keys(CSV_COLUMNS).join(', ')}` });
        return { lines: [], errors };
      }
      header = names as Column[];
      continue;
    }
    if (++records > MAX_EXPENSE_LINES) {
      errors.push({ pointer: csvPointer(lineNo), reason: `line ${lineNo}: a file has at most ${MAX_EXPENSE_LINES} expense lines` });
      break;
    }
    const raw: Record<string, unknown> = {};
    header.forEach((column, i) => {
      if (!column) return;
      const value = record[i];
      if (column === 'description') raw.description = value === '' ? null : value;
      else if (column === 'amount_oere') raw.amountOere = /^-?[0-9]{1,16}$/.test(value) ? Number(value) : value;
      else raw[CSV_COLUMNS[column]] = value;
    });
    const checked = checkExpenseLine(raw, () => csvPointer(lineNo), (field) => `line ${lineNo}: ${FIELD_TO_COLUMN[field] ?? field}`);
    if (checked.line) lines.push({ line: checked.line, lineNo });
    else errors.push(...checked.errors);
  }
  if (!header && !errors.length) errors.push({ pointer: csvPointer(1), reason: `the file is empty: a header line with ${REQUIRED.join(';')} and expense lines are expected` });
  else if (header && !records && !errors.length) errors.push({ pointer: csvPointer(2), reason: 'the file has a header but no expense lines' });
  // Reported in the file's order (a line with the wrong number of fields is reported as the parser meets it).
  const row = (e: FieldError) => Number(e.pointer.slice('#row='.length));
  return { lines, errors: errors.sort((a, b) => row(a) - row(b)) };
}
