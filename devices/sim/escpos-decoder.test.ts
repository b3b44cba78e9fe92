/**
 * The decoder reads back what devices/protocol encodes (tickets, test page) and what printers are
 * specified to do with the bytes (alignment only at a line start, auto-wrap, ESC @ discarding the
 * unprinted line), whatever the chunking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTestPage, encodeTicket, EscPosBuilder, type QueueTicket } from '../protocol/escpos.codec';
import { fromHex } from '../protocol/hex';
import { chunkings } from '../protocol/test-chunks';
import { decodeCode128, EscPosDecoder, ticketText, type DecodedTicket, type EscPosDecodeEvent, type TextLine } from './escpos-decoder';

const ticket: QueueTicket = {
  siteName: '阳光诊所',
  number: 'A012',
  serviceName: '内科',
  waitingAhead: 3,
  issuedAt: '2024-05-01 09:30',
  qr: 'https://q.example/t/A012',
  barcode: 'T-{123}',
  footer: 'Thank you\n请保管好您的号码',
  lang: 'zh-CN',
};

function decodeAll(chunks: Uint8Array[], columns = 32): EscPosDecodeEvent[] {
  const d = new EscPosDecoder({ columns });
  return chunks.flatMap((c) => d.push(c));
}

function tickets(events: EscPosDecodeEvent[]): DecodedTicket[] {
  return events.flatMap((e) => (e.kind === 'ticket' ? [e.ticket] : []));
}

const texts = (t: DecodedTicket) => t.elements.filter((e): e is TextLine => e.kind === 'text');

describe('queue tickets from the encoder', () => {
  it('read back with Chinese text, sizes, bold, alignment, QR content and barcode', () => {
    const bytes = encodeTicket(ticket, { columns: 32, codepage: 'gb18030' });
    const events = decodeAll([bytes]);
    expect(events.filter((e) => e.kind === 'unknown')).toEqual([]);
    const [t] = tickets(events);
    expect(t).toBeDefined();
    expect(t!.cut).toBe('full');
    const lines = texts(t!).filter((l) => l.text !== '');
    expect(lines.map((l) => l.text)).toEqual([
      '阳光诊所',
      '内科',
      '您的号码',
      'A012',
      '前面还有 3 人等候',
      '取号时间 2024-05-01 09:30',
      'Thank you',
      '请保管好您的号码',
    ]);
    expect(lines.every((l) => l.align === 'center')).toBe(true);
    expect(lines[0]).toMatchObject({ bold: true, width: 1, height: 1, columns: 8 });
    expect(lines[1]).toMatchObject({ width: 2, height: 2, bold: false });
    // "A012" at 32 columns: 4 columns × 4 = 16 fits, so 4×, bold
    expect(lines[3]).toMatchObject({ width: 4, height: 4, bold: true, columns: 16 });
    const qr = t!.elements.find((e) => e.kind === 'qr');
    expect(qr).toEqual({ kind: 'qr', align: 'center', data: 'https://q.example/t/A012', model: 2, moduleSize: 6, errorLevel: 'M' });
    const barcode = t!.elements.find((e) => e.kind === 'barcode');
    expect(barcode).toMatchObject({ symbology: 'CODE128', data: 'T-{123}', height: 80, hri: 'below', align: 'center' });
    // order: text, QR, barcode, footer
    expect(t!.elements.map((e) => e.kind).filter((k, i, a) => k !== a[i - 1])).toEqual(['text', 'qr', 'text', 'barcode', 'text']);
  });

  it('decodes the same whatever the chunking', () => {
    const bytes = encodeTicket(ticket, { columns: 48, codepage: 'gb18030' });
    const whole = tickets(decodeAll([bytes], 48));
    fc.assert(
      fc.property(chunkings(bytes), (chunks) => {
        expect(tickets(decodeAll(chunks, 48))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('the test page fills exactly one line with each ruler (no auto-wrap) at 32, 42 and 48 columns', () => {
    for (const columns of [32, 42, 48] as const) {
      const [page] = tickets(decodeAll([encodeTestPage({ columns, codepage: 'gb18030', subtitle: 'USB001' })], columns));
      const lines = texts(page!);
      const digits = lines.find((l) => l.text.startsWith('1234567890'));
      const chinese = lines.find((l) => l.text.startsWith('中'));
      expect(digits?.columns).toBe(columns);
      expect(chinese?.columns).toBe(columns);
      expect(lines.filter((l) => l.text.startsWith('中'))).toHaveLength(1);
      expect(page!.elements.find((e) => e.kind === 'qr')).toMatchObject({ data: 'FOYER TEST', moduleSize: 4 });
    }
  });

  it('one ticket per cut, in order', () => {
    const a = encodeTicket({ ...ticket, number: 'A001' }, { columns: 32, codepage: 'gb18030' });
    const b = encodeTicket({ ...ticket, number: 'B002', qr: undefined }, { columns: 32, codepage: 'gb18030' });
    const ts = tickets(decodeAll([a, b]));
    expect(ts.map((t) => texts(t).find((l) => l.width === 4)?.text)).toEqual(['A001', 'B002']);
  });
});

describe('printer behaviour', () => {
  it('wraps text wider than the paper, as the printer does', () => {
    const d = new EscPosDecoder({ columns: 32 });
    const [t] = tickets(d.push(Uint8Array.from([...Buffer.from('x'.repeat(40)), 0x0a, 0x1d, 0x56, 0x00])));
    expect(texts(t!).map((l) => l.text)).toEqual(['x'.repeat(32), 'x'.repeat(8)]);
  });

  it('ESC a only at the beginning of a line', () => {
    // ESC a 1, "ab", ESC a 2 (ignored, mid-line), "cd", LF, "ef", LF, cut
    const [t] = tickets(decodeAll([fromHex('1B 61 01 61 62 1B 61 02 63 64 0A 65 66 0A 1D 56 00')]));
    expect(texts(t!).map((l) => [l.text, l.align])).toEqual([
      ['abcd', 'center'],
      ['ef', 'center'],
    ]);
  });

  it('ESC @ discards the unprinted line and resets modes; Chinese mode needs FS &', () => {
    // "lost" without LF, ESC @, then GB18030 bytes for 中 (D6 D0) without FS &, LF, FS &, D6 D0, LF, cut
    const events = decodeAll([fromHex('6C 6F 73 74 1B 40 D6 D0 0A 1C 26 D6 D0 0A 1D 56 41 03')]);
    expect(events[0]).toEqual({ kind: 'init' });
    const [t] = tickets(events);
    const lines = texts(t!).map((l) => l.text);
    expect(lines[0]).not.toBe('中'); // CP437 mojibake, two columns of single-byte characters
    expect(lines[0]).toHaveLength(2);
    expect(lines[1]).toBe('中');
    expect(t!.cut).toBe('full');
  });

  it('sizes and emphasis per run; a line is as tall as its tallest character', () => {
    // GS ! 0x01 (1 wide, 2 high), "A", GS ! 0x00, ESC E 1, "b", LF, ESC ! 0x38 (bold, 2×2), "C", LF, cut partial
    const [t] = tickets(decodeAll([fromHex('1D 21 01 41 1D 21 00 1B 45 01 62 0A 1B 21 38 43 0A 1D 56 01')]));
    const [l1, l2] = texts(t!);
    expect(l1).toMatchObject({ text: 'Ab', height: 2, width: 1, bold: true });
    expect(l1!.runs).toEqual([
      { text: 'A', width: 1, height: 2, bold: false },
      { text: 'b', width: 1, height: 1, bold: true },
    ]);
    expect(l2).toMatchObject({ text: 'C', width: 2, height: 2, bold: true });
    expect(t!.cut).toBe('partial');
  });

  it('GS a reaches the engine in order; real-time requests are skipped; unknown commands are reported', () => {
    const events = decodeAll([fromHex('1D 61 0F 10 04 01 1B 99 41 0A')]);
    expect(events).toEqual([
      { kind: 'asb', n: 0x0f },
      { kind: 'unknown', bytes: Uint8Array.of(0x1b, 0x99) },
    ]);
  });

  it('skips bit images by their length, so image bytes never print as text', () => {
    // GS v 0 m xL xH yL yH + 2×2 bytes of image, then "ok" LF cut
    const [t] = tickets(decodeAll([fromHex('1D 76 30 00 02 00 02 00 41 42 43 44 6F 6B 0A 1D 56 00')]));
    expect(texts(t!).map((l) => l.text)).toEqual(['ok']);
  });

  it('pending() shows what was printed since the last cut', () => {
    const d = new EscPosDecoder();
    expect(d.pending()).toBeUndefined();
    d.push(fromHex('61 0A 62'));
    expect(d.pending()?.elements.map((e) => (e.kind === 'text' ? e.text : e.kind))).toEqual(['a', 'b']);
    expect(d.pending()?.cut).toBe('none');
  });

  it('the builder’s right-aligned bold line comes back as such', () => {
    const bytes = new EscPosBuilder({ columns: 48, codepage: 'gbk' }).initialize().align('right').line('合计 ￥12.50', { bold: true }).cut().encode();
    const [t] = tickets(decodeAll([bytes], 48));
    expect(texts(t!)[0]).toMatchObject({ text: '合计 ￥12.50', align: 'right', bold: true });
  });

  it('a half-width ¥ (U+00A5) needs four GB18030 bytes, so a GBK printer gets "?": use ￥ (U+FFE5)', () => {
    const encode = (codepage: 'gbk' | 'gb18030') => new EscPosBuilder({ columns: 48, codepage }).initialize().line('¥5').cut().encode();
    expect(texts(tickets(decodeAll([encode('gbk')], 48))[0]!)[0]?.text).toBe('?5');
    expect(texts(tickets(decodeAll([encode('gb18030')], 48))[0]!)[0]?.text).toBe('¥5');
  });
});

describe('CODE128 data', () => {
  it('resolves code sets and escapes', () => {
    expect(decodeCode128(Buffer.from('{BT-123'))).toBe('T-123');
    expect(decodeCode128(Buffer.from('{Ba{{b'))).toBe('a{b');
    expect(decodeCode128(Uint8Array.from([...Buffer.from('{BNo{C'), 12, 34, 5]))).toBe('No123405');
  });
});

describe('ticketText', () => {
  it('renders a ticket for a terminal', () => {
    const [t] = tickets(decodeAll([encodeTicket(ticket, { columns: 32, codepage: 'gb18030' })]));
    const text = ticketText(t!, 32);
    expect(text).toContain('阳光诊所');
    expect(text).toContain('[QR M, module 6] https://q.example/t/A012');
    expect(text).toContain('[CODE128] T-{123}');
    expect(text.split('\n').at(-1)).toBe('--- full cut ---');
  });
});
