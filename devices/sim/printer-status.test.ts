/**
 * The simulator's status bytes, read back with the real decoder from devices/protocol: every
 * combination of conditions gives replies with the fixed bit patterns and the meaning intended.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EscPosStatusDecoder,
  isAsbFirstByte,
  isAsbNextByte,
  isRealtimeReply,
  parseAsb,
  parseErrorCause,
  parseOfflineCause,
  parsePaperSensor,
  parsePrinterStatus,
} from '../protocol/escpos-status.codec';
import { PRINTER_CONDITIONS, asbFrame, asbItemChanged, isOnline, realtimeStatusByte, type PrinterCondition } from './printer-status';

const conditionSets = fc.subarray([...PRINTER_CONDITIONS]).map((a) => new Set<PrinterCondition>(a));

describe('DLE EOT replies', () => {
  it('have the fixed pattern 0xx1xx10 in every state', () => {
    fc.assert(
      fc.property(conditionSets, fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const), (c, n) => {
        expect(isRealtimeReply(realtimeStatusByte(n, c))).toBe(true);
      }),
    );
  });

  it('healthy printer: 12 12 12 12', () => {
    const c = new Set<PrinterCondition>();
    expect([1, 2, 3, 4].map((n) => realtimeStatusByte(n as 1, c))).toEqual([0x12, 0x12, 0x12, 0x12]);
  });

  it('mean what the decoder says, condition by condition', () => {
    const s = (list: PrinterCondition[]) => new Set(list);
    expect(parsePrinterStatus(realtimeStatusByte(1, s(['paper-out'])))).toEqual({ drawerPinHigh: false, offline: true });
    expect(parseOfflineCause(realtimeStatusByte(2, s(['paper-out'])))).toEqual({ coverOpen: false, feedingByButton: false, paperEndStop: true, error: false });
    expect(parsePaperSensor(realtimeStatusByte(4, s(['paper-out'])))).toEqual({ nearEnd: true, paperEnd: true });

    expect(parsePrinterStatus(realtimeStatusByte(1, s(['near-end'])))).toEqual({ drawerPinHigh: false, offline: false });
    expect(parsePaperSensor(realtimeStatusByte(4, s(['near-end'])))).toEqual({ nearEnd: true, paperEnd: false });

    expect(parsePrinterStatus(realtimeStatusByte(1, s(['cover-open']))).offline).toBe(true);
    expect(parseOfflineCause(realtimeStatusByte(2, s(['cover-open'])))).toEqual({ coverOpen: true, feedingByButton: false, paperEndStop: false, error: false });

    expect(parsePrinterStatus(realtimeStatusByte(1, s(['offline']))).offline).toBe(true);
    expect(parseOfflineCause(realtimeStatusByte(2, s(['offline'])))).toMatchObject({ error: true, coverOpen: false, paperEndStop: false });
    expect(parseErrorCause(realtimeStatusByte(3, s(['offline'])))).toEqual({
      mechanicalError: false,
      autocutterError: false,
      unrecoverableError: false,
      autoRecoverableError: true,
    });
  });

  it('feed the status decoder to the app’s view of the printer', () => {
    const d = new EscPosStatusDecoder();
    const c = new Set<PrinterCondition>(['cover-open', 'near-end']);
    for (const n of [1, 2, 3, 4] as const) d.expect(n);
    d.push(Uint8Array.from([1, 2, 3, 4].map((n) => realtimeStatusByte(n as 1, c))));
    expect(d.status).toEqual({ online: false, coverOpen: true, paperNearEnd: true, paperOut: false, error: false, feedButton: false });
  });
});

describe('ASB frames', () => {
  it('have the ASB patterns and decode to the conditions', () => {
    fc.assert(
      fc.property(conditionSets, (c) => {
        const f = asbFrame(c);
        expect(isAsbFirstByte(f[0]!)).toBe(true);
        expect([...f.subarray(1)].every(isAsbNextByte)).toBe(true);
        const a = parseAsb(f);
        expect(a.offline).toBe(!isOnline(c));
        expect(a.coverOpen).toBe(c.has('cover-open'));
        expect(a.paperEnd).toBe(c.has('paper-out'));
        expect(a.paperNearEnd).toBe(c.has('paper-out') || c.has('near-end'));
        expect(a.autoRecoverableError).toBe(c.has('offline'));
      }),
    );
  });

  it('are sent only when an enabled item changes', () => {
    const none = new Set<PrinterCondition>();
    const paper = new Set<PrinterCondition>(['near-end']);
    expect(asbItemChanged(0x08, none, paper)).toBe(true);
    expect(asbItemChanged(0x02, none, paper)).toBe(false);
    expect(asbItemChanged(0x02, none, new Set<PrinterCondition>(['cover-open']))).toBe(true);
    expect(asbItemChanged(0x04, none, new Set<PrinterCondition>(['offline']))).toBe(true);
  });
});
