import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeTicket } from '../protocol/escpos.codec';
import { EscPosDecoder } from './escpos-decoder';
import { GLYPH_COUNT, glyphPixel } from './font5x7';
import { Bitmap, crc32, encodePng } from './png';
import { renderTicket, renderTicketPng } from './ticket-png';

/** Reads a PNG back: chunks with their CRCs checked, IHDR, and the inflated rows. */
function readPng(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('ascii');
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  const ihdr = chunks[0]!.data;
  return {
    types: chunks.map((c) => c.type),
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8],
    colourType: ihdr[9],
    raw: inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data))),
  };
}

describe('PNG encoder', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes a valid 1-bit greyscale PNG with black dots as 0 bits', () => {
    const b = new Bitmap(10, 3);
    b.set(0, 0);
    b.set(9, 2);
    const png = readPng(encodePng(b));
    expect(png.types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([png.width, png.height, png.bitDepth, png.colourType]).toEqual([10, 3, 1, 0]);
    // rows of 1 filter byte + 2 data bytes (padding bits 0); x=0 black in row 0, x=9 black in row 2
    expect([...png.raw]).toEqual([0, 0x7f, 0xc0, 0, 0xff, 0xc0, 0, 0xff, 0x80]);
  });
});

describe('5×7 font', () => {
  it('has all 95 printable ASCII glyphs', () => {
    expect(GLYPH_COUNT).toBe(95);
    expect(glyphPixel(' ', 2, 3)).toBe(false);
    // '!' is a vertical bar in the middle column with a gap above the dot
    expect([0, 1, 2, 3, 4, 5, 6].map((y) => glyphPixel('!', 2, y))).toEqual([true, true, true, true, true, false, true]);
  });
});

describe('ticket rendering', () => {
  it('is paper-wide, grows with the content, and draws something', () => {
    const bytes = encodeTicket(
      { siteName: '阳光诊所', number: 'A012', serviceName: '内科', waitingAhead: 0, issuedAt: '09:30', qr: 'https://x.example/1', barcode: 'T1', lang: 'zh-CN' },
      { columns: 32, codepage: 'gb18030' },
    );
    const [event] = new EscPosDecoder({ columns: 32 }).push(bytes).filter((e) => e.kind === 'ticket');
    if (event?.kind !== 'ticket') throw new Error('no ticket');
    const bitmap = renderTicket(event.ticket, 32);
    expect(bitmap.width).toBe(384);
    expect(bitmap.height).toBeGreaterThan(400);
    const black = bitmap.pixels.reduce((n, p) => n + p, 0);
    expect(black).toBeGreaterThan(1000);
    expect(black).toBeLessThan(bitmap.pixels.length / 2);
    const png = readPng(renderTicketPng(event.ticket, 32));
    expect([png.width, png.height]).toEqual([384, bitmap.height]);
  });
});
