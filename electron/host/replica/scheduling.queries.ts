/**
 * Reads for the calendar, the booking drawer and "find a slot", straight from the replica. Writes
 * never happen here: they are the scheduling mutators (core/scheduling), run through
 * Replica.mutate. Everything is scoped to the actor's organization (and site, for staff tied to
 * one), through core's loadSite.
 *
 * A calendar window is read with a handful of range queries on the site's indexes (bookings by
 * site and start, sessions by site and start), never per resource or per booking.
 */
import type { Kysely, Selectable } from 'kysely';
import type { BookingsTable, Tx, WaitlistStatus } from '../../../core/db-schema';
import type { Actor } from '../../../core/mutator';
import { AppError } from '../../../core/errors';
import {
  BLOCKING_STATUSES,
  MAX_BLOCK_MS,
  addDays,
  busyNear,
  closuresNear,
  loadResourcePool,
  loadService,
  loadSite,
  localMidnight,
  nextFreeSlots,
  siteOpenIntervals,
  waitlistInfoOf,
  workingIntervals,
  type BookingStatus,
  type BusyBooking,
  type PartOfDay,
  type Slot,
  type WaitlistEntryInfo,
} from '../../../core/scheduling';
import { localDateOf, type LocalDate } from '../../../core/time';
import type { ReplicaTables } from './replica';

/** The domain mutators' transaction type over the replica's wider schema (same tables, more of them). */
function tx(db: Kysely<ReplicaTables>): Tx {
  return db as unknown as Tx;
}

export interface CalendarResource {
  id: string;
  name: string;
  kind: string;
  colour: string | null;
  departmentId: string | null;
  departmentName: string | null;
  capacity: number | null;
  /** When the resource works in the window (epoch ms): the calendar shades the rest. */
  working: { start: number; end: number }[];
}

export interface CalendarBooking {
  id: string;
  start: number;
  end: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  status: string;
  source: string;
  serviceId: string;
  serviceName: string;
  serviceColour: string | null;
  customerId: string;
  customerName: string;
  customerPhone: string;
  resourceIds: string[];
  sessionId: string | null;
  seriesId: string | null;
  seats: number;
  notes: string;
  lateCancel: boolean;
  cancelReason: string | null;
  version: number;
}

/** The booking columns (and joined names) a calendar event is made of. */
type CalendarBookingRow = Pick<
  Selectable<BookingsTable>,
  | 'id'
  | 'start_at'
  | 'end_at'
  | 'buffer_before_minutes'
  | 'buffer_after_minutes'
  | 'status'
  | 'source'
  | 'service_id'
  | 'customer_id'
  | 'session_id'
  | 'series_id'
  | 'seats'
  | 'notes'
  | 'late_cancel'
  | 'cancel_reason'
  | 'version'
> & { service_name: string; service_colour: string | null; customer_name: string; customer_phone: string };

function calendarBookingOf(b: CalendarBookingRow, resourceIds: string[]): CalendarBooking {
  return {
    id: b.id,
    start: b.start_at,
    end: b.end_at,
    bufferBeforeMinutes: b.buffer_before_minutes,
    bufferAfterMinutes: b.buffer_after_minutes,
    status: b.status,
    source: b.source,
    serviceId: b.service_id,
    serviceName: b.service_name,
    serviceColour: b.service_colour,
    customerId: b.customer_id,
    customerName: b.customer_name,
    customerPhone: b.customer_phone,
    resourceIds,
    sessionId: b.session_id,
    seriesId: b.series_id,
    seats: b.seats,
    notes: b.notes,
    lateCancel: b.late_cancel === 1,
    cancelReason: b.cancel_reason,
    version: b.version,
  };
}

export interface CalendarSession {
  id: string;
  serviceId: string;
  serviceName: string;
  serviceColour: string | null;
  start: number;
  end: number;
  coachId: string;
  roomId: string | null;
  capacity: number;
  taken: number;
  status: string;
}

export interface CalendarData {
  siteId: string;
  timeZone: string;
  granularityMinutes: number;
  /** Window bounds (epoch ms): local midnight of `from` to local midnight after `to`. */
  start: number;
  end: number;
  resources: CalendarResource[];
  bookings: CalendarBooking[];
  sessions: CalendarSession[];
  /** When the site is open at all (opening hours, holidays, 调休, date overrides). */
  siteOpen: { start: number; end: number }[];
  /** Emergency closures ("close now") in the window. */
  closures: { id: string; start: number; end: number; reason: string }[];
}

/** The longest window one calendar read may span (a month view with its spill-over weeks). */
const MAX_DAYS = 42;

