/**
 * The state machine shared by the serial and TCP transports: open, lose, reconnect with backoff,
 * bounded writes, close. A `Connector` knows one kind of port and makes one connection attempt at
 * a time; everything about states, timers and pending calls is here, once.
 *
 *   closed ──open()──► connecting ──ok──► open ──lost / write failed / write timeout──► reconnecting
 *                          │                ▲                                              │
 *                          │ transient      └──────────── attempt ok ◄──── backoff ◄───────┘
 *                          ├──────────────► reconnecting
 *                          └─ permanent ──► failed ──open()──► connecting
 *   any state ──close()──► closed
 *
 * A link is one live connection (one opened serial port, one socket). Events from a link that is
 * no longer the current one (late data, a late 'close') are ignored, so a reconnect never mixes
 * two connections. Each attempt is bounded by `connectTimeoutMs`; a connection that completes
 * after its attempt timed out or after close() is closed at once.
 */
import { AppError } from '../../core/errors';
import { backoffDelay, type BackoffOptions } from './backoff';
import {
  Listeners,
  closedError,
  disconnectedError,
  errorText,
  notConnectedError,
  openFailedError,
  timeoutError,
  type Transport,
  type TransportChangeReason,
  type TransportState,
  type TransportStateChange,
} from './transport';
import { withTimeout } from './with-timeout';

/** One live connection, as made by a Connector. */
export interface Link {
  /** Hands the bytes to the OS (and drains, for serial). Rejects on failure; may hang (the caller bounds it). */
  write(bytes: Uint8Array): Promise<void>;
  /** Releases the connection. Never rejects; may be called more than once. */
  close(): Promise<void>;
}

/** What a link reports to the transport. */
export interface LinkEvents {
  data(bytes: Uint8Array): void;
  /** The connection ended without close() being called on the link. */
  lost(reason: 'disconnected' | 'peer-closed', error: AppError): void;
}

export interface Connector {
  readonly description: string;
  /**
   * One connection attempt. Rejects with an AppError; should stop early when `signal` aborts
   * (the transport gave up on this attempt). The transport bounds it by connectTimeoutMs.
   */
  connect(events: LinkEvents, signal: AbortSignal): Promise<Link>;
  /** Whether a failed attempt's error will not go away by retrying (then the state is 'failed'). */
  isPermanent(error: AppError): boolean;
  /** The time a write of `byteCount` bytes may take before it counts as timed out. */
  writeTimeoutMs(byteCount: number): number;
  /** The error for an attempt that hit connectTimeoutMs. */
  connectTimeoutError(): AppError;
}

export interface ReconnectOptions extends BackoffOptions {
  /** Bound of one connection attempt. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Bound of releasing the port in close(). Default 2000 ms. */
  closeTimeoutMs?: number;
}

interface Pending {
  fail(error: AppError): void;
}

/** One connection attempt and, once it succeeded, its link. */
interface Session {
  link: Link | undefined;
  alive: boolean;
  /** Reported lost before the attempt finished (the transport then treats the attempt as failed). */
  lostEarly: AppError | undefined;
  readonly pending: Set<Pending>;
}

export class ReconnectingTransport implements Transport {
  readonly #connector: Connector;
  readonly #connectTimeoutMs: number;
  readonly #closeTimeoutMs: number;
  readonly #backoff: BackoffOptions;
  readonly #data = new Listeners<Uint8Array>();
  readonly #changes = new Listeners<TransportStateChange>();

  #state: TransportState = 'closed';
  #session: Session | undefined;
  /** The attempt in flight, shared by concurrent open() calls and the retry timer. */
  #attempt: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retries = 0;
  /** Bumped by close(): an attempt that started before a close() must not revive the transport. */
  #epoch = 0;

  constructor(connector: Connector, options: ReconnectOptions = {}) {
    this.#connector = connector;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 2000;
    this.#backoff = options;
  }

  get description(): string {
    return this.#connector.description;
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

  open(): Promise<void> {
    switch (this.#state) {
      case 'open':
        return Promise.resolve();
      case 'connecting':
        return this.#attempt ?? this.#startAttempt();
      case 'reconnecting':
        // "Retry now": skip the rest of the backoff wait and report this attempt's outcome.
        this.#clearRetryTimer();
        return this.#attempt ?? this.#startAttempt();
      case 'closed':
      case 'failed':
        this.#retries = 0;
        this.#setState('connecting', 'open-requested');
        return this.#startAttempt();
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    const session = this.#session;
    const link = session?.link;
    if (this.#state !== 'open' || session === undefined || link === undefined || !session.alive) {
      return Promise.reject(notConnectedError(this.description));
    }
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        fail: (error) => {
          clearTimeout(timer);
          session.pending.delete(pending);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const error = timeoutError(this.description);
        pending.fail(error);
        this.#lose(session, 'write-timeout', error);
      }, this.#connector.writeTimeoutMs(bytes.length));
      session.pending.add(pending);
      link.write(bytes).then(
        () => {
          if (!session.pending.has(pending)) return;
          clearTimeout(timer);
          session.pending.delete(pending);
          resolve();
        },
        (e: unknown) => {
          if (!session.pending.has(pending)) return;
          const error = AppError.is(e) ? e : disconnectedError(this.description);
          pending.fail(error);
          this.#lose(session, 'write-failed', error);
        },
      );
    });
  }

