/**
 * Writes shared by the scheduling mutators: booking history, holds, and what happens when a slot
 * opens (waitlist candidates and the automatic offer).
 *
 * Ids: the records a user names (a booking, a hold they create, a waitlist entry) take their ids
 * from the mutation's arguments, so the desk and the server write the same ids. Records a
 * mutator makes on the side (history events, an automatic offer's hold) take ids from ctx.ids;
 * after a sync the server's rows replace the desk's optimistic ones.
 */
import type { Insertable } from 'kysely';
import type { BookingEventsTable, BookingEventType, HoldPurpose, Tx } from '../db-schema';
import type { MutatorContext } from '../mutator';
import type { TimeSpan } from './booking-rules';
import { busyNear, loadSession, openWaitlistEntries, sessionSeatsTaken, type HoldRow } from './booking.queries';
import { queryTemplate } from './query-template';
import type { SiteRules } from './scheduling.model';
import { waitlistCandidates } from './waitlist';
import { MINUTE_MS } from './zoned-time';

/** What a booking looked like before or after a change, for its history. */
export interface BookingSnapshot {
  start: number;
  end: number;
  resourceIds: readonly string[];
  sessionId: string | null;
}

export interface BookingEvent {
  organizationId: string;
  bookingId: string;
  version: number;
  type: BookingEventType;
  fromStatus?: string | null;
  toStatus?: string | null;
  before?: BookingSnapshot | null;
  after?: BookingSnapshot | null;
  reason?: string | null;
}

/** An event's row: every column, so that one compiled insert serves every event. */
const insertEvent = queryTemplate((db, p: Insertable<BookingEventsTable>) => db.insertInto('booking_events').values(p));

export async function recordBookingEvent(tx: Tx, ctx: MutatorContext, e: BookingEvent): Promise<void> {
  await insertEvent.execute(tx, {
    id: ctx.ids.newId(),
    organization_id: e.organizationId,
    booking_id: e.bookingId,
    version: e.version,
    type: e.type,
    from_status: e.fromStatus ?? null,
    to_status: e.toStatus ?? null,
    before: e.before ? JSON.stringify(e.before) : null,
    after: e.after ? JSON.stringify(e.after) : null,
    reason: e.reason ?? null,
    actor_staff_id: ctx.actor.staffId,
    at: ctx.clock.now(),
  });
}

export interface NewHold {
  id: string;
  organizationId: string;
  siteId: string;
  serviceId: string | null;
  sessionId: string | null;
  seats: number;
  resourceIds: readonly string[];
  span: TimeSpan;
  blocked: TimeSpan;
  customerId: string | null;
  purpose: HoldPurpose;
  waitlistEntryId: string | null;
}

/** Inserts a hold that runs out `holdMinutes` from now; returns when. */
export async function insertHold(tx: Tx, ctx: MutatorContext, h: NewHold, holdMinutes: number): Promise<number> {
  const now = ctx.clock.now();
  const expiresAt = now + holdMinutes * MINUTE_MS;
  await tx
    .insertInto('holds')
    .values({
      id: h.id,
      organization_id: h.organizationId,
      site_id: h.siteId,
      service_id: h.serviceId,
      session_id: h.sessionId,
      seats: h.seats,
      resource_ids: JSON.stringify(h.resourceIds),
      start_at: h.span.start,
      end_at: h.span.end,
      blocked_start: h.blocked.start,
      blocked_end: h.blocked.end,
      expires_at: expiresAt,
      created_by: ctx.actor.staffId,
      customer_id: h.customerId,
      purpose: h.purpose,
      waitlist_entry_id: h.waitlistEntryId,
      created_at: now,
    })
    .execute();
  return expiresAt;
}

/**
 * Removes holds a booking has used up. A waitlist offer's entry is then booked: it leaves the
 * waitlist and remembers the booking.
 */
export async function consumeHolds(tx: Tx, ctx: MutatorContext, holds: readonly HoldRow[], bookingId: string): Promise<void> {
  for (const h of holds) {
    await tx.deleteFrom('holds').where('id', '=', h.id).execute();
    if (h.waitlist_entry_id === null) continue;
    await tx
      .updateTable('waitlist_entries')
      .set({ status: 'booked', offered_booking_id: bookingId, offered_hold_id: null, offer_expires_at: null, updated_at: ctx.clock.now() })
      .where('id', '=', h.waitlist_entry_id)
      .execute();
  }
}

