import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, FieldError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, Page, pageOf } from 'src/platform/http/pagination';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { RateService } from 'src/modules/catalogue/rate.service';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { CARRY_TO_RATE_YEARS, safeOere, serviceAmount, SET_ASIDE_YEARS, totalsOf, yearEnd } from 'src/modules/ledger/budget-result';
import { BudgetLineDto, BudgetView, CreateBudgetDto, ListBudgetsQuery, UpdateBudgetDto, YearEndQuery, YearEndView } from 'src/modules/ledger/budget.dto';
import { LEDGER_WRITE_ROLES } from 'src/modules/ledger/ledger.constants';
import { ActualsRow, BudgetLineRow, BudgetRow, COPY_LINES, INSERT_LINES, SELECT_ACTUALS, SELECT_BUDGET, SELECT_LINES } from 'src/modules/ledger/sql/budget.sql';
import 'src/modules/ledger/ledger.errors';

/** A line as stored: the DTO checked, a service line's rate and amount filled in from the catalogue. */
interface LineInsert {
  line_no: number;
  kind: BudgetLineDto['kind'];
  standard_code: string | null;
  planned_units: number | null;
  rate_oere: number | null;
  rate_id: string | null;
  expense_category: string | null;
  municipality_id: string | null;
  amount_oere: number;
  description: string | null;
}

/** Which fields each kind of line gives; the others must be absent. */
const LINE_FIELDS: Record<BudgetLineDto['kind'], (keyof BudgetLineDto)[]> = {
  serviceIncome: ['standardCode', 'plannedUnits'],
  externalSale: ['municipalityId', 'amountOere'],
  expense: ['expenseCategory', 'amountOere'],
};
const KIND_FIELDS: (keyof BudgetLineDto)[] = ['standardCode', 'plannedUnits', 'municipalityId', 'expenseCategory', 'amountOere'];

/** A catalogue or organisation lookup that may find nothing (null); any other failure propagates. */
const unlessNotFound = (err: unknown): null => {
  if (err instanceof DomainError && err.code === 'notFound') return null;
  throw err;
};

function oere(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`an amount outside the safe range: ${text}`);
  return n;
}

