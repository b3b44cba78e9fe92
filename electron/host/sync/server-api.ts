/**
 * The server's /api calls a desk makes besides sync: enrolling with a one-time code and checking a
 * staff member's password. Plain tRPC-over-HTTP requests (a JSON body, `{ result: { data } }` or
 * `{ error: { data: { appError } } }` back), so the desk does not depend on the server's code.
 */
import { AppError, isErrorCode, type AppErrorShape } from '../../../core/errors';

export type { Enrolled as Enrollment, StaffProfile } from '../../../sync/identity';
import type { Enrolled as Enrollment, StaffProfile } from '../../../sync/identity';

async function call<T>(serverUrl: string, procedure: string, input: unknown, token?: string, timeoutMs = 15_000): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${serverUrl.replace(/\/+$/, '')}/api/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new AppError('UNAVAILABLE', 'errors.sync.unavailable', { detail: String((e as Error).message).slice(0, 200) });
  }
  let body: { result?: { data: T }; error?: { data?: { appError?: AppErrorShape } } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new AppError('UNAVAILABLE', 'errors.sync.unavailable', { detail: `HTTP ${res.status}` });
  }
  if (body.result) return body.result.data;
  const shape = body.error?.data?.appError;
  if (shape && isErrorCode(shape.code)) throw AppError.fromShape(shape);
  throw new AppError('UNAVAILABLE', 'errors.sync.unavailable', { detail: `HTTP ${res.status}` });
}

export function enrollWithServer(serverUrl: string, code: string, name?: string): Promise<Enrollment> {
  return call<Enrollment>(serverUrl, 'enroll', name === undefined ? { code } : { code, name });
}

export function loginWithServer(serverUrl: string, deviceToken: string, login: string, password: string): Promise<StaffProfile> {
  return call<StaffProfile>(serverUrl, 'login', { login, password }, deviceToken);
}
