/**
 * ESC/POS printer status: real-time requests (`DLE EOT n`), Automatic Status Back (`GS a n`), and
 * a streaming decoder for the bytes a printer sends back.
 *
 * `DLE EOT n` (10 04 n) asks for one status byte; the printer answers at once, even when offline.
 * n = 1 printer status, 2 offline cause, 3 error cause, 4 roll paper sensor. Every reply has the
 * fixed pattern 0xx1xx10 (bit 1 and bit 4 on, bits 0 and 7 off), and nothing in the byte says which
 * n it answers: the decoder must be told, in order, which requests were sent (`expect(n)`).
 *
 * `GS a n` (1D 61 n) turns on Automatic Status Back: the printer then sends 4 bytes whenever an
 * enabled item changes (and once right away). The first byte has the pattern 0xx1xx00 (bit 4 on,
 * bits 0, 1 and 7 off), bytes 2–4 have 0xx0xxxx (bits 4 and 7 off), so an ASB frame, a DLE EOT
 * reply and an ASB continuation byte can always be told apart. The printer's XON (11) and XOFF (13)
 * may appear anywhere, also inside an ASB frame, and are skipped (and reported as flow events).
 *
 * Bits, per the Epson reference tables (cited in the test next to each vector):
 *   DLE EOT 1: bit 2 drawer kick-out connector pin 3 high, bit 3 offline.
 *   DLE EOT 2: bit 2 cover open, bit 3 paper being fed by the feed button, bit 5 printing stopped
 *              by paper end, bit 6 error.
 *   DLE EOT 3: bit 2 mechanical error (model dependent), bit 3 autocutter error, bit 5
 *              unrecoverable error, bit 6 automatically recoverable error (e.g. head too hot).
 *   DLE EOT 4: bits 2-3 roll paper near end, bits 5-6 roll paper end.
 *   ASB byte 1: bit 2 drawer pin 3, bit 3 offline, bit 5 cover open, bit 6 feeding by button.
 *   ASB byte 2: bit 0 waiting for online recovery, bit 2 mechanical error, bit 3 autocutter error,
 *               bit 5 unrecoverable error, bit 6 automatically recoverable error.
 *   ASB byte 3: bits 0-1 roll paper near end, bits 2-3 roll paper end.  ASB byte 4: reserved.
 *
 * Do not mix in `GS I` or `GS r` while ASB is on: their replies (0xx0xxxx) look like ASB
 * continuation bytes. The decoder never throws: unexpected bytes are reported and dropped.
 */

export type StatusRequest = 1 | 2 | 3 | 4;

/** DLE EOT n. */
export function encodeStatusRequest(n: StatusRequest): Uint8Array {
  return Uint8Array.of(0x10, 0x04, n);
}

export interface AsbItems {
  drawer?: boolean;
  online?: boolean;
  error?: boolean;
  paper?: boolean;
}

/** GS a n: bit 0 drawer, bit 1 online/offline, bit 2 error, bit 3 roll paper sensor. All off disables ASB. */
export function encodeAsbEnable(items: AsbItems): Uint8Array {
  const n = (items.drawer ? 0x01 : 0) | (items.online ? 0x02 : 0) | (items.error ? 0x04 : 0) | (items.paper ? 0x08 : 0);
  return Uint8Array.of(0x1d, 0x61, n);
}

export interface PrinterStatusByte {
  drawerPinHigh: boolean;
  offline: boolean;
}
export interface OfflineCauseByte {
  coverOpen: boolean;
  feedingByButton: boolean;
  paperEndStop: boolean;
  error: boolean;
}
export interface ErrorCauseByte {
  mechanicalError: boolean;
  autocutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
}
export interface PaperSensorByte {
  nearEnd: boolean;
  paperEnd: boolean;
}
export interface AsbStatus {
  drawerPinHigh: boolean;
  offline: boolean;
  coverOpen: boolean;
  feedingByButton: boolean;
  waitingOnlineRecovery: boolean;
  mechanicalError: boolean;
  autocutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
  paperNearEnd: boolean;
  paperEnd: boolean;
}

