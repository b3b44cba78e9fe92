/**
 * The desk host's tRPC router: what every window of the UI may call. The renderer imports only its
 * type (`import type { HostRouter }`).
 */
import { EventEmitter, on } from 'node:events';
import type { ChangeEvent } from '../replica/replica';
import { customersRouter } from './customers.router';
import { devicesRouter } from './devices.router';
import { schedulingRouter } from './scheduling.router';
import { deskProcedure, router } from './trpc';

export const appRouter = router({
  system: router({
    info: deskProcedure.query(async ({ ctx }) => {
      const org = await ctx.replica.db
        .selectFrom('organizations')
        .select(['id', 'name'])
        .where('id', '=', ctx.actor.organizationId)
        .executeTakeFirst();
      const sites = await ctx.replica.db
        .selectFrom('sites')
        .select(['id', 'name', 'kind', 'time_zone as timeZone'])
        .where('organization_id', '=', ctx.actor.organizationId)
        .orderBy('name')
        .execute();
      return {
        organization: org ?? null,
        sites,
        clientId: ctx.replica.clientId,
        actor: ctx.actor,
        outbox: await ctx.replica.outboxHealth(),
      };
    }),
  }),
  customers: customersRouter,
  devices: devicesRouter,
  scheduling: schedulingRouter,
  changes: router({
    /** One event per committed change; windows turn it into query invalidations. */
    onChange: deskProcedure.subscription(async function* ({ ctx, signal }) {
      const emitter = new EventEmitter();
      const off = ctx.replica.onChange((e) => emitter.emit('change', e));
      try {
        for await (const [e] of on(emitter, 'change', { signal })) {
          yield e as ChangeEvent;
        }
      } catch (e) {
        if (!signal?.aborted) throw e;
      } finally {
        off();
      }
    }),
  }),
});

export type HostRouter = typeof appRouter;
