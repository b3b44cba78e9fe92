/**
 * Gate driver: a relay board that pulses a turnstile or door contact, over Modbus RTU (serial, or
 * a serial-to-Ethernet converter), Modbus TCP, or an LCUS USB relay board. The one rule above all
 * others: a relay is never left on.
 *
 * open({ reason, by }) switches the relay on, reads the coil back (a board that acknowledges but
 * does not switch is a fault: errors.device.gate.relayNotSwitched) and resolves; the pulse then
 * ends by itself:
 *   host-timed   the driver switches it off after `pulseMs` and reads it back.
 *   board-timed  the driver writes round(pulseMs / unitMs) to the configured holding register
 *                (function 06), which starts the board's own timed pulse (the "flash"/"delay"
 *                mode of many Modbus relay boards); the driver reads the coil until it is off.
 *                Prefer it where the board has it: the relay goes off even if the host dies or the
 *                cable is pulled mid-pulse, which no host-side timer can promise. The gate
 *                simulator has no such register, so it is covered by unit tests only.
 * An open() while the relay is on extends the pulse (a second scan while the door is open).
 *
 * The relay is switched off (and read back) also: after any error in an open; at start and after
 * every reconnect (a host killed mid-pulse left it on; the 'closed' event then says cause 'start');
 * at close() before the transport is closed; and by the watchdog, which reads the coils every
 * `watchdogIntervalMs` and forces off any relay of this gate seen on for longer than pulse +
 * `stuckMarginMs` (errors.device.gate.relayStuckOn: a board-timed pulse that did not end, a manual
 * override, another program). A relay that stays on after three off commands is
 * errors.device.gate.relayStuck; the watchdog keeps trying.
 *
 * Passage: with `passageInput`, the discrete input of the passage sensor is read every
 * `passagePollMs` after an open; high within `passageTimeoutMs` is a 'passage' event, otherwise
 * 'passage-not-confirmed'. A newer open ends the previous wait with 'passage-not-confirmed'
 * (superseded), so every open gets exactly one of the two.
 *
 * LCUS boards never answer: the driver cannot read a relay back or see a dead board, so it writes
 * and trusts, re-sends "off" on every watchdog tick while no pulse runs (the command is
 * idempotent), and has no passage input or board-timed pulse. Prefer a Modbus board for a gate.
 *
 * Limits: while the link is down nothing can switch a host-timed relay off; the board keeps it on
 * until the link is back (then it is forced off at once) unless the board times pulses itself.
 */
import { AppError, type MessageParams } from '../../core/errors';
import { encodeLcusCommand } from '../protocol/lcus-relay.codec';
import { closedError, disconnectedError, notConnectedError, type Transport, type TransportStateChange } from '../transport/transport';
import { DriverEmitter, StatusCell, delay, systemClock, type DriverClock, type DriverStatus, type TimerHandle } from './driver-status';
import { ModbusMaster, type ModbusFraming } from './modbus-master';

export type GateBoard = { kind: 'modbus'; framing: ModbusFraming; unit?: number } | { kind: 'lcus' };

export type PulseMode = 'host-timed' | 'board-timed';

export interface GateDriverOptions {
  transport: Transport;
  board: GateBoard;
  clock?: DriverClock;
  /** The relay to pulse: Modbus coil address (0-based) or LCUS channel (1-based). */
  relay: number;
  /** Other relays this gate owns (e.g. the exit direction): forced off with it. */
  otherRelays?: readonly number[];
  /** Default 1000 ms. */
  pulseMs?: number;
  /** Default 'host-timed'. 'board-timed' needs `boardPulse` and a Modbus board. */
  pulseMode?: PulseMode;
  /** Board-timed pulse: the holding register that starts it and the unit of its value (default 100 ms). */
  boardPulse?: { register: number; unitMs?: number };
  /** Discrete input (0-based) of the passage sensor, where wired. */
  passageInput?: number;
  /** Default 10 000 ms. */
  passageTimeoutMs?: number;
  /** Default 100 ms. */
  passagePollMs?: number;
  /** Bound of one Modbus attempt. Default 500 ms. */
  requestTimeoutMs?: number;
  /** Default 2. */
  retries?: number;
  /** Default 1000 ms. */
  watchdogIntervalMs?: number;
  /** How long beyond the pulse a relay may be seen on before the watchdog forces it off. Default 1000 ms. */
  stuckMarginMs?: number;
}

