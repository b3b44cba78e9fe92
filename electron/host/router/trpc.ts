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
import type { DeskSync } from '../sync/desk-sync';
import type { DeskSession } from '../auth/desk-session';

export interface HostContext {
  replica: Replica;
  devices: DeviceManager;
  sync: DeskSync;
  session: DeskSession;
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

/** What a window may call before anyone has signed in: the session, and what the shell shows. */
const WITHOUT_SIGN_IN = new Set(['auth.session', 'auth.signIn', 'auth.signOut', 'system.info', 'changes.onChange', 'sync.status', 'sync.onStatus']);

const requireStaff = t.middleware(({ ctx, path, next }) => {
  if (ctx.actor.staffId === '' && !WITHOUT_SIGN_IN.has(path)) {
    throw new TRPCError({ code: 'UNAUTHORIZED', cause: new AppError('UNAUTHORIZED', 'errors.auth.signInRequired') });
  }
  return next();
});

export const deskProcedure = t.procedure.use(appErrors).use(requireToken).use(requireStaff);

/** Marks an input's type for the client while leaving validation to the mutator's own schema. */
export function validatedByMutator<T>() {
  return (input: unknown) => input as T;
}
