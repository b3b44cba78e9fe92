import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EscPosStatusDecoder,
  encodeAsbEnable,
  encodeStatusRequest,
  parseAsb,
  parseErrorCause,
  parseOfflineCause,
  parsePaperSensor,
  parsePrinterStatus,
  type StatusEvent,
  type StatusRequest,
} from './escpos-status.codec';
import { fromHex, toHex } from './hex';
import { chunkings } from './test-chunks';

// Sources:
// [DLE EOT] Epson "ESC/POS Command Reference", DLE EOT n "Transmit real-time status": the tables
//           "Printer status (n = 1)", "Offline cause status (n = 2)", "Error cause status (n = 3)",
//           "Roll paper sensor status (n = 4)" (same tables in the TM-U220A and TM-L60II specs).
// [GS a]    Same reference, GS a n "Enable/disable Automatic Status Back (ASB)": the n bit table and
//           the status tables "First byte (printer information)", "Second byte (error
//           information)", "Third byte (paper sensor information)", "Fourth byte".
// [ID]      Same reference, appendix "Identification of send status": DLE EOT 0xx1xx10,
//           ASB first byte 0xx1xx00, ASB bytes 2-4 0xx0xxxx, XON 00010001, XOFF 00010011.

describe('requests', () => {
  it('DLE EOT n', () => {
    // [DLE EOT] Format: Hex 10 04 n.
    expect(toHex(encodeStatusRequest(1))).toBe('10 04 01');
    expect(toHex(encodeStatusRequest(2))).toBe('10 04 02');
    expect(toHex(encodeStatusRequest(4))).toBe('10 04 04');
  });

  it('GS a n', () => {
    // [GS a] Format: Hex 1D 61 n; bit 0 drawer, bit 1 online/offline, bit 2 error, bit 3 roll paper.
    expect(toHex(encodeAsbEnable({ drawer: true, online: true, error: true, paper: true }))).toBe('1D 61 0F');
    expect(toHex(encodeAsbEnable({ online: true, error: true, paper: true }))).toBe('1D 61 0E');
    expect(toHex(encodeAsbEnable({}))).toBe('1D 61 00');
  });
});

