/**
 * Zoned time: instants (UTC epoch ms) and a site's wall-clock time, converted with Intl only (no
 * Temporal, never the host's zone).
 *
 * Model. A zone's UTC offset is piecewise constant. For a window we find the pieces ("offset
 * segments") by reading the offset every 24 h and bisecting, to the second, between two readings
 * that differ. This assumes a zone changes its offset at most once in any 24 h, true of every tzdb
 * zone in the years we schedule. Inside a segment `wall = instant + offset` rises with the instant;
 * between two segments the wall clock jumps forward (a gap, spring forward) or back (an overlap,
 * fall back).
 *
 * Wall time → instant, two documented rules:
 * - `wallTimeToInstant`, for a time a person names ("book 02:30"): a wall time in a gap moves
 *   forward by the length of the gap (02:30 on Berlin's spring-forward day → 03:30 CEST); a wall
 *   time in an overlap takes the EARLIER instant (02:30 on the fall-back day → 02:30 CEST). This is
 *   Temporal's 'compatible' disambiguation.
 * - `wallBoundaryToInstant`, for the edge of a range ("open 01:00–02:30"): the earliest instant
 *   whose wall reading is at or after the boundary. It agrees with the rule above except in a gap,
 *   where it gives the end of the gap (02:30 → 03:00 CEST). It never goes backwards, so a range
 *   [s, e) covers exactly the wall times in it that exist on a spring-forward day; on a fall-back
 *   day a range ending in the repeated hour ends at its first pass, one starting there covers both.
 *
 * Days. Local day D is [B(D, 00:00), B(D + 1, 00:00)) with B the boundary rule, so it is 23, 24 or
 * 25 h long, and well defined even where midnight itself falls in a gap. Dates are `YYYY-MM-DD` at
 * the API and integer day numbers (days since 1970-01-01) inside, converted with civil-calendar
 * arithmetic (H. Hinnant's algorithms): no Date objects.
 *
 * Building an Intl.DateTimeFormat costs ~100 µs and reading an offset with it ~1.5 µs, so one
 * formatter per zone is memoised in a module-level map, and so are the offset segments, found per
 * zone and aligned block of 32 days (about 40 Intl reads, once): a timeline or a one-off
 * conversion then looks them up instead of asking Intl again. Both maps only cache immutable,
 * deterministic functions of the zone name (and the block); results never depend on call history.
 */
import type { LocalDate } from '../time';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A wall-clock reading in a zone: the local date, whole minutes since local midnight, weekday. */
export interface WallTime {
  date: LocalDate;
  minutes: number;
  weekday: IsoWeekday;
}

