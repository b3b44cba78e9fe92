/**
 * Draws a decoded ticket as a PNG at the printer's resolution (12 × 24 dots per column, so 384 dots
 * wide for 32 columns, 576 for 48): ASCII in a built-in 5×7 font scaled into the cell, Chinese
 * characters as filled boxes (no CJK font is bundled), QR codes as a placeholder symbol whose
 * modules are a hash of the content (the content itself is in the ticket JSON), barcodes as
 * placeholder bars with their human-readable line. It is a picture for people; tests assert on the
 * decoded ticket.
 */
import type { BarcodeElement, DecodedTicket, QrElement, TextLine, Align } from './escpos-decoder';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel } from './font5x7';
import { Bitmap, encodePng } from './png';

const CELL_W = 12;
const CELL_H = 24;
const LINE_GAP = 6;
const MARGIN = 12;
const CUT_H = 24;

export function renderTicketPng(ticket: DecodedTicket, columns = 48): Buffer {
  return encodePng(renderTicket(ticket, columns));
}

export function renderTicket(ticket: DecodedTicket, columns = 48): Bitmap {
  const width = columns * CELL_W;
  const heights = ticket.elements.map((e) => elementHeight(e));
  const height = MARGIN + heights.reduce((a, b) => a + b, 0) + CUT_H;
  const bitmap = new Bitmap(width, height);
  let y = MARGIN;
  ticket.elements.forEach((e, k) => {
    if (e.kind === 'text') drawText(bitmap, e, y);
    else if (e.kind === 'qr') drawQr(bitmap, e, y);
    else drawBarcode(bitmap, e, y);
    y += heights[k] ?? 0;
  });
  if (ticket.cut !== 'none') {
    // dashed cut line
    for (let x = 0; x < width; x += 12) bitmap.fill(x, height - CUT_H / 2, 6, 2);
  }
  return bitmap;
}

function elementHeight(e: TextLine | QrElement | BarcodeElement): number {
  if (e.kind === 'text') return CELL_H * e.height + LINE_GAP;
  if (e.kind === 'qr') return qrModules(e.data) * Math.max(1, e.moduleSize) + LINE_GAP * 2;
  return Math.max(1, e.height) + (e.hri === 'none' ? 0 : e.hri === 'both' ? 2 * CELL_H : CELL_H) + LINE_GAP * 2;
}

function startX(bitmap: Bitmap, align: Align, contentWidth: number): number {
  const gap = Math.max(0, bitmap.width - contentWidth);
  return align === 'left' ? 0 : align === 'right' ? gap : Math.floor(gap / 2);
}

/** Cells a character takes: one for ASCII and Latin-1, two for everything beyond (CJK). */
function cells(ch: string): 1 | 2 {
  return (ch.codePointAt(0) ?? 0) > 0xff ? 2 : 1;
}

function drawText(bitmap: Bitmap, line: TextLine, top: number): void {
  const total = line.runs.reduce((n, r) => n + Array.from(r.text).reduce((m, ch) => m + cells(ch) * CELL_W * r.width, 0), 0);
  let x = startX(bitmap, line.align, total);
  for (const run of line.runs) {
    // Characters of one line share the baseline.
    const y = top + (line.height - run.height) * CELL_H;
    for (const ch of run.text) {
      const w = cells(ch) * CELL_W * run.width;
      if (cells(ch) === 2) {
        bitmap.fill(x + 2 * run.width, y + 2 * run.height, w - 4 * run.width, CELL_H * run.height - 4 * run.height);
      } else {
        drawGlyph(bitmap, ch, x, y, run.width, run.height, run.bold);
      }
      x += w;
    }
  }
}

/** The 5×7 glyph in a 12×24 cell: each font pixel is 2 × 3 dots, times the size multipliers. */
function drawGlyph(bitmap: Bitmap, ch: string, x: number, y: number, sx: number, sy: number, bold: boolean): void {
  const code = ch.charCodeAt(0);
  const glyph = code >= 0x20 && code <= 0x7e ? ch : '?';
  for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      if (!glyphPixel(glyph, gx, gy)) continue;
      const px = x + sx * (1 + gx * 2);
      const py = y + sy * (2 + gy * 3);
      bitmap.fill(px, py, 2 * sx + (bold ? sx : 0), 3 * sy);
    }
  }
}

/** A plausible symbol size for the content (version grows with the data). */
function qrModules(data: string): number {
  return 21 + 4 * Math.min(39, Math.floor(data.length / 20));
}

function drawQr(bitmap: Bitmap, qr: QrElement, top: number): void {
  const n = qrModules(qr.data);
  const m = Math.max(1, qr.moduleSize);
  const x0 = startX(bitmap, qr.align, n * m);
  const y0 = top + LINE_GAP;
  const finder = (fx: number, fy: number) => {
    bitmap.frame(x0 + fx * m, y0 + fy * m, 7 * m, 7 * m, m);
    bitmap.fill(x0 + (fx + 2) * m, y0 + (fy + 2) * m, 3 * m, 3 * m);
  };
  finder(0, 0);
  finder(n - 7, 0);
  finder(0, n - 7);
  let h = fnv1a(qr.data);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const inFinder = (r < 8 && c < 8) || (r < 8 && c >= n - 8) || (r >= n - 8 && c < 8);
      h = xorshift(h);
      if (!inFinder && (h & 1) === 1) bitmap.fill(x0 + c * m, y0 + r * m, m, m);
    }
  }
}

function drawBarcode(bitmap: Bitmap, code: BarcodeElement, top: number): void {
  const m = Math.max(1, Math.min(6, code.moduleWidth));
  const modules: number[] = [];
  const push = (bits: string) => {
    for (const b of bits) modules.push(b === '1' ? 1 : 0);
  };
  push('11010010000');
  for (const ch of code.data) push((0x400 | ((ch.charCodeAt(0) * 37 + 11) & 0x3fe)).toString(2));
  push('1100011101011');
  const width = modules.length * m;
  const x0 = startX(bitmap, code.align, width);
  let y = top + LINE_GAP;
  const hriWidth = code.data.length * CELL_W;
  const hriX = startX(bitmap, code.align, hriWidth);
  const hri = () => {
    let x = hriX;
    for (const ch of code.data) {
      drawGlyph(bitmap, ch, x, y, 1, 1, false);
      x += CELL_W;
    }
    y += CELL_H;
  };
  if (code.hri === 'above' || code.hri === 'both') hri();
  modules.forEach((on, k) => {
    if (on === 1) bitmap.fill(x0 + k * m, y, m, Math.max(1, code.height));
  });
  y += Math.max(1, code.height);
  if (code.hri === 'below' || code.hri === 'both') hri();
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h || 1;
}

function xorshift(x: number): number {
  let v = x;
  v ^= v << 13;
  v >>>= 0;
  v ^= v >>> 17;
  v ^= v << 5;
  return v >>> 0;
}
