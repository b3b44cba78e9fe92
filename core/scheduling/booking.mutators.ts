/**
 * Booking mutators: create (an appointment or a seat in a group session), walk-in, weekly
 * series, reschedule, status transitions and the no-show sweep.
 *
 * Every rule lives in booking-rules.ts (pure); these functions load the rows near the booking's
 * time (booking.queries.ts), ask the rules, and write the booking, its resource blocks and its
 * history in the mutation's transaction. A refusal throws an AppError before anything is written,
 * so the replica and the outbox stay as they were.
 *
 * Holds: a live hold blocks everyone except the booking it belongs to: for a hold made for a
 * customer, a booking of that customer; for a hold without one, the booking that names it
 * (`holdId`) or one by the staff member who made it. A booking uses up the holds that belong to it
 * on its resources or session, and the named one.
 */
import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { BookingsTable, Tx } from '../db-schema';
import { AppError, type FieldIssue } from '../errors';
import { defineMutator, type MutatorContext } from '../mutator';
import { can } from '../permissions';
import {
  assertNoRefusal,
  blockedSpan,
  checkBookingWindow,
  checkCustomerOverlap,
  checkCustomerStanding,
  checkPlacement,
  checkSpan,
  overlaps,
  pickResources,
  previewSeries,
  refusalError,
  seriesStarts,
  type BusyBlock,
  type CustomerBooking,
  type CustomerStanding,
  type OccurrencePreview,
  type PlacementInput,
  type TimeSpan,
  type Verdict,
  type Warning,
} from './booking-rules';
import {
  ACTIVE_STATUSES,
  busyNear,
  closuresNear,
  customerBookingsNear,
  holdTouches,
  loadCustomer,
  loadResourcePool,
  loadResources,
  loadService,
  loadSession,
  loadSite,
  sessionResourceIds,
  sessionSeatsTaken,
  type HoldRow,
  type SessionInfo,
} from './booking.queries';
import { AWAITING_ARRIVAL, canTransition, isActiveStatus, isLateCancellation, RESCHEDULABLE_STATUSES } from './booking-state';
import { consumeHolds, offerOpenedSlot, recordBookingEvent, type BookingSnapshot, type WaitlistOutcome } from './booking.writes';
import { BOOKING_STATUSES, type BookingStatus } from './schedule';
import { Instant } from './scheduling.schema';
import type { ResourceInfo, ServiceRules, SiteRules } from './scheduling.model';
import { queryTemplate } from './query-template';
import { MINUTE_MS } from './zoned-time';

const Id = z.uuid({ message: 'errors.id.invalid' });
const Notes = z.string().max(2000, 'errors.notes.tooLong');
const Reason = z.string().trim().max(200, 'errors.reason.tooLong');
const ResourceIds = z.array(Id).min(1, 'errors.service.resourceKinds').max(4, 'errors.service.resourceKinds');

export const CreateBookingArgs = z
  .object({
    id: Id,
    serviceId: Id,
    customerId: Id,
    /** An appointment's start; a session booking takes the session's time instead. */
    start: Instant.optional(),
    sessionId: Id.optional(),
    /** One per entry of the service's resourceKinds; omitted = the first free ones. */
    resourceIds: ResourceIds.optional(),
    /** Seats taken in a session (party size). */
    seats: z.int({ message: 'errors.booking.seats' }).min(1, 'errors.booking.seats').max(50, 'errors.booking.seats').default(1),
    source: z.enum(['desk', 'online'], { message: 'errors.booking.source' }).default('desk'),
    notes: Notes.default(''),
    /** The user saw "already booked at that time" and went ahead. */
    acknowledgeCustomerOverlap: z.boolean().default(false),
    /** Why a blacklisted customer is booked anyway (needs 'booking.overrideBlacklist'). */
    overrideReason: Reason.optional(),
    /** The hold this booking completes (online checkout, waitlist offer). */
    holdId: Id.optional(),
  })
  .refine((a) => (a.start === undefined) !== (a.sessionId === undefined), { message: 'errors.booking.startOrSession', path: ['start'] });
export type CreateBookingArgs = z.infer<typeof CreateBookingArgs>;

export const WalkInArgs = z.object({
  id: Id,
  serviceId: Id,
  customerId: Id,
  resourceIds: ResourceIds.optional(),
  notes: Notes.default(''),
  acknowledgeCustomerOverlap: z.boolean().default(false),
  overrideReason: Reason.optional(),
});
export type WalkInArgs = z.infer<typeof WalkInArgs>;

export const PreviewSeriesArgs = z.object({
  serviceId: Id,
  customerId: Id,
  firstStart: Instant,
  count: z.int({ message: 'errors.series.count' }).min(2, 'errors.series.count').max(52, 'errors.series.count'),
  intervalWeeks: z.int({ message: 'errors.series.interval' }).min(1, 'errors.series.interval').max(4, 'errors.series.interval').default(1),
  /** The same resources every time; omitted = the first free ones per occurrence. */
  resourceIds: ResourceIds.optional(),
  acknowledgeCustomerOverlap: z.boolean().default(false),
});
export type PreviewSeriesArgs = z.infer<typeof PreviewSeriesArgs>;

