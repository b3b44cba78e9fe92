/**
 * What every driver shares: the status model shown in the UI, an injectable clock, and a typed
 * event emitter.
 *
 * Status: one of five states with the message key of the reason and its parameters, and `since`,
 * the time of the last change of state, reason or parameters (not of every poll: a printer that
 * reports "paper out" every second has been out of paper since the first report).
 *
 *   disconnected  the link to the device is down (not started, unplugged, being reconnected)
 *   connecting    the link is up, the driver has not heard from the device yet
 *   ready         the device works
 *   warning       the device works but needs attention soon (paper near end)
 *   fault         the device does not work: the reason says why (paper out, not responding, …)
 *
 * Reason keys are `errors.device.*` message keys (core/i18n/messages.ts), so the UI shows the
 * same words for a status as for the error a call rejects with.
 *
 * The emitter isolates listener exceptions as devices/transport does (rethrown on a microtask),
 * so a broken listener in the host cannot wedge a driver's state machine. Listeners run
 * synchronously, in order: a device manager that persists job states in its listener (SQLite is
 * synchronous) has done so before the driver takes its next step.
 */
import type { MessageParams } from '../../core/errors';
import { Listeners, type TransportStateChange } from '../transport/transport';

export type DriverState = 'disconnected' | 'connecting' | 'ready' | 'warning' | 'fault';

export interface DriverStatus {
  state: DriverState;
  /** An `errors.device.*` message key; absent for 'ready' and 'connecting'. */
  reasonKey?: string;
  params?: MessageParams;
  /** When state, reason or parameters last changed (the driver's clock, epoch ms). */
  since: number;
}

/** An opaque timer handle, as returned by the clock's setTimeout. */
export type TimerHandle = unknown;

/** Time for drivers: injected in tests, the system's otherwise. */
export interface DriverClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Date.now and the global timers (which vitest's fake timers replace). */
export function systemClock(): DriverClock {
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

/** Resolves after `ms` on the given clock. */
export function delay(clock: DriverClock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
}

/** Typed events: `driver.on('status', (s) => …)` returns an unsubscribe function. */
export class DriverEmitter<E extends object> {
  readonly #listeners: { [K in keyof E]?: Listeners<E[K]> } = {};

  on<K extends keyof E>(event: K, listener: (value: E[K]) => void): () => void {
    const list = (this.#listeners[event] ??= new Listeners<E[K]>());
    return list.add(listener);
  }

  protected emit<K extends keyof E>(event: K, value: E[K]): void {
    this.#listeners[event]?.emit(value);
  }
}

function sameParams(a: MessageParams | undefined, b: MessageParams | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a?.[k] === b?.[k]);
}

/**
 * Holds one driver's status and reports changes. `set` is idempotent: the same state, reason and
 * parameters again change nothing (no event, `since` kept).
 */
export class StatusCell {
  readonly #clock: DriverClock;
  readonly #onChange: (status: DriverStatus) => void;
  #status: DriverStatus;

  constructor(clock: DriverClock, onChange: (status: DriverStatus) => void) {
    this.#clock = clock;
    this.#onChange = onChange;
    this.#status = { state: 'disconnected', since: clock.now() };
  }

  get value(): DriverStatus {
    return { ...this.#status, ...(this.#status.params === undefined ? {} : { params: { ...this.#status.params } }) };
  }

  get state(): DriverState {
    return this.#status.state;
  }

  /** Returns whether anything changed. */
  set(state: DriverState, reasonKey?: string, params?: MessageParams): boolean {
    const s = this.#status;
    if (s.state === state && s.reasonKey === reasonKey && sameParams(s.params, params)) return false;
    const next: DriverStatus = { state, since: this.#clock.now() };
    if (reasonKey !== undefined) next.reasonKey = reasonKey;
    if (params !== undefined && Object.keys(params).length > 0) next.params = { ...params };
    this.#status = next;
    this.#onChange(this.value);
    return true;
  }

  /**
   * The status every driver shows while its link is not open: a transport that gave up is a fault,
   * one that is connecting says so, one that dropped (reconnecting or closed) is disconnected.
   * The transport's own error, when it has one, says why.
   */
  setFromLinkDown(change: TransportStateChange, device: MessageParams): void {
    if (change.state === 'failed') this.set('fault', change.error?.key ?? 'errors.device.openFailed', change.error?.params ?? device);
    else if (change.state === 'connecting') this.set('connecting');
    else this.set('disconnected', change.error?.key ?? 'errors.device.disconnected', change.error?.params ?? device);
  }
}

/** Whether a status means the device can take work now. */
export function isUsable(status: Pick<DriverStatus, 'state'>): boolean {
  return status.state === 'ready' || status.state === 'warning';
}