function windowOf(timeZone: string, from: LocalDate, to: LocalDate): { start: number; end: number } {
  if (to < from) throw new AppError('INVALID', 'errors.schedule.dateRangeOrder');
  if (from < addDays(to, -MAX_DAYS)) throw new AppError('INVALID', 'errors.calendar.rangeTooLong', { days: MAX_DAYS });
  return { start: localMidnight(from, timeZone), end: localMidnight(addDays(to, 1), timeZone) };
}

export async function calendarData(db: Kysely<ReplicaTables>, actor: Actor, q: { siteId: string; from: LocalDate; to: LocalDate }): Promise<CalendarData> {
  const t = tx(db);
  const site = await loadSite(t, actor, q.siteId);
  const window = windowOf(site.schedule.timeZone, q.from, q.to);

  const resourceRows = await db
    .selectFrom('resources as r')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .select(['r.id', 'r.name', 'r.kind', 'r.colour', 'r.capacity', 'r.department_id', 'r.schedule', 'd.name as department_name'])
    .where('r.site_id', '=', site.id)
    .where('r.active', '=', 1)
    .orderBy('d.name')
    .orderBy('r.kind')
    .orderBy('r.name')
    .execute();
  const resources: CalendarResource[] = resourceRows.map((r) => {
    const hours = JSON.parse(r.schedule) as { schedules?: []; dateOverrides?: []; leave?: [] };
    const working = workingIntervals(
      { id: r.id, kind: r.kind, schedules: hours.schedules ?? [], dateOverrides: hours.dateOverrides ?? [], leave: hours.leave ?? [] },
      site.schedule,
      q.from,
      q.to,
    );
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      colour: r.colour,
      departmentId: r.department_id,
      departmentName: r.department_name,
      capacity: r.capacity,
      working: working.map(({ start, end }) => ({ start, end })),
    };
  });

  // Bookings that meet the window; start_at > window.start − MAX_BLOCK keeps it an index range.
  const bookingRows = await db
    .selectFrom('bookings as b')
    .innerJoin('services as s', 's.id', 'b.service_id')
    .innerJoin('customers as c', 'c.id', 'b.customer_id')
    .select([
      'b.id',
      'b.start_at',
      'b.end_at',
      'b.buffer_before_minutes',
      'b.buffer_after_minutes',
      'b.status',
      'b.source',
      'b.service_id',
      's.name as service_name',
      's.colour as service_colour',
      'b.customer_id',
      'c.name as customer_name',
      'c.phone as customer_phone',
      'b.session_id',
      'b.series_id',
      'b.seats',
      'b.notes',
      'b.late_cancel',
      'b.cancel_reason',
      'b.version',
    ])
    .where('b.site_id', '=', site.id)
    .where('b.start_at', '>', window.start - MAX_BLOCK_MS)
    .where('b.start_at', '<', window.end)
    .where('b.end_at', '>', window.start)
    .orderBy('b.start_at')
    .execute();
  const resourcesOf = new Map<string, string[]>();
  if (bookingRows.length > 0) {
    const links = await db
      .selectFrom('booking_resources as br')
      .innerJoin('bookings as b', 'b.id', 'br.booking_id')
      .select(['br.booking_id', 'br.resource_id'])
      .where('b.site_id', '=', site.id)
      .where('b.start_at', '>', window.start - MAX_BLOCK_MS)
      .where('b.start_at', '<', window.end)
      .execute();
    for (const l of links) {
      const list = resourcesOf.get(l.booking_id);
      if (list) list.push(l.resource_id);
      else resourcesOf.set(l.booking_id, [l.resource_id]);
    }
  }
  const bookings = bookingRows.map((b) => calendarBookingOf(b, resourcesOf.get(b.id) ?? []));

  const sessionRows = await db
    .selectFrom('class_sessions as cs')
    .innerJoin('services as s', 's.id', 'cs.service_id')
    .select([
      'cs.id',
      'cs.service_id',
      's.name as service_name',
      's.colour as service_colour',
      's.seats as service_seats',
      'cs.start_at',
      'cs.end_at',
      'cs.coach_resource_id',
      'cs.room_resource_id',
      'cs.seats',
      'cs.status',
    ])
    .where('cs.site_id', '=', site.id)
    .where('cs.start_at', '>', window.start - MAX_BLOCK_MS)
    .where('cs.start_at', '<', window.end)
    .where('cs.end_at', '>', window.start)
    .orderBy('cs.start_at')
    .execute();
  const taken = new Map<string, number>();
  for (const b of bookings) {
    if (b.sessionId !== null && BLOCKING_STATUSES.has(b.status as BookingStatus)) {
      taken.set(b.sessionId, (taken.get(b.sessionId) ?? 0) + b.seats);
    }
  }
  const sessions: CalendarSession[] = sessionRows.map((s) => ({
    id: s.id,
    serviceId: s.service_id,
    serviceName: s.service_name,
    serviceColour: s.service_colour,
    start: s.start_at,
    end: s.end_at,
    coachId: s.coach_resource_id,
    roomId: s.room_resource_id,
    capacity: s.seats ?? s.service_seats,
    taken: taken.get(s.id) ?? 0,
    status: s.status,
  }));

  const closureRows = await db
    .selectFrom('site_closures')
    .select(['id', 'start_at', 'end_at', 'reason'])
    .where('site_id', '=', site.id)
    .where('start_at', '<', window.end)
    .where('end_at', '>', window.start)
    .orderBy('start_at')
    .execute();

  return {
    siteId: site.id,
    timeZone: site.schedule.timeZone,
    granularityMinutes: site.schedule.granularityMinutes,
    start: window.start,
    end: window.end,
    resources,
    bookings,
    sessions,
    siteOpen: siteOpenIntervals(site.schedule, q.from, q.to).map(({ start, end }) => ({ start, end })),
    closures: closureRows.map((c) => ({ id: c.id, start: c.start_at, end: c.end_at, reason: c.reason })),
  };
}

