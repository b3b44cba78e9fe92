/**
 * Scheduling for the desk UI: the calendar window, a booking with its history, "find a slot",
 * the catalogue (site rules, departments, resources, services), class rosters and the waitlist;
 * previews that show consequences before a write (a series' conflicts, the bookings a "close now"
 * hits); and the scheduling mutators, run through the replica (permission, validation, rules,
 * outbox in one transaction).
 *
 * `mutate` takes a mutator name from a fixed list and its arguments; the host supplies new ids
 * where the UI leaves them out, so ids stay time-ordered UUIDv7 from the desk's id source.
 */
import { z } from 'zod';
import type { Tx } from '../../../core/db-schema';
import { setBlacklist } from '../../../core/customers/customer.mutators';
import {
  PreviewSeriesArgs,
  addClosure,
  addToWaitlist,
  cancelSession,
  closeNow,
  createBooking,
  createDepartment,
  createHold,
  createResource,
  createService,
  createSession,
  markNoShows,
  offerFromWaitlist,
  previewBookingSeries,
  previewCloseNow,
  purgeExpiredHolds,
  releaseHold,
  removeClosure,
  removeFromWaitlist,
  reopen,
  rescheduleBooking,
  setSpecialDay,
  transitionBooking,
  updateDepartment,
  updateResource,
  updateService,
  updateSession,
  updateSiteSettings,
  updateWaitlist,
  walkIn,
} from '../../../core/scheduling';
import { LocalDate } from '../../../core/time';
import { parseOrThrow } from '../../../core/validation';
import { bookingDetail, calendarData, catalog, findSlots, sessionRoster, waitlist } from '../replica/scheduling.queries';
import { deskProcedure, router, validatedByMutator } from './trpc';

const MUTATORS = {
  'booking.create': createBooking,
  'booking.walkIn': walkIn,
  'booking.reschedule': rescheduleBooking,
  'booking.transition': transitionBooking,
  'booking.markNoShows': markNoShows,
  'hold.create': createHold,
  'hold.release': releaseHold,
  'hold.purgeExpired': purgeExpiredHolds,
  'waitlist.add': addToWaitlist,
  'waitlist.update': updateWaitlist,
  'waitlist.remove': removeFromWaitlist,
  'waitlist.offer': offerFromWaitlist,
  'site.updateSettings': updateSiteSettings,
  'site.setSpecialDay': setSpecialDay,
  'site.addClosure': addClosure,
  'site.removeClosure': removeClosure,
  'site.closeNow': closeNow,
  'site.reopen': reopen,
  'department.create': createDepartment,
  'department.update': updateDepartment,
  'resource.create': createResource,
  'resource.update': updateResource,
  'service.create': createService,
  'service.update': updateService,
  'classSession.create': createSession,
  'classSession.update': updateSession,
  'classSession.cancel': cancelSession,
  'customer.setBlacklist': setBlacklist,
} as const;

type Mutators = typeof MUTATORS;
export type SchedulingMutatorName = keyof Mutators;

/** A required id field the UI may leave out (the host makes one where it names a new row). */
type OptionalId<T, K extends string> = T extends Record<K, string> ? Omit<T, K> & Partial<Record<K, string>> : T;

export type SchedulingMutation = {
  [K in SchedulingMutatorName]: { name: K; args: OptionalId<OptionalId<z.input<Mutators[K]['args']>, 'id'>, 'holdId'> };
}[SchedulingMutatorName];

/**
 * The argument that names a new row, per mutator that makes one (the others' `id` names an
 * existing row and is required): an offer's `id` is its waitlist entry, its new row the hold.
 */
const NEW_ID_FIELD: ReadonlyMap<SchedulingMutatorName, 'id' | 'holdId'> = new Map([
  ['booking.create', 'id'],
  ['booking.walkIn', 'id'],
  ['hold.create', 'id'],
  ['waitlist.add', 'id'],
  ['waitlist.offer', 'holdId'],
  ['department.create', 'id'],
  ['resource.create', 'id'],
  ['service.create', 'id'],
  ['classSession.create', 'id'],
  ['site.closeNow', 'id'],
]);

