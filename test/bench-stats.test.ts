import { describe, expect, it } from 'vitest';
import { msBetween, percentile, roundSig, summarize } from '../bench/lib/stats';

describe('bench stats', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('interpolates percentiles between the closest ranks', () => {
    expect(percentile(oneToHundred, 50)).toBeCloseTo(50.5);
    expect(percentile(oneToHundred, 99)).toBeCloseTo(99.01);
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses no samples and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    expect(() => summarize([])).toThrow(RangeError);
  });

  it('summarizes unsorted samples without changing them', () => {
    const samples = [5, 1, 4, 2, 3];
    const s = summarize(samples);
    expect(s).toEqual({ samples: 5, min: 1, p50: 3, p90: 4.6, p99: expect.closeTo(4.96, 10), max: 5, mean: 3 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });

  it('rounds to significant digits and converts hrtime', () => {
    expect(roundSig(0.012345)).toBe(0.0123);
    expect(roundSig(12.345)).toBe(12.3);
    expect(roundSig(1234.5)).toBe(1235);
    expect(roundSig(0)).toBe(0);
    expect(msBetween(1_000_000n, 3_500_000n)).toBe(2.5);
  });
});