export interface GateOpenRequest {
  /** Why (e.g. "member-checkin", "staff-button"), for the audit. */
  reason: string;
  /** Who (staff or member id). */
  by: string;
}

export type GateClosedCause =
  /** The host-timed pulse ended. */
  | 'pulse-end'
  /** The board's own timer switched it off. */
  | 'board-timed'
  /** Switched off after an error during open. */
  | 'error'
  /** Found on at start or after a reconnect, and switched off. */
  | 'start'
  /** close() switched it off. */
  | 'stop'
  /** On too long: forced off by the watchdog. */
  | 'watchdog';

export interface GateEvents {
  status: DriverStatus;
  opened: { openId: number; relay: number; reason: string; by: string; at: number; extended: boolean };
  closed: { relay: number; cause: GateClosedCause; at: number; openId?: number; onMs?: number };
  passage: { openId: number; input: number; reason: string; by: string; at: number };
  'passage-not-confirmed': { openId: number; input: number; reason: string; by: string; at: number; superseded: boolean };
  fault: { reasonKey: string; params: MessageParams; at: number };
}

export interface GateOpened {
  openId: number;
  at: number;
  extended: boolean;
}

interface Pulse {
  openId: number;
  request: GateOpenRequest;
  since: number;
  deadline: number;
  timer: TimerHandle | undefined;
}

interface PassageWatch {
  openId: number;
  request: GateOpenRequest;
  done: boolean;
}

const OFF_ATTEMPTS = 3;

export class GateDriver extends DriverEmitter<GateEvents> {
  readonly #transport: Transport;
  readonly #clock: DriverClock;
  readonly #relay: number;
  readonly #relays: number[];
  readonly #pulseMs: number;
  readonly #pulseMode: PulseMode;
  readonly #boardPulse: { register: number; unitMs: number } | undefined;
  readonly #passageInput: number | undefined;
  readonly #passageTimeoutMs: number;
  readonly #passagePollMs: number;
  readonly #watchdogIntervalMs: number;
  readonly #stuckMarginMs: number;
  readonly #master: ModbusMaster | undefined;
  readonly #status: StatusCell;
  readonly #unsubscribe: (() => void)[] = [];
  /** First time each relay was seen on while no pulse of ours ran. */
  readonly #seenOn = new Map<number, number>();

  #lock: Promise<unknown> = Promise.resolve();
  #started = false;
  #closing = false;
  #needsInit = true;
  #init: Promise<void> | undefined;
  /** A relay could not be switched off: the fault stays until it is read back off. */
  #stuck = false;
  #pulse: Pulse | undefined;
  #watch: PassageWatch | undefined;
  #watchdog: TimerHandle | undefined;
  #opens = 0;