describe('one-byte replies', () => {
  it('n = 1 printer status: 12 online, 1A offline (bit 3), 16 drawer pin 3 high (bit 2)', () => {
    // [DLE EOT] n = 1: bit 1 and bit 4 fixed on → 0x12 is "all off"; bit 3 08 offline; bit 2 04 pin 3 HIGH.
    expect(parsePrinterStatus(0x12)).toEqual({ drawerPinHigh: false, offline: false });
    expect(parsePrinterStatus(0x1a)).toEqual({ drawerPinHigh: false, offline: true });
    expect(parsePrinterStatus(0x16)).toEqual({ drawerPinHigh: true, offline: false });
  });

  it('n = 2 offline cause: cover open 04, feed button 08, paper-end stop 20, error 40', () => {
    // [DLE EOT] n = 2: bit 2 cover open, bit 3 paper being fed by the feed button, bit 5 printing
    // stops due to paper end, bit 6 error occurred.
    expect(parseOfflineCause(0x12)).toEqual({ coverOpen: false, feedingByButton: false, paperEndStop: false, error: false });
    expect(parseOfflineCause(0x16).coverOpen).toBe(true);
    expect(parseOfflineCause(0x1a).feedingByButton).toBe(true);
    expect(parseOfflineCause(0x32).paperEndStop).toBe(true);
    expect(parseOfflineCause(0x52).error).toBe(true);
    expect(parseOfflineCause(0x76)).toEqual({ coverOpen: true, feedingByButton: false, paperEndStop: true, error: true });
  });

  it('n = 3 error cause: autocutter 08, unrecoverable 20, auto-recoverable 40', () => {
    // [DLE EOT] n = 3: bit 3 autocutter error, bit 5 unrecoverable error, bit 6 automatically
    // recoverable error; bit 2 mechanical error on models that have one.
    expect(parseErrorCause(0x1a).autocutterError).toBe(true);
    expect(parseErrorCause(0x32).unrecoverableError).toBe(true);
    expect(parseErrorCause(0x52).autoRecoverableError).toBe(true);
    expect(parseErrorCause(0x16).mechanicalError).toBe(true);
  });

  it('n = 4 roll paper sensor: near end 0C (bits 2-3), paper end 60 (bits 5-6)', () => {
    // [DLE EOT] n = 4: bits 2,3 "roll paper near-end sensor: paper near end" = 0C; bits 5,6
    // "roll paper end sensor: paper not present" = 60.
    expect(parsePaperSensor(0x12)).toEqual({ nearEnd: false, paperEnd: false });
    expect(parsePaperSensor(0x1e)).toEqual({ nearEnd: true, paperEnd: false });
    expect(parsePaperSensor(0x72)).toEqual({ nearEnd: false, paperEnd: true });
    expect(parsePaperSensor(0x7e)).toEqual({ nearEnd: true, paperEnd: true });
  });

  it('ASB: 4 bytes', () => {
    // [GS a] byte 1: bit 4 fixed on, bit 3 08 offline, bit 5 20 cover open, bit 6 40 feed button;
    // byte 2: bit 3 08 autocutter error, bit 5 20 unrecoverable, bit 6 40 auto-recoverable;
    // byte 3: bits 0,1 03 near end, bits 2,3 0C paper not present.
    expect(parseAsb(fromHex('10 00 00 00'))).toEqual({
      drawerPinHigh: false,
      offline: false,
      coverOpen: false,
      feedingByButton: false,
      waitingOnlineRecovery: false,
      mechanicalError: false,
      autocutterError: false,
      unrecoverableError: false,
      autoRecoverableError: false,
      paperNearEnd: false,
      paperEnd: false,
    });
    const s = parseAsb(fromHex('38 40 0F 00'));
    expect([s.offline, s.coverOpen, s.autoRecoverableError, s.paperNearEnd, s.paperEnd]).toEqual([true, true, true, true, true]);
    expect(parseAsb(fromHex('50 08 00 00'))).toMatchObject({ feedingByButton: true, autocutterError: true, offline: false });
  });
});

