/**
 * The settlement arithmetic of DOMAIN.md §4, as a pure reference implementation: exact rationals in BigInt, no
 * floating point, no database. The set-based SQL of the settlement run is property-tested against this, and
 * anyone can recompute a settled amount with it.
 *
 * Input conventions (chosen so the values come straight from PostgreSQL without conversion loss):
 * - dates are Danish calendar dates 'YYYY-MM-DD'; days are counted with UTC date arithmetic (a date is a day
 *   number, never an instant), so daylight saving never shifts a day;
 * - `scope` is a decimal string with at most two decimals ("5", "2.5", "7.25"): numeric(…,2) as pg returns it;
 *   strings avoid 2.55 being 2.5499… in binary;
 * - rates are whole øre per unit, valid from `validFrom` up to, not including, `validTo` (null: open-ended);
 * - `grantTo` is the grant's last day, inclusive (null: open-ended); stays run from admission up to, not
 *   including, the discharge day (null: not discharged).
 */
import type { SettlementBasis } from 'src/modules/catalogue/catalogue.constants';

/** An exact rational: den > 0, gcd(num, den) = 1, so equal values are structurally equal (toEqual works). */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

const abs = (a: bigint) => (a < 0n ? -a : a);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function fraction(num: bigint, den = 1n): Fraction {
  if (den === 0n) throw new RangeError('a fraction with denominator 0');
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

export const ZERO: Fraction = fraction(0n);
export const add = (a: Fraction, b: Fraction): Fraction =>
  fraction(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Fraction, b: Fraction): Fraction =>
  fraction(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Fraction, b: Fraction): Fraction => fraction(a.num * b.num, a.den * b.den);

/** To whole øre, half away from zero (DOMAIN.md: the only rounding there is, on cumulative yearly sums). */
export function roundHalfAwayFromZero(f: Fraction): bigint {
  const q = f.num / f.den; // truncates toward zero
  const twiceRest = abs(f.num % f.den) * 2n;
  return twiceRest >= f.den ? q + (f.num < 0n ? -1n : 1n) : q;
}

export interface RatePeriod {
  validFrom: string;
  /** Exclusive; null: still in force. */
  validTo: string | null;
  rateOere: number | bigint;
}

export interface Stay {
  from: string;
  /** The discharge day, not itself a day of stay; null: still admitted. */
  toExclusive: string | null;
}

export interface SettlementInput {
  year: number;
  basis: SettlementBasis;
  /** For basis 'granted': hoursPerWeek, daysPerWeek (scope / 7 a day) or hoursPerMonth (scope / days in month). */
  scopeUnit?: string;
  /** Decimal string, at most two decimals; required for basis 'granted'. */
  scope?: string;
  grantFrom: string;
  /** Inclusive; null: open-ended. */
  grantTo: string | null;
  /** perDay only. Omitted: the place runs over the whole grant period; [] means no day of stay at all. */
  stays?: readonly Stay[];
  /** delivered only: minutes delivered (and chargeable) per date; dates outside the grant period are ignored. */
  deliveredMinutes?: Readonly<Record<string, number>>;
  rates: readonly RatePeriod[];
}

export interface MonthAmount {
  month: number;
  /** Σ u(d) over the month (trace: how many units were settled). */
  unitsExact: Fraction;
  /** V(m): Σ v(d) from 1 January through the month's last day, exact. */
  cumulativeExact: Fraction;
  cumulativeRounded: bigint;
  /** round(V(m)) − round(V(m−1)): the months of a year sum exactly to round(V(12)). */
  amountOere: bigint;
}

/** Days that carry units but have no rate in force: the run reports the grant as an error line, never skips it. */
export class MissingRateError extends Error {
  constructor(readonly dates: string[]) {
    super(`no rate in force on ${dates.length} day(s), first ${dates[0]}`);
    this.name = 'MissingRateError';
  }
}

const DAY_MS = 86_400_000;

/** A 'YYYY-MM-DD' date as a day number since 1970-01-01, rejecting dates that do not exist (2026-02-30). */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date)
    throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
  return ms / DAY_MS;
}

