/**
 * A simulated gate controller: a relay board with N coils (the turnstile or door contacts) and N
 * discrete inputs (the passage sensor), as a Modbus server on RTU (a pty, or RTU over TCP) or
 * Modbus TCP, or as an LCUS USB relay board.
 *
 * Built on the pure codec (devices/protocol/modbus.codec.ts) rather than modbus-serial's
 * ServerTCP/ServerSerial: the faults a driver must survive (silence, a corrupted CRC, an exception
 * for every request, a slow answer) need control over the bytes of each answer, which those
 * servers do not give, and the integration tests then check our codec against modbus-serial's
 * independent client implementation instead of against itself.
 *
 * Modbus: functions 01, 02, 05, 0F. Addresses beyond the board answer exception 02, malformed
 * requests exception 03, other functions exception 01 (all per the spec, via decodeRequestPdu).
 * RTU frames are cut by RtuFrameExtractor, which resyncs after garbage; a silence of `idleMs` drops
 * a partial frame, as the 3.5-character gap does on a real line. A request for another unit
 * address gets no answer (another board on the bus would answer); broadcast (unit 0) writes are
 * applied and never answered. Modbus TCP answers unit ids 0, 255 and its own.
 *
 * LCUS mode: the 4-byte A0 commands switch a relay; the board never answers.
 *
 * Every coil change is recorded with a timestamp (`history`), and `pulses(coil)` pairs on and off,
 * so a test can assert "relay 1 pulsed for about 500 ms". `pass()` drives the passage sensor high
 * then low, like a person walking through.
 */
import { LcusFrameExtractor } from '../protocol/lcus-relay.codec';
import {
  FUNCTION_CODES,
  RtuFrameExtractor,
  TcpFrameExtractor,
  decodeRequestPdu,
  encodeResponsePdu,
  encodeRtuFrame,
  encodeTcpFrame,
  type ModbusRequest,
  type ModbusResponse,
} from '../protocol/modbus.codec';
import { Emitter } from './emitter';
import { openEndpoint, type Endpoint, type EndpointAddress, type EndpointSpec, type Peer } from './endpoint';

export type GateMode = 'modbus' | 'lcus';
export type ModbusFraming = 'rtu' | 'tcp';

export type GateFault =
  | { kind: 'none' }
  /** Receive and apply requests, never answer (a board that hangs, a broken TX line). */
  | { kind: 'silent' }
  /** Apply and answer, with the CRC corrupted (RTU) or the transaction id wrong (Modbus TCP). */
  | { kind: 'bad-crc' }
  /** Answer every request with this exception code, without applying it. */
  | { kind: 'exception'; code: number }
  /** Apply, then answer after a delay. */
  | { kind: 'slow'; delayMs: number };

export interface GateSimOptions {
  mode?: GateMode;
  /** Modbus unit (slave) address. Default 1. */
  unit?: number;
  /** Number of relays. Default 8 (LCUS-1 boards have 1). */
  coils?: number;
  /** Number of inputs. Default 8. */
  inputs?: number;
  /** Default: RTU on a pty, Modbus TCP on TCP. 'rtu' on TCP simulates a serial-to-Ethernet converter. */
  framing?: ModbusFraming;
  /** Line silence that ends a partial RTU frame. Default 100 ms. */
  idleMs?: number;
  /** Clock for the history. Default performance.now-based milliseconds. */
  now?: () => number;
}

export interface CoilChange {
  coil: number;
  on: boolean;
  at: number;
}

export interface Pulse {
  coil: number;
  start: number;
  /** Undefined while still on. */
  end: number | undefined;
  durationMs: number | undefined;
}

export interface GateSimEvents {
  coil: CoilChange;
  input: { input: number; on: boolean; at: number };
  request: { request: ModbusRequest | { fn: 'lcus'; channel: number; on: boolean }; unit: number; peer: number };
  /** Bytes that were not a frame for us (garbage, bad CRC, bad header). */
  dropped: { reason: string; bytes: Uint8Array };
  connection: { peer: number; connected: boolean };
}

interface PeerState {
  rtu?: RtuFrameExtractor;
  tcp?: TcpFrameExtractor;
  lcus?: LcusFrameExtractor;
  idle?: ReturnType<typeof setTimeout>;
}