const bit = (b: number, n: number) => (b & (1 << n)) !== 0;

/** Whether a byte has the fixed bits of a DLE EOT reply: 0xx1xx10. */
export const isRealtimeReply = (b: number) => (b & 0x93) === 0x12;
/** Whether a byte has the fixed bits of an ASB first byte: 0xx1xx00. */
export const isAsbFirstByte = (b: number) => (b & 0x93) === 0x10;
/** Whether a byte has the fixed bits of ASB bytes 2–4: 0xx0xxxx. */
export const isAsbNextByte = (b: number) => (b & 0x90) === 0x00;
const XON = 0x11;
const XOFF = 0x13;

export function parsePrinterStatus(b: number): PrinterStatusByte {
  return { drawerPinHigh: bit(b, 2), offline: bit(b, 3) };
}
export function parseOfflineCause(b: number): OfflineCauseByte {
  return { coverOpen: bit(b, 2), feedingByButton: bit(b, 3), paperEndStop: bit(b, 5), error: bit(b, 6) };
}
export function parseErrorCause(b: number): ErrorCauseByte {
  return { mechanicalError: bit(b, 2), autocutterError: bit(b, 3), unrecoverableError: bit(b, 5), autoRecoverableError: bit(b, 6) };
}
export function parsePaperSensor(b: number): PaperSensorByte {
  return { nearEnd: (b & 0x0c) !== 0, paperEnd: (b & 0x60) !== 0 };
}
export function parseAsb(frame: Uint8Array | readonly number[]): AsbStatus {
  const [b1 = 0, b2 = 0, b3 = 0] = frame;
  return {
    drawerPinHigh: bit(b1, 2),
    offline: bit(b1, 3),
    coverOpen: bit(b1, 5),
    feedingByButton: bit(b1, 6),
    waitingOnlineRecovery: bit(b2, 0),
    mechanicalError: bit(b2, 2),
    autocutterError: bit(b2, 3),
    unrecoverableError: bit(b2, 5),
    autoRecoverableError: bit(b2, 6),
    paperNearEnd: (b3 & 0x03) !== 0,
    paperEnd: (b3 & 0x0c) !== 0,
  };
}

/** What the app shows: `null` until the printer has said anything about that item. */
export interface PrinterStatus {
  online: boolean | null;
  coverOpen: boolean | null;
  paperNearEnd: boolean | null;
  paperOut: boolean | null;
  error: boolean | null;
  feedButton: boolean | null;
}

export const UNKNOWN_PRINTER_STATUS: PrinterStatus = Object.freeze({
  online: null,
  coverOpen: null,
  paperNearEnd: null,
  paperOut: null,
  error: null,
  feedButton: null,
});

export type RealtimeEvent =
  | { kind: 'realtime'; request: 1; raw: number; status: PrinterStatusByte }
  | { kind: 'realtime'; request: 2; raw: number; status: OfflineCauseByte }
  | { kind: 'realtime'; request: 3; raw: number; status: ErrorCauseByte }
  | { kind: 'realtime'; request: 4; raw: number; status: PaperSensorByte };

export type DiscardReason =
  /** A byte that fits no pattern, or an ASB continuation byte outside a frame. */
  | 'unexpected-byte'
  /** A DLE EOT reply while no request was outstanding (e.g. one that came after its timeout). */
  | 'unsolicited-reply'
  /** An ASB frame cut short by the first byte of the next. */
  | 'truncated-asb';

export type StatusEvent =
  | RealtimeEvent
  | { kind: 'asb'; raw: Uint8Array; status: AsbStatus }
  | { kind: 'flow'; xoff: boolean }
  | { kind: 'discarded'; reason: DiscardReason; bytes: Uint8Array };

/**
 * Streaming decoder for one printer's input. Feed it chunks as they arrive (split anywhere); it
 * returns the events completed by that chunk. Call `expect(n)` for every `DLE EOT n` sent, in the
 * order sent, and `forgetExpected()` when the driver gives up waiting (timeout), so a late reply
 * is reported as unsolicited rather than taken for the answer to the next request.
 * `status` merges everything heard so far.
 */
