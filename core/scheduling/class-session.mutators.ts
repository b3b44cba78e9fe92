/**
 * Group class sessions: a time, a coach (and usually a room) and a number of seats that
 * customers book one by one (booking.create with `sessionId`). A scheduled session holds its
 * resources like a booking does (session_resources, same overlap index), so a coach is never in
 * two places and a private appointment cannot take the room during the class.
 *
 * Seats: a session's own `seats`, or the service's when null. Never below the seats already
 * booked; never above the room's capacity when the room has one.
 */
import { z } from 'zod';
import type { Tx } from '../db-schema';
import { AppError } from '../errors';
import { defineMutator, type MutatorContext } from '../mutator';
import { assertNoRefusal, blockedSpan, checkPlacement, checkSpan, type TimeSpan } from './booking-rules';
import { busyNear, closuresNear, loadResources, loadService, loadSession, loadSite, sessionResourceIds, sessionSeatsTaken } from './booking.queries';
import { recordBookingEvent, reopenOfferedEntry } from './booking.writes';
import { Instant } from './scheduling.schema';
import type { ResourceInfo, ServiceRules, SiteRules } from './scheduling.model';
import { MINUTE_MS } from './zoned-time';

const Id = z.uuid({ message: 'errors.id.invalid' });
const Seats = z.int({ message: 'errors.service.seats' }).min(1, 'errors.service.seats').max(500, 'errors.service.seats');

export const CreateSessionArgs = z.object({
  id: Id,
  serviceId: Id,
  start: Instant,
  /** Defaults to start + the service's duration. */
  end: Instant.optional(),
  coachId: Id,
  roomId: Id.nullable().default(null),
  /** null = the service's seats. */
  seats: Seats.nullable().default(null),
});
export type CreateSessionArgs = z.infer<typeof CreateSessionArgs>;

export const UpdateSessionArgs = z.object({
  id: Id,
  patch: z.object({
    start: Instant.optional(),
    end: Instant.optional(),
    coachId: Id.optional(),
    roomId: Id.nullable().optional(),
    seats: Seats.nullable().optional(),
  }),
});
export type UpdateSessionArgs = z.infer<typeof UpdateSessionArgs>;

export const CancelSessionArgs = z.object({
  id: Id,
  reason: z.string().trim().min(1, 'errors.booking.cancelReasonRequired').max(200, 'errors.reason.tooLong'),
});

interface SessionPlan {
  start: number;
  end: number;
  resources: ResourceInfo[];
  capacity: number;
}

/**
 * The rules for a session's time and resources: the same as a booking's (site open, resources of
 * the service's kinds, working, free of other bookings, sessions and holds, buffers included),
 * minus the online booking window, since staff schedule classes; but never in the past.
 */
async function checkSession(
  tx: Tx,
  ctx: MutatorContext,
  site: SiteRules,
  service: ServiceRules,
  plan: SessionPlan,
  excludeSessionId?: string,
): Promise<TimeSpan> {
  const now = ctx.clock.now();
  const spec = service.spec;
  const blocked = blockedSpan(plan.start, plan.end, spec.bufferBeforeMinutes, spec.bufferAfterMinutes);
  assertNoRefusal(checkSpan(plan, blocked));
  if (plan.start < now) throw new AppError('CONFLICT', 'errors.booking.inPast');
  const room = plan.resources.find((r) => r.capacity !== null && r.capacity < plan.capacity);
  if (room) throw new AppError('INVALID', 'errors.session.roomCapacity', { resource: room.name, capacity: room.capacity! });
  const closures = await closuresNear(tx, site.id, blocked);
  const { busy } = await busyNear(tx, {
    siteId: site.id,
    resourceIds: plan.resources.map((r) => r.id),
    blocked,
    now,
    ...(excludeSessionId !== undefined && { excludeSessionId }),
  });
  assertNoRefusal(
    checkPlacement({ site, closures, spec, start: plan.start, end: plan.end, now, bookingWindow: false, busy }, spec.resourceKinds, plan.resources),
  );
  return blocked;
}

