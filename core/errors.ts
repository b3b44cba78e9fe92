/**
 * AppError: the one error type the domain throws. Its `code` is a closed union so callers can
 * switch on it exhaustively; `key` names a message in core/i18n so every layer (desk UI, CLI,
 * server) shows the same words in the user's language. Only router edges convert it to
 * transport errors (tRPC, HTTP).
 */
export const ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHORIZED',
  'DEVICE_TIMEOUT',
  'DEVICE_FAULT',
  'SYNC_REJECTED',
  'SCHEMA_TOO_NEW',
  'UPGRADE_REQUIRED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type MessageParams = Record<string, string | number>;

/** A problem with one input field, e.g. `{ path: ['phone'], key: 'errors.phone.invalid' }`. */
export interface FieldIssue {
  path: (string | number)[];
  key: string;
  params?: MessageParams;
}

export interface AppErrorShape {
  code: ErrorCode;
  key: string;
  params?: MessageParams;
  issues?: FieldIssue[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly key: string;
  readonly params: MessageParams;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, key: string, params: MessageParams = {}, issues: FieldIssue[] = []) {
    super(`${code}: ${key}${Object.keys(params).length ? ' ' + JSON.stringify(params) : ''}`);
    this.name = 'AppError';
    this.code = code;
    this.key = key;
    this.params = params;
    this.issues = issues;
  }

  toShape(): AppErrorShape {
    return { code: this.code, key: this.key, params: this.params, issues: this.issues };
  }

  static is(e: unknown): e is AppError {
    return e instanceof AppError;
  }

  /** Rebuilds an AppError from its serialised shape (e.g. after crossing a process boundary). */
  static fromShape(s: AppErrorShape): AppError {
    return new AppError(s.code, s.key, s.params ?? {}, s.issues ?? []);
  }
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}
