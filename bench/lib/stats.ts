/**
 * Percentiles over timing samples. `percentile` interpolates linearly between the two closest
 * ranks (the "type 7" estimator of R, numpy and spreadsheets), so p50 of an even count is the mean
 * of the middle two and p99 of 2,000 samples lies between the 1,980th and 1,981st smallest.
 */

/** The p-th percentile (0 ≤ p ≤ 100) of samples already sorted in ascending order. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export interface Summary {
  samples: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summary statistics of unsorted samples (the input is not modified). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    samples: sorted.length,
    min: sorted[0]!,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
  };
}

/** Rounds to a few significant digits for reports: 0.01234 → 0.0123, 12.345 → 12.3, 1234.5 → 1235. */
export function roundSig(x: number, digits = 3): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const scale = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * 10 ** scale) / 10 ** scale;
}

/** Milliseconds between two `process.hrtime.bigint()` readings. */
export function msBetween(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}
