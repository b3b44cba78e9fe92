/**
 * Working time and busy time, as normalised instant interval lists (see intervals.ts).
 *
 * Working time. Each local date is evaluated in the SITE's zone:
 * - the site's wall-clock ranges for the date come from the precedence in SiteSchedule (date
 *   override, then closure/holiday, then the weekly hours of the pattern weekday, which a 调休
 *   make-up day sets); a resource's from ResourceSchedule (date override, else its weekly patterns
 *   in force that date, for the same pattern weekday);
 * - each wall range [s, e) becomes the instants [B(s), B(e)) with B the boundary rule of
 *   zoned-time.ts (a gap edge moves to the gap's end, an overlap edge takes its first pass), so on
 *   DST days a range covers exactly the wall times in it that exist;
 * - the resource's working time is (its ranges ∩ the site's) − its leave.
 * Day boundaries and offsets are computed once per window (ZoneTimeline), so the per-day work is
 * arithmetic. Consecutive days merge, so a 24-hour site is one long interval.
 *
 * Busy time. A booking blocks its resources over [start − bufferBefore, end + bufferAfter) while
 * its status is active (BLOCKING_STATUSES); a hold blocks its resource the same way while
 * `now < expiresAt`; a scheduled group session blocks its resources like a booking.
 */
import type { LocalDate } from '../time';
import { intersect, normalize, pushMerged, slice, subtract, toIntervals, union, type Interval } from './intervals';
import type { ResourceSchedule, SiteSchedule, TimeRange } from './scheduling.schema';
import { dayNumber, MINUTE_MS, weekdayOfDay, ZoneTimeline, type IsoWeekday } from './zoned-time';

// ---- busy time --------------------------------------------------------------------------------

