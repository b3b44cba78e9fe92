/**
 * Modbus for relay and gate boards: the PDU for coils and discrete inputs, RTU and TCP framing.
 *
 * PDU (MODBUS Application Protocol V1.1b3): function code + data, big-endian 16-bit fields.
 *   01 Read Coils / 02 Read Discrete Inputs: address, quantity (1–2000) → byte count, bits
 *      packed LSB first (bit 0 of the first byte is the first coil), last byte padded with zeros.
 *   05 Write Single Coil: address, FF00 (on) or 0000 (off) → echo of the request.
 *   0F Write Multiple Coils: address, quantity (1–1968), byte count, packed bits → address, quantity.
 *   Exception: function code | 0x80, one exception code (01 illegal function, 02 illegal data
 *   address, 03 illegal data value, 04 server device failure, …).
 * RTU (MODBUS over Serial Line V1.02): unit address (1–247, 0 = broadcast) + PDU + CRC-16/MODBUS
 *   (polynomial 0xA001 reflected, initial 0xFFFF, no final XOR), low byte first.
 * TCP (MODBUS Messaging on TCP/IP Implementation Guide V1.0b): MBAP header of transaction id,
 *   protocol id 0, length (unit id + PDU bytes), unit id; then the PDU; no CRC.
 *
 * RTU frames carry no length and are meant to be delimited by 3.5 character times of silence,
 * which a USB serial adapter does not preserve. `RtuFrameExtractor` infers the length from the
 * function code (and byte count) of the functions above, checks the CRC, and on a bad CRC or an
 * impossible header drops one byte and tries again (resync). A garbage header that announces a
 * long frame would stall it, so when the frame at the head is incomplete it also looks for a
 * complete frame with a good CRC further on and skips to it; a CRC collision makes that wrong
 * about once in 65536 candidates, which is why it only happens when the head is stuck. `idle()`
 * (called on line silence) drops whatever is left.
 *
 * Pure: no I/O, no timers. Used by the gate driver (master) and the gate simulator (server).
 */
import { AppError } from '../../core/errors';

export const FUNCTION_CODES = {
  readCoils: 0x01,
  readDiscreteInputs: 0x02,
  writeSingleCoil: 0x05,
  writeMultipleCoils: 0x0f,
} as const;
export type ModbusFunction = keyof typeof FUNCTION_CODES;

const MAX_READ_BITS = 0x07d0; // 2000
const MAX_WRITE_BITS = 0x07b0; // 1968

export type ModbusRequest =
  | { fn: 'readCoils'; address: number; quantity: number }
  | { fn: 'readDiscreteInputs'; address: number; quantity: number }
  | { fn: 'writeSingleCoil'; address: number; value: boolean }
  | { fn: 'writeMultipleCoils'; address: number; values: boolean[] };

export const EXCEPTION_NAMES = {
  0x01: 'ILLEGAL_FUNCTION',
  0x02: 'ILLEGAL_DATA_ADDRESS',
  0x03: 'ILLEGAL_DATA_VALUE',
  0x04: 'SERVER_DEVICE_FAILURE',
  0x05: 'ACKNOWLEDGE',
  0x06: 'SERVER_DEVICE_BUSY',
  0x08: 'MEMORY_PARITY_ERROR',
  0x0a: 'GATEWAY_PATH_UNAVAILABLE',
  0x0b: 'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
} as const;
export type ModbusExceptionName = (typeof EXCEPTION_NAMES)[keyof typeof EXCEPTION_NAMES] | 'UNKNOWN';

export interface ModbusException {
  fn: 'exception';
  /** The function code of the request (without the 0x80 flag). */
  functionCode: number;
  code: number;
  name: ModbusExceptionName;
}

export type ModbusResponse =
  | { fn: 'readCoils'; bits: boolean[] }
  | { fn: 'readDiscreteInputs'; bits: boolean[] }
  | { fn: 'writeSingleCoil'; address: number; value: boolean }
  | { fn: 'writeMultipleCoils'; address: number; quantity: number }
  | ModbusException;

// ---- bits ---------------------------------------------------------------------------------------

