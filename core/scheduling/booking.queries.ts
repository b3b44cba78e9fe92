/**
 * The reads the scheduling mutators make, over the domain tables (Kysely, so the same queries run
 * on the desk's SQLite and the server's Postgres). Each one touches only rows near the time in
 * question, through an index:
 * - the overlap check reads booking_resources / session_resources by (resource_id, active,
 *   blocked_start) with blocked_start in (lo − MAX_BLOCK_MS, hi): a range scan whose length is the
 *   number of blocks near the time on that resource, whatever the size of the table;
 * - live holds by (site_id, expires_at > now): holds last minutes and are purged, so few;
 * - the customer's bookings by (customer_id, start_at), with the same bound.
 * The queries a booking makes every time are query templates (query-template.ts): built and
 * compiled once per dialect, then run with the call's values.
 */
import type { Selectable } from 'kysely';
import { AppError } from '../errors';
import type { HoldsTable, Tx, WaitlistEntriesTable, WaitlistStatus } from '../db-schema';
import type { Actor } from '../mutator';
import type { LocalDate } from '../time';
import type { PartOfDay } from './availability';
import { MAX_BLOCK_MS, SpanCalendar, blockedSpan, type BusyBlock, type CustomerBooking, type CustomerStanding, type TimeSpan } from './booking-rules';
import { queryTemplate } from './query-template';
import { BLOCKING_STATUSES, type BookingStatus } from './schedule';
import {
  RESOURCE_INFO_COLUMNS,
  SERVICE_RULE_COLUMNS,
  resourceInfoOf,
  serviceRulesOf,
  siteRulesOf,
  type ResourceInfo,
  type ServiceRules,
  type SiteRules,
} from './scheduling.model';
import type { WaitlistEntryInfo } from './waitlist';
import { addDays, localMidnight } from './zoned-time';

export const ACTIVE_STATUSES: readonly BookingStatus[] = [...BLOCKING_STATUSES];
/** Bookings a closure concerns: the customer is still to come or is here. */
export const UPCOMING_STATUSES: readonly BookingStatus[] = ['pending', 'confirmed', 'arrived', 'inService'];

const siteById = queryTemplate((db, p: { id: string; organizationId: string }) =>
  db.selectFrom('sites').selectAll().where('id', '=', p.id).where('organization_id', '=', p.organizationId),
);

export async function loadSite(tx: Tx, actor: Actor, siteId: string): Promise<SiteRules> {
  const row = await siteById.executeTakeFirst(tx, { id: siteId, organizationId: actor.organizationId });
  if (!row) throw new AppError('NOT_FOUND', 'errors.site.notFound', { id: siteId });
  // Staff tied to one site work on that site only; organization-wide staff have siteId null.
  if (actor.siteId !== null && actor.siteId !== siteId) throw new AppError('FORBIDDEN', 'errors.site.forbidden');
  return siteRulesOf(row);
}

const serviceById = queryTemplate((db, p: { id: string; organizationId: string }) =>
  db.selectFrom('services').select(SERVICE_RULE_COLUMNS).where('id', '=', p.id).where('organization_id', '=', p.organizationId),
);

export async function loadService(tx: Tx, organizationId: string, id: string): Promise<ServiceRules> {
  const row = await serviceById.executeTakeFirst(tx, { id, organizationId });
  if (!row) throw new AppError('NOT_FOUND', 'errors.service.notFound', { id });
  return serviceRulesOf(row);
}

/** The resources in the order of `ids`; NOT_FOUND if one is missing. */
const resourcesByIds = queryTemplate((db, p: { ids: readonly string[]; organizationId: string }) =>
  db.selectFrom('resources').select(RESOURCE_INFO_COLUMNS).where('id', 'in', p.ids).where('organization_id', '=', p.organizationId),
);

