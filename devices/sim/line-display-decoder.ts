/**
 * Decoder for 2×20 line displays, both command sets of devices/protocol/line-display.codec.ts,
 * keeping what the glass shows. Pure: bytes in, the two lines out, chunking anywhere.
 *
 * The display is a grid of 2 × 20 byte cells with a cursor. A GB18030/GBK character is two bytes
 * and takes two cells, so the cells hold bytes and the lines are decoded when read (the device's
 * own model). Commands understood:
 *   both      CLR 0C clear and home, leaving string mode; CAN 18 clear the cursor line;
 *             ESC @ initialize; BS 08 / HT 09 / LF 0A / CR 0D / HOM 0B cursor moves.
 *   CD5220    ESC Q A … CR upper line, ESC Q B … CR lower line (string mode: every byte up to
 *             CR is text, shorter text blanks the rest); ESC Q D … CR scrolling upper line
 *             (shown unscrolled); ESC l x y cursor.
 *   Epson     US $ x y cursor; US MD1/MD2/MD3 (1F 01/02/03) overwrite, vertical and horizontal
 *             scroll modes (all treated as overwrite); US CR / US LF cursor to the line end / up;
 *             brightness, blink, cursor display, reverse, time and code-page commands consumed.
 * Printable bytes are written at the cursor, which moves right and on to the start of the other
 * line after column 20. Anything else is reported as unknown.
 */
import iconv from 'iconv-lite';

export interface LineDisplayDecoderOptions {
  /** How the cells are read back: 'gb18030' for Chinese-capable displays. Default 'gb18030'. */
  encoding?: 'ascii' | 'gb18030';
  columns?: number;
}

export interface LineDisplayPush {
  /** Whether the visible text changed. */
  changed: boolean;
  /** Bytes that were no command this decoder knows. */
  unknown: Uint8Array[];
}

const ESC = 0x1b;
const US = 0x1f;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;

export class LineDisplayDecoder {
  readonly #columns: number;
  readonly #encoding: 'ascii' | 'gb18030';
  #cells: number[][];
  #row = 0;
  #col = 0;
  /** CD5220 string mode: the row being written by ESC Q A/B/D, and its bytes so far. */
  #string: { row: number; bytes: number[] } | undefined;
  #buffer: number[] = [];

  constructor(options: LineDisplayDecoderOptions = {}) {
    this.#columns = options.columns ?? 20;
    this.#encoding = options.encoding ?? 'gb18030';
    this.#cells = [this.#blank(), this.#blank()];
  }

