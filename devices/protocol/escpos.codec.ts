/**
 * ESC/POS queue tickets for Chinese thermal printers (58 mm: 32 columns, 80 mm: 42 or 48).
 *
 * ESC/POS is a byte stream of printable text and commands introduced by ESC (1B), GS (1D) or
 * FS (1C). A ticket here is: initialize (`ESC @`), select Chinese mode (`FS &`, after which a
 * byte 81–FE starts a multi-byte GB18030 character), then lines of text, each opened by its
 * justification (`ESC a n`, honoured only at the start of a line) and closed by LF, with
 * character size (`GS ! n`, width and height multipliers 1–8 in the high and low nibble) and
 * emphasis (`ESC E n`) around them; a QR code (`GS ( k`: model, module size, error correction,
 * store data, print); a CODE128 barcode (`GS k 73 n {B…`); and a cut (`GS V 65 0`).
 *
 * Library or hand-written: `@point-of-sale/receipt-printer-encoder` (4.0.1) builds the parts it
 * gets right: initialize (it sends `ESC @`, `FS .`, `ESC M 0`), `GS !` and `ESC E` (each printed
 * row opens and resets its own, so a row never inherits a size), the QR and CODE128 sequences,
 * and line feeds. It cannot do the rest, so those go in through its `raw()`:
 * - Text. Its code-page layer has no GB18030 and prints Chinese as `?`; text is encoded here
 *   (see device-text.ts) and wrapped here by printer columns, a Chinese character taking two.
 * - Justification. Its `align()` pads text with spaces to the column count it believes in, which
 *   is wrong for raw text; `ESC a n` is sent before every line and every code instead.
 * - `FS &`, which it never sends (its initialize sends `FS .`, cancel Chinese mode).
 * - The cut. It only sends `GS V 0` (function A: cut where the paper is now, so the last lines,
 *   still between head and cutter, end up on the next ticket unless the caller guesses a number
 *   of feeds per model). `GS V 65 0` (function B) feeds to the cutter and then cuts; Epson TM
 *   models and the common Chinese 80 mm printers have it (those without a full cut cut partially).
 * - QR and CODE128 data are limited to printable ASCII: the library encodes QR data as ISO-8859-1
 *   and barcodes as ASCII, and a ticket's QR is a URL or an id anyway.
 * Output is pinned byte for byte by escpos.codec.test.ts, so a library upgrade that changes a
 * byte fails there.
 *
 * Real-time status (`DLE EOT`, ASB) is in escpos-status.codec.ts.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { AppError } from '../../core/errors';
import { cellBytes, toCells, wrapCells, cellsWidth, type Align } from './device-text';

export type PaperColumns = 32 | 42 | 48;
/** `gbk` replaces characters that need four GB18030 bytes by `?` (see device-text.ts). */
export type PrinterCodepage = 'gb18030' | 'gbk';
export type TicketLang = 'zh-CN' | 'en';
export type QrErrorLevel = 'l' | 'm' | 'q' | 'h';

export interface EscPosOptions {
  columns: PaperColumns;
  codepage: PrinterCodepage;
}

/** Command bytes this module sends itself (the rest come from the library). */
export const ESC_POS = {
  /** FS & — select Kanji (Chinese) character mode. */
  chineseMode: [0x1c, 0x26],
  /** ESC a n — select justification: 0 left, 1 centre, 2 right. */
  justify: (align: Align): number[] => [0x1b, 0x61, align === 'left' ? 0 : align === 'center' ? 1 : 2],
  /** GS V 65 0 — function B: feed to the cutting position, then full cut. */
  feedAndCut: [0x1d, 0x56, 0x41, 0x00],
} as const;

/** GS ( k <Function 180>: k = (pL + pH × 256) − 3 must be 1..7089. */
const QR_MAX_BYTES = 7089;
/** GS k, m = 73: n (data bytes including the leading `{B`) must be 2..255. */
const CODE128_MAX_BYTES = 255;

export interface TextStyle {
  /** Character size, 1–8 times in width and height (GS ! n). 2 is "double", 2×2 = quad area. */
  size?: number;
  /** Emphasized (ESC E 1). */
  bold?: boolean;
}

export interface QrOptions {
  /** Module size in dots, 1–8 (GS ( k <Function 167>; the library stops at 8). Default 6. */
  size?: number;
  /** Error correction (GS ( k <Function 169>). Default 'm' (15 %). */
  errorLevel?: QrErrorLevel;
}

export interface Code128Options {
  /** Bar height in dots (GS h), 1–255. Default 80 (10 mm at 203 dpi). */
  height?: number;
  /** Module width 1–3, sent as GS w (width + 1). Default 2. */
  moduleWidth?: number;
  /** Print the human-readable text below the bars (GS H 2). Default true. */
  hri?: boolean;
}

