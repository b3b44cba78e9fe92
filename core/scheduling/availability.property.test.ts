/**
 * freeSlots and workingIntervals against a brute-force ORACLE, on random schedules, exceptions,
 * bookings and holds around DST days (Berlin, New York, and Lord Howe Island, whose clocks move by
 * 30 minutes) and China's 2026 Spring Festival with its 调休 Saturday.
 *
 * The oracle shares no code with the engine (only its types, and the status list to generate
 * from). It works minute by minute over a fixed "universe" of UTC minutes around each scenario: it reads every minute's wall clock with its own
 * Intl.formatToParts, takes a range edge [s, e) of a local day to be the first minute whose wall
 * reading is at or after it (the documented boundary rule), marks working and busy minutes in
 * byte arrays, and then, for every minute whose local reading is on the grid, checks every minute
 * of the buffered interval of every candidate, and enumerates every combination of candidates.
 * Half of the runs give the engine the bookings as a prebuilt BusyIndex.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freeSlots, type FreeSlotsArgs, type PartOfDay, type Slot, type SlotPreferences } from './availability';
import { BOOKING_STATUSES, BusyIndex, workingIntervals, type BusyBooking, type GroupSession, type ResourceHold } from './schedule';
import type { ResourceSchedule, ServiceSpec, SiteSchedule, TimeRange, WeeklyRange } from './scheduling.schema';

const MIN = 60_000;
const DAY = 86_400_000;

/** Query arguments with the bookings as rows (the engine may get them as a BusyIndex instead). */
type RowArgs = FreeSlotsArgs & { bookings: readonly BusyBooking[] };

// ---- the oracle's own calendar and clock reading ------------------------------------------------

const dayOf = (date: string): number => Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY;
const dateOf = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
const isoWeekday = (day: number): number => new Date(day * DAY).getUTCDay() || 7;

interface Universe {
  tz: string;
  /** Instant of minute 0. */
  start: number;
  n: number;
  /** Per minute: local wall reading as minutes since 1970-01-01 local. */
  wall: Int32Array;
  minKey: number;
  /** firstAtOrAfter[k - minKey]: the first minute whose wall reading is ≥ k. */
  firstAtOrAfter: Int32Array;
}

const universes = new Map<string, Universe>();

function universe(tz: string, base: string): Universe {
  const key = `${tz} ${base}`;
  const cached = universes.get(key);
  if (cached) return cached;
  const start = (dayOf(base) - 2) * DAY;
  const n = 8 * 1440;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const wall = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(start + i * MIN)) p[part.type] = Number(part.value);
    wall[i] = (Date.UTC(p.year!, p.month! - 1, p.day!) / DAY) * 1440 + p.hour! * 60 + p.minute!;
  }
  let minKey = Infinity;
  let maxKey = -Infinity;
  for (const w of wall) {
    minKey = Math.min(minKey, w);
    maxKey = Math.max(maxKey, w);
  }
  const firstAtOrAfter = new Int32Array(maxKey - minKey + 2).fill(n);
  for (let i = n - 1; i >= 0; i--) firstAtOrAfter[wall[i]! - minKey] = Math.min(firstAtOrAfter[wall[i]! - minKey]!, i);
  for (let k = firstAtOrAfter.length - 2; k >= 0; k--) firstAtOrAfter[k] = Math.min(firstAtOrAfter[k]!, firstAtOrAfter[k + 1]!);
  const u = { tz, start, n, wall, minKey, firstAtOrAfter };
  universes.set(key, u);
  return u;
}

function edge(u: Universe, day: number, minute: number): number {
  const k = day * 1440 + minute - u.minKey;
  if (k < 0) return 0;
  return u.firstAtOrAfter[Math.min(k, u.firstAtOrAfter.length - 1)]!;
}

function markInstants(u: Universe, arr: Uint8Array, start: number, end: number): void {
  const a = Math.max(0, Math.ceil((start - u.start) / MIN));
  const b = Math.min(u.n, Math.ceil((end - u.start) / MIN));
  for (let i = a; i < b; i++) arr[i] = 1;
}

function markRanges(u: Universe, arr: Uint8Array, day: number, ranges: readonly { start: number; end: number }[]): void {
  for (const r of ranges) for (let i = edge(u, day, r.start); i < edge(u, day, r.end); i++) arr[i] = 1;
}

function patternWeekday(site: SiteSchedule, day: number): number {
  return site.workdayOverrides.find((w) => w.date === dateOf(day))?.worksLike ?? isoWeekday(day);
}

