/**
 * 2×20 customer / line displays (VFD or LCD on a serial port): two command sets.
 *
 * CD5220 (the de-facto standard of Chinese pole displays; most boards also speak the Epson set,
 * chosen by DIP switch or `ESC # n`):
 *   `ESC @` (1B 40) initialize; `CLR` (0C) clear the screen and leave string mode;
 *   `ESC Q A` d1…d20 `CR` (1B 51 41 … 0D) write the upper line; `ESC Q B` … `CR` the lower line.
 *   While a display is in string mode (after `ESC Q A/B`), it accepts no other command than CLR
 *   (or CAN), so `init()` sends CLR before `ESC @`.
 * Epson ESC/POS display commands (DM-D110/DM-D210 and compatibles):
 *   `ESC @` (1B 40) initialize; `US MD1` (1F 01) overwrite mode; `CLR` (0C) clear the screen;
 *   `US $ x y` (1F 24 x y) move the cursor to column x (1–20), row y (1–2).
 *
 * Lines are always sent as exactly 20 columns (padded with spaces, cut at the last character that
 * fits), so a shorter new text never leaves the end of the old one on the glass. A Chinese
 * character takes two columns and two bytes; displays without a Chinese font get `ascii`, where
 * anything beyond ASCII becomes `?`. Four-byte GB18030 codes are never sent to a display (no
 * display font has them), so `gb18030` here behaves as GBK. See device-text.ts.
 */
import { cellBytes, fitCells, toCells, type Align } from './device-text';
import { concatBytes } from './hex';

export const LINE_DISPLAY_COLUMNS = 20;

export type LineDisplayEncoding = 'ascii' | 'gb18030';

export interface LineDisplayOptions {
  encoding: LineDisplayEncoding;
  /** Alignment of text shorter than the line. Default left. */
  align?: Align;
}

export interface LineDisplayCodec {
  readonly commandSet: 'cd5220' | 'epson';
  readonly columns: number;
  init(): Uint8Array;
  clear(): Uint8Array;
  show(line1: string, line2: string): Uint8Array;
}

/** Exactly 20 columns of device bytes (20 bytes: one per ASCII column, two per Chinese character). */
export function encodeDisplayLine(text: string, options: LineDisplayOptions): Uint8Array {
  const encoding = options.encoding === 'gb18030' ? 'gbk' : 'ascii';
  return cellBytes(fitCells(toCells(text, encoding), LINE_DISPLAY_COLUMNS, options.align ?? 'left'));
}

const ESC = 0x1b;
const CLR = 0x0c;
const CR = 0x0d;
const US = 0x1f;

export function createCd5220Codec(options: LineDisplayOptions): LineDisplayCodec {
  return {
    commandSet: 'cd5220',
    columns: LINE_DISPLAY_COLUMNS,
    init: () => Uint8Array.of(CLR, ESC, 0x40),
    clear: () => Uint8Array.of(CLR),
    show: (line1, line2) =>
      concatBytes([
        [ESC, 0x51, 0x41],
        encodeDisplayLine(line1, options),
        [CR],
        [ESC, 0x51, 0x42],
        encodeDisplayLine(line2, options),
        [CR],
      ]),
  };
}

export function createEpsonDisplayCodec(options: LineDisplayOptions): LineDisplayCodec {
  return {
    commandSet: 'epson',
    columns: LINE_DISPLAY_COLUMNS,
    init: () => Uint8Array.of(ESC, 0x40, US, 0x01),
    clear: () => Uint8Array.of(CLR),
    show: (line1, line2) =>
      concatBytes([
        [US, 0x24, 1, 1],
        encodeDisplayLine(line1, options),
        [US, 0x24, 1, 2],
        encodeDisplayLine(line2, options),
      ]),
  };
}
