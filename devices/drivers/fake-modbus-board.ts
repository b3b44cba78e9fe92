/**
 * A scripted Modbus relay board behind a MockTransport, for the gate driver's and the Modbus
 * master's unit tests (fake timers): coils, inputs, function 06 as a board-timed pulse, and the
 * faults a driver must survive. Test-only; nothing in the app imports it. The gate simulator
 * (devices/sim/gate.sim.ts) is the integration counterpart over real ports.
 */
import {
  decodeRequestPdu,
  encodeResponsePdu,
  encodeRtuFrame,
  encodeTcpFrame,
  hasValidCrc,
  type ModbusResponse,
} from '../protocol/modbus.codec';
import type { MockTransport } from '../transport/mock.transport';

export type BoardFault =
  | 'none'
  /** Applies requests, never answers. */
  | 'silent'
  /** Applies and answers with a corrupted CRC (RTU) or a wrong transaction id (TCP). */
  | 'bad-crc'
  /** Acknowledges coil writes without switching (a dead relay driver). */
  | 'no-switch'
  /** Switches on, acknowledges off without switching off (a welded contact). */
  | 'stuck-on'
  /** Answers every request with this exception code. */
  | { exception: number };

export interface FakeBoardOptions {
  framing: 'rtu' | 'tcp';
  unit?: number;
  /** Holding register that starts a timed pulse on `boardPulseCoil`, value × unitMs long. */
  boardPulse?: { register: number; coil: number; unitMs: number };
}

export class FakeModbusBoard {
  readonly coils: boolean[] = new Array<boolean>(8).fill(false);
  readonly inputs: boolean[] = new Array<boolean>(8).fill(false);
  /** Function codes received, in order (6 included). */
  readonly functions: number[] = [];
  /** Coil changes with Date.now() (fake timers). */
  readonly history: { coil: number; on: boolean; at: number }[] = [];
  fault: BoardFault = 'none';
  /** Board-timed pulses are started but never ended (a board whose timer fails). */
  ignoreBoardTimer = false;
  readonly #options: FakeBoardOptions;

  constructor(t: MockTransport, options: FakeBoardOptions) {
    this.#options = options;
    t.respond((w) => this.#handle(w));
  }

  setCoil(coil: number, on: boolean): void {
    if (this.coils[coil] === on) return;
    this.coils[coil] = on;
    this.history.push({ coil, on, at: Date.now() });
  }

  /** On/off pairs of one coil with their durations. */
  pulses(coil: number): { start: number; end: number | undefined }[] {
    const out: { start: number; end: number | undefined }[] = [];
    for (const h of this.history) {
      if (h.coil !== coil) continue;
      if (h.on) out.push({ start: h.at, end: undefined });
      else if (out.length > 0 && out[out.length - 1]!.end === undefined) out[out.length - 1]!.end = h.at;
    }
    return out;
  }

  #handle(w: Uint8Array): Uint8Array | undefined {
    const unit = this.#options.unit ?? 1;
    let pdu: Uint8Array;
    let tid: number | undefined;
    if (this.#options.framing === 'rtu') {
      if (!hasValidCrc(w) || w[0] !== unit) return undefined;
      pdu = w.slice(1, w.length - 2);
    } else {
      tid = ((w[0] ?? 0) << 8) | (w[1] ?? 0);
      pdu = w.slice(7);
    }
    const code = pdu[0] ?? 0;
    this.functions.push(code);
    const fault = this.fault;
    let reply: Uint8Array;
    if (typeof fault === 'object') {
      reply = encodeResponsePdu({ fn: 'exception', functionCode: code, code: fault.exception, name: 'UNKNOWN' });
    } else if (code === 0x06) {
      reply = pdu; // echo
      const register = ((pdu[1] ?? 0) << 8) | (pdu[2] ?? 0);
      const value = ((pdu[3] ?? 0) << 8) | (pdu[4] ?? 0);
      const bp = this.#options.boardPulse;
      if (bp !== undefined && register === bp.register) {
        this.setCoil(bp.coil, true);
        if (!this.ignoreBoardTimer) setTimeout(() => this.setCoil(bp.coil, false), value * bp.unitMs);
      }
    } else {
      const decoded = decodeRequestPdu(pdu);
      let response: ModbusResponse;
      if (!decoded.ok) {
        response = decoded.exception;
      } else {
        const r = decoded.request;
        switch (r.fn) {
          case 'readCoils':
            response = { fn: r.fn, bits: this.coils.slice(r.address, r.address + r.quantity) };
            break;
          case 'readDiscreteInputs':
            response = { fn: r.fn, bits: this.inputs.slice(r.address, r.address + r.quantity) };
            break;
          case 'writeSingleCoil':
            if (fault !== 'no-switch' && !(fault === 'stuck-on' && !r.value)) this.setCoil(r.address, r.value);
            response = { fn: r.fn, address: r.address, value: r.value };
            break;
          case 'writeMultipleCoils':
            r.values.forEach((v, k) => this.setCoil(r.address + k, v));
            response = { fn: r.fn, address: r.address, quantity: r.values.length };
            break;
        }
      }
      reply = encodeResponsePdu(response);
    }
    if (fault === 'silent') return undefined;
    if (tid !== undefined) return encodeTcpFrame(fault === 'bad-crc' ? (tid + 1) & 0xffff : tid, unit, reply);
    const frame = encodeRtuFrame(unit, reply);
    if (fault === 'bad-crc') frame[frame.length - 1]! ^= 0xff;
    return frame;
  }
}