export async function loadResources(tx: Tx, organizationId: string, ids: readonly string[]): Promise<ResourceInfo[]> {
  if (ids.length === 0) return [];
  const rows = await resourcesByIds.execute(tx, { ids, organizationId });
  const byId = new Map(rows.map((r) => [r.id, resourceInfoOf(r)]));
  return ids.map((id) => {
    const r = byId.get(id);
    if (!r) throw new AppError('NOT_FOUND', 'errors.resource.notFound', { id });
    return r;
  });
}

/** The site's active resources of the given kinds, in a stable order (name, then id): the candidates to choose from. */
const resourcePool = queryTemplate((db, p: { siteId: string; kinds: readonly string[]; active: number }) =>
  db
    .selectFrom('resources')
    .select(RESOURCE_INFO_COLUMNS)
    .where('site_id', '=', p.siteId)
    .where('kind', 'in', p.kinds)
    .where('active', '=', p.active)
    .orderBy('name')
    .orderBy('id'),
);

export async function loadResourcePool(tx: Tx, siteId: string, kinds: readonly string[]): Promise<ResourceInfo[]> {
  if (kinds.length === 0) return [];
  const rows = await resourcePool.execute(tx, { siteId, kinds: [...new Set(kinds)], active: 1 });
  return rows.map(resourceInfoOf);
}

const customerStanding = queryTemplate((db, p: { id: string; organizationId: string }) =>
  db.selectFrom('customers').select(['id', 'name', 'blacklisted', 'blacklist_reason']).where('id', '=', p.id).where('organization_id', '=', p.organizationId),
);

export async function loadCustomer(tx: Tx, organizationId: string, id: string): Promise<CustomerStanding & { id: string }> {
  const row = await customerStanding.executeTakeFirst(tx, { id, organizationId });
  if (!row) throw new AppError('NOT_FOUND', 'errors.customer.notFound', { id });
  return { id: row.id, name: row.name, blacklisted: row.blacklisted === 1, blacklistReason: row.blacklist_reason };
}

/** The bounds of an overlap query: blocks of the resources starting in (after, before) and ending after `endsAfter`. */
type OverlapParams = { resourceIds: readonly string[]; active: number; after: number; before: number; endsAfter: number };

/** A block meeting [start, end) starts after start − MAX_BLOCK_MS: that bound keeps the scan short. */
function overlapParams(resourceIds: readonly string[], blocked: TimeSpan): OverlapParams {
  return { resourceIds, active: 1, after: blocked.start - MAX_BLOCK_MS, before: blocked.end, endsAfter: blocked.start };
}

function bookingOverlapOf(db: Tx, p: OverlapParams) {
  return db
    .selectFrom('booking_resources')
    .select(['booking_id', 'resource_id', 'blocked_start', 'blocked_end'])
    .where('resource_id', 'in', p.resourceIds)
    .where('active', '=', p.active)
    .where('blocked_start', '>', p.after)
    .where('blocked_start', '<', p.before)
    .where('blocked_end', '>', p.endsAfter);
}

function sessionOverlapOf(db: Tx, p: OverlapParams) {
  return db
    .selectFrom('session_resources')
    .select(['session_id', 'resource_id', 'blocked_start', 'blocked_end'])
    .where('resource_id', 'in', p.resourceIds)
    .where('active', '=', p.active)
    .where('blocked_start', '>', p.after)
    .where('blocked_start', '<', p.before)
    .where('blocked_end', '>', p.endsAfter);
}

const bookingOverlap = queryTemplate(bookingOverlapOf);
const sessionOverlap = queryTemplate(sessionOverlapOf);

/**
 * The active booking blocks on the resources that meet `blocked`. Exported so a test can check
 * its query plan: it must stay an index range scan with 100,000 bookings.
 */
export function bookingOverlapQuery(tx: Tx, resourceIds: readonly string[], blocked: TimeSpan) {
  return bookingOverlapOf(tx, overlapParams(resourceIds, blocked));
}

export function sessionOverlapQuery(tx: Tx, resourceIds: readonly string[], blocked: TimeSpan) {
  return sessionOverlapOf(tx, overlapParams(resourceIds, blocked));
}

