/**
 * The schedule forms' values and their way to core's mutator arguments: site rules, special days,
 * planned closures, "close now", departments, resources, services and class sessions. Each check
 * runs core's own argument schema (parseOrThrow) on what the form holds and returns either the
 * value to send or the messages by form field; an edit sends only the fields that changed.
 */
import type { z } from 'zod';
import type { FieldIssue } from '../../../core/errors';
import { CreateResourceArgs, CreateServiceArgs } from '../../../core/scheduling/catalog.mutators';
import { CreateSessionArgs } from '../../../core/scheduling/class-session.mutators';
import type { ResourceHours, SiteCalendar } from '../../../core/scheduling/scheduling.model';
import type { TimeRange, Weekday } from '../../../core/scheduling/scheduling.schema';
import { AddClosureArgs, CloseNowArgs, SetSpecialDayArgs, SiteSettingsPatch } from '../../../core/scheduling/site.mutators';
import { parseOrThrow } from '../../../core/validation';
import type { CatalogResource, CatalogService, CatalogSite } from './catalog-types';
import {
  CHECK_ID,
  instantOfWall,
  minorToYuan,
  patchOf,
  placeIssues,
  tryParse,
  yuanToMinor,
  type Alias,
  type FormErrors,
} from './form-values';
import {
  checkDayRows,
  checkWeekRows,
  DATE_REQUIRED_KEY,
  DATE_TIME_FORMAT_KEY,
  flattenSchedule,
  rangeRowOf,
  weekAliases,
  dayAliases,
  type Checked,
  type RangeRow,
  type ScheduleRows,
  type WeekRows,
} from './hours-values';

export const GRANULARITIES = [5, 10, 15, 30, 60] as const;
export const PRICE_FORMAT_KEY = 'schedules.error.priceFormat';

const merge = (...parts: FormErrors[]): FormErrors => Object.assign({}, ...parts.reverse()) as FormErrors;

// ---- site rules ---------------------------------------------------------------------------------

export interface SiteFormValues {
  granularityMinutes: number;
  holdMinutes: number | null;
  lateCancelHours: number | null;
  noShowGraceMinutes: number | null;
  waitlistAutoOffer: boolean;
  /** Off = never blacklist automatically. */
  autoBlacklist: boolean;
  blacklistAfterNoShows: number | null;
}

export function siteFormValuesOf(site: CatalogSite): SiteFormValues {
  return {
    granularityMinutes: site.granularityMinutes,
    holdMinutes: site.holdMinutes,
    lateCancelHours: site.lateCancelHours,
    noShowGraceMinutes: site.noShowGraceMinutes,
    waitlistAutoOffer: site.waitlistAutoOffer,
    autoBlacklist: site.blacklistAfterNoShows !== null,
    blacklistAfterNoShows: site.blacklistAfterNoShows ?? 3,
  };
}

type SitePatch = SiteSettingsPatch;

function siteRulesInput(v: SiteFormValues) {
  return {
    granularityMinutes: v.granularityMinutes,
    holdMinutes: v.holdMinutes,
    lateCancelHours: v.lateCancelHours,
    noShowGraceMinutes: v.noShowGraceMinutes,
    waitlistAutoOffer: v.waitlistAutoOffer,
    blacklistAfterNoShows: v.autoBlacklist ? v.blacklistAfterNoShows : null,
  };
}

/**
 * The site settings patch (only what changed), or the messages: rule fields by name, ranges at
 * `hours.<day-1>.<row>[.start|.end]`.
 */
export function checkSiteSettings(site: CatalogSite, calendar: SiteCalendar, values: SiteFormValues, hours: WeekRows): Checked<SitePatch> {
  const week = checkWeekRows(hours);
  const rules = tryParse(() => parseOrThrow(SiteSettingsPatch, siteRulesInput(values)));
  if (!week.ok || !rules.ok) return { ok: false, errors: merge(week.ok ? {} : week.errors, rules.ok ? {} : placeIssues(rules.issues, [])) };
  const current: SitePatch = {
    granularityMinutes: site.granularityMinutes as SitePatch['granularityMinutes'],
    holdMinutes: site.holdMinutes,
    lateCancelHours: site.lateCancelHours,
    noShowGraceMinutes: site.noShowGraceMinutes,
    waitlistAutoOffer: site.waitlistAutoOffer,
    blacklistAfterNoShows: site.blacklistAfterNoShows,
    openingHours: [...calendar.openingHours].sort((a, b) => a.weekday - b.weekday || a.start - b.start),
  };
  return { ok: true, value: patchOf(current, { ...rules.value, openingHours: week.value }) };
}

