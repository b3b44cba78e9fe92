import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCd5220Codec, createEpsonDisplayCodec, encodeDisplayLine } from './line-display.codec';
import { toHex } from './hex';

// Sources:
// [CD5220] CD5220 customer display user's manual, "CD5220 standard mode command list":
//          ESC @ 1B 40 initialize display; CLR 0C clear display screen and clear string mode;
//          ESC Q A 1B 51 41 [n]x20 0D write string to upper line; ESC Q B 1B 51 42 [n]x20 0D lower
//          line; remark: while using ESC Q A / ESC Q B no other command but CLR (or CAN) is accepted.
// [DM-D]   Epson DM-D110 specification, 5.4 "Command details" (and the "EPSON command mode" list of
//          CD5220-class displays): ESC @ 1B 40 initialize display; US MD1 1F 01 overwrite mode;
//          CLR 0C clear display screen; US $ x y 1F 24 x y move cursor, 1 ≤ x ≤ 20, 1 ≤ y ≤ 2.

const SP = (n: number) => Array(n).fill('20').join(' ');
const ascii = (s: string) => toHex(Buffer.from(s, 'latin1'));

describe('CD5220', () => {
  const cd = createCd5220Codec({ encoding: 'ascii' });

  it('init is CLR (leave string mode) then ESC @; clear is CLR', () => {
    expect(toHex(cd.init())).toBe('0C 1B 40'); // [CD5220] CLR; ESC @
    expect(toHex(cd.clear())).toBe('0C'); // [CD5220] CLR
  });

  it('show writes both lines with ESC Q A / ESC Q B, 20 characters each, ended by CR', () => {
    // [CD5220] 1B 51 41 [n]x20 0D, 1B 51 42 [n]x20 0D
    expect(toHex(cd.show('TOTAL', 'A012'))).toBe(
      `1B 51 41 ${ascii('TOTAL')} ${SP(15)} 0D 1B 51 42 ${ascii('A012')} ${SP(16)} 0D`,
    );
  });

  it('in ascii mode replaces Chinese with ?', () => {
    expect(toHex(cd.show('叫号A012', ''))).toBe(`1B 51 41 3F 3F ${ascii('A012')} ${SP(14)} 0D 1B 51 42 ${SP(20)} 0D`);
  });

  it('in gb18030 mode sends GB18030, two columns per Chinese character', () => {
    const zh = createCd5220Codec({ encoding: 'gb18030', align: 'center' });
    // 叫号 = BD D0 BA C5 (GB 2312): 4 columns, 9 with " A012"; centred in 20: 5 spaces before, 6 after.
    expect(toHex(zh.show('叫号 A012', ''))).toBe(
      `1B 51 41 ${SP(5)} BD D0 BA C5 20 ${ascii('A012')} ${SP(6)} 0D 1B 51 42 ${SP(20)} 0D`,
    );
  });
});

describe('Epson display command set', () => {
  const ep = createEpsonDisplayCodec({ encoding: 'ascii' });

  it('init is ESC @ then US MD1 (overwrite mode); clear is CLR', () => {
    expect(toHex(ep.init())).toBe('1B 40 1F 01'); // [DM-D] ESC @; US MD1
    expect(toHex(ep.clear())).toBe('0C'); // [DM-D] CLR
  });

  it('show moves the cursor with US $ 1 1 and US $ 1 2 and overwrites 20 columns', () => {
    // [DM-D] US $ x y = 1F 24 x y
    expect(toHex(ep.show('TOTAL', 'A012'))).toBe(`1F 24 01 01 ${ascii('TOTAL')} ${SP(15)} 1F 24 01 02 ${ascii('A012')} ${SP(16)}`);
  });
});

describe('line fitting', () => {
  it('cuts at 20 columns without splitting a Chinese character', () => {
    // "A" + 10 Chinese characters is 21 columns: the 10th no longer fits, a space takes its column.
    const line = encodeDisplayLine('A' + '号'.repeat(10), { encoding: 'gb18030' });
    expect(toHex(line)).toBe(`41 ${Array(9).fill('BA C5').join(' ')} 20`);
  });

  it('right-aligns when asked', () => {
    expect(toHex(encodeDisplayLine('A012', { encoding: 'ascii', align: 'right' }))).toBe(`${SP(16)} ${ascii('A012')}`);
  });

  it('drops control characters so text cannot inject commands', () => {
    expect(toHex(encodeDisplayLine('A\x1b@\x0cB', { encoding: 'ascii' }))).toBe(`41 40 42 ${SP(17)}`);
  });

  it('always gives exactly 20 bytes, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('ascii' as const, 'gb18030' as const), (text, encoding) => {
        expect(encodeDisplayLine(text, { encoding }).length).toBe(20);
      }),
    );
  });
});