export type HoldRow = Selectable<HoldsTable>;

export interface BusyQuery {
  siteId: string;
  resourceIds: readonly string[];
  blocked: TimeSpan;
  now: number;
  excludeBookingIds?: readonly string[];
  excludeSessionId?: string;
  /** Holds that belong to the booking being made: they do not block it (and it consumes them). */
  isOurHold?: (h: HoldRow) => boolean;
}

export interface BusyResult {
  busy: BusyBlock[];
  /** Live holds on these resources near the span that belong to the booking. */
  ourHolds: HoldRow[];
}

const liveHoldsNear = queryTemplate((db, p: { siteId: string; now: number; before: number; endsAfter: number }) =>
  db
    .selectFrom('holds')
    .selectAll()
    .where('site_id', '=', p.siteId)
    .where('expires_at', '>', p.now)
    .where('blocked_start', '<', p.before)
    .where('blocked_end', '>', p.endsAfter),
);

/** Everything that blocks the resources near a span: bookings, sessions and live holds (expired ones block nothing). */
export async function busyNear(tx: Tx, q: BusyQuery): Promise<BusyResult> {
  const busy: BusyBlock[] = [];
  const ourHolds: HoldRow[] = [];
  if (q.resourceIds.length === 0) return { busy, ourHolds };
  const excluded = new Set(q.excludeBookingIds ?? []);
  const bounds = overlapParams(q.resourceIds, q.blocked);
  for (const b of await bookingOverlap.execute(tx, bounds)) {
    if (excluded.has(b.booking_id)) continue;
    busy.push({ resourceId: b.resource_id, start: b.blocked_start, end: b.blocked_end, source: 'booking', ownerId: b.booking_id });
  }
  for (const s of await sessionOverlap.execute(tx, bounds)) {
    if (s.session_id === q.excludeSessionId) continue;
    busy.push({ resourceId: s.resource_id, start: s.blocked_start, end: s.blocked_end, source: 'session', ownerId: s.session_id });
  }
  const wanted = new Set(q.resourceIds);
  const holds = await liveHoldsNear.execute(tx, { siteId: q.siteId, now: q.now, before: q.blocked.end, endsAfter: q.blocked.start });
  for (const h of holds) {
    const ids = (JSON.parse(h.resource_ids) as string[]).filter((id) => wanted.has(id));
    if (ids.length === 0) continue;
    if (q.isOurHold?.(h)) {
      ourHolds.push(h);
      continue;
    }
    for (const id of ids) busy.push({ resourceId: id, start: h.blocked_start, end: h.blocked_end, source: 'hold', ownerId: h.id });
  }
  return { busy, ourHolds };
}

/** Emergency closures of the site that meet the span. */
const closuresMeeting = queryTemplate((db, p: { siteId: string; before: number; endsAfter: number }) =>
  db.selectFrom('site_closures').select(['start_at', 'end_at']).where('site_id', '=', p.siteId).where('start_at', '<', p.before).where('end_at', '>', p.endsAfter),
);

export async function closuresNear(tx: Tx, siteId: string, span: TimeSpan): Promise<TimeSpan[]> {
  const rows = await closuresMeeting.execute(tx, { siteId, before: span.end, endsAfter: span.start });
  return rows.map((r) => ({ start: r.start_at, end: r.end_at }));
}

type CustomerOverlapParams = { customerId: string; after: number; before: number; endsAfter: number; statuses: readonly string[] };

function customerOverlapParams(customerId: string, span: TimeSpan): CustomerOverlapParams {
  return { customerId, after: span.start - MAX_BLOCK_MS, before: span.end, endsAfter: span.start, statuses: ACTIVE_STATUSES };
}

function customerOverlapOf(db: Tx, p: CustomerOverlapParams) {
  return db
    .selectFrom('bookings')
    .select(['id', 'start_at', 'end_at'])
    .where('customer_id', '=', p.customerId)
    .where('start_at', '>', p.after)
    .where('start_at', '<', p.before)
    .where('end_at', '>', p.endsAfter)
    .where('status', 'in', p.statuses);
}

