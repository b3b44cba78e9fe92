/**
 * tRPC building blocks for the desk host. Auth is a procedure builder: `deskProcedure` refuses any
 * call that did not present this launch's token. The edge is the only place an AppError becomes a
 * tRPC error; the AppError's shape (code, i18n key, params, field issues) travels in
 * `error.data.appError` so the UI can show localized messages next to the right fields.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AppError, type AppErrorShape, type ErrorCode } from '../../../core/errors';
import type { Actor } from '../../../core/mutator';
import type { DeviceManager } from '../devices/device-manager';
import type { Replica } from '../replica/replica';

export interface HostContext {
  replica: Replica;
  devices: DeviceManager;
  actor: Actor;
  authorized: boolean;
}

const TRPC_CODES: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHORIZED: 'UNAUTHORIZED',
  DEVICE_TIMEOUT: 'TIMEOUT',
  DEVICE_FAULT: 'INTERNAL_SERVER_ERROR',
  SYNC_REJECTED: 'CONFLICT',
  SCHEMA_TOO_NEW: 'PRECONDITION_FAILED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

const t = initTRPC.context<HostContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const appError: AppErrorShape = AppError.is(cause)
      ? cause.toShape()
      : error.code === 'UNAUTHORIZED'
        ? { code: 'UNAUTHORIZED', key: 'errors.unauthorized' }
        : error.code === 'BAD_REQUEST'
          ? { code: 'INVALID', key: 'errors.invalidInput' }
          : { code: 'INTERNAL', key: 'errors.internal' };
    return { ...shape, data: { ...shape.data, appError } };
  },
});

export const router = t.router;

const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && AppError.is(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.key, cause });
  }
  return result;
});

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