export class EscPosStatusDecoder {
  #expected: StatusRequest[] = [];
  #asb: number[] = [];
  #status: PrinterStatus = { ...UNKNOWN_PRINTER_STATUS };

  expect(n: StatusRequest): void {
    this.#expected.push(n);
  }

  /** Requests still waiting for their reply, oldest first. */
  get pending(): readonly StatusRequest[] {
    return this.#expected;
  }

  forgetExpected(): void {
    this.#expected = [];
  }

  get status(): PrinterStatus {
    return { ...this.#status };
  }

  /** Back to the state of a new decoder (e.g. after the port reconnects). */
  reset(): void {
    this.#expected = [];
    this.#asb = [];
    this.#status = { ...UNKNOWN_PRINTER_STATUS };
  }

  push(chunk: Uint8Array): StatusEvent[] {
    const events: StatusEvent[] = [];
    const discard = (reason: DiscardReason, bytes: readonly number[]) => {
      const last = events[events.length - 1];
      if (last?.kind === 'discarded' && last.reason === reason) {
        const merged = new Uint8Array(last.bytes.length + bytes.length);
        merged.set(last.bytes);
        merged.set(bytes, last.bytes.length);
        events[events.length - 1] = { kind: 'discarded', reason, bytes: merged };
      } else {
        events.push({ kind: 'discarded', reason, bytes: Uint8Array.from(bytes) });
      }
    };

    for (const b of chunk) {
      if (b === XON || b === XOFF) {
        events.push({ kind: 'flow', xoff: b === XOFF });
      } else if (isRealtimeReply(b)) {
        // A reply may arrive in the middle of an ASB frame; the frame goes on after it.
        const request = this.#expected.shift();
        if (request === undefined) discard('unsolicited-reply', [b]);
        else events.push(this.#realtime(request, b));
      } else if (isAsbFirstByte(b)) {
        if (this.#asb.length > 0) discard('truncated-asb', this.#asb);
        this.#asb = [b];
      } else if (isAsbNextByte(b) && this.#asb.length > 0) {
        this.#asb.push(b);
        if (this.#asb.length === 4) {
          const raw = Uint8Array.from(this.#asb);
          this.#asb = [];
          const status = parseAsb(raw);
          this.#mergeAsb(status);
          events.push({ kind: 'asb', raw, status });
        }
      } else {
        discard('unexpected-byte', [b]);
      }
    }
    return events;
  }

  #realtime(request: StatusRequest, raw: number): RealtimeEvent {
    const s = this.#status;
    switch (request) {
      case 1: {
        const status = parsePrinterStatus(raw);
        s.online = !status.offline;
        return { kind: 'realtime', request, raw, status };
      }
      case 2: {
        const status = parseOfflineCause(raw);
        s.coverOpen = status.coverOpen;
        s.feedButton = status.feedingByButton;
        s.error = status.error;
        // Bit 5 only says printing stopped on a paper end; off does not mean paper is present.
        if (status.paperEndStop) s.paperOut = true;
        return { kind: 'realtime', request, raw, status };
      }
      case 3: {
        const status = parseErrorCause(raw);
        s.error = status.mechanicalError || status.autocutterError || status.unrecoverableError || status.autoRecoverableError;
        return { kind: 'realtime', request, raw, status };
      }
      case 4: {
        const status = parsePaperSensor(raw);
        s.paperNearEnd = status.nearEnd;
        s.paperOut = status.paperEnd;
        return { kind: 'realtime', request, raw, status };
      }
    }
  }

  #mergeAsb(a: AsbStatus): void {
    const s = this.#status;
    s.online = !a.offline;
    s.coverOpen = a.coverOpen;
    s.feedButton = a.feedingByButton;
    s.error = a.mechanicalError || a.autocutterError || a.unrecoverableError || a.autoRecoverableError;
    s.paperNearEnd = a.paperNearEnd;
    s.paperOut = a.paperEnd;
  }
}