function siteRanges(site: SiteSchedule, day: number): readonly TimeRange[] {
  const date = dateOf(day);
  const override = site.dateOverrides.find((o) => o.date === date);
  if (override) return override.ranges;
  if (site.holidays.some((h) => h.date === date)) return [];
  if (site.closures.some((c) => c.from <= date && date <= c.to)) return [];
  const wd = patternWeekday(site, day);
  return site.openingHours.filter((r) => r.weekday === wd);
}

function resourceRanges(site: SiteSchedule, r: ResourceSchedule, day: number): readonly TimeRange[] {
  const date = dateOf(day);
  const override = r.dateOverrides.find((o) => o.date === date);
  if (override) return override.ranges;
  const wd = patternWeekday(site, day);
  return r.schedules
    .filter((s) => (s.effectiveFrom === null || s.effectiveFrom <= date) && (s.effectiveTo === null || date <= s.effectiveTo))
    .filter((s) => {
      if (s.alternateWeeksFrom === null) return true;
      const anchor = dayOf(s.alternateWeeksFrom);
      const anchorMonday = anchor - (isoWeekday(anchor) - 1);
      return Math.floor((day - anchorMonday) / 7) % 2 === 0;
    })
    .flatMap((s) => s.ranges.filter((x) => x.weekday === wd));
}

/** Working minutes of a resource over local days [firstDay, lastDay]. */
function oracleWorking(u: Universe, site: SiteSchedule, r: ResourceSchedule, firstDay: number, lastDay: number): Uint8Array {
  const open = new Uint8Array(u.n);
  const own = new Uint8Array(u.n);
  const leave = new Uint8Array(u.n);
  for (let day = firstDay; day <= lastDay; day++) {
    markRanges(u, open, day, siteRanges(site, day));
    markRanges(u, own, day, resourceRanges(site, r, day));
  }
  for (const l of r.leave) markInstants(u, leave, l.start, l.end);
  return open.map((o, i) => (o && own[i] && !leave[i] ? 1 : 0));
}

function oracleBusy(u: Universe, id: string, a: RowArgs): Uint8Array {
  const busy = new Uint8Array(u.n);
  const active = ['pending', 'confirmed', 'arrived', 'inService', 'completed'];
  const mark = (s: number, e: number, before = 0, after = 0) => markInstants(u, busy, s - before * MIN, e + after * MIN);
  for (const b of a.bookings) if (active.includes(b.status) && b.resourceIds.includes(id)) mark(b.start, b.end, b.bufferBeforeMinutes, b.bufferAfterMinutes);
  for (const h of a.holds ?? []) if (h.resourceId === id && a.now < h.expiresAt) mark(h.start, h.end, h.bufferBeforeMinutes, h.bufferAfterMinutes);
  for (const g of a.sessions ?? []) if (g.status === 'scheduled' && g.resourceIds.includes(id)) mark(g.start, g.end, g.bufferBeforeMinutes, g.bufferAfterMinutes);
  return busy;
}

function subsets(items: number[], k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  items.forEach((x, i) => {
    for (const rest of subsets(items.slice(i + 1), k - 1)) out.push([x, ...rest]);
  });
  return out;
}

const PARTS: Record<PartOfDay, [number, number]> = { morning: [0, 720], afternoon: [720, 1080], evening: [1080, 1440] };

