/**
 * Scanner driver: a serial (RS-232, USB-COM) or TCP barcode/QR scanner on a Transport, framed by
 * the protocol's LineFramer into codes.
 *
 * Duplicates: a code read again within `duplicateWindowMs` of its previous read is suppressed (a
 * 'duplicate' event, no 'scan'). The window slides: it is measured from the last read of that
 * code, suppressed or not, so a phone left under a scanner in presentation mode (re-read every few
 * hundred ms) gives one scan however long it lies there, and scans again once taken away for the
 * window. Different codes are never suppressed.
 *
 * Garbage: bytes that are not a code (line noise when a cable is plugged in, a wrong baud rate)
 * must not be taken for one, nor be glued to the front of the next real code. So a partial code
 * that gets no terminator within `partialTimeoutMs` is dropped (scanners send a code in one burst),
 * bytes left from a previous connection are dropped, and a "code" with bytes that do not decode or
 * with control characters other than the GS1 separators (GS, RS, EOT) is reported as 'rejected'
 * (errors.device.scanner.unreadable: usually the baud rate or the scanner's encoding setting).
 *
 * Status: a scanner says nothing until something is scanned, so there is no liveness check:
 * 'ready' means the port is open. A code too long for the framer (a stuck trigger, a scanner in
 * a continuous mode) is a warning until the next good code.
 */
import type { MessageParams } from '../../core/errors';
import { LineFramer, type LineFramerOptions } from '../protocol/scanner.codec';
import { closedError, type Transport, type TransportStateChange } from '../transport/transport';
import { DriverEmitter, StatusCell, systemClock, type DriverClock, type DriverStatus, type TimerHandle } from './driver-status';

export interface ScannerEvents {
  status: DriverStatus;
  scan: { code: string; at: number };
  /** The same code again within the window: not reported as a scan. */
  duplicate: { code: string; at: number; sinceLastMs: number };
  /** Bytes that were not a usable code. */
  rejected: { reasonKey: string; params: MessageParams; at: number };
}

export interface ScannerDriverOptions {
  transport: Transport;
  clock?: DriverClock;
  /** Terminator, prefix/suffix, encoding, maximum length (see LineFramer). */
  framer?: LineFramerOptions;
  /** Default 1500 ms; 0 turns suppression off. */
  duplicateWindowMs?: number;
  /** A partial code with no terminator for this long is dropped. Default 2000 ms. */
  partialTimeoutMs?: number;
}

// Control characters other than the GS1 separators EOT (04), GS (1D), RS (1E); U+FFFD marks bytes
// that did not decode.
// eslint-disable-next-line no-control-regex
const UNREADABLE = /[\u0000-\u0003\u0005-\u001c\u001f\u007f\ufffd]/;

export class ScannerDriver extends DriverEmitter<ScannerEvents> {
  readonly #transport: Transport;
  readonly #clock: DriverClock;
  readonly #framerOptions: LineFramerOptions;
  readonly #windowMs: number;
  readonly #partialTimeoutMs: number;
  readonly #status: StatusCell;
  readonly #lastRead = new Map<string, number>();
  readonly #unsubscribe: (() => void)[] = [];
  #framer: LineFramer;
  #partialTimer: TimerHandle | undefined;
  #started = false;
  #closing = false;

  constructor(options: ScannerDriverOptions) {
    super();
    this.#transport = options.transport;
    this.#clock = options.clock ?? systemClock();
    this.#framerOptions = options.framer ?? {};
    this.#framer = new LineFramer(this.#framerOptions);
    this.#windowMs = options.duplicateWindowMs ?? 1500;
    this.#partialTimeoutMs = options.partialTimeoutMs ?? 2000;
    this.#status = new StatusCell(this.#clock, (s) => this.emit('status', s));
  }

  get description(): string {
    return this.#transport.description;
  }

  get status(): DriverStatus {
    return this.#status.value;
  }

  /** Opens the transport; device problems are in the status. */
  async start(): Promise<DriverStatus> {
    if (this.#closing) throw closedError(this.description);
    if (!this.#started) {
      this.#started = true;
      this.#unsubscribe.push(
        this.#transport.onData((b) => this.#onData(b)),
        this.#transport.onStateChange((c) => this.#onTransport(c)),
      );
      this.#status.set(this.#transport.state === 'open' ? 'ready' : 'connecting');
    }
    try {
      await this.#transport.open();
    } catch {
      // In the status through the state change; the transport retries by itself.
    }
    return this.status;
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#clearPartial();
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#transport.close();
    this.#status.set('disconnected');
  }

  #onData(bytes: Uint8Array): void {
    if (this.#closing) return;
    for (const e of this.#framer.push(bytes)) {
      const at = this.#clock.now();
      if (e.kind === 'overflow') {
        const params = { device: this.description, bytes: e.droppedBytes };
        this.#status.set('warning', 'errors.device.scanner.overflow', params);
        this.emit('rejected', { reasonKey: 'errors.device.scanner.overflow', params, at });
        continue;
      }
      if (UNREADABLE.test(e.code)) {
        this.emit('rejected', { reasonKey: 'errors.device.scanner.unreadable', params: { device: this.description }, at });
        continue;
      }
      this.#status.set('ready');
      this.#accept(e.code, at);
    }
    // Bytes left in the framer are the start of a code; a scanner sends the rest at once.
    this.#clearPartial();
    this.#partialTimer = this.#clock.setTimeout(() => {
      this.#partialTimer = undefined;
      this.#framer.reset();
    }, this.#partialTimeoutMs);
  }

  #accept(code: string, at: number): void {
    for (const [c, t] of this.#lastRead) if (at - t >= this.#windowMs) this.#lastRead.delete(c);
    const previous = this.#lastRead.get(code);
    if (this.#windowMs > 0) this.#lastRead.set(code, at);
    if (previous !== undefined && at - previous < this.#windowMs) {
      this.emit('duplicate', { code, at, sinceLastMs: at - previous });
      return;
    }
    this.emit('scan', { code, at });
  }

  #clearPartial(): void {
    if (this.#partialTimer !== undefined) this.#clock.clearTimeout(this.#partialTimer);
    this.#partialTimer = undefined;
  }

  #onTransport(change: TransportStateChange): void {
    if (this.#closing) return;
    // Whatever was half-received belongs to the old connection.
    this.#framer.reset();
    this.#clearPartial();
    const device = { device: this.description };
    switch (change.state) {
      case 'open':
        this.#status.set('ready');
        break;
      case 'connecting':
        this.#status.set('connecting');
        break;
      case 'failed':
      case 'reconnecting':
      case 'closed':
        this.#status.setFromLinkDown(change, device);
        break;
    }
  }
}