const customerOverlap = queryTemplate(customerOverlapOf);

/** The customer's active bookings that meet the span: a range on (customer_id, start_at). */
export function customerOverlapQuery(tx: Tx, customerId: string, span: TimeSpan) {
  return customerOverlapOf(tx, customerOverlapParams(customerId, span));
}

/** The customer's active bookings that meet the span (their own time, without buffers). */
export async function customerBookingsNear(tx: Tx, customerId: string, span: TimeSpan, excludeIds: readonly string[] = []): Promise<CustomerBooking[]> {
  const rows = await customerOverlap.execute(tx, customerOverlapParams(customerId, span));
  const excluded = new Set(excludeIds);
  return rows.filter((r) => !excluded.has(r.id)).map((r) => ({ id: r.id, start: r.start_at, end: r.end_at }));
}

/** Seats of a session taken by active bookings, and held by live seat holds (except `ourHoldIds`). */
export async function sessionSeatsTaken(tx: Tx, sessionId: string, now: number, ourHoldIds: readonly string[] = []): Promise<{ booked: number; held: number }> {
  const booked = await tx
    .selectFrom('bookings')
    .select((eb) => eb.fn.sum<number | string | null>('seats').as('n'))
    .where('session_id', '=', sessionId)
    .where('status', 'in', [...ACTIVE_STATUSES])
    .executeTakeFirst();
  const holds = await tx
    .selectFrom('holds')
    .select(['id', 'seats'])
    .where('session_id', '=', sessionId)
    .where('expires_at', '>', now)
    .execute();
  const ours = new Set(ourHoldIds);
  return {
    booked: Number(booked?.n ?? 0),
    held: holds.filter((h) => !ours.has(h.id)).reduce((n, h) => n + h.seats, 0),
  };
}

export interface AffectedBooking {
  id: string;
  customerId: string;
  customerName: string;
  customerPhone: string;
  serviceId: string;
  serviceName: string;
  start: number;
  end: number;
  status: BookingStatus;
}

/**
 * Upcoming and ongoing bookings of the site that meet [start, end): whom to call when the site
 * closes. Read by site.closeNow after recording the closure, and by the desk before confirming.
 */
export async function findAffectedBookings(tx: Tx, organizationId: string, siteId: string, span: TimeSpan): Promise<AffectedBooking[]> {
  const rows = await tx
    .selectFrom('bookings as b')
    .innerJoin('customers as c', 'c.id', 'b.customer_id')
    .innerJoin('services as s', 's.id', 'b.service_id')
    .select(['b.id', 'b.customer_id', 'c.name as customer_name', 'c.phone', 'b.service_id', 's.name as service_name', 'b.start_at', 'b.end_at', 'b.status'])
    .where('b.site_id', '=', siteId)
    .where('b.organization_id', '=', organizationId)
    .where('b.start_at', '>', span.start - MAX_BLOCK_MS)
    .where('b.start_at', '<', span.end)
    .where('b.end_at', '>', span.start)
    .where('b.status', 'in', [...UPCOMING_STATUSES])
    .orderBy('b.start_at')
    .orderBy('b.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerPhone: r.phone,
    serviceId: r.service_id,
    serviceName: r.service_name,
    start: r.start_at,
    end: r.end_at,
    status: r.status as BookingStatus,
  }));
}

/**
 * Upcoming bookings on local dates [from, to] that the site's (new) opening rules no longer
 * cover: shown after a holiday, closure or special hours are saved, so staff can move them.
 */
