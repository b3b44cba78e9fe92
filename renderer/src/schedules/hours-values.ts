/**
 * Opening hours and working schedules as the editors hold them, and back: a week is seven lists
 * of "HH:MM" ranges (Monday first), a resource's schedule is its weekly templates (each a week of
 * ranges with effective dates and an optional every-other-week anchor), its date overrides (a
 * date with its own ranges, or off) and its leave (site-local date-time ranges).
 *
 * Checking flattens the rows into core's shapes, runs core's schema (parseOrThrow) and places
 * every issue back on the row it came from through aliases, so "overlaps another range" appears
 * under the range that overlaps, and "the end must be after the start" under its end. A time that
 * is not a time at all ("9.30", "25:00") is reported before the schema runs.
 */
import type { FieldIssue } from '../../../core/errors';
import { DayRanges, WeeklyHours, type DateOverride, type InstantRange, type TimeRange, type Weekday, type WeeklyRange, type WeeklySchedule } from '../../../core/scheduling/scheduling.schema';
import { ResourceHours } from '../../../core/scheduling/scheduling.model';
import { parseOrThrow } from '../../../core/validation';
import { formatHhmm, instantOfWall, parseHhmm, pathKey, placeIssues, tryParse, wallOfInstant, type Alias, type FormErrors } from './form-values';

export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
export const WORKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5];

/** One range as typed. */
export interface RangeRow {
  start: string;
  end: string;
}

/** Seven days of ranges; index 0 is Monday (ISO weekday 1). */
export type WeekRows = RangeRow[][];

export const TIME_FORMAT_KEY = 'schedules.error.timeFormat';
export const DATE_REQUIRED_KEY = 'schedules.error.dateRequired';
export const DATE_TIME_FORMAT_KEY = 'schedules.error.dateTimeFormat';

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };

export function emptyWeekRows(): WeekRows {
  return WEEKDAYS.map(() => []);
}

const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;

export function rangeRowOf(r: { start: number; end: number }): RangeRow {
  return { start: formatHhmm(r.start), end: formatHhmm(r.end) };
}

export function weekRowsOf(ranges: readonly WeeklyRange[]): WeekRows {
  return WEEKDAYS.map((d) => ranges.filter((r) => r.weekday === d).sort(byStart).map(rangeRowOf));
}

/** A copy of the week with `day`'s ranges copied onto each of `to` (its own day left as it is). */
export function copyDay(rows: WeekRows, day: Weekday, to: readonly Weekday[]): WeekRows {
  const source = rows[day - 1] ?? [];
  return rows.map((ranges, i) => (to.includes((i + 1) as Weekday) && i + 1 !== day ? source.map((r) => ({ ...r })) : ranges));
}

// ---- flattening with aliases ---------------------------------------------------------------------

interface Flat<T> {
  /** What the schema reads: numbers where the text was a time, the text itself where it was not. */
  input: T;
  aliases: Alias[];
  /** Times that are not times, by form path. */
  errors: FormErrors;
}

function timeOf(text: string, at: string, errors: FormErrors): number | string {
  const m = parseHhmm(text);
  if (m === null) errors[at] = { key: TIME_FORMAT_KEY };
  return m ?? text;
}

/** A week's rows as WeeklyRange input, schema index i ↔ form path `${at}.${day-1}.${row}`. */
function flattenWeek(rows: WeekRows, at: string, schemaAt: readonly (string | number)[]): Flat<{ weekday: number; start: number | string; end: number | string }[]> {
  const input: { weekday: number; start: number | string; end: number | string }[] = [];
  const aliases: Alias[] = [];
  const errors: FormErrors = {};
  rows.forEach((ranges, d) =>
    ranges.forEach((r, i) => {
      const to = pathKey(at, d, i);
      aliases.push({ from: [...schemaAt, input.length], to });
      input.push({ weekday: d + 1, start: timeOf(r.start, `${to}.start`, errors), end: timeOf(r.end, `${to}.end`, errors) });
    }),
  );
  return { input, aliases, errors };
}

function flattenDay(rows: readonly RangeRow[], at: string, schemaAt: readonly (string | number)[]): Flat<{ start: number | string; end: number | string }[]> {
  const errors: FormErrors = {};
  const aliases: Alias[] = rows.map((_, i) => ({ from: [...schemaAt, i], to: pathKey(at, i) }));
  const input = rows.map((r, i) => ({ start: timeOf(r.start, pathKey(at, i, 'start'), errors), end: timeOf(r.end, pathKey(at, i, 'end'), errors) }));
  return { input, aliases, errors };
}