export const CreateSeriesArgs = z.object({
  seriesId: Id,
  /** One booking id per occurrence; their number is the number of occurrences. */
  ids: z.array(Id).min(2, 'errors.series.count').max(52, 'errors.series.count'),
  serviceId: Id,
  customerId: Id,
  firstStart: Instant,
  intervalWeeks: z.int({ message: 'errors.series.interval' }).min(1, 'errors.series.interval').max(4, 'errors.series.interval').default(1),
  resourceIds: ResourceIds.optional(),
  source: z.enum(['desk', 'online'], { message: 'errors.booking.source' }).default('desk'),
  notes: Notes.default(''),
  acknowledgeCustomerOverlap: z.boolean().default(false),
  overrideReason: Reason.optional(),
  /** Save the occurrences that are ok and leave out the others; without it any conflict refuses all. */
  skipConflicts: z.boolean().default(false),
});
export type CreateSeriesArgs = z.infer<typeof CreateSeriesArgs>;

export const RescheduleBookingArgs = z
  .object({
    id: Id,
    /** The appointment's new start (its length and buffers stay). */
    start: Instant.optional(),
    /** A session booking moves to another session of the same service. */
    sessionId: Id.optional(),
    /** New resources; omitted = the same ones. */
    resourceIds: ResourceIds.optional(),
    acknowledgeCustomerOverlap: z.boolean().default(false),
    reason: Reason.optional(),
  })
  .refine((a) => (a.start === undefined) !== (a.sessionId === undefined), { message: 'errors.booking.startOrSession', path: ['start'] });
export type RescheduleBookingArgs = z.infer<typeof RescheduleBookingArgs>;

const TARGET_STATUSES = BOOKING_STATUSES.filter((s) => s !== 'pending') as Exclude<BookingStatus, 'pending'>[];

export const TransitionBookingArgs = z
  .object({
    id: Id,
    to: z.enum(TARGET_STATUSES, { message: 'errors.booking.status' }),
    /** For a cancellation: who asked for it. */
    cancelledBy: z.enum(['customer', 'staff'], { message: 'errors.booking.cancelledBy' }).optional(),
    reason: Reason.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.to !== 'cancelled') return;
    if (a.cancelledBy === undefined) ctx.addIssue({ code: 'custom', path: ['cancelledBy'], message: 'errors.booking.cancelledBy' });
    if (!a.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'errors.booking.cancelReasonRequired' });
  });
export type TransitionBookingArgs = z.infer<typeof TransitionBookingArgs>;

export const MarkNoShowsArgs = z.object({ siteId: Id });

// ---- results ------------------------------------------------------------------------------------

export interface BookingResult {
  id: string;
  status: BookingStatus;
  start: number;
  end: number;
  resourceIds: string[];
  sessionId: string | null;
  /** What the user accepted (a double booking, a blacklist override), for the confirmation. */
  warnings: Warning[];
}

// ---- shared steps -------------------------------------------------------------------------------

type BookingRow = Selectable<BookingsTable>;

const bookingById = queryTemplate((db, p: { id: string; organizationId: string }) =>
  db.selectFrom('bookings').selectAll().where('id', '=', p.id).where('organization_id', '=', p.organizationId),
);

async function loadBooking(tx: Tx, organizationId: string, id: string): Promise<BookingRow> {
  const row = await bookingById.executeTakeFirst(tx, { id, organizationId });
  if (!row) throw new AppError('NOT_FOUND', 'errors.booking.notFound', { id });
  return row;
}

const resourcesOfBooking = queryTemplate((db, p: { bookingId: string }) =>
  db.selectFrom('booking_resources').select('resource_id').where('booking_id', '=', p.bookingId),
);

async function bookingResourceIds(tx: Tx, bookingId: string): Promise<string[]> {
  const rows = await resourcesOfBooking.execute(tx, { bookingId });
  return rows.map((r) => r.resource_id);
}

const takenBookingIds = queryTemplate((db, p: { ids: readonly string[] }) => db.selectFrom('bookings').select('id').where('id', 'in', p.ids));

async function assertNewBookingIds(tx: Tx, ids: readonly string[]): Promise<void> {
  const dup = await takenBookingIds.executeTakeFirst(tx, { ids });
  if (dup) throw new AppError('CONFLICT', 'errors.id.taken', { id: dup.id });
}

function settle(v: Verdict, warnings: Warning[]): void {
  if (v.refusal) throw refusalError(v.refusal);
  if (v.warning) warnings.push(v.warning);
}

/** Who is being booked, by whom, for what: the facts every booking path starts from. */
interface BookingParty {
  site: SiteRules;
  service: ServiceRules;
  customer: CustomerStanding & { id: string };
  warnings: Warning[];
  isOurHold: (h: HoldRow) => boolean;
}

