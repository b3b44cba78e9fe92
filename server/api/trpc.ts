/**
 * tRPC building blocks for the server's own API (/api): a public procedure and a device procedure
 * that refuses any call whose bearer token does not resolve to an enrolled, unrevoked device.
 * AppErrors become tRPC errors only at this edge (sync/trpc-edge.ts), with their shape in
 * `error.data.appError`, like the sync endpoint and the desk host.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { IdSource } from '../../core/ids';
import type { DeviceIdentity } from '../../sync/server/store';
import { appErrorMiddleware, appErrorOf } from '../../sync/trpc-edge';
import type { Store } from '../store/store';

export interface ApiContext {
  store: Store;
  clock: Clock;
  ids: IdSource;
  /** Resolves the request's device token; null when absent, unknown or revoked. */
  device: () => Promise<DeviceIdentity | null>;
}

const t = initTRPC.context<ApiContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    return { ...shape, data: { ...shape.data, appError: appErrorOf(error, 'errors.sync.deviceToken') } };
  },
});

export const router = t.router;

export const publicProcedure = t.procedure.use(t.middleware(appErrorMiddleware));

export const deviceProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const device = await ctx.device();
  if (!device) throw new TRPCError({ code: 'UNAUTHORIZED', cause: new AppError('UNAUTHORIZED', 'errors.sync.deviceToken') });
  return next({ ctx: { device } });
});

/** Marks an input's type for the client while leaving validation to the handler's own schema. */
export function validatedByHandler<T>() {
  return (input: unknown) => input as T;
}