/** Bits packed LSB first, the last byte padded with zeros. */
export function packBits(bits: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((on, i) => {
    if (on) out[i >> 3]! |= 1 << (i & 7);
  });
  return out;
}

export function unpackBits(bytes: Uint8Array, count: number): boolean[] {
  return Array.from({ length: count }, (_, i) => ((bytes[i >> 3] ?? 0) & (1 << (i & 7))) !== 0);
}

// ---- PDU ----------------------------------------------------------------------------------------

export function encodeRequestPdu(request: ModbusRequest): Uint8Array {
  checkUint16('address', request.address);
  switch (request.fn) {
    case 'readCoils':
    case 'readDiscreteInputs':
      checkRange('quantity', request.quantity, 1, MAX_READ_BITS);
      checkRange('address + quantity', request.address + request.quantity, 1, 0x10000);
      return Uint8Array.of(FUNCTION_CODES[request.fn], ...u16(request.address), ...u16(request.quantity));
    case 'writeSingleCoil':
      return Uint8Array.of(FUNCTION_CODES.writeSingleCoil, ...u16(request.address), request.value ? 0xff : 0x00, 0x00);
    case 'writeMultipleCoils': {
      const n = request.values.length;
      checkRange('quantity', n, 1, MAX_WRITE_BITS);
      checkRange('address + quantity', request.address + n, 1, 0x10000);
      const data = packBits(request.values);
      return Uint8Array.of(FUNCTION_CODES.writeMultipleCoils, ...u16(request.address), ...u16(n), data.length, ...data);
    }
  }
}

/** What a server makes of a request PDU: the request, or the exception it must answer with. */
export type RequestDecodeResult = { ok: true; request: ModbusRequest } | { ok: false; exception: ModbusException };

/** Server side (the simulator): validation and exception codes per the spec's state diagrams. */
export function decodeRequestPdu(pdu: Uint8Array): RequestDecodeResult {
  const code = pdu[0] ?? 0;
  const fail = (c: number): RequestDecodeResult => ({ ok: false, exception: exception(code, c) });
  const address = read16(pdu, 1);
  switch (code) {
    case FUNCTION_CODES.readCoils:
    case FUNCTION_CODES.readDiscreteInputs: {
      if (pdu.length !== 5) return fail(0x03);
      const quantity = read16(pdu, 3);
      if (quantity < 1 || quantity > MAX_READ_BITS) return fail(0x03);
      if (address + quantity > 0x10000) return fail(0x02);
      const fn = code === FUNCTION_CODES.readCoils ? 'readCoils' : 'readDiscreteInputs';
      return { ok: true, request: { fn, address, quantity } };
    }
    case FUNCTION_CODES.writeSingleCoil: {
      if (pdu.length !== 5) return fail(0x03);
      const value = read16(pdu, 3);
      if (value !== 0xff00 && value !== 0x0000) return fail(0x03);
      return { ok: true, request: { fn: 'writeSingleCoil', address, value: value === 0xff00 } };
    }
    case FUNCTION_CODES.writeMultipleCoils: {
      const quantity = read16(pdu, 3);
      const byteCount = pdu[5] ?? -1;
      if (quantity < 1 || quantity > MAX_WRITE_BITS || byteCount !== Math.ceil(quantity / 8) || pdu.length !== 6 + byteCount) {
        return fail(0x03);
      }
      if (address + quantity > 0x10000) return fail(0x02);
      return { ok: true, request: { fn: 'writeMultipleCoils', address, values: unpackBits(pdu.subarray(6), quantity) } };
    }
    default:
      return fail(0x01);
  }
}

export function encodeResponsePdu(response: ModbusResponse): Uint8Array {
  switch (response.fn) {
    case 'readCoils':
    case 'readDiscreteInputs': {
      checkRange('quantity', response.bits.length, 1, MAX_READ_BITS);
      const data = packBits(response.bits);
      return Uint8Array.of(FUNCTION_CODES[response.fn], data.length, ...data);
    }
    case 'writeSingleCoil':
      checkUint16('address', response.address);
      return Uint8Array.of(FUNCTION_CODES.writeSingleCoil, ...u16(response.address), response.value ? 0xff : 0x00, 0x00);
    case 'writeMultipleCoils':
      checkUint16('address', response.address);
      checkRange('quantity', response.quantity, 1, MAX_WRITE_BITS);
      return Uint8Array.of(FUNCTION_CODES.writeMultipleCoils, ...u16(response.address), ...u16(response.quantity));
    case 'exception':
      checkRange('functionCode', response.functionCode, 1, 0x7f);
      checkRange('code', response.code, 1, 0xff);
      return Uint8Array.of(response.functionCode | 0x80, response.code);
  }
}

