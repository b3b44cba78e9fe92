/**
 * The small conversions every schedule form needs between what a person types and what core
 * stores: wall-clock times "09:30" ⇄ minutes after midnight (0 … 1440, "24:00" is the end of the
 * day), prices in yuan "12.50" ⇄ integer fen, a site-local date and time ⇄ an instant in the
 * site's zone, and the placing of field issues (from core's schemas or from the host) onto the
 * form's own field paths.
 *
 * Every function here is pure; the forms keep no rule of their own beyond "is this a time at all".
 */
import type { FieldIssue, MessageParams } from '../../../core/errors';
import { AppError } from '../../../core/errors';
import { instantToWall, wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import { isRealDate } from '../../../core/time';

// ---- wall-clock times -------------------------------------------------------------------------

/** Minutes after midnight of "H:MM" / "HH:MM" (24-hour, "24:00" allowed); null when it is not a time. */
export function parseHhmm(text: string): number | null {
  const m = /^\s*(\d{1,2})[:：](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** "09:05" for 545; "24:00" for 1440. */
export function formatHhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

// ---- money --------------------------------------------------------------------------------------

/**
 * Fen of a yuan amount as typed: "12", "12.5", "12.50", "-3" (the schema refuses a negative
 * price, with its own message). More than two decimals, or anything else, is null. Computed on
 * the digits, never through a float.
 */
export function yuanToMinor(text: string): number | null {
  const m = /^\s*(-)?(\d{1,12})(?:\.(\d{0,2}))?\s*$/.exec(text.replace(/[,，]/g, ''));
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** "12.50" for 1250. */
export function minorToYuan(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// ---- site-local date and time -----------------------------------------------------------------

/** How a local date and time is written in the schedule forms (and read by dayjs). */
export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';
export const DATE_FORMAT = 'YYYY-MM-DD';

/**
 * The instant of "YYYY-MM-DD HH:mm" read as a wall time in the site's zone (not the PC's, which
 * may be another); null when it is not a real date and time.
 */
export function instantOfWall(text: string, timeZone: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})$/.exec(text.trim());
  if (!m || !isRealDate(m[1]!)) return null;
  const minutes = parseHhmm(m[2]!);
  if (minutes === null || minutes === 1440) return null;
  return wallTimeToInstant(m[1]!, minutes, timeZone);
}

/** "YYYY-MM-DD HH:mm" of an instant in the site's zone. */
export function wallOfInstant(instant: number, timeZone: string): string {
  const w = instantToWall(instant, timeZone);
  return `${w.date} ${formatHhmm(w.minutes)}`;
}

// ---- field issues -------------------------------------------------------------------------------

/** A message for one place on a form: an i18n key and its parameters. */
export interface FieldMessage {
  key: string;
  params?: MessageParams;
}

/** Messages by form path, e.g. `hours.0.1.end` (Monday's second range, its end). */
export type FormErrors = Record<string, FieldMessage>;

export type IssuePath = readonly (string | number)[];

/** "The schema's path `from` is the form's `to`": how a list flattened for the schema maps back. */
export interface Alias {
  from: IssuePath;
  to: string;
}

export const pathKey = (...parts: readonly (string | number)[]): string => parts.join('.');

function startsWith(path: IssuePath, prefix: IssuePath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => p === path[i]);
}

/**
 * The form paths of issues: the path after `strip` (e.g. `patch` of an update), through the
 * longest alias that covers it, the rest appended. Issues of other paths keep their own path.
 */
export function placeIssues(issues: readonly FieldIssue[], aliases: readonly Alias[], strip: IssuePath = []): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const path = startsWith(issue.path, strip) ? issue.path.slice(strip.length) : issue.path;
    let best: Alias | null = null;
    for (const a of aliases) if (startsWith(path, a.from) && (!best || a.from.length > best.from.length)) best = a;
    const key = best ? [best.to, ...path.slice(best.from.length)].filter((p) => p !== '').join('.') : pathKey(...path);
    // The first message of a place is the one shown (schemas report the most basic problem first).
    if (!(key in errors)) errors[key] = issue.params ? { key: issue.key, params: issue.params } : { key: issue.key };
  }
  return errors;
}

/** Runs a core check (parseOrThrow) and returns its value, or its field issues. */
export function tryParse<T>(check: () => T): { ok: true; value: T } | { ok: false; issues: FieldIssue[] } {
  try {
    return { ok: true, value: check() };
  } catch (e) {
    if (AppError.is(e)) return { ok: false, issues: e.issues.length > 0 ? e.issues : [{ path: [], key: e.key, params: e.params }] };
    throw e;
  }
}

/** The keys of `next` whose value differs from `current` (compared as JSON, so arrays and objects by value). */
export function changedKeys<T extends object>(current: T, next: T): (keyof T)[] {
  return (Object.keys(next) as (keyof T)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
}

/** The part of `next` that differs from `current`: what an edit sends. */
export function patchOf<T extends object>(current: T, next: T): Partial<T> {
  const patch: Partial<T> = {};
  for (const k of changedKeys(current, next)) patch[k] = next[k];
  return patch;
}

/** The `#rrggbb` of a colour picker's value; none once it is cleared (the calendar then uses its own colour). */
export function hexOfColour(c: { cleared?: boolean; toHexString(): string } | null | undefined): string | null {
  return c && !c.cleared ? c.toHexString().slice(0, 7) : null;
}

/** An id that passes core's id check, for checking a new record's args before the host gives it its real id. */
export const CHECK_ID = '00000000-0000-7000-8000-000000000000';
