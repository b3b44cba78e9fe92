/**
 * ESC/POS decoder for the printer simulator: turns the byte stream a thermal printer receives into
 * readable tickets, one per cut. Pure (no I/O, no timers): bytes in, events out, chunking anywhere.
 *
 * It does what a printer does with each byte, as in the Epson "ESC/POS Command Reference":
 * - `ESC @` initializes: styles back to defaults, Chinese mode off (see `chineseModeAtInit`), and
 *   the unprinted part of the current line is discarded (it is in the print buffer, which ESC @
 *   clears). Automatic Status Back is not the decoder's business: `GS a n` is reported as an event.
 * - `FS &` / `FS .` select / cancel Chinese mode. In Chinese mode a byte 81–FE starts a GB18030
 *   character (two bytes, or four when the second is 30–39), drawn two columns wide; outside it
 *   every byte is one column of the code page (CP437 here).
 * - `ESC a n` justifies, and only when processed at the beginning of a line (otherwise ignored,
 *   as the reference says). `GS ! n` sets width and height (high and low nibble, 1–8), `ESC E n`
 *   emphasis, `ESC !` the legacy print mode (emphasis, double height, double width).
 * - Text wider than the paper wraps to the next line (the printer does that, not the encoder), so
 *   an encoder that miscounts columns shows up as an extra line.
 * - `GS ( k` with cn 49 is the QR code: model, module size, error correction, store data, print.
 *   `GS k m` prints a barcode; CODE128 (m 73) data is decoded through its `{A {B {C {{` escapes.
 * - `GS V` (all functions) and the legacy `ESC i` / `ESC m` cut; each cut closes a ticket.
 * - Real-time commands (`DLE EOT`, `DLE ENQ`, `DLE DC4`) are skipped: the simulator answers them
 *   on reception, before bytes reach this decoder, as a printer does.
 * - Known commands without visible effect (line spacing, fonts, bit images, NV graphics, …) are
 *   consumed with their parameters; an unknown command is reported as an `unknown` event (two
 *   bytes) so an encoder bug is visible rather than printed as garbage.
 */
import iconv from 'iconv-lite';

export type Align = 'left' | 'center' | 'right';

/** Text with one style. `width` and `height` are the GS ! multipliers (1–8). */
export interface TextRun {
  text: string;
  width: number;
  height: number;
  bold: boolean;
}

export interface TextLine {
  kind: 'text';
  align: Align;
  /** The runs joined. An empty line is a paper feed. */
  text: string;
  runs: TextRun[];
  /** Largest multipliers on the line (the line's height is set by its tallest character). */
  width: number;
  height: number;
  /** Whether any run is emphasized. */
  bold: boolean;
  /** Columns taken, at the multipliers used (a Chinese character is 2 columns × width). */
  columns: number;
}

export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';

export interface QrElement {
  kind: 'qr';
  align: Align;
  data: string;
  model: 1 | 2 | 'micro';
  moduleSize: number;
  errorLevel: QrErrorLevel;
}

export interface BarcodeElement {
  kind: 'barcode';
  align: Align;
  symbology: string;
  /** The data as it prints in the human-readable line (CODE128 escapes resolved). */
  data: string;
  height: number;
  moduleWidth: number;
  hri: 'none' | 'above' | 'below' | 'both';
}

export type TicketElement = TextLine | QrElement | BarcodeElement;

export interface DecodedTicket {
  elements: TicketElement[];
  /** How it was cut; 'none' for content not cut yet (see `pending()`). */
  cut: 'full' | 'partial' | 'none';
}

export type EscPosDecodeEvent =
  | { kind: 'ticket'; ticket: DecodedTicket }
  /** ESC @ reached the print engine (the printer may reset settings the decoder does not keep). */
  | { kind: 'init' }
  /** GS a n reached the print engine: enable Automatic Status Back for the items in n. */
  | { kind: 'asb'; n: number }
  | { kind: 'unknown'; bytes: Uint8Array };

