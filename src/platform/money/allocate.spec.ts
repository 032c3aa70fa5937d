import fc from 'fast-check';
import { allocate } from 'src/platform/money/allocate';

const oere = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const weights = fc.array(
  fc.oneof(fc.nat({ max: 1_000 }), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constant(0)),
  { minLength: 1, maxLength: 30 },
);
const someWeight = weights.filter((ws) => ws.some((w) => w > 0));

describe('allocate (largest remainder)', () => {
  it('the parts always sum to the whole', () => {
    fc.assert(
      fc.property(oere, someWeight, (total, ws) => {
        const parts = allocate(total, ws);
        expect(parts).toHaveLength(ws.length);
        expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(total));
        for (const p of parts) expect(Number.isSafeInteger(p)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('each part lies within 1 øre of its exact share, and a zero weight gets nothing', () => {
    fc.assert(
      fc.property(oere, someWeight, (total, ws) => {
        const parts = allocate(total, ws);
        const sum = ws.reduce((s, w) => s + BigInt(w), 0n);
        parts.forEach((p, i) => {
          // |p − total·w/W| < 1  ⇔  |p·W − total·w| < W (exact, in integers)
          const diff = BigInt(p) * sum - BigInt(total) * BigInt(ws[i]);
          expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
          if (ws[i] === 0) expect(p).toBe(0);
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('splitting −x is the negation of splitting x', () => {
    fc.assert(
      fc.property(oere, someWeight, (total, ws) => {
        expect(allocate(-total, ws)).toEqual(allocate(total, ws).map((p) => -p || 0));
      }),
    );
  });

  it('examples: 100 øre in three equal parts, and ties go to the earlier part', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(5, [3, 0, 1])).toEqual([4, 0, 1]); // exact 3.75 / 0 / 1.25: the 0.75 remainder wins
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
  });

  it('refuses what has no answer', () => {
    expect(() => allocate(1, [0, 0])).toThrow(RangeError);
    expect(() => allocate(1, [])).toThrow(RangeError);
    expect(() => allocate(0.5, [1])).toThrow(RangeError);
    expect(() => allocate(1, [-1, 2])).toThrow(RangeError);
  });
});
