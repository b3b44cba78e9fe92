/**
 * The rules a booking must pass, as pure functions over plain records (scheduling.model.ts). The
 * mutators load the few rows that matter (booking.queries.ts), call these, and turn a Refusal into
 * an AppError; the series preview calls the same checks per occurrence and reports instead of
 * throwing. Desk and server therefore refuse the same bookings for the same reasons.
 *
 * Checks, in the order they run (the first failing one is reported):
 * 1. the span: end after start, and the blocked time (buffers included) at most MAX_BLOCK_MS;
 * 2. the resources: one per needed kind (the service's `resourceKinds` as a multiset), distinct,
 *    of the booking's site, active;
 * 3. the booking window (not for walk-ins): start on the site's local grid, not in the past, at
 *    least the service's minimum notice ahead and less than its maximum advance;
 * 4. the site is open for the whole blocked time: its opening rules (holidays, closures, 调休
 *    days, date overrides) minus emergency closures. A refusal here is "closed";
 * 5. each resource works for the whole blocked time (workingIntervals, with the emergency
 *    closures as leave);
 * 6. no busy block of another booking, session or live hold meets the blocked time of any of
 *    the resources. Blocks are half-open, so back-to-back bookings (buffers included) are fine.
 * The customer's own checks (blacklist, double booking) are separate functions, since a series
 * asks the first once and the second per occurrence.
 */
import { AppError, type ErrorCode, type MessageParams } from '../errors';
import { normalize, subtract } from './intervals';
import { SiteWindow } from './schedule';
import type { ServiceSpec } from './scheduling.schema';
import type { ResourceInfo, SiteRules } from './scheduling.model';
import { addDays, DAY_MS, dayOfInstant, HOUR_MS, instantToWall, MINUTE_MS, wallTimeToInstant } from './zoned-time';

/**
 * The longest time one booking, session or hold may block a resource: a 24-hour service with two
 * 4-hour buffers. The overlap query relies on it: a block meeting [s, e) starts after s − MAX.
 */
export const MAX_BLOCK_MS = 32 * HOUR_MS;

export interface TimeSpan {
  start: number;
  end: number;
}

/** A reason not to book, as the AppError it becomes. `closed` marks "the site is closed then". */
export interface Refusal {
  code: ErrorCode;
  key: string;
  params: MessageParams;
  closed: boolean;
}

/** Something the user accepted that the record should show (e.g. a blacklist override). */
export interface Warning {
  key: string;
  params: MessageParams;
}

function refuse(code: ErrorCode, key: string, params: MessageParams = {}, closed = false): Refusal {
  return { code, key, params, closed };
}

export function refusalError(r: Refusal): AppError {
  return new AppError(r.code, r.key, r.params);
}

/** Throws the refusal, if any. */
export function assertNoRefusal(r: Refusal | null): void {
  if (r) throw refusalError(r);
}

/** Time a resource is held by a booking, session or hold: its span widened by buffers. */
export interface BusyBlock extends TimeSpan {
  resourceId: string;
  source: 'booking' | 'session' | 'hold';
  ownerId: string;
}