export interface BookingDetail extends CalendarBooking {
  siteId: string;
  priceMinor: number;
  currency: string;
  overrideReason: string | null;
  cancelledBy: string | null;
  createdAt: number;
  createdBy: string;
  customerBlacklisted: boolean;
  resources: { id: string; name: string; kind: string }[];
  history: {
    version: number;
    type: string;
    fromStatus: string | null;
    toStatus: string | null;
    before: unknown;
    after: unknown;
    reason: string | null;
    actorStaffId: string;
    at: number;
  }[];
}

export async function bookingDetail(db: Kysely<ReplicaTables>, actor: Actor, id: string): Promise<BookingDetail> {
  const b = await db
    .selectFrom('bookings as b')
    .innerJoin('services as s', 's.id', 'b.service_id')
    .innerJoin('customers as c', 'c.id', 'b.customer_id')
    .selectAll('b')
    .select(['s.name as service_name', 's.colour as service_colour', 'c.name as customer_name', 'c.phone as customer_phone', 'c.blacklisted'])
    .where('b.id', '=', id)
    .where('b.organization_id', '=', actor.organizationId)
    .executeTakeFirst();
  if (!b) throw new AppError('NOT_FOUND', 'errors.booking.notFound', { id });
  await loadSite(tx(db), actor, b.site_id);
  const resources = await db
    .selectFrom('booking_resources as br')
    .innerJoin('resources as r', 'r.id', 'br.resource_id')
    .select(['r.id', 'r.name', 'r.kind'])
    .where('br.booking_id', '=', id)
    .execute();
  const events = await db.selectFrom('booking_events').selectAll().where('booking_id', '=', id).orderBy('version').execute();
  return {
    ...calendarBookingOf(b, resources.map((r) => r.id)),
    siteId: b.site_id,
    customerBlacklisted: b.blacklisted === 1,
    resources,
    cancelledBy: b.cancelled_by,
    overrideReason: b.override_reason,
    priceMinor: b.price_minor,
    currency: b.currency,
    createdAt: b.created_at,
    createdBy: b.created_by,
    history: events.map((e) => ({
      version: e.version,
      type: e.type,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      before: e.before === null ? null : (JSON.parse(e.before) as unknown),
      after: e.after === null ? null : (JSON.parse(e.after) as unknown),
      reason: e.reason,
      actorStaffId: e.actor_staff_id,
      at: e.at,
    })),
  };
}

export interface FindSlotsQuery {
  siteId: string;
  serviceId: string;
  /** First local date to look at; default today in the site's zone. */
  from?: LocalDate | undefined;
  /** How many days to look ahead, `from` included. */
  days: number;
  resourceId?: string | undefined;
  partOfDay?: PartOfDay | undefined;
  limit: number;
  now: number;
}

/**
 * "Find a slot": the first free slots for a service, with the same engine and the same busy data
 * the booking mutator checks against (bookings, sessions and live holds with their buffers,
 * emergency closures), so a slot offered here books without a conflict unless someone else takes
 * it first.
 */