/** A waitlist entry that fits an opened slot, as the desk lists it. */
export interface WaitlistCandidate {
  entryId: string;
  customerId: string;
  urgent: boolean;
  createdAt: number;
}

export interface WaitlistOutcome {
  /** Matching entries, urgent first, then oldest. */
  candidates: WaitlistCandidate[];
  /** With the site's auto-offer on: the hold made for the first candidate. */
  offered: { entryId: string; customerId: string; holdId: string; expiresAt: number } | null;
}

export interface OpenedSlotFacts {
  serviceId: string;
  span: TimeSpan;
  blocked: TimeSpan;
  resourceIds: readonly string[];
  sessionId: string | null;
  /** The customer whose booking freed the slot: not offered their own slot back. */
  customerId: string;
}

/**
 * A slot opened (cancellation, reschedule, no-show): lists the waitlist candidates and, when the
 * site offers automatically, holds the slot for the first one for the site's hold minutes. No
 * offer is made for a slot that has already started, or that something else took in the meantime.
 */
export async function offerOpenedSlot(tx: Tx, ctx: MutatorContext, site: SiteRules, slot: OpenedSlotFacts): Promise<WaitlistOutcome> {
  const now = ctx.clock.now();
  const entries = await openWaitlistEntries(tx, site.id, slot.serviceId);
  const matches = waitlistCandidates(
    { serviceId: slot.serviceId, start: slot.span.start, end: slot.span.end, resourceIds: slot.resourceIds, timeZone: site.schedule.timeZone },
    entries,
    { now, excludeCustomerId: slot.customerId },
  );
  const candidates = matches.map((e) => ({ entryId: e.id, customerId: e.customerId, urgent: e.urgent, createdAt: e.createdAt }));
  const top = matches[0];
  if (!site.waitlistAutoOffer || !top || slot.span.start <= now) return { candidates, offered: null };
  if (slot.sessionId !== null) {
    const session = await loadSession(tx, site.organizationId, slot.sessionId);
    const taken = await sessionSeatsTaken(tx, slot.sessionId, now);
    if (session.status !== 'scheduled' || taken.booked + taken.held >= session.capacity) return { candidates, offered: null };
  } else {
    const { busy } = await busyNear(tx, { siteId: site.id, resourceIds: slot.resourceIds, blocked: slot.blocked, now });
    if (busy.length > 0) return { candidates, offered: null };
  }
  const holdId = ctx.ids.newId();
  const expiresAt = await insertHold(
    tx,
    ctx,
    {
      id: holdId,
      organizationId: site.organizationId,
      siteId: site.id,
      serviceId: slot.serviceId,
      sessionId: slot.sessionId,
      seats: 1,
      resourceIds: slot.sessionId === null ? slot.resourceIds : [],
      span: slot.span,
      blocked: slot.blocked,
      customerId: top.customerId,
      purpose: 'waitlistOffer',
      waitlistEntryId: top.id,
    },
    site.holdMinutes,
  );
  await markOffered(tx, top.id, holdId, expiresAt, now);
  return { candidates, offered: { entryId: top.id, customerId: top.customerId, holdId, expiresAt } };
}

export async function markOffered(tx: Tx, entryId: string, holdId: string, expiresAt: number, now: number): Promise<void> {
  await tx
    .updateTable('waitlist_entries')
    .set({ status: 'offered', offered_hold_id: holdId, offer_expires_at: expiresAt, updated_at: now })
    .where('id', '=', entryId)
    .execute();
}

/** A hold went away unused (released, expired, purged): its waitlist entry waits again. */
export async function reopenOfferedEntry(tx: Tx, holdId: string, now: number): Promise<void> {
  await tx
    .updateTable('waitlist_entries')
    .set({ status: 'waiting', offered_hold_id: null, offer_expires_at: null, updated_at: now })
    .where('offered_hold_id', '=', holdId)
    .where('status', '=', 'offered')
    .execute();
}
