import fc from 'fast-check';
import { divRound, hundredthsOf, serviceAmount, totalsOf, yearEnd } from 'src/modules/ledger/budget-result';

describe('budget arithmetic', () => {
  it('a service line is round(units × rate), half away from zero, exactly', () => {
    expect(serviceAmount(8497.25, 268_000)).toBe(2_277_263_000n); // 8 497,25 place-days × 2 680,00 kr
    expect(serviceAmount('0.50', 1)).toBe(1n); // 0.5 øre rounds up
    expect(serviceAmount('0.49', 1)).toBe(0n);
    expect(serviceAmount(1.15, 10)).toBe(12n); // 11.5 øre rounds away from zero (1.15 × 100 in floating point is 114.999…)
    expect(serviceAmount('999999999999.99', 9)).toBe(9_000_000_000_000n); // 8 999 999 999 999.91 → exact, beyond 2^53 in the product
    expect(hundredthsOf(12.3)).toBe(1230n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-7n, 4n)).toBe(-2n);
  });

  it('totals: income (service + external) − expenses, netting within the tolerance', () => {
    const lines = [
      { kind: 'serviceIncome' as const, amountOere: 1_000 },
      { kind: 'externalSale' as const, amountOere: 500 },
      { kind: 'expense' as const, amountOere: 1_400 },
    ];
    expect(totalsOf(lines, 100)).toEqual({
      serviceIncomeOere: 1_000,
      externalSalesOere: 500,
      incomeOere: 1_500,
      expensesOere: 1_400,
      resultOere: 100,
      netsToZero: true,
    });
    expect(totalsOf(lines, 99).netsToZero).toBe(false);
  });

  const lines = [
    {
      lineNo: 1,
      standardCode: 'SEL-108',
      plannedUnits: '8000.00',
      rateOere: 268_000,
      rateId: null,
      amountOere: 2_144_000_000,
    },
    {
      lineNo: 2,
      standardCode: 'SEL-108',
      plannedUnits: '497.25',
      rateOere: 268_000,
      rateId: null,
      amountOere: 133_263_000,
    },
  ];

  it('a surplus under 5 % of the cost base is set aside whole; nothing is carried', () => {
    const r = yearEnd(50_000_000n, 2_000_000_000n, lines);
    expect(r).toMatchObject({
      setAsideCapOere: 100_000_000,
      setAsideOere: 50_000_000,
      carriedOere: 0,
      unplacedOere: 0,
    });
    expect(r.rateProposal.map((p) => p.proposedRateOere)).toEqual([268_000, 268_000]);
  });

  it('a surplus over 5 %: the cap set aside, the rest lowers the rates of t+2', () => {
    // 130 000 000 − 5 % × 2 000 000 000 = 30 000 000 carried, split 2 144 000 000 : 133 263 000
    // exact shares 28 244 432.02 and 1 755 567.98: floors 28 244 432 + 1 755 567, the odd øre to the larger remainder (line 2)
    const r = yearEnd(130_000_000n, 2_000_000_000n, lines);
    expect(r).toMatchObject({ setAsideOere: 100_000_000, carriedOere: 30_000_000 });
    expect(
      r.rateProposal.map((p) => [p.carriedShareOere, p.adjustmentPerUnitOere, p.proposedRateOere]),
    ).toEqual([
      [28_244_432, -3_531, 264_469], // 28 244 432 / 8 000 = 3 530.554
      [1_755_568, -3_531, 264_469], // 1 755 568 / 497.25 = 3 530.554
    ]);
  });

  it('a deficit is carried whole and raises the rates; no lines leaves it unplaced', () => {
    const r = yearEnd(-70_000_000n, 2_200_000_000n, lines);
    expect(r).toMatchObject({ setAsideOere: 0, carriedOere: -70_000_000 });
    expect(r.rateProposal.map((p) => p.proposedRateOere)).toEqual([276_238, 276_238]);
    expect(yearEnd(-5n, 10n, [])).toMatchObject({ carriedOere: -5, unplacedOere: -5, rateProposal: [] });
  });

  it('set aside + carried = result; set aside never passes 5 % of the cost base; shares sum to the carried', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(
          fc.record({
            units: fc.integer({ min: 0, max: 10_000_000 }),
            rate: fc.integer({ min: 0, max: 10_000_000 }),
          }),
          { maxLength: 5 },
        ),
        (result, costBase, ls) => {
          const service = ls.map((l, i) => {
            const plannedUnits = (l.units / 100).toFixed(2);
            return {
              lineNo: i + 1,
              standardCode: 'X-1',
              plannedUnits,
              rateOere: l.rate,
              rateId: null,
              amountOere: Number(serviceAmount(plannedUnits, l.rate)),
            };
          });
          const r = yearEnd(result, costBase, service);
          expect(BigInt(r.setAsideOere + r.carriedOere)).toBe(result);
          expect(BigInt(r.setAsideOere) * 100n).toBeLessThanOrEqual(costBase > 0n ? costBase * 5n : 0n);
          expect(r.setAsideOere).toBeGreaterThanOrEqual(0);
          expect(r.rateProposal.reduce((s, p) => s + p.carriedShareOere, 0) + r.unplacedOere).toBe(
            r.carriedOere,
          );
        },
      ),
    );
  });
});