const sortWeekly = (ranges: WeeklyRange[]): WeeklyRange[] => [...ranges].sort((a, b) => a.weekday - b.weekday || a.start - b.start);

/** The week's ranges for core (sorted by day and time), or the messages by form path `hours.<day-1>.<row>[.start|.end]`. */
export function checkWeekRows(rows: WeekRows, at = 'hours'): Checked<WeeklyRange[]> {
  const flat = flattenWeek(rows, at, []);
  if (Object.keys(flat.errors).length > 0) return { ok: false, errors: flat.errors };
  const r = tryParse(() => parseOrThrow(WeeklyHours, flat.input));
  return r.ok ? { ok: true, value: sortWeekly(r.value) } : { ok: false, errors: placeIssues(r.issues, flat.aliases) };
}

/** One day's ranges for core, or the messages by form path `ranges.<row>[.start|.end]`. */
export function checkDayRows(rows: readonly RangeRow[], at = 'ranges'): Checked<TimeRange[]> {
  const flat = flattenDay(rows, at, []);
  if (Object.keys(flat.errors).length > 0) return { ok: false, errors: flat.errors };
  const r = tryParse(() => parseOrThrow(DayRanges, flat.input));
  return r.ok ? { ok: true, value: [...r.value].sort(byStart) } : { ok: false, errors: placeIssues(r.issues, flat.aliases) };
}

/** Aliases for a host's answer about a week sent as `schemaAt` (e.g. ['patch', 'openingHours']). */
export function weekAliases(rows: WeekRows, at: string, schemaAt: readonly (string | number)[]): Alias[] {
  return flattenWeek(rows, at, schemaAt).aliases;
}

export function dayAliases(rows: readonly RangeRow[], at: string, schemaAt: readonly (string | number)[]): Alias[] {
  return flattenDay(rows, at, schemaAt).aliases;
}

// ---- a resource's schedule ----------------------------------------------------------------------

/** One weekly template as edited. Dates are `YYYY-MM-DD` or null (open-ended). */
export interface TemplateRows {
  days: WeekRows;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** Every other week, counted from the week holding `anchor`. */
  alternate: boolean;
  anchor: string | null;
}

/** A date override: `off`, or working `ranges` that day. */
export interface OverrideRows {
  date: string | null;
  off: boolean;
  ranges: RangeRow[];
}

/** Leave as site-local "YYYY-MM-DD HH:mm" from and to. */
export interface LeaveRows {
  start: string;
  end: string;
}

export interface ScheduleRows {
  templates: TemplateRows[];
  overrides: OverrideRows[];
  leave: LeaveRows[];
}

export function emptyTemplate(): TemplateRows {
  return { days: emptyWeekRows(), effectiveFrom: null, effectiveTo: null, alternate: false, anchor: null };
}

export function emptyScheduleRows(): ScheduleRows {
  return { templates: [emptyTemplate()], overrides: [], leave: [] };
}

export function templateRowsOf(s: WeeklySchedule): TemplateRows {
  return {
    days: weekRowsOf(s.ranges),
    effectiveFrom: s.effectiveFrom,
    effectiveTo: s.effectiveTo,
    alternate: s.alternateWeeksFrom !== null,
    anchor: s.alternateWeeksFrom,
  };
}

export function overrideRowsOf(o: DateOverride): OverrideRows {
  return { date: o.date, off: o.ranges.length === 0, ranges: [...o.ranges].sort(byStart).map(rangeRowOf) };
}

export function leaveRowsOf(l: InstantRange, timeZone: string): LeaveRows {
  return { start: wallOfInstant(l.start, timeZone), end: wallOfInstant(l.end, timeZone) };
}

/** The editors' rows of a stored schedule; one empty template when it has none, to start from. */
export function scheduleRowsOf(h: ResourceHours, timeZone: string): ScheduleRows {
  return {
    templates: h.schedules.length > 0 ? h.schedules.map(templateRowsOf) : [emptyTemplate()],
    overrides: [...h.dateOverrides].sort((a, b) => a.date.localeCompare(b.date)).map(overrideRowsOf),
    leave: [...h.leave].sort(byStart).map((l) => leaveRowsOf(l, timeZone)),
  };
}

