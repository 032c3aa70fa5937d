import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound } from 'src/platform/errors/domain-error';
import { decodeCursor, Page, pageOf } from 'src/platform/http/pagination';
import { BudgetLines, LineInsert } from 'src/modules/ledger/budget-lines';
import { oereOf, totalsOf } from 'src/modules/ledger/budget-result';
import {
  BudgetView,
  CreateBudgetDto,
  ListBudgetsQuery,
  UpdateBudgetDto,
} from 'src/modules/ledger/budget.dto';
import { LEDGER_WRITE_ROLES } from 'src/modules/ledger/ledger.constants';
import {
  BudgetLineRow,
  BudgetRow,
  COPY_LINES,
  INSERT_LINES,
  SELECT_BUDGET,
  SELECT_LINES,
} from 'src/modules/ledger/sql/budget.sql';
import 'src/modules/ledger/ledger.errors';

function toView(b: BudgetRow, lines: BudgetLineRow[]): BudgetView {
  const tolerance = oereOf(b.tolerance_oere);
  const viewLines = lines.map((l) => ({
    lineNo: l.line_no,
    kind: l.kind,
    standardCode: l.standard_code,
    plannedUnits: l.planned_units === null ? null : Number(l.planned_units),
    rateOere: l.rate_oere === null ? null : oereOf(l.rate_oere),
    rateId: l.rate_id,
    municipalityId: l.municipality_id,
    expenseCategory: l.expense_category as BudgetView['lines'][number]['expenseCategory'],
    amountOere: oereOf(l.amount_oere),
    description: l.description,
  }));
  return {
    id: b.id,
    institutionId: b.institution_id,
    year: b.year,
    versionNo: b.version_no,
    status: b.status,
    toleranceOere: tolerance,
    note: b.note,
    approvedAt: b.approved_at?.toISOString() ?? null,
    approvedBy: b.approved_by,
    createdBy: b.created_by,
    createdAt: b.created_at.toISOString(),
    updatedAt: b.updated_at.toISOString(),
    version: b.version,
    lines: viewLines,
    totals: totalsOf(viewLines, tolerance),
  };
}

/** Finance reads every budget; an institution manager their own institution's. */
export function mayReadBudgets(principal: Principal, institutionId: string): boolean {
  return (
    principal.role === 'finance' ||
    (principal.role === 'institutionManager' && principal.institutionId === institutionId)
  );
}

/**
 * Institution budgets (DOMAIN.md §4, law.md rule 29): per institution and year, versioned. A draft holds
 * service income (planned units × the catalogue's rate on 1 January of the year), sales to other municipalities
 * and expenses by category; approval needs |income − expenses| ≤ the tolerance finance set, fixes the version
 * and supersedes the one approved before. The year-end result is read from the ledger.
 */
