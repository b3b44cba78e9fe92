import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clip, intersect, normalize, slice, subtract, union } from './intervals';

const SIZE = 64;

/** Oracle: a list as the set of integer points it covers. */
function points(flat: readonly number[]): boolean[] {
  const out = new Array<boolean>(SIZE).fill(false);
  for (let i = 0; i < flat.length; i += 2) for (let x = flat[i]!; x < flat[i + 1]!; x++) out[x] = true;
  return out;
}

function isNormalised(flat: readonly number[]): boolean {
  for (let i = 0; i < flat.length; i += 2) {
    if (!(flat[i]! < flat[i + 1]!)) return false;
    if (i > 0 && !(flat[i - 1]! < flat[i]!)) return false;
  }
  return true;
}

/** Any intervals in any order, empty and overlapping ones included. */
const pairs = fc.array(fc.tuple(fc.nat(SIZE - 1), fc.nat(SIZE - 1)), { maxLength: 8 }).map((ps) => ps.flatMap(([a, b]) => [a, b]));
const list = pairs.map((p) => normalize(p));

describe('interval lists (property, against sets of points)', () => {
  it('normalise any pairs into sorted, disjoint, non-touching intervals covering the same points', () => {
    fc.assert(
      fc.property(pairs, (p) => {
        const n = normalize(p);
        expect(isNormalised(n)).toBe(true);
        expect(points(n)).toEqual(points(p));
      }),
    );
  });

  it('compute union, intersection, difference, clip and slice', () => {
    fc.assert(
      fc.property(list, list, fc.nat(SIZE), fc.nat(SIZE), (a, b, x, y) => {
        const [lo, hi] = [Math.min(x, y), Math.max(x, y)];
        const pa = points(a);
        const pb = points(b);
        const cases: [number[], (i: number) => boolean][] = [
          [union(a, b), (i) => pa[i]! || pb[i]!],
          [intersect(a, b), (i) => pa[i]! && pb[i]!],
          [subtract(a, b), (i) => pa[i]! && !pb[i]!],
          [clip(a, lo, hi), (i) => pa[i]! && i >= lo && i < hi],
          [slice(a, lo, hi), (i) => pa[i]! && i >= lo && i < hi],
        ];
        for (const [result, expected] of cases) {
          expect(isNormalised(result)).toBe(true);
          expect(points(result)).toEqual(Array.from({ length: SIZE }, (_, i) => expected(i)));
        }
      }),
    );
  });
});
