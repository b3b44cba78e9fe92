/**
 * The sync endpoint a desk talks to: push, pull, pokes, and the server's clock and versions. The
 * server mounts it (HTTP and WebSocket) and supplies, per request, the device its token names;
 * a missing, unknown or revoked token gets UNAUTHORIZED before any work. Desks import its type.
 */
import { EventEmitter, on } from 'node:events';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { PROTOCOL_VERSION, SCHEMA_VERSION, MIN_PROTOCOL_VERSION, MIN_SCHEMA_VERSION } from '../protocol';
import { appErrorMiddleware, appErrorOf } from '../trpc-edge';
import { handlePull } from './pull';
import { handlePush, type PushDeps } from './push';
import type { DeviceIdentity } from './store';

/** Fans pokes out to the subscriptions of one organization on this instance. */
export class PokeHub {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  poke(organizationId: string, version: number): void {
    this.emitter.emit(organizationId, version);
  }
  events(organizationId: string, signal: AbortSignal | undefined): AsyncIterable<[number]> {
    return on(this.emitter, organizationId, { signal }) as AsyncIterable<[number]>;
  }
  listenerCount(organizationId: string): number {
    return this.emitter.listenerCount(organizationId);
  }
}

export interface SyncContext {
  deps: PushDeps;
  pokes: PokeHub;
  /** Resolves the request's device token; null when absent, unknown or revoked. */
  device: () => Promise<DeviceIdentity | null>;
}

const t = initTRPC.context<SyncContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    return { ...shape, data: { ...shape.data, appError: appErrorOf(error, 'errors.sync.deviceToken') } };
  },
});

const deviceProcedure = t.procedure.use(t.middleware(appErrorMiddleware)).use(async ({ ctx, next }) => {
  const device = await ctx.device();
  if (!device) throw new TRPCError({ code: 'UNAUTHORIZED', cause: new AppError('UNAUTHORIZED', 'errors.sync.deviceToken') });
  return next({ ctx: { device } });
});

export const syncRouter = t.router({
  /** Public: what a desk checks before anything else (and how it measures its clock error). */
  hello: t.procedure.query(({ ctx }) => ({
    serverTime: ctx.deps.clock.now(),
    protocolVersion: PROTOCOL_VERSION,
    schemaVersion: SCHEMA_VERSION,
    minProtocolVersion: MIN_PROTOCOL_VERSION,
    minSchemaVersion: MIN_SCHEMA_VERSION,
  })),
  push: deviceProcedure.input(z.unknown()).mutation(({ ctx, input }) => handlePush(ctx.deps, ctx.device, input)),
  // A mutation, not a query: the request carries the desk's position and must never be cached.
  pull: deviceProcedure.input(z.unknown()).mutation(({ ctx, input }) => handlePull(ctx.deps.store, ctx.device, input)),
  /** "Pull now": one event per change committed for the device's organization, on any instance. */
  onPoke: deviceProcedure.subscription(async function* ({ ctx, signal }) {
    try {
      for await (const [version] of ctx.pokes.events(ctx.device.organizationId, signal)) yield { version };
    } catch (e) {
      if (!signal?.aborted) throw e;
    }
  }),
});

export type SyncRouter = typeof syncRouter;