function oracleFreeSlots(u: Universe, a: RowArgs): { slots: Slot[]; perResource: { resourceId: string; kind: string; starts: number[] }[] } {
  const { site, service } = a;
  const kinds = [...new Set(service.resourceKinds)];
  const need = kinds.map((k) => service.resourceKinds.filter((x) => x === k).length);
  const candidates = a.resources.filter((r) => kinds.includes(r.kind));
  const perResource = candidates.map((r) => ({ resourceId: r.id, kind: r.kind, starts: [] as number[] }));
  const slots: Slot[] = [];
  const firstDay = dayOf(a.from);
  const lastDay = dayOf(a.to);
  const working = candidates.map((r) => oracleWorking(u, site, r, firstDay - 1, lastDay + 1));
  const busy = candidates.map((r) => oracleBusy(u, r.id, a));
  // Every combination, kinds in first-appearance order, candidates in the given order.
  let combos: number[][] = [[]];
  kinds.forEach((kind, k) => {
    const ofKind = candidates.flatMap((r, i) => (r.kind === kind ? [i] : []));
    combos = combos.flatMap((c) => subsets(ofKind, need[k]!).map((s) => [...c, ...s]));
  });
  const prefId = a.preferences?.resourceId;
  if (prefId !== undefined) combos = combos.filter((c) => c.some((i) => candidates[i]!.id === prefId));
  const part = a.preferences?.partOfDay;
  const before = service.bufferBeforeMinutes;
  const length = before + service.durationMinutes + service.bufferAfterMinutes;

  for (let t = 0; t < u.n; t++) {
    const wall = u.wall[t]!;
    const localDay = Math.floor(wall / 1440);
    const minuteOfDay = wall - localDay * 1440;
    const instant = u.start + t * MIN;
    if (localDay < firstDay || localDay > lastDay) continue;
    if (minuteOfDay % site.granularityMinutes !== 0) continue;
    if (instant < a.now + service.minNoticeMinutes * MIN || instant >= a.now + service.maxAdvanceDays * DAY) continue;
    if (part && (minuteOfDay < PARTS[part][0] || minuteOfDay >= PARTS[part][1])) continue;
    const fits = candidates.map((_, c) => {
      for (let m = t - before; m < t - before + length; m++) {
        if (m < 0 || m >= u.n || !working[c]![m] || busy[c]![m]) return false;
      }
      return true;
    });
    const fitting = combos.filter((c) => c.every((i) => fits[i]));
    if (fitting.length === 0) continue;
    const aligned = (combo: number[]): string[] => {
      const queue = new Map(kinds.map((k) => [k, combo.filter((i) => candidates[i]!.kind === k)]));
      return service.resourceKinds.map((k) => candidates[queue.get(k)!.shift()!]!.id);
    };
    const slot: Slot = { start: instant, end: instant + service.durationMinutes * MIN, resourceIds: aligned(fitting[0]!) };
    if (a.allCombinations) slot.combinations = fitting.map(aligned);
    slots.push(slot);
    new Set(fitting.flat()).forEach((i) => perResource[i]!.starts.push(instant));
  }
  return { slots, perResource };
}

// ---- random worlds ----------------------------------------------------------------------------

interface Scenario {
  tz: string;
  /** Windows start on base or base + 1 and run 1–3 days. */
  base: string;
  /** Fixed calendar facts of the scenario (China's 2026 Spring Festival). */
  holidays?: string[];
  workdays?: { date: string; worksLike: 1 | 2 | 3 | 4 | 5 | 6 | 7 }[];
}

const SCENARIOS: Scenario[] = [
  { tz: 'Europe/Berlin', base: '2026-03-28' },
  { tz: 'Europe/Berlin', base: '2026-10-24' },
  { tz: 'America/New_York', base: '2026-03-07' },
  { tz: 'America/New_York', base: '2026-10-31' },
  // Half-hour DST: here the wall-clock grid and "every g minutes since midnight" part ways.
  { tz: 'Australia/Lord_Howe', base: '2026-04-04' },
  { tz: 'Australia/Lord_Howe', base: '2026-10-03' },
  {
    tz: 'Asia/Shanghai',
    base: '2026-02-13',
    holidays: ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'],
    workdays: [{ date: '2026-02-14', worksLike: 1 }],
  },
];

/** null (or undefined) most of the time, so that most worlds still have free slots. */
function rarely<T, N extends null | undefined>(arb: fc.Arbitrary<T>, nil: N): fc.Arbitrary<T | N> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(nil) }, { weight: 1, arbitrary: arb });
}

const weekdayArb = fc.constantFrom(1, 2, 3, 4, 5, 6, 7) as fc.Arbitrary<WeeklyRange['weekday']>;

/** Non-overlapping ranges of one day on a 30-minute raster, often the whole day. */
const dayRangesArb: fc.Arbitrary<TimeRange[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<TimeRange[]>([{ start: 0, end: 1440 }]) },
  {
    weight: 3,
    arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 48 }), { minLength: 0, maxLength: 4 }).map((cuts) => {
      const c = [...cuts].sort((x, y) => x - y).map((x) => x * 30);
      const out: TimeRange[] = [];
      for (let i = 0; i + 1 < c.length; i += 2) out.push({ start: c[i]!, end: c[i + 1]! });
      return out;
    }),
  },
);

const weeklyArb: fc.Arbitrary<WeeklyRange[]> = fc
  .tuple(dayRangesArb, dayRangesArb, dayRangesArb, dayRangesArb, dayRangesArb, dayRangesArb, dayRangesArb)
  .map((days) => days.flatMap((ranges, i) => ranges.map((r) => ({ weekday: (i + 1) as WeeklyRange['weekday'], ...r }))));