/**
 * Loads the party. A new booking needs an active service and a customer in good standing (or a
 * stated override); moving an existing booking does not ask again: it was accepted when made.
 */
async function loadParty(
  tx: Tx,
  ctx: Pick<MutatorContext, 'actor'>,
  a: { serviceId: string; customerId: string; overrideReason?: string | undefined; holdId?: string | undefined },
  newBooking = true,
): Promise<BookingParty> {
  const org = ctx.actor.organizationId;
  const service = await loadService(tx, org, a.serviceId);
  const site = await loadSite(tx, ctx.actor, service.siteId);
  if (newBooking && !service.active) throw new AppError('CONFLICT', 'errors.service.inactive', { service: service.name });
  const customer = await loadCustomer(tx, org, a.customerId);
  const warnings: Warning[] = [];
  if (newBooking) settle(checkCustomerStanding(customer, can(ctx.actor.role, 'booking.overrideBlacklist'), a.overrideReason), warnings);
  // A hold for a customer serves only that customer's booking, whoever names it.
  const isOurHold = (h: HoldRow): boolean =>
    h.customer_id !== null ? h.customer_id === customer.id : h.id === a.holdId || h.created_by === ctx.actor.staffId;
  return { site, service, customer, warnings, isOurHold };
}

interface Placed {
  start: number;
  end: number;
  blocked: TimeSpan;
  resources: ResourceInfo[];
  /** Holds of this booking on its resources, to use up. */
  holds: HoldRow[];
}

/**
 * Places an appointment: checks the given resources, or picks the first free ones, against every
 * rule, and the customer's other bookings. Throws the first refusal.
 */
async function placeAppointment(
  tx: Tx,
  ctx: MutatorContext,
  party: BookingParty,
  a: {
    start: number;
    end: number;
    buffers: { before: number; after: number };
    resourceIds: readonly string[] | undefined;
    walkIn: boolean;
    acknowledgeCustomerOverlap: boolean;
    excludeBookingId?: string;
  },
): Promise<Placed> {
  const { site, service } = party;
  if (service.spec.seats > 1) throw new AppError('INVALID', 'errors.booking.groupNeedsSession', { service: service.name });
  const org = ctx.actor.organizationId;
  const now = ctx.clock.now();
  const spec = { ...service.spec, bufferBeforeMinutes: a.buffers.before, bufferAfterMinutes: a.buffers.after };
  const blocked = blockedSpan(a.start, a.end, a.buffers.before, a.buffers.after);
  // The span bounds every query below; an absurd one is refused before it is used.
  assertNoRefusal(checkSpan(a, blocked));
  const kinds = spec.resourceKinds;
  const candidates = a.resourceIds ? await loadResources(tx, org, a.resourceIds) : await loadResourcePool(tx, site.id, kinds);
  const closures = await closuresNear(tx, site.id, blocked);
  const exclude = a.excludeBookingId ? [a.excludeBookingId] : [];
  const { busy, ourHolds } = await busyNear(tx, {
    siteId: site.id,
    resourceIds: candidates.map((r) => r.id),
    blocked,
    now,
    excludeBookingIds: exclude,
    isOurHold: party.isOurHold,
  });
  const p: PlacementInput = { site, closures, spec, start: a.start, end: a.end, now, bookingWindow: !a.walkIn, busy };
  let resources: ResourceInfo[];
  if (a.resourceIds) {
    assertNoRefusal(checkPlacement(p, kinds, candidates));
    resources = candidates;
  } else {
    const picked = pickResources(p, kinds, candidates);
    if (!picked.ok) throw refusalError(picked.refusal);
    resources = picked.resources;
  }
  const mine = await customerBookingsNear(tx, party.customer.id, a, exclude);
  settle(checkCustomerOverlap(mine, a, a.acknowledgeCustomerOverlap), party.warnings);
  const chosen = resources.map((r) => r.id);
  const holds = ourHolds.filter((h) => holdTouches(h, blocked, chosen));
  return { start: a.start, end: a.end, blocked, resources, holds };
}