/**
 * Master side: the response PDU to `request`, checked against it (function, byte count, echo).
 * An exception response is a valid answer and is returned (see `modbusExceptionError`); a reply
 * that does not fit the request throws DEVICE_FAULT.
 */
export function decodeResponsePdu(request: ModbusRequest, pdu: Uint8Array): ModbusResponse {
  const expected = FUNCTION_CODES[request.fn];
  const code = pdu[0];
  if (code === (expected | 0x80)) {
    if (pdu.length !== 2) badResponse('exception length');
    return exception(expected, pdu[1] ?? 0);
  }
  if (code !== expected) badResponse('function code');
  switch (request.fn) {
    case 'readCoils':
    case 'readDiscreteInputs': {
      const byteCount = pdu[1] ?? -1;
      if (byteCount !== Math.ceil(request.quantity / 8) || pdu.length !== 2 + byteCount) badResponse('byte count');
      return { fn: request.fn, bits: unpackBits(pdu.subarray(2), request.quantity) };
    }
    case 'writeSingleCoil': {
      if (pdu.length !== 5) badResponse('length');
      const value = read16(pdu, 3);
      if (read16(pdu, 1) !== request.address || value !== (request.value ? 0xff00 : 0x0000)) badResponse('echo');
      return { fn: 'writeSingleCoil', address: request.address, value: request.value };
    }
    case 'writeMultipleCoils': {
      if (pdu.length !== 5) badResponse('length');
      if (read16(pdu, 1) !== request.address || read16(pdu, 3) !== request.values.length) badResponse('echo');
      return { fn: 'writeMultipleCoils', address: request.address, quantity: request.values.length };
    }
  }
}

const EXCEPTION_KEYS: Record<number, string> = {
  0x01: 'errors.device.modbus.illegalFunction',
  0x02: 'errors.device.modbus.illegalDataAddress',
  0x03: 'errors.device.modbus.illegalDataValue',
  0x04: 'errors.device.modbus.deviceFailure',
};

/** The AppError a driver reports for an exception response. */
export function modbusExceptionError(e: ModbusException): AppError {
  return new AppError('DEVICE_FAULT', EXCEPTION_KEYS[e.code] ?? 'errors.device.modbus.exception', {
    function: e.functionCode,
    code: e.code,
    name: e.name,
  });
}

function exception(functionCode: number, code: number): ModbusException {
  const name = (EXCEPTION_NAMES as Record<number, ModbusExceptionName>)[code] ?? 'UNKNOWN';
  return { fn: 'exception', functionCode: functionCode & 0x7f, code, name };
}

// ---- RTU ----------------------------------------------------------------------------------------

/** CRC-16/MODBUS: reflected polynomial 0xA001, initial 0xFFFF. Sent low byte first. */
export function crc16Modbus(bytes: Uint8Array | readonly number[]): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** Whether the last two bytes of `frame` are the CRC of the rest. */
export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  const crc = crc16Modbus(frame.subarray(0, frame.length - 2));
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8;
}

export function encodeRtuFrame(unit: number, pdu: Uint8Array): Uint8Array {
  checkRange('unit', unit, 0, 247);
  const frame = new Uint8Array(pdu.length + 3);
  frame[0] = unit;
  frame.set(pdu, 1);
  const crc = crc16Modbus(frame.subarray(0, pdu.length + 1));
  frame[pdu.length + 1] = crc & 0xff;
  frame[pdu.length + 2] = crc >>> 8;
  return frame;
}

export function encodeRtuRequest(unit: number, request: ModbusRequest): Uint8Array {
  return encodeRtuFrame(unit, encodeRequestPdu(request));
}

