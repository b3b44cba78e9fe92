/**
 * Staff passwords: argon2id (RFC 9106) with OWASP's recommended minimum (19 MiB, 2 passes, one
 * lane), about 30 ms a hash. The PHC string keeps its own parameters, so raising them later still
 * verifies the old hashes.
 *
 * Timing: argon2's verify compares in constant time, and a sign-in for a login that does not exist
 * is verified against a dummy hash with the same parameters, so an unknown login costs as long as
 * a wrong password and the answer time does not tell which logins exist.
 */
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { z } from 'zod';

// `Algorithm` is an ambient const enum, which isolatedModules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

const PARAMS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 };

/** A hash of a random password nobody knows, with PARAMS: what unknown logins are checked against. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$L7hNeduAEjll/+cVqkiz0g$ACVepx5UnKLxcNHCIIR4BVaKrntcKWWkN08zoeSfVuk';

/** Long enough to resist guessing; bounded so a huge "password" cannot cost the server much. */
export const Password = z
  .string({ message: 'errors.auth.passwordTooShort' })
  .min(8, 'errors.auth.passwordTooShort')
  .max(256, 'errors.auth.passwordTooLong');

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

/**
 * True when `password` matches `stored`. A null `stored` (no such login) still spends the time of
 * a real verification and answers false. A malformed stored hash answers false too.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  try {
    const ok = await verify(stored ?? DUMMY_HASH, password);
    return stored !== null && ok;
  } catch {
    return false;
  }
}