/** Checks a seat (or `seats` seats) in a session for the party; throws the first refusal. */
async function placeInSession(
  tx: Tx,
  ctx: MutatorContext,
  party: BookingParty,
  session: SessionInfo,
  a: { seats: number; walkIn: boolean; acknowledgeCustomerOverlap: boolean; excludeBookingId?: string },
): Promise<HoldRow[]> {
  const now = ctx.clock.now();
  if (session.serviceId !== party.service.id) throw new AppError('INVALID', 'errors.booking.serviceMismatch');
  if (session.status !== 'scheduled') throw new AppError('CONFLICT', 'errors.session.cancelled');
  if (!a.walkIn) {
    // Sessions are placed by staff at any minute, so only notice and advance apply, not the grid.
    assertNoRefusal(checkBookingWindow({ start: session.start, now, spec: party.service.spec, site: party.site, grid: false }));
  }
  const already = await tx
    .selectFrom('bookings')
    .select('id')
    .where('session_id', '=', session.id)
    .where('customer_id', '=', party.customer.id)
    .where('status', 'in', [...ACTIVE_STATUSES])
    .executeTakeFirst();
  if (already) throw new AppError('CONFLICT', 'errors.booking.alreadyInSession', { bookingId: already.id });
  const exclude = a.excludeBookingId ? [a.excludeBookingId] : [];
  const mine = await customerBookingsNear(tx, party.customer.id, session, exclude);
  settle(checkCustomerOverlap(mine, session, a.acknowledgeCustomerOverlap), party.warnings);
  const liveHolds = await tx.selectFrom('holds').selectAll().where('session_id', '=', session.id).where('expires_at', '>', now).execute();
  const ours = liveHolds.filter(party.isOurHold);
  // Counted in this transaction: on the desk the replica's single writer, on the server the
  // session's row lock, keep two bookings from taking the last seat together.
  const taken = await sessionSeatsTaken(tx, session.id, now, ours.map((h) => h.id));
  const left = session.capacity - taken.booked - taken.held;
  if (a.seats > left) throw new AppError('CONFLICT', 'errors.session.full', { seatsLeft: Math.max(0, left) });
  return ours;
}

interface NewBooking {
  id: string;
  party: BookingParty;
  start: number;
  end: number;
  buffers: { before: number; after: number };
  status: BookingStatus;
  source: 'desk' | 'online' | 'walkIn';
  notes: string;
  seriesId: string | null;
  sessionId: string | null;
  seats: number;
  resourceIds: readonly string[];
  blocked: TimeSpan;
  overrideReason: string | undefined;
}

/** A new booking's row: every column, so that one compiled insert serves every booking. */
const insertBookingRow = queryTemplate((db, p: Insertable<BookingsTable>) => db.insertInto('bookings').values(p));

const deleteBlocks = queryTemplate((db, p: { bookingId: string }) => db.deleteFrom('booking_resources').where('booking_id', '=', p.bookingId));

const moveBooking = queryTemplate((db, p: { id: string; start: number; end: number; sessionId: string | null; version: number; now: number }) =>
  db.updateTable('bookings').set({ start_at: p.start, end_at: p.end, session_id: p.sessionId, version: p.version, updated_at: p.now }).where('id', '=', p.id),
);

const endBookingRow = queryTemplate(
  (db, p: { id: string; status: BookingStatus; cancelReason: string | null; cancelledBy: 'customer' | 'staff' | null; lateCancel: number; version: number; now: number }) =>
    db
      .updateTable('bookings')
      .set({ status: p.status, cancel_reason: p.cancelReason, cancelled_by: p.cancelledBy, late_cancel: p.lateCancel, version: p.version, updated_at: p.now })
      .where('id', '=', p.id),
);

const setStatus = queryTemplate((db, p: { id: string; status: BookingStatus; version: number; now: number }) =>
  db.updateTable('bookings').set({ status: p.status, version: p.version, updated_at: p.now }).where('id', '=', p.id),
);

/** A booking's blocks stop blocking: it was cancelled, or ended in a status that does not block. */
const freeBlocks = queryTemplate((db, p: { bookingId: string; active: number }) =>
  db.updateTable('booking_resources').set({ active: p.active }).where('booking_id', '=', p.bookingId),
);

/** A booking's blocks, one row per resource, in one insert. */
const insertBlocks = queryTemplate((db, p: { bookingId: string; resourceIds: readonly string[]; blockedStart: number; blockedEnd: number; active: number }) =>
  db
    .insertInto('booking_resources')
    .values(p.resourceIds.map((resourceId) => ({ booking_id: p.bookingId, resource_id: resourceId, blocked_start: p.blockedStart, blocked_end: p.blockedEnd, active: p.active }))),
);

async function insertBooking(tx: Tx, ctx: MutatorContext, b: NewBooking): Promise<void> {
  const now = ctx.clock.now();
  const org = ctx.actor.organizationId;
  await insertBookingRow.execute(tx, {
    id: b.id,
    organization_id: org,
    site_id: b.party.site.id,
    service_id: b.party.service.id,
    customer_id: b.party.customer.id,
    start_at: b.start,
    end_at: b.end,
    buffer_before_minutes: b.buffers.before,
    buffer_after_minutes: b.buffers.after,
    status: b.status,
    source: b.source,
    notes: b.notes,
    price_minor: b.party.service.priceMinor,
    currency: b.party.service.currency,
    series_id: b.seriesId,
    session_id: b.sessionId,
    seats: b.seats,
    cancel_reason: null,
    cancelled_by: null,
    late_cancel: 0,
    override_reason: b.party.customer.blacklisted ? (b.overrideReason ?? null) : null,
    version: 1,
    created_by: ctx.actor.staffId,
    created_at: now,
    updated_at: now,
  });
  if (b.sessionId === null && b.resourceIds.length > 0) {
    await insertBlocks.execute(tx, { bookingId: b.id, resourceIds: b.resourceIds, blockedStart: b.blocked.start, blockedEnd: b.blocked.end, active: 1 });
  }
  await recordBookingEvent(tx, ctx, {
    organizationId: org,
    bookingId: b.id,
    version: 1,
    type: 'created',
    toStatus: b.status,
    after: { start: b.start, end: b.end, resourceIds: b.resourceIds, sessionId: b.sessionId },
    reason: b.party.customer.blacklisted ? (b.overrideReason ?? null) : null,
  });
}

