/**
 * Helpers for the driver integration tests (real simulators over socat pty pairs and loopback
 * TCP). Test-only; nothing in the app imports it. Waits are generous and assertions are about
 * order and bounds, because these tests run on loaded two-core machines.
 */
import type { DriverEmitter } from './driver-status';

/** Every value of one event, with a wait for a predicate over them. */
export function record<E extends object, K extends keyof E>(emitter: DriverEmitter<E>, event: K) {
  const values: E[K][] = [];
  emitter.on(event, (v) => values.push(v));
  return {
    values,
    /** Resolves with the first value (from the start) matching, waiting for it if needed. */
    async waitFor(predicate: (value: E[K]) => boolean, timeoutMs = 15_000): Promise<E[K]> {
      await until(() => values.some(predicate), timeoutMs, `no matching ${String(event)} event`);
      return values.find(predicate)!;
    },
  };
}

/** Polls a condition every 10 ms until it holds; throws after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Keeps a rejection from counting as unhandled while the test looks at it later. */
export function settle<T>(promise: Promise<T>) {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  const done = promise.then(
    (value) => {
      outcome = { ok: true, value };
    },
    (error: unknown) => {
      outcome = { ok: false, error };
    },
  );
  return {
    done,
    get outcome() {
      return outcome;
    },
  };
}