/** The booking lifecycle's statuses; the state machine in booking-state.ts owns the transitions. */
export const BOOKING_STATUSES = ['pending', 'confirmed', 'arrived', 'inService', 'completed', 'cancelled', 'noShow'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * Statuses that hold the booked resources. A cancellation or a no-show frees them; a completed
 * booking keeps its time (it was used, and the calendar must show it).
 */
export const BLOCKING_STATUSES: ReadonlySet<BookingStatus> = new Set(['pending', 'confirmed', 'arrived', 'inService', 'completed']);

/**
 * A booking as the engine sees it (a row of the bookings table). The buffers are those of the
 * booked service, copied onto the booking when it is made, so editing the service later does not
 * move existing blocks. `sessionId`/`seats` mark a seat in a group session.
 */
export interface BusyBooking {
  resourceIds: readonly string[];
  start: number;
  end: number;
  status: BookingStatus;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  sessionId?: string | null;
  /** Seats this booking takes in its session (party size); 1 when absent. */
  seats?: number;
}

/** A short-lived claim on a resource while someone completes a booking (online checkout). */
export interface ResourceHold {
  resourceId: string;
  start: number;
  end: number;
  /** The hold blocks while now < expiresAt. */
  expiresAt: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
}

/** A scheduled group class: it holds its resources and offers `capacity` seats. */
export interface GroupSession {
  id: string;
  resourceIds: readonly string[];
  start: number;
  end: number;
  capacity: number;
  status: 'scheduled' | 'cancelled';
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
}

export interface BusyInput {
  bookings: readonly BusyBooking[];
  holds?: readonly ResourceHold[];
  sessions?: readonly GroupSession[];
  now: number;
}

/**
 * Bookings and group sessions indexed by resource: each resource's busy time as one sorted,
 * merged interval list. Build it once for a set of rows and reuse it for every availability query
 * over them (the desk host can keep one per site and rebuild it when bookings change): a query
 * then only binary-searches its window instead of reading every row. Holds are not indexed, since
 * whether they block depends on `now`; pass them with the query.
 */
export class BusyIndex {
  private readonly byResource: Map<string, number[]>;

  constructor(bookings: readonly BusyBooking[], sessions: readonly GroupSession[] = []) {
    const ids = new Set<string>();
    for (const b of bookings) for (const id of b.resourceIds) ids.add(id);
    for (const g of sessions) for (const id of g.resourceIds) ids.add(id);
    this.byResource = busyByResource(ids, { bookings, sessions, now: 0 });
  }

  /** The resource's busy time within [lo, hi), normalised flat intervals cut at the edges. */
  between(resourceId: string, lo: number, hi: number): number[] {
    const all = this.byResource.get(resourceId);
    return all === undefined ? [] : slice(all, lo, hi);
  }
}

/** Busy time per resource from rows or from an index plus the rows not in it (holds, extra sessions). */
export function busyFor(
  resourceIds: readonly string[],
  input: Omit<BusyInput, 'bookings'> & { bookings: readonly BusyBooking[] | BusyIndex },
  lo: number,
  hi: number,
): Map<string, number[]> {
  const { bookings } = input;
  if (!(bookings instanceof BusyIndex)) return busyByResource(resourceIds, { ...input, bookings }, lo, hi);
  const extra = busyByResource(resourceIds, { ...input, bookings: [] }, lo, hi);
  const out = new Map<string, number[]>();
  for (const id of resourceIds) out.set(id, union(bookings.between(id, lo, hi), extra.get(id) ?? []));
  return out;
}

/**
 * Busy time per resource, for the resources in `resourceIds` only, within [lo, hi) (pass
 * ±Infinity for all; intervals reaching outside are cut at the edges). One pass over the rows
 * collects each resource's intervals. Rows ordered by start (a database's ORDER BY start) are then
 * merged in one linear pass; otherwise each resource's intervals are sorted once, natively (see
 * unionOfUnsorted).
 */
export function busyByResource(resourceIds: Iterable<string>, input: BusyInput, lo = -Infinity, hi = Infinity): Map<string, number[]> {
  const index = new Map<string, number>();
  const pairs: number[][] = [];
  const sorted: boolean[] = [];
  for (const id of resourceIds) {
    if (index.has(id)) continue;
    index.set(id, pairs.length);
    pairs.push([]);
    sorted.push(true);
  }
  // Cut at [lo, hi]: the union inside the window is the same, and unionOfUnsorted's offsets stay small.
  const add = (id: string, s: number, e: number): void => {
    const k = index.get(id);
    if (k === undefined) return;
    const list = pairs[k]!;
    const n = list.length;
    const cs = s < lo ? lo : s;
    if (n > 0 && cs < list[n - 2]!) sorted[k] = false;
    list.push(cs, e > hi ? hi : e);
  };
  const { bookings } = input;
  for (let i = 0; i < bookings.length; i++) {
    const b = bookings[i]!;
    if (!BLOCKING_STATUSES.has(b.status)) continue;
    const s = b.start - (b.bufferBeforeMinutes ?? 0) * MINUTE_MS;
    const e = b.end + (b.bufferAfterMinutes ?? 0) * MINUTE_MS;
    if (e <= lo || s >= hi || e <= s) continue;
    const ids = b.resourceIds;
    for (let j = 0; j < ids.length; j++) add(ids[j]!, s, e);
  }
  for (const h of input.holds ?? []) {
    if (!(input.now < h.expiresAt)) continue;
    const s = h.start - (h.bufferBeforeMinutes ?? 0) * MINUTE_MS;
    const e = h.end + (h.bufferAfterMinutes ?? 0) * MINUTE_MS;
    if (e <= lo || s >= hi || e <= s) continue;
    add(h.resourceId, s, e);
  }
  for (const g of input.sessions ?? []) {
    if (g.status !== 'scheduled') continue;
    const s = g.start - (g.bufferBeforeMinutes ?? 0) * MINUTE_MS;
    const e = g.end + (g.bufferAfterMinutes ?? 0) * MINUTE_MS;
    if (e <= lo || s >= hi || e <= s) continue;
    for (const id of g.resourceIds) add(id, s, e);
  }
  const out = new Map<string, number[]>();
  for (const [id, k] of index) out.set(id, sorted[k] ? mergeSorted(pairs[k]!) : unionOfUnsorted(pairs[k]!));
  return out;
}

function mergeSorted(pairs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) pushMerged(out, pairs[i]!, pairs[i + 1]!);
  return out;
}

/**
 * The union of intervals in any order: the number of intervals covering x is
 * #starts ≤ x − #ends ≤ x, so starts and ends can be sorted SEPARATELY, as plain numbers, with
 * native typed-array sorts (no comparator callback). Offsets from the smallest start fit a
 * Uint32Array, which sorts faster than a Float64Array, while the span is under 49 days, as it is
 * for availability queries, which cut busy time at their window.
 */
