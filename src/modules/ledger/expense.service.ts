/*
 * Expenses from the municipality's finance system (udgifter), booked into the BUM ledger.
 *
 * Conventions (for AccountService.ensureStandardAccounts() to align with; see expense-accounts.ts):
 * - An expense line is one journal entry of kind `expense`, idempotency key `expense:<externalRef>`, source
 *   reference `<externalRef>`, dated the LAST day of its month (the cost belongs to the month: a balance at
 *   the month's end includes it, one at any earlier day of the month does not claim it yet).
 * - Debit the institution's expense account for the category, credit the institution's payable account
 *   ("skyldige udgifter": the municipality's finance system paid the bill, the institution owes it). Both
 *   accounts are the institution's own, so each institution's ledger still nets to zero on its own.
 * - Account numbers `I-<first 8 hex of the institution id, upper case>-EXP-<category>` and
 *   `I-<same>-PAY`; kinds `expense` (with expense_category) and `payable`; function = the function of the
 *   institution's main service in the catalogue; art by category (EXPENSE_ART) and 9 for the payable. An
 *   existing active account of the institution with that kind (and category) is used whatever its number.
 * - Idempotency: per batch by the Idempotency-Key header (kept in expense_batch: same key and same lines →
 *   200 with the original batch; other lines → 409) and per line by externalRef (unique across batches: a
 *   reference booked before, in any batch, is 409 and nothing of the new batch is written).
 * - All or nothing: every line is checked before anything is written; a bad line is 422 with one error per
 *   bad line (`/lines/{i}/<field>` for JSON, `#row=<line in the file>` for CSV), and the whole batch is one
 *   transaction.
 */
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';
import { DomainError, FieldError, notFound } from 'src/platform/errors/domain-error';
import { decodeCursor, Page, pageOf } from 'src/platform/http/pagination';
import { JournalWriter, NewEntry } from 'src/modules/ledger/journal-writer';
import { ExpenseAccounts } from 'src/modules/ledger/expense-accounts';
import { csvPointer, parseExpenseCsv } from 'src/modules/ledger/expense-csv';
import { batchHash, checkExpenseLine, duplicateRefs, ExpenseLineInput, lastDayOf, totalOf } from 'src/modules/ledger/expense-line';
import { ExpenseBatchView, ExpenseLineView, ListExpensesQuery } from 'src/modules/ledger/expense.dto';

const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,200}$/;
/** The advisory lock that serialises expense batches. */
const EXPENSE_BATCH_LOCK = 'ledger:expense-batches';

/** A checked line with where to point at it in an error report. */
interface Located {
  line: ExpenseLineInput;
  /** The pointer of the line (or of one of its fields). */
  at: (field: string | null) => string;
  /** How to name the line in a reason: "line 537" or "/lines/3". */
  name: string;
}

interface LineRow {
  id: string;
  batch_id: string;
  line_no: number;
  institution_id: string;
  month: string;
  expense_category: ExpenseLineView['category'];
  amount_oere: string;
  external_ref: string;
  description: string | null;
  entry_id: string;
}

const LINE_COLUMNS = `l.id, l.batch_id, l.line_no, l.institution_id, to_char(l.month, 'YYYY-MM') AS month, l.expense_category, l.amount_oere::text AS amount_oere, l.external_ref, l.description, l.entry_id`;

const toLine = (r: LineRow): ExpenseLineView => ({
  id: r.id,
  batchId: r.batch_id,
  lineNo: r.line_no,
  institutionId: r.institution_id,
  month: r.month,
  category: r.expense_category,
  amountOere: bigintTransformer.from(r.amount_oere) as number,
  externalRef: r.external_ref,
  description: r.description,
  entryId: r.entry_id,
});

export interface BookedBatch {
  batch: ExpenseBatchView;
  /** True when the key was seen before with the same lines: the original batch, nothing new written. */
  replayed: boolean;
}

