/**
 * Text for character devices (thermal printers, 2×20 line displays): bytes and columns.
 *
 * Chinese printers in Chinese mode (`FS &`) and Chinese-capable displays take text as GB18030,
 * whose one-byte range is ASCII and whose two-byte range is GBK (a superset of GB2312). Every
 * character sent as a multi-byte code is drawn with the full-width font, two columns wide, so a
 * character's width follows from its encoding: one byte, one column; more bytes, two columns.
 * That is what the device does, which is why widths are measured on the encoded form rather than
 * with a Unicode East-Asian-width table.
 *
 * Encodings:
 * - `gb18030`: everything GB18030 encodes, including its four-byte codes (CJK Extension B, emoji);
 *   only printers with a full GB18030 font draw those.
 * - `gbk`: one- and two-byte codes only; characters that need four bytes become `?`. This is the
 *   safe choice for printers and displays whose font stops at GBK.
 * - `ascii`: printable ASCII only; anything else becomes `?`.
 *
 * Control characters never reach a device, where they would be read as commands: C0/C1 controls,
 * DEL, format characters and combining marks are dropped, tabs and other spaces become a space.
 */
import iconv from 'iconv-lite';
import { AppError } from '../../core/errors';

export type TextEncoding = 'gb18030' | 'gbk' | 'ascii';
export type Align = 'left' | 'center' | 'right';

/** One character as the device sees it: its bytes and the columns it takes. */
export interface Cell {
  readonly bytes: Uint8Array;
  readonly width: 1 | 2;
}

const SPACE: Cell = { bytes: Uint8Array.of(0x20), width: 1 };
const QUESTION: Cell = { bytes: Uint8Array.of(0x3f), width: 1 };
const DROPPED = /[\p{Cc}\p{Cf}\p{M}\p{Zl}\p{Zp}]/u;
const SPACES = /[\t\p{Zs}]/u;

/** Splits text into device cells in the given encoding (see the header for what is replaced). */
export function toCells(text: string, encoding: TextEncoding): Cell[] {
  const cells: Cell[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    // U+3000 (ideographic space) is a real two-column character in GB2312 (A1 A1): keep it.
    if (SPACES.test(ch) && cp !== 0x3000) {
      cells.push(SPACE);
      continue;
    }
    if (DROPPED.test(ch)) continue;
    if (cp < 0x80) {
      cells.push({ bytes: Uint8Array.of(cp), width: 1 });
      continue;
    }
    if (encoding === 'ascii') {
      cells.push(QUESTION);
      continue;
    }
    const bytes = iconv.encode(ch, 'gb18030');
    // A lone surrogate comes back as a single '?'; four-byte codes only in 'gb18030'.
    if (bytes.length === 2 || (bytes.length === 4 && encoding === 'gb18030')) {
      cells.push({ bytes: new Uint8Array(bytes), width: 2 });
    } else {
      cells.push(QUESTION);
    }
  }
  return cells;
}

/** The bytes of a row of cells. */
export function cellBytes(cells: readonly Cell[]): Uint8Array {
  let length = 0;
  for (const c of cells) length += c.bytes.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of cells) {
    out.set(c.bytes, at);
    at += c.bytes.length;
  }
  return out;
}

export function cellsWidth(cells: readonly Cell[]): number {
  let w = 0;
  for (const c of cells) w += c.width;
  return w;
}

/** Text encoded for a device, control characters removed (see `toCells`). */
export function encodeDeviceText(text: string, encoding: TextEncoding): Uint8Array {
  return cellBytes(toCells(text, encoding));
}

/** Columns the text takes on the device. */
export function textColumns(text: string, encoding: TextEncoding): number {
  return cellsWidth(toCells(text, encoding));
}

/**
 * Exactly `width` columns: cut at the last whole character that fits (a two-column character is
 * never split, the gap becomes a space), then padded with spaces per `align`.
 */
export function fitCells(cells: readonly Cell[], width: number, align: Align = 'left'): Cell[] {
  checkWidth(width, 1);
  const kept: Cell[] = [];
  let used = 0;
  for (const c of cells) {
    if (used + c.width > width) break;
    kept.push(c);
    used += c.width;
  }
  const gap = width - used;
  const before = align === 'left' ? 0 : align === 'right' ? gap : Math.floor(gap / 2);
  return [...repeat(SPACE, before), ...kept, ...repeat(SPACE, gap - before)];
}

/**
 * Greedy word wrap to `width` columns. Lines break after a space when the line has one (Latin
 * words stay whole), anywhere else otherwise (Chinese has no spaces and may break between any two
 * characters). Spaces at a break are dropped. Empty text gives one empty line.
 */
export function wrapCells(cells: readonly Cell[], width: number): Cell[][] {
  checkWidth(width, 2);
  const lines: Cell[][] = [];
  let line: Cell[] = [];
  let used = 0;
  for (const c of cells) {
    if (used + c.width > width) {
      if (c === SPACE) {
        lines.push(trimEnd(line));
        line = [];
        used = 0;
        continue;
      }
      const lastSpace = line.lastIndexOf(SPACE);
      if (lastSpace > 0) {
        lines.push(trimEnd(line.slice(0, lastSpace)));
        line = trimStart(line.slice(lastSpace + 1));
      } else {
        lines.push(trimEnd(line));
        line = [];
      }
      used = cellsWidth(line);
    }
    if (line.length === 0 && c === SPACE && lines.length > 0) continue;
    line.push(c);
    used += c.width;
  }
  lines.push(trimEnd(line));
  return lines;
}

function trimEnd(line: Cell[]): Cell[] {
  let end = line.length;
  while (end > 0 && line[end - 1] === SPACE) end--;
  return line.slice(0, end);
}

function trimStart(line: Cell[]): Cell[] {
  let start = 0;
  while (start < line.length && line[start] === SPACE) start++;
  return line.slice(start);
}

function repeat(cell: Cell, n: number): Cell[] {
  return Array.from({ length: Math.max(0, n) }, () => cell);
}

function checkWidth(width: number, min: number): void {
  if (!Number.isInteger(width) || width < min) {
    throw new AppError('INVALID', 'errors.device.invalidArgument', { name: 'width', value: width });
  }
}