export class GateSim extends Emitter<GateSimEvents> {
  readonly mode: GateMode;
  readonly unit: number;
  readonly history: CoilChange[] = [];
  fault: GateFault = { kind: 'none' };
  readonly #coils: boolean[];
  readonly #inputs: boolean[];
  readonly #options: GateSimOptions;
  readonly #now: () => number;
  readonly #peers = new Map<number, PeerState>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #passes = new Set<() => void>();
  #framing: ModbusFraming = 'tcp';
  #endpoint: Endpoint | undefined;

  constructor(options: GateSimOptions = {}) {
    super();
    this.#options = options;
    this.mode = options.mode ?? 'modbus';
    this.unit = options.unit ?? 1;
    this.#coils = new Array<boolean>(options.coils ?? 8).fill(false);
    this.#inputs = new Array<boolean>(options.inputs ?? 8).fill(false);
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
  }

  async listen(spec: EndpointSpec): Promise<EndpointAddress> {
    if (this.#endpoint !== undefined) throw new Error('the gate simulator is already listening');
    this.#framing = this.#options.framing ?? ('serial' in spec ? 'rtu' : 'tcp');
    this.#endpoint = await openEndpoint(spec, {
      data: (bytes, peer) => this.#receive(bytes, peer),
      connect: (peer) => this.emit('connection', { peer: peer.id, connected: true }),
      disconnect: (peer) => {
        const state = this.#peers.get(peer.id);
        if (state?.idle !== undefined) clearTimeout(state.idle);
        this.#peers.delete(peer.id);
        this.emit('connection', { peer: peer.id, connected: false });
      },
    });
    return this.#endpoint.address;
  }

  get address(): EndpointAddress | undefined {
    return this.#endpoint?.address;
  }

  get framing(): ModbusFraming {
    return this.#framing;
  }

  get coils(): readonly boolean[] {
    return [...this.#coils];
  }

  get inputs(): readonly boolean[] {
    return [...this.#inputs];
  }

  /** On/off pairs of one coil from the history, oldest first. */
  pulses(coil: number): Pulse[] {
    const pulses: Pulse[] = [];
    let open: Pulse | undefined;
    for (const c of this.history) {
      if (c.coil !== coil) continue;
      if (c.on && open === undefined) {
        open = { coil, start: c.at, end: undefined, durationMs: undefined };
        pulses.push(open);
      } else if (!c.on && open !== undefined) {
        open.end = c.at;
        open.durationMs = c.at - open.start;
        open = undefined;
      }
    }
    return pulses;
  }

  setInput(input: number, on: boolean): void {
    if (input < 0 || input >= this.#inputs.length) throw new RangeError(`no input ${input}`);
    if (this.#inputs[input] === on) return;
    this.#inputs[input] = on;
    this.emit('input', { input, on, at: this.#now() });
  }

  /**
   * A person walks through: the passage sensor goes high for `durationMs` (default 300), then low.
   * Resolves when it is low again (at once if the simulator is closed meanwhile).
   */
  pass(options: { input?: number; durationMs?: number } = {}): Promise<void> {
    const input = options.input ?? 0;
    this.setInput(input, true);
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#passes.delete(finish);
        this.setInput(input, false);
        resolve();
      };
      const timer = setTimeout(finish, options.durationMs ?? 300);
      this.#passes.add(finish);
    });
  }

  /** Sets a coil as if the board did it (a manual override), recorded like any change. */
  setCoil(coil: number, on: boolean): void {
    if (coil < 0 || coil >= this.#coils.length) throw new RangeError(`no coil ${coil}`);
    this.#writeCoil(coil, on);
  }

  async close(): Promise<void> {
    for (const finish of [...this.#passes]) finish();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const p of this.#peers.values()) if (p.idle !== undefined) clearTimeout(p.idle);
    this.#peers.clear();
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    await endpoint?.close();
  }

  // ---- internals --------------------------------------------------------------------------------

  #state(peer: Peer): PeerState {
    let state = this.#peers.get(peer.id);
    if (state === undefined) {
      state = {};
      if (this.mode === 'lcus') state.lcus = new LcusFrameExtractor();
      else if (this.#framing === 'rtu') state.rtu = new RtuFrameExtractor('request');
      else state.tcp = new TcpFrameExtractor();
      this.#peers.set(peer.id, state);
    }
    return state;
  }

  #receive(bytes: Uint8Array, peer: Peer): void {
    const state = this.#state(peer);
    if (state.lcus !== undefined) {
      for (const e of state.lcus.push(bytes)) {
        if (e.kind === 'dropped') {
          this.emit('dropped', { reason: e.reason, bytes: e.bytes });
          continue;
        }
        const { channel, on } = e.command;
        this.emit('request', { request: { fn: 'lcus', channel, on }, unit: 0, peer: peer.id });
        if (channel >= 1 && channel <= this.#coils.length) this.#writeCoil(channel - 1, on);
      }
      return;
    }
    if (state.tcp !== undefined) {
      for (const e of state.tcp.push(bytes)) {
        if (e.kind === 'dropped') this.emit('dropped', { reason: e.reason, bytes: e.bytes });
        else if (e.unit === this.unit || e.unit === 0 || e.unit === 0xff) this.#request(e.pdu, e.unit, peer, e.transactionId);
      }
      return;
    }
    const rtu = state.rtu!;
    for (const e of rtu.push(bytes)) {
      if (e.kind === 'dropped') this.emit('dropped', { reason: e.reason, bytes: e.bytes });
      else if (e.unit === this.unit || e.unit === 0) this.#request(e.pdu, e.unit, peer, undefined);
    }
    if (state.idle !== undefined) clearTimeout(state.idle);
    state.idle = undefined;
    if (rtu.buffered > 0) {
      state.idle = setTimeout(() => {
        state.idle = undefined;
        for (const e of rtu.idle()) if (e.kind === 'dropped') this.emit('dropped', { reason: e.reason, bytes: e.bytes });
      }, this.#options.idleMs ?? 100);
    }
  }

  /** One request PDU: validate, apply, answer (unless broadcast or a fault says otherwise). */
  #request(pdu: Uint8Array, unit: number, peer: Peer, transactionId: number | undefined): void {
    const fault = this.fault;
    const decoded = decodeRequestPdu(pdu);
    let response: ModbusResponse;
    if (fault.kind === 'exception') {
      response = { fn: 'exception', functionCode: (pdu[0] ?? 0) & 0x7f, code: fault.code, name: 'UNKNOWN' };
    } else if (!decoded.ok) {
      response = decoded.exception;
    } else {
      this.emit('request', { request: decoded.request, unit, peer: peer.id });
      response = this.#apply(decoded.request);
    }
    // Broadcast (RTU unit 0) is never answered; Modbus TCP unit 0 is an ordinary request.
    if (transactionId === undefined && unit === 0) return;
    if (fault.kind === 'silent') return;
    const reply = this.#frame(encodeResponsePdu(response), unit, transactionId);
    if (fault.kind === 'slow') {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        peer.write(reply);
      }, fault.delayMs);
      this.#timers.add(timer);
    } else {
      peer.write(reply);
    }
  }

  #frame(pdu: Uint8Array, unit: number, transactionId: number | undefined): Uint8Array {
    const corrupt = this.fault.kind === 'bad-crc';
    if (transactionId !== undefined) return encodeTcpFrame(corrupt ? (transactionId + 1) & 0xffff : transactionId, unit, pdu);
    const frame = encodeRtuFrame(unit, pdu);
    if (corrupt) frame[frame.length - 1]! ^= 0xff;
    return frame;
  }

  #apply(request: ModbusRequest): ModbusResponse {
    const illegalAddress = (): ModbusResponse => ({
      fn: 'exception',
      functionCode: FUNCTION_CODES[request.fn],
      code: 0x02,
      name: 'ILLEGAL_DATA_ADDRESS',
    });
    switch (request.fn) {
      case 'readCoils':
      case 'readDiscreteInputs': {
        const bits = request.fn === 'readCoils' ? this.#coils : this.#inputs;
        if (request.address + request.quantity > bits.length) return illegalAddress();
        return { fn: request.fn, bits: bits.slice(request.address, request.address + request.quantity) };
      }
      case 'writeSingleCoil':
        if (request.address >= this.#coils.length) return illegalAddress();
        this.#writeCoil(request.address, request.value);
        return { fn: 'writeSingleCoil', address: request.address, value: request.value };
      case 'writeMultipleCoils':
        if (request.address + request.values.length > this.#coils.length) return illegalAddress();
        request.values.forEach((on, k) => this.#writeCoil(request.address + k, on));
        return { fn: 'writeMultipleCoils', address: request.address, quantity: request.values.length };
    }
  }

  #writeCoil(coil: number, on: boolean): void {
    if (this.#coils[coil] === on) return;
    this.#coils[coil] = on;
    const change = { coil, on, at: this.#now() };
    this.history.push(change);
    this.emit('coil', change);
  }
}