describe('EscPosStatusDecoder', () => {
  it('matches replies to requests in order and merges the status', () => {
    const d = new EscPosStatusDecoder();
    expect(d.status).toEqual({ online: null, coverOpen: null, paperNearEnd: null, paperOut: null, error: null, feedButton: null });
    d.expect(1);
    d.expect(2);
    d.expect(4);
    const events = d.push(fromHex('12 16 1E'));
    expect(events.map((e) => (e.kind === 'realtime' ? e.request : e.kind))).toEqual([1, 2, 4]);
    expect(d.status).toEqual({ online: true, coverOpen: true, paperNearEnd: true, paperOut: false, error: false, feedButton: false });
    expect(d.pending).toEqual([]);
  });

  it('decodes an ASB frame split across chunks, with a reply and XOFF/XON inside it', () => {
    const d = new EscPosStatusDecoder();
    d.expect(4);
    const events = [...d.push(fromHex('38')), ...d.push(fromHex('13 40')), ...d.push(fromHex('72 11 0C')), ...d.push(fromHex('00'))];
    expect(events.map((e) => e.kind)).toEqual(['flow', 'realtime', 'flow', 'asb']);
    expect(d.status).toEqual({ online: false, coverOpen: true, paperNearEnd: false, paperOut: true, error: true, feedButton: false });
  });

  it('reports garbage, unsolicited replies and truncated ASB frames without throwing', () => {
    const d = new EscPosStatusDecoder();
    const events = d.push(fromHex('FF 80 12 10 00 10 00 00 00 05'));
    expect(events).toEqual([
      { kind: 'discarded', reason: 'unexpected-byte', bytes: fromHex('FF 80') },
      { kind: 'discarded', reason: 'unsolicited-reply', bytes: fromHex('12') },
      { kind: 'discarded', reason: 'truncated-asb', bytes: fromHex('10 00') },
      { kind: 'asb', raw: fromHex('10 00 00 00'), status: parseAsb(fromHex('10 00 00 00')) },
      { kind: 'discarded', reason: 'unexpected-byte', bytes: fromHex('05') },
    ]);
  });

  it('after forgetExpected a late reply is unsolicited, not the answer to the next request', () => {
    const d = new EscPosStatusDecoder();
    d.expect(1);
    d.forgetExpected();
    d.expect(4);
    expect(d.push(fromHex('1A'))[0]).toMatchObject({ kind: 'realtime', request: 4 });
  });

  // ---- property tests -------------------------------------------------------------------------

  type Item = { kind: 'realtime'; request: StatusRequest; byte: number } | { kind: 'asb'; bytes: number[] } | { kind: 'flow'; byte: number };

  /** Free bits only; the fixed bits of each pattern are forced. */
  const itemArb: fc.Arbitrary<Item> = fc.oneof(
    fc.record({ kind: fc.constant('realtime' as const), request: fc.constantFrom<StatusRequest>(1, 2, 3, 4), byte: fc.integer({ min: 0, max: 255 }).map((b) => (b & 0x6c) | 0x12) }),
    fc.record({
      kind: fc.constant('asb' as const),
      bytes: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 })).map(([first, rest]) => [
        (first & 0x6c) | 0x10,
        ...rest.map((b) => b & 0x6f),
      ]),
    }),
    fc.record({ kind: fc.constant('flow' as const), byte: fc.constantFrom(0x11, 0x13) }),
  );

  const streamOf = (items: Item[]) => Uint8Array.from(items.flatMap((i) => (i.kind === 'asb' ? i.bytes : [i.byte])));
  const decoderFor = (items: Item[]) => {
    const d = new EscPosStatusDecoder();
    for (const i of items) if (i.kind === 'realtime') d.expect(i.request);
    return d;
  };
  /** Discards split per byte, so coalescing within a chunk does not depend on the chunking. */
  const normalize = (events: StatusEvent[]): unknown[] =>
    events.flatMap((e): unknown[] => (e.kind === 'discarded' ? [...e.bytes].map((b) => ({ kind: e.kind, reason: e.reason, b })) : [e]));

  it('any chunking of a valid stream yields the same events, one per item, and no discards', () => {
    const arb = fc.array(itemArb, { maxLength: 40 }).chain((items) => chunkings(streamOf(items)).map((chunks) => ({ items, chunks })));
    fc.assert(
      fc.property(arb, ({ items, chunks }) => {
        const whole = decoderFor(items).push(streamOf(items));
        const d = decoderFor(items);
        const pieces = chunks.flatMap((c) => d.push(c));
        expect(pieces).toEqual(whole);
        expect(whole.map((e) => e.kind)).toEqual(items.map((i) => i.kind));
        expect(d.pending).toEqual([]);
      }),
    );
  });

  it('garbage never throws, every byte is accounted for, and chunking does not matter', () => {
    const arb = fc
      .record({ bytes: fc.uint8Array({ maxLength: 200 }), expects: fc.array(fc.constantFrom<StatusRequest>(1, 2, 3, 4), { maxLength: 20 }) })
      .chain(({ bytes, expects }) => chunkings(bytes).map((chunks) => ({ bytes, expects, chunks })));
    fc.assert(
      fc.property(arb, ({ bytes, expects, chunks }) => {
        const a = new EscPosStatusDecoder();
        const b = new EscPosStatusDecoder();
        for (const n of expects) {
          a.expect(n);
          b.expect(n);
        }
        const whole = a.push(bytes);
        const pieces = chunks.flatMap((c) => b.push(c));
        expect(normalize(pieces)).toEqual(normalize(whole));
        const accounted = whole.reduce((n, e) => n + (e.kind === 'asb' ? 4 : e.kind === 'discarded' ? e.bytes.length : 1), 0);
        expect(bytes.length - accounted).toBeGreaterThanOrEqual(0);
        expect(bytes.length - accounted).toBeLessThanOrEqual(3); // an ASB frame still open
        for (const v of Object.values(b.status)) expect(v === null || typeof v === 'boolean').toBe(true);
      }),
    );
  });
});