export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A decimal string with at most two decimals, in hundredths, exactly. */
export function hundredths(scope: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(scope.trim());
  if (!m) throw new RangeError(`not a non-negative scope with two decimals at most: ${scope}`);
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** Efterregulering: a rerun posts only what the recomputed cumulative amount differs from what is posted. */
export function rerunDifference(postedSoFarThisYear: bigint, recomputedCumulativeRounded: bigint): bigint {
  return recomputedCumulativeRounded - postedSoFarThisYear;
}

interface Rate {
  from: number;
  to: number;
  oere: bigint;
}

function ratesOf(periods: readonly RatePeriod[]): Rate[] {
  const rates = periods
    .map((p) => ({
      from: dayNumber(p.validFrom),
      to: p.validTo === null ? Infinity : dayNumber(p.validTo),
      oere: BigInt(p.rateOere),
    }))
    .sort((a, b) => a.from - b.from);
  for (const [i, r] of rates.entries()) {
    if (r.to <= r.from) throw new RangeError(`a rate period that ends before it starts: ${dateOf(r.from)}`);
    if (r.oere < 0n) throw new RangeError(`a negative rate from ${dateOf(r.from)}`);
    // Two rates on one day would make the amount depend on which one the SQL happened to pick.
    if (i > 0 && rates[i - 1].to > r.from) throw new RangeError(`rates overlap on ${dateOf(r.from)}`);
  }
  return rates;
}

/** u(d) for one day of the year that lies within the grant period, by basis. */
type UnitsOfDay = (day: number, daysInMonth: number, firstActiveOfMonth: number) => Fraction;

function unitsRule(input: SettlementInput): UnitsOfDay {
  switch (input.basis) {
    case 'granted': {
      if (input.scope === undefined) throw new RangeError('a granted-scope grant without a scope');
      const scope = hundredths(input.scope);
      if (input.scopeUnit === 'hoursPerWeek' || input.scopeUnit === 'daysPerWeek') {
        const perDay = fraction(scope, 700n); // scope / 7, scope in hundredths
        return () => perDay;
      }
      if (input.scopeUnit === 'hoursPerMonth') return (_d, dim) => fraction(scope, 100n * BigInt(dim));
      throw new RangeError(`no granted-scope rule for scope unit ${input.scopeUnit}`);
    }
    case 'perDay': {
      const stays = input.stays?.map((s) => ({
        from: dayNumber(s.from),
        to: s.toExclusive === null ? Infinity : dayNumber(s.toExclusive),
      }));
      // Absence does not reduce it; overlapping stays still make one day of stay, not two.
      return (d) => fraction(!stays || stays.some((s) => s.from <= d && d < s.to) ? 1n : 0n);
    }
    case 'delivered': {
      const minutes = new Map<number, bigint>();
      for (const [date, m] of Object.entries(input.deliveredMinutes ?? {})) {
        if (!Number.isSafeInteger(m) || m < 0)
          throw new RangeError(`not a number of minutes on ${date}: ${m}`);
        minutes.set(dayNumber(date), BigInt(m));
      }
      return (d) => fraction(minutes.get(d) ?? 0n, 60n);
    }
    case 'perCourse':
      // The course's monthly rate once for each month it is active: u = 1 on its first active day there.
      return (d, _dim, first) => fraction(d === first ? 1n : 0n);
  }
}

/** V(m) and the amount of every month of `input.year` for one grant. Throws MissingRateError, RangeError. */
export function monthlyAmounts(input: SettlementInput): MonthAmount[] {
  const rates = ratesOf(input.rates);
  const unitsOf = unitsRule(input);
  const grantFrom = dayNumber(input.grantFrom);
  const grantTo = input.grantTo === null ? Infinity : dayNumber(input.grantTo);
  if (grantTo < grantFrom) throw new RangeError('a grant that ends before it starts');

  const missing: string[] = [];
  const result: MonthAmount[] = [];
  let cumulative = ZERO;
  let previousRounded = 0n;
  for (let month = 1; month <= 12; month++) {
    const first = Date.UTC(input.year, month - 1, 1) / DAY_MS;
    const daysInMonth = new Date(Date.UTC(input.year, month, 0)).getUTCDate();
    const from = Math.max(first, grantFrom);
    const to = Math.min(first + daysInMonth - 1, grantTo); // inclusive
    let units = ZERO;
    // Sum per rate: Σ u(d)·r over days with one rate equals (Σ u(d))·r, and keeps denominators small.
    const unitsByRate = new Map<bigint, Fraction>();
    for (let d = from; d <= to; d++) {
      const u = unitsOf(d, daysInMonth, from);
      if (u.num === 0n) continue; // a day without units needs no rate (a delivered day with 0 minutes)
      units = add(units, u);
      const rate = rates.find((r) => r.from <= d && d < r.to);
      if (!rate) missing.push(dateOf(d));
      else unitsByRate.set(rate.oere, add(unitsByRate.get(rate.oere) ?? ZERO, u));
    }
    for (const [oere, u] of unitsByRate) cumulative = add(cumulative, mul(u, fraction(oere)));
    const rounded = roundHalfAwayFromZero(cumulative);
    result.push({
      month,
      unitsExact: units,
      cumulativeExact: cumulative,
      cumulativeRounded: rounded,
      amountOere: rounded - previousRounded,
    });
    previousRounded = rounded;
  }
  if (missing.length > 0) throw new MissingRateError(missing);
  return result;
}
