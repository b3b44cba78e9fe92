/**
 * The edge between AppError and tRPC, shared by the desk host's router and the server's: an
 * AppError thrown by a procedure becomes a tRPC error of the matching code, and its shape (code,
 * message key, params, field issues) travels in `error.data.appError`, so every client shows the
 * same localized words.
 */
import { TRPCError, type AnyTRPCMiddlewareFunction } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AppError, type AppErrorShape, type ErrorCode } from '../core/errors';

export const TRPC_CODES: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHORIZED: 'UNAUTHORIZED',
  DEVICE_TIMEOUT: 'TIMEOUT',
  DEVICE_FAULT: 'INTERNAL_SERVER_ERROR',
  SYNC_REJECTED: 'CONFLICT',
  SCHEMA_TOO_NEW: 'PRECONDITION_FAILED',
  UPGRADE_REQUIRED: 'PRECONDITION_FAILED',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** The AppError shape of any error a procedure ended with. */
export function appErrorOf(error: TRPCError, unauthorizedKey = 'errors.unauthorized'): AppErrorShape {
  const cause = error.cause;
  if (AppError.is(cause)) return cause.toShape();
  if (error.code === 'UNAUTHORIZED') return { code: 'UNAUTHORIZED', key: unauthorizedKey };
  if (error.code === 'BAD_REQUEST' || error.code === 'PAYLOAD_TOO_LARGE') return { code: 'INVALID', key: 'errors.invalidInput' };
  // A procedure that does not exist, or called the wrong way: the caller's mistake, not a fault.
  if (error.code === 'NOT_FOUND' || error.code === 'METHOD_NOT_SUPPORTED') return { code: 'INVALID', key: 'errors.request.invalid' };
  return { code: 'INTERNAL', key: 'errors.internal' };
}

/** A middleware turning an AppError thrown below into the tRPC error of its code. */
export const appErrorMiddleware: AnyTRPCMiddlewareFunction = async ({ next }) => {
  const result = await next();
  if (!result.ok && AppError.is(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.key, cause });
  }
  return result;
};