/** The named hold, when it is live and belongs to the booking: completing it uses it up wherever it is. */
async function namedHold(tx: Tx, party: BookingParty, holdId: string | undefined, now: number): Promise<HoldRow[]> {
  if (holdId === undefined) return [];
  const h = await tx.selectFrom('holds').selectAll().where('id', '=', holdId).where('expires_at', '>', now).executeTakeFirst();
  return h && party.isOurHold(h) ? [h] : [];
}

function uniqueHolds(holds: readonly HoldRow[]): HoldRow[] {
  return [...new Map(holds.map((h) => [h.id, h])).values()];
}

/**
 * Ends a booking's hold on time: cancellation or no-show. Frees its resource blocks, records the
 * change, and offers the opened slot to the waitlist.
 */
async function endBooking(
  tx: Tx,
  ctx: MutatorContext,
  site: SiteRules,
  b: BookingRow,
  to: 'cancelled' | 'noShow',
  cancel: { by: 'customer' | 'staff'; reason: string } | null,
): Promise<{ lateCancel: boolean; waitlist: WaitlistOutcome }> {
  const now = ctx.clock.now();
  const lateCancel = cancel !== null && isLateCancellation(b.start_at, now, site.lateCancelHours, cancel.by);
  await endBookingRow.execute(tx, {
    id: b.id,
    status: to,
    cancelReason: cancel?.reason ?? null,
    cancelledBy: cancel?.by ?? null,
    lateCancel: lateCancel ? 1 : 0,
    version: b.version + 1,
    now,
  });
  await freeBlocks.execute(tx, { bookingId: b.id, active: 0 });
  await recordBookingEvent(tx, ctx, {
    organizationId: b.organization_id,
    bookingId: b.id,
    version: b.version + 1,
    type: 'status',
    fromStatus: b.status,
    toStatus: to,
    reason: cancel?.reason ?? null,
  });
  const resourceIds = b.session_id === null ? await bookingResourceIds(tx, b.id) : sessionResourceIds(await loadSession(tx, b.organization_id, b.session_id));
  const waitlist = await offerOpenedSlot(tx, ctx, site, {
    serviceId: b.service_id,
    span: { start: b.start_at, end: b.end_at },
    blocked: blockedSpan(b.start_at, b.end_at, b.buffer_before_minutes, b.buffer_after_minutes),
    resourceIds,
    sessionId: b.session_id,
    customerId: b.customer_id,
  });
  return { lateCancel, waitlist };
}

// ---- mutators -----------------------------------------------------------------------------------

export const createBooking = defineMutator({
  name: 'booking.create',
  version: 1,
  permission: 'booking.write',
  args: CreateBookingArgs,
  async apply(tx, args, ctx): Promise<BookingResult> {
    await assertNewBookingIds(tx, [args.id]);
    const party = await loadParty(tx, ctx, args);
    const now = ctx.clock.now();
    // Online bookings wait for the clinic to confirm them; the desk's are confirmed as made.
    const status: BookingStatus = args.source === 'online' ? 'pending' : 'confirmed';
    const buffers = { before: party.service.spec.bufferBeforeMinutes, after: party.service.spec.bufferAfterMinutes };
    let placed: { start: number; end: number; blocked: TimeSpan; resourceIds: string[]; holds: HoldRow[] };
    let sessionId: string | null = null;
    if (args.sessionId !== undefined) {
      const session = await loadSession(tx, ctx.actor.organizationId, args.sessionId);
      const holds = await placeInSession(tx, ctx, party, session, { seats: args.seats, walkIn: false, acknowledgeCustomerOverlap: args.acknowledgeCustomerOverlap });
      sessionId = session.id;
      placed = { start: session.start, end: session.end, blocked: session, resourceIds: sessionResourceIds(session), holds };
    } else {
      const start = args.start!;
      const end = start + party.service.spec.durationMinutes * MINUTE_MS;
      const p = await placeAppointment(tx, ctx, party, {
        start,
        end,
        buffers,
        resourceIds: args.resourceIds,
        walkIn: false,
        acknowledgeCustomerOverlap: args.acknowledgeCustomerOverlap,
      });
      placed = { ...p, resourceIds: p.resources.map((r) => r.id) };
    }
    await insertBooking(tx, ctx, {
      id: args.id,
      party,
      start: placed.start,
      end: placed.end,
      buffers: sessionId === null ? buffers : { before: 0, after: 0 },
      status,
      source: args.source,
      notes: args.notes,
      seriesId: null,
      sessionId,
      seats: sessionId === null ? 1 : args.seats,
      resourceIds: placed.resourceIds,
      blocked: placed.blocked,
      overrideReason: args.overrideReason,
    });
    await consumeHolds(tx, ctx, uniqueHolds([...placed.holds, ...(await namedHold(tx, party, args.holdId, now))]), args.id);
    return { id: args.id, status, start: placed.start, end: placed.end, resourceIds: placed.resourceIds, sessionId, warnings: party.warnings };
  },
});