function toView(b: BudgetRow, lines: BudgetLineRow[]): BudgetView {
  const tolerance = oere(b.tolerance_oere);
  const viewLines = lines.map((l) => ({
    lineNo: l.line_no,
    kind: l.kind,
    standardCode: l.standard_code,
    plannedUnits: l.planned_units === null ? null : Number(l.planned_units),
    rateOere: l.rate_oere === null ? null : oere(l.rate_oere),
    rateId: l.rate_id,
    municipalityId: l.municipality_id,
    expenseCategory: l.expense_category as BudgetView['lines'][number]['expenseCategory'],
    amountOere: oere(l.amount_oere),
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
    private readonly clock: Clock,
    private readonly units: OrgUnitService,
    private readonly standards: QualityStandardService,
    private readonly rates: RateService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, dto: CreateBudgetDto): Promise<BudgetView> {
    this.requireWriter(principal);
    await this.lockYear(dto.institutionId, dto.year);
    const lines = await this.prepareLines(dto.institutionId, dto.year, dto.lines);
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
      [institutionId, q.year ?? null, q.status ?? null, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (b) => [b.year, b.institution_id, b.version_no]);
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
  }

  @Transactional()
  async get(principal: Principal, id: string): Promise<BudgetView> {
    const row = await this.findRow(id);
    if (!row || !this.mayRead(principal, row.institution_id)) throw notFound('budget');
    return (await this.views([row]))[0];
  }

  /** Change a draft (If-Match): tolerance, note, and — when given — every line, with rates fetched again. */
  @Transactional()
  async update(principal: Principal, id: string, version: number, dto: UpdateBudgetDto): Promise<BudgetView> {
    this.requireWriter(principal);
    const current = await this.lockDraft(id, version);
    if (dto.lines) {
      const lines = await this.prepareLines(current.institution_id, current.year, dto.lines);
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
      throw new DomainError('ruleViolated', message, [{ pointer: '/lines', reason: `income − expenses = ${t.resultOere} øre` }]);
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
    if (source.status !== 'approved') throw conflict(`only the approved budget is copied into a new version; this one is ${source.status}`);
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

  /**
   * The year's result from the ledger and its handling (rule 29): surplus set aside up to 5 % of the cost base
   * (the year's expenses), the rest carried into year t+2's rates, proposed per service line of the approved
   * budget. Read only: the catalogue is never changed here.
   */
  @Transactional()
  async yearEnd(principal: Principal, q: YearEndQuery): Promise<YearEndView> {
    if (!this.mayRead(principal, q.institutionId)) throw notFound('institution');
    await this.units.getUnit(q.institutionId, 'institution');
    const [actuals]: ActualsRow[] = await this.db.query(SELECT_ACTUALS, [q.institutionId, q.year]);
    const internal = BigInt(actuals.internal_sales);
    const external = BigInt(actuals.external_sales);
    const expenses = BigInt(actuals.expenses);
    const result = internal + external - expenses;
    const [budget]: BudgetRow[] = await this.db.query(`${SELECT_BUDGET} WHERE b.institution_id = $1 AND b.year = $2 AND b.status = 'approved'`, [
      q.institutionId,
      q.year,
    ]);
    const lines: BudgetLineRow[] = budget ? await this.db.query(SELECT_LINES, [[budget.id]]) : [];
    const service = lines
      .filter((l) => l.kind === 'serviceIncome')
      .map((l) => ({ lineNo: l.line_no, standardCode: l.standard_code!, plannedUnits: l.planned_units!, rateOere: oere(l.rate_oere!), rateId: l.rate_id, amountOere: oere(l.amount_oere) }));
    const figures = yearEnd(result, expenses, service);
    return {
      institutionId: q.institutionId,
      year: q.year,
      provisional: Number(danishDate(this.clock.now()).slice(0, 4)) <= q.year,
      internalSalesOere: safeOere(internal, 'the internal sales'),
      externalSalesOere: safeOere(external, 'the external sales'),
      incomeOere: safeOere(internal + external, 'the income'),
      expensesOere: safeOere(expenses, 'the expenses'),
      resultOere: safeOere(result, 'the result'),
      costBaseOere: safeOere(expenses, 'the cost base'),
      useBy: q.year + SET_ASIDE_YEARS,
      carriedToYear: q.year + CARRY_TO_RATE_YEARS,
      budgetId: budget?.id ?? null,
      budgetVersionNo: budget?.version_no ?? null,
      ...figures,
    };
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private requireWriter(principal: Principal): void {
    if (!LEDGER_WRITE_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'only finance changes budgets');
  }

  /** Finance reads every budget; an institution manager their own institution's. */
  private mayRead(principal: Principal, institutionId: string): boolean {
    return principal.role === 'finance' || (principal.role === 'institutionManager' && principal.institutionId === institutionId);
  }

  /** Serialises version numbering, drafts and approvals of one institution's year. */
  private async lockYear(institutionId: string, year: number): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('budget:' || $1::text || ':' || $2::int, 0))`, [institutionId, year]);
  }

  private async refuseSecondDraft(institutionId: string, year: number): Promise<void> {
    const [draft]: { id: string; version_no: number }[] = await this.db.query(
      `SELECT id, version_no FROM budget WHERE institution_id = $1 AND year = $2 AND status = 'draft'`,
      [institutionId, year],
    );
    if (draft) throw conflict(`the institution has a draft budget for ${year} already (version ${draft.version_no}, ${draft.id}): change or approve it`);
  }

  /** The draft, row-locked: 404 when missing, 409 versionMismatch when stale, 409 when no longer a draft. */
  private async lockDraft(id: string, version: number): Promise<BudgetRow> {
    const [row]: BudgetRow[] = await this.db.query(`${SELECT_BUDGET} WHERE b.id = $1 FOR UPDATE`, [id]);
    if (!row) throw notFound('budget');
    if (row.version !== version)
      throw new DomainError('versionMismatch', `the budget was changed by someone else (now version ${row.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);
    if (row.status !== 'draft') throw conflict(`the budget is ${row.status}: an approved budget is never edited; make a new version`);
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
    const lines: BudgetLineRow[] = rows.length ? await this.db.query(SELECT_LINES, [rows.map((r) => r.id)]) : [];
    return rows.map((r) => toView(r, lines.filter((l) => l.budget_id === r.id)));
  }

  private async insertLines(budgetId: string, lines: LineInsert[]): Promise<void> {
    if (lines.length) await this.db.query(INSERT_LINES, [budgetId, JSON.stringify(lines)]);
  }

  /**
   * Checks every line and fills service lines from the catalogue: the quality-standard version and the rate in
   * force on 1 January of the budget year (the rate the year's budget is built on; a rate set later in the year
   * does not change an approved budget). Shape errors are 400, rule errors 422, each naming its line.
   */
  private async prepareLines(institutionId: string, year: number, lines: BudgetLineDto[]): Promise<LineInsert[]> {
    const shape: FieldError[] = [];
    lines.forEach((l, i) => {
      for (const field of KIND_FIELDS) {
        const wanted = LINE_FIELDS[l.kind].includes(field);
        if (wanted && l[field] === undefined) shape.push({ pointer: `/lines/${i}/${field}`, reason: `a ${l.kind} line gives ${field}` });
        if (!wanted && l[field] !== undefined) shape.push({ pointer: `/lines/${i}/${field}`, reason: `a ${l.kind} line has no ${field}` });
      }
    });
    if (shape.length) throw new DomainError('validationFailed', `the lines are malformed: ${shape.map((e) => `${e.pointer}: ${e.reason}`).join('; ')}`, shape);

    const institution = await this.units.getUnit(institutionId, 'institution').catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated('the institution does not exist', '/institutionId');
      throw err;
    });
    if (institution.external) throw ruleViolated(`${institution.name} belongs to ${institution.municipalityName}: its budget is kept there`, '/institutionId');
    const area = institution.parentId ? await this.units.getUnit(institution.parentId, 'operatingArea').catch(unlessNotFound) : null;
    const jan1 = `${year}-01-01`;
    const errors: FieldError[] = [];
    const result: LineInsert[] = [];
    for (const [i, l] of lines.entries()) {
      const row: LineInsert = {
        line_no: i + 1,
        kind: l.kind,
        standard_code: l.standardCode ?? null,
        planned_units: l.plannedUnits ?? null,
        rate_oere: null,
        rate_id: null,
        expense_category: l.expenseCategory ?? null,
        municipality_id: l.municipalityId ?? null,
        amount_oere: l.amountOere ?? 0,
        description: l.description?.trim() || null,
      };
      const fail = (field: string, reason: string) => errors.push({ pointer: `/lines/${i}/${field}`, reason });
      if (l.kind === 'serviceIncome') {
        const code = l.standardCode!;
        const standard = await this.standards.inForce(code, jan1).catch(unlessNotFound);
        if (!standard) {
          fail('standardCode', `${code} has no approved version in force on ${jan1}`);
          continue;
        }
        if (!institution.institutionType || !standard.institutionTypes.includes(institution.institutionType)) {
          fail('standardCode', `${institution.name} (${institution.institutionType ?? 'no type'}) cannot deliver ${code}: it allows ${standard.institutionTypes.join(', ') || 'no institution types'}`);
          continue;
        }
        if (area?.areaType && standard.areaTypes.length && !standard.areaTypes.includes(area.areaType)) {
          fail('standardCode', `${institution.name} belongs to ${area.name}, which does not deliver ${code}`);
          continue;
        }
        const rate = await this.rates.effective(code, institutionId, jan1).catch(unlessNotFound);
        if (!rate) {
          fail('standardCode', `the catalogue has no rate for ${code} at ${institution.name} on ${jan1}`);
          continue;
        }
        row.rate_oere = rate.priceOere;
        row.rate_id = rate.id;
        row.amount_oere = safeOere(serviceAmount(l.plannedUnits!, rate.priceOere), 'the line amount', `/lines/${i}/plannedUnits`);
      } else if (l.kind === 'externalSale') {
        const municipality = await this.units.getMunicipality(l.municipalityId!).catch(unlessNotFound);
        if (!municipality) fail('municipalityId', 'the municipality does not exist');
        else if (municipality.isOwn) fail('municipalityId', 'a sale to the own municipality is service income (an internal sale), not an external sale');
      }
      result.push(row);
    }
    if (errors.length)
      throw new DomainError('ruleViolated', `${errors.length === 1 ? 'a line breaks a rule' : `${errors.length} lines break rules`}: ${errors.map((e) => `${e.pointer}: ${e.reason}`).join('; ')}`, errors);
    return result;
  }
}
