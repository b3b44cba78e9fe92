import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../protocol/hex';
import { createCd5220Codec, createEpsonDisplayCodec } from '../protocol/line-display.codec';
import { chunkings } from '../protocol/test-chunks';
import { concatBytes } from '../protocol/hex';
import { LineDisplayDecoder } from './line-display-decoder';

const trimmed = (d: LineDisplayDecoder) => d.lines.map((l) => l.trimEnd());

describe('line display decoder', () => {
  for (const codec of [createCd5220Codec({ encoding: 'gb18030' }), createEpsonDisplayCodec({ encoding: 'gb18030' })]) {
    it(`${codec.commandSet}: shows what the codec sends, Chinese included, and replaces longer old text`, () => {
      const d = new LineDisplayDecoder();
      d.push(codec.init());
      d.push(codec.show('请 A012 号', '到 3 号诊室 Room 3 long text'));
      expect(trimmed(d)).toEqual(['请 A012 号', '到 3 号诊室 Room 3 l']);
      expect(d.lines.every((l) => l.length <= 20)).toBe(true);
      const r = d.push(codec.show('A013', ''));
      expect(r.changed).toBe(true);
      expect(trimmed(d)).toEqual(['A013', '']);
      d.push(codec.clear());
      expect(trimmed(d)).toEqual(['', '']);
    });

    it(`${codec.commandSet}: the same whatever the chunking`, () => {
      const bytes = concatBytes([codec.init(), codec.show('欢迎光临 Welcome', '当前 A012')]);
      fc.assert(
        fc.property(chunkings(bytes), (chunks) => {
          const d = new LineDisplayDecoder();
          for (const c of chunks) d.push(c);
          expect(trimmed(d)).toEqual(['欢迎光临 Welcome', '当前 A012']);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('CD5220 string mode takes ESC as text until CR; CLR leaves it', () => {
    const d = new LineDisplayDecoder({ encoding: 'ascii' });
    d.push(fromHex('1B 51 41 41 1B 42 0C 41 42'));
    expect(trimmed(d)).toEqual(['AB', '']);
  });

  it('writes at the cursor and wraps to the other line; reports unknown bytes', () => {
    const d = new LineDisplayDecoder({ encoding: 'ascii' });
    const r = d.push(Uint8Array.from([...Buffer.from('x'.repeat(22)), 0x1f, 0x99]));
    expect(trimmed(d)).toEqual(['x'.repeat(20), 'xx']);
    expect(d.cursor).toEqual({ column: 3, row: 2 });
    expect(r.unknown).toEqual([Uint8Array.of(0x1f, 0x99)]);
  });
});