export const walkIn = defineMutator({
  name: 'booking.walkIn',
  version: 1,
  permission: 'booking.write',
  args: WalkInArgs,
  async apply(tx, args, ctx): Promise<BookingResult> {
    await assertNewBookingIds(tx, [args.id]);
    const party = await loadParty(tx, ctx, args);
    // Starts now, to the minute: no grid, no notice. Working hours and free resources still apply.
    const start = Math.floor(ctx.clock.now() / MINUTE_MS) * MINUTE_MS;
    const end = start + party.service.spec.durationMinutes * MINUTE_MS;
    const buffers = { before: party.service.spec.bufferBeforeMinutes, after: party.service.spec.bufferAfterMinutes };
    const placed = await placeAppointment(tx, ctx, party, {
      start,
      end,
      buffers,
      resourceIds: args.resourceIds,
      walkIn: true,
      acknowledgeCustomerOverlap: args.acknowledgeCustomerOverlap,
    });
    const resourceIds = placed.resources.map((r) => r.id);
    await insertBooking(tx, ctx, {
      id: args.id,
      party,
      start,
      end,
      buffers,
      status: 'arrived',
      source: 'walkIn',
      notes: args.notes,
      seriesId: null,
      sessionId: null,
      seats: 1,
      resourceIds,
      blocked: placed.blocked,
      overrideReason: args.overrideReason,
    });
    await consumeHolds(tx, ctx, placed.holds, args.id);
    return { id: args.id, status: 'arrived', start, end, resourceIds, sessionId: null, warnings: party.warnings };
  },
});

export interface SeriesPreview {
  occurrences: OccurrencePreview[];
  /** Warnings about the customer that apply to every occurrence (a blacklist override). */
  warnings: Warning[];
}

/**
 * The per-occurrence report for a weekly series, BEFORE saving: ok, conflict (with the reason)
 * or closed. The desk shows it; booking.createSeries computes the same and saves the ok ones.
 */
export async function previewBookingSeries(tx: Tx, ctx: Pick<MutatorContext, 'actor' | 'clock'>, args: PreviewSeriesArgs): Promise<SeriesPreview> {
  const { occurrences, warnings } = await planSeries(tx, ctx, args);
  return { occurrences, warnings };
}

/** The preview, with what saving it needs: the party and the holds that belong to the series. */
async function planSeries(
  tx: Tx,
  ctx: Pick<MutatorContext, 'actor' | 'clock'>,
  args: PreviewSeriesArgs & { overrideReason?: string | undefined },
): Promise<SeriesPreview & { party: BookingParty; holds: HoldRow[] }> {
  const party = await loadParty(tx, ctx, args);
  const { site, service } = party;
  if (service.spec.seats > 1) throw new AppError('INVALID', 'errors.booking.groupNeedsSession', { service: service.name });
  const now = ctx.clock.now();
  const org = ctx.actor.organizationId;
  const starts = seriesStarts(args.firstStart, args.count, args.intervalWeeks, site.schedule.timeZone);
  const chosen = args.resourceIds ? await loadResources(tx, org, args.resourceIds) : null;
  const pool = chosen ?? (await loadResourcePool(tx, site.id, service.spec.resourceKinds));
  const resourceIds = pool.map((r) => r.id);
  const spec = service.spec;
  const busy: BusyBlock[] = [];
  const customerBookings: CustomerBooking[] = [];
  const closures: TimeSpan[] = [];
  const holds: HoldRow[] = [];
  for (const start of starts) {
    const end = start + spec.durationMinutes * MINUTE_MS;
    const blocked = blockedSpan(start, end, spec.bufferBeforeMinutes, spec.bufferAfterMinutes);
    const near = await busyNear(tx, { siteId: site.id, resourceIds, blocked, now, isOurHold: party.isOurHold });
    busy.push(...near.busy);
    holds.push(...near.ourHolds);
    customerBookings.push(...(await customerBookingsNear(tx, party.customer.id, { start, end })));
    closures.push(...(await closuresNear(tx, site.id, blocked)));
  }
  const occurrences = previewSeries({
    site,
    closures,
    spec,
    now,
    starts,
    chosen,
    pool,
    busy,
    customerBookings,
    acknowledgeCustomerOverlap: args.acknowledgeCustomerOverlap,
  });
  return { occurrences, warnings: party.warnings, party, holds: uniqueHolds(holds) };
}