/** One whole RTU frame (as cut by `RtuFrameExtractor` or a silence timer). Throws on a bad CRC. */
export function decodeRtuFrame(frame: Uint8Array): { unit: number; pdu: Uint8Array } {
  if (frame.length < 4) badResponse('frame too short');
  if (!hasValidCrc(frame)) badResponse('CRC');
  return { unit: frame[0]!, pdu: frame.slice(1, frame.length - 2) };
}

export type RtuDropReason =
  /** An address, function code or byte count no frame of ours can have. */
  | 'bad-header'
  /** A complete frame by its header whose CRC does not match. */
  | 'bad-crc'
  /** Skipped to a later complete frame while the head was still incomplete. */
  | 'resync'
  /** Left over when the line went quiet (`idle()`). */
  | 'incomplete';

export type RtuEvent =
  | { kind: 'frame'; unit: number; pdu: Uint8Array; raw: Uint8Array }
  | { kind: 'dropped'; reason: RtuDropReason; bytes: Uint8Array };

/**
 * Cuts RTU frames out of a byte stream. `direction: 'response'` on the master (frames from
 * servers), `'request'` on a server or simulator. Knows the framing of functions 01, 02, 05, 0F
 * and exception responses.
 */
export class RtuFrameExtractor {
  readonly #direction: 'request' | 'response';
  #buffer: Uint8Array = new Uint8Array(0);
  /** Buffer length at the last look-ahead: candidates ending before it were checked already. */
  #scanned = 0;

  constructor(direction: 'request' | 'response') {
    this.#direction = direction;
  }

