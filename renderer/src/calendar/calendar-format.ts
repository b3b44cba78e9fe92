/**
 * How times read in the calendar, the drawer and the lists: in the site's zone, 24-hour (the grid
 * is 24-hour too, and a clinic's day is read as 09:00–17:30 in both languages).
 */
import type { Language } from '../../../core/i18n/messages';
import { dayNumber, DAY_MS } from '../../../core/scheduling/zoned-time';
import type { LocalDate } from '../../../core/time';

// Formatters are costly to make (~0.1 ms) and immutable: one per language, zone and style.
const formats = new Map<string, Intl.DateTimeFormat>();
function format(language: Language, timeZone: string, style: 'time' | 'date' | 'weekdayDate'): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${style}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'time'
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }
        : style === 'date'
          ? { year: 'numeric', month: 'short', day: 'numeric', timeZone }
          : { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone };
    f = new Intl.DateTimeFormat(language, options);
    formats.set(key, f);
  }
  return f;
}

export function formatTime(instant: number, language: Language, timeZone: string): string {
  return format(language, timeZone, 'time').format(instant);
}

export function formatDay(instant: number, language: Language, timeZone: string): string {
  return format(language, timeZone, 'weekdayDate').format(instant);
}

/** "Mon, Nov 23, 2026 09:00–09:30" (the end's date is left out when it is the same day). */
export function formatSpan(start: number, end: number, language: Language, timeZone: string): string {
  const day = formatDay(start, language, timeZone);
  const endDay = formatDay(end, language, timeZone);
  const to = endDay === day ? formatTime(end, language, timeZone) : `${endDay} ${formatTime(end, language, timeZone)}`;
  return `${day} ${formatTime(start, language, timeZone)}–${to}`;
}

/** A calendar date (YYYY-MM-DD) with its weekday, as written, whatever the zone. */
export function formatLocalDate(date: LocalDate, language: Language): string {
  return format(language, 'UTC', 'weekdayDate').format(dayNumber(date) * DAY_MS);
}

/** "Mon, Nov 23, 2026 09:00". */
export function formatMoment(instant: number, language: Language, timeZone: string): string {
  return `${formatDay(instant, language, timeZone)} ${formatTime(instant, language, timeZone)}`;
}
