import fc from 'fast-check';
import {
  type SettlementInput,
  MissingRateError,
  add,
  dateOf,
  dayNumber,
  fraction,
  monthlyAmounts,
  mul,
  rerunDifference,
  roundHalfAwayFromZero,
  sub,
} from 'src/modules/settlement/arithmetic';

const amounts = (input: SettlementInput) => monthlyAmounts(input).map((m) => m.amountOere);
const weekly = (
  scope: string,
  rates: SettlementInput['rates'],
  from = '2026-01-01',
  to: string | null = null,
) =>
  ({
    year: 2026,
    basis: 'granted',
    scopeUnit: 'hoursPerWeek',
    scope,
    grantFrom: from,
    grantTo: to,
    rates,
  }) as const;
const always = (rateOere: number) => [{ validFrom: '2000-01-01', validTo: null, rateOere }];

describe('settlement arithmetic (DOMAIN.md §4)', () => {
  it('fractions are exact and normalised; rounding is half away from zero', () => {
    expect(fraction(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(add(fraction(1n, 3n), fraction(1n, 6n))).toEqual(fraction(1n, 2n));
    expect(sub(fraction(1n, 3n), fraction(1n, 3n))).toEqual(fraction(0n));
    expect(mul(fraction(2n, 3n), fraction(9n, 4n))).toEqual(fraction(3n, 2n));
    expect([1n, 2n, 3n, 5n].map((n) => roundHalfAwayFromZero(fraction(n, 2n)))).toEqual([1n, 1n, 2n, 3n]);
    expect([-1n, -3n, -5n].map((n) => roundHalfAwayFromZero(fraction(n, 2n)))).toEqual([-1n, -2n, -3n]);
    expect(roundHalfAwayFromZero(fraction(-7n, 4n))).toBe(-2n);
    expect(() => dayNumber('2026-02-29')).toThrow(RangeError);
    expect(dateOf(dayNumber('2028-02-29'))).toBe('2028-02-29');
  });

  it('5 h/week at 56 000 øre for all of 2026: 5/7 × 56 000 = 40 000 øre a day, no rounding at all', () => {
    const months = monthlyAmounts(weekly('5', always(56_000)));
    // January: 5/7 × 31 × 56 000 = 1 240 000; February: 28 × 40 000 = 1 120 000; …
    const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    expect(months.map((m) => m.amountOere)).toEqual(days.map((d) => BigInt(d) * 40_000n));
    expect(months[0].unitsExact).toEqual(fraction(155n, 7n)); // 31 × 5/7 hours
    // V(12) = 5 × 365 × 56 000 / 7 = 14 600 000 exactly
    expect(months[11].cumulativeExact).toEqual(fraction(14_600_000n));
    expect(months[11].cumulativeRounded).toBe(14_600_000n);
  });

  it('2.5 h/week at 55 555 øre: only the cumulative sums are rounded', () => {
    const months = monthlyAmounts(weekly('2.5', always(55_555)));
    // V(1) = 2.5 × 55 555 × 31 / 7 = 4 305 512.5 / 7 = 615 073.214… → 615 073
    expect(months[0].cumulativeExact).toEqual(fraction(8_611_025n, 14n));
    expect(months[0].amountOere).toBe(615_073n);
    // V(2) = 2.5 × 55 555 × 59 / 7 = 1 170 623.214… → 1 170 623; February = 1 170 623 − 615 073 = 555 550
    expect(months[1].amountOere).toBe(555_550n);
    // V(12) = 2.5 × 55 555 × 365 / 7 = 7 241 991.071… → 7 241 991, and the months sum to exactly that
    expect(months[11].cumulativeRounded).toBe(7_241_991n);
    expect(months.reduce((s, m) => s + m.amountOere, 0n)).toBe(7_241_991n);
  });

  it('halves round away from zero on the cumulative value, not per month', () => {
    // 0.5 h/week at 7 øre: ½ øre a day. V(1) = 15.5 → 16; V(2) = 29.5 → 30 (Feb 14); V(3) = 45 → 45 (Mar 15)
    expect(amounts(weekly('0.5', always(7))).slice(0, 3)).toEqual([16n, 14n, 15n]);
  });

  it('a grant from 16 March to 10 June (inclusive) settles only its active days', () => {
    // 40 000 øre a day: March 16 days, April 30, May 31, June 10 → 87 days = 3 480 000
    const grantMarchToJune = amounts(weekly('5', always(56_000), '2026-03-16', '2026-06-10'));
    expect(grantMarchToJune.join(' ')).toBe('0 0 640000 1200000 1240000 400000 0 0 0 0 0 0');
    // A grant from the year before counts from 1 January; one ending the next year up to 31 December.
    expect(amounts(weekly('5', always(56_000), '2025-06-01', '2027-01-31'))[0]).toBe(1_240_000n);
  });

  it('a rate change on 1 July: each day at the rate in force that day', () => {
    const rates = [
      { validFrom: '2025-01-01', validTo: '2026-07-01', rateOere: 56_000 },
      { validFrom: '2026-07-01', validTo: null, rateOere: 57_400 }, // 5/7 × 57 400 = 41 000 a day
    ];
    const months = monthlyAmounts(weekly('5', rates));
    expect(months[5].cumulativeRounded).toBe(7_240_000n); // 181 days × 40 000
    expect(months[6].amountOere).toBe(1_271_000n); // 31 × 41 000
    expect(months[11].cumulativeRounded).toBe(14_784_000n); // 7 240 000 + 184 × 41 000
  });

  it('a day with units and no rate is reported, not skipped', () => {
    const rates = [{ validFrom: '2026-01-01', validTo: '2026-12-30', rateOere: 1 }];
    expect(() => monthlyAmounts(weekly('5', rates))).toThrow(MissingRateError);
    const error = (() => {
      try {
        monthlyAmounts(weekly('5', rates));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ dates: ['2026-12-30', '2026-12-31'] });
    const overlapping = [...rates, { validFrom: '2026-12-01', validTo: null, rateOere: 2 }];
    expect(() => monthlyAmounts(weekly('5', overlapping))).toThrow(/overlap/);
  });

  it('a place: days from admission up to, not including, discharge; the grant period bounds it', () => {
    const place = {
      year: 2026,
      basis: 'perDay',
      grantFrom: '2026-01-01',
      grantTo: '2026-12-15',
      stays: [
        { from: '2026-02-10', toExclusive: '2026-02-20' }, // 10 … 19 February: 10 days
        { from: '2026-11-25', toExclusive: null }, // 25 … 30 November: 6 days; December up to the grant's end: 15
      ],
      rates: always(268_000),
    } as const;
    const a = amounts(place);
    expect([a[1], a[10], a[11]]).toEqual([2_680_000n, 1_608_000n, 4_020_000n]);
    expect(a.reduce((s, x) => s + x, 0n)).toBe(31n * 268_000n);
    // No stays given: the place runs from the grant's start to the day after its end (30, 31 March; 1, 2 April).
    const whole = amounts({ ...place, grantFrom: '2026-03-30', grantTo: '2026-04-02', stays: undefined });
    expect([whole[2], whole[3]]).toEqual([536_000n, 536_000n]);
  });

  it('hoursPerMonth in February of a leap year (2028): scope / 29 a day', () => {
    const input = {
      year: 2028,
      basis: 'granted',
      scopeUnit: 'hoursPerMonth',
      scope: '10',
      grantFrom: '2028-02-15',
      grantTo: '2028-03-31',
      rates: always(29_000),
    } as const;
    // February: 15 days × 10/29 h × 29 000 = 150 000; March (whole month): 10 h × 29 000 = 290 000
    expect(amounts(input).slice(0, 4)).toEqual([0n, 150_000n, 290_000n, 0n]);
    expect(amounts({ ...input, grantFrom: '2028-02-01' })[1]).toBe(290_000n);
  });

  it('delivered: minutes / 60 at the hourly rate, within the grant and the year', () => {
    const input = {
      year: 2026,
      basis: 'delivered',
      grantFrom: '2025-06-01',
      grantTo: '2026-03-31',
      deliveredMinutes: {
        '2025-12-31': 60,
        '2026-01-05': 45,
        '2026-01-20': 50,
        '2026-02-03': 95,
        '2026-04-01': 30,
      },
      rates: always(56_000),
    } as const;
    const months = monthlyAmounts(input);
    // V(1) = 95/60 × 56 000 = 88 666.67 → 88 667; V(2) = 190/60 × 56 000 = 177 333.33 → 177 333 (February 88 666)
    expect(months.slice(0, 3).map((m) => m.amountOere)).toEqual([88_667n, 88_666n, 0n]);
    expect(months[0].unitsExact).toEqual(fraction(19n, 12n));
    expect(months[11].cumulativeRounded).toBe(177_333n); // 31 Dec 2025 and 1 April 2026 are not settled here
  });

  it('a course: its monthly rate once for each month with an active day', () => {
    const course = {
      year: 2026,
      basis: 'perCourse',
      grantFrom: '2026-03-10',
      grantTo: '2026-03-12',
      rates: always(450_000),
    } as const;
    expect(amounts(course).join(' ')).toBe('0 0 450000 0 0 0 0 0 0 0 0 0');
    // 30 March to 2 April: two months; the rate is the one in force on the month's first active day.
    const rates = [
      { validFrom: '2026-01-01', validTo: '2026-04-02', rateOere: 450_000 },
      { validFrom: '2026-04-02', validTo: null, rateOere: 470_000 },
    ];
    const a = amounts({ ...course, grantFrom: '2026-03-30', grantTo: '2026-04-02', rates });
    expect([a[2], a[3]]).toEqual([450_000n, 450_000n]);
  });

  it('a rerun posts only the difference from what is posted', () => {
    expect(rerunDifference(1_240_000n, 1_240_000n)).toBe(0n);
    expect(rerunDifference(1_240_000n, 1_300_000n)).toBe(60_000n);
    expect(rerunDifference(1_240_000n, 1_000_000n)).toBe(-240_000n);
  });
});

// Random grants: any basis, a grant period around the year, rates changing on random days, stays, minutes.
const YEAR = 2028; // a leap year, so 29 February is exercised
const first = dayNumber(`${YEAR}-01-01`);
const day = fc.integer({ min: first - 40, max: first + 400 });
const rateList = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 365 }), fc.integer({ min: 0, max: 2_000_000 })), { maxLength: 4 })
  .chain((changes) =>
    fc.integer({ min: 0, max: 2_000_000 }).map((initial) => {
      const starts = [...new Set(changes.map(([offset]) => offset))].sort((a, b) => a - b);
      const byOffset = new Map(changes);
      const points = [
        { from: -400, oere: initial },
        ...starts.map((o) => ({ from: o, oere: byOffset.get(o) ?? 0 })),
      ];
      return points.map((p, i) => ({
        validFrom: dateOf(first + p.from),
        validTo: i + 1 < points.length ? dateOf(first + points[i + 1].from) : null,
        rateOere: p.oere,
      }));
    }),
  );