export async function findSlots(db: Kysely<ReplicaTables>, actor: Actor, q: FindSlotsQuery): Promise<Slot[]> {
  const t = tx(db);
  const site = await loadSite(t, actor, q.siteId);
  const service = await loadService(t, actor.organizationId, q.serviceId);
  if (service.siteId !== site.id || !service.active) throw new AppError('NOT_FOUND', 'errors.service.notFound', { id: q.serviceId });
  const from = q.from ?? localDateOf(q.now, site.schedule.timeZone);
  const to = addDays(from, Math.max(0, q.days - 1));
  const window = windowOf(site.schedule.timeZone, from, to);
  const pool = await loadResourcePool(t, site.id, service.spec.resourceKinds);
  const ids = pool.map((r) => r.id);
  const margin = (service.spec.bufferBeforeMinutes + service.spec.bufferAfterMinutes) * 60_000;
  const span = { start: window.start - margin, end: window.end + margin };
  const { busy } = await busyNear(t, { siteId: site.id, resourceIds: ids, blocked: span, now: q.now });
  const closures = await closuresNear(t, site.id, span);
  // Every block as a busy booking with no buffers of its own (busyNear's spans include them).
  const blocks: BusyBooking[] = busy.map((b) => ({ resourceIds: [b.resourceId], start: b.start, end: b.end, status: 'confirmed' }));
  for (const c of closures) blocks.push({ resourceIds: ids, start: c.start, end: c.end, status: 'confirmed' });
  blocks.sort((a, b) => a.start - b.start);
  return nextFreeSlots(
    {
      bookings: blocks,
      now: q.now,
      site: site.schedule,
      service: service.spec,
      resources: pool.map((r) => r.schedule),
      from,
      to,
    },
    q.limit,
    { ...(q.resourceId === undefined ? {} : { resourceId: q.resourceId }), ...(q.partOfDay === undefined ? {} : { partOfDay: q.partOfDay }) },
  );
}

export interface Catalog {
  site: {
    id: string;
    name: string;
    timeZone: string;
    granularityMinutes: number;
    holdMinutes: number;
    lateCancelHours: number;
    noShowGraceMinutes: number;
    waitlistAutoOffer: boolean;
    blacklistAfterNoShows: number | null;
    openingHours: unknown;
    holidays: unknown;
    workdayOverrides: unknown;
    closures: unknown;
    dateOverrides: unknown;
  };
  departments: { id: string; name: string; colour: string | null; active: boolean }[];
  resources: { id: string; name: string; kind: string; colour: string | null; capacity: number | null; departmentId: string | null; active: boolean; schedule: unknown }[];
  services: {
    id: string;
    name: string;
    category: string;
    departmentId: string | null;
    durationMinutes: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    priceMinor: number;
    currency: string;
    seats: number;
    resourceKinds: string[];
    minNoticeMinutes: number;
    maxAdvanceDays: number;
    colour: string | null;
    active: boolean;
  }[];
}

/** Everything the calendar's filters, the booking drawer and the schedule editor choose from. */
export async function catalog(db: Kysely<ReplicaTables>, actor: Actor, siteId: string): Promise<Catalog> {
  const site = await loadSite(tx(db), actor, siteId);
  const departments = await db.selectFrom('departments').selectAll().where('site_id', '=', site.id).orderBy('name').execute();
  const resources = await db.selectFrom('resources').selectAll().where('site_id', '=', site.id).orderBy('kind').orderBy('name').execute();
  const services = await db.selectFrom('services').selectAll().where('site_id', '=', site.id).orderBy('category').orderBy('name').execute();
  return {
    site: {
      id: site.id,
      name: site.name,
      timeZone: site.schedule.timeZone,
      granularityMinutes: site.schedule.granularityMinutes,
      holdMinutes: site.holdMinutes,
      lateCancelHours: site.lateCancelHours,
      noShowGraceMinutes: site.noShowGraceMinutes,
      waitlistAutoOffer: site.waitlistAutoOffer,
      blacklistAfterNoShows: site.blacklistAfterNoShows,
      openingHours: site.schedule.openingHours,
      holidays: site.schedule.holidays,
      workdayOverrides: site.schedule.workdayOverrides,
      closures: site.schedule.closures,
      dateOverrides: site.schedule.dateOverrides,
    },
    departments: departments.map((d) => ({ id: d.id, name: d.name, colour: d.colour, active: d.active === 1 })),
    resources: resources.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      colour: r.colour,
      capacity: r.capacity,
      departmentId: r.department_id,
      active: r.active === 1,
      schedule: JSON.parse(r.schedule) as unknown,
    })),
    services: services.map((s) => ({
      id: s.id,
      name: s.name,
      category: s.category,
      departmentId: s.department_id,
      durationMinutes: s.duration_minutes,
      bufferBeforeMinutes: s.buffer_before_minutes,
      bufferAfterMinutes: s.buffer_after_minutes,
      priceMinor: s.price_minor,
      currency: s.currency,
      seats: s.seats,
      resourceKinds: JSON.parse(s.resource_kinds) as string[],
      minNoticeMinutes: s.min_notice_minutes,
      maxAdvanceDays: s.max_advance_days,
      colour: s.colour,
      active: s.active === 1,
    })),
  };
}

