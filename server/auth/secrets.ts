/**
 * The two secrets the server hands out, and how it keeps them: only their SHA-256, so a copy of
 * the database does not let anyone act as a desk.
 *
 * - Device tokens: 32 random bytes in base64url (43 characters), the desk's bearer token for
 *   every request. 256 bits need no salt or slow hash: they cannot be guessed.
 * - Enrollment codes: typed by a person from a screen or a slip of paper, so short: 10 characters
 *   from an alphabet without look-alikes (no 0/O, 1/I/L), shown as XXXXX-XXXXX. 31^10 ≈ 2^49.5
 *   codes, each valid once and for a day at most, leaves nothing to guess online.
 */
import { createHash, randomBytes } from 'node:crypto';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;
const TOKEN_BYTES = 32;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function newDeviceToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Whether a string could be a token at all: anything else is refused without a database query. */
export function looksLikeToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

/** A new enrollment code, grouped for reading aloud: `7KQ2M-XH9PA`. */
export function newEnrollmentCode(): string {
  // Uniform over the alphabet: bytes at or above the largest multiple of its size are drawn again.
  const limit = 256 - (256 % CODE_ALPHABET.length);
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const b of randomBytes(CODE_LENGTH * 2)) {
      if (b < limit && code.length < CODE_LENGTH) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
    }
  }
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * The code as typed, made canonical: case, spaces and dashes do not matter. Null when it cannot be
 * a code (wrong length, a character outside the alphabet).
 */
export function normalizeEnrollmentCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** What the database keeps of a code: the hash of its canonical form. */
export function enrollmentCodeHash(canonical: string): string {
  return sha256(`enroll:${canonical}`);
}
