/**
 * A Modbus master (client) over a Transport: one request at a time, each bounded by a timeout and
 * retried a few times, RTU framing (CRC, unit address) or Modbus TCP framing (MBAP transaction id),
 * independent of the transport (RTU over TCP is a serial-to-Ethernet converter).
 *
 * Why not modbus-serial: it owns its connection (no reconnect by USB identity, no bounded writes,
 * its own error strings), so it would bypass the Transport seam the other drivers use, and it does
 * not run on the mock transport with fake timers. The pure codec (devices/protocol/modbus.codec.ts)
 * already frames and checks everything; this adds only timing. modbus-serial stays as the
 * independent client the gate simulator is checked against.
 *
 * Matching: a reply is accepted only while its request is pending, from the configured unit (RTU)
 * or with the request's transaction id (TCP), and only if it fits the request (function, byte
 * count, echo: decodeResponsePdu). Anything else is counted and ignored, and the request goes on
 * waiting. Before each attempt a partial RTU frame left from earlier is dropped. A late reply to an
 * identical earlier request is indistinguishable from the answer (RTU has no ids); for reads and
 * idempotent writes that is a correct answer, only older.
 *
 * Errors: a Modbus exception is a definite answer (the board refused) and is not retried. When all
 * attempts time out the error is errors.device.modbus.badResponse if corrupt or mismatched replies
 * came back (wiring, noise, wrong unit), errors.device.timeout if nothing did. A lost link fails
 * the pending request at once with the transport's error.
 *
 * Function 06 (write single register, for boards that time a pulse themselves) is not in the codec,
 * and RtuFrameExtractor does not know its length, so it is framed here: its reply is an echo of the
 * request, matched byte for byte, or an exception frame.
 */
import { AppError } from '../../core/errors';
import {
  EXCEPTION_NAMES,
  RtuFrameExtractor,
  TcpFrameExtractor,
  decodeResponsePdu,
  encodeRequestPdu,
  encodeRtuFrame,
  encodeTcpFrame,
  hasValidCrc,
  modbusExceptionError,
  type ModbusException,
  type ModbusExceptionName,
  type ModbusRequest,
  type ModbusResponse,
} from '../protocol/modbus.codec';
import { disconnectedError, timeoutError, type Transport } from '../transport/transport';
import { systemClock, type DriverClock } from './driver-status';

export type ModbusFraming = 'rtu' | 'tcp';

export type WriteRegisterRequest = { fn: 'writeSingleRegister'; address: number; value: number };
export type MasterRequest = ModbusRequest | WriteRegisterRequest;
export type MasterResponse = Exclude<ModbusResponse, ModbusException> | WriteRegisterRequest;

export interface ModbusMasterOptions {
  transport: Transport;
  framing: ModbusFraming;
  /** Unit (slave) address. Default 1. */
  unit?: number;
  clock?: DriverClock;
  /** Bound of one attempt. Default 500 ms. */
  timeoutMs?: number;
  /** Further attempts after a timeout. Default 2. */
  retries?: number;
}

const BAD_REPLY_ORDER = ['CRC', 'transaction id', 'unit address', 'echo', 'byte count', 'function code', 'length', 'garbage'];

interface Pending {
  request: MasterRequest;
  /** RTU frame or TCP ADU as sent. */
  frame: Uint8Array;
  transactionId: number;
  resolve(response: MasterResponse): void;
  reject(error: AppError): void;
  /** Replies that were corrupt or did not fit, for the error after the last attempt. */
  bad: string[];
}

export class ModbusMaster {
  readonly #transport: Transport;
  readonly #framing: ModbusFraming;
  readonly #unit: number;
  readonly #clock: DriverClock;
  readonly #timeoutMs: number;
  readonly #retries: number;
  #rtu = new RtuFrameExtractor('response');
  #tcp = new TcpFrameExtractor();
  /** Raw bytes while a function 06 request waits (RTU). */
  #raw: number[] = [];
  #pending: Pending | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #transactionId = 0;

