import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { notFound } from 'src/platform/errors/domain-error';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import {
  CARRY_TO_RATE_YEARS,
  oereOf,
  safeOere,
  SET_ASIDE_YEARS,
  yearEnd,
} from 'src/modules/ledger/budget-result';
import { YearEndQuery, YearEndView } from 'src/modules/ledger/budget.dto';
import { mayReadBudgets } from 'src/modules/ledger/budget.service';
import {
  ActualsRow,
  BudgetLineRow,
  BudgetRow,
  SELECT_ACTUALS,
  SELECT_BUDGET,
  SELECT_LINES,
} from 'src/modules/ledger/sql/budget.sql';

/** An institution's year-end result (årets resultat) from its ledger, and what happens to it (rule 29). */
@Injectable()
export class BudgetYearEndService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly units: OrgUnitService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * The year's result from the ledger and its handling (rule 29): surplus set aside up to 5 % of the cost base
   * (the year's expenses), the rest carried into year t+2's rates, proposed per service line of the approved
   * budget. Read only: the catalogue is never changed here.
   */
  @Transactional()
  async get(principal: Principal, q: YearEndQuery): Promise<YearEndView> {
    if (!mayReadBudgets(principal, q.institutionId)) throw notFound('institution');
    await this.units.getUnit(q.institutionId, 'institution');
    const [actuals]: ActualsRow[] = await this.db.query(SELECT_ACTUALS, [q.institutionId, q.year]);
    const internal = BigInt(actuals.internal_sales);
    const external = BigInt(actuals.external_sales);
    const expenses = BigInt(actuals.expenses);
    const result = internal + external - expenses;
    const [budget]: BudgetRow[] = await this.db.query(
      `${SELECT_BUDGET} WHERE b.institution_id = $1 AND b.year = $2 AND b.status = 'approved'`,
      [q.institutionId, q.year],
    );
    const lines: BudgetLineRow[] = budget ? await this.db.query(SELECT_LINES, [[budget.id]]) : [];
    const service = lines
      .filter((l) => l.kind === 'serviceIncome')
      .map((l) => ({
        lineNo: l.line_no,
        standardCode: l.standard_code!,
        plannedUnits: l.planned_units!,
        rateOere: oereOf(l.rate_oere!),
        rateId: l.rate_id,
        amountOere: oereOf(l.amount_oere),
      }));
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
}