export async function bookingsOutsideOpenTime(tx: Tx, site: SiteRules, from: LocalDate, to: LocalDate): Promise<AffectedBooking[]> {
  const tz = site.schedule.timeZone;
  const span = { start: localMidnight(from, tz), end: localMidnight(addDays(to, 1), tz) };
  const candidates = await findAffectedBookings(tx, site.organizationId, site.id, span);
  if (candidates.length === 0) return [];
  const buffers = await tx
    .selectFrom('bookings')
    .select(['id', 'buffer_before_minutes', 'buffer_after_minutes'])
    .where('id', 'in', candidates.map((c) => c.id))
    .execute();
  const byId = new Map(buffers.map((b) => [b.id, b]));
  const closures = await closuresNear(tx, site.id, { start: span.start - MAX_BLOCK_MS, end: span.end + MAX_BLOCK_MS });
  return candidates.filter((c) => {
    const b = byId.get(c.id)!;
    const blocked = blockedSpan(c.start, c.end, b.buffer_before_minutes, b.buffer_after_minutes);
    return !new SpanCalendar(site, closures, blocked).siteOpen();
  });
}

export type WaitlistRow = Selectable<WaitlistEntriesTable>;

export function waitlistInfoOf(row: WaitlistRow): WaitlistEntryInfo {
  return {
    id: row.id,
    customerId: row.customer_id,
    serviceId: row.service_id,
    preferredWeekdays: JSON.parse(row.preferred_weekdays) as number[],
    preferredPartsOfDay: JSON.parse(row.preferred_parts_of_day) as PartOfDay[],
    preferredResourceId: row.preferred_resource_id,
    dateFrom: row.date_from,
    dateTo: row.date_to,
    urgent: row.urgent === 1,
    status: row.status,
    offerExpiresAt: row.offer_expires_at,
    createdAt: row.created_at,
  };
}

/** Entries of the service at the site that may receive an offer (waiting, or offered and maybe lapsed). */
const waitlistOf = queryTemplate((db, p: { siteId: string; serviceId: string; statuses: readonly WaitlistStatus[] }) =>
  db.selectFrom('waitlist_entries').selectAll().where('site_id', '=', p.siteId).where('service_id', '=', p.serviceId).where('status', 'in', p.statuses),
);
const OPEN_STATUSES: readonly WaitlistStatus[] = ['waiting', 'offered'];

export async function openWaitlistEntries(tx: Tx, siteId: string, serviceId: string): Promise<WaitlistEntryInfo[]> {
  const rows = await waitlistOf.execute(tx, { siteId, serviceId, statuses: OPEN_STATUSES });
  return rows.map(waitlistInfoOf);
}

export interface SessionInfo {
  id: string;
  siteId: string;
  serviceId: string;
  start: number;
  end: number;
  coachId: string;
  roomId: string | null;
  /** The session's own seats; null follows the service. */
  seats: number | null;
  /** Seats on offer: the session's own, else the service's. */
  capacity: number;
  status: 'scheduled' | 'cancelled';
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export async function loadSession(tx: Tx, organizationId: string, id: string): Promise<SessionInfo> {
  const row = await tx
    .selectFrom('class_sessions as cs')
    .innerJoin('services as s', 's.id', 'cs.service_id')
    .selectAll('cs')
    .select('s.seats as service_seats')
    .where('cs.id', '=', id)
    .where('cs.organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'errors.session.notFound', { id });
  return {
    id: row.id,
    siteId: row.site_id,
    serviceId: row.service_id,
    start: row.start_at,
    end: row.end_at,
    coachId: row.coach_resource_id,
    roomId: row.room_resource_id,
    seats: row.seats,
    capacity: row.seats ?? row.service_seats,
    status: row.status,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
  };
}

export function sessionResourceIds(s: Pick<SessionInfo, 'coachId' | 'roomId'>): string[] {
  return s.roomId === null ? [s.coachId] : [s.coachId, s.roomId];
}

/** Whether a hold blocks time that meets `blocked` on one of the resources. */
export function holdTouches(h: HoldRow, blocked: TimeSpan, resourceIds: readonly string[]): boolean {
  if (!(h.blocked_start < blocked.end && blocked.start < h.blocked_end)) return false;
  return (JSON.parse(h.resource_ids) as string[]).some((id) => resourceIds.includes(id));
}