  /** The two lines as shown, each exactly `columns` cells (trailing spaces included). */
  get lines(): [string, string] {
    return [this.#decode(this.#cells[0]!), this.#decode(this.#cells[1]!)];
  }

  get cursor(): { column: number; row: number } {
    return { column: this.#col + 1, row: this.#row + 1 };
  }

  push(chunk: Uint8Array): LineDisplayPush {
    const before = this.lines.join('\n');
    const unknown: Uint8Array[] = [];
    this.#buffer.push(...chunk);
    let i = 0;
    while (i < this.#buffer.length) {
      const used = this.#step(i, unknown);
      if (used === 0) break;
      i += used;
    }
    this.#buffer = this.#buffer.slice(i);
    return { changed: this.lines.join('\n') !== before, unknown };
  }

  #step(i: number, unknown: Uint8Array[]): number {
    const b = this.#buffer;
    const c = b[i]!;
    if (this.#string !== undefined) {
      if (c === CR) {
        this.#endString();
      } else if (c === 0x0c || c === 0x18) {
        this.#string = undefined;
        this.#control(c);
      } else {
        this.#string.bytes.push(c);
      }
      return 1;
    }
    if (c === ESC) return this.#esc(i, unknown);
    if (c === US) return this.#us(i, unknown);
    if (this.#control(c)) return 1;
    if (c >= SPACE && c !== 0x7f) {
      this.#put(c);
      return 1;
    }
    unknown.push(Uint8Array.of(c));
    return 1;
  }

  /** Single-byte controls shared by both sets; false when `c` is not one. */
  #control(c: number): boolean {
    switch (c) {
      case 0x0c: // CLR
        this.#cells = [this.#blank(), this.#blank()];
        this.#row = 0;
        this.#col = 0;
        return true;
      case 0x18: // CAN: clear the cursor line
        this.#cells[this.#row] = this.#blank();
        this.#col = 0;
        return true;
      case 0x08: // BS
        if (this.#col > 0) this.#col--;
        else if (this.#row > 0) [this.#row, this.#col] = [0, this.#columns - 1];
        return true;
      case 0x09: // HT
        this.#advance();
        return true;
      case LF:
        this.#row = 1;
        return true;
      case CR:
        this.#col = 0;
        return true;
      case 0x0b: // HOM
        this.#row = 0;
        this.#col = 0;
        return true;
      default:
        return false;
    }
  }

  #esc(i: number, unknown: Uint8Array[]): number {
    const b = this.#buffer;
    const f = b[i + 1];
    if (f === undefined) return 0;
    switch (f) {
      case 0x40: // ESC @
        this.#cells = [this.#blank(), this.#blank()];
        this.#row = 0;
        this.#col = 0;
        return 2;
      case 0x51: {
        // ESC Q A/B/D …
        const which = b[i + 2];
        if (which === undefined) return 0;
        if (which === 0x41 || which === 0x44) this.#string = { row: 0, bytes: [] };
        else if (which === 0x42) this.#string = { row: 1, bytes: [] };
        else unknown.push(Uint8Array.of(ESC, f, which));
        return 3;
      }
      case 0x6c: // ESC l x y
        if (i + 3 >= b.length) return 0;
        this.#moveTo(b[i + 2]!, b[i + 3]!);
        return 4;
      case 0x74: // ESC t n: code page
      case 0x52: // ESC R n: international set
      case 0x3d: // ESC = n: select peripheral
      case 0x23: // ESC # n: command set (CD5220 boards)
        return i + 2 < b.length ? 3 : 0;
      default:
        unknown.push(Uint8Array.of(ESC, f));
        return 2;
    }
  }

  #us(i: number, unknown: Uint8Array[]): number {
    const b = this.#buffer;
    const f = b[i + 1];
    if (f === undefined) return 0;
    switch (f) {
      case 0x01: // MD1 overwrite
      case 0x02: // MD2 vertical scroll
      case 0x03: // MD3 horizontal scroll
        return 2;
      case 0x24: // US $ x y
        if (i + 3 >= b.length) return 0;
        this.#moveTo(b[i + 2]!, b[i + 3]!);
        return 4;
      case CR: // cursor to the right end
        this.#col = this.#columns - 1;
        return 2;
      case LF: // cursor up
        this.#row = 0;
        return 2;
      case 0x42: // US B: clear to the end of the line (model dependent); treat as clear line
        this.#cells[this.#row] = this.#blank();
        return 2;
      case 0x40: // US @: self-test
      case 0x55: // US U: display time
        return 2;
      case 0x43: // US C n: cursor display
      case 0x45: // US E n: blink
      case 0x58: // US X n: brightness
      case 0x72: // US r n: reverse
        return i + 2 < b.length ? 3 : 0;
      case 0x54: // US T h m: set time
        return i + 3 < b.length ? 4 : 0;
      default:
        unknown.push(Uint8Array.of(US, f));
        return 2;
    }
  }

  #endString(): void {
    const s = this.#string!;
    const row = this.#blank();
    s.bytes.slice(0, this.#columns).forEach((v, k) => (row[k] = v));
    this.#cells[s.row] = row;
    this.#string = undefined;
  }

  #moveTo(x: number, y: number): void {
    this.#col = Math.min(Math.max(x, 1), this.#columns) - 1;
    this.#row = Math.min(Math.max(y, 1), 2) - 1;
  }

  #put(c: number): void {
    this.#cells[this.#row]![this.#col] = c;
    this.#advance();
  }

  #advance(): void {
    this.#col++;
    if (this.#col >= this.#columns) {
      this.#col = 0;
      this.#row = 1 - this.#row;
    }
  }

  #blank(): number[] {
    return new Array<number>(this.#columns).fill(SPACE);
  }

  #decode(cells: number[]): string {
    if (this.#encoding === 'ascii') return String.fromCharCode(...cells.map((c) => (c < 0x80 ? c : 0x3f)));
    return iconv.decode(Buffer.from(cells), 'gb18030');
  }
}