/** A template with no ranges at all is an unused blank, not a pattern. */
function isBlank(t: TemplateRows): boolean {
  return t.days.every((d) => d.length === 0) && t.effectiveFrom === null && t.effectiveTo === null && !t.alternate;
}

/**
 * The schedule rows as core's ResourceHours input, with aliases from the schema's paths (under
 * `schemaAt`, e.g. ['patch', 'schedule'] for the host's answer to an update) to the form's:
 * `templates.<i>.days.<day-1>.<row>`, `templates.<i>.effectiveTo`, `overrides.<i>.date`,
 * `overrides.<i>.ranges.<row>`, `leave.<i>.end`.
 */
export function flattenSchedule(rows: ScheduleRows, timeZone: string, schemaAt: readonly (string | number)[] = []): Flat<unknown> {
  const aliases: Alias[] = [];
  const errors: FormErrors = {};
  const schedules: unknown[] = [];
  rows.templates.forEach((t, i) => {
    if (isBlank(t)) return;
    const at = [...schemaAt, 'schedules', schedules.length];
    const week = flattenWeek(t.days, `templates.${i}.days`, [...at, 'ranges']);
    aliases.push({ from: at, to: `templates.${i}` }, { from: [...at, 'alternateWeeksFrom'], to: `templates.${i}.anchor` }, ...week.aliases);
    Object.assign(errors, week.errors);
    if (t.alternate && !t.anchor) errors[`templates.${i}.anchor`] = { key: DATE_REQUIRED_KEY };
    schedules.push({ ranges: week.input, effectiveFrom: t.effectiveFrom, effectiveTo: t.effectiveTo, alternateWeeksFrom: t.alternate ? t.anchor : null });
  });
  const dateOverrides = rows.overrides.map((o, i) => {
    const at = [...schemaAt, 'dateOverrides', i];
    const day = flattenDay(o.off ? [] : o.ranges, `overrides.${i}.ranges`, [...at, 'ranges']);
    aliases.push({ from: at, to: `overrides.${i}` }, ...day.aliases);
    Object.assign(errors, day.errors);
    if (!o.date) errors[`overrides.${i}.date`] = { key: DATE_REQUIRED_KEY };
    return { date: o.date ?? '', ranges: day.input };
  });
  const leave = rows.leave.map((l, i) => {
    aliases.push({ from: [...schemaAt, 'leave', i], to: `leave.${i}` });
    const start = instantOfWall(l.start, timeZone);
    const end = instantOfWall(l.end, timeZone);
    if (start === null) errors[`leave.${i}.start`] = { key: DATE_TIME_FORMAT_KEY };
    if (end === null) errors[`leave.${i}.end`] = { key: DATE_TIME_FORMAT_KEY };
    return { start, end };
  });
  return { input: { schedules, dateOverrides, leave }, aliases, errors };
}

/** The resource's working schedule for core, or the messages by form path. */
export function checkScheduleRows(rows: ScheduleRows, timeZone: string): Checked<ResourceHours> {
  const flat = flattenSchedule(rows, timeZone);
  if (Object.keys(flat.errors).length > 0) return { ok: false, errors: flat.errors };
  const r = tryParse(() => parseOrThrow(ResourceHours, flat.input));
  if (!r.ok) return { ok: false, errors: placeIssues(r.issues, flat.aliases) };
  const h = r.value;
  return {
    ok: true,
    value: {
      schedules: h.schedules.map((s) => ({ ...s, ranges: sortWeekly(s.ranges) })),
      dateOverrides: [...h.dateOverrides].sort((a, b) => a.date.localeCompare(b.date)),
      leave: [...h.leave].sort(byStart),
    },
  };
}

/** Places a host's issues about a schedule sent under `schemaAt` onto the schedule form. */
export function placeScheduleIssues(issues: readonly FieldIssue[], rows: ScheduleRows, timeZone: string, schemaAt: readonly (string | number)[]): FormErrors {
  const flat = flattenSchedule(rows, timeZone, schemaAt);
  const relevant = issues.filter((i) => schemaAt.every((p, k) => i.path[k] === p));
  return placeIssues(relevant, flat.aliases);
}

/** Messages under a form path prefix, with the prefix removed (`templates.0.days.1.0.end` under `templates.0` → `days.1.0.end`). */
export function errorsUnder(errors: FormErrors, prefix: string): FormErrors {
  const out: FormErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    if (k === prefix) out[''] = v;
    else if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] = v;
  }
  return out;
}
