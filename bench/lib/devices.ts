/**
 * Rigs for the device benchmarks: socat pty pairs (devices/sim/pty-pair.ts) with a simulator on one
 * end and a driver over the real SerialTransport (serialport bindings) on the other, as the
 * devices' *.int.test.ts files wire them, plus a cleanup stack that tears everything down in
 * reverse order (drivers before simulators before socat) also when a benchmark fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPtyPair, type PtyPair } from '../../devices/sim/pty-pair';
import { SerialTransport } from '../../devices/transport/serial.transport';

export class Rig {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-dev-'));
  readonly #cleanups: (() => Promise<void> | void)[] = [() => rmSync(this.dir, { recursive: true, force: true })];

  /** Runs `fn` at close(), before everything registered earlier. */
  defer(fn: () => Promise<void> | void): void {
    this.#cleanups.push(fn);
  }

  /** A socat pty pair with links DIR/<name>-sim (the simulator's end) and DIR/<name>-host (the driver's). */
  async ptyPair(name: string): Promise<PtyPair> {
    const pair = await createPtyPair({ dir: this.dir, names: [`${name}-sim`, `${name}-host`] });
    this.defer(() => pair.close());
    return pair;
  }

  async close(): Promise<void> {
    for (const c of this.#cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch {
        // keep tearing down the rest
      }
    }
  }
}

/**
 * The driver's end of a pair, as the integration tests open it. The port list is not consulted
 * (`listPorts` returns nothing): a pty has no USB identity, and listing only runs at connect.
 */
export function serialTransport(pathName: string, baudRate: number): SerialTransport {
  return new SerialTransport({ path: pathName, baudRate, listPorts: async () => [] });
}

/** Bytes × bits per character (start + 8 data + stop for 8N1) / baud, in ms. */
export function wireMs(bytes: number, baudRate: number, bitsPerChar = 10): number {
  return (bytes * bitsPerChar * 1000) / baudRate;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when `predicate` holds (checked every 2 ms); rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await sleep(2);
  }
}