const MutationInput = z.object({ name: z.enum(Object.keys(MUTATORS) as [SchedulingMutatorName, ...SchedulingMutatorName[]]), args: z.unknown() });

const CalendarQuery = z.object({ siteId: z.string().min(1), from: LocalDate, to: LocalDate });

export const schedulingRouter = router({
  calendar: deskProcedure.input(CalendarQuery).query(({ ctx, input }) => calendarData(ctx.replica.db, ctx.actor, input)),

  booking: deskProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => bookingDetail(ctx.replica.db, ctx.actor, input.id)),

  catalog: deskProcedure.input(z.object({ siteId: z.string().min(1) })).query(({ ctx, input }) => catalog(ctx.replica.db, ctx.actor, input.siteId)),

  roster: deskProcedure.input(z.object({ sessionId: z.string().min(1) })).query(({ ctx, input }) => sessionRoster(ctx.replica.db, ctx.actor, input.sessionId)),

  waitlist: deskProcedure
    .input(z.object({ siteId: z.string().min(1), statuses: z.array(z.enum(['waiting', 'offered', 'booked', 'removed'])).min(1).max(4).optional() }))
    .query(({ ctx, input }) => waitlist(ctx.replica.db, ctx.actor, input.siteId, input.statuses)),

  findSlots: deskProcedure
    .input(
      z.object({
        siteId: z.string().min(1),
        serviceId: z.string().min(1),
        from: LocalDate.optional(),
        days: z.number().int().min(1).max(42).default(14),
        resourceId: z.string().min(1).optional(),
        partOfDay: z.enum(['morning', 'afternoon', 'evening']).optional(),
        limit: z.number().int().min(1).max(50).default(8),
      }),
    )
    .query(({ ctx, input }) => findSlots(ctx.replica.db, ctx.actor, { ...input, now: ctx.replica.now() })),

  /** A weekly series' occurrences with their conflicts, before anything is saved. */
  previewSeries: deskProcedure.input(validatedByMutator<z.input<typeof PreviewSeriesArgs>>()).query(({ ctx, input }) =>
    previewBookingSeries(ctx.replica.db as unknown as Tx, { actor: ctx.actor, clock: { now: () => ctx.replica.now() } }, parseOrThrow(PreviewSeriesArgs, input)),
  ),

  /** The active bookings an emergency closure would hit, before it is confirmed. */
  previewCloseNow: deskProcedure
    .input(z.object({ siteId: z.string().min(1), start: z.number().int().optional(), end: z.number().int() }))
    .query(({ ctx, input }) => previewCloseNow(ctx.replica.db as unknown as Tx, { actor: ctx.actor, clock: { now: () => ctx.replica.now() } }, input)),

  mutate: deskProcedure.input(validatedByMutator<SchedulingMutation>()).mutation(({ ctx, input }) => {
    const { name, args } = parseOrThrow(MutationInput, input);
    const field = NEW_ID_FIELD.get(name);
    const withId =
      field !== undefined && typeof args === 'object' && args !== null && !(field in args && typeof (args as Record<string, unknown>)[field] === 'string')
        ? { ...args, [field]: ctx.replica.newId() }
        : args;
    return ctx.replica.mutate<unknown>(name, withId, ctx.actor);
  }),

  /** A weekly series: the host makes the series id and one booking id per occurrence. */
  createSeries: deskProcedure
    .input(validatedByMutator<Omit<z.input<typeof PreviewSeriesArgs>, 'count'> & { count: number; skipConflicts?: boolean; notes?: string; overrideReason?: string }>())
    .mutation(({ ctx, input }) => {
      const { count, ...rest } = parseOrThrow(z.looseObject({ count: z.number().int().min(2, 'errors.series.count').max(52, 'errors.series.count') }), input);
      const ids = Array.from({ length: count }, () => ctx.replica.newId());
      return ctx.replica.mutate<unknown>('booking.createSeries', { ...rest, seriesId: ctx.replica.newId(), ids }, ctx.actor);
    }),
});
