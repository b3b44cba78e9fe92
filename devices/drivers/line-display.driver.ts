/**
 * Line display driver: a 2×20 customer or call display (CD5220, Epson, or any LineDisplayCodec)
 * on a Transport.
 *
 * One message on the bus at a time. show() and clear() queue a message; while one is being
 * written, a newer message replaces the one waiting (whose promise resolves 'superseded'), so a
 * burst of calls ends with the newest text on the glass after at most two writes, never a
 * backlog of stale ones. Each write is bounded by `writeTimeoutMs`: past it the display is a
 * fault (errors.device.timeout) and the call rejects; the transport's own, longer, write timeout
 * then drops and remakes the link.
 *
 * Every (re)connection starts with the codec's init, followed by the newest content asked for:
 * a display that was power-cycled or replugged shows what it should, not a blank or a stale line.
 * show() while disconnected rejects at once with errors.device.notConnected, but its text is
 * kept as the content to restore when the link is back.
 *
 * Limits: a line display never answers. On a serial line without flow control a write succeeds
 * whether or not a display is attached and powered, so "ready" means the bytes left, not that
 * anyone saw them; a display that stops reading (flow control, a TCP converter) shows up as the
 * write timeout. Voice announcements are the call screen's (renderer) business, not this driver's.
 */
import { AppError } from '../../core/errors';
import type { LineDisplayCodec } from '../protocol/line-display.codec';
import { concatBytes } from '../protocol/hex';
import { closedError, notConnectedError, timeoutError, type Transport, type TransportStateChange } from '../transport/transport';
import { DriverEmitter, StatusCell, systemClock, type DriverClock, type DriverStatus } from './driver-status';

export type DisplayContent = { kind: 'text'; lines: [string, string] } | { kind: 'clear' };

export type DisplayOutcome = 'shown' | 'superseded';

export interface LineDisplayEvents {
  status: DriverStatus;
  /** Content written to the display. */
  shown: { content: DisplayContent; at: number; restored: boolean };
}

export interface LineDisplayDriverOptions {
  transport: Transport;
  codec: LineDisplayCodec;
  clock?: DriverClock;
  /** Bound of one write. Default 2000 ms. */
  writeTimeoutMs?: number;
}

interface Message {
  content: DisplayContent;
  /** Internal: the content restored after a reconnect (no caller waits for it). */
  restore: boolean;
  resolve(outcome: DisplayOutcome): void;
  reject(error: AppError): void;
}

export class LineDisplayDriver extends DriverEmitter<LineDisplayEvents> {
  readonly #transport: Transport;
  readonly #codec: LineDisplayCodec;
  readonly #clock: DriverClock;
  readonly #writeTimeoutMs: number;
  readonly #status: StatusCell;
  readonly #unsubscribe: (() => void)[] = [];
  #started = false;
  #closing = false;
  #waiting: Message | undefined;
  #writing: Promise<void> | undefined;
  #needsInit = true;
  /** The newest content asked for: what the glass should show. */
  #desired: DisplayContent | undefined;
  #shown: DisplayContent | undefined;

  constructor(options: LineDisplayDriverOptions) {
    super();
    this.#transport = options.transport;
    this.#codec = options.codec;
    this.#clock = options.clock ?? systemClock();
    this.#writeTimeoutMs = options.writeTimeoutMs ?? 2000;
    this.#status = new StatusCell(this.#clock, (s) => this.emit('status', s));
  }

  get description(): string {
    return this.#transport.description;
  }

  get status(): DriverStatus {
    return this.#status.value;
  }

  /** The content last written to the display. */
  get shown(): DisplayContent | undefined {
    return this.#shown;
  }

