/**
 * How dates and times read on screen. Instants are shown in the selected site's time zone (the
 * desk's, not the PC's, which may be set wrong); calendar dates (birth dates) are shown as stored.
 */
import { localDateOf } from '../../../core/time';
import type { Language } from '../../../core/i18n/messages';

export function formatDateTime(instant: number, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
}

/** A time today shows as the time; older ones as the date. `todayAt` wraps the time ("Today 09:30"). */
export function formatRecent(
  instant: number,
  now: number,
  language: Language,
  timeZone: string,
  todayAt: (time: string) => string,
): string {
  if (localDateOf(instant, timeZone) === localDateOf(now, timeZone)) {
    return todayAt(new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone }).format(instant));
  }
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone }).format(instant);
}

/** Whole years between a birth date and a day, both `YYYY-MM-DD`; null if the birth date is later. */
export function ageOn(birthDate: string, today: string): number | null {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  if (by === undefined || bm === undefined || bd === undefined || ty === undefined || tm === undefined || td === undefined) return null;
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  return age >= 0 ? age : null;
}
