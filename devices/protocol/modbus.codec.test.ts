import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import {
  RtuFrameExtractor,
  TcpFrameExtractor,
  crc16Modbus,
  decodeRequestPdu,
  decodeResponsePdu,
  decodeRtuFrame,
  encodeRequestPdu,
  encodeResponsePdu,
  encodeRtuFrame,
  encodeRtuRequest,
  encodeTcpFrame,
  hasValidCrc,
  modbusExceptionError,
  type ModbusRequest,
  type ModbusResponse,
  type RtuEvent,
} from './modbus.codec';
import { concatBytes, fromHex, toHex } from './hex';
import { chunkings } from './test-chunks';

// Sources:
// [APP] MODBUS Application Protocol Specification V1.1b3 (modbus.org), the example under each
//       function: 6.1 (01 Read Coils), 6.2 (02 Read Discrete Inputs), 6.5 (05 Write Single Coil),
//       6.11 (15 Write Multiple Coils), 7 (MODBUS Exception Responses).
// [SM]  Simply Modbus (simplymodbus.ca) RTU examples for FC01, FC02, FC05, FC15: the same
//       requests for slave address 17 (0x11), with their CRCs.
// [CAT] Greg Cook, "Catalogue of parametrised CRC algorithms" (CRC RevEng), CRC-16/MODBUS:
//       poly 0x8005 (0xA001 reflected), init 0xFFFF, refin/refout true, xorout 0, check 0x4B37.
// [TCP] MODBUS Messaging on TCP/IP Implementation Guide V1.0b, 3.1.3 "MBAP header": transaction
//       id (2), protocol id (2) = 0, length (2) = following bytes, unit id (1).

const hex = (b: Uint8Array) => toHex(b);

