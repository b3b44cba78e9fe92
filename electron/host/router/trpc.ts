/**
 * tRPC building blocks for the desk host. Auth is a procedure builder: `deskProcedure` refuses any
 * call that did not present this launch's token. The edge is the only place an AppError becomes a
 * tRPC error; the AppError's shape (code, i18n key, params, field issues) travels in
 * `error.data.appError` so the UI can show localized messages next to the right fields.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { AppError } from '../../../core/errors';
import { appErrorMiddleware, appErrorOf } from '../../../sync/trpc-edge';
import type { Actor } from '../../../core/mutator';
import type { DeviceManager } from '../devices/device-manager';
import type { Replica } from '../replica/replica';

export interface HostContext {
  replica: Replica;
  devices: DeviceManager;
  actor: Actor;
  authorized: boolean;
}

const t = initTRPC.context<HostContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const appError = appErrorOf(error);
    return { ...shape, data: { ...shape.data, appError } };
  },
});

export const router = t.router;

const appErrors = t.middleware(appErrorMiddleware);

const requireToken = t.middleware(({ ctx, next }) => {
  if (!ctx.authorized) {
    throw new TRPCError({ code: 'UNAUTHORIZED', cause: new AppError('UNAUTHORIZED', 'errors.unauthorized') });
  }
  return next();
});

export const deskProcedure = t.procedure.use(appErrors).use(requireToken);

/** Marks an input's type for the client while leaving validation to the mutator's own schema. */
export function validatedByMutator<T>() {
  return (input: unknown) => input as T;
}
