/**
 * The waitlist: customers who want a service sooner than the calendar allows, with their
 * preferences (weekdays, parts of the day, a resource, a date range) and an urgent flag. When a
 * slot opens, booking mutators list the matching entries (waitlist.ts) and, with the site's
 * auto-offer on, hold the slot for the first one. Staff can also offer a slot by hand
 * (waitlist.offer). An offer is a hold for the customer; booking through it (booking.create with
 * `holdId`) marks the entry booked; letting it run out puts the entry back to waiting.
 */
import type { Updateable } from 'kysely';
import { z } from 'zod';
import type { Tx, WaitlistEntriesTable } from '../db-schema';
import { AppError } from '../errors';
import { defineMutator, type MutatorContext } from '../mutator';
import { LocalDate } from '../time';
import { loadCustomer, loadResources, loadService, loadSession, loadSite, waitlistInfoOf, type WaitlistRow } from './booking.queries';
import { markOffered } from './booking.writes';
import { HoldTarget, placeHold } from './hold.mutators';
import { Weekday } from './scheduling.schema';
import { isWaiting } from './waitlist';

const Id = z.uuid({ message: 'errors.id.invalid' });
const PartOfDay = z.enum(['morning', 'afternoon', 'evening'], { message: 'errors.waitlist.partOfDay' });
const Weekdays = z.array(Weekday).max(7).refine((ds) => new Set(ds).size === ds.length, 'errors.waitlist.weekdays');
const Parts = z.array(PartOfDay).max(3).refine((ps) => new Set(ps).size === ps.length, 'errors.waitlist.partOfDay');
const Notes = z.string().max(2000, 'errors.notes.tooLong');

const dateOrder = { message: 'errors.schedule.dateRangeOrder', path: ['dateTo'] };

export const AddWaitlistArgs = z
  .object({
    id: Id,
    customerId: Id,
    serviceId: Id,
    preferredWeekdays: Weekdays.default([]),
    preferredPartsOfDay: Parts.default([]),
    preferredResourceId: Id.nullable().default(null),
    dateFrom: LocalDate.nullable().default(null),
    dateTo: LocalDate.nullable().default(null),
    urgent: z.boolean().default(false),
    notes: Notes.default(''),
  })
  .refine((a) => a.dateFrom === null || a.dateTo === null || a.dateTo >= a.dateFrom, dateOrder);
export type AddWaitlistArgs = z.infer<typeof AddWaitlistArgs>;

export const UpdateWaitlistArgs = z.object({
  id: Id,
  patch: z.object({
    preferredWeekdays: Weekdays.optional(),
    preferredPartsOfDay: Parts.optional(),
    preferredResourceId: Id.nullable().optional(),
    dateFrom: LocalDate.nullable().optional(),
    dateTo: LocalDate.nullable().optional(),
    urgent: z.boolean().optional(),
    notes: Notes.optional(),
  }),
});
export type UpdateWaitlistArgs = z.infer<typeof UpdateWaitlistArgs>;

export const RemoveWaitlistArgs = z.object({ id: Id });

export const OfferWaitlistArgs = z.object({
  id: Id,
  /** The offer's hold. */
  holdId: Id,
  /** The slot offered: resources and a time, or a seat in a session (seats 1). */
  target: HoldTarget,
});
export type OfferWaitlistArgs = z.infer<typeof OfferWaitlistArgs>;

async function loadEntry(tx: Tx, ctx: MutatorContext, id: string): Promise<WaitlistRow> {
  const row = await tx.selectFrom('waitlist_entries').selectAll().where('id', '=', id).where('organization_id', '=', ctx.actor.organizationId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'errors.waitlist.notFound', { id });
  await loadSite(tx, ctx.actor, row.site_id);
  return row;
}

async function assertPreferredResource(tx: Tx, ctx: MutatorContext, siteId: string, resourceId: string | null): Promise<void> {
  if (resourceId === null) return;
  const [r] = await loadResources(tx, ctx.actor.organizationId, [resourceId]);
  if (r!.siteId !== siteId) throw new AppError('INVALID', 'errors.booking.resourceOtherSite', { resource: r!.name });
}

