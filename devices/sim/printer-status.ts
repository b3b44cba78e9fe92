/**
 * The status bytes a simulated printer sends: replies to `DLE EOT n` and Automatic Status Back
 * frames, built from the printer's conditions. The bit positions are those decoded by
 * devices/protocol/escpos-status.codec.ts (its header cites the Epson tables); the unit test
 * round-trips every condition through that decoder, so the two cannot drift apart.
 *
 * How conditions map to bits, as an Epson-compatible printer reports them:
 *   paper-out   offline; EOT 2 "printing stopped by paper end"; EOT 4 paper end and near end (the
 *               near-end sensor sees no paper either); ASB byte 3 the same.
 *   near-end    EOT 4 / ASB byte 3 near end only. The printer stays online and keeps printing.
 *   cover-open  offline; EOT 2 cover open; ASB byte 1 cover open.
 *   offline     offline with neither paper nor cover as the cause. A printer is never offline
 *               without a reason in EOT 2, and the common one left is an automatically
 *               recoverable error (print head too hot), so that is what it reports: EOT 2 error,
 *               EOT 3 auto-recoverable error, ASB byte 2 the same.
 */
import type { AsbItems, StatusRequest } from '../protocol/escpos-status.codec';

export type PrinterCondition = 'paper-out' | 'near-end' | 'cover-open' | 'offline';

export const PRINTER_CONDITIONS: readonly PrinterCondition[] = ['paper-out', 'near-end', 'cover-open', 'offline'];

export type PrinterConditions = ReadonlySet<PrinterCondition>;

/** Whether the printer is online (prints what it receives). Near-end alone does not stop it. */
export function isOnline(c: PrinterConditions): boolean {
  return !c.has('paper-out') && !c.has('cover-open') && !c.has('offline');
}

/** The reply to DLE EOT n: fixed bits 0xx1xx10 plus the condition bits. */
export function realtimeStatusByte(n: StatusRequest, c: PrinterConditions): number {
  let b = 0x12;
  switch (n) {
    case 1:
      if (!isOnline(c)) b |= 0x08;
      break;
    case 2:
      if (c.has('cover-open')) b |= 0x04;
      if (c.has('paper-out')) b |= 0x20;
      if (c.has('offline')) b |= 0x40;
      break;
    case 3:
      if (c.has('offline')) b |= 0x40;
      break;
    case 4:
      if (c.has('near-end') || c.has('paper-out')) b |= 0x0c;
      if (c.has('paper-out')) b |= 0x60;
      break;
  }
  return b;
}

/** The four ASB bytes: 0xx1xx00, then 0xx0xxxx × 3. */
export function asbFrame(c: PrinterConditions): Uint8Array {
  let b1 = 0x10;
  if (!isOnline(c)) b1 |= 0x08;
  if (c.has('cover-open')) b1 |= 0x20;
  let b2 = 0x00;
  if (c.has('offline')) b2 |= 0x40;
  let b3 = 0x00;
  if (c.has('near-end') || c.has('paper-out')) b3 |= 0x03;
  if (c.has('paper-out')) b3 |= 0x0c;
  return Uint8Array.of(b1, b2, b3, 0x00);
}

/** GS a n: which ASB items are enabled (bit 0 drawer, 1 online/offline, 2 error, 3 roll paper). */
export function asbItems(n: number): AsbItems {
  return { drawer: (n & 1) !== 0, online: (n & 2) !== 0, error: (n & 4) !== 0, paper: (n & 8) !== 0 };
}

/** Whether a change from `before` to `after` touches an ASB item enabled by `n`. */
export function asbItemChanged(n: number, before: PrinterConditions, after: PrinterConditions): boolean {
  const items = asbItems(n);
  const changed = (k: PrinterCondition) => before.has(k) !== after.has(k);
  return (
    (items.online === true && (isOnline(before) !== isOnline(after) || changed('cover-open'))) ||
    (items.error === true && changed('offline')) ||
    (items.paper === true && (changed('paper-out') || changed('near-end')))
  );
}
