import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from 250 ms up to 5 s and stays there', () => {
    expect(Array.from({ length: 8 }, (_, i) => backoffDelay(i))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('is bounded and never decreases, whatever the options and however long the outage', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.nat(100_000),
        (initialDelayMs, maxDelayMs, factor, retry) => {
          const options = { initialDelayMs, maxDelayMs, factor };
          const d = backoffDelay(retry, options);
          expect(d).toBeLessThanOrEqual(maxDelayMs);
          expect(d).toBeGreaterThan(0);
          expect(backoffDelay(retry + 1, options)).toBeGreaterThanOrEqual(d);
        },
      ),
    );
  });
});