async function writeSessionResources(tx: Tx, sessionId: string, resourceIds: readonly string[], blocked: TimeSpan): Promise<void> {
  await tx.deleteFrom('session_resources').where('session_id', '=', sessionId).execute();
  for (const resourceId of resourceIds) {
    await tx
      .insertInto('session_resources')
      .values({ session_id: sessionId, resource_id: resourceId, blocked_start: blocked.start, blocked_end: blocked.end, active: 1 })
      .execute();
  }
}

export const createSession = defineMutator({
  name: 'classSession.create',
  version: 1,
  permission: 'schedule.manage',
  args: CreateSessionArgs,
  async apply(tx, args, ctx) {
    const org = ctx.actor.organizationId;
    const service = await loadService(tx, org, args.serviceId);
    const site = await loadSite(tx, ctx.actor, service.siteId);
    if (!service.active) throw new AppError('CONFLICT', 'errors.service.inactive', { service: service.name });
    const dup = await tx.selectFrom('class_sessions').select('id').where('id', '=', args.id).executeTakeFirst();
    if (dup) throw new AppError('CONFLICT', 'errors.id.taken', { id: args.id });
    const end = args.end ?? args.start + service.spec.durationMinutes * MINUTE_MS;
    const resources = await loadResources(tx, org, args.roomId === null ? [args.coachId] : [args.coachId, args.roomId]);
    const capacity = args.seats ?? service.spec.seats;
    const blocked = await checkSession(tx, ctx, site, service, { start: args.start, end, resources, capacity });
    const now = ctx.clock.now();
    await tx
      .insertInto('class_sessions')
      .values({
        id: args.id,
        organization_id: org,
        site_id: site.id,
        service_id: service.id,
        start_at: args.start,
        end_at: end,
        coach_resource_id: args.coachId,
        room_resource_id: args.roomId,
        seats: args.seats,
        status: 'scheduled',
        cancel_reason: null,
        buffer_before_minutes: service.spec.bufferBeforeMinutes,
        buffer_after_minutes: service.spec.bufferAfterMinutes,
        created_by: ctx.actor.staffId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await writeSessionResources(tx, args.id, resources.map((r) => r.id), blocked);
    return { id: args.id, start: args.start, end, capacity };
  },
});

export const updateSession = defineMutator({
  name: 'classSession.update',
  version: 1,
  permission: 'schedule.manage',
  args: UpdateSessionArgs,
  async apply(tx, { id, patch }, ctx) {
    const org = ctx.actor.organizationId;
    const session = await loadSession(tx, org, id);
    const site = await loadSite(tx, ctx.actor, session.siteId);
    if (session.status !== 'scheduled') throw new AppError('CONFLICT', 'errors.session.cancelled');
    const service = await loadService(tx, org, session.serviceId);
    const now = ctx.clock.now();
    const start = patch.start ?? session.start;
    const end = patch.end ?? (patch.start !== undefined ? patch.start + (session.end - session.start) : session.end);
    const coachId = patch.coachId ?? session.coachId;
    const roomId = patch.roomId !== undefined ? patch.roomId : session.roomId;
    const seats = patch.seats !== undefined ? patch.seats : session.seats;
    const capacity = seats ?? service.spec.seats;
    const { booked } = await sessionSeatsTaken(tx, id, now);
    if (booked > capacity) {
      throw new AppError('CONFLICT', 'errors.session.seatsBelowBooked', { booked }, [
        { path: ['patch', 'seats'], key: 'errors.session.seatsBelowBooked', params: { booked } },
      ]);
    }
    const resources = await loadResources(tx, org, roomId === null ? [coachId] : [coachId, roomId]);
    // The session keeps the buffers it was scheduled with, like a booking.
    const kept = { ...service, spec: { ...service.spec, bufferBeforeMinutes: session.bufferBeforeMinutes, bufferAfterMinutes: session.bufferAfterMinutes } };
    const blocked = await checkSession(tx, ctx, site, kept, { start, end, resources, capacity }, id);
    await tx
      .updateTable('class_sessions')
      .set({ start_at: start, end_at: end, coach_resource_id: coachId, room_resource_id: roomId, seats, updated_at: now })
      .where('id', '=', id)
      .execute();
    await writeSessionResources(tx, id, resources.map((r) => r.id), blocked);
    // The seats booked move with the session; each booking's history says so.
    const moved: string[] = [];
    if (start !== session.start || end !== session.end || coachId !== session.coachId || roomId !== session.roomId) {
      const bookings = await tx
        .selectFrom('bookings')
        .select(['id', 'version', 'start_at', 'end_at'])
        .where('session_id', '=', id)
        .where('status', 'in', ['pending', 'confirmed'])
        .execute();
      const before = { resourceIds: sessionResourceIds(session), sessionId: id };
      const after = { start, end, resourceIds: sessionResourceIds({ coachId, roomId }), sessionId: id };
      for (const b of bookings) {
        await tx.updateTable('bookings').set({ start_at: start, end_at: end, version: b.version + 1, updated_at: now }).where('id', '=', b.id).execute();
        await recordBookingEvent(tx, ctx, {
          organizationId: org,
          bookingId: b.id,
          version: b.version + 1,
          type: 'rescheduled',
          before: { ...before, start: b.start_at, end: b.end_at },
          after,
          reason: 'session changed',
        });
        moved.push(b.id);
      }
    }
    return { id, start, end, capacity, movedBookings: moved };
  },
});

export const cancelSession = defineMutator({
  name: 'classSession.cancel',
  version: 1,
  permission: 'schedule.manage',
  args: CancelSessionArgs,
  async apply(tx, { id, reason }, ctx) {
    const org = ctx.actor.organizationId;
    const session = await loadSession(tx, org, id);
    await loadSite(tx, ctx.actor, session.siteId);
    if (session.status !== 'scheduled') throw new AppError('CONFLICT', 'errors.session.cancelled');
    const now = ctx.clock.now();
    if (session.start <= now) throw new AppError('CONFLICT', 'errors.session.started');
    await tx.updateTable('class_sessions').set({ status: 'cancelled', cancel_reason: reason, updated_at: now }).where('id', '=', id).execute();
    await tx.updateTable('session_resources').set({ active: 0 }).where('session_id', '=', id).execute();
    // Everyone booked is cancelled by the studio: never a late cancellation of theirs.
    const bookings = await tx
      .selectFrom('bookings')
      .select(['id', 'customer_id', 'status', 'version'])
      .where('session_id', '=', id)
      .where('status', 'in', ['pending', 'confirmed'])
      .execute();
    for (const b of bookings) {
      await tx
        .updateTable('bookings')
        .set({ status: 'cancelled', cancelled_by: 'staff', cancel_reason: reason, late_cancel: 0, version: b.version + 1, updated_at: now })
        .where('id', '=', b.id)
        .execute();
      await recordBookingEvent(tx, ctx, {
        organizationId: org,
        bookingId: b.id,
        version: b.version + 1,
        type: 'status',
        fromStatus: b.status,
        toStatus: 'cancelled',
        reason,
      });
    }
    const holds = await tx.selectFrom('holds').select('id').where('session_id', '=', id).execute();
    for (const h of holds) {
      await tx.deleteFrom('holds').where('id', '=', h.id).execute();
      await reopenOfferedEntry(tx, h.id, now);
    }
    return { id, cancelledBookings: bookings.map((b) => ({ id: b.id, customerId: b.customer_id })) };
  },
});

export const SESSION_MUTATORS = [createSession, updateSession, cancelSession] as const;