export const createSeries = defineMutator({
  name: 'booking.createSeries',
  version: 1,
  permission: 'booking.write',
  args: CreateSeriesArgs,
  async apply(tx, args, ctx) {
    if (new Set(args.ids).size !== args.ids.length) throw new AppError('INVALID', 'errors.series.ids');
    await assertNewBookingIds(tx, args.ids);
    const preview = await planSeries(tx, ctx, { ...args, count: args.ids.length });
    const { party, occurrences } = preview;
    const refused = occurrences.filter((o) => o.status !== 'ok');
    const ok = occurrences.filter((o) => o.status === 'ok');
    if ((refused.length > 0 && !args.skipConflicts) || ok.length === 0) {
      const issues: FieldIssue[] = refused.map((o) => ({ path: ['occurrences', o.index], key: o.reason!.key, params: o.reason!.params }));
      throw new AppError('CONFLICT', 'errors.series.conflicts', { count: refused.length }, issues);
    }
    const buffers = { before: party.service.spec.bufferBeforeMinutes, after: party.service.spec.bufferAfterMinutes };
    const created: { id: string; index: number; start: number; end: number; resourceIds: string[] }[] = [];
    for (const o of ok) {
      const id = args.ids[o.index]!;
      const blocked = blockedSpan(o.start, o.end, buffers.before, buffers.after);
      await insertBooking(tx, ctx, {
        id,
        party,
        start: o.start,
        end: o.end,
        buffers,
        status: args.source === 'online' ? 'pending' : 'confirmed',
        source: args.source,
        notes: args.notes,
        seriesId: args.seriesId,
        sessionId: null,
        seats: 1,
        resourceIds: o.resourceIds,
        blocked,
        overrideReason: args.overrideReason,
      });
      const used = preview.holds.filter((h) => holdTouches(h, blocked, o.resourceIds));
      await consumeHolds(tx, ctx, used, id);
      created.push({ id, index: o.index, start: o.start, end: o.end, resourceIds: o.resourceIds });
    }
    const warnings = [...preview.warnings, ...ok.flatMap((o) => (o.warning ? [o.warning] : []))];
    return { seriesId: args.seriesId, created, skipped: refused, warnings };
  },
});

export const rescheduleBooking = defineMutator({
  name: 'booking.reschedule',
  version: 1,
  permission: 'booking.write',
  args: RescheduleBookingArgs,
  async apply(tx, args, ctx): Promise<BookingResult & { waitlist: WaitlistOutcome | null }> {
    const org = ctx.actor.organizationId;
    const b = await loadBooking(tx, org, args.id);
    const status = b.status as BookingStatus;
    if (!RESCHEDULABLE_STATUSES.includes(status)) throw new AppError('CONFLICT', 'errors.booking.notReschedulable', { status });
    const party = await loadParty(tx, ctx, { serviceId: b.service_id, customerId: b.customer_id }, false);
    const oldResourceIds = b.session_id === null ? await bookingResourceIds(tx, b.id) : sessionResourceIds(await loadSession(tx, org, b.session_id));
    const before: BookingSnapshot = { start: b.start_at, end: b.end_at, resourceIds: oldResourceIds, sessionId: b.session_id };
    const oldBlocked = blockedSpan(b.start_at, b.end_at, b.buffer_before_minutes, b.buffer_after_minutes);
    let after: BookingSnapshot;
    let blocked: TimeSpan;
    let holds: HoldRow[];
    if (b.session_id !== null) {
      if (args.sessionId === undefined) throw new AppError('INVALID', 'errors.booking.sessionBookingMove');
      if (args.sessionId === b.session_id) throw new AppError('INVALID', 'errors.booking.sameSession');
      const session = await loadSession(tx, org, args.sessionId);
      holds = await placeInSession(tx, ctx, party, session, {
        seats: b.seats,
        walkIn: false,
        acknowledgeCustomerOverlap: args.acknowledgeCustomerOverlap,
        excludeBookingId: b.id,
      });
      after = { start: session.start, end: session.end, resourceIds: sessionResourceIds(session), sessionId: session.id };
      blocked = session;
    } else {
      if (args.start === undefined) throw new AppError('INVALID', 'errors.booking.notSessionBooking');
      // The booking keeps its own length and buffers: editing the service later does not change it.
      const end = args.start + (b.end_at - b.start_at);
      const placed = await placeAppointment(tx, ctx, party, {
        start: args.start,
        end,
        buffers: { before: b.buffer_before_minutes, after: b.buffer_after_minutes },
        resourceIds: args.resourceIds ?? oldResourceIds,
        walkIn: false,
        acknowledgeCustomerOverlap: args.acknowledgeCustomerOverlap,
        excludeBookingId: b.id,
      });
      holds = placed.holds;
      blocked = placed.blocked;
      after = { start: args.start, end, resourceIds: placed.resources.map((r) => r.id), sessionId: null };
      await deleteBlocks.execute(tx, { bookingId: b.id });
      if (after.resourceIds.length > 0) {
        await insertBlocks.execute(tx, { bookingId: b.id, resourceIds: after.resourceIds, blockedStart: blocked.start, blockedEnd: blocked.end, active: 1 });
      }
    }
    const now = ctx.clock.now();
    await moveBooking.execute(tx, { id: b.id, start: after.start, end: after.end, sessionId: after.sessionId, version: b.version + 1, now });
    await recordBookingEvent(tx, ctx, { organizationId: org, bookingId: b.id, version: b.version + 1, type: 'rescheduled', before, after, reason: args.reason ?? null });
    await consumeHolds(tx, ctx, holds, b.id);
    // The old slot opened unless the booking still holds part of it (moved by a few minutes).
    const stillThere = after.sessionId === before.sessionId && overlaps(oldBlocked, blocked) && after.resourceIds.some((r) => before.resourceIds.includes(r));
    const waitlist = stillThere
      ? null
      : await offerOpenedSlot(tx, ctx, party.site, {
          serviceId: b.service_id,
          span: { start: before.start, end: before.end },
          blocked: oldBlocked,
          resourceIds: before.resourceIds,
          sessionId: before.sessionId,
          customerId: b.customer_id,
        });
    return { id: b.id, status, start: after.start, end: after.end, resourceIds: [...after.resourceIds], sessionId: after.sessionId, warnings: party.warnings, waitlist };
  },
});

