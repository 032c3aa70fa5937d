import { DomainError } from 'src/platform/errors/domain-error';
import { allocate } from 'src/platform/money/allocate';
import type { BudgetTotalsView, RateProposalView } from 'src/modules/ledger/budget.dto';

/** The share of the cost base a surplus may be set aside up to (5 %, rule 29 / takstbekendtgørelsen). */
export const SET_ASIDE_PERCENT = 5n;
/** A set-aside surplus is used within this many years after the year concerned. */
export const SET_ASIDE_YEARS = 5;
/** The rest of the result is carried into the rate of year t + this (t+2; law.md rule 29 asks to keep it adjustable). */
export const CARRY_TO_RATE_YEARS = 2;

/** a / b rounded half away from zero (b > 0), exact in BigInt. */
export function divRound(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('divide by a positive number');
  const q = a / b;
  const r = a % b;
  const twice = (r < 0n ? -r : r) * 2n;
  return twice >= b ? q + (a < 0n ? -1n : 1n) : q;
}

/** Planned units (numeric(14,2): a number with two decimals at most, or pg's string) in hundredths, exactly. */
export function hundredthsOf(units: number | string): bigint {
  const text = typeof units === 'number' ? units.toFixed(2) : units;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a number of units with two decimals at most: ${text}`);
  const value = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -value : value;
}

/** A service line's amount: round(plannedUnits × rateOere), half away from zero, computed exactly. */
export function serviceAmount(plannedUnits: number | string, rateOere: number): bigint {
  return divRound(hundredthsOf(plannedUnits) * BigInt(rateOere), 100n);
}

/** A bigint column as pg returns it (text) into a safe integer; anything else is a defect. */
export function oereOf(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`an amount outside the safe range: ${text}`);
  return n;
}

/** A whole number of øre as a JS number, or a 422 when it passes the safe range. */
export function safeOere(value: bigint, what: string, pointer?: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
    throw new DomainError(
      'ruleViolated',
      `${what} (${value} øre) is beyond what the ledger holds`,
      pointer ? [{ pointer, reason: 'too large' }] : [],
    );
  return Number(value);
}

export interface AmountLine {
  kind: 'serviceIncome' | 'externalSale' | 'expense';
  amountOere: number;
}

/** Income (service + external sales), expenses and the result; nets to zero when |result| ≤ tolerance. */
export function totalsOf(lines: readonly AmountLine[], toleranceOere: number): BudgetTotalsView {
  const sum = (kind: AmountLine['kind']) =>
    lines.filter((l) => l.kind === kind).reduce((s, l) => s + BigInt(l.amountOere), 0n);
  const service = sum('serviceIncome');
  const external = sum('externalSale');
  const expenses = sum('expense');
  const result = service + external - expenses;
  return {
    serviceIncomeOere: safeOere(service, 'the service income'),
    externalSalesOere: safeOere(external, 'the external sales'),
    incomeOere: safeOere(service + external, 'the income'),
    expensesOere: safeOere(expenses, 'the expenses'),
    resultOere: safeOere(result, 'the result'),
    netsToZero: (result < 0n ? -result : result) <= BigInt(toleranceOere),
  };
}

export interface ServiceLine {
  lineNo: number;
  standardCode: string;
  plannedUnits: number | string;
  rateOere: number;
  rateId: string | null;
  amountOere: number;
}

export interface YearEndFigures {
  setAsideCapOere: number;
  setAsideOere: number;
  carriedOere: number;
  rateProposal: RateProposalView[];
  unplacedOere: number;
}

/**
 * Year-end result handling (rule 29): a positive result is set aside up to 5 % of the cost base (rounded down:
 * "up to"); the rest, surplus or deficit, is carried into the rate of year t+2. The carried amount is split over
 * the approved budget's service lines by their planned income (one allocate(): the shares sum to it exactly),
 * and each share spread over the line's planned units. A surplus is given back to the buyers, so it lowers the
 * rate; a deficit raises it. Rounding the per-unit change to whole øre can move up to ½ øre × units per line.
 */
export function yearEnd(
  resultOere: bigint,
  costBaseOere: bigint,
  serviceLines: readonly ServiceLine[],
): YearEndFigures {
  const cap = costBaseOere > 0n ? (costBaseOere * SET_ASIDE_PERCENT) / 100n : 0n;
  const setAside = resultOere > 0n ? (resultOere < cap ? resultOere : cap) : 0n;
  const carried = safeOere(resultOere - setAside, 'the carried result');
  const weights = serviceLines.map((l) => l.amountOere);
  const placeable = weights.some((w) => w > 0);
  const shares = placeable ? allocate(carried, weights) : weights.map(() => 0);
  const rateProposal = serviceLines.map((l, i): RateProposalView => {
    const units = hundredthsOf(l.plannedUnits);
    const adjustment = units > 0n ? divRound(-BigInt(shares[i]) * 100n, units) : 0n;
    return {
      lineNo: l.lineNo,
      standardCode: l.standardCode,
      plannedUnits: Number(l.plannedUnits),
      rateOere: l.rateOere,
      rateId: l.rateId,
      carriedShareOere: shares[i],
      adjustmentPerUnitOere: safeOere(adjustment, 'the rate adjustment'),
      proposedRateOere: safeOere(BigInt(l.rateOere) + adjustment, 'the proposed rate'),
    };
  });
  return {
    setAsideCapOere: safeOere(cap, 'the set-aside cap'),
    setAsideOere: safeOere(setAside, 'the set-aside surplus'),
    carriedOere: carried,
    rateProposal,
    unplacedOere: placeable ? 0 : carried,
  };
}