export const addToWaitlist = defineMutator({
  name: 'waitlist.add',
  version: 1,
  permission: 'waitlist.write',
  args: AddWaitlistArgs,
  async apply(tx, args, ctx) {
    const service = await loadService(tx, ctx.actor.organizationId, args.serviceId);
    const site = await loadSite(tx, ctx.actor, service.siteId);
    await loadCustomer(tx, site.organizationId, args.customerId);
    await assertPreferredResource(tx, ctx, site.id, args.preferredResourceId);
    const dup = await tx.selectFrom('waitlist_entries').select('id').where('id', '=', args.id).executeTakeFirst();
    if (dup) throw new AppError('CONFLICT', 'errors.id.taken', { id: args.id });
    const now = ctx.clock.now();
    await tx
      .insertInto('waitlist_entries')
      .values({
        id: args.id,
        organization_id: site.organizationId,
        site_id: site.id,
        customer_id: args.customerId,
        service_id: service.id,
        preferred_weekdays: JSON.stringify(args.preferredWeekdays),
        preferred_parts_of_day: JSON.stringify(args.preferredPartsOfDay),
        preferred_resource_id: args.preferredResourceId,
        date_from: args.dateFrom,
        date_to: args.dateTo,
        urgent: args.urgent ? 1 : 0,
        status: 'waiting',
        offered_hold_id: null,
        offer_expires_at: null,
        offered_booking_id: null,
        notes: args.notes,
        created_by: ctx.actor.staffId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id: args.id };
  },
});

export const updateWaitlist = defineMutator({
  name: 'waitlist.update',
  version: 1,
  permission: 'waitlist.write',
  args: UpdateWaitlistArgs,
  async apply(tx, { id, patch }, ctx) {
    const row = await loadEntry(tx, ctx, id);
    if (row.status === 'booked' || row.status === 'removed') throw new AppError('CONFLICT', 'errors.waitlist.closed', { status: row.status });
    if (patch.preferredResourceId !== undefined) await assertPreferredResource(tx, ctx, row.site_id, patch.preferredResourceId);
    const from = patch.dateFrom !== undefined ? patch.dateFrom : row.date_from;
    const to = patch.dateTo !== undefined ? patch.dateTo : row.date_to;
    if (from !== null && to !== null && to < from) {
      throw new AppError('INVALID', 'errors.schedule.dateRangeOrder', {}, [{ path: ['patch', 'dateTo'], key: 'errors.schedule.dateRangeOrder' }]);
    }
    const next: Updateable<WaitlistEntriesTable> = { updated_at: ctx.clock.now() };
    if (patch.preferredWeekdays !== undefined) next.preferred_weekdays = JSON.stringify(patch.preferredWeekdays);
    if (patch.preferredPartsOfDay !== undefined) next.preferred_parts_of_day = JSON.stringify(patch.preferredPartsOfDay);
    if (patch.preferredResourceId !== undefined) next.preferred_resource_id = patch.preferredResourceId;
    if (patch.dateFrom !== undefined) next.date_from = patch.dateFrom;
    if (patch.dateTo !== undefined) next.date_to = patch.dateTo;
    if (patch.urgent !== undefined) next.urgent = patch.urgent ? 1 : 0;
    if (patch.notes !== undefined) next.notes = patch.notes;
    await tx.updateTable('waitlist_entries').set(next).where('id', '=', id).execute();
    return { id };
  },
});

export const removeFromWaitlist = defineMutator({
  name: 'waitlist.remove',
  version: 1,
  permission: 'waitlist.write',
  args: RemoveWaitlistArgs,
  async apply(tx, { id }, ctx) {
    const row = await loadEntry(tx, ctx, id);
    if (row.status === 'removed') return { id };
    // An open offer goes with the entry: its hold would otherwise block the slot for nobody.
    if (row.offered_hold_id !== null) await tx.deleteFrom('holds').where('id', '=', row.offered_hold_id).execute();
    await tx
      .updateTable('waitlist_entries')
      .set({ status: 'removed', offered_hold_id: null, offer_expires_at: null, updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .execute();
    return { id };
  },
});

export const offerFromWaitlist = defineMutator({
  name: 'waitlist.offer',
  version: 1,
  permission: 'waitlist.write',
  args: OfferWaitlistArgs,
  async apply(tx, { id, holdId, target }, ctx) {
    const row = await loadEntry(tx, ctx, id);
    const now = ctx.clock.now();
    if (!isWaiting(waitlistInfoOf(row), now)) throw new AppError('CONFLICT', 'errors.waitlist.notWaiting', { status: row.status });
    const site = await loadSite(tx, ctx.actor, row.site_id);
    if (target.sessionId !== undefined && (await loadSession(tx, site.organizationId, target.sessionId)).serviceId !== row.service_id) {
      throw new AppError('INVALID', 'errors.booking.serviceMismatch');
    }
    if (row.offered_hold_id !== null) await tx.deleteFrom('holds').where('id', '=', row.offered_hold_id).execute();
    const hold = await placeHold(tx, ctx, site, {
      id: holdId,
      target: { ...target, serviceId: target.sessionId === undefined ? row.service_id : undefined, seats: 1 },
      customerId: row.customer_id,
      purpose: 'waitlistOffer',
      waitlistEntryId: id,
    });
    await markOffered(tx, id, hold.id, hold.expiresAt, now);
    return { id, holdId: hold.id, expiresAt: hold.expiresAt, customerId: row.customer_id };
  },
});

export const WAITLIST_MUTATORS = [addToWaitlist, updateWaitlist, removeFromWaitlist, offerFromWaitlist] as const;
