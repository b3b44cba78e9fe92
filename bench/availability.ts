/**
 * availability: the Scheduling issue's target case for the availability engine — one service,
 * 40 candidate resources, 14 days, 10,000 existing bookings — p50 < 2 ms.
 *
 * What is timed: `freeSlots(args)` from core/scheduling, the pure function the booking mutators
 * and "Find a slot" call, over a deterministic world (seeded generator): 40 practitioners open
 * 08:00–12:00 and 13:00–20:00 every day, 10,000 bookings of 30–90 minutes (10% cancelled) on a
 * 15-minute grid, a 45-minute service with a 10-minute buffer. Bookings are passed sorted by start,
 * as a database query ordered by start returns them (the target figure). Two more figures, with
 * no target: the same bookings unsorted, and through a prebuilt `BusyIndex` (what a host that keeps
 * an index per site would pay per query). 50 warm-up calls, then 1,000 timed calls each.
 */
import { freeSlots, type FreeSlotsArgs } from '../core/scheduling/availability';
import { BusyIndex, type BusyBooking } from '../core/scheduling/schedule';
import { at, EVERY_DAY, pattern, resource, service, site, weekly } from '../core/scheduling/scheduling.fixtures';
import { roundSig, summarize } from './lib/stats';
import type { Benchmark, Figure, Log } from './lib/types';

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

function time(run: () => unknown, iterations = 1000): number[] {
  for (let i = 0; i < 50; i++) run();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return ms;
}

const bench: Benchmark = {
  name: 'availability',
  async run(log: Log) {
    const sorted = world(['practitioner'], true, true);
    const unsorted = world(['practitioner'], true, false);
    const indexed = { ...sorted, bookings: new BusyIndex(sorted.bookings as BusyBooking[]) };
    const expected = JSON.stringify(freeSlots(sorted));
    // The three inputs must give the same answer, or the figures compare different work.
    if (JSON.stringify(freeSlots(unsorted)) !== expected || JSON.stringify(freeSlots(indexed)) !== expected) {
      throw new Error('freeSlots differs between sorted, unsorted and indexed bookings');
    }
    const slots = freeSlots(sorted).slots.length;
    const figures: Figure[] = [];
    for (const [name, args, target] of [
      ['availability', sorted, { p50: 2 }],
      ['availability-unsorted', unsorted, {}],
      ['availability-indexed', indexed, {}],
    ] as const) {
      const s = summarize(time(() => freeSlots(args)));
      log(`${name}: n=${s.samples}  p50 ${s.p50.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  (${slots} slots)`);
      figures.push({ name, unit: 'ms', p50: roundSig(s.p50), p99: roundSig(s.p99), target, samples: s.samples });
    }
    return figures;
  },
};
export default bench;
