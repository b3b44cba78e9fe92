/**
 * The desk host's tRPC router: what every window of the UI may call. The renderer imports only its
 * type (`import type { HostRouter }`).
 */
import { EventEmitter, on } from 'node:events';
import type { ChangeEvent } from '../replica/replica';
import { customersRouter } from './customers.router';
import { devicesRouter } from './devices.router';
import { schedulingRouter } from './scheduling.router';
import { syncRouter } from './sync.router';
import { authRouter } from './auth.router';
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
        .$if(ctx.actor.siteId !== null, (q) => q.where('id', '=', ctx.actor.siteId!))
        .orderBy('name')
        .execute();
      return {
        organization: org ?? null,
        /** The sites this staff member may work on: all of the organization's, or their own. */
        sites,
        /** The site this desk stands at, which the UI opens on. */
        deskSiteId: ctx.replica.getMeta('site_id'),
        clientId: ctx.replica.clientId,
        actor: ctx.actor,
        outbox: await ctx.replica.outboxHealth(),
      };
    }),
  }),
  customers: customersRouter,
  devices: devicesRouter,
  scheduling: schedulingRouter,
  sync: syncRouter,
  auth: authRouter,
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
