/**
 * Ids are UUIDv7 (RFC 9562): 48 bits of milliseconds, then a 31-bit counter seeded from random
 * bits, then random bits. Sortable by creation time and safe to create offline on many desks.
 * The clock and the random source are injected; the counter keeps ids strictly increasing per
 * source even when several are made in one millisecond or the clock steps back.
 */
import { v7 } from 'uuid';
import type { Clock } from './clock';

export interface IdSource {
  newId(): string;
}

/** `random(n)` must return n cryptographically random bytes (the host passes crypto.getRandomValues). */
export type RandomBytes = (n: number) => Uint8Array;

export function createIdSource(clock: Clock, random: RandomBytes): IdSource {
  let lastMs = -Infinity;
  let seq = 0;
  return {
    newId() {
      const rnd = random(16);
      const now = clock.now();
      if (now > lastMs) {
        lastMs = now;
        // Start the counter in the lower half of its range so increments rarely overflow.
        seq = ((rnd[6]! << 22) | (rnd[7]! << 14) | (rnd[8]! << 6) | (rnd[9]! >> 2)) >>> 1;
      } else {
        seq = (seq + 1) | 0;
        if (seq === 0) lastMs += 1;
      }
      return v7({ msecs: lastMs, seq, random: rnd });
    },
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}