export interface EscPosDecoderOptions {
  /** Columns of the paper at 1× (Font A 12×24): 32 for 58 mm, 48 for 80 mm (42 on some). Default 48. */
  columns?: number;
  /**
   * Chinese mode after power-on and ESC @. Default false, as in the ESC/POS reference; Chinese
   * printers ship with it on, but a ticket that relies on that prints mojibake on a printer set
   * otherwise, so the simulator makes the encoder say FS & itself.
   */
  chineseModeAtInit?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const HT = 0x09;
const FF = 0x0c;
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

const BARCODES: Record<number, string> = {
  0: 'UPC-A',
  1: 'UPC-E',
  2: 'EAN13',
  3: 'EAN8',
  4: 'CODE39',
  5: 'ITF',
  6: 'CODABAR',
  65: 'UPC-A',
  66: 'UPC-E',
  67: 'EAN13',
  68: 'EAN8',
  69: 'CODE39',
  70: 'ITF',
  71: 'CODABAR',
  72: 'CODE93',
  73: 'CODE128',
  74: 'GS1-128',
  75: 'GS1 DataBar Omnidirectional',
  76: 'GS1 DataBar Truncated',
  77: 'GS1 DataBar Limited',
  78: 'GS1 DataBar Expanded',
  79: 'CODE128 auto',
};

/** ESC and GS commands consumed with a fixed number of parameter bytes and no visible effect here. */
const ESC_FIXED: Record<number, number> = {
  0x20: 1, // ESC SP n: right-side character spacing
  0x25: 1, // ESC % n: user-defined character set
  0x2d: 1, // ESC - n: underline
  0x32: 0, // ESC 2: default line spacing
  0x33: 1, // ESC 3 n: line spacing
  0x3c: 0, // ESC <: return home
  0x3d: 1, // ESC = n: select peripheral
  0x3f: 1, // ESC ? n: cancel user-defined character
  0x47: 1, // ESC G n: double-strike
  0x4c: 0, // ESC L: page mode
  0x4d: 1, // ESC M n: font
  0x52: 1, // ESC R n: international character set
  0x53: 0, // ESC S: standard mode
  0x54: 1, // ESC T n: print direction (page mode)
  0x55: 1, // ESC U n: unidirectional printing
  0x56: 1, // ESC V n: 90° rotation
  0x57: 8, // ESC W: print area (page mode)
  0x24: 2, // ESC $ nL nH: absolute position
  0x5c: 2, // ESC \ nL nH: relative position
  0x65: 1, // ESC e n: reverse feed
  0x70: 3, // ESC p m t1 t2: drawer kick pulse
  0x72: 1, // ESC r n: colour
  0x74: 1, // ESC t n: code page
  0x75: 1, // ESC u n: transmit peripheral status (old)
  0x76: 0, // ESC v: transmit paper sensor status (old)
  0x7b: 1, // ESC { n: upside-down
  0x0c: 0, // ESC FF: print data in page mode
};

const GS_FIXED: Record<number, number> = {
  0x24: 2, // GS $: absolute vertical position (page mode)
  0x2f: 1, // GS / m: print downloaded bit image
  0x3a: 0, // GS :: macro definition start/end
  0x42: 1, // GS B n: reverse
  0x45: 1, // GS E n: head energy (some models)
  0x49: 1, // GS I n: transmit printer id
  0x4c: 2, // GS L nL nH: left margin
  0x50: 2, // GS P x y: motion units
  0x54: 1, // GS T n: print position to the beginning of the line
  0x57: 2, // GS W nL nH: print area width
  0x5c: 2, // GS \: relative vertical position (page mode)
  0x5e: 3, // GS ^ r t m: execute macro
  0x62: 1, // GS b n: smoothing
  0x66: 1, // GS f n: HRI font
  0x6a: 1, // GS j n: Automatic Status Back for ink
  0x72: 1, // GS r n: transmit status
};

const FS_FIXED: Record<number, number> = {
  0x21: 1, // FS ! n: Chinese character print mode
  0x2d: 1, // FS - n: Chinese underline
  0x43: 1, // FS C n: Chinese code system
  0x53: 2, // FS S n1 n2: Chinese character spacing
  0x57: 1, // FS W n: Chinese quadruple size
  0x70: 2, // FS p n m: print NV bit image
};

interface Style {
  width: number;
  height: number;
  bold: boolean;
}

export class EscPosDecoder {
  readonly #columns: number;
  readonly #chineseAtInit: boolean;
  #buffer: Uint8Array = new Uint8Array(0);