  constructor(options: ModbusMasterOptions) {
    this.#transport = options.transport;
    this.#framing = options.framing;
    this.#unit = options.unit ?? 1;
    this.#clock = options.clock ?? systemClock();
    this.#timeoutMs = options.timeoutMs ?? 500;
    this.#retries = options.retries ?? 2;
    if (!Number.isInteger(this.#unit) || this.#unit < (this.#framing === 'rtu' ? 1 : 0) || this.#unit > 255) {
      throw new AppError('INVALID', 'errors.device.invalidArgument', { name: 'unit', value: this.#unit });
    }
  }

  /** Requests run one after another, in call order. */
  request(request: MasterRequest): Promise<MasterResponse> {
    const run = this.#queue.then(() => this.#run(request));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async readCoils(address: number, quantity: number): Promise<boolean[]> {
    const r = await this.request({ fn: 'readCoils', address, quantity });
    return 'bits' in r ? r.bits : [];
  }

  async readDiscreteInputs(address: number, quantity: number): Promise<boolean[]> {
    const r = await this.request({ fn: 'readDiscreteInputs', address, quantity });
    return 'bits' in r ? r.bits : [];
  }

  async writeCoil(address: number, value: boolean): Promise<void> {
    await this.request({ fn: 'writeSingleCoil', address, value });
  }

  async writeRegister(address: number, value: number): Promise<void> {
    await this.request({ fn: 'writeSingleRegister', address, value });
  }

  /** Bytes from the transport. */
  push(bytes: Uint8Array): void {
    if (this.#framing === 'tcp') this.#pushTcp(bytes);
    else this.#pushRtu(bytes);
  }

  /** The link changed: drop partial frames; a pending request fails with `error` (no retry). */
  reset(error?: AppError): void {
    this.#rtu = new RtuFrameExtractor('response');
    this.#tcp = new TcpFrameExtractor();
    this.#raw = [];
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) pending.reject(error ?? disconnectedError(this.#transport.description));
  }

  // ---- internals --------------------------------------------------------------------------------

  async #run(request: MasterRequest): Promise<MasterResponse> {
    const pdu = requestPdu(request);
    const bad: string[] = [];
    for (let attempt = 0; attempt <= this.#retries; attempt++) {
      const transactionId = (this.#transactionId = (this.#transactionId + 1) & 0xffff);
      const frame = this.#framing === 'tcp' ? encodeTcpFrame(transactionId, this.#unit, pdu) : encodeRtuFrame(this.#unit, pdu);
      this.#rtu.idle();
      this.#raw = [];
      const outcome = await new Promise<{ ok: true; response: MasterResponse } | { ok: false; error: AppError | 'timeout' }>((resolve) => {
        const timer = this.#clock.setTimeout(() => {
          if (this.#pending === pending) this.#pending = undefined;
          resolve({ ok: false, error: 'timeout' });
        }, this.#timeoutMs);
        const pending: Pending = {
          request,
          frame,
          transactionId,
          bad,
          resolve: (response) => {
            this.#clock.clearTimeout(timer);
            resolve({ ok: true, response });
          },
          reject: (error) => {
            this.#clock.clearTimeout(timer);
            resolve({ ok: false, error });
          },
        };
        this.#pending = pending;
        this.#transport.write(frame).catch((e: unknown) => {
          if (this.#pending !== pending) return;
          this.#pending = undefined;
          pending.reject(AppError.is(e) ? e : disconnectedError(this.#transport.description));
        });
      });
      if (outcome.ok) return outcome.response;
      if (outcome.error !== 'timeout') throw outcome.error;
    }
    if (bad.length > 0) {
      // The most telling reason: the tail of a frame with a bad CRC also shows up as garbage.
      const reason = BAD_REPLY_ORDER.find((r) => bad.includes(r)) ?? bad[0]!;
      throw new AppError('DEVICE_FAULT', 'errors.device.modbus.badResponse', { reason });
    }
    throw timeoutError(this.#transport.description);
  }

  #pushRtu(bytes: Uint8Array): void {
    const pending = this.#pending;
    if (pending?.request.fn === 'writeSingleRegister') {
      this.#raw.push(...bytes);
      const raw = Uint8Array.from(this.#raw);
      if (indexOf(raw, pending.frame) >= 0) {
        this.#answer(pending, pending.frame.subarray(1, pending.frame.length - 2));
      } else {
        const ex = findRtuException(raw, this.#unit, 0x86);
        if (ex !== undefined) this.#answer(pending, ex);
      }
    }
    for (const e of this.#rtu.push(bytes)) {
      const p = this.#pending;
      if (p === undefined) continue;
      if (e.kind === 'dropped') {
        // The function 06 echo and its exception are not frames the extractor knows.
        if (p.request.fn !== 'writeSingleRegister') p.bad.push(e.reason === 'bad-crc' ? 'CRC' : 'garbage');
        continue;
      }
      if (e.unit !== this.#unit) {
        p.bad.push('unit address');
        continue;
      }
      this.#answer(p, e.pdu);
    }
  }

  #pushTcp(bytes: Uint8Array): void {
    for (const e of this.#tcp.push(bytes)) {
      const p = this.#pending;
      if (p === undefined) continue;
      if (e.kind === 'dropped') {
        p.bad.push('garbage');
        continue;
      }
      if (e.transactionId !== p.transactionId) {
        p.bad.push('transaction id');
        continue;
      }
      this.#answer(p, e.pdu);
    }
  }

  #answer(pending: Pending, pdu: Uint8Array): void {
    if (this.#pending !== pending) return;
    let response: ModbusResponse | WriteRegisterRequest;
    try {
      response = decodePdu(pending.request, pdu);
    } catch (e) {
      pending.bad.push(AppError.is(e) ? String(e.params.reason ?? 'reply') : 'reply');
      return;
    }
    this.#pending = undefined;
    if (response.fn === 'exception') pending.reject(modbusExceptionError(response));
    else pending.resolve(response);
  }
}

function requestPdu(request: MasterRequest): Uint8Array {
  if (request.fn !== 'writeSingleRegister') return encodeRequestPdu(request);
  for (const [name, n] of [
    ['address', request.address],
    ['value', request.value],
  ] as const) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new AppError('INVALID', 'errors.device.invalidArgument', { name, value: n });
  }
  return Uint8Array.of(0x06, request.address >> 8, request.address & 0xff, request.value >> 8, request.value & 0xff);
}

function decodePdu(request: MasterRequest, pdu: Uint8Array): ModbusResponse | WriteRegisterRequest {
  if (request.fn !== 'writeSingleRegister') return decodeResponsePdu(request, pdu);
  if (pdu[0] === 0x86 && pdu.length === 2) {
    const code = pdu[1] ?? 0;
    return { fn: 'exception', functionCode: 0x06, code, name: (EXCEPTION_NAMES as Record<number, ModbusExceptionName>)[code] ?? 'UNKNOWN' };
  }
  const expected = requestPdu(request);
  if (pdu.length !== expected.length || pdu.some((b, i) => b !== expected[i])) {
    throw new AppError('DEVICE_FAULT', 'errors.device.modbus.badResponse', { reason: 'echo' });
  }
  return request;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The PDU of an RTU exception frame (unit, code, exception, CRC) somewhere in `raw`. */
function findRtuException(raw: Uint8Array, unit: number, code: number): Uint8Array | undefined {
  for (let i = 0; i + 5 <= raw.length; i++) {
    if (raw[i] !== unit || raw[i + 1] !== code) continue;
    const frame = raw.subarray(i, i + 5);
    if (hasValidCrc(frame)) return frame.slice(1, 3);
  }
  return undefined;
}
