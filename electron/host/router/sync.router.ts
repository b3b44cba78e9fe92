/**
 * The desk's sync as the UI sees it: the status (online, syncing, offline since …, changes
 * waiting, the last error, first-sync progress) live over a subscription, "Sync now", and the
 * conflict inbox with its two actions: rebook at one of the alternatives, or dismiss.
 */
import { EventEmitter, on } from 'node:events';
import { z } from 'zod';
import { AppError } from '../../../core/errors';
import { can } from '../../../core/permissions';
import { conflictEntry, conflictInbox, resolveConflict } from '../sync/conflicts';
import type { DeskSyncStatus } from '../sync/desk-sync';
import { deskProcedure, router } from './trpc';

const Id = z.uuid({ message: 'errors.id.invalid' });

export const syncRouter = router({
  status: deskProcedure.query(({ ctx }) => ctx.sync.status()),

  onStatus: deskProcedure.subscription(async function* ({ ctx, signal }) {
    const emitter = new EventEmitter();
    const off = ctx.sync.onStatus((s) => emitter.emit('status', s));
    try {
      yield ctx.sync.status();
      for await (const [s] of on(emitter, 'status', { signal })) yield s as DeskSyncStatus;
    } catch (e) {
      if (!signal?.aborted) throw e;
    } finally {
      off();
    }
  }),

  syncNow: deskProcedure.mutation(({ ctx }) => ctx.sync.syncNow()),

  conflicts: deskProcedure
    .input(z.object({ includeResolved: z.boolean().default(false) }).default({ includeResolved: false }))
    .query(({ ctx, input }) => conflictInbox(ctx.replica, ctx.actor, { now: ctx.replica.now(), includeResolved: input.includeResolved })),

  dismiss: deskProcedure.input(z.object({ mutationId: z.number().int().positive() })).mutation(({ ctx, input }) => {
    resolveConflict(ctx.replica, input.mutationId, 'dismissed', ctx.actor, ctx.replica.now());
    ctx.sync.conflictsChanged();
    return { mutationId: input.mutationId };
  }),

  /** Books what a rejected booking wanted at one of its alternatives, and closes the conflict. */
  rebook: deskProcedure
    .input(z.object({ mutationId: z.number().int().positive(), start: z.number().int(), resourceIds: z.array(Id).min(1).max(8), id: Id.optional() }))
    .mutation(async ({ ctx, input }) => {
      if (!can(ctx.actor.role, 'booking.write')) throw new AppError('FORBIDDEN', 'errors.forbidden', { action: 'booking.create' });
      const entry = await conflictEntry(ctx.replica, ctx.actor, input.mutationId, ctx.replica.now());
      if (!entry || entry.resolution !== null) throw new AppError('NOT_FOUND', 'errors.sync.conflictGone', { id: input.mutationId });
      if (!entry.booking) throw new AppError('INVALID', 'errors.sync.notABooking');
      const customerId = typeof entry.args.customerId === 'string' ? entry.args.customerId : null;
      if (!customerId) throw new AppError('INVALID', 'errors.sync.notABooking');
      const id = input.id ?? ctx.replica.newId();
      await ctx.replica.mutate(
        'booking.create',
        {
          id,
          serviceId: entry.booking.serviceId,
          customerId,
          start: input.start,
          resourceIds: input.resourceIds,
          notes: typeof entry.args.notes === 'string' ? entry.args.notes : '',
          acknowledgeCustomerOverlap: entry.args.acknowledgeCustomerOverlap === true,
          ...(typeof entry.args.overrideReason === 'string' ? { overrideReason: entry.args.overrideReason } : {}),
        },
        ctx.actor,
      );
      resolveConflict(ctx.replica, input.mutationId, 'rebooked', ctx.actor, ctx.replica.now());
      ctx.sync.conflictsChanged();
      return { id };
    }),
});
