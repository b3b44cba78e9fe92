/**
 * Helpers for the device integration tests (real serialport over socat pty pairs, loopback TCP).
 * Test-only; nothing in the app imports it. Timeouts are generous and assertions are about order
 * and bounds, because these tests run on loaded two-core CI machines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Transport, TransportState, TransportStateChange } from '../transport/transport';

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix = 'foyer-dev-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Records a transport's state changes; `until(state)` waits for the next change to that state. */
export function watchStates(transport: Transport) {
  const changes: TransportStateChange[] = [];
  const waiters = new Set<{ state: TransportState; resolve: (c: TransportStateChange) => void }>();
  transport.onStateChange((c) => {
    changes.push(c);
    for (const w of [...waiters]) {
      if (w.state === c.state) {
        waiters.delete(w);
        w.resolve(c);
      }
    }
  });
  return {
    changes,
    states: () => changes.map((c) => `${c.state}:${c.reason}`),
    until(state: TransportState, timeoutMs = 15_000): Promise<TransportStateChange> {
      if (transport.state === state) return Promise.resolve(changes.at(-1) ?? { state, previous: state, reason: 'opened' });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`transport did not reach ${state} within ${timeoutMs} ms (now ${transport.state})`));
        }, timeoutMs);
        const waiter = {
          state,
          resolve: (c: TransportStateChange) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        waiters.add(waiter);
      });
    },
  };
}

/** All bytes a transport receives, with a wait for a predicate on them. */
export function collectData(transport: Transport) {
  const chunks: number[] = [];
  transport.onData((b) => chunks.push(...b));
  return {
    bytes: chunks,
    async waitFor(predicate: (bytes: number[]) => boolean, timeoutMs = 10_000): Promise<number[]> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(chunks)) {
        if (Date.now() > deadline) throw new Error(`data not received in ${timeoutMs} ms; got ${chunks.length} bytes`);
        await sleep(10);
      }
      return chunks;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Measures how long a promise takes to settle, and how. */
export async function timed<T>(start: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const t0 = performance.now();
  try {
    const value = await start();
    return { ms: performance.now() - t0, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}