export interface RosterEntry {
  bookingId: string;
  customerId: string;
  customerName: string;
  customerPhone: string;
  seats: number;
  status: string;
}

/** Who is booked into a group class session, in booking order. */
export async function sessionRoster(db: Kysely<ReplicaTables>, actor: Actor, sessionId: string): Promise<RosterEntry[]> {
  const session = await db.selectFrom('class_sessions').select(['site_id']).where('id', '=', sessionId).where('organization_id', '=', actor.organizationId).executeTakeFirst();
  if (!session) throw new AppError('NOT_FOUND', 'errors.session.notFound', { id: sessionId });
  await loadSite(tx(db), actor, session.site_id);
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('customers as c', 'c.id', 'b.customer_id')
    .select(['b.id', 'b.customer_id', 'c.name', 'c.phone', 'b.seats', 'b.status'])
    .where('b.session_id', '=', sessionId)
    .orderBy('b.created_at')
    .execute();
  return rows.map((r) => ({ bookingId: r.id, customerId: r.customer_id, customerName: r.name, customerPhone: r.phone, seats: r.seats, status: r.status }));
}

/** The slot an open offer holds: resources over a time, or a seat in a session. */
export interface WaitlistOffer {
  holdId: string;
  start: number;
  end: number;
  resourceIds: string[];
  sessionId: string | null;
  expiresAt: number;
}

/** A waitlist entry as the desk lists it: core's entry plus the names to show and its offer. */
export interface WaitlistView extends WaitlistEntryInfo {
  customerName: string;
  customerPhone: string;
  serviceName: string;
  notes: string;
  /** While offered: the held slot (gone once the hold is used, released or purged). */
  offer: WaitlistOffer | null;
  /** Once booked: the booking made through the offer. */
  bookingId: string | null;
  updatedAt: number;
}

/** Open entries by default; closed ones (booked, removed) when asked for. */
export const OPEN_WAITLIST_STATUSES: readonly WaitlistStatus[] = ['waiting', 'offered'];

/** A site's waitlist in core's candidate order: urgent first, then oldest, then id. */
export async function waitlist(db: Kysely<ReplicaTables>, actor: Actor, siteId: string, statuses: readonly WaitlistStatus[] = OPEN_WAITLIST_STATUSES): Promise<WaitlistView[]> {
  const site = await loadSite(tx(db), actor, siteId);
  const rows = await db
    .selectFrom('waitlist_entries as w')
    .innerJoin('customers as c', 'c.id', 'w.customer_id')
    .innerJoin('services as s', 's.id', 'w.service_id')
    .leftJoin('holds as h', 'h.id', 'w.offered_hold_id')
    .selectAll('w')
    .select([
      'c.name as customer_name',
      'c.phone as customer_phone',
      's.name as service_name',
      'h.id as hold_id',
      'h.start_at as hold_start',
      'h.end_at as hold_end',
      'h.resource_ids as hold_resource_ids',
      'h.session_id as hold_session_id',
      'h.expires_at as hold_expires_at',
    ])
    .where('w.site_id', '=', site.id)
    .where('w.status', 'in', [...statuses])
    .orderBy('w.urgent', 'desc')
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
  return rows.map((w) => ({
    ...waitlistInfoOf(w),
    customerName: w.customer_name,
    customerPhone: w.customer_phone,
    serviceName: w.service_name,
    notes: w.notes,
    offer:
      w.hold_id === null || w.hold_start === null || w.hold_end === null || w.hold_expires_at === null
        ? null
        : {
            holdId: w.hold_id,
            start: w.hold_start,
            end: w.hold_end,
            resourceIds: JSON.parse(w.hold_resource_ids ?? '[]') as string[],
            sessionId: w.hold_session_id,
            expiresAt: w.hold_expires_at,
          },
    bookingId: w.offered_booking_id,
    updatedAt: w.updated_at,
  }));
}
