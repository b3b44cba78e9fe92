/**
 * Time conventions: instants are UTC epoch milliseconds; every site has an IANA time zone, and
 * local-time rules are evaluated in that zone (DST included) with Intl, never with the host's zone.
 */
import { z } from 'zod';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().refine(isValidTimeZone, 'errors.timeZone.unknown');

/** A calendar date `YYYY-MM-DD` that exists (no 2023-02-30). */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'errors.date.format')
  .refine(isRealDate, 'errors.date.invalid');
export type LocalDate = z.infer<typeof LocalDate>;

export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

// Building an Intl.DateTimeFormat costs ~0.1 ms; formatters are immutable, so one per zone is kept.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date of an instant in a zone, as `YYYY-MM-DD`. */
export function localDateOf(instant: number, tz: string): LocalDate {
  let fmt = dateFormats.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(tz, fmt);
  }
  const parts = fmt.formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
