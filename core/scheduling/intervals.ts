/**
 * Interval lists for the availability engine. A list is a flat array `[s0, e0, s1, e1, …]` of
 * half-open instant intervals [s, e) that is NORMALISED: every interval non-empty, sorted, and
 * separated by a real gap (no overlap, no touching), so `e_i < s_{i+1}`. Flat arrays of numbers
 * keep the hot loops free of small objects.
 *
 * Every operation is one linear sweep over its sorted inputs (merge-style, two pointers), so the
 * cost is proportional to the number of intervals, never to the length of time they cover.
 */

/** A half-open interval of instants [start, end). */
export interface Interval {
  start: number;
  end: number;
}

/** Appends [s, e) to a normalised list whose last interval starts at or before s, merging. */
export function pushMerged(out: number[], s: number, e: number): void {
  if (e <= s) return;
  const n = out.length;
  if (n > 0 && s <= out[n - 1]!) {
    if (e > out[n - 1]!) out[n - 1] = e;
    return;
  }
  out.push(s, e);
}

/** Normalises pairs given in any order (flat `[s, e, s, e, …]`): sorts by start, then merges. */
export function normalize(pairs: readonly number[]): number[] {
  const count = pairs.length >> 1;
  let sorted = true;
  for (let i = 1; i < count; i++) {
    if (pairs[2 * i]! < pairs[2 * i - 2]!) {
      sorted = false;
      break;
    }
  }
  const out: number[] = [];
  if (sorted) {
    for (let i = 0; i < count; i++) pushMerged(out, pairs[2 * i]!, pairs[2 * i + 1]!);
    return out;
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => pairs[2 * a]! - pairs[2 * b]!);
  for (const i of order) pushMerged(out, pairs[2 * i]!, pairs[2 * i + 1]!);
  return out;
}

/** a ∪ b. */
export function union(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      pushMerged(out, a[i]!, a[i + 1]!);
      i += 2;
    } else {
      pushMerged(out, b[j]!, b[j + 1]!);
      j += 2;
    }
  }
  return out;
}

/** The part of a normalised list that meets [lo, hi), cut at the edges; binary search, no scan. */
export function slice(a: readonly number[], lo: number, hi: number): number[] {
  // First interval whose end is after lo.
  let l = 0;
  let r = a.length >> 1;
  while (l < r) {
    const m = (l + r) >> 1;
    if (a[2 * m + 1]! <= lo) l = m + 1;
    else r = m;
  }
  const out: number[] = [];
  for (let i = 2 * l; i < a.length && a[i]! < hi; i += 2) {
    const s = Math.max(a[i]!, lo);
    const e = Math.min(a[i + 1]!, hi);
    if (s < e) out.push(s, e);
  }
  return out;
}

/** a ∩ b. */
export function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]!, b[j]!);
    const ae = a[i + 1]!;
    const be = b[j + 1]!;
    const e = Math.min(ae, be);
    if (s < e) out.push(s, e);
    if (ae <= be) i += 2;
    else j += 2;
  }
  return out;
}

/** a − b. */
export function subtract(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i]!;
    const e = a[i + 1]!;
    while (j < b.length && b[j + 1]! <= s) j += 2;
    let k = j;
    while (k < b.length && b[k]! < e) {
      if (b[k]! > s) out.push(s, b[k]!);
      s = Math.max(s, b[k + 1]!);
      if (s >= e) break;
      k += 2;
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

/** a ∩ [lo, hi). */
export function clip(a: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 2) {
    const s = Math.max(a[i]!, lo);
    const e = Math.min(a[i + 1]!, hi);
    if (s < e) out.push(s, e);
  }
  return out;
}

export function toIntervals(flat: readonly number[]): Interval[] {
  const out: Interval[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ start: flat[i]!, end: flat[i + 1]! });
  return out;
}
