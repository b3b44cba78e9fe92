import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellBytes, cellsWidth, encodeDeviceText, fitCells, textColumns, toCells, wrapCells } from './device-text';
import { toHex } from './hex';

// [GB] GB 18030-2005 code tables: 叫 BDD0, 号 BAC5 (two bytes, GB 2312 range), € A2E3 (two bytes),
// U+20000 𠀀 95 32 82 36 and U+1F600 😀 94 39 FC 36 (four bytes).

const text = (cells: ReturnType<typeof toCells>) => Buffer.from(cellBytes(cells)).toString('latin1');

describe('device text', () => {
  it('gives one column per ASCII byte and two per multi-byte character', () => {
    expect(textColumns('A012', 'gb18030')).toBe(4);
    expect(textColumns('叫号A012', 'gb18030')).toBe(8);
    expect(toHex(encodeDeviceText('€', 'gb18030'))).toBe('A2 E3'); // [GB]
  });

  it('sends four-byte GB18030 codes only in gb18030; gbk and ascii get ?', () => {
    expect(toHex(encodeDeviceText('𠀀😀', 'gb18030'))).toBe('95 32 82 36 94 39 FC 36'); // [GB]
    expect(toHex(encodeDeviceText('𠀀😀', 'gbk'))).toBe('3F 3F');
    expect(toHex(encodeDeviceText('叫号', 'ascii'))).toBe('3F 3F');
  });

  it('drops control and format characters and turns other spaces into a space', () => {
    expect(toHex(encodeDeviceText('a\x1b\x00\u200b\u0301b\tc\u00a0d\u3000', 'gb18030'))).toBe('61 62 20 63 20 64 A1 A1');
  });

  it('fits to an exact width without splitting a wide character', () => {
    expect(text(fitCells(toCells('abc', 'ascii'), 5, 'center'))).toBe(' abc ');
    expect(text(fitCells(toCells('abcdef', 'ascii'), 4))).toBe('abcd');
    expect(cellsWidth(fitCells(toCells('a叫号', 'gb18030'), 4))).toBe(4);
    expect(toHex(cellBytes(fitCells(toCells('a叫号', 'gb18030'), 4)))).toBe('61 BD D0 20');
  });

  it('wraps Latin text at spaces and Chinese text anywhere', () => {
    const lines = (s: string, w: number) => wrapCells(toCells(s, 'gb18030'), w).map(text);
    expect(lines('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(lines('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapCells(toCells('一二三四五', 'gb18030'), 4).map((l) => l.length)).toEqual([2, 2, 1]);
    expect(lines('', 10)).toEqual(['']);
  });

  it('wrapped lines never exceed the width and keep every non-space character in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.integer({ min: 2, max: 48 }), (s, width) => {
        const cells = toCells(s, 'gb18030');
        const wrapped = wrapCells(cells, width);
        for (const line of wrapped) expect(cellsWidth(line)).toBeLessThanOrEqual(width);
        const nonSpace = (cs: typeof cells) => cs.filter((c) => !(c.width === 1 && c.bytes[0] === 0x20)).map((c) => toHex(c.bytes));
        expect(wrapped.flatMap(nonSpace)).toEqual(nonSpace(cells));
      }),
    );
  });
});