/** Places the host's answer to site.updateSettings: `patch.openingHours.<i>` back on the rows. */
export function placeSiteIssues(issues: readonly FieldIssue[], hours: WeekRows): FormErrors {
  return placeIssues(issues, weekAliases(hours, 'hours', ['openingHours']), ['patch']);
}

// ---- special days -------------------------------------------------------------------------------

export type SpecialDayKind = 'normal' | 'holiday' | 'workday' | 'hours';

export interface SpecialDay {
  date: string;
  kind: Exclude<SpecialDayKind, 'normal'>;
  name?: string;
  worksLike?: Weekday;
  ranges?: TimeRange[];
}

/** Holidays, make-up working days and special hours of the site, by date. */
export function specialDaysOf(calendar: SiteCalendar): SpecialDay[] {
  const days: SpecialDay[] = [
    ...calendar.holidays.map((h) => ({ date: h.date, kind: 'holiday' as const, name: h.name })),
    ...calendar.workdayOverrides.map((w) => ({ date: w.date, kind: 'workday' as const, worksLike: w.worksLike })),
    ...calendar.dateOverrides.map((o) => ({ date: o.date, kind: 'hours' as const, ranges: o.ranges })),
  ];
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

export interface SpecialDayValues {
  date: string | null;
  kind: SpecialDayKind;
  name: string;
  worksLike: Weekday | null;
  /** Special hours; none = closed that day. */
  ranges: RangeRow[];
}

export function specialDayValuesOf(day: SpecialDay | null, date: string | null = null): SpecialDayValues {
  if (!day) return { date, kind: 'holiday', name: '', worksLike: 1, ranges: [] };
  return {
    date: day.date,
    kind: day.kind,
    name: day.name ?? '',
    worksLike: day.worksLike ?? 1,
    ranges: (day.ranges ?? []).map(rangeRowOf),
  };
}

/** The site.setSpecialDay arguments, or the messages by field (`date`, `name`, `worksLike`, `ranges.<row>…`). */
export function checkSpecialDay(siteId: string, v: SpecialDayValues): Checked<SetSpecialDayArgs> {
  const errors: FormErrors = {};
  if (!v.date) errors.date = { key: DATE_REQUIRED_KEY };
  let ranges: unknown = [];
  if (v.kind === 'hours') {
    const day = checkDayRows(v.ranges);
    if (day.ok) ranges = day.value;
    else Object.assign(errors, day.errors);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const input =
    v.kind === 'holiday'
      ? { siteId, date: v.date, kind: v.kind, name: v.name }
      : v.kind === 'workday'
        ? { siteId, date: v.date, kind: v.kind, worksLike: v.worksLike }
        : v.kind === 'hours'
          ? { siteId, date: v.date, kind: v.kind, ranges }
          : { siteId, date: v.date, kind: v.kind };
  const r = tryParse(() => parseOrThrow(SetSpecialDayArgs, input));
  return r.ok ? { ok: true, value: r.value } : { ok: false, errors: placeSpecialDayIssues(r.issues, v) };
}

export function placeSpecialDayIssues(issues: readonly FieldIssue[], v: SpecialDayValues): FormErrors {
  return placeIssues(issues, dayAliases(v.ranges, 'ranges', ['ranges']));
}

// ---- planned closures and "close now" -----------------------------------------------------------

export interface ClosureValues {
  from: string | null;
  to: string | null;
  reason: string;
}

export type AddClosureInput = z.infer<typeof AddClosureArgs>;

export function checkClosure(siteId: string, v: ClosureValues): Checked<AddClosureInput> {
  if (!v.from || !v.to) return { ok: false, errors: { range: { key: DATE_REQUIRED_KEY } } };
  const r = tryParse(() => parseOrThrow(AddClosureArgs, { siteId, closure: { from: v.from, to: v.to, reason: v.reason.trim() } }));
  if (r.ok) return { ok: true, value: r.value };
  return { ok: false, errors: placeClosureIssues(r.issues) };
}

/** Closure issues: the dates (`from`, `to`) show at the one range input. */
export function placeClosureIssues(issues: readonly FieldIssue[]): FormErrors {
  return placeIssues(issues, [
    { from: ['from'], to: 'range' },
    { from: ['to'], to: 'range' },
  ], ['closure']);
}

export interface CloseNowValues {
  /** Site-local "YYYY-MM-DD HH:mm". */
  end: string;
  reason: string;
}

export interface CloseNowRequest {
  siteId: string;
  end: number;
  reason: string;
}

/** The emergency closure's request (from now to `end`), or the messages by field (`end`, `reason`). */
export function checkCloseNow(siteId: string, v: CloseNowValues, timeZone: string, now: number): Checked<CloseNowRequest> {
  const end = instantOfWall(v.end, timeZone);
  if (end === null) return { ok: false, errors: { end: { key: DATE_TIME_FORMAT_KEY } } };
  const r = tryParse(() => parseOrThrow(CloseNowArgs, { id: CHECK_ID, siteId, start: now, end, reason: v.reason }));
  if (!r.ok) return { ok: false, errors: placeIssues(r.issues, []) };
  return { ok: true, value: { siteId, end: r.value.end, reason: r.value.reason } };
}

// ---- resources ----------------------------------------------------------------------------------

export interface ResourceFormValues {
  name: string;
  kind: string;
  departmentId: string | null;
  colour: string | null;
  capacity: number | null;
  active: boolean;
}

export const RESOURCE_FIELDS = ['name', 'kind', 'departmentId', 'colour', 'capacity', 'active'] as const;

export function emptyResourceValues(kind = 'practitioner'): ResourceFormValues {
  return { name: '', kind, departmentId: null, colour: null, capacity: null, active: true };
}

export function resourceValuesOf(r: CatalogResource): ResourceFormValues {
  return { name: r.name, kind: r.kind, departmentId: r.departmentId, colour: r.colour, capacity: r.capacity, active: r.active };
}

/** What resource.create takes (without the id the host makes). */
export type ResourceArgs = Omit<CreateResourceArgs, 'id'>;

/**
 * The resource with its schedule for core, or the messages: fields by name, the schedule's under
 * `templates.…`, `overrides.…`, `leave.…` (see hours-values).
 */
export function checkResource(siteId: string, v: ResourceFormValues, schedule: ScheduleRows, timeZone: string): Checked<ResourceArgs> {
  const flat = flattenSchedule(schedule, timeZone, ['schedule']);
  const input = { id: CHECK_ID, siteId, ...v, schedule: flat.input };
  const r = tryParse(() => parseOrThrow(CreateResourceArgs, input));
  const formatErrors = flat.errors;
  if (!r.ok || Object.keys(formatErrors).length > 0) {
    return { ok: false, errors: merge(formatErrors, r.ok ? {} : placeIssues(r.issues, flat.aliases)) };
  }
  const { id: _id, ...args } = r.value;
  return { ok: true, value: { ...args, schedule: sortedHours(args.schedule) } };
}

function sortedHours(h: ResourceHours): ResourceHours {
  return {
    schedules: h.schedules.map((s) => ({ ...s, ranges: [...s.ranges].sort((a, b) => a.weekday - b.weekday || a.start - b.start) })),
    dateOverrides: [...h.dateOverrides].sort((a, b) => a.date.localeCompare(b.date)),
    leave: [...h.leave].sort((a, b) => a.start - b.start),
  };
}

type ResourcePatchable = Pick<ResourceArgs, 'departmentId' | 'name' | 'capacity' | 'colour' | 'active' | 'schedule'>;

/** The fields of a resource edit that changed (the kind of a resource does not change). */
export function resourcePatchOf(current: CatalogResource, hours: ResourceHours, next: ResourceArgs): Partial<ResourcePatchable> {
  const was: ResourcePatchable = {
    departmentId: current.departmentId,
    name: current.name,
    capacity: current.capacity,
    colour: current.colour,
    active: current.active,
    schedule: sortedHours(hours),
  };
  const now: ResourcePatchable = {
    departmentId: next.departmentId,
    name: next.name,
    capacity: next.capacity,
    colour: next.colour,
    active: next.active,
    schedule: next.schedule,
  };
  return patchOf(was, now);
}

/** Places the host's answer to resource.create / resource.update onto the form and its schedule. */
export function placeResourceIssues(issues: readonly FieldIssue[], schedule: ScheduleRows, timeZone: string): FormErrors {
  const aliases: Alias[] = flattenSchedule(schedule, timeZone, ['schedule']).aliases;
  return placeIssues(issues, aliases, issues.some((i) => i.path[0] === 'patch') ? ['patch'] : []);
}

// ---- services -----------------------------------------------------------------------------------

export interface ServiceFormValues {
  name: string;
  category: string;
  departmentId: string | null;
  durationMinutes: number | null;
  bufferBeforeMinutes: number | null;
  bufferAfterMinutes: number | null;
  /** Yuan as typed, e.g. "120.00". */
  price: string;
  seats: number | null;
  resourceKinds: string[];
  minNoticeMinutes: number | null;
  maxAdvanceDays: number | null;
  colour: string | null;
  active: boolean;
}

export const SERVICE_FIELDS = [
  'name',
  'category',
  'departmentId',
  'durationMinutes',
  'bufferBeforeMinutes',
  'bufferAfterMinutes',
  'price',
  'seats',
  'resourceKinds',
  'minNoticeMinutes',
  'maxAdvanceDays',
  'colour',
  'active',
] as const;
export type ServiceField = (typeof SERVICE_FIELDS)[number];

export function emptyServiceValues(): ServiceFormValues {
  return {
    name: '',
    category: '',
    departmentId: null,
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    price: '0.00',
    seats: 1,
    resourceKinds: ['practitioner'],
    minNoticeMinutes: 0,
    maxAdvanceDays: 90,
    colour: null,
    active: true,
  };
}

export function serviceValuesOf(s: CatalogService): ServiceFormValues {
  return {
    name: s.name,
    category: s.category,
    departmentId: s.departmentId,
    durationMinutes: s.durationMinutes,
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
    price: minorToYuan(s.priceMinor),
    seats: s.seats,
    resourceKinds: [...s.resourceKinds],
    minNoticeMinutes: s.minNoticeMinutes,
    maxAdvanceDays: s.maxAdvanceDays,
    colour: s.colour,
    active: s.active,
  };
}

/** What service.create takes (without the id the host makes). */
export type ServiceArgs = Omit<CreateServiceArgs, 'id'>;

const PRICE_ALIASES: Alias[] = [
  { from: ['price', 'amountMinor'], to: 'price' },
  { from: ['price', 'currency'], to: 'price' },
];

/** An empty number box means "the default" where core has one (buffers 0, one seat, 90 days…). */
const orDefault = (n: number | null): number | undefined => (n === null ? undefined : n);

/** The service for core (price in fen), or the messages by field. */
export function checkService(siteId: string, v: ServiceFormValues, currency = 'CNY'): Checked<ServiceArgs> {
  const amountMinor = yuanToMinor(v.price);
  const input = {
    id: CHECK_ID,
    siteId,
    name: v.name,
    category: v.category,
    departmentId: v.departmentId,
    durationMinutes: v.durationMinutes,
    bufferBeforeMinutes: orDefault(v.bufferBeforeMinutes),
    bufferAfterMinutes: orDefault(v.bufferAfterMinutes),
    price: { amountMinor: amountMinor ?? 0, currency },
    seats: orDefault(v.seats),
    resourceKinds: v.resourceKinds,
    minNoticeMinutes: orDefault(v.minNoticeMinutes),
    maxAdvanceDays: orDefault(v.maxAdvanceDays),
    colour: v.colour,
    active: v.active,
  };
  const r = tryParse(() => parseOrThrow(CreateServiceArgs, input));
  const priceError: FormErrors = amountMinor === null ? { price: { key: PRICE_FORMAT_KEY } } : {};
  if (!r.ok || amountMinor === null) return { ok: false, errors: merge(priceError, r.ok ? {} : placeServiceIssues(r.issues)) };
  const { id: _id, ...args } = r.value;
  return { ok: true, value: args };
}

export function placeServiceIssues(issues: readonly FieldIssue[]): FormErrors {
  return placeIssues(issues, PRICE_ALIASES, issues.some((i) => i.path[0] === 'patch') ? ['patch'] : []);
}

type ServicePatchable = Omit<ServiceArgs, 'siteId'>;

/** The fields of a service edit that changed. */
export function servicePatchOf(current: CatalogService, next: ServiceArgs): Partial<ServicePatchable> {
  const was: ServicePatchable = {
    name: current.name,
    category: current.category,
    departmentId: current.departmentId,
    durationMinutes: current.durationMinutes,
    bufferBeforeMinutes: current.bufferBeforeMinutes,
    bufferAfterMinutes: current.bufferAfterMinutes,
    price: { amountMinor: current.priceMinor, currency: current.currency },
    seats: current.seats,
    resourceKinds: current.resourceKinds,
    minNoticeMinutes: current.minNoticeMinutes,
    maxAdvanceDays: current.maxAdvanceDays,
    colour: current.colour,
    active: current.active,
  };
  const { siteId: _siteId, ...now } = next;
  return patchOf(was, now);
}

// ---- class sessions -----------------------------------------------------------------------------

export interface SessionFormValues {
  serviceId: string | null;
  date: string | null;
  time: string;
  coachId: string | null;
  roomId: string | null;
  /** Empty = the service's seats. */
  seats: number | null;
}

export interface SessionArgs {
  serviceId: string;
  start: number;
  coachId: string;
  roomId: string | null;
  seats: number | null;
}

/** The class session for core (start in the site's zone), or the messages by field. */
export function checkSession(v: SessionFormValues, timeZone: string): Checked<SessionArgs> {
  const errors: FormErrors = {};
  if (!v.date) errors.date = { key: DATE_REQUIRED_KEY };
  const start = v.date ? instantOfWall(`${v.date} ${v.time}`, timeZone) : null;
  if (v.date && start === null) errors.time = { key: 'schedules.error.timeFormat' };
  const r = tryParse(() =>
    parseOrThrow(CreateSessionArgs, { id: CHECK_ID, serviceId: v.serviceId ?? '', start: start ?? 0, coachId: v.coachId ?? '', roomId: v.roomId, seats: v.seats }),
  );
  const schemaErrors = r.ok ? {} : placeSessionIssues(r.issues);
  if (!r.ok || Object.keys(errors).length > 0 || start === null) return { ok: false, errors: merge(errors, schemaErrors) };
  return { ok: true, value: { serviceId: r.value.serviceId, start: r.value.start, coachId: r.value.coachId, roomId: r.value.roomId, seats: r.value.seats } };
}

/** Session issues: an id that is missing means nothing was chosen; the start shows at the time. */
export function placeSessionIssues(issues: readonly FieldIssue[]): FormErrors {
  const chosen = issues.map((i) => (i.key === 'errors.id.invalid' ? { ...i, key: 'schedules.error.choose' } : i));
  return placeIssues(chosen, [{ from: ['start'], to: 'time' }], issues.some((i) => i.path[0] === 'patch') ? ['patch'] : []);
}

/** Which of a service's resource kinds is the coach and which the room, for a class of it. */
export function sessionKinds(kinds: readonly string[]): { coach: string | null; room: string | null; supported: boolean } {
  // 'room', 'studio', and the site's own ('dental_room', 'yoga-studio'…) are places, not people.
  const isPlace = (k: string) => /room|studio/.test(k);
  const coach = kinds.find((k) => !isPlace(k)) ?? kinds[0] ?? null;
  const rest = [...kinds];
  if (coach !== null) rest.splice(rest.indexOf(coach), 1);
  return { coach, room: rest[0] ?? null, supported: kinds.length >= 1 && kinds.length <= 2 };
}
