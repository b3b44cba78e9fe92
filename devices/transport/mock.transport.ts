/**
 * An in-memory Transport for driver unit tests: it records writes, lets the test inject bytes
 * from the "device", answer writes automatically, and drive the state machine by hand
 * (disconnect, reconnect, fail). It keeps the contract of the real transports (see
 * transport.ts): write() rejects at once when not open, a stalled write rejects with
 * DEVICE_TIMEOUT after `writeTimeoutMs`, pending writes fail when the link is lost or closed.
 * All delays are plain timers, so vitest's fake timers drive them.
 */
import type { AppError } from '../../core/errors';
import {
  Listeners,
  closedError,
  disconnectedError,
  notConnectedError,
  timeoutError,
  type Transport,
  type TransportChangeReason,
  type TransportState,
  type TransportStateChange,
} from './transport';

export interface MockTransportOptions {
  description?: string;
  /** Bound of a stalled write. Default 1000 ms. */
  writeTimeoutMs?: number;
}

/** Answers a write with bytes from the device (or nothing). */
export type MockResponder = (written: Uint8Array) => Uint8Array | readonly Uint8Array[] | undefined;

interface PendingWrite {
  fail(error: AppError): void;
}

export class MockTransport implements Transport {
  readonly description: string;
  /** Every write that was accepted, in order. */
  readonly writes: Uint8Array[] = [];
  readonly #writeTimeoutMs: number;
  readonly #data = new Listeners<Uint8Array>();
  readonly #changes = new Listeners<TransportStateChange>();
  readonly #pending = new Set<PendingWrite>();
  #state: TransportState = 'closed';
  #responder: MockResponder | undefined;
  #nextOpenError: AppError | undefined;
  #nextWriteError: AppError | undefined;
  #stalled = false;

  constructor(options: MockTransportOptions = {}) {
    this.description = options.description ?? 'mock';
    this.#writeTimeoutMs = options.writeTimeoutMs ?? 1000;
  }

  get state(): TransportState {
    return this.#state;
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    return this.#data.add(listener);
  }

  onStateChange(listener: (change: TransportStateChange) => void): () => void {
    return this.#changes.add(listener);
  }

  async open(): Promise<void> {
    if (this.#state === 'open') return;
    const error = this.#nextOpenError;
    this.#nextOpenError = undefined;
    if (this.#state !== 'reconnecting') this.#set('connecting', 'open-requested');
    if (error !== undefined) {
      this.#set('failed', 'open-failed', error);
      throw error;
    }
    this.#set('open', 'opened');
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#state !== 'open') return Promise.reject(notConnectedError(this.description));
    const error = this.#nextWriteError;
    this.#nextWriteError = undefined;
    if (error !== undefined) {
      this.#lose('write-failed', error);
      return Promise.reject(error);
    }
    if (this.#stalled) {
      return new Promise<void>((_resolve, reject) => {
        const pending: PendingWrite = {
          fail: (e) => {
            clearTimeout(timer);
            this.#pending.delete(pending);
            reject(e);
          },
        };
        const timer = setTimeout(() => {
          const e = timeoutError(this.description);
          pending.fail(e);
          this.#lose('write-timeout', e);
        }, this.#writeTimeoutMs);
        this.#pending.add(pending);
      });
    }
    const copy = bytes.slice();
    this.writes.push(copy);
    const responder = this.#responder;
    if (responder !== undefined) {
      // Like a device, the answer comes after the write has returned.
      setTimeout(() => {
        if (this.#state !== 'open') return;
        const reply = responder(copy);
        if (reply === undefined) return;
        for (const chunk of reply instanceof Uint8Array ? [reply] : reply) this.#data.emit(chunk);
      }, 0);
    }
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#failPending(closedError(this.description));
    this.#set('closed', 'closed');
  }

  // ---- test controls ----------------------------------------------------------------------------

  /** All accepted writes concatenated. */
  written(): Uint8Array {
    const out = new Uint8Array(this.writes.reduce((n, w) => n + w.length, 0));
    let at = 0;
    for (const w of this.writes) {
      out.set(w, at);
      at += w.length;
    }
    return out;
  }

  clearWrites(): void {
    this.writes.length = 0;
  }

  /** Bytes from the device. Ignored unless open, as a real port would not deliver them. */
  receive(bytes: Uint8Array | readonly number[]): void {
    if (this.#state === 'open') this.#data.emit(Uint8Array.from(bytes));
  }

  /** Answer each write with the responder's bytes (after a zero timer). `undefined` stops answering. */
  respond(responder: MockResponder | undefined): void {
    this.#responder = responder;
  }

  /** The device goes away: state 'reconnecting', pending writes fail with errors.device.disconnected. */
  disconnect(reason: 'disconnected' | 'peer-closed' = 'disconnected'): void {
    this.#lose(reason, disconnectedError(this.description));
  }

  /** The device is back: state 'open'. */
  reconnect(): void {
    if (this.#state === 'closed') return;
    this.#set('open', 'opened');
  }

  /** The next open() fails with this error (state 'failed'). */
  failNextOpen(error: AppError): void {
    this.#nextOpenError = error;
  }

  /** The next write fails with this error, and the link is lost as with a real transport. */
  failNextWrite(error: AppError): void {
    this.#nextWriteError = error;
  }

  /** While stalled, writes never complete: each fails with DEVICE_TIMEOUT after writeTimeoutMs. */
  stall(stalled = true): void {
    this.#stalled = stalled;
  }

  #lose(reason: TransportChangeReason, error: AppError): void {
    if (this.#state !== 'open') return;
    this.#failPending(error);
    this.#set('reconnecting', reason, error);
  }

  #failPending(error: AppError): void {
    for (const p of [...this.#pending]) p.fail(error);
  }

  #set(state: TransportState, reason: TransportChangeReason, error?: AppError): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#changes.emit(error === undefined ? { state, previous, reason } : { state, previous, reason, error });
  }
}