export function overlaps(a: TimeSpan, b: TimeSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

/** [start − before, end + after): what a booking with these buffers blocks. */
export function blockedSpan(start: number, end: number, bufferBeforeMinutes: number, bufferAfterMinutes: number): TimeSpan {
  return { start: start - bufferBeforeMinutes * MINUTE_MS, end: end + bufferAfterMinutes * MINUTE_MS };
}

export function checkSpan(span: TimeSpan, blocked: TimeSpan): Refusal | null {
  if (!(span.end > span.start)) return refuse('INVALID', 'errors.schedule.endBeforeStart');
  if (blocked.end - blocked.start > MAX_BLOCK_MS) return refuse('INVALID', 'errors.booking.tooLong', { hours: MAX_BLOCK_MS / HOUR_MS });
  return null;
}

/** The chosen resources fill the service's needs exactly, belong to the site and are active. */
export function checkResourceSet(kinds: readonly string[], resources: readonly ResourceInfo[], siteId: string): Refusal | null {
  if (new Set(resources.map((r) => r.id)).size !== resources.length) return refuse('INVALID', 'errors.booking.duplicateResource');
  for (const r of resources) {
    if (r.siteId !== siteId) return refuse('INVALID', 'errors.booking.resourceOtherSite', { resource: r.name });
  }
  const wanted = [...kinds].sort();
  const given = resources.map((r) => r.kind).sort();
  if (wanted.length !== given.length || wanted.some((k, i) => k !== given[i])) {
    return refuse('INVALID', 'errors.booking.resourceKinds', { kinds: kinds.join(', ') });
  }
  for (const r of resources) {
    if (!r.active) return refuse('CONFLICT', 'errors.resource.inactive', { resource: r.name });
  }
  return null;
}

export interface WindowInput {
  start: number;
  now: number;
  spec: ServiceSpec;
  site: SiteRules;
  /** Whether the start must lie on the site's booking grid (not for a seat in a session). */
  grid?: boolean;
}

/** Grid, past, minimum notice and maximum advance. Walk-ins skip this check. */
export function checkBookingWindow({ start, now, spec, site, grid: onGrid = true }: WindowInput): Refusal | null {
  const grid = site.schedule.granularityMinutes;
  if (onGrid && (start % MINUTE_MS !== 0 || instantToWall(start, site.schedule.timeZone).minutes % grid !== 0)) {
    return refuse('INVALID', 'errors.booking.offGrid', { minutes: grid });
  }
  if (start < now) return refuse('CONFLICT', 'errors.booking.inPast');
  if (start < now + spec.minNoticeMinutes * MINUTE_MS) return refuse('CONFLICT', 'errors.booking.minNotice', { minutes: spec.minNoticeMinutes });
  if (start >= now + spec.maxAdvanceDays * DAY_MS) return refuse('CONFLICT', 'errors.booking.maxAdvance', { days: spec.maxAdvanceDays });
  return null;
}

/**
 * Working time around one blocked span: the site's open time and each resource's working time
 * over the local dates it touches (one day either side, for buffers across midnight), minus the
 * emergency closures. Built once per span and asked per resource.
 */
export class SpanCalendar {
  private readonly window: SiteWindow;
  private readonly closures: number[];

  constructor(
    private readonly site: SiteRules,
    closures: readonly TimeSpan[],
    readonly blocked: TimeSpan,
  ) {
    const tz = site.schedule.timeZone;
    const from = dayOfInstant(blocked.start, tz) - 1;
    const to = dayOfInstant(blocked.end, tz) + 1;
    this.window = new SiteWindow(site.schedule, from, to);
    this.closures = normalize(closures.flatMap((c) => [c.start, c.end]));
  }

  siteOpen(): boolean {
    return covers(subtract(this.window.open, this.closures), this.blocked);
  }

  works(resource: ResourceInfo): boolean {
    return covers(subtract(this.window.resourceWorking(resource.schedule), this.closures), this.blocked);
  }
}

/** Whether one interval of a normalised flat list contains the whole span. */
function covers(list: readonly number[], span: TimeSpan): boolean {
  for (let i = 0; i < list.length; i += 2) {
    if (list[i]! <= span.start && span.end <= list[i + 1]!) return true;
    if (list[i]! > span.start) return false;
  }
  return false;
}

/** The first busy block of another booking or session (then of a hold) that meets the span on the resource. */
export function busyConflict(resource: ResourceInfo, blocked: TimeSpan, busy: readonly BusyBlock[]): Refusal | null {
  let held: BusyBlock | null = null;
  for (const b of busy) {
    if (b.resourceId !== resource.id || !overlaps(b, blocked)) continue;
    if (b.source !== 'hold') return refuse('CONFLICT', 'errors.booking.resourceBusy', { resource: resource.name });
    held ??= b;
  }
  return held ? refuse('CONFLICT', 'errors.booking.held', { resource: resource.name }) : null;
}

export interface PlacementInput {
  site: SiteRules;
  /** Emergency closures (site_closures) near the span. */
  closures: readonly TimeSpan[];
  spec: ServiceSpec;
  start: number;
  end: number;
  now: number;
  /** Grid, notice and advance apply to bookings, not to walk-ins or staff-scheduled sessions. */
  bookingWindow: boolean;
  /** Busy blocks of the candidate resources near the span (the booking's own excluded). */
  busy: readonly BusyBlock[];
}

export function blockedOf(p: PlacementInput): TimeSpan {
  return blockedSpan(p.start, p.end, p.spec.bufferBeforeMinutes, p.spec.bufferAfterMinutes);
}

/** Checks 1, 3 and 4: everything that does not depend on which resources are chosen. */
function checkCommon(p: PlacementInput, calendar: SpanCalendar): Refusal | null {
  if (p.bookingWindow) {
    const r = checkBookingWindow({ start: p.start, now: p.now, spec: p.spec, site: p.site });
    if (r) return r;
  }
  if (!calendar.siteOpen()) return refuse('CONFLICT', 'errors.booking.siteClosed', {}, true);
  return null;
}

/** Checks 5 and 6 for one resource. */
function checkResource(p: PlacementInput, calendar: SpanCalendar, r: ResourceInfo): Refusal | null {
  if (!calendar.works(r)) return refuse('CONFLICT', 'errors.booking.outsideWorkingHours', { resource: r.name });
  return busyConflict(r, calendar.blocked, p.busy);
}

/** All checks for a booking on the given resources (one per entry of `kinds`). */
export function checkPlacement(p: PlacementInput, kinds: readonly string[], resources: readonly ResourceInfo[]): Refusal | null {
  const blocked = blockedOf(p);
  const span = checkSpan(p, blocked);
  if (span) return span;
  const set = checkResourceSet(kinds, resources, p.site.id);
  if (set) return set;
  const calendar = new SpanCalendar(p.site, p.closures, blocked);
  const common = checkCommon(p, calendar);
  if (common) return common;
  for (const r of resources) {
    const refusal = checkResource(p, calendar, r);
    if (refusal) return refusal;
  }
  return null;
}

export type PickResult = { ok: true; resources: ResourceInfo[] } | { ok: false; refusal: Refusal };

/**
 * Chooses resources for the kinds from a pool (in the pool's order, best first): per entry of
 * `kinds`, the first active resource of that kind at the site, not chosen yet, that works and is
 * free for the whole blocked span. This is the availability engine's "first fitting combination"
 * at one start time.
 */
export function pickResources(p: PlacementInput, kinds: readonly string[], pool: readonly ResourceInfo[]): PickResult {
  const blocked = blockedOf(p);
  const fail = (refusal: Refusal): PickResult => ({ ok: false, refusal });
  const span = checkSpan(p, blocked);
  if (span) return fail(span);
  const calendar = new SpanCalendar(p.site, p.closures, blocked);
  const common = checkCommon(p, calendar);
  if (common) return fail(common);
  const chosen: ResourceInfo[] = [];
  for (const kind of kinds) {
    const r = pool.find(
      (c) => c.kind === kind && c.active && c.siteId === p.site.id && !chosen.includes(c) && checkResource(p, calendar, c) === null,
    );
    if (!r) return fail(refuse('CONFLICT', 'errors.booking.noFreeResource', { kind }));
    chosen.push(r);
  }
  return { ok: true, resources: chosen };
}

// ---- the customer -----------------------------------------------------------------------------

export interface CustomerStanding {
  name: string;
  blacklisted: boolean;
  blacklistReason: string | null;
}

export type Verdict = { refusal: Refusal; warning?: undefined } | { refusal?: undefined; warning: Warning | null };

/**
 * A blacklisted customer is booked only by someone holding 'booking.overrideBlacklist' who says
 * why; the booking keeps the reason and the result carries a warning.
 */
export function checkCustomerStanding(c: CustomerStanding, canOverride: boolean, overrideReason: string | undefined): Verdict {
  if (!c.blacklisted) return { warning: null };
  const params = { name: c.name, reason: c.blacklistReason ?? '' };
  if (!canOverride) return { refusal: refuse('FORBIDDEN', 'errors.booking.customerBlacklisted', params) };
  if (!overrideReason?.trim()) return { refusal: refuse('INVALID', 'errors.booking.overrideReasonRequired') };
  return { warning: { key: 'errors.booking.customerBlacklisted', params } };
}

export interface CustomerBooking extends TimeSpan {
  id: string;
}

/**
 * A customer with another active booking at an overlapping time (their own time, without
 * buffers) is refused unless the user acknowledged it, the "are you sure?" the desk shows.
 */
export function checkCustomerOverlap(existing: readonly CustomerBooking[], span: TimeSpan, acknowledged: boolean): Verdict {
  const clash = existing.find((b) => overlaps(b, span));
  if (!clash) return { warning: null };
  const params = { bookingId: clash.id, start: clash.start, end: clash.end };
  if (!acknowledged) return { refusal: refuse('CONFLICT', 'errors.booking.customerDoubleBooked', params) };
  return { warning: { key: 'errors.booking.customerDoubleBooked', params } };
}

// ---- weekly series ----------------------------------------------------------------------------

/**
 * Starts of a weekly series: the first start's local wall time on the same weekday every
 * `intervalWeeks` weeks, in the site's zone, so 10:00 stays 10:00 across a DST change.
 */
export function seriesStarts(firstStart: number, count: number, intervalWeeks: number, timeZone: string): number[] {
  const wall = instantToWall(firstStart, timeZone);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(wallTimeToInstant(addDays(wall.date, 7 * intervalWeeks * i), wall.minutes, timeZone));
  return out;
}

export type OccurrenceStatus = 'ok' | 'conflict' | 'closed';

export interface OccurrencePreview {
  index: number;
  start: number;
  end: number;
  status: OccurrenceStatus;
  /** The resources it would take (empty when refused). */
  resourceIds: string[];
  /** Why it cannot be booked: an error key and its parameters. */
  reason: Warning | null;
  warning: Warning | null;
}

export interface SeriesPreviewInput {
  site: SiteRules;
  closures: readonly TimeSpan[];
  spec: ServiceSpec;
  now: number;
  starts: readonly number[];
  /** The chosen resources (one per kind), or null to choose per occurrence from `pool`. */
  chosen: readonly ResourceInfo[] | null;
  pool: readonly ResourceInfo[];
  busy: readonly BusyBlock[];
  customerBookings: readonly CustomerBooking[];
  acknowledgeCustomerOverlap: boolean;
}

/**
 * The per-occurrence report shown BEFORE a series is saved: ok, conflict (with the reason) or
 * closed. Each ok occurrence counts as booked for the ones after it.
 */
export function previewSeries(input: SeriesPreviewInput): OccurrencePreview[] {
  const busy = [...input.busy];
  const mine = [...input.customerBookings];
  const kinds = input.spec.resourceKinds;
  return input.starts.map((start, index) => {
    const end = start + input.spec.durationMinutes * MINUTE_MS;
    const p: PlacementInput = { site: input.site, closures: input.closures, spec: input.spec, start, end, now: input.now, bookingWindow: true, busy };
    const refused = (r: Refusal): OccurrencePreview => ({
      index,
      start,
      end,
      status: r.closed ? 'closed' : 'conflict',
      resourceIds: [],
      reason: { key: r.key, params: r.params },
      warning: null,
    });
    let resources: readonly ResourceInfo[];
    if (input.chosen) {
      const r = checkPlacement(p, kinds, input.chosen);
      if (r) return refused(r);
      resources = input.chosen;
    } else {
      const picked = pickResources(p, kinds, input.pool);
      if (!picked.ok) return refused(picked.refusal);
      resources = picked.resources;
    }
    const customer = checkCustomerOverlap(mine, { start, end }, input.acknowledgeCustomerOverlap);
    if (customer.refusal) return refused(customer.refusal);
    const blocked = blockedOf(p);
    for (const r of resources) busy.push({ ...blocked, resourceId: r.id, source: 'booking', ownerId: `occurrence:${index}` });
    mine.push({ id: `occurrence:${index}`, start, end });
    return { index, start, end, status: 'ok', resourceIds: resources.map((r) => r.id), reason: null, warning: customer.warning };
  });
}
