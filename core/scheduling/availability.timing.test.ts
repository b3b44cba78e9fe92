/**
 * A quick timing check to run by hand, not a timed test (it asserts no durations and is skipped
 * unless FOYER_TIMING=1):
 *
 *   FOYER_TIMING=1 npx vitest run --project unit core/scheduling/availability.timing.test.ts --reporter=verbose
 *
 * The target case of the Scheduling issue: one service, 40 candidate resources, 14 days, 10,000
 * existing bookings, p50 under 2 ms. The figures are printed as test annotations. The real
 * benchmark belongs in bench/ (BENCHMARKS.md); this only keeps an eye on the engine meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { freeSlots, nextFreeSlots, type FreeSlotsArgs } from './availability';
import { BusyIndex, type BusyBooking } from './schedule';
import { at, EVERY_DAY, pattern, resource, service, site, weekly } from './scheduling.fixtures';

const SH = 'Asia/Shanghai';
const FROM = '2026-03-02';
const TO = '2026-03-15';

/** A small deterministic generator (mulberry32), so every run measures the same world. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 40 resources open 08:00–20:00 every day; 10,000 bookings of 30–90 minutes on 15-minute starts,
 * spread over the 14 days (`inWindow`) or over a year around them, sorted by start as a database
 * query returns them (or shuffled).
 */
function world(kinds: string[], inWindow: boolean, sorted: boolean): FreeSlotsArgs {
  const random = rng(42);
  const resources = Array.from({ length: 40 }, (_, i) =>
    resource(`r${i}`, i < 32 || kinds.length === 1 ? 'practitioner' : 'room', {
      schedules: [pattern(weekly(EVERY_DAY, '08:00-12:00', '13:00-20:00'))],
    }),
  );
  const origin = at(inWindow ? FROM : '2025-09-15', '00:00', SH);
  const days = inWindow ? 14 : 365;
  const bookings: BusyBooking[] = Array.from({ length: 10_000 }, () => {
    const start = origin + Math.floor(random() * days) * 86_400_000 + (8 * 60 + Math.floor(random() * 44) * 15) * 60_000;
    return {
      resourceIds: [`r${Math.floor(random() * 40)}`],
      start,
      end: start + (30 + Math.floor(random() * 5) * 15) * 60_000,
      status: random() < 0.1 ? 'cancelled' : 'confirmed',
      bufferAfterMinutes: 10,
    };
  });
  if (sorted) bookings.sort((a, b) => a.start - b.start);
  return {
    site: site(SH, { openingHours: weekly(EVERY_DAY, '08:00-20:00'), granularityMinutes: 15 }),
    service: service({ durationMinutes: 45, bufferAfterMinutes: 10, resourceKinds: kinds, maxAdvanceDays: 60 }),
    resources,
    bookings,
    holds: [],
    now: at('2026-03-01', '12:00', SH),
    from: FROM,
    to: TO,
  };
}

function measure(run: () => unknown, iterations = 400): { p50: number; p95: number } {
  for (let i = 0; i < 50; i++) run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(iterations / 2)]!, p95: times[Math.floor(iterations * 0.95)]! };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

describe.runIf(process.env.FOYER_TIMING === '1')('availability timing (by hand)', () => {
  const cases = [
    { name: '40 practitioners, 10,000 bookings in the 14 days, sorted', kinds: ['practitioner'], inWindow: true, sorted: true },
    { name: '40 practitioners, 10,000 bookings in the 14 days, unsorted', kinds: ['practitioner'], inWindow: true, sorted: false },
    { name: '40 practitioners, 10,000 bookings over a year, sorted', kinds: ['practitioner'], inWindow: false, sorted: true },
    { name: '32 practitioners + 8 rooms, 10,000 bookings in the 14 days, sorted', kinds: ['practitioner', 'room'], inWindow: true, sorted: true },
  ];
  for (const c of cases) {
    it(c.name, async ({ annotate }) => {
      const args = world(c.kinds, c.inWindow, c.sorted);
      const result = freeSlots(args);
      expect(result.slots.length).toBeGreaterThan(0);
      const all = measure(() => freeSlots(args));
      const next = measure(() => nextFreeSlots(args, 5));
      const indexed = { ...args, bookings: new BusyIndex(args.bookings as BusyBooking[]) };
      expect(freeSlots(indexed)).toEqual(result);
      const withIndex = measure(() => freeSlots(indexed));
      const build = measure(() => new BusyIndex(args.bookings as BusyBooking[]), 100);
      await annotate(
        `freeSlots p50 ${fmt(all.p50)}, p95 ${fmt(all.p95)} (${result.slots.length} slots, ` +
          `${result.perResource.reduce((n, r) => n + r.starts.length, 0)} per-resource starts); ` +
          `nextFreeSlots(5) p50 ${fmt(next.p50)}; with a BusyIndex p50 ${fmt(withIndex.p50)}, ` +
          `p95 ${fmt(withIndex.p95)} (building it: p50 ${fmt(build.p50)})`,
      );
    });
  }
});