  async close(): Promise<void> {
    if (this.#state === 'closed' && this.#attempt === undefined) return;
    this.#epoch++;
    this.#clearRetryTimer();
    this.#abort?.abort();
    const attempt = this.#attempt;
    const session = this.#session;
    this.#session = undefined;
    if (session !== undefined) {
      session.alive = false;
      this.#failPending(session, closedError(this.description));
    }
    if (this.#state !== 'closed') this.#setState('closed', 'closed');
    if (session?.link !== undefined) await this.#closeLink(session.link);
    // The attempt is bounded by connectTimeoutMs; waiting for it means no port is left open
    // behind a resolved close().
    if (attempt !== undefined) await attempt.catch(() => undefined);
  }

  // ---- internals --------------------------------------------------------------------------------

  #startAttempt(): Promise<void> {
    const epoch = this.#epoch;
    const abort = new AbortController();
    this.#abort = abort;
    const session: Session = { link: undefined, alive: true, lostEarly: undefined, pending: new Set() };
    const events: LinkEvents = {
      data: (bytes) => {
        if (session.alive && this.#session === session) this.#data.emit(bytes);
      },
      lost: (reason, error) => {
        if (session.link === undefined) {
          session.lostEarly ??= error;
          return;
        }
        this.#lose(session, reason, error);
      },
    };
    const attempt = (async () => {
      let link: Link;
      try {
        link = await withTimeout(
          this.#connector.connect(events, abort.signal),
          this.#connectTimeoutMs,
          () => {
            abort.abort();
            return this.#connector.connectTimeoutError();
          },
          (late) => void late.close(),
        );
      } catch (e) {
        if (epoch !== this.#epoch) throw closedError(this.description);
        const error = AppError.is(e) ? e : openFailedError(this.description, errorText(e));
        this.#attemptFailed(error);
        throw error;
      }
      if (epoch !== this.#epoch) {
        await this.#closeLink(link);
        throw closedError(this.description);
      }
      if (session.lostEarly !== undefined) {
        await this.#closeLink(link);
        if (epoch !== this.#epoch) throw closedError(this.description);
        this.#attemptFailed(session.lostEarly);
        throw session.lostEarly;
      }
      session.link = link;
      this.#session = session;
      this.#retries = 0;
      this.#setState('open', 'opened');
    })();
    const tracked = attempt.finally(() => {
      if (this.#attempt === tracked) {
        this.#attempt = undefined;
        this.#abort = undefined;
      }
    });
    this.#attempt = tracked;
    return tracked;
  }

  #attemptFailed(error: AppError): void {
    const permanent = this.#connector.isPermanent(error);
    if (this.#state === 'connecting') {
      this.#setState(permanent ? 'failed' : 'reconnecting', 'open-failed', error);
    } else if (permanent) {
      this.#setState('failed', 'open-failed', error);
    }
    if (!permanent) this.#scheduleRetry();
  }

  #lose(session: Session, reason: TransportChangeReason, error: AppError): void {
    if (!session.alive || this.#session !== session) return;
    session.alive = false;
    this.#session = undefined;
    this.#failPending(session, error);
    if (session.link !== undefined) void this.#closeLink(session.link);
    this.#retries = 0;
    this.#setState('reconnecting', reason, error);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    this.#clearRetryTimer();
    const delay = backoffDelay(this.#retries++, this.#backoff);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state !== 'reconnecting' || this.#attempt !== undefined) return;
      // Failures are handled (state, next retry) inside the attempt; nobody awaits this one.
      this.#startAttempt().catch(() => undefined);
    }, delay);
  }

  #clearRetryTimer(): void {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #failPending(session: Session, error: AppError): void {
    for (const p of [...session.pending]) p.fail(error);
  }

  async #closeLink(link: Link): Promise<void> {
    await withTimeout(link.close(), this.#closeTimeoutMs, () => new Error('close timed out')).catch(() => undefined);
  }

  #setState(state: TransportState, reason: TransportChangeReason, error?: AppError): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#changes.emit(error === undefined ? { state, previous, reason } : { state, previous, reason, error });
  }
}