function worldArb(sc: Scenario) {
  const base = dayOf(sc.base);
  const baseMs = base * DAY;
  const dateNear = (lo: number, hi: number) => fc.integer({ min: base + lo, max: base + hi }).map(dateOf);
  const instantNear = fc.integer({ min: -24 * 12, max: 5 * 24 * 12 }).map((k) => baseMs + k * 5 * MIN);
  const span = (min: number, max: number) => fc.integer({ min: min / 5, max: max / 5 }).map((k) => k * 5 * MIN);
  const optionalDate = (lo: number, hi: number) => rarely(dateNear(lo, hi), null);
  const overridesArb = fc.uniqueArray(fc.record({ date: dateNear(-1, 4), ranges: dayRangesArb }), { maxLength: 2, selector: (o) => o.date });

  const siteArb = fc.record({
    granularityMinutes: fc.constantFrom(5, 10, 15, 30, 60) as fc.Arbitrary<SiteSchedule['granularityMinutes']>,
    openingHours: weeklyArb,
    holidays: fc.uniqueArray(dateNear(-1, 4), { maxLength: 1 }),
    closures: rarely(fc.tuple(dateNear(-1, 4), fc.integer({ min: 0, max: 1 })), null).map((c) => (c ? [c] : [])),
    workdayOverrides: fc.uniqueArray(fc.record({ date: dateNear(-1, 4), worksLike: weekdayArb }), { maxLength: 2, selector: (w) => w.date }),
    dateOverrides: fc.uniqueArray(fc.record({ date: dateNear(-1, 4), ranges: dayRangesArb }), { maxLength: 1, selector: (o) => o.date }),
  });

  const resourceArb = fc.record({
    schedules: fc.array(
      fc.record({
        ranges: weeklyArb,
        effectiveFrom: optionalDate(-2, 5),
        effectiveTo: optionalDate(-2, 5),
        alternateWeeksFrom: optionalDate(-21, 21),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    dateOverrides: overridesArb,
    leave: fc.array(fc.tuple(instantNear, span(5, 600)).map(([start, d]) => ({ start, end: start + d })), { maxLength: 2 }),
  });

  return fc
    .record({
      fromOffset: fc.integer({ min: 0, max: 1 }),
      days: fc.integer({ min: 1, max: 3 }),
      site: siteArb,
      as: fc.array(resourceArb, { minLength: 2, maxLength: 3 }),
      bs: fc.array(resourceArb, { minLength: 1, maxLength: 2 }),
      order: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
      service: fc.record({
        durationMinutes: fc.constantFrom(5, 15, 30, 45, 60, 90, 120),
        bufferBeforeMinutes: fc.constantFrom(0, 5, 10, 15, 30),
        bufferAfterMinutes: fc.constantFrom(0, 5, 10, 15, 30),
        resourceKinds: fc.constantFrom<string[]>(['a'], ['a'], ['a', 'b'], ['b', 'a'], ['a', 'a'], ['a', 'b', 'a']),
        minNoticeMinutes: fc.constantFrom(0, 0, 30, 120, 1440),
        maxAdvanceDays: fc.constantFrom(1, 2, 3, 30, 30, 30),
      }),
      now: fc.integer({ min: -2 * 24 * 12, max: 24 * 12 }).map((k) => baseMs + k * 5 * MIN),
      bookings: fc.array(
        fc.record({
          ids: fc.tuple(fc.nat(4), fc.option(fc.nat(4), { nil: undefined })),
          start: instantNear,
          length: span(5, 240),
          status: fc.constantFrom(...BOOKING_STATUSES),
          bufferBeforeMinutes: fc.constantFrom(0, 5, 15),
          bufferAfterMinutes: fc.constantFrom(0, 10, 30),
        }),
        { maxLength: 10 },
      ),
      holds: fc.array(fc.record({ id: fc.nat(4), start: instantNear, length: span(5, 120), expiresIn: span(0, 240), expired: fc.boolean() }), { maxLength: 3 }),
      sessions: fc.array(fc.record({ id: fc.nat(4), start: instantNear, length: span(30, 120), cancelled: fc.boolean() }), { maxLength: 2 }),
      preferences: fc.option(
        fc.record({
          resourceId: rarely(fc.constantFrom('a0', 'a1', 'b0', 'zz'), undefined),
          partOfDay: rarely(fc.constantFrom<PartOfDay>('morning', 'afternoon', 'evening'), undefined),
        }),
        { nil: undefined, freq: 2 },
      ),
      allCombinations: fc.boolean(),
    })
    .map((w): RowArgs => {
      const resources: ResourceSchedule[] = [
        ...w.as.map((r, i) => ({ id: `a${i}`, kind: 'a', ...r })),
        ...w.bs.map((r, i) => ({ id: `b${i}`, kind: 'b', ...r })),
      ];
      // Shuffle deterministically so kinds interleave and order decides the chosen combination.
      const shuffled = resources.map((r, i) => ({ r, key: w.order[i] ?? 0 })).sort((x, y) => x.key - y.key).map((x) => x.r);
      const ids = resources.map((r) => r.id);
      const idAt = (k: number) => ids[k % ids.length]!;
      const site: SiteSchedule = {
        timeZone: sc.tz,
        granularityMinutes: w.site.granularityMinutes,
        openingHours: w.site.openingHours,
        holidays: [...(sc.holidays ?? []), ...w.site.holidays].map((date) => ({ date, name: '' })),
        closures: w.site.closures.map(([from, n]) => ({ from, to: dateOf(dayOf(from) + n), reason: '' })),
        workdayOverrides: [...(sc.workdays ?? []), ...w.site.workdayOverrides.filter((x) => !sc.workdays?.some((y) => y.date === x.date))],
        dateOverrides: w.site.dateOverrides,
      };
      const service: ServiceSpec = { ...w.service, seats: 1 };
      const bookings: BusyBooking[] = w.bookings.map((b) => ({
        resourceIds: [...new Set([idAt(b.ids[0]), ...(b.ids[1] === undefined ? [] : [idAt(b.ids[1])])])],
        start: b.start,
        end: b.start + b.length,
        status: b.status,
        bufferBeforeMinutes: b.bufferBeforeMinutes,
        bufferAfterMinutes: b.bufferAfterMinutes,
      }));
      const holds: ResourceHold[] = w.holds.map((h) => ({
        resourceId: idAt(h.id),
        start: h.start,
        end: h.start + h.length,
        expiresAt: h.expired ? w.now - h.expiresIn : w.now + h.expiresIn,
      }));
      const sessions: GroupSession[] = w.sessions.map((g, i) => ({
        id: `s${i}`,
        resourceIds: [idAt(g.id)],
        start: g.start,
        end: g.start + g.length,
        capacity: 8,
        status: g.cancelled ? 'cancelled' : 'scheduled',
        bufferAfterMinutes: 10,
      }));
      const preferences: SlotPreferences | undefined = w.preferences && {
        ...(w.preferences.resourceId === undefined ? {} : { resourceId: w.preferences.resourceId }),
        ...(w.preferences.partOfDay === undefined ? {} : { partOfDay: w.preferences.partOfDay }),
      };
      const from = dateOf(base + w.fromOffset);
      return {
        site,
        service,
        resources: shuffled,
        bookings,
        holds,
        sessions,
        now: w.now,
        from,
        to: dateOf(dayOf(from) + w.days - 1),
        ...(preferences === undefined ? {} : { preferences }),
        allCombinations: w.allCombinations,
      };
    });
}

const worlds = fc.oneof(...SCENARIOS.map((sc) => worldArb(sc).map((args) => ({ sc, args }))));
const worldsAndIndexing = fc.tuple(worlds, fc.boolean());

describe('free slots equal the brute-force oracle (property)', () => {
  it('on random schedules, exceptions, bookings and holds around DST and 调休 days', () => {
    let withSlots = 0;
    fc.assert(
      fc.property(worldsAndIndexing, ([{ sc, args }, indexed]) => {
        const u = universe(sc.tz, sc.base);
        const expected = oracleFreeSlots(u, args);
        // Half the time the bookings go in as a prebuilt index, with the sessions in the index too.
        const query = indexed ? { ...args, bookings: new BusyIndex(args.bookings, args.sessions) } : args;
        expect(freeSlots(query)).toEqual(expected);
        if (expected.slots.length > 0) withSlots++;
      }),
      { numRuns: 600 },
    );
    // Guard against a generator that makes nearly every world empty.
    expect(withSlots).toBeGreaterThan(150);
  });

  it('working intervals cover exactly the oracle’s working minutes', () => {
    fc.assert(
      fc.property(worlds, ({ sc, args }) => {
        const u = universe(sc.tz, sc.base);
        for (const r of args.resources) {
          const expected = oracleWorking(u, args.site, r, dayOf(args.from), dayOf(args.to));
          const actual = new Uint8Array(u.n);
          const intervals = workingIntervals(r, args.site, args.from, args.to);
          intervals.forEach((iv, i) => {
            expect(iv.end).toBeGreaterThan(iv.start);
            if (i > 0) expect(iv.start).toBeGreaterThan(intervals[i - 1]!.end);
            markInstants(u, actual, iv.start, iv.end);
          });
          // Byte arrays compare fast by index; report the first differing minute.
          const diff = actual.findIndex((x, i) => x !== expected[i]);
          expect(diff === -1 ? null : new Date(u.start + diff * MIN).toISOString()).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });
});
