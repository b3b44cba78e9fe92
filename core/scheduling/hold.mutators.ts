/**
 * Holds: a short claim on a slot while someone completes a booking (an online checkout, a phone
 * call, a waitlist offer). A hold runs out `hold_minutes` (a site setting, 15 by default) after it
 * is made and then blocks nothing: every check compares `expires_at` with ctx.clock.now(), so an
 * expired hold needs no job to end it. hold.purgeExpired only tidies the table.
 *
 * A hold is either on resources for a time range, or on seats of a group session.
 */
import { z } from 'zod';
import type { HoldPurpose, Tx } from '../db-schema';
import { AppError } from '../errors';
import { defineMutator, type MutatorContext } from '../mutator';
import { assertNoRefusal, blockedSpan, busyConflict, checkSpan } from './booking-rules';
import { busyNear, loadCustomer, loadResources, loadService, loadSession, loadSite, sessionSeatsTaken } from './booking.queries';
import { insertHold, reopenOfferedEntry } from './booking.writes';
import { Instant } from './scheduling.schema';
import type { SiteRules } from './scheduling.model';

const Id = z.uuid({ message: 'errors.id.invalid' });

/** What to hold: resources over [start, end) (widened by the service's buffers), or seats of a session. */
export const HoldTarget = z
  .object({
    serviceId: Id.optional(),
    resourceIds: z.array(Id).min(1, 'errors.hold.target').max(4, 'errors.service.resourceKinds').optional(),
    start: Instant.optional(),
    end: Instant.optional(),
    sessionId: Id.optional(),
    seats: z.int({ message: 'errors.booking.seats' }).min(1, 'errors.booking.seats').max(50, 'errors.booking.seats').default(1),
  })
  .refine((t) => (t.sessionId !== undefined) !== (t.resourceIds !== undefined && t.start !== undefined && t.end !== undefined), {
    message: 'errors.hold.target',
    path: ['resourceIds'],
  });
export type HoldTarget = z.infer<typeof HoldTarget>;

export const CreateHoldArgs = z.object({
  id: Id,
  siteId: Id,
  target: HoldTarget,
  customerId: Id.nullable().default(null),
  purpose: z.enum(['checkout', 'manual'], { message: 'errors.hold.purpose' }).default('manual'),
});
export type CreateHoldArgs = z.infer<typeof CreateHoldArgs>;

export const ReleaseHoldArgs = z.object({ id: Id });
export const PurgeHoldsArgs = z.object({ siteId: Id });

/**
 * Checks and writes a hold. Any live hold, booking or session on the resources (or, for a session,
 * no seat left) refuses it: two people must never be promised the same slot.
 */
export async function placeHold(
  tx: Tx,
  ctx: MutatorContext,
  site: SiteRules,
  h: { id: string; target: HoldTarget; customerId: string | null; purpose: HoldPurpose; waitlistEntryId: string | null },
): Promise<{ id: string; expiresAt: number }> {
  const org = ctx.actor.organizationId;
  const now = ctx.clock.now();
  const dup = await tx.selectFrom('holds').select('id').where('id', '=', h.id).executeTakeFirst();
  if (dup) throw new AppError('CONFLICT', 'errors.id.taken', { id: h.id });
  if (h.customerId !== null) await loadCustomer(tx, org, h.customerId);
  const t = h.target;
  const common = { id: h.id, organizationId: org, siteId: site.id, customerId: h.customerId, purpose: h.purpose, waitlistEntryId: h.waitlistEntryId };
  if (t.sessionId !== undefined) {
    const session = await loadSession(tx, org, t.sessionId);
    if (session.siteId !== site.id) throw new AppError('NOT_FOUND', 'errors.session.notFound', { id: session.id });
    if (session.status !== 'scheduled') throw new AppError('CONFLICT', 'errors.session.cancelled');
    const taken = await sessionSeatsTaken(tx, session.id, now);
    const left = session.capacity - taken.booked - taken.held;
    if (t.seats > left) throw new AppError('CONFLICT', 'errors.session.full', { seatsLeft: Math.max(0, left) });
    const expiresAt = await insertHold(
      tx,
      ctx,
      { ...common, serviceId: session.serviceId, sessionId: session.id, seats: t.seats, resourceIds: [], span: session, blocked: session },
      site.holdMinutes,
    );
    return { id: h.id, expiresAt };
  }
  const span = { start: t.start!, end: t.end! };
  const service = t.serviceId !== undefined ? await loadService(tx, org, t.serviceId) : null;
  if (service && service.siteId !== site.id) throw new AppError('NOT_FOUND', 'errors.service.notFound', { id: service.id });
  const blocked = service ? blockedSpan(span.start, span.end, service.spec.bufferBeforeMinutes, service.spec.bufferAfterMinutes) : span;
  assertNoRefusal(checkSpan(span, blocked));
  const resources = await loadResources(tx, org, t.resourceIds!);
  for (const r of resources) {
    if (r.siteId !== site.id) throw new AppError('INVALID', 'errors.booking.resourceOtherSite', { resource: r.name });
    if (!r.active) throw new AppError('CONFLICT', 'errors.resource.inactive', { resource: r.name });
  }
  const { busy } = await busyNear(tx, { siteId: site.id, resourceIds: t.resourceIds!, blocked, now });
  for (const r of resources) assertNoRefusal(busyConflict(r, blocked, busy));
  const expiresAt = await insertHold(
    tx,
    ctx,
    { ...common, serviceId: service?.id ?? null, sessionId: null, seats: 1, resourceIds: t.resourceIds!, span, blocked },
    site.holdMinutes,
  );
  return { id: h.id, expiresAt };
}

export const createHold = defineMutator({
  name: 'hold.create',
  version: 1,
  permission: 'booking.write',
  args: CreateHoldArgs,
  async apply(tx, args, ctx) {
    const site = await loadSite(tx, ctx.actor, args.siteId);
    return placeHold(tx, ctx, site, { id: args.id, target: args.target, customerId: args.customerId, purpose: args.purpose, waitlistEntryId: null });
  },
});

export const releaseHold = defineMutator({
  name: 'hold.release',
  version: 1,
  permission: 'booking.write',
  args: ReleaseHoldArgs,
  async apply(tx, { id }, ctx) {
    const h = await tx.selectFrom('holds').select(['id', 'site_id']).where('id', '=', id).where('organization_id', '=', ctx.actor.organizationId).executeTakeFirst();
    // A hold that has gone (used, purged, released on another desk) is released already.
    if (!h) return { id, released: false };
    await loadSite(tx, ctx.actor, h.site_id);
    await tx.deleteFrom('holds').where('id', '=', id).execute();
    await reopenOfferedEntry(tx, id, ctx.clock.now());
    return { id, released: true };
  },
});

export const purgeExpiredHolds = defineMutator({
  name: 'hold.purgeExpired',
  version: 1,
  permission: 'booking.write',
  args: PurgeHoldsArgs,
  async apply(tx, { siteId }, ctx) {
    await loadSite(tx, ctx.actor, siteId);
    const now = ctx.clock.now();
    const expired = await tx.selectFrom('holds').select('id').where('site_id', '=', siteId).where('expires_at', '<=', now).execute();
    for (const h of expired) {
      await tx.deleteFrom('holds').where('id', '=', h.id).execute();
      await reopenOfferedEntry(tx, h.id, now);
    }
    return { purged: expired.length };
  },
});

export const HOLD_MUTATORS = [createHold, releaseHold, purgeExpiredHolds] as const;