const minutes = fc.dictionary(
  day.map((d) => dateOf(d)),
  fc.integer({ min: 0, max: 600 }),
  { maxKeys: 40 },
);
const grant: fc.Arbitrary<SettlementInput> = fc
  .record({
    basis: fc.constantFrom('granted', 'perDay', 'delivered', 'perCourse' as const),
    scopeUnit: fc.constantFrom('hoursPerWeek', 'daysPerWeek', 'hoursPerMonth'),
    scope: fc
      .integer({ min: 0, max: 6_000 })
      .map((h) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`),
    period: fc.tuple(day, fc.option(fc.integer({ min: 0, max: 400 }))),
    stays: fc.option(fc.array(fc.tuple(day, fc.option(fc.integer({ min: 1, max: 120 }))), { maxLength: 3 })),
    deliveredMinutes: minutes,
    rates: rateList,
  })
  .map(({ period: [from, length], stays, ...rest }) => ({
    ...rest,
    year: YEAR,
    grantFrom: dateOf(from),
    grantTo: length === null ? null : dateOf(from + length),
    stays: stays?.map(([s, n]) => ({ from: dateOf(s), toExclusive: n === null ? null : dateOf(s + n) })),
  }));

describe('settlement arithmetic: properties', () => {
  it('months sum exactly to round(V(12)), every cumulative is within ½ øre of the exact value', () => {
    fc.assert(
      fc.property(grant, (input) => {
        const months = monthlyAmounts(input);
        expect(months.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        expect(months.reduce((s, m) => s + m.amountOere, 0n)).toBe(months[11].cumulativeRounded);
        for (const m of months) {
          expect(typeof m.amountOere).toBe('bigint');
          const error = sub(fraction(m.cumulativeRounded), m.cumulativeExact);
          expect(error.num * 2n <= error.den && -error.num * 2n <= error.den).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with one rate, V(12) is that rate times the year’s units, computed directly', () => {
    fc.assert(
      fc.property(grant, fc.integer({ min: 0, max: 2_000_000 }), (input, rate) => {
        const months = monthlyAmounts({ ...input, rates: always(rate) });
        const units = months.reduce((s, m) => add(s, m.unitsExact), fraction(0n));
        expect(months[11].cumulativeExact).toEqual(mul(units, fraction(BigInt(rate))));
      }),
    );
  });

  it('a rerun with unchanged input posts nothing', () => {
    fc.assert(
      fc.property(grant, fc.integer({ min: 0, max: 11 }), (input, m) => {
        const posted = monthlyAmounts(input)
          .slice(0, m + 1)
          .reduce((s, x) => s + x.amountOere, 0n);
        expect(rerunDifference(posted, monthlyAmounts(input)[m].cumulativeRounded)).toBe(0n);
      }),
    );
  });

  it('a rerun after late delivered minutes posts exactly the difference of the rounded cumulatives', () => {
    fc.assert(
      fc.property(
        grant,
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 11 }),
        (g, offset, extra, m) => {
          const input = { ...g, basis: 'delivered' as const };
          const before = monthlyAmounts(input);
          const late = dateOf(first + offset);
          const minutesAfter = {
            ...input.deliveredMinutes,
            [late]: (input.deliveredMinutes?.[late] ?? 0) + extra,
          };
          const after = monthlyAmounts({ ...input, deliveredMinutes: minutesAfter });
          const posted = before.slice(0, m + 1).reduce((s, x) => s + x.amountOere, 0n);
          const difference = rerunDifference(posted, after[m].cumulativeRounded);
          expect(difference).toBe(after[m].cumulativeRounded - before[m].cumulativeRounded);
          // Posted + difference is what the new months sum to: nothing lost or counted twice.
          expect(posted + difference).toBe(after.slice(0, m + 1).reduce((s, x) => s + x.amountOere, 0n));
          // Months before the late registration are unchanged.
          const lateMonth = new Date(dayNumber(late) * 86_400_000).getUTCMonth();
          for (let k = 0; k < Math.min(lateMonth, m + 1); k++) expect(after[k]).toEqual(before[k]);
        },
      ),
    );
  });
});