  constructor(options: GateDriverOptions) {
    super();
    this.#transport = options.transport;
    this.#clock = options.clock ?? systemClock();
    this.#relay = options.relay;
    this.#relays = [...new Set([options.relay, ...(options.otherRelays ?? [])])];
    this.#pulseMs = options.pulseMs ?? 1000;
    this.#pulseMode = options.pulseMode ?? 'host-timed';
    this.#passageInput = options.passageInput;
    this.#passageTimeoutMs = options.passageTimeoutMs ?? 10_000;
    this.#passagePollMs = options.passagePollMs ?? 100;
    this.#watchdogIntervalMs = options.watchdogIntervalMs ?? 1000;
    this.#stuckMarginMs = options.stuckMarginMs ?? 1000;
    const lcus = options.board.kind === 'lcus';
    for (const r of this.#relays) {
      if (!Number.isInteger(r) || r < (lcus ? 1 : 0) || r > (lcus ? 0xff : 0xffff)) invalid('relay', r);
    }
    if (!Number.isFinite(this.#pulseMs) || this.#pulseMs <= 0) invalid('pulseMs', this.#pulseMs);
    if (this.#pulseMode === 'board-timed') {
      if (lcus) invalid('pulseMode', this.#pulseMode);
      if (options.boardPulse === undefined) invalid('boardPulse', 'missing');
      this.#boardPulse = { register: options.boardPulse.register, unitMs: options.boardPulse.unitMs ?? 100 };
    }
    if (lcus && this.#passageInput !== undefined) invalid('passageInput', this.#passageInput);
    if (options.board.kind === 'modbus') {
      this.#master = new ModbusMaster({
        transport: this.#transport,
        framing: options.board.framing,
        ...(options.board.unit === undefined ? {} : { unit: options.board.unit }),
        clock: this.#clock,
        timeoutMs: options.requestTimeoutMs ?? 500,
        retries: options.retries ?? 2,
      });
    }
    this.#status = new StatusCell(this.#clock, (s) => this.emit('status', s));
  }

  get description(): string {
    return this.#transport.description;
  }

  get status(): DriverStatus {
    return this.#status.value;
  }

  /** Whether the driver has the relay on (a pulse runs). */
  get isOpen(): boolean {
    return this.#pulse !== undefined;
  }

  /**
   * Opens the transport and forces every relay of this gate off. Resolves with the status within
   * the connect timeout and a few request timeouts; device problems are in the status.
   */
  async start(): Promise<DriverStatus> {
    if (this.#closing) throw closedError(this.description);
    if (!this.#started) {
      this.#started = true;
      this.#unsubscribe.push(
        this.#transport.onData((b) => this.#master?.push(b)),
        this.#transport.onStateChange((c) => this.#onTransport(c)),
      );
      this.#status.set('connecting');
      if (this.#transport.state === 'open') this.#onTransport({ state: 'open', previous: 'open', reason: 'opened' });
      this.#armWatchdog();
    }
    try {
      await this.#transport.open();
    } catch {
      // In the status through the state change; the transport retries by itself.
    }
    await this.#init?.catch(() => undefined);
    return this.status;
  }

  /**
   * Pulses the relay. Resolves once it is on (and read back on, for Modbus); rejects with an
   * AppError after switching it off again if anything went wrong. The pulse, the passage and
   * the close are reported as events.
   */
  open(request: GateOpenRequest): Promise<GateOpened> {
    if (this.#closing) return Promise.reject(closedError(this.description));
    if (this.#transport.state !== 'open') return Promise.reject(notConnectedError(this.description));
    return this.#exclusive(() => this.#open(request));
  }

  /** Switches every relay off (bounded by the request timeouts), then closes the transport. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#disarmWatchdog();
    if (this.#watch !== undefined) this.#watch.done = true;
    this.#watch = undefined;
    if (this.#pulse?.timer !== undefined) this.#clock.clearTimeout(this.#pulse.timer);
    // Queued behind an open in progress, so that open cannot leave the relay on after this.
    await this.#exclusive(async () => {
      if (this.#transport.state === 'open') await this.#forceOff(this.#relays, 'stop').catch(() => undefined);
    }).catch(() => undefined);
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#master?.reset(closedError(this.description));
    await this.#transport.close();
    this.#status.set('disconnected');
  }

  // ---- open and pulse ---------------------------------------------------------------------------

  async #open(request: GateOpenRequest): Promise<GateOpened> {
    if (this.#closing) throw closedError(this.description);
    if (this.#needsInit) await this.#initialize();
    const now = this.#clock.now();
    const pulse = this.#pulse;
    if (pulse !== undefined) {
      // Still open: extend (a board-timed pulse is restarted by writing its register again).
      if (this.#boardPulse !== undefined) await this.#guard(() => this.#startBoardPulse());
      pulse.deadline = now + this.#pulseMs;
      pulse.request = request;
      const openId = ++this.#opens;
      pulse.openId = openId;
      if (this.#boardPulse === undefined) this.#armPulseEnd(pulse);
      this.emit('opened', { openId, relay: this.#relay, ...request, at: now, extended: true });
      this.#watchPassage(openId, request);
      return { openId, at: now, extended: true };
    }
    await this.#guard(async () => {
      if (this.#boardPulse !== undefined) await this.#startBoardPulse();
      else await this.#write(this.#relay, true);
      if (this.#master !== undefined) {
        const [on] = await this.#master.readCoils(this.#relay, 1);
        if (on !== true) throw new AppError('DEVICE_FAULT', 'errors.device.gate.relayNotSwitched', { device: this.description, relay: this.#label(this.#relay) });
      }
    });
    const at = this.#clock.now();
    const openId = ++this.#opens;
    const started: Pulse = { openId, request, since: at, deadline: at + this.#pulseMs, timer: undefined };
    this.#pulse = started;
    this.#seenOn.delete(this.#relay);
    this.#armPulseEnd(started);
    this.emit('opened', { openId, relay: this.#relay, ...request, at, extended: false });
    this.#watchPassage(openId, request);
    return { openId, at, extended: false };
  }

  /** Runs a step of an open; on any error switches the relay off, reports the fault and rethrows. */
  async #guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (e) {
      const error = AppError.is(e) ? e : disconnectedError(this.description);
      this.#fault(error.key, error.params);
      // One round here so the caller hears of the failure soon; if it fails too, the watchdog's
      // next tick forces every relay off again (#needsInit), and so on until it works.
      if (this.#transport.state === 'open') await this.#forceOff([this.#relay], 'error', new Set(), 1).catch(() => undefined);
      throw error;
    }
  }

  async #startBoardPulse(): Promise<void> {
    const board = this.#boardPulse!;
    const units = Math.max(1, Math.min(0xffff, Math.round(this.#pulseMs / board.unitMs)));
    await this.#master!.writeRegister(board.register, units);
  }

  #armPulseEnd(pulse: Pulse): void {
    if (pulse.timer !== undefined) this.#clock.clearTimeout(pulse.timer);
    // Board-timed: look shortly after the board should have switched off, then keep looking.
    const wait = Math.max(0, pulse.deadline - this.#clock.now()) + (this.#boardPulse === undefined ? 0 : 100);
    pulse.timer = this.#clock.setTimeout(() => {
      pulse.timer = undefined;
      void this.#exclusive(() => this.#endPulse(pulse)).catch(() => undefined);
    }, wait);
  }

  async #endPulse(pulse: Pulse): Promise<void> {
    if (this.#pulse !== pulse || this.#closing) return;
    const now = this.#clock.now();
    if (now < pulse.deadline) {
      this.#armPulseEnd(pulse); // extended meanwhile
      return;
    }
    if (this.#boardPulse !== undefined) {
      let on: boolean | undefined;
      try {
        [on] = await this.#master!.readCoils(this.#relay, 1);
      } catch {
        on = undefined;
      }
      if (on === false) {
        this.#pulse = undefined;
        this.emit('closed', { relay: this.#relay, cause: 'board-timed', at: this.#clock.now(), openId: pulse.openId, onMs: this.#clock.now() - pulse.since });
        this.#okStatus();
        return;
      }
      if (now < pulse.deadline + this.#stuckMarginMs) {
        pulse.timer = this.#clock.setTimeout(() => {
          pulse.timer = undefined;
          void this.#exclusive(() => this.#endPulse(pulse)).catch(() => undefined);
        }, 100);
        return;
      }
      this.#fault('errors.device.gate.relayStuckOn', { device: this.description, relay: this.#label(this.#relay) });
      await this.#forceOff([this.#relay], 'watchdog').catch(() => undefined);
      return;
    }
    await this.#forceOff([this.#relay], 'pulse-end').catch(() => undefined);
  }

  /**
   * Switches relays off and reads them back, up to `attempts` times. Emits 'closed' for each relay
   * that was on (or that a pulse of ours held). Resolves when all are off; otherwise reports the
   * fault, leaves the next watchdog tick to force everything off again, and rejects.
   */
  async #forceOff(relays: readonly number[], cause: GateClosedCause, wereOn: ReadonlySet<number> = new Set(), attempts = OFF_ATTEMPTS): Promise<void> {
    const pulse = this.#pulse;
    let lastError: AppError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        for (const r of relays) await this.#write(r, false);
        const still = this.#master === undefined ? [] : await this.#readOn(relays);
        if (still.length === 0) {
          const at = this.#clock.now();
          if (pulse !== undefined && relays.includes(this.#relay)) {
            if (pulse.timer !== undefined) this.#clock.clearTimeout(pulse.timer);
            this.#pulse = undefined;
            this.emit('closed', { relay: this.#relay, cause, at, openId: pulse.openId, onMs: at - pulse.since });
          }
          for (const r of wereOn) {
            if (pulse !== undefined && r === this.#relay) continue;
            this.emit('closed', { relay: r, cause, at });
          }
          for (const r of relays) this.#seenOn.delete(r);
          this.#stuck = false;
          return;
        }
        lastError = new AppError('DEVICE_FAULT', 'errors.device.gate.relayStuck', { device: this.description, relay: this.#label(still[0] ?? this.#relay) });
      } catch (e) {
        // The master already retried this request; another round would only double the wait.
        lastError = AppError.is(e) ? e : disconnectedError(this.description);
        break;
      }
    }
    const error = lastError ?? disconnectedError(this.description);
    if (error.key === 'errors.device.gate.relayStuck') this.#stuck = true;
    this.#needsInit = true;
    this.#fault(error.key, error.params);
    throw error;
  }

  async #write(relay: number, on: boolean): Promise<void> {
    if (this.#master !== undefined) await this.#master.writeCoil(relay, on);
    else await this.#transport.write(encodeLcusCommand({ channel: relay, on }));
  }

  /** The relays among `relays` that read back on (Modbus only). */
  async #readOn(relays: readonly number[]): Promise<number[]> {
    const from = Math.min(...relays);
    const to = Math.max(...relays);
    const bits = await this.#master!.readCoils(from, to - from + 1);
    return relays.filter((r) => bits[r - from] === true);
  }

  // ---- passage ----------------------------------------------------------------------------------

  #watchPassage(openId: number, request: GateOpenRequest): void {
    const input = this.#passageInput;
    const master = this.#master;
    if (input === undefined || master === undefined || this.#closing) return;
    const previous = this.#watch;
    if (previous !== undefined && !previous.done) {
      previous.done = true;
      this.emit('passage-not-confirmed', { openId: previous.openId, input, ...previous.request, at: this.#clock.now(), superseded: true });
    }
    const watch: PassageWatch = { openId, request, done: false };
    this.#watch = watch;
    const deadline = this.#clock.now() + this.#passageTimeoutMs;
    void (async () => {
      while (!watch.done && !this.#closing && this.#clock.now() < deadline) {
        try {
          const [high] = await master.readDiscreteInputs(input, 1);
          if (high === true && !watch.done) {
            watch.done = true;
            this.emit('passage', { openId, input, ...request, at: this.#clock.now() });
            break;
          }
        } catch {
          // A board that stopped answering shows in the status (watchdog); keep looking until the deadline.
        }
        if (!watch.done) await delay(this.#clock, this.#passagePollMs);
      }
      if (!watch.done && !this.#closing) {
        watch.done = true;
        this.emit('passage-not-confirmed', { openId, input, ...request, at: this.#clock.now(), superseded: false });
      }
      if (this.#watch === watch) this.#watch = undefined;
    })();
  }

  // ---- link, init, watchdog ---------------------------------------------------------------------

  #onTransport(change: TransportStateChange): void {
    if (this.#closing) return;
    const device = { device: this.description };
    if (change.state === 'open') {
      this.#master?.reset();
      this.#needsInit = true;
      this.#status.set('connecting');
      const init = this.#exclusive(() => (this.#needsInit ? this.#initialize() : Promise.resolve()));
      this.#init = init.catch(() => undefined);
      return;
    }
    this.#master?.reset(change.error ?? disconnectedError(this.description));
    this.#needsInit = true;
    this.#status.setFromLinkDown(change, device);
    if (this.#pulse !== undefined) {
      // Nothing can switch it off until the link is back; the init after reconnecting will.
      this.#fault('errors.device.gate.offlineWhileOpen', { device: this.description, relay: this.#label(this.#relay) });
    }
  }

  /** Forces every relay off; reports relays that were found on. */
  async #initialize(): Promise<void> {
    if (this.#transport.state !== 'open') throw notConnectedError(this.description);
    try {
      const wereOn = new Set(this.#master === undefined ? [] : await this.#readOn(this.#relays));
      await this.#forceOff(this.#relays, 'start', wereOn);
      this.#needsInit = false;
      this.#okStatus();
    } catch (e) {
      const error = AppError.is(e) ? e : disconnectedError(this.description);
      this.#fault(error.key, error.params);
      throw error;
    }
  }

  #armWatchdog(): void {
    this.#disarmWatchdog();
    if (this.#closing) return;
    this.#watchdog = this.#clock.setTimeout(() => {
      this.#watchdog = undefined;
      void this.#exclusive(() => this.#tick())
        .catch(() => undefined)
        .finally(() => this.#armWatchdog());
    }, this.#watchdogIntervalMs);
  }

  #disarmWatchdog(): void {
    if (this.#watchdog !== undefined) this.#clock.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#closing || this.#transport.state !== 'open') return;
    if (this.#needsInit) {
      await this.#initialize();
      return;
    }
    if (this.#master === undefined) {
      // LCUS: nothing to read; repeat "off" for relays no pulse of ours holds.
      for (const r of this.#relays) if (this.#pulse === undefined || r !== this.#relay) await this.#write(r, false).catch(() => undefined);
      return;
    }
    let on: number[];
    try {
      on = await this.#readOn(this.#relays);
    } catch (e) {
      const error = AppError.is(e) ? e : disconnectedError(this.description);
      this.#fault(error.key, error.params);
      return;
    }
    const now = this.#clock.now();
    const limit = this.#pulseMs + this.#stuckMarginMs;
    const tooLong: number[] = [];
    for (const r of this.#relays) {
      if (!on.includes(r)) {
        this.#seenOn.delete(r);
        continue;
      }
      const pulse = r === this.#relay ? this.#pulse : undefined;
      let since = pulse?.since;
      if (since === undefined) {
        since = this.#seenOn.get(r) ?? now;
        this.#seenOn.set(r, since);
      } else {
        // Extended pulses are measured from the last extension.
        since = Math.max(since, pulse!.deadline - this.#pulseMs);
      }
      if (now - since > limit) tooLong.push(r);
    }
    if (on.length === 0) this.#stuck = false;
    if (tooLong.length > 0) {
      this.#fault('errors.device.gate.relayStuckOn', { device: this.description, relay: this.#label(tooLong[0]!) });
      await this.#forceOff(tooLong, 'watchdog', new Set(tooLong)).catch(() => undefined);
      return;
    }
    this.#okStatus();
  }

  /** The relay as staff read it on the board: Modbus coil 0 is relay 1; LCUS channels already count from 1. */
  #label(relay: number): number {
    return this.#master === undefined ? relay : relay + 1;
  }

  #okStatus(): void {
    if (!this.#stuck && this.#transport.state === 'open') this.#status.set('ready');
  }

  /** Status 'fault' and, when that is news (not the same fault again), a 'fault' event. */
  #fault(reasonKey: string, params: MessageParams): void {
    if (this.#status.set('fault', reasonKey, params)) this.emit('fault', { reasonKey, params: { ...params }, at: this.#clock.now() });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }
}

function invalid(name: string, value: string | number): never {
  throw new AppError('INVALID', 'errors.device.invalidArgument', { name, value });
}