export const transitionBooking = defineMutator({
  name: 'booking.transition',
  version: 1,
  permission: 'booking.write',
  args: TransitionBookingArgs,
  async apply(tx, args, ctx) {
    const org = ctx.actor.organizationId;
    const b = await loadBooking(tx, org, args.id);
    const site = await loadSite(tx, ctx.actor, b.site_id);
    const from = b.status as BookingStatus;
    if (!canTransition(from, args.to)) throw new AppError('CONFLICT', 'errors.booking.illegalTransition', { from, to: args.to });
    const now = ctx.clock.now();
    if (args.to === 'noShow' && now < b.start_at) throw new AppError('CONFLICT', 'errors.booking.noShowTooEarly');
    if (args.to === 'cancelled' || args.to === 'noShow') {
      const cancel = args.to === 'cancelled' ? { by: args.cancelledBy!, reason: args.reason! } : null;
      const { lateCancel, waitlist } = await endBooking(tx, ctx, site, b, args.to, cancel);
      return { id: b.id, from, to: args.to, lateCancel, waitlist };
    }
    await setStatus.execute(tx, { id: b.id, status: args.to, version: b.version + 1, now });
    if (!isActiveStatus(args.to)) await freeBlocks.execute(tx, { bookingId: b.id, active: 0 });
    await recordBookingEvent(tx, ctx, {
      organizationId: org,
      bookingId: b.id,
      version: b.version + 1,
      type: 'status',
      fromStatus: from,
      toStatus: args.to,
      reason: args.reason ?? null,
    });
    return { id: b.id, from, to: args.to, lateCancel: false, waitlist: null };
  },
});

export const markNoShows = defineMutator({
  name: 'booking.markNoShows',
  version: 1,
  permission: 'booking.write',
  args: MarkNoShowsArgs,
  async apply(tx, args, ctx) {
    const site = await loadSite(tx, ctx.actor, args.siteId);
    const now = ctx.clock.now();
    const due = await tx
      .selectFrom('bookings')
      .selectAll()
      .where('site_id', '=', site.id)
      .where('status', 'in', [...AWAITING_ARRIVAL])
      .where('start_at', '<=', now - site.noShowGraceMinutes * MINUTE_MS)
      .orderBy('start_at')
      .orderBy('id')
      .execute();
    const marked: { id: string; customerId: string; start: number; waitlist: WaitlistOutcome }[] = [];
    for (const b of due) {
      const { waitlist } = await endBooking(tx, ctx, site, b, 'noShow', null);
      marked.push({ id: b.id, customerId: b.customer_id, start: b.start_at, waitlist });
    }
    const blacklisted: string[] = [];
    const limit = site.blacklistAfterNoShows;
    if (limit !== null) {
      for (const customerId of new Set(marked.map((m) => m.customerId))) {
        const c = await tx
          .selectFrom('customers')
          .select('blacklisted')
          .where('id', '=', customerId)
          .executeTakeFirst();
        if (!c || c.blacklisted === 1) continue;
        const n = await tx
          .selectFrom('bookings')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('customer_id', '=', customerId)
          .where('status', '=', 'noShow')
          .executeTakeFirstOrThrow();
        if (Number(n.n) < limit) continue;
        // The reason is a message key: the desk shows it in the reader's language (formatMessage
        // passes free-text reasons typed by staff through unchanged).
        await tx
          .updateTable('customers')
          .set({ blacklisted: 1, blacklist_reason: 'errors.customer.blacklistedForNoShows', updated_at: now })
          .where('id', '=', customerId)
          .execute();
        blacklisted.push(customerId);
      }
    }
    return { marked, blacklisted };
  },
});

export const BOOKING_MUTATORS = [createBooking, walkIn, createSeries, rescheduleBooking, transitionBooking, markNoShows] as const;