describe('CRC-16/MODBUS', () => {
  it('has the catalogue check value', () => {
    // [CAT] check = CRC of ASCII "123456789" = 0x4B37.
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it('matches the CRCs of published frames, low byte first', () => {
    // [SM] FC01 request / response, FC02 request / response, FC05, FC15 request / response.
    for (const frame of [
      '11 01 00 13 00 25 0E 84',
      '11 01 05 CD 6B B2 0E 1B 45 E6',
      '11 02 00 C4 00 16 BA A9',
      '11 02 03 AC DB 35 20 18',
      '11 05 00 AC FF 00 4E 8B',
      '11 0F 00 13 00 0A 02 CD 01 BF 0B',
      '11 0F 00 13 00 0A 26 99',
    ]) {
      expect(hasValidCrc(fromHex(frame)), frame).toBe(true);
    }
  });

  it('write single coil for unit 1 is 01 05 00 AC FF 00 4C 1B (4E 8B is the CRC for unit 0x11)', () => {
    // [APP] 6.5 PDU 05 00 AC FF 00 with unit 1; [SM] FC05 has the same PDU for unit 0x11 → 4E 8B.
    expect(hex(encodeRtuRequest(1, { fn: 'writeSingleCoil', address: 0xac, value: true }))).toBe('01 05 00 AC FF 00 4C 1B');
    expect(hex(encodeRtuRequest(0x11, { fn: 'writeSingleCoil', address: 0xac, value: true }))).toBe('11 05 00 AC FF 00 4E 8B');
  });
});

describe('PDU golden vectors', () => {
  it('01 Read Coils 20-38', () => {
    // [APP] 6.1: request 01 00 13 00 13; response 01 03 CD 6B 05 (coils 27-20 = CD, 35-28 = 6B, 38-36 = 05).
    const request: ModbusRequest = { fn: 'readCoils', address: 0x13, quantity: 0x13 };
    expect(hex(encodeRequestPdu(request))).toBe('01 00 13 00 13');
    const response = decodeResponsePdu(request, fromHex('01 03 CD 6B 05'));
    expect(response.fn === 'readCoils' && response.bits.slice(0, 8)).toEqual([true, false, true, true, false, false, true, true]);
    expect(response.fn === 'readCoils' && response.bits.length).toBe(19);
    expect(response.fn === 'readCoils' && response.bits.slice(16)).toEqual([true, false, true]);
    expect(hex(encodeResponsePdu(response))).toBe('01 03 CD 6B 05');
  });

  it('01 Read Coils as an RTU frame: 11 01 00 13 00 25 0E 84', () => {
    // [SM] FC01: read 37 coils (0x25) from 0x0013 on slave 17; response 5 bytes CD 6B B2 0E 1B.
    const request: ModbusRequest = { fn: 'readCoils', address: 0x13, quantity: 0x25 };
    expect(hex(encodeRtuRequest(0x11, request))).toBe('11 01 00 13 00 25 0E 84');
    const { unit, pdu } = decodeRtuFrame(fromHex('11 01 05 CD 6B B2 0E 1B 45 E6'));
    expect(unit).toBe(0x11);
    const response = decodeResponsePdu(request, pdu);
    expect(response.fn === 'readCoils' && response.bits.length).toBe(37);
    expect(hex(encodeRtuFrame(0x11, encodeResponsePdu(response)))).toBe('11 01 05 CD 6B B2 0E 1B 45 E6');
  });

  it('02 Read Discrete Inputs 197-218', () => {
    // [APP] 6.2: request 02 00 C4 00 16; response 02 03 AC DB 35. [SM] FC02: 11 02 00 C4 00 16 BA A9.
    const request: ModbusRequest = { fn: 'readDiscreteInputs', address: 0xc4, quantity: 0x16 };
    expect(hex(encodeRequestPdu(request))).toBe('02 00 C4 00 16');
    expect(hex(encodeRtuRequest(0x11, request))).toBe('11 02 00 C4 00 16 BA A9');
    const response = decodeResponsePdu(request, fromHex('02 03 AC DB 35'));
    expect(response.fn === 'readDiscreteInputs' && response.bits.slice(0, 8)).toEqual([false, false, true, true, false, true, false, true]);
    expect(hex(encodeRtuFrame(0x11, encodeResponsePdu(response)))).toBe('11 02 03 AC DB 35 20 18');
  });

  it('05 Write Single Coil 173 ON, and OFF', () => {
    // [APP] 6.5: request 05 00 AC FF 00, response the same; 0000 = OFF.
    const on: ModbusRequest = { fn: 'writeSingleCoil', address: 0xac, value: true };
    expect(hex(encodeRequestPdu(on))).toBe('05 00 AC FF 00');
    expect(decodeResponsePdu(on, fromHex('05 00 AC FF 00'))).toEqual({ fn: 'writeSingleCoil', address: 0xac, value: true });
    expect(hex(encodeRequestPdu({ fn: 'writeSingleCoil', address: 0xac, value: false }))).toBe('05 00 AC 00 00');
  });

  it('0F Write Multiple Coils 20-29', () => {
    // [APP] 6.11: request 0F 00 13 00 0A 02 CD 01, response 0F 00 13 00 0A.
    // [SM] FC15: 11 0F 00 13 00 0A 02 CD 01 BF 0B, response 11 0F 00 13 00 0A 26 99.
    const values = [true, false, true, true, false, false, true, true, true, false];
    const request: ModbusRequest = { fn: 'writeMultipleCoils', address: 0x13, values };
    expect(hex(encodeRequestPdu(request))).toBe('0F 00 13 00 0A 02 CD 01');
    expect(hex(encodeRtuRequest(0x11, request))).toBe('11 0F 00 13 00 0A 02 CD 01 BF 0B');
    const { pdu } = decodeRtuFrame(fromHex('11 0F 00 13 00 0A 26 99'));
    expect(decodeResponsePdu(request, pdu)).toEqual({ fn: 'writeMultipleCoils', address: 0x13, quantity: 10 });
  });

  it('exception response 81 02 maps to a typed error', () => {
    // [APP] 7: request 01 04 A1 00 01 (read coil 1185, which does not exist) → 81 02 ILLEGAL DATA ADDRESS.
    const request: ModbusRequest = { fn: 'readCoils', address: 0x04a1, quantity: 1 };
    expect(hex(encodeRequestPdu(request))).toBe('01 04 A1 00 01');
    const response = decodeResponsePdu(request, fromHex('81 02'));
    expect(response).toEqual({ fn: 'exception', functionCode: 1, code: 2, name: 'ILLEGAL_DATA_ADDRESS' });
    if (response.fn !== 'exception') throw new Error('unreachable');
    const error = modbusExceptionError(response);
    expect(error.code).toBe('DEVICE_FAULT');
    expect(error.key).toBe('errors.device.modbus.illegalDataAddress');
    expect(modbusExceptionError({ ...response, code: 1, name: 'ILLEGAL_FUNCTION' }).key).toBe('errors.device.modbus.illegalFunction');
    expect(modbusExceptionError({ ...response, code: 3, name: 'ILLEGAL_DATA_VALUE' }).key).toBe('errors.device.modbus.illegalDataValue');
    expect(modbusExceptionError({ ...response, code: 4, name: 'SERVER_DEVICE_FAILURE' }).key).toBe('errors.device.modbus.deviceFailure');
    expect(modbusExceptionError({ ...response, code: 6, name: 'SERVER_DEVICE_BUSY' }).key).toBe('errors.device.modbus.exception');
  });

  it('rejects responses that do not fit the request', () => {
    const read: ModbusRequest = { fn: 'readCoils', address: 0, quantity: 4 };
    const bad = (r: ModbusRequest, pdu: string) => () => decodeResponsePdu(r, fromHex(pdu));
    expect(bad(read, '02 01 0F')).toThrow(AppError); // wrong function
    expect(bad(read, '01 02 0F 00')).toThrow(AppError); // byte count for 16 coils
    expect(bad(read, '01 01')).toThrow(AppError); // truncated
    expect(bad({ fn: 'writeSingleCoil', address: 1, value: true }, '05 00 01 00 00')).toThrow(AppError); // echo differs
    expect(bad(read, '81')).toThrow(AppError);
  });

  it('server side: exception codes for bad requests', () => {
    // [APP] 6.1 / 6.5 / 6.11 state diagrams: quantity out of range or value not FF00/0000 → 03;
    // address + quantity past the end → 02; unknown function → 01.
    expect(decodeRequestPdu(fromHex('01 00 00 00 00'))).toMatchObject({ ok: false, exception: { code: 3 } });
    expect(decodeRequestPdu(fromHex('01 00 00 07 D1'))).toMatchObject({ ok: false, exception: { code: 3 } });
    expect(decodeRequestPdu(fromHex('01 FF FF 00 02'))).toMatchObject({ ok: false, exception: { code: 2 } });
    expect(decodeRequestPdu(fromHex('05 00 01 12 34'))).toMatchObject({ ok: false, exception: { code: 3 } });
    expect(decodeRequestPdu(fromHex('0F 00 13 00 0A 01 CD'))).toMatchObject({ ok: false, exception: { code: 3 } });
    expect(decodeRequestPdu(fromHex('2B 0E 01 00'))).toMatchObject({ ok: false, exception: { code: 1, functionCode: 0x2b } });
    expect(hex(encodeResponsePdu({ fn: 'exception', functionCode: 0x2b, code: 1, name: 'ILLEGAL_FUNCTION' }))).toBe('AB 01');
  });

  it('refuses to encode requests outside the spec ranges', () => {
    expect(() => encodeRequestPdu({ fn: 'readCoils', address: 0, quantity: 2001 })).toThrow(AppError);
    expect(() => encodeRequestPdu({ fn: 'readCoils', address: 0xffff, quantity: 2 })).toThrow(AppError);
    expect(() => encodeRequestPdu({ fn: 'writeMultipleCoils', address: 0, values: [] })).toThrow(AppError);
    expect(() => encodeRequestPdu({ fn: 'writeSingleCoil', address: -1, value: true })).toThrow(AppError);
    expect(() => encodeRtuFrame(248, fromHex('01 00 00 00 01'))).toThrow(AppError);
  });
});

describe('Modbus TCP', () => {
  it('MBAP header: transaction id, protocol 0, length, unit', () => {
    // [TCP] 3.1.3, with the [APP] 6.11 PDU for unit 0x11, transaction 0x001E: length = 1 + 8 = 9.
    const pdu = fromHex('0F 00 13 00 0A 02 CD 01');
    expect(hex(encodeTcpFrame(0x1e, 0x11, pdu))).toBe('00 1E 00 00 00 09 11 0F 00 13 00 0A 02 CD 01');
  });

  it('cuts frames out of a stream split anywhere', () => {
    const frames = [encodeTcpFrame(1, 1, fromHex('01 00 13 00 13')), encodeTcpFrame(2, 1, fromHex('01 03 CD 6B 05'))];
    const stream = concatBytes(frames);
    fc.assert(
      fc.property(chunkings(stream), (chunks) => {
        const x = new TcpFrameExtractor();
        const events = chunks.flatMap((c) => x.push(c));
        expect(events).toEqual([
          { kind: 'frame', transactionId: 1, unit: 1, pdu: fromHex('01 00 13 00 13') },
          { kind: 'frame', transactionId: 2, unit: 1, pdu: fromHex('01 03 CD 6B 05') },
        ]);
        expect(x.buffered).toBe(0);
      }),
    );
  });

  it('skips bytes until a plausible header', () => {
    const x = new TcpFrameExtractor();
    const events = x.push(concatBytes([fromHex('FF FF'), encodeTcpFrame(7, 1, fromHex('05 00 AC FF 00'))]));
    expect(events).toEqual([
      { kind: 'dropped', reason: 'bad-header', bytes: fromHex('FF FF') },
      { kind: 'frame', transactionId: 7, unit: 1, pdu: fromHex('05 00 AC FF 00') },
    ]);
  });
});

describe('RtuFrameExtractor', () => {
  const frames = (events: RtuEvent[]) => events.filter((e) => e.kind === 'frame').map((e) => hex(e.raw));

  it('resyncs after a frame with a bad CRC', () => {
    const x = new RtuFrameExtractor('response');
    const events = x.push(fromHex('11 01 05 CD 6B B2 0E 1B 45 E7 11 05 00 AC FF 00 4E 8B'));
    expect(frames(events)).toEqual(['11 05 00 AC FF 00 4E 8B']);
    expect(events[0]).toEqual({ kind: 'dropped', reason: 'bad-crc', bytes: fromHex('11 01') });
    const dropped = events.flatMap((e) => (e.kind === 'dropped' ? [...e.bytes] : []));
    expect(dropped.length).toBe(10);
  });

  it('does not stall behind garbage that announces a long frame', () => {
    // 01 01 FA reads as "unit 1, read coils, 250 bytes follow"; the real frame after it is found.
    const x = new RtuFrameExtractor('response');
    const events = x.push(fromHex('01 01 FA 11 05 00 AC FF 00 4E 8B'));
    expect(events).toEqual([
      { kind: 'dropped', reason: 'resync', bytes: fromHex('01 01 FA') },
      { kind: 'frame', unit: 0x11, pdu: fromHex('05 00 AC FF 00'), raw: fromHex('11 05 00 AC FF 00 4E 8B') },
    ]);
  });

  it('frames exception responses and drops a partial frame on idle', () => {
    const x = new RtuFrameExtractor('response');
    const exceptionFrame = encodeRtuFrame(1, fromHex('81 02'));
    expect(frames(x.push(concatBytes([exceptionFrame, fromHex('11 01 05 CD')])))).toEqual([hex(exceptionFrame)]);
    expect(x.buffered).toBe(4);
    expect(x.idle()).toEqual([{ kind: 'dropped', reason: 'incomplete', bytes: fromHex('11 01 05 CD') }]);
    expect(x.buffered).toBe(0);
  });

  // ---- property tests -------------------------------------------------------------------------

  const address = fc.integer({ min: 0, max: 0xffff });
  const requestArb: fc.Arbitrary<ModbusRequest> = fc.oneof(
    fc.record({ fn: fc.constantFrom('readCoils' as const, 'readDiscreteInputs' as const), address, quantity: fc.integer({ min: 1, max: 2000 }) }),
    fc.record({ fn: fc.constant('writeSingleCoil' as const), address, value: fc.boolean() }),
    fc.record({ fn: fc.constant('writeMultipleCoils' as const), address, values: fc.array(fc.boolean(), { minLength: 1, maxLength: 1968 }) }),
  ).filter((r) => r.address + (r.fn === 'writeMultipleCoils' ? r.values.length : r.fn === 'writeSingleCoil' ? 1 : r.quantity) <= 0x10000);

  /** A response that fits the request: data for reads, echoes for writes, sometimes an exception. */
  const responseFor = (r: ModbusRequest): fc.Arbitrary<ModbusResponse> => {
    const ok: fc.Arbitrary<ModbusResponse> =
      r.fn === 'readCoils' || r.fn === 'readDiscreteInputs'
        ? fc.array(fc.boolean(), { minLength: r.quantity, maxLength: r.quantity }).map((bits) => ({ fn: r.fn, bits }))
        : r.fn === 'writeSingleCoil'
          ? fc.constant({ fn: 'writeSingleCoil' as const, address: r.address, value: r.value })
          : fc.constant({ fn: 'writeMultipleCoils' as const, address: r.address, quantity: r.values.length });
    const code = { readCoils: 1, readDiscreteInputs: 2, writeSingleCoil: 5, writeMultipleCoils: 15 }[r.fn];
    const ex = fc.constantFrom(
      { fn: 'exception' as const, functionCode: code, code: 1, name: 'ILLEGAL_FUNCTION' as const },
      { fn: 'exception' as const, functionCode: code, code: 2, name: 'ILLEGAL_DATA_ADDRESS' as const },
      { fn: 'exception' as const, functionCode: code, code: 3, name: 'ILLEGAL_DATA_VALUE' as const },
      { fn: 'exception' as const, functionCode: code, code: 4, name: 'SERVER_DEVICE_FAILURE' as const },
    );
    return fc.oneof({ arbitrary: ok, weight: 4 }, { arbitrary: ex, weight: 1 });
  };
  const unit = fc.integer({ min: 1, max: 247 });
  const exchangeArb = fc.tuple(unit, requestArb).chain(([u, request]) => responseFor(request).map((response) => ({ unit: u, request, response })));

  it('request encode → decode round trip (server side)', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        expect(decodeRequestPdu(encodeRequestPdu(request))).toEqual({ ok: true, request });
      }),
    );
  });

  it('response encode → decode round trip (master side), through RTU framing', () => {
    fc.assert(
      fc.property(exchangeArb, ({ unit: u, request, response }) => {
        const frame = encodeRtuFrame(u, encodeResponsePdu(response));
        const decoded = decodeRtuFrame(frame);
        expect(decoded.unit).toBe(u);
        expect(decodeResponsePdu(request, decoded.pdu)).toEqual(response);
      }),
    );
  });

  it('any single-bit flip in a frame is caught by the CRC', () => {
    const arb = fc
      .tuple(fc.integer({ min: 0, max: 247 }), requestArb)
      .map(([u, r]) => encodeRtuRequest(u, r))
      .chain((frame) => fc.tuple(fc.constant(frame), fc.nat(frame.length * 8 - 1)));
    fc.assert(
      fc.property(arb, ([frame, bitIndex]) => {
        const flipped = frame.slice();
        flipped[bitIndex >> 3]! ^= 1 << (bitIndex & 7);
        expect(hasValidCrc(flipped)).toBe(false);
        expect(() => decodeRtuFrame(flipped)).toThrow(AppError);
      }),
    );
  });

  const smallExchange = fc
    .tuple(unit, requestArb.filter((r) => (r.fn === 'writeMultipleCoils' ? r.values.length <= 40 : r.fn === 'writeSingleCoil' || r.quantity <= 40)))
    .chain(([u, request]) => responseFor(request).map((response) => ({ unit: u, request, response })));

  it('any chunking of back-to-back frames gives the same frames, both directions', () => {
    const arb = fc.array(smallExchange, { minLength: 1, maxLength: 8 }).chain((xs) => {
      const requests = concatBytes(xs.map((x) => encodeRtuRequest(x.unit, x.request)));
      const responses = concatBytes(xs.map((x) => encodeRtuFrame(x.unit, encodeResponsePdu(x.response))));
      return fc.record({ xs: fc.constant(xs), requestChunks: chunkings(requests), responseChunks: chunkings(responses) });
    });
    fc.assert(
      fc.property(arb, ({ xs, requestChunks, responseChunks }) => {
        const server = new RtuFrameExtractor('request');
        const master = new RtuFrameExtractor('response');
        const got = requestChunks.flatMap((c) => server.push(c));
        expect(frames(got)).toEqual(xs.map((x) => hex(encodeRtuRequest(x.unit, x.request))));
        const back = responseChunks.flatMap((c) => master.push(c));
        expect(frames(back)).toEqual(xs.map((x) => hex(encodeRtuFrame(x.unit, encodeResponsePdu(x.response)))));
        expect(server.buffered + master.buffered).toBe(0);
      }),
    );
  });

  it('garbage before frames is dropped and every frame still comes out', () => {
    // Bytes F8-FF can never start a frame (unit addresses stop at 247).
    const arb = fc
      .record({ garbage: fc.uint8Array({ minLength: 1, maxLength: 20, min: 0xf8, max: 0xff }), xs: fc.array(smallExchange, { minLength: 1, maxLength: 4 }) })
      .chain(({ garbage, xs }) => {
        const stream = concatBytes([garbage, ...xs.map((x) => encodeRtuFrame(x.unit, encodeResponsePdu(x.response)))]);
        return fc.record({ garbage: fc.constant(garbage), xs: fc.constant(xs), chunks: chunkings(stream) });
      });
    fc.assert(
      fc.property(arb, ({ garbage, xs, chunks }) => {
        const x = new RtuFrameExtractor('response');
        const events = chunks.flatMap((c) => x.push(c));
        expect(frames(events)).toEqual(xs.map((e) => hex(encodeRtuFrame(e.unit, encodeResponsePdu(e.response)))));
        expect(events.filter((e) => e.kind === 'dropped').reduce((n, e) => n + (e.kind === 'dropped' ? e.bytes.length : 0), 0)).toBe(garbage.length);
      }),
    );
  });

  it('random bytes never throw and every byte is a frame, dropped, or still buffered', () => {
    const arb = fc.uint8Array({ maxLength: 600 }).chain((bytes) => fc.record({ bytes: fc.constant(bytes), chunks: chunkings(bytes), direction: fc.constantFrom('request' as const, 'response' as const) }));
    fc.assert(
      fc.property(arb, ({ bytes, chunks, direction }) => {
        const x = new RtuFrameExtractor(direction);
        const events = [...chunks.flatMap((c) => x.push(c)), ...x.idle()];
        const accounted = events.reduce((n, e) => n + (e.kind === 'frame' ? e.raw.length : e.bytes.length), 0);
        expect(accounted).toBe(bytes.length);
      }),
    );
  });
});