/**
 * A lower-level builder: text in GB18030 with wrapping and justification, sizes, QR, CODE128,
 * cut. One builder makes one job; `encode()` may be called once.
 */
export class EscPosBuilder {
  readonly #encoder: ReceiptPrinterEncoder;
  readonly #columns: PaperColumns;
  readonly #codepage: PrinterCodepage;
  #align: Align = 'left';
  #encoded = false;

  constructor(options: EscPosOptions) {
    if (![32, 42, 48].includes(options.columns)) invalid('columns', options.columns);
    if (options.codepage !== 'gb18030' && options.codepage !== 'gbk') invalid('codepage', String(options.codepage));
    this.#columns = options.columns;
    this.#codepage = options.codepage;
    this.#encoder = new ReceiptPrinterEncoder({
      language: 'esc-pos',
      columns: options.columns,
      newline: '\n',
      feedAfterBlock: false,
      errors: 'strict',
    });
  }

  /** ESC @ (and the library's FS . and ESC M 0), then FS &. Must come first. */
  initialize(): this {
    this.#encoder.initialize().raw([...ESC_POS.chineseMode]);
    this.#align = 'left';
    return this;
  }

  /** Justification for the following lines and codes. */
  align(align: Align): this {
    this.#align = align;
    return this;
  }

  /**
   * One paragraph of text, wrapped at the printer's columns divided by the size multiplier.
   * Each printed row is self-contained: `ESC a n`, then `GS ! n` and `ESC E 1` if asked, the text,
   * their reset, LF. Newlines in the text are not interpreted (call `line` per paragraph); empty
   * text feeds one line.
   */
  line(text: string, style: TextStyle = {}): this {
    const size = style.size ?? 1;
    if (!isIntIn(size, 1, 8)) invalid('size', size);
    const bold = style.bold === true;
    const width = Math.max(2, Math.floor(this.#columns / size));
    for (const row of wrapCells(toCells(text, this.#codepage), width)) {
      this.#encoder.raw(ESC_POS.justify(this.#align));
      if (size > 1) this.#encoder.size(size, size);
      if (bold) this.#encoder.bold(true);
      this.#encoder.raw(cellBytes(row));
      if (bold) this.#encoder.bold(false);
      if (size > 1) this.#encoder.size(1, 1);
      this.#encoder.newline();
    }
    return this;
  }

  /** LF × lines. */
  feed(lines = 1): this {
    if (!isIntIn(lines, 1, 255)) invalid('lines', lines);
    this.#encoder.newline(lines);
    return this;
  }

  /** QR code, model 2, of printable ASCII text (a URL, a ticket id), justified like text. */
  qrCode(data: string, options: QrOptions = {}): this {
    const size = options.size ?? 6;
    if (!isIntIn(size, 1, 8)) invalid('size', size);
    if (!isPrintableAscii(data) || data.length > QR_MAX_BYTES) {
      throw new AppError('INVALID', 'errors.device.printer.qrData', { max: QR_MAX_BYTES });
    }
    this.#encoder.raw(ESC_POS.justify(this.#align)).qrcode(data, { model: 2, size, errorlevel: options.errorLevel ?? 'm' });
    return this;
  }

  /** CODE128 (code set B) of printable ASCII text, justified like text. */
  code128(data: string, options: Code128Options = {}): this {
    const height = options.height ?? 80;
    const moduleWidth = options.moduleWidth ?? 2;
    if (!isIntIn(height, 1, 255)) invalid('height', height);
    if (!isIntIn(moduleWidth, 1, 3)) invalid('moduleWidth', moduleWidth);
    // In GS k 73 data, `{` starts a code-set or function escape; a literal `{` is sent as `{{`.
    const escaped = '{B' + data.replaceAll('{', '{{');
    if (!isPrintableAscii(data) || escaped.length > CODE128_MAX_BYTES) {
      throw new AppError('INVALID', 'errors.device.printer.barcodeData', { max: CODE128_MAX_BYTES - 2 });
    }
    this.#encoder
      .raw(ESC_POS.justify(this.#align))
      .barcode(escaped, 'code128', { height, width: moduleWidth, text: options.hri === false ? 'none' : 'below' });
    return this;
  }

  /** GS V 65 0: feed to the cutter and cut (models without a full cut do a partial one). */
  cut(): this {
    this.#encoder.raw([...ESC_POS.feedAndCut]);
    return this;
  }

  encode(): Uint8Array {
    // The library empties its buffer on encode(); a second call would silently return nothing.
    if (this.#encoded) throw new AppError('INTERNAL', 'errors.internal');
    this.#encoded = true;
    return this.#encoder.encode();
  }
}

export interface QueueTicket {
  siteName: string;
  /** The ticket number as called, e.g. "A012". */
  number: string;
  serviceName: string;
  /** People waiting before this ticket. */
  waitingAhead: number;
  /** Already formatted in the site's time zone and the ticket's language. */
  issuedAt: string;
  /** Printed as a QR code: printable ASCII, e.g. a URL to follow the queue on a phone. */
  qr?: string;
  /** Printed as CODE128: printable ASCII, e.g. the ticket id for a scanner at the counter. */
  barcode?: string;
  /** Free text at the bottom; newlines start new lines. */
  footer?: string;
  lang: TicketLang;
}

/** The fixed words on a ticket. The host may pass its own (from its i18n resources). */
export interface TicketLabels {
  yourNumber: string;
  waitingAhead: (n: number) => string;
  issuedAt: string;
}

export const TICKET_LABELS: Record<TicketLang, TicketLabels> = {
  'zh-CN': {
    yourNumber: '您的号码',
    waitingAhead: (n) => (n === 0 ? '前面没有人等候' : `前面还有 ${n} 人等候`),
    issuedAt: '取号时间',
  },
  en: {
    yourNumber: 'Your number',
    waitingAhead: (n) => (n === 0 ? 'No one is ahead of you' : n === 1 ? '1 person ahead of you' : `${n} people ahead of you`),
    issuedAt: 'Issued',
  },
};

export interface TicketOptions extends EscPosOptions {
  labels?: TicketLabels;
}

/**
 * A queue ticket, everything centred:
 *   site name (bold) / service (double size) / "your number" / NUMBER (bold, 4×, 3× or 2×,
 *   the largest that fits one line) / people ahead / issue time / QR / CODE128 / footer / cut.
 */
export function encodeTicket(ticket: QueueTicket, options: TicketOptions): Uint8Array {
  if (!Number.isInteger(ticket.waitingAhead) || ticket.waitingAhead < 0) invalid('waitingAhead', ticket.waitingAhead);
  const labels = options.labels ?? TICKET_LABELS[ticket.lang];
  const b = new EscPosBuilder(options).initialize().align('center');
  b.line(ticket.siteName, { bold: true });
  b.line(ticket.serviceName, { size: 2 });
  b.line(labels.yourNumber);
  b.line(ticket.number, { size: numberScale(ticket.number, options), bold: true });
  b.line(labels.waitingAhead(ticket.waitingAhead));
  b.line(`${labels.issuedAt} ${ticket.issuedAt}`);
  if (ticket.qr !== undefined) b.feed().qrCode(ticket.qr);
  if (ticket.barcode !== undefined) b.feed().code128(ticket.barcode);
  if (ticket.footer !== undefined && ticket.footer !== '') {
    b.feed();
    for (const paragraph of ticket.footer.split(/\r\n|\r|\n/)) b.line(paragraph);
  }
  return b.feed().cut().encode();
}

/** The largest of 4×, 3×, 2× at which the ticket number fits on one line. */
function numberScale(number: string, options: EscPosOptions): number {
  const oneX = cellsWidth(toCells(number, options.codepage));
  for (const k of [4, 3]) if (oneX * k <= options.columns) return k;
  return 2;
}

export interface TestPageOptions extends EscPosOptions {
  /** A line identifying the printer (name, port), printed under the title. */
  subtitle?: string;
}

/**
 * The page printed by "test print" in the device settings. Each part checks one setting a
 * receptionist can get wrong: the digit ruler must fill exactly one line (paper width / columns),
 * the Chinese ruler too (Chinese mode and GB18030 font), then sizes, bold, QR, CODE128 and the cut.
 */
export function encodeTestPage(options: TestPageOptions): Uint8Array {
  const b = new EscPosBuilder(options).initialize().align('center');
  b.line('Foyer', { size: 2, bold: true });
  b.line('打印测试 Test page');
  if (options.subtitle !== undefined) b.line(options.subtitle);
  b.feed().align('left');
  b.line(`${options.columns} 列 columns, ${options.codepage.toUpperCase()}`);
  b.line('1234567890'.repeat(Math.ceil(options.columns / 10)).slice(0, options.columns));
  b.line('中'.repeat(options.columns / 2));
  b.line('叫号 取号 诊室 前台 闸机');
  b.line('2× A012', { size: 2 });
  b.line('粗体 Bold', { bold: true });
  b.align('center').feed().qrCode('FOYER TEST', { size: 4 });
  b.feed().code128('FOYER-TEST');
  return b.feed().cut().encode();
}

function isIntIn(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

function isPrintableAscii(s: string): boolean {
  return s.length > 0 && /^[\x20-\x7e]*$/.test(s);
}

function invalid(name: string, value: string | number): never {
  throw new AppError('INVALID', 'errors.device.invalidArgument', { name, value });
}
