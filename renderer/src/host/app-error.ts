/**
 * Reading an AppError back out of a failed tRPC call. The host's error formatter puts the
 * AppError's shape (code, i18n key, params, field issues) in `error.data.appError`; a call that
 * never got an answer (host down, socket closed) has no data, and reads as "cannot reach the desk
 * service". The shape crossed a process boundary, so it is checked, not trusted.
 */
import { TRPCClientError } from '@trpc/client';
import type { TFunction } from 'i18next';
import { AppError, isErrorCode, type AppErrorShape, type FieldIssue, type MessageParams } from '../../../core/errors';
import { isTextKey } from '../i18n/resources';

export const UNREACHABLE: AppErrorShape = { code: 'INTERNAL', key: 'errors.hostUnreachable' };
const INTERNAL: AppErrorShape = { code: 'INTERNAL', key: 'errors.internal' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function paramsOf(v: unknown): MessageParams | undefined {
  if (!isRecord(v)) return undefined;
  const out: MessageParams = {};
  for (const [k, p] of Object.entries(v)) if (typeof p === 'string' || typeof p === 'number') out[k] = p;
  return out;
}

function issueOf(v: unknown): FieldIssue | null {
  if (!isRecord(v) || typeof v.key !== 'string' || !Array.isArray(v.path)) return null;
  const path = v.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  const params = paramsOf(v.params);
  return params ? { path, key: v.key, params } : { path, key: v.key };
}

export function parseAppErrorShape(v: unknown): AppErrorShape | null {
  if (!isRecord(v) || !isErrorCode(v.code) || typeof v.key !== 'string') return null;
  const issues = Array.isArray(v.issues) ? v.issues.map(issueOf).filter((i): i is FieldIssue => i !== null) : [];
  return { code: v.code, key: v.key, params: paramsOf(v.params) ?? {}, issues };
}

/** The AppError behind any failure the UI may catch. */
export function appErrorOf(error: unknown): AppErrorShape {
  if (AppError.is(error)) return error.toShape();
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    if (isRecord(data)) return parseAppErrorShape(data.appError) ?? INTERNAL;
    return UNREACHABLE;
  }
  return INTERNAL;
}

/** The text for a key that came from the host; a key this UI does not know reads as a generic error. */
export function messageOf(t: TFunction, key: string, params: MessageParams = {}): string {
  return isTextKey(key) ? t(key, params) : t('errors.internal');
}

/**
 * Where a refusal's words go in a form: each issue under its field (`fieldOf` says which, or null
 * when the field is not on screen), and above the buttons the error's own message — unless an
 * issue with that same key already sits at a field — followed by the issues that have no field.
 */
export function placeError<F>(
  t: TFunction,
  error: AppErrorShape,
  fieldOf: (issue: FieldIssue) => F | null,
): { byField: Map<F, string[]>; general: string | null } {
  const byField = new Map<F, string[]>();
  const elsewhere: string[] = [];
  let ownKeyAtField = false;
  for (const issue of error.issues ?? []) {
    const field = fieldOf(issue);
    const text = messageOf(t, issue.key, issue.params);
    if (field === null) {
      elsewhere.push(text);
      continue;
    }
    byField.set(field, [...(byField.get(field) ?? []), text]);
    if (issue.key === error.key) ownKeyAtField = true;
  }
  const head = ownKeyAtField ? null : messageOf(t, error.key, error.params);
  const general = [...new Set([head, ...elsewhere].filter((s): s is string => s !== null))].join(' ');
  return { byField, general: general === '' ? null : general };
}