  /** Opens the transport and initializes the display; device problems are in the status. */
  async start(): Promise<DriverStatus> {
    if (this.#closing) throw closedError(this.description);
    if (!this.#started) {
      this.#started = true;
      this.#unsubscribe.push(this.#transport.onStateChange((c) => this.#onTransport(c)));
      this.#status.set('connecting');
      if (this.#transport.state === 'open') this.#onTransport({ state: 'open', previous: 'open', reason: 'opened' });
    }
    try {
      await this.#transport.open();
    } catch {
      // In the status through the state change; the transport retries by itself.
    }
    await this.#idle();
    return this.status;
  }

  show(line1: string, line2 = ''): Promise<DisplayOutcome> {
    return this.#enqueue({ kind: 'text', lines: [line1, line2] });
  }

  clear(): Promise<DisplayOutcome> {
    return this.#enqueue({ kind: 'clear' });
  }

  /** Rejects a waiting call with errors.device.closed, lets a write in progress finish (bounded), closes the transport. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(closedError(this.description));
    await this.#idle();
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#transport.close();
    this.#status.set('disconnected');
  }

  // ---- internals --------------------------------------------------------------------------------

  #enqueue(content: DisplayContent): Promise<DisplayOutcome> {
    if (this.#closing) return Promise.reject(closedError(this.description));
    this.#desired = content;
    if (this.#transport.state !== 'open') return Promise.reject(notConnectedError(this.description));
    return new Promise<DisplayOutcome>((resolve, reject) => {
      this.#supersede();
      this.#waiting = { content, restore: false, resolve, reject };
      this.#pump();
    });
  }

  #supersede(): void {
    const previous = this.#waiting;
    this.#waiting = undefined;
    previous?.resolve('superseded');
  }

  #pump(): void {
    if (this.#writing !== undefined || this.#waiting === undefined) return;
    const message = this.#waiting;
    this.#waiting = undefined;
    const writing = this.#write(message).finally(() => {
      this.#writing = undefined;
      if (!this.#closing) this.#pump();
    });
    this.#writing = writing;
  }

  async #write(message: Message): Promise<void> {
    const device = { device: this.description };
    if (this.#transport.state !== 'open') {
      message.reject(notConnectedError(this.description));
      return;
    }
    const body = message.content.kind === 'text' ? this.#codec.show(...message.content.lines) : this.#codec.clear();
    const init = this.#needsInit;
    const bytes = init ? concatBytes([this.#codec.init(), body]) : body;
    const write = this.#transport.write(bytes);
    let timer: unknown;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = this.#clock.setTimeout(() => resolve('timeout'), this.#writeTimeoutMs);
    });
    let outcome: 'ok' | 'timeout' | AppError;
    try {
      outcome = await Promise.race([write.then(() => 'ok' as const), deadline]);
    } catch (e) {
      outcome = AppError.is(e) ? e : notConnectedError(this.description);
    }
    this.#clock.clearTimeout(timer);
    if (outcome === 'ok') {
      if (init) this.#needsInit = false;
      this.#shown = message.content;
      this.#status.set('ready');
      this.emit('shown', { content: message.content, at: this.#clock.now(), restored: message.restore });
      message.resolve('shown');
      return;
    }
    if (outcome === 'timeout') {
      this.#status.set('fault', 'errors.device.timeout', device);
      message.reject(timeoutError(this.description));
      // The transport bounds the write itself and then remakes the link; the next message waits
      // for that, so bytes are never stacked behind a stuck one.
      await write.catch(() => undefined);
      return;
    }
    message.reject(outcome);
  }

  #onTransport(change: TransportStateChange): void {
    if (this.#closing) return;
    const device = { device: this.description };
    switch (change.state) {
      case 'open': {
        this.#needsInit = true;
        this.#status.set('connecting');
        // Initialize and put back what the display should show (unless a newer call is waiting).
        if (this.#waiting === undefined) {
          this.#waiting = { content: this.#desired ?? { kind: 'clear' }, restore: true, resolve: () => undefined, reject: () => undefined };
        }
        this.#pump();
        return;
      }
      case 'connecting':
        this.#status.set('connecting');
        return;
      case 'failed':
      case 'reconnecting':
      case 'closed':
        this.#status.setFromLinkDown(change, device);
        break;
    }
    this.#needsInit = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(change.error ?? notConnectedError(this.description));
  }

  async #idle(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing.catch(() => undefined);
  }
}