// ---- calendar arithmetic on day numbers -------------------------------------------------------

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(n: number): [number, number, number] {
  const z = n + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** The number written by the ASCII digits s[from, to), or -1 if one of them is not a digit. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Day number (days since 1970-01-01) of a `YYYY-MM-DD` date; RangeError if it is not a real date.
 * Read digit by digit, without a regex or a round trip: the rules call it for every date of a
 * site's calendar on each check.
 */
export function dayNumber(date: LocalDate): number {
  if (date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    const y = digitsAt(date, 0, 4);
    const mo = digitsAt(date, 5, 7);
    const d = digitsAt(date, 8, 10);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return daysFromCivil(y, mo, d);
  }
  throw new RangeError(`not a date: ${date}`);
}

/** The `YYYY-MM-DD` date of a day number. */
export function dateOfDay(n: number): LocalDate {
  const [y, m, d] = civilFromDays(n);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** ISO weekday of a day number (1970-01-01, day 0, was a Thursday). */
export function weekdayOfDay(n: number): IsoWeekday {
  return (((((n + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return dateOfDay(dayNumber(date) + n);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): IsoWeekday {
  return weekdayOfDay(dayNumber(date));
}

/** Whole days from `a` to `b` (negative when b is before a). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

// ---- offsets through Intl ---------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// `format` is ~5× faster than `formatToParts`; en-US with h23 prints "3/29/2026, 02:30:00".
const EN_US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{1,6}), (\d{2}):(\d{2}):(\d{2})$/;

/** The zone's UTC offset in ms at an instant (wall = instant + offset). One Intl call. */
export function offsetAt(instant: number, timeZone: string): number {
  const second = Math.floor(instant / 1000) * 1000;
  const m = EN_US_RE.exec(formatterFor(timeZone).format(second));
  if (!m) throw new RangeError(`instant ${instant} is outside the supported years`);
  const wall =
    daysFromCivil(Number(m[3]), Number(m[1]), Number(m[2])) * DAY_MS +
    Number(m[4]) * HOUR_MS +
    Number(m[5]) * MINUTE_MS +
    Number(m[6]) * 1000;
  return wall - second;
}

// ---- a zone's offsets over a window of days ---------------------------------------------------

/** Instants [start, end) during which the zone's offset (ms) is constant. */
export interface OffsetSegment {
  readonly start: number;
  readonly end: number;
  readonly offset: number;
}

/**
 * A zone's offset segments over local days [firstDay, lastDay] (day numbers), with margins, and the
 * instant each of those days starts. Build one per computation and ask it everything: after
 * construction it does plain arithmetic, no Intl.
 */
export class ZoneTimeline {
  readonly segments: readonly OffsetSegment[];
  /** dayStarts[i] is the start of day firstDay + i, for i = 0 … lastDay - firstDay + 1. */
  private readonly dayStarts: number[];
  /** Per day: true when one offset covers the whole day and it starts at wall 00:00 exactly. */
  private readonly plain: boolean[];

  constructor(
    readonly timeZone: string,
    readonly firstDay: number,
    readonly lastDay: number,
  ) {
    if (!(lastDay >= firstDay)) throw new RangeError(`empty day range ${firstDay}..${lastDay}`);
    // Offsets lie within ±18 h: two days of margin before and after cover every instant of the
    // days (and of the day after the last, whose start ends the last day).
    this.segments = segmentsOver(timeZone, firstDay * DAY_MS - 2 * DAY_MS, (lastDay + 3) * DAY_MS);
    this.dayStarts = [];
    this.plain = [];
    for (let d = firstDay; d <= lastDay + 1; d++) this.dayStarts.push(this.resolve(d * DAY_MS, true));
    for (let d = firstDay; d <= lastDay; d++) {
      const start = this.dayStart(d);
      const seg = this.segmentAt(start);
      this.plain.push(start + seg.offset === d * DAY_MS && seg.end >= start + DAY_MS);
    }
  }

  /** The instant local day `day` starts (its wall 00:00, or the end of a gap that swallows it). */
  dayStart(day: number): number {
    const s = this.dayStarts[day - this.firstDay];
    if (s === undefined) throw new RangeError(`day ${day} is outside this timeline`);
    return s;
  }

  /** `wallBoundaryToInstant` for a day of this timeline; minutes may be 0 … 1440. */
  boundary(day: number, minutes: number): number {
    if (minutes === 0) return this.dayStart(day);
    if (minutes === 1440) return this.dayStart(day + 1);
    this.checkDay(day, minutes);
    if (this.plain[day - this.firstDay] === true) return this.dayStart(day) + minutes * MINUTE_MS;
    return this.resolve(day * DAY_MS + minutes * MINUTE_MS, true);
  }

  /** `wallTimeToInstant` for a day of this timeline; minutes may be 0 … 1440. */
  wallToInstant(day: number, minutes: number): number {
    this.checkDay(day, minutes);
    return this.resolve(day * DAY_MS + minutes * MINUTE_MS, false);
  }

  /** The segment holding an instant inside this timeline's window. */
  segmentAt(instant: number): OffsetSegment {
    for (const s of this.segments) if (instant >= s.start && instant < s.end) return s;
    throw new RangeError(`instant ${instant} is outside this timeline`);
  }

  private checkDay(day: number, minutes: number): void {
    if (day < this.firstDay || day > this.lastDay + 1) throw new RangeError(`day ${day} is outside this timeline`);
    if (!(minutes >= 0 && minutes <= 1440)) throw new RangeError(`minutes ${minutes} are not within 0 … 1440`);
  }

  /**
   * The instant of a wall reading `wall` (ms since 1970-01-01 local). Overlap: the earlier instant.
   * Gap: the end of the gap (`boundary`) or `wall` read with the offset before the gap (forward).
   */
  private resolve(wall: number, boundary: boolean): number {
    let prev: OffsetSegment | undefined;
    for (const seg of this.segments) {
      if (wall < seg.start + seg.offset) {
        if (!prev) break;
        return boundary ? seg.start : wall - prev.offset;
      }
      if (wall < seg.end + seg.offset) return wall - seg.offset;
      prev = seg;
    }
    throw new RangeError(`wall time ${wall} is outside this timeline`);
  }
}

/** Offset segments covering [from, to), reading the offset every 24 h and bisecting changes. */
function findSegments(timeZone: string, from: number, to: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let segStart = from;
  let probe = from;
  let offset = offsetAt(probe, timeZone);
  while (probe < to) {
    const next = Math.min(probe + DAY_MS, to);
    const nextOffset = offsetAt(next, timeZone);
    if (nextOffset !== offset) {
      // Bisect in whole seconds: offset(lo) = offset, offset(hi) ≠ offset; tzdb changes on a second.
      let lo = Math.floor(probe / 1000);
      let hi = Math.floor(next / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid * 1000, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      const change = hi * 1000;
      segments.push({ start: segStart, end: change, offset });
      segStart = change;
      offset = nextOffset;
    }
    probe = next;
  }
  segments.push({ start: segStart, end: to, offset });
  return segments;
}

// ---- the segments, kept per zone and block ------------------------------------------------------

/**
 * Segments are found per block of BLOCK_MS aligned on the epoch, and a block's segments tile it.
 * Bisection finds a change to the second wherever the 24-hour probes happen to fall, so segments
 * found per block and merged at the block edges are the ones a search over the whole window finds.
 */
const BLOCK_MS = 32 * DAY_MS;
/** About 350 zone-years of blocks; past that the cache starts again (it is only a cache). */
const MAX_BLOCKS = 4096;
const blocksByZone = new Map<string, Map<number, readonly OffsetSegment[]>>();
let cachedBlocks = 0;

function blockSegments(timeZone: string, block: number): readonly OffsetSegment[] {
  let blocks = blocksByZone.get(timeZone);
  const found = blocks?.get(block);
  if (found) return found;
  const segments = Object.freeze(
    findSegments(timeZone, block * BLOCK_MS, (block + 1) * BLOCK_MS)
      .filter((seg) => seg.end > seg.start)
      .map((seg) => Object.freeze(seg)),
  );
  if (cachedBlocks >= MAX_BLOCKS) {
    blocksByZone.clear();
    cachedBlocks = 0;
    blocks = undefined;
  }
  if (!blocks) blocksByZone.set(timeZone, (blocks = new Map()));
  blocks.set(block, segments);
  cachedBlocks++;
  return segments;
}

/** The zone's offset segments over [from, to): the kept blocks', merged across block edges and cut at the ends. */
function segmentsOver(timeZone: string, from: number, to: number): OffsetSegment[] {
  const out: OffsetSegment[] = [];
  for (let block = Math.floor(from / BLOCK_MS); block * BLOCK_MS < to; block++) {
    for (const seg of blockSegments(timeZone, block)) {
      const start = Math.max(seg.start, from);
      const end = Math.min(seg.end, to);
      if (end <= start) continue;
      const last = out[out.length - 1];
      if (last && last.offset === seg.offset && last.end === start) out[out.length - 1] = { start: last.start, end, offset: seg.offset };
      else out.push({ start, end, offset: seg.offset });
    }
  }
  return out;
}

/** `offsetAt` from the kept segments: the same offset (changes fall on whole seconds), without Intl. */
function keptOffsetAt(instant: number, timeZone: string): number {
  const segments = blockSegments(timeZone, Math.floor(instant / BLOCK_MS));
  for (const seg of segments) if (instant < seg.end) return seg.offset;
  throw new RangeError(`instant ${instant} is outside the supported years`);
}

// ---- the public one-off conversions -----------------------------------------------------------

/** The local day (day number) of an instant in a zone: the day of its wall-clock reading. */
export function dayOfInstant(instant: number, timeZone: string): number {
  return Math.floor((instant + keptOffsetAt(instant, timeZone)) / DAY_MS);
}

/** The wall-clock reading of an instant in a zone (minutes are whole, seconds dropped). */
export function instantToWall(instant: number, timeZone: string): WallTime {
  const wall = instant + keptOffsetAt(instant, timeZone);
  const day = Math.floor(wall / DAY_MS);
  return {
    date: dateOfDay(day),
    minutes: Math.floor((wall - day * DAY_MS) / MINUTE_MS),
    weekday: weekdayOfDay(day),
  };
}

/**
 * The instant of a wall time a person names: `minutes` after local midnight of `date` (0 … 1440;
 * 1440 is the next day's 00:00). In a spring-forward gap it moves forward by the gap's length
 * (Berlin 2026-03-29 02:30 → 03:30 CEST); in a fall-back overlap it is the earlier instant.
 */
export function wallTimeToInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const day = dayNumber(date);
  return new ZoneTimeline(timeZone, day, day).wallToInstant(day, minutes);
}

/**
 * The instant a range edge at `minutes` after local midnight of `date` stands for: the earliest
 * instant whose wall reading is at or after it. In a gap: the end of the gap (Berlin 2026-03-29
 * 02:30 → 03:00 CEST); in an overlap: the earlier instant.
 */
export function wallBoundaryToInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const day = dayNumber(date);
  return new ZoneTimeline(timeZone, day, day).boundary(day, minutes);
}

/** The instant local day `date` starts in a zone. */
export function localMidnight(date: LocalDate, timeZone: string): number {
  const day = dayNumber(date);
  return new ZoneTimeline(timeZone, day, day).dayStart(day);
}

/** The length of local day `date` in minutes: 1440, or 1380 / 1500 on DST days (other zones vary). */
export function dayLengthMinutes(date: LocalDate, timeZone: string): number {
  const day = dayNumber(date);
  const tl = new ZoneTimeline(timeZone, day, day);
  return (tl.dayStart(day + 1) - tl.dayStart(day)) / MINUTE_MS;
}