@Injectable()
export class BudgetService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly lines: BudgetLines,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, dto: CreateBudgetDto): Promise<BudgetView> {
    this.requireWriter(principal);
    await this.lockYear(dto.institutionId, dto.year);
    const lines = await this.lines.prepare(dto.institutionId, dto.year, dto.lines);
    await this.refuseSecondDraft(dto.institutionId, dto.year);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO budget (institution_id, year, version_no, tolerance_oere, note, created_by, version)
       SELECT $1, $2, coalesce(max(version_no), 0) + 1, $3, $4, $5, 1 FROM budget WHERE institution_id = $1 AND year = $2
       RETURNING id`,
      [dto.institutionId, dto.year, dto.toleranceOere, dto.note?.trim() || null, principal.id],
    );
    await this.insertLines(id, lines);
    return this.requireView(id);
  }

  @Transactional()
  async list(principal: Principal, q: ListBudgetsQuery): Promise<Page<BudgetView>> {
    let institutionId = q.institutionId ?? null;
    if (principal.role !== 'finance') {
      if (institutionId && institutionId !== principal.institutionId) throw notFound('institution');
      institutionId = principal.institutionId;
      if (!institutionId) throw notFound('institution');
    }
    const after = decodeCursor(q.cursor, 3) as [number, string, number] | null;
    const limit = q.limit ?? 50;
    // Newest year first, then by institution, newest version first.
    const rows: BudgetRow[] = await this.db.query(
      `${SELECT_BUDGET}
        WHERE ($1::uuid IS NULL OR b.institution_id = $1) AND ($2::int IS NULL OR b.year = $2) AND ($3::text IS NULL OR b.status = $3)
          AND ($4::int IS NULL OR (-b.year, b.institution_id, -b.version_no) > (-$4::int, $5::uuid, -$6::int))
        ORDER BY b.year DESC, b.institution_id, b.version_no DESC LIMIT $7`,
      [
        institutionId,
        q.year ?? null,
        q.status ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        limit + 1,
      ],
    );
    const page = pageOf(rows, limit, (b) => [b.year, b.institution_id, b.version_no]);
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
  }

  @Transactional()
  async get(principal: Principal, id: string): Promise<BudgetView> {
    const row = await this.findRow(id);
    if (!row || !mayReadBudgets(principal, row.institution_id)) throw notFound('budget');
    return (await this.views([row]))[0];
  }

  /** Change a draft (If-Match): tolerance, note, and — when given — every line, with rates fetched again. */
  @Transactional()
  async update(principal: Principal, id: string, version: number, dto: UpdateBudgetDto): Promise<BudgetView> {
    this.requireWriter(principal);
    const current = await this.lockDraft(id, version);
    if (dto.lines) {
      const lines = await this.lines.prepare(current.institution_id, current.year, dto.lines);
      rowsOf(await this.db.query('DELETE FROM budget_line WHERE budget_id = $1', [id]));
      await this.insertLines(id, lines);
    }
    const note = dto.note === undefined ? current.note : dto.note?.trim() || null;
    const updated = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE budget SET tolerance_oere = $3, note = $4, version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING id`,
        [id, version, dto.toleranceOere ?? current.tolerance_oere, note],
      ),
    );
    if (updated.length !== 1) throw new Error('the locked budget was not updated');
    return this.requireView(id);
  }

  /**
   * Approve a draft (If-Match): refused (422) unless income − expenses lies within the tolerance. The version
   * approved before for the institution and year becomes superseded in the same transaction, first: the
   * partial unique index allows one approved budget per institution and year.
   */
  @Transactional()
  async approve(principal: Principal, id: string, version: number): Promise<BudgetView> {
    this.requireWriter(principal);
    const found = await this.findRow(id);
    if (!found) throw notFound('budget');
    await this.lockYear(found.institution_id, found.year);
    const current = await this.lockDraft(id, version);
    const [view] = await this.views([current]);
    const t = view.totals;
    if (!t.netsToZero) {
      const beyond = Math.abs(t.resultOere) - view.toleranceOere;
      const message =
        `the budget does not net to zero: income ${t.incomeOere} øre − expenses ${t.expensesOere} øre = ${t.resultOere} øre, ` +
        `${beyond} øre beyond the tolerance of ${view.toleranceOere} øre`;
      throw new DomainError('ruleViolated', message, [
        { pointer: '/lines', reason: `income − expenses = ${t.resultOere} øre` },
      ]);
    }
    rowsOf(
      await this.db.query(
        `UPDATE budget SET status = 'superseded', version = version + 1, updated_at = now()
          WHERE institution_id = $1 AND year = $2 AND status = 'approved'`,
        [current.institution_id, current.year],
      ),
    );
    const approved = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE budget SET status = 'approved', approved_at = now(), approved_by = $3, version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 AND status = 'draft' RETURNING id`,
        [id, version, principal.id],
      ),
    );
    if (approved.length !== 1) throw new Error('the locked draft was not approved');
    return this.requireView(id);
  }

  /** A new draft version copying the approved budget's lines as they are (rates included), tolerance and note. */
  @Transactional()
  async newVersion(principal: Principal, id: string): Promise<BudgetView> {
    this.requireWriter(principal);
    const found = await this.findRow(id);
    if (!found) throw notFound('budget');
    await this.lockYear(found.institution_id, found.year);
    const source = (await this.findRow(id))!;
    if (source.status !== 'approved')
      throw conflict(`only the approved budget is copied into a new version; this one is ${source.status}`);
    await this.refuseSecondDraft(source.institution_id, source.year);
    const [{ id: newId }]: { id: string }[] = await this.db.query(
      `INSERT INTO budget (institution_id, year, version_no, tolerance_oere, note, created_by, version)
       SELECT $1, $2, max(version_no) + 1, $3, $4, $5, 1 FROM budget WHERE institution_id = $1 AND year = $2
       RETURNING id`,
      [source.institution_id, source.year, source.tolerance_oere, source.note, principal.id],
    );
    await this.db.query(COPY_LINES, [id, newId]);
    return this.requireView(newId);
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private requireWriter(principal: Principal): void {
    if (!LEDGER_WRITE_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only finance changes budgets');
  }

  /** Serialises version numbering, drafts and approvals of one institution's year. */
  private async lockYear(institutionId: string, year: number): Promise<void> {
    await this.db.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('budget:' || $1::text || ':' || $2::int, 0))`,
      [institutionId, year],
    );
  }

  private async refuseSecondDraft(institutionId: string, year: number): Promise<void> {
    const [draft]: { id: string; version_no: number }[] = await this.db.query(
      `SELECT id, version_no FROM budget WHERE institution_id = $1 AND year = $2 AND status = 'draft'`,
      [institutionId, year],
    );
    if (draft)
      throw conflict(
        `the institution has a draft budget for ${year} already (version ${draft.version_no}, ${draft.id}): change or approve it`,
      );
  }

  /** The draft, row-locked: 404 when missing, 409 versionMismatch when stale, 409 when no longer a draft. */
  private async lockDraft(id: string, version: number): Promise<BudgetRow> {
    const [row]: BudgetRow[] = await this.db.query(`${SELECT_BUDGET} WHERE b.id = $1 FOR UPDATE`, [id]);
    if (!row) throw notFound('budget');
    if (row.version !== version)
      throw new DomainError(
        'versionMismatch',
        `the budget was changed by someone else (now version ${row.version}); reload and retry`,
        [{ pointer: '#header/If-Match', reason: 'stale version' }],
      );
    if (row.status !== 'draft')
      throw conflict(`the budget is ${row.status}: an approved budget is never edited; make a new version`);
    return row;
  }

  private async findRow(id: string): Promise<BudgetRow | undefined> {
    const [row]: BudgetRow[] = await this.db.query(`${SELECT_BUDGET} WHERE b.id = $1`, [id]);
    return row;
  }

  private async requireView(id: string): Promise<BudgetView> {
    const row = await this.findRow(id);
    if (!row) throw notFound('budget');
    return (await this.views([row]))[0];
  }

  private async views(rows: BudgetRow[]): Promise<BudgetView[]> {
    const lines: BudgetLineRow[] = rows.length
      ? await this.db.query(SELECT_LINES, [rows.map((r) => r.id)])
      : [];
    return rows.map((r) =>
      toView(
        r,
        lines.filter((l) => l.budget_id === r.id),
      ),
    );
  }

  private async insertLines(budgetId: string, lines: LineInsert[]): Promise<void> {
    if (lines.length) await this.db.query(INSERT_LINES, [budgetId, JSON.stringify(lines)]);
  }
}