function unionOfUnsorted(pairs: readonly number[]): number[] {
  const n = pairs.length >> 1;
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < pairs.length; i += 2) {
    const s = pairs[i]!;
    const e = pairs[i + 1]!;
    if (s < min) min = s;
    if (e > max) max = e;
    if (!Number.isInteger(s) || !Number.isInteger(e)) integral = false;
  }
  const small = integral && max - min < 2 ** 32;
  const starts = small ? new Uint32Array(n) : new Float64Array(n);
  const ends = small ? new Uint32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = pairs[2 * i]! - min;
    ends[i] = pairs[2 * i + 1]! - min;
  }
  starts.sort();
  ends.sort();
  const out: number[] = [];
  let open = 0;
  let from = 0;
  let j = 0;
  for (let i = 0; i < n; ) {
    // At a tie a start comes first, so touching intervals merge.
    if (starts[i]! <= ends[j]!) {
      if (open++ === 0) from = starts[i]!;
      i++;
    } else {
      if (--open === 0) out.push(from + min, ends[j]! + min);
      j++;
    }
  }
  if (n > 0) out.push(from + min, ends[n - 1]! + min);
  return out;
}

// ---- working time -----------------------------------------------------------------------------

type ByWeekday = (readonly TimeRange[])[];

function byWeekday(ranges: readonly { weekday: number; start: number; end: number }[]): ByWeekday {
  const out: TimeRange[][] = [[], [], [], [], [], [], [], []];
  for (const r of ranges) out[r.weekday]!.push({ start: r.start, end: r.end });
  return out;
}

/**
 * What a calendar array says by day number, derived once per array when the array is frozen (the
 * kept, shared values of scheduling.model.ts: they cannot change under the cache), else each time.
 */
function derivedBy<S extends object, T>(make: (source: S) => T): (source: S) => T {
  const kept = new WeakMap<S, T>();
  return (source) => {
    if (!Object.isFrozen(source)) return make(source);
    let v = kept.get(source);
    if (v === undefined) {
      v = make(source);
      kept.set(source, v);
    }
    return v;
  };
}

const weeklyOf = derivedBy(byWeekday);
const rangesByDay = derivedBy((overrides: readonly { date: LocalDate; ranges: readonly TimeRange[] }[]) => new Map(overrides.map((o) => [dayNumber(o.date), o.ranges] as const)));
const daysOf = derivedBy((dates: readonly { date: LocalDate }[]) => new Set(dates.map((h) => dayNumber(h.date))));
const closedSpans = derivedBy((closures: SiteSchedule['closures']) => closures.map((c) => [dayNumber(c.from), dayNumber(c.to)] as const));
const worksLikeByDay = derivedBy((overrides: SiteSchedule['workdayOverrides']) => new Map(overrides.map((w) => [dayNumber(w.date), w.worksLike] as const)));
const patternsOf = derivedBy((schedules: ResourceSchedule['schedules']): PreparedPattern[] =>
  schedules.map((s) => ({
    byWeekday: byWeekday(s.ranges),
    from: s.effectiveFrom === null ? -Infinity : dayNumber(s.effectiveFrom),
    to: s.effectiveTo === null ? Infinity : dayNumber(s.effectiveTo),
    anchorMonday: s.alternateWeeksFrom === null ? null : mondayOf(dayNumber(s.alternateWeeksFrom)),
  })),
);
const leaveOf = derivedBy((leave: ResourceSchedule['leave']) => normalize(leave.flatMap((l) => [l.start, l.end])));

interface PreparedPattern {
  byWeekday: ByWeekday;
  from: number;
  to: number;
  /** Day number of the Monday of the alternate-weeks anchor week, or null for every week. */
  anchorMonday: number | null;
}

function mondayOf(day: number): number {
  return day - (weekdayOfDay(day) - 1);
}

/**
 * One site over local days [firstDay, lastDay] (day numbers): its zone timeline, the pattern
 * weekday and opening ranges of each day, and its open time as instants. Build it once per
 * computation; `resourceWorking` then costs a few array operations per day.
 */
