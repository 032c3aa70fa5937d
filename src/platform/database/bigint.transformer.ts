import { ValueTransformer } from 'typeorm';

/** pg returns bigint as a string; this checks that it fits a JS safe integer (money in øre, counters). */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => {
    if (value === null || value === undefined) return value;
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return value;
  },
  from: (value: string | null) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`bigint outside the safe integer range: ${value}`);
    return n;
  },
};