@Injectable()
export class ExpenseService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly writer: JournalWriter,
    private readonly accounts: ExpenseAccounts,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  /** A JSON batch: each line checked (422 naming every bad one), then booked as one transaction. */
  async bookLines(principal: Principal, key: string | undefined, raw: unknown[]): Promise<BookedBatch> {
    const batchKey = checkKey(key);
    const errors: FieldError[] = [];
    const lines: (Located & { index: number })[] = [];
    raw.forEach((r, i) => {
      const at = (field: string | null) => (field === null ? `/lines/${i}` : `/lines/${i}/${field}`);
      const checked = checkExpenseLine(r, at, (field) => `/lines/${i}/${field}`);
      if (checked.line) lines.push({ line: checked.line, at, name: `/lines/${i}`, index: i });
      else errors.push(...checked.errors);
    });
    errors.push(...duplicateRefs(lines, (i) => `/lines/${i}/externalRef`, (i) => `/lines/${i}`));
    refuseBad(errors, raw.length);
    return this.book(principal, batchKey, 'api', lines);
  }

  /** A CSV file (text/csv): parsed and checked whole (422 with the number of every bad line), then booked. */
  async bookCsv(principal: Principal, key: string | undefined, text: string): Promise<BookedBatch> {
    const batchKey = checkKey(key);
    const parsed = await parseExpenseCsv(text);
    const lines: Located[] = parsed.lines.map(({ line, lineNo }) => ({ line, at: () => csvPointer(lineNo), name: `line ${lineNo}` }));
    const lineNos = parsed.lines.map((l) => l.lineNo);
    const errors = [
      ...parsed.errors,
      ...duplicateRefs(
        parsed.lines.map((l, index) => ({ line: l.line, index })),
        (i) => csvPointer(lineNos[i]),
        (i) => `line ${lineNos[i]}`,
      ).map((e) => ({ ...e, reason: `${e.pointer.replace('#row=', 'line ')}: ${e.reason}` })),
    ];
    refuseBad(errors, parsed.lines.length + parsed.errors.length, 'in the file');
    return this.book(principal, batchKey, 'csv', lines);
  }

  @Transactional()
  private async book(principal: Principal, key: string, source: 'api' | 'csv', lines: Located[]): Promise<BookedBatch> {
    const institutions = await this.accounts.institutions([...new Set(lines.map((l) => l.line.institutionId))]);
    const errors: FieldError[] = [];
    for (const l of lines) {
      const i = institutions.get(l.line.institutionId);
      if (!i) errors.push({ pointer: l.at('institutionId'), reason: `${l.name}: no institution has the id ${l.line.institutionId}` });
      else if (!i.isOwn) errors.push({ pointer: l.at('institutionId'), reason: `${l.name}: ${i.name} belongs to another municipality; its costs are in that municipality's books` });
    }
    refuseBad(errors, lines.length);

    // Batches are booked one at a time: a finance system sends a few a month, and serialised, a reference sent
    // in two batches at once is reported as the line it is (409 naming it) rather than as a bare unique
    // violation of whichever index the later one hit first. The unique indexes stay the guarantee.
    await this.db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [EXPENSE_BATCH_LOCK]);
    const lineInputs = lines.map((l) => l.line);
    const hash = batchHash(lineInputs);
    const actor = principal.id;
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO expense_batch (idempotency_key, request_hash, source, line_count, total_oere, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [key, hash, source, lines.length, String(totalOf(lineInputs)), actor],
    );
    if (!inserted.length) {
      const [prior]: { id: string; request_hash: string }[] = await this.db.query('SELECT id, request_hash FROM expense_batch WHERE idempotency_key = $1', [key]);
      if (prior.request_hash !== hash)
        throw new DomainError('idempotencyKeyReused', 'this Idempotency-Key was used for a batch with other lines', [{ pointer: '#header/Idempotency-Key', reason: 'already used for another batch' }]);
      return { batch: await this.batchView(prior.id), replayed: true };
    }
    const batchId = inserted[0].id;

    await this.refuseBookedRefs(lines);
    await this.refuseClosedPeriods(lines);

    const accounts = await this.accounts.resolve(
      lines.map((l) => ({ institution: institutions.get(l.line.institutionId)!, category: l.line.category })),
      actor,
    );
    const entries: NewEntry[] = lineInputs.map((l) => ({
      entryDate: lastDayOf(l.month),
      kind: 'expense',
      description: l.description ?? `Udgift (${l.category}) ${l.month}, bilag ${l.externalRef}`,
      sourceRef: l.externalRef,
      idempotencyKey: `expense:${l.externalRef}`,
      postings: [
        { accountId: accounts.get(`${l.institutionId}|${l.category}`)!, amountOere: l.amountOere },
        { accountId: accounts.get(`${l.institutionId}|payable`)!, amountOere: -l.amountOere },
      ],
    }));
    const posted = await this.writer.post(entries, actor);
    // An entry with the key existed already (posted by hand through the journal): the reference is booked.
    const replayed = posted.findIndex((p) => p.replayed);
    if (replayed >= 0)
      throw new DomainError('conflict', `${lines[replayed].name}: an entry for externalRef ${lineInputs[replayed].externalRef} is booked already`, [
        { pointer: lines[replayed].at('externalRef'), reason: 'booked already' },
      ]);

    await this.db.query(
      `INSERT INTO expense_line (batch_id, line_no, institution_id, month, expense_category, amount_oere, external_ref, description, entry_id)
       SELECT $1, n, i, (m || '-01')::date, c, a, r, d, e
         FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::uuid[]) AS x(n, i, m, c, a, r, d, e)`,
      [
        batchId,
        lineInputs.map((_, i) => i + 1),
        lineInputs.map((l) => l.institutionId),
        lineInputs.map((l) => l.month),
        lineInputs.map((l) => l.category),
        lineInputs.map((l) => String(l.amountOere)),
        lineInputs.map((l) => l.externalRef),
        lineInputs.map((l) => l.description),
        posted.map((p) => p.id),
      ],
    );
    return { batch: await this.batchView(batchId), replayed: false };
  }

  /** Per-line idempotency: a reference booked in an earlier batch refuses the whole new batch (409), naming each. */
  private async refuseBookedRefs(lines: Located[]): Promise<void> {
    const rows: { external_ref: string; idempotency_key: string; line_no: number }[] = await this.db.query(
      `SELECT l.external_ref, b.idempotency_key, l.line_no FROM expense_line l JOIN expense_batch b ON b.id = l.batch_id
        WHERE l.external_ref = ANY ($1::text[])`,
      [lines.map((l) => l.line.externalRef)],
    );
    if (!rows.length) return;
    const booked = new Map(rows.map((r) => [r.external_ref, r]));
    const errors = lines
      .filter((l) => booked.has(l.line.externalRef))
      .map((l) => {
        const b = booked.get(l.line.externalRef)!;
        return { pointer: l.at('externalRef'), reason: `${l.name}: externalRef ${l.line.externalRef} was booked in batch ${b.idempotency_key} (line ${b.line_no})` };
      });
    throw new DomainError('conflict', `${errors.length} line(s) were booked before in another batch; nothing of this batch was booked: ${errors[0].reason}`, errors);
  }

  /**
   * Names every line whose month is closed for its institution or for the whole area (409 periodClosed). The
   * journal writer checks again under the period's lock; this check is for a useful report.
   */
  private async refuseClosedPeriods(lines: Located[]): Promise<void> {
    const closed: { owner_id: string; month: string; is_area: boolean }[] = await this.db.query(
      `SELECT lp.owner_id, to_char(lp.month, 'YYYY-MM') AS month, m.id IS NOT NULL AS is_area
         FROM ledger_period lp LEFT JOIN municipality m ON m.id = lp.owner_id AND m.is_own
        WHERE lp.status = 'closed' AND lp.month = ANY ($1::date[])
          AND (lp.owner_id = ANY ($2::uuid[]) OR m.id IS NOT NULL)`,
      [[...new Set(lines.map((l) => `${l.line.month}-01`))], [...new Set(lines.map((l) => l.line.institutionId))]],
    );
    if (!closed.length) return;
    const isClosed = (l: ExpenseLineInput) => closed.some((c) => c.month === l.month && (c.is_area || c.owner_id === l.institutionId));
    const errors = lines.filter((l) => isClosed(l.line)).map((l) => ({ pointer: l.at('month'), reason: `${l.name}: the period ${l.line.month} is closed` }));
    if (errors.length) throw new DomainError('periodClosed', `${errors.length} line(s) fall in a closed period; nothing was booked: ${errors[0].reason}`, errors);
  }

  @Transactional()
  async getBatch(id: string): Promise<ExpenseBatchView> {
    return this.batchView(id);
  }

  private async batchView(id: string): Promise<ExpenseBatchView> {
    const [b]: { id: string; idempotency_key: string; source: 'api' | 'csv'; line_count: number; total_oere: string; created_at: Date }[] = await this.db.query(
      'SELECT id, idempotency_key, source, line_count, total_oere::text AS total_oere, created_at FROM expense_batch WHERE id = $1',
      [id],
    );
    if (!b) throw notFound('the expense batch');
    const lines: LineRow[] = await this.db.query(`SELECT ${LINE_COLUMNS} FROM expense_line l WHERE l.batch_id = $1 ORDER BY l.line_no`, [id]);
    return {
      id: b.id,
      idempotencyKey: b.idempotency_key,
      source: b.source,
      lineCount: b.line_count,
      totalOere: bigintTransformer.from(b.total_oere) as number,
      createdAt: b.created_at.toISOString(),
      lines: lines.map(toLine),
    };
  }

  /** Expense lines by institution and/or month, with their entry ids. An institution manager sees their own. */
  @Transactional()
  async list(principal: Principal, q: ListExpensesQuery): Promise<Page<ExpenseLineView>> {
    let institutionId = q.institutionId ?? null;
    if (principal.role !== 'finance') {
      if (!principal.institutionId || (institutionId && institutionId !== principal.institutionId)) throw notFound('the institution');
      institutionId = principal.institutionId;
    }
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: LineRow[] = await this.db.query(
      `SELECT ${LINE_COLUMNS} FROM expense_line l
        WHERE ($1::uuid IS NULL OR l.institution_id = $1) AND ($2::date IS NULL OR l.month = $2) AND ($3::uuid IS NULL OR l.batch_id = $3)
          AND ($4::text IS NULL OR (to_char(l.month, 'YYYY-MM'), l.external_ref) > ($4, $5::text))
        ORDER BY l.month, l.external_ref LIMIT $6`,
      [institutionId, q.month ? `${q.month}-01` : null, q.batchId ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return pageOf(rows.map(toLine), limit, (l) => [l.month, l.externalRef]);
  }
}

function checkKey(key: string | undefined): string {
  if (!key) throw new DomainError('idempotencyKeyMissing', 'an expense batch needs an Idempotency-Key header (the batch key)', [{ pointer: '#header/Idempotency-Key', reason: 'required' }]);
  if (!KEY_FORMAT.test(key))
    throw new DomainError('badRequest', 'Idempotency-Key must be 8-200 characters of letters, digits, . _ : -', [{ pointer: '#header/Idempotency-Key', reason: 'invalid format' }]);
  return key;
}

function refuseBad(errors: FieldError[], total: number, where = 'in the batch'): void {
  if (!errors.length) return;
  const bad = new Set(errors.map((e) => e.pointer.replace(/^(\/lines\/\d+).*$/, '$1'))).size;
  throw new DomainError('ruleViolated', `${bad} of ${total} line(s) ${where} are not valid; nothing was booked. First: ${errors[0].reason}`, errors);
}
