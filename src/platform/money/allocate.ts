/**
 * Splits a whole number of øre into parts proportional to the weights, by the largest-remainder method: each
 * part is its exact share rounded down (towards zero), and the øre left over go one each to the parts with the
 * largest remainders (ties to the earlier part). So the parts always sum to the whole, and each part lies
 * within 1 øre of its exact share `total × weight / Σ weights`. A negative total is split as its magnitude
 * and negated. Arithmetic is in BigInt: `total × weight` may pass 2^53.
 *
 * Weights are non-negative safe integers (e.g. øre amounts); a zero weight gets 0. Splitting a non-zero total
 * over weights that are all zero (or none) has no answer and throws.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total))
    throw new RangeError(`the total is not a safe whole number of øre: ${total}`);
  for (const w of weights)
    if (!Number.isSafeInteger(w) || w < 0)
      throw new RangeError(`a weight is not a non-negative safe integer: ${w}`);
  const sumOfWeights = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sumOfWeights === 0n) {
    if (total !== 0) throw new RangeError(`cannot split ${total} øre over weights that are all zero`);
    return weights.map(() => 0);
  }
  const magnitude = BigInt(Math.abs(total));
  const floors = weights.map((w) => (magnitude * BigInt(w)) / sumOfWeights);
  const remainders = weights.map((w) => (magnitude * BigInt(w)) % sumOfWeights);
  let left = magnitude - floors.reduce((s, f) => s + f, 0n);
  // left < number of parts with a non-zero remainder, so only those receive an øre.
  const order = remainders
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    floors[i] += 1n;
    left -= 1n;
  }
  const sign = total < 0 ? -1 : 1;
  return floors.map((f) => sign * Number(f) || 0);
}