  // printer modes
  #chinese: boolean;
  #align: Align = 'left';
  #style: Style = { width: 1, height: 1, bold: false };
  #qr = { model: 2 as 1 | 2 | 'micro', moduleSize: 3, errorLevel: 'L' as QrErrorLevel, data: undefined as string | undefined };
  #barcode = { height: 162, moduleWidth: 3, hri: 'none' as BarcodeElement['hri'] };

  // print buffer
  #elements: TicketElement[] = [];
  #runs: TextRun[] = [];
  #runBytes: number[] = [];
  #runStyle: Style | undefined;
  #runChinese = false;
  #lineColumns = 0;
  #lineAlign: Align | undefined;

  constructor(options: EscPosDecoderOptions = {}) {
    this.#columns = options.columns ?? 48;
    this.#chineseAtInit = options.chineseModeAtInit ?? false;
    this.#chinese = this.#chineseAtInit;
  }

  push(chunk: Uint8Array): EscPosDecodeEvent[] {
    const events: EscPosDecodeEvent[] = [];
    const buf = new Uint8Array(this.#buffer.length + chunk.length);
    buf.set(this.#buffer);
    buf.set(chunk, this.#buffer.length);
    let i = 0;
    while (i < buf.length) {
      const used = this.#step(buf, i, events);
      if (used === 0) break;
      i += used;
    }
    this.#buffer = buf.slice(i);
    return events;
  }

  /** What has been printed since the last cut (including a line not yet ended), if anything. */
  pending(): DecodedTicket | undefined {
    const elements = [...this.#elements];
    const line = this.#currentLine();
    if (line !== undefined) elements.push(line);
    return elements.length === 0 ? undefined : { elements, cut: 'none' };
  }

  /** Bytes held waiting for the rest of a command. */
  get buffered(): number {
    return this.#buffer.length;
  }

  // ---- bytes ------------------------------------------------------------------------------------

  /** Handles the command or character at i; returns the bytes used, 0 when more are needed. */
  #step(b: Uint8Array, i: number, events: EscPosDecodeEvent[]): number {
    const c = b[i]!;
    switch (c) {
      case LF:
        this.#endLine();
        return 1;
      case CR:
        return 1;
      case HT: {
        const next = (Math.floor(this.#lineColumns / 8) + 1) * 8;
        while (this.#lineColumns < Math.min(next, this.#columns)) this.#addChar([0x20], 1);
        return 1;
      }
      case FF:
        if (this.#hasLineContent()) this.#endLine();
        return 1;
      case ESC:
        return this.#esc(b, i, events);
      case GS:
        return this.#gs(b, i, events);
      case FS:
        return this.#fs(b, i, events);
      case DLE:
        return this.#dle(b, i, events);
      default:
        break;
    }
    if (c < 0x20 || c === 0x7f) {
      if (c !== 0x00 && c !== 0x18) events.push({ kind: 'unknown', bytes: Uint8Array.of(c) });
      return 1;
    }
    if (this.#chinese && c >= 0x81 && c <= 0xfe) {
      const second = b[i + 1];
      if (second === undefined) return 0;
      if (second >= 0x30 && second <= 0x39) {
        if (i + 3 >= b.length) return 0;
        this.#addChar([c, second, b[i + 2]!, b[i + 3]!], 2);
        return 4;
      }
      this.#addChar([c, second], 2);
      return 2;
    }
    this.#addChar([c], 1);
    return 1;
  }

  #esc(b: Uint8Array, i: number, events: EscPosDecodeEvent[]): number {
    const f = b[i + 1];
    if (f === undefined) return 0;
    switch (f) {
      case 0x40: // ESC @
        this.#initialize();
        events.push({ kind: 'init' });
        return 2;
      case 0x69: // ESC i: partial cut (one point left)
      case 0x6d: // ESC m: partial cut (three points left)
        this.#cut('partial', events);
        return 2;
      case 0x44: {
        // ESC D n1 … nk NUL: horizontal tab positions
        const end = b.indexOf(0x00, i + 2);
        if (end < 0) return b.length - i > 34 ? 2 : 0;
        return end - i + 1;
      }
      case 0x2a: {
        // ESC * m nL nH d…: bit image, 8-dot (m 0, 1) or 24-dot (m 32, 33) columns
        if (i + 4 >= b.length) return 0;
        const dots = b[i + 3]! + b[i + 4]! * 256;
        const length = 5 + (b[i + 2]! < 32 ? dots : dots * 3);
        if (this.#hasLineContent()) this.#endLine();
        return i + length <= b.length ? length : 0;
      }
    }
    if (i + 2 >= b.length && !(f in ESC_FIXED && ESC_FIXED[f] === 0)) return 0;
    const n = b[i + 2] ?? 0;
    switch (f) {
      case 0x61: // ESC a n
        if (!this.#hasLineContent()) this.#align = alignOf(n);
        return 3;
      case 0x45: // ESC E n
        this.#style = { ...this.#style, bold: (n & 1) === 1 };
        return 3;
      case 0x21: // ESC ! n: bit 3 emphasized, bit 4 double height, bit 5 double width
        this.#style = { bold: (n & 0x08) !== 0, height: n & 0x10 ? 2 : 1, width: n & 0x20 ? 2 : 1 };
        return 3;
      case 0x64: // ESC d n: print and feed n lines
        this.#feed(n);
        return 3;
      case 0x4a: // ESC J n: print and feed n dots
        if (this.#hasLineContent()) this.#endLine();
        return 3;
      case 0x63: // ESC c 3/4/5 n
        return i + 3 < b.length ? 4 : 0;
    }
    const params = ESC_FIXED[f];
    if (params !== undefined) return i + 1 + params < b.length ? 2 + params : 0;
    events.push({ kind: 'unknown', bytes: Uint8Array.of(ESC, f) });
    return 2;
  }

  #gs(b: Uint8Array, i: number, events: EscPosDecodeEvent[]): number {
    const f = b[i + 1];
    if (f === undefined) return 0;
    switch (f) {
      case 0x28: {
        // GS ( fn pL pH payload
        if (i + 4 >= b.length) return 0;
        const length = b[i + 3]! + b[i + 4]! * 256;
        if (i + 5 + length > b.length) return 0;
        if (b[i + 2] === 0x6b) this.#symbol(b.subarray(i + 5, i + 5 + length));
        return 5 + length;
      }
      case 0x6b: {
        // GS k m …
        const m = b[i + 2];
        if (m === undefined) return 0;
        if (m <= 6) {
          const end = b.indexOf(0x00, i + 3);
          if (end < 0) return b.length - i > 260 ? 3 : 0;
          this.#printBarcode(m, b.subarray(i + 3, end));
          return end - i + 1;
        }
        if (m >= 65 && m <= 79) {
          const n = b[i + 3];
          if (n === undefined || i + 4 + n > b.length) return 0;
          this.#printBarcode(m, b.subarray(i + 4, i + 4 + n));
          return 4 + n;
        }
        events.push({ kind: 'unknown', bytes: Uint8Array.of(GS, f, m) });
        return 3;
      }
      case 0x56: {
        // GS V m [n]
        const m = b[i + 2];
        if (m === undefined) return 0;
        if (m === 0 || m === 1 || m === 48 || m === 49) {
          this.#cut(m % 48 === 0 ? 'full' : 'partial', events);
          return 3;
        }
        if ([65, 66, 97, 98, 103, 104].includes(m)) {
          if (i + 3 >= b.length) return 0;
          this.#cut(m % 2 === 1 ? 'full' : 'partial', events);
          return 4;
        }
        events.push({ kind: 'unknown', bytes: Uint8Array.of(GS, f, m) });
        return 3;
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH d…: raster bit image
        if (i + 7 >= b.length) return 0;
        const length = 8 + (b[i + 4]! + b[i + 5]! * 256) * (b[i + 6]! + b[i + 7]! * 256);
        if (this.#hasLineContent()) this.#endLine();
        return i + length <= b.length ? length : 0;
      }
      case 0x38: {
        // GS 8 L p1 p2 p3 p4 …: large graphics data
        if (i + 6 >= b.length) return 0;
        const length = 7 + b[i + 3]! + b[i + 4]! * 0x100 + b[i + 5]! * 0x10000 + b[i + 6]! * 0x1000000;
        return i + length <= b.length ? length : 0;
      }
      case 0x2a: {
        // GS * x y d…: define downloaded bit image
        if (i + 3 >= b.length) return 0;
        const length = 4 + b[i + 2]! * b[i + 3]! * 8;
        return i + length <= b.length ? length : 0;
      }
    }
    if (i + 2 >= b.length && GS_FIXED[f] !== 0) return 0;
    const n = b[i + 2] ?? 0;
    switch (f) {
      case 0x21: // GS ! n
        this.#style = { ...this.#style, width: ((n >> 4) & 7) + 1, height: (n & 7) + 1 };
        return 3;
      case 0x68: // GS h n
        this.#barcode.height = n;
        return 3;
      case 0x77: // GS w n
        this.#barcode.moduleWidth = n;
        return 3;
      case 0x48: // GS H n
        this.#barcode.hri = (['none', 'above', 'below', 'both'] as const)[n % 48 % 4] ?? 'none';
        return 3;
      case 0x61: // GS a n
        events.push({ kind: 'asb', n });
        return 3;
    }
    const params = GS_FIXED[f];
    if (params !== undefined) return i + 1 + params < b.length ? 2 + params : 0;
    events.push({ kind: 'unknown', bytes: Uint8Array.of(GS, f) });
    return 2;
  }

  #fs(b: Uint8Array, i: number, events: EscPosDecodeEvent[]): number {
    const f = b[i + 1];
    if (f === undefined) return 0;
    if (f === 0x26 || f === 0x2e) {
      // FS & / FS .
      this.#closeRun();
      this.#chinese = f === 0x26;
      return 2;
    }
    if (f === 0x32) {
      // FS 2 c1 c2 d1…d72: define a user-defined Chinese character
      return i + 76 <= b.length ? 76 : 0;
    }
    const params = FS_FIXED[f];
    if (params !== undefined) return i + 1 + params < b.length ? 2 + params : 0;
    events.push({ kind: 'unknown', bytes: Uint8Array.of(FS, f) });
    return 2;
  }

  #dle(b: Uint8Array, i: number, events: EscPosDecodeEvent[]): number {
    const f = b[i + 1];
    if (f === undefined) return 0;
    if (f === 0x04 || f === 0x05) return i + 2 < b.length ? 3 : 0; // DLE EOT n, DLE ENQ n
    if (f === 0x14) {
      const fn = b[i + 2];
      if (fn === undefined) return 0;
      const length = fn === 8 ? 10 : 5;
      return i + length <= b.length ? length : 0;
    }
    events.push({ kind: 'unknown', bytes: Uint8Array.of(DLE) });
    return 1;
  }

  // ---- printer actions --------------------------------------------------------------------------

  #initialize(): void {
    // The print buffer (the unprinted line) is cleared; what was printed stays on the paper.
    this.#runs = [];
    this.#runBytes = [];
    this.#runStyle = undefined;
    this.#lineColumns = 0;
    this.#lineAlign = undefined;
    this.#chinese = this.#chineseAtInit;
    this.#align = 'left';
    this.#style = { width: 1, height: 1, bold: false };
    this.#qr = { model: 2, moduleSize: 3, errorLevel: 'L', data: undefined };
    this.#barcode = { height: 162, moduleWidth: 3, hri: 'none' };
  }

  #addChar(bytes: number[], cells: 1 | 2): void {
    const columns = cells * this.#style.width;
    if (this.#lineColumns > 0 && this.#lineColumns + columns > this.#columns) this.#endLine();
    if (this.#lineAlign === undefined) this.#lineAlign = this.#align;
    const s = this.#style;
    const r = this.#runStyle;
    if (r === undefined || r.width !== s.width || r.height !== s.height || r.bold !== s.bold || this.#runChinese !== this.#chinese) {
      this.#closeRun();
      this.#runStyle = { ...s };
      this.#runChinese = this.#chinese;
    }
    this.#runBytes.push(...bytes);
    this.#lineColumns += columns;
  }

  #closeRun(): void {
    const style = this.#runStyle;
    if (style === undefined || this.#runBytes.length === 0) return;
    const text = iconv.decode(Buffer.from(this.#runBytes), this.#runChinese ? 'gb18030' : 'cp437');
    const last = this.#runs[this.#runs.length - 1];
    if (last !== undefined && last.width === style.width && last.height === style.height && last.bold === style.bold) last.text += text;
    else this.#runs.push({ text, ...style });
    this.#runBytes = [];
    this.#runStyle = undefined;
  }

  #hasLineContent(): boolean {
    return this.#lineColumns > 0;
  }

  #currentLine(): TextLine | undefined {
    if (!this.#hasLineContent()) return undefined;
    this.#closeRun();
    const runs = this.#runs.map((r) => ({ ...r }));
    return {
      kind: 'text',
      align: this.#lineAlign ?? this.#align,
      text: runs.map((r) => r.text).join(''),
      runs,
      width: Math.max(...runs.map((r) => r.width)),
      height: Math.max(...runs.map((r) => r.height)),
      bold: runs.some((r) => r.bold),
      columns: this.#lineColumns,
    };
  }

  /** Print the line (an empty one is a paper feed of the current character height). */
  #endLine(): void {
    const line = this.#currentLine() ?? {
      kind: 'text' as const,
      align: this.#align,
      text: '',
      runs: [],
      width: 1,
      height: this.#style.height,
      bold: false,
      columns: 0,
    };
    this.#elements.push(line);
    this.#runs = [];
    this.#runBytes = [];
    this.#runStyle = undefined;
    this.#lineColumns = 0;
    this.#lineAlign = undefined;
  }

  #feed(lines: number): void {
    if (lines === 0) {
      if (this.#hasLineContent()) this.#endLine();
      return;
    }
    for (let k = 0; k < lines; k++) this.#endLine();
  }

  #cut(kind: 'full' | 'partial', events: EscPosDecodeEvent[]): void {
    if (this.#hasLineContent()) this.#endLine();
    events.push({ kind: 'ticket', ticket: { elements: this.#elements, cut: kind } });
    this.#elements = [];
  }

  /** GS ( k: cn 49 is QR; other symbols (PDF417, MaxiCode, …) are not simulated. */
  #symbol(p: Uint8Array): void {
    const [cn, fn, n] = p;
    if (cn !== 0x31) return;
    switch (fn) {
      case 0x41: // model
        this.#qr.model = n === 0x31 ? 1 : n === 0x33 ? 'micro' : 2;
        break;
      case 0x43: // module size
        this.#qr.moduleSize = n ?? 3;
        break;
      case 0x45: // error correction
        this.#qr.errorLevel = (['L', 'M', 'Q', 'H'] as const)[(n ?? 48) - 48] ?? 'L';
        break;
      case 0x50: // store data (m = 48, then the data)
        this.#qr.data = iconv.decode(Buffer.from(p.subarray(3)), 'latin1');
        break;
      case 0x51: // print the stored symbol
        if (this.#hasLineContent()) this.#endLine();
        this.#elements.push({
          kind: 'qr',
          align: this.#align,
          data: this.#qr.data ?? '',
          model: this.#qr.model,
          moduleSize: this.#qr.moduleSize,
          errorLevel: this.#qr.errorLevel,
        });
        break;
    }
  }

  #printBarcode(m: number, data: Uint8Array): void {
    if (this.#hasLineContent()) this.#endLine();
    const symbology = BARCODES[m] ?? `barcode ${m}`;
    this.#elements.push({
      kind: 'barcode',
      align: this.#align,
      symbology,
      data: m === 73 ? decodeCode128(data) : iconv.decode(Buffer.from(data), 'latin1'),
      height: this.#barcode.height,
      moduleWidth: this.#barcode.moduleWidth,
      hri: this.#barcode.hri,
    });
  }
}

function alignOf(n: number): Align {
  const v = n >= 48 ? n - 48 : n;
  return v === 1 ? 'center' : v === 2 ? 'right' : 'left';
}

/**
 * GS k 73 data: `{A` `{B` `{C` select the code set, `{{` is a literal `{`, `{S` shifts, `{1`–`{4`
 * are FNC1–4 (not printed). In code set C each byte is a pair of digits (0–99).
 */
export function decodeCode128(data: Uint8Array): string {
  let set: 'A' | 'B' | 'C' = 'B';
  let out = '';
  for (let j = 0; j < data.length; j++) {
    const c = data[j]!;
    if (c === 0x7b) {
      const next = data[j + 1];
      j++;
      if (next === 0x41 || next === 0x42 || next === 0x43) set = next === 0x41 ? 'A' : next === 0x42 ? 'B' : 'C';
      else if (next === 0x7b) out += '{';
      continue;
    }
    out += set === 'C' ? String(c).padStart(2, '0') : String.fromCharCode(c);
  }
  return out;
}

/** A ticket as plain text for a terminal: aligned in `columns`, styles and codes in brackets. */
export function ticketText(ticket: DecodedTicket, columns = 48): string {
  const lines: string[] = [];
  for (const e of ticket.elements) {
    if (e.kind === 'text') {
      const width = Array.from(e.text).reduce((n, ch) => n + ((ch.codePointAt(0) ?? 0) > 0xff ? 2 : 1), 0);
      const gap = Math.max(0, columns - width);
      const pad = e.align === 'left' ? 0 : e.align === 'right' ? gap : Math.floor(gap / 2);
      const tags = [e.width > 1 || e.height > 1 ? `${e.width}×${e.height}` : '', e.bold ? 'bold' : ''].filter((t) => t !== '');
      lines.push(`|${' '.repeat(pad)}${e.text}${' '.repeat(gap - pad)}|${tags.length > 0 ? ` ${tags.join(' ')}` : ''}`);
    } else if (e.kind === 'qr') {
      lines.push(`|[QR ${e.errorLevel}, module ${e.moduleSize}] ${e.data}`);
    } else {
      lines.push(`|[${e.symbology}] ${e.data}`);
    }
  }
  lines.push(ticket.cut === 'none' ? '(not cut)' : `--- ${ticket.cut} cut ---`);
  return lines.join('\n');
}
