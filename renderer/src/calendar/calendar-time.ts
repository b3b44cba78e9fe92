/**
 * The calendar's clock: FullCalendar is given "wall-clock instants" of the site, not real ones.
 *
 * Why: times on the calendar must read in the site's time zone (a desk PC may be set to another
 * zone, or to the wrong one). FullCalendar understands only 'local' and 'UTC' without a
 * named-time-zone plugin (luxon or moment-timezone), and none is installed. So FullCalendar runs
 * with `timeZone: 'UTC'`, and every instant is shifted to the UTC instant that has the same
 * reading as the site's wall clock: 09:00 in Shanghai (01:00Z) is handed over as 09:00Z. What comes
 * back from FullCalendar (a selected range, a dropped event's new start) is shifted back with
 * core's zone rules (zoned-time.ts), which also decide the DST edge cases: a wall time in a
 * spring-forward gap moves forward by the gap, one in a fall-back overlap is the earlier instant.
 *
 * Invariant: `fromCalendarTime(toCalendarTime(i, tz), tz) === i` for every whole-minute instant
 * except the second pass through a fall-back hour, which reads as the first (FullCalendar cannot
 * show one wall time twice in one column anyway).
 */
import { dayNumber, DAY_MS, instantToWall, MINUTE_MS, dateOfDay, offsetAt, wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import type { LocalDate } from '../../../core/time';

/** The UTC instant whose UTC reading equals the instant's wall-clock reading in `timeZone`. */
export function toCalendarTime(instant: number, timeZone: string): number {
  return instant + offsetAt(instant, timeZone);
}

/** Zone offsets change only on a quarter hour (every zone in use), so one lookup serves 15 minutes. */
const OFFSET_BUCKET_MS = 15 * MINUTE_MS;

/**
 * `toCalendarTime` for many instants in one zone (a calendar window): offsets are looked up once
 * per quarter hour instead of once per instant.
 */
export function calendarClock(timeZone: string): (instant: number) => number {
  const offsets = new Map<number, number>();
  return (instant) => {
    const bucket = Math.floor(instant / OFFSET_BUCKET_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = offsetAt(bucket * OFFSET_BUCKET_MS, timeZone);
      offsets.set(bucket, offset);
    }
    return instant + offset;
  };
}

/** The real instant a calendar time stands for in `timeZone`. */
export function fromCalendarTime(calendarTime: number, timeZone: string): number {
  const day = Math.floor(calendarTime / DAY_MS);
  const inDay = calendarTime - day * DAY_MS;
  const minutes = Math.floor(inDay / MINUTE_MS);
  return wallTimeToInstant(dateOfDay(day), minutes, timeZone) + (inDay - minutes * MINUTE_MS);
}

/** The calendar date (YYYY-MM-DD) of a calendar time. */
export function calendarDateOf(calendarTime: number): LocalDate {
  return dateOfDay(Math.floor(calendarTime / DAY_MS));
}

/** Minutes after midnight of a calendar time. */
export function calendarMinutesOf(calendarTime: number): number {
  return Math.floor((calendarTime - Math.floor(calendarTime / DAY_MS) * DAY_MS) / MINUTE_MS);
}

/** Midnight of a date as a calendar time (also what FullCalendar's `gotoDate` takes). */
export function calendarMidnight(date: LocalDate): number {
  return dayNumber(date) * DAY_MS;
}

/** "HH:MM" of minutes after midnight (1440 reads "24:00"). */
export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The wall-clock date and minutes of an instant in the site's zone (for forms). */
export function wallOf(instant: number, timeZone: string): { date: LocalDate; minutes: number } {
  const { date, minutes } = instantToWall(instant, timeZone);
  return { date, minutes };
}

/** The instant of a date and "minutes after midnight" in the site's zone (for forms). */
export function instantOf(date: LocalDate, minutes: number, timeZone: string): number {
  return wallTimeToInstant(date, minutes, timeZone);
}
