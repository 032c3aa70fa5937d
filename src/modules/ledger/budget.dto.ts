import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import {
  BUDGET_LINE_KINDS,
  BUDGET_STATUSES,
  BudgetLineKind,
  BudgetStatus,
  EXPENSE_CATEGORIES,
  ExpenseCategory,
} from 'src/modules/ledger/ledger.constants';

const CODE = /^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/;
const MAX_OERE = Number.MAX_SAFE_INTEGER;

/**
 * One budget line. By kind: `serviceIncome` gives `standardCode` and `plannedUnits` (the rate is the catalogue's
 * on 1 January of the budget year and the amount is computed); `externalSale` gives `municipalityId` (another
 * municipality) and `amountOere`; `expense` gives `expenseCategory` and `amountOere`.
 */
export class BudgetLineDto {
  @ApiProperty({
    enum: BUDGET_LINE_KINDS,
    description:
      'serviceIncome = salg af ydelser (planlagt belægning × takst), externalSale = salg til andre kommuner, expense = udgift',
  })
  @IsIn(BUDGET_LINE_KINDS)
  kind: BudgetLineKind;

  /** The quality standard sold (serviceIncome). */
  @IsOptional()
  @Matches(CODE, { message: 'standardCode must be a quality-standard code' })
  standardCode?: string;

  /** Planned units for the year in the standard's unit (e.g. place-days, hours), two decimals at most (serviceIncome). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(999_999_999.99)
  plannedUnits?: number;

  /** The municipality bought from (externalSale): another municipality, not the own. */
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({ enum: EXPENSE_CATEGORIES, description: 'Udgiftskategori (expense)' })
  @IsOptional()
  @IsIn(EXPENSE_CATEGORIES)
  expenseCategory?: ExpenseCategory;

  /** Integer øre ≥ 0 (externalSale and expense; a service line's amount is computed). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OERE)
  amountOere?: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** A draft budget for an institution and year. */
export class CreateBudgetDto {
  @IsUUID()
  institutionId: string;

  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  /** How far from zero (øre) income − expenses may be and still be approved. */
  @IsInt()
  @Min(0)
  @Max(MAX_OERE)
  toleranceOere: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BudgetLineDto)
  lines: BudgetLineDto[];
}

/** Change a draft: what is given replaces what was there (`lines` replaces every line; `note: null` clears it). */
export class UpdateBudgetDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OERE)
  toleranceOere?: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BudgetLineDto)
  lines?: BudgetLineDto[];
}

export class ListBudgetsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: BUDGET_STATUSES })
  @IsOptional()
  @IsIn(BUDGET_STATUSES)
  status?: BudgetStatus;
}

export class YearEndQuery {
  @IsUUID()
  institutionId: string;

  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}

export class BudgetLineView {
  lineNo: number;
  @ApiProperty({ enum: BUDGET_LINE_KINDS })
  kind: BudgetLineKind;
  standardCode: string | null;
  plannedUnits: number | null;
  /** The catalogue's rate per unit on 1 January of the budget year (øre), copied onto the line. */
  rateOere: number | null;
  rateId: string | null;
  municipalityId: string | null;
  @ApiProperty({ enum: EXPENSE_CATEGORIES, nullable: true })
  expenseCategory: ExpenseCategory | null;
  /** øre; for a service line round(plannedUnits × rateOere), half away from zero. */
  amountOere: number;
  description: string | null;
}

export class BudgetTotalsView {
  serviceIncomeOere: number;
  externalSalesOere: number;
  /** serviceIncome + externalSales. */
  incomeOere: number;
  expensesOere: number;
  /** income − expenses. */
  resultOere: number;
  /** |result| ≤ tolerance: the budget may be approved. */
  netsToZero: boolean;
}

export class BudgetView {
  id: string;
  institutionId: string;
  year: number;
  versionNo: number;
  @ApiProperty({
    enum: BUDGET_STATUSES,
    description: 'draft = kladde, approved = godkendt, superseded = afløst af en ny version',
  })
  status: BudgetStatus;
  toleranceOere: number;
  note: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** The row version (ETag). */
  version: number;
  lines: BudgetLineView[];
  totals: BudgetTotalsView;
}

export class BudgetPage {
  items: BudgetView[];
  nextCursor: string | null;
}

/** One service line's rate for year t+2: its share of the carried result spread over its planned units. */
export class RateProposalView {
  lineNo: number;
  standardCode: string;
  plannedUnits: number;
  /** The rate the approved budget used (the catalogue's on 1 January of year t). */
  rateOere: number;
  rateId: string | null;
  /** The line's share of the carried result (by its planned income); the shares sum to `carriedOere`. */
  carriedShareOere: number;
  /** −share / plannedUnits, rounded half away from zero: a surplus lowers the rate, a deficit raises it. */
  adjustmentPerUnitOere: number;
  proposedRateOere: number;
}

export class YearEndView {
  institutionId: string;
  year: number;
  /** True while the year is not over (Danish time): the figures are so far. */
  provisional: boolean;
  /** Actual income from the ledger: −Σ postings on the institution's internal and external sale accounts in the year. */
  internalSalesOere: number;
  externalSalesOere: number;
  incomeOere: number;
  /** Actual expenses: Σ postings on the institution's expense accounts in the year (the cost base). */
  expensesOere: number;
  /** income − expenses. */
  resultOere: number;
  costBaseOere: number;
  /** 5 % of the cost base, rounded down: the most of a surplus that may be set aside. */
  setAsideCapOere: number;
  /** Hensat overskud: min(result, cap) when the result is positive, else 0. */
  setAsideOere: number;
  /** The set-aside surplus must be used by the end of this year (year + 5). */
  useBy: number;
  /** The rest (positive: surplus, negative: deficit), carried into the rate of `carriedToYear`. */
  carriedOere: number;
  carriedToYear: number;
  /** The approved budget the proposal builds on (null when the year has none). */
  budgetId: string | null;
  budgetVersionNo: number | null;
  /** Proposed rates for year t+2 per service line. A proposal only: the catalogue is never changed by it. */
  rateProposal: RateProposalView[];
  /** Carried øre no rate takes (no service line with planned income): 0 when the proposal places it all. */
  unplacedOere: number;
}