export class SiteWindow {
  readonly timeline: ZoneTimeline;
  /** The site's open time over the window, normalised flat intervals. */
  readonly open: number[];
  private readonly patternWeekdays: IsoWeekday[] = [];

  constructor(
    readonly site: SiteSchedule,
    readonly firstDay: number,
    readonly lastDay: number,
  ) {
    this.timeline = new ZoneTimeline(site.timeZone, firstDay, lastDay);
    const weekly = weeklyOf(site.openingHours);
    const overrides = rangesByDay(site.dateOverrides);
    const holidays = daysOf(site.holidays);
    const closures = closedSpans(site.closures);
    const worksLike = worksLikeByDay(site.workdayOverrides);
    const open: number[] = [];
    for (let day = firstDay; day <= lastDay; day++) {
      const pattern = worksLike.get(day) ?? weekdayOfDay(day);
      this.patternWeekdays.push(pattern);
      const override = overrides.get(day);
      const closed = holidays.has(day) || closures.some(([f, t]) => f <= day && day <= t);
      this.appendDay(open, day, override ?? (closed ? [] : weekly[pattern]!));
    }
    this.open = open;
  }

  /** The weekday whose weekly hours a date follows: its 调休 `worksLike`, else its own. */
  patternWeekday(day: number): IsoWeekday {
    const w = this.patternWeekdays[day - this.firstDay];
    if (w === undefined) throw new RangeError(`day ${day} is outside this window`);
    return w;
  }

  /** The resource's working time in this window: (its ranges ∩ the site's) − its leave. */
  resourceWorking(resource: ResourceSchedule): number[] {
    const patterns = patternsOf(resource.schedules);
    const overrides = rangesByDay(resource.dateOverrides);
    const own: number[] = [];
    const dayRanges: TimeRange[] = [];
    for (let day = this.firstDay; day <= this.lastDay; day++) {
      const override = overrides.get(day);
      if (override !== undefined) {
        this.appendDay(own, day, override);
        continue;
      }
      const weekday = this.patternWeekday(day);
      dayRanges.length = 0;
      for (const p of patterns) {
        if (day < p.from || day > p.to) continue;
        // Whole weeks from the anchor week, negative before it; only even ones apply.
        if (p.anchorMonday !== null && ((mondayOf(day) - p.anchorMonday) / 7) % 2 !== 0) continue;
        for (const r of p.byWeekday[weekday]!) dayRanges.push(r);
      }
      this.appendDay(own, day, dayRanges);
    }
    const working = intersect(own, this.open);
    if (resource.leave.length === 0) return working;
    return subtract(working, leaveOf(resource.leave));
  }

  /** Appends one day's wall ranges, as instants, to a normalised list ending before this day. */
  private appendDay(out: number[], day: number, ranges: readonly TimeRange[]): void {
    if (ranges.length === 0) return;
    let ordered = true;
    for (let i = 1; i < ranges.length; i++) if (ranges[i]!.start < ranges[i - 1]!.start) ordered = false;
    const sorted = ordered ? ranges : [...ranges].sort((a, b) => a.start - b.start);
    for (const r of sorted) pushMerged(out, this.timeline.boundary(day, r.start), this.timeline.boundary(day, r.end));
  }
}

/**
 * The instants from local date `from` to `to` (both included, site zone) at which the resource
 * works and the site is open: sorted, disjoint, non-touching intervals, honouring holidays,
 * closures, 调休 make-up days, date overrides, alternate weeks, effective dates and leave.
 */
export function workingIntervals(resource: ResourceSchedule, site: SiteSchedule, from: LocalDate, to: LocalDate): Interval[] {
  return toIntervals(new SiteWindow(site, dayNumber(from), dayNumber(to)).resourceWorking(resource));
}

/** The instants from `from` to `to` (both included) at which the site is open. */
export function siteOpenIntervals(site: SiteSchedule, from: LocalDate, to: LocalDate): Interval[] {
  return toIntervals(new SiteWindow(site, dayNumber(from), dayNumber(to)).open);
}

/** One resource's busy time as intervals (for calendars and tests). */
export function busyIntervals(resourceId: string, input: BusyInput): Interval[] {
  return toIntervals(busyByResource([resourceId], input).get(resourceId) ?? []);
}