  push(chunk: Uint8Array): RtuEvent[] {
    const merged = new Uint8Array(this.#buffer.length + chunk.length);
    merged.set(this.#buffer);
    merged.set(chunk, this.#buffer.length);
    this.#buffer = merged;
    const events: RtuEvent[] = [];
    for (;;) {
      const buf = this.#buffer;
      if (buf.length === 0) break;
      const length = rtuFrameLength(buf, this.#direction);
      if (length === 'invalid') {
        this.#drop(events, 'bad-header', 1);
        continue;
      }
      if (length === 'need-more' || buf.length < length) {
        const skip = this.#lookAhead();
        if (skip === 0) break;
        this.#drop(events, 'resync', skip);
        continue;
      }
      const frame = buf.slice(0, length);
      if (!hasValidCrc(frame)) {
        this.#drop(events, 'bad-crc', 1);
        continue;
      }
      events.push({ kind: 'frame', unit: frame[0]!, pdu: frame.slice(1, length - 2), raw: frame });
      this.#consume(length);
    }
    return events;
  }

  /** The line went quiet: no frame spans a silence, so whatever is buffered is dropped. */
  idle(): RtuEvent[] {
    const events: RtuEvent[] = [];
    if (this.#buffer.length > 0) this.#drop(events, 'incomplete', this.#buffer.length);
    return events;
  }

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Offset of the first later complete frame with a good CRC, or 0. */
  #lookAhead(): number {
    const buf = this.#buffer;
    const scanned = this.#scanned;
    this.#scanned = buf.length;
    for (let k = 1; k < buf.length; k++) {
      const length = rtuFrameLength(buf.subarray(k), this.#direction);
      if (typeof length !== 'number' || k + length > buf.length || k + length <= scanned) continue;
      if (hasValidCrc(buf.subarray(k, k + length))) return k;
    }
    return 0;
  }

  #consume(n: number): void {
    this.#buffer = this.#buffer.slice(n);
    this.#scanned = Math.max(0, this.#scanned - n);
  }

  #drop(events: RtuEvent[], reason: RtuDropReason, n: number): void {
    const bytes = this.#buffer.slice(0, n);
    this.#consume(n);
    const last = events[events.length - 1];
    if (last?.kind === 'dropped' && last.reason === reason) {
      const merged = new Uint8Array(last.bytes.length + bytes.length);
      merged.set(last.bytes);
      merged.set(bytes, last.bytes.length);
      events[events.length - 1] = { kind: 'dropped', reason, bytes: merged };
    } else {
      events.push({ kind: 'dropped', reason, bytes });
    }
  }
}

/** The length of the RTU frame at the start of `buf`, as far as its header tells. */
function rtuFrameLength(buf: Uint8Array, direction: 'request' | 'response'): number | 'need-more' | 'invalid' {
  const unit = buf[0]!;
  if (unit > 247 || (direction === 'response' && unit === 0)) return 'invalid';
  if (buf.length < 2) return 'need-more';
  const code = buf[1]!;
  if (direction === 'response') {
    if (code & 0x80) return isOurFunction(code & 0x7f) ? 5 : 'invalid';
    if (code === FUNCTION_CODES.readCoils || code === FUNCTION_CODES.readDiscreteInputs) {
      if (buf.length < 3) return 'need-more';
      const byteCount = buf[2]!;
      return byteCount >= 1 && byteCount <= MAX_READ_BITS / 8 ? 5 + byteCount : 'invalid';
    }
    if (code === FUNCTION_CODES.writeSingleCoil || code === FUNCTION_CODES.writeMultipleCoils) return 8;
    return 'invalid';
  }
  if (code === FUNCTION_CODES.readCoils || code === FUNCTION_CODES.readDiscreteInputs || code === FUNCTION_CODES.writeSingleCoil) return 8;
  if (code === FUNCTION_CODES.writeMultipleCoils) {
    if (buf.length < 7) return 'need-more';
    const byteCount = buf[6]!;
    return byteCount >= 1 && byteCount <= MAX_WRITE_BITS / 8 ? 9 + byteCount : 'invalid';
  }
  return 'invalid';
}

function isOurFunction(code: number): boolean {
  return (Object.values(FUNCTION_CODES) as number[]).includes(code);
}

// ---- TCP ----------------------------------------------------------------------------------------

/** MBAP header + PDU. */
export function encodeTcpFrame(transactionId: number, unit: number, pdu: Uint8Array): Uint8Array {
  checkUint16('transactionId', transactionId);
  checkRange('unit', unit, 0, 255);
  checkRange('pdu length', pdu.length, 1, 253);
  return Uint8Array.of(...u16(transactionId), 0x00, 0x00, ...u16(pdu.length + 1), unit, ...pdu);
}

export type TcpEvent =
  | { kind: 'frame'; transactionId: number; unit: number; pdu: Uint8Array }
  | { kind: 'dropped'; reason: 'bad-header'; bytes: Uint8Array };

/**
 * Cuts Modbus TCP frames (ADUs) out of a TCP byte stream by their MBAP length. A header with a
 * protocol id other than 0 or an impossible length means the stream is out of step; one byte is
 * dropped and the next position tried (a driver may prefer to reconnect when it sees this).
 */
export class TcpFrameExtractor {
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): TcpEvent[] {
    const merged = new Uint8Array(this.#buffer.length + chunk.length);
    merged.set(this.#buffer);
    merged.set(chunk, this.#buffer.length);
    let buf = merged;
    const events: TcpEvent[] = [];
    while (buf.length >= 7) {
      const length = read16(buf, 4);
      if (read16(buf, 2) !== 0 || length < 2 || length > 254) {
        const last = events[events.length - 1];
        if (last?.kind === 'dropped') last.bytes = Uint8Array.of(...last.bytes, buf[0]!);
        else events.push({ kind: 'dropped', reason: 'bad-header', bytes: buf.slice(0, 1) });
        buf = buf.subarray(1);
        continue;
      }
      if (buf.length < 6 + length) break;
      events.push({ kind: 'frame', transactionId: read16(buf, 0), unit: buf[6]!, pdu: buf.slice(7, 6 + length) });
      buf = buf.subarray(6 + length);
    }
    this.#buffer = buf.slice();
    return events;
  }

  get buffered(): number {
    return this.#buffer.length;
  }
}

// ---- helpers ------------------------------------------------------------------------------------

function u16(n: number): [number, number] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

function read16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function checkUint16(name: string, n: number): void {
  checkRange(name, n, 0, 0xffff);
}

function checkRange(name: string, n: number, min: number, max: number): void {
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('INVALID', 'errors.device.invalidArgument', { name, value: n });
  }
}

function badResponse(reason: string): never {
  throw new AppError('DEVICE_FAULT', 'errors.device.modbus.badResponse', { reason });
}
