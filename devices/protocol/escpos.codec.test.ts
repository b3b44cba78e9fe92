import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { EscPosBuilder, encodeTestPage, encodeTicket, type EscPosOptions, type QueueTicket } from './escpos.codec';
import { encodeDeviceText } from './device-text';
import { fromHex, toHex } from './hex';

// Sources, cited per vector below:
// [EPSON] Epson "ESC/POS Command Reference" (the per-command pages of the ESC/POS Application
//         Programming Guide / TM printer technical references), command by command.
// [GB]    GB 18030-2005 (and GB 2312-80, its two-byte subset) code tables.

const opts: EscPosOptions = { columns: 32, codepage: 'gb18030' };
const build = () => new EscPosBuilder(opts);
const hexOf = (b: Uint8Array) => toHex(b);

/** True when `needle` occurs in `hay` as a contiguous run at or after `from`; returns its index. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('ESC/POS golden bytes', () => {
  it('initialize: ESC @, then (library) FS . and ESC M 0, then FS & for Chinese mode', () => {
    // [EPSON] ESC @ "Initialize printer" = 1B 40; FS . "Cancel Kanji character mode" = 1C 2E;
    // ESC M n "Select character font", n = 0 font A = 1B 4D 00; FS & "Select Kanji character mode" = 1C 26.
    expect(hexOf(build().initialize().encode())).toBe('1B 40 1C 2E 1B 4D 00 1C 26');
  });

  it('encodes 叫号 as GB18030 BD D0 BA C5', () => {
    // [GB] GB 2312 row 29 col 48 叫 = BDD0, row 26 col 37 号 = BAC5 (the same in GBK and GB18030).
    expect(hexOf(encodeDeviceText('叫号', 'gb18030'))).toBe('BD D0 BA C5');
    // [EPSON] ESC a 0 "Select justification" left = 1B 61 00; LF "Print and line feed" = 0A.
    expect(hexOf(build().line('叫号').encode())).toBe('1B 61 00 BD D0 BA C5 0A');
  });

  it('FS & followed by GB18030 text', () => {
    const bytes = build().initialize().line('叫号').encode();
    expect(indexOfBytes(bytes, fromHex('1C 26 1B 61 00 BD D0 BA C5 0A'))).toBe(7);
  });

  it('double size: GS ! 0x11 around the text, GS ! 0 before LF', () => {
    // [EPSON] GS ! n "Select character size": bits 4-6 width − 1, bits 0-2 height − 1; 0x11 = 2×2.
    expect(hexOf(build().line('A', { size: 2 }).encode())).toBe('1B 61 00 1D 21 11 41 1D 21 00 0A');
  });

  it('quad area is 2×2 and larger sizes go to 8×8', () => {
    expect(hexOf(build().line('A', { size: 4 }).encode())).toBe('1B 61 00 1D 21 33 41 1D 21 00 0A');
    expect(hexOf(build().line('A', { size: 8 }).encode())).toBe('1B 61 00 1D 21 77 41 1D 21 00 0A');
  });

  it('bold: ESC E 1 … ESC E 0', () => {
    // [EPSON] ESC E n "Turn emphasized mode on/off" = 1B 45 n.
    expect(hexOf(build().line('A', { bold: true }).encode())).toBe('1B 61 00 1B 45 01 41 1B 45 00 0A');
  });

  it('centre: ESC a 1', () => {
    // [EPSON] ESC a n "Select justification", n = 1 centring = 1B 61 01.
    expect(hexOf(build().align('center').line('A').encode())).toBe('1B 61 01 41 0A');
    expect(hexOf(build().align('right').line('A').encode())).toBe('1B 61 02 41 0A');
  });

  it('QR code "A012": model 2, module 6, level M, store, print', () => {
    // [EPSON] GS ( k, cn = 49 (31):
    //   <Function 165> fn = 65 (41) select model: pL pH = 04 00, n1 = 50 (32) model 2, n2 = 0
    //   <Function 167> fn = 67 (43) module size: pL pH = 03 00, n = 6
    //   <Function 169> fn = 69 (45) error correction: pL pH = 03 00, n = 49 (31) level M
    //   <Function 180> fn = 80 (50) store data: pL pH = k + 3 = 07 00, m = 48 (30), d = "A012"
    //   <Function 181> fn = 81 (51) print: pL pH = 03 00, m = 48 (30)
    expect(hexOf(build().qrCode('A012').encode())).toBe(
      [
        '1B 61 00',
        '1D 28 6B 04 00 31 41 32 00',
        '1D 28 6B 03 00 31 43 06',
        '1D 28 6B 03 00 31 45 31',
        '1D 28 6B 07 00 31 50 30 41 30 31 32',
        '1D 28 6B 03 00 31 51 30',
      ].join(' '),
    );
  });

  it('CODE128 "A012": GS h, GS w, GS H, then GS k 73 n {B A012', () => {
    // [EPSON] GS h n "Set bar code height" = 1D 68 50 (80 dots); GS w n "Set bar code width" =
    // 1D 77 03; GS H n "Select print position of HRI characters", 2 = below = 1D 48 02;
    // GS k <Function B> m = 73 (49) CODE128, n = 6 bytes, data "{B" (code set B) + "A012".
    expect(hexOf(build().code128('A012').encode())).toBe(
      '1B 61 00 1D 68 50 1D 77 03 1D 48 02 1D 6B 49 06 7B 42 41 30 31 32',
    );
  });

  it('CODE128 sends a literal { as {{', () => {
    // [EPSON] GS k, CODE128: "{" followed by a character selects a code set or function; the
    // data character "{" itself is sent as "{{".
    expect(hexOf(build().code128('a{b', { hri: false }).encode())).toBe(
      '1B 61 00 1D 68 50 1D 77 03 1D 48 00 1D 6B 49 06 7B 42 61 7B 7B 62',
    );
  });

  it('cut: GS V 65 0 (function B full cut after feeding to the cutting position)', () => {
    // [EPSON] GS V <Function B> m = 65 (41): "Feeds paper to (cutting position + [n × vertical
    // motion unit]) and executes a full cut", n = 0.
    expect(hexOf(build().cut().encode())).toBe('1D 56 41 00');
  });
});

describe('encodeTicket', () => {
  const ticket: QueueTicket = {
    siteName: '阳光诊所',
    number: 'A012',
    serviceName: '内科',
    waitingAhead: 3,
    issuedAt: '2026-11-22 09:30',
    qr: 'https://q.example/t/A012',
    barcode: 'T-A012',
    footer: '请留意叫号',
    lang: 'zh-CN',
  };

  it('contains init, Chinese mode, centre, double size, the number in 4×, QR, CODE128 and cut, in order', () => {
    const bytes = encodeTicket(ticket, opts);
    const parts = [
      '1B 40', // ESC @
      '1C 26', // FS &
      '1B 61 01', // ESC a 1
      '1D 21 11 C4 DA BF C6 1D 21 00', // GS ! 0x11 "内科"
      '1D 21 33 1B 45 01 41 30 31 32 1B 45 00 1D 21 00', // GS ! 0x33, bold, "A012"
      '1D 28 6B 04 00 31 41 32 00', // QR model 2
      '1D 28 6B 03 00 31 51 30', // QR print
      '1D 6B 49 08 7B 42 54 2D 41 30 31 32', // CODE128 {B T-A012
      '1D 56 41 00', // cut
    ];
    let at = 0;
    for (const p of parts) {
      const found = indexOfBytes(bytes, fromHex(p), at);
      expect(found, p).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
    expect(hexOf(bytes.slice(-4))).toBe('1D 56 41 00');
  });

  it('is pinned byte for byte (a library upgrade that changes output fails here)', () => {
    const expected = [
      '1B 40 1C 2E 1B 4D 00 1C 26', // initialize, Chinese mode
      '1B 61 01 1B 45 01 D1 F4 B9 E2 D5 EF CB F9 1B 45 00 0A', // 阳光诊所, bold
      '1B 61 01 1D 21 11 C4 DA BF C6 1D 21 00 0A', // 内科, 2×
      '1B 61 01 C4 FA B5 C4 BA C5 C2 EB 0A', // 您的号码
      '1B 61 01 1D 21 33 1B 45 01 41 30 31 32 1B 45 00 1D 21 00 0A', // A012, 4×, bold
      '1B 61 01 C7 B0 C3 E6 BB B9 D3 D0 20 33 20 C8 CB B5 C8 BA F2 0A', // 前面还有 3 人等候
      '1B 61 01 C8 A1 BA C5 CA B1 BC E4 20 32 30 32 36 2D 31 31 2D 32 32 20 30 39 3A 33 30 0A', // 取号时间 …
      '0A',
      '1B 61 01 1D 28 6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 06 1D 28 6B 03 00 31 45 31',
      '1D 28 6B 1B 00 31 50 30 68 74 74 70 73 3A 2F 2F 71 2E 65 78 61 6D 70 6C 65 2F 74 2F 41 30 31 32',
      '1D 28 6B 03 00 31 51 30',
      '0A',
      '1B 61 01 1D 68 50 1D 77 03 1D 48 02 1D 6B 49 08 7B 42 54 2D 41 30 31 32',
      '0A',
      '1B 61 01 C7 EB C1 F4 D2 E2 BD D0 BA C5 0A', // 请留意叫号
      '0A 1D 56 41 00', // feed, cut
    ].join(' ');
    expect(hexOf(encodeTicket(ticket, opts))).toBe(expected);
  });

  it('uses the English labels for lang en', () => {
    const text = Buffer.from(encodeTicket({ ...ticket, lang: 'en', waitingAhead: 1 }, opts)).toString('latin1');
    expect(text).toContain('Your number');
    expect(text).toContain('1 person ahead of you');
    expect(text).toContain('Issued 2026-11-22 09:30');
  });

  it('picks the largest number size that fits one line', () => {
    const scaleOf = (number: string, columns: 32 | 42 | 48) => {
      const bytes = encodeTicket({ ...ticket, number, qr: undefined, barcode: undefined }, { columns, codepage: 'gb18030' });
      const at = indexOfBytes(bytes, fromHex('1B 45 01 ' + toHex(Buffer.from(number, 'latin1'))));
      return bytes[at - 1];
    };
    expect(scaleOf('A012', 32)).toBe(0x33); // 4 × 4 = 16 ≤ 32
    expect(scaleOf('VIP0012', 32)).toBe(0x33); // 7 × 4 = 28 ≤ 32
    expect(scaleOf('VIP00123', 32)).toBe(0x33); // 8 × 4 = 32 still fits
    expect(scaleOf('VIP001234', 32)).toBe(0x22); // 9 × 4 = 36 does not, 9 × 3 = 27 does
    expect(scaleOf('VIP001234', 48)).toBe(0x33); // 36 ≤ 48
    expect(scaleOf('VIP0012345678', 32)).toBe(0x11);
  });

  it('wraps long Chinese lines at the column count, two columns per character', () => {
    const bytes = encodeTicket({ ...ticket, qr: undefined, barcode: undefined, footer: '一'.repeat(20) }, opts);
    // 16 characters fill 32 columns; the other 4 go on the next line.
    const yi = toHex(encodeDeviceText('一', 'gb18030'));
    expect(hexOf(bytes)).toContain(`1B 61 01 ${Array(16).fill(yi).join(' ')} 0A 1B 61 01 ${Array(4).fill(yi).join(' ')} 0A`);
  });

  it('keeps control characters in names from reaching the printer as commands', () => {
    const bytes = encodeTicket({ ...ticket, siteName: 'X\x1b@\x1dV\x00Y', qr: undefined, barcode: undefined }, opts);
    expect(hexOf(bytes)).toContain('1B 45 01 58 40 56 59 1B 45 00');
  });

  it('rejects QR and barcode data it cannot print', () => {
    expect(() => encodeTicket({ ...ticket, qr: '中文' }, opts)).toThrow(AppError);
    expect(() => encodeTicket({ ...ticket, qr: '' }, opts)).toThrow(AppError);
    expect(() => encodeTicket({ ...ticket, barcode: 'x'.repeat(254) }, opts)).toThrow(AppError);
    expect(() => encodeTicket({ ...ticket, waitingAhead: -1 }, opts)).toThrow(AppError);
  });
});

describe('encodeTestPage', () => {
  it('prints a digit ruler and a Chinese ruler that each fill exactly one line, then cuts', () => {
    for (const columns of [32, 42, 48] as const) {
      const bytes = encodeTestPage({ columns, codepage: 'gbk' });
      const hex = hexOf(bytes);
      const digits = toHex(Buffer.from('1234567890'.repeat(5).slice(0, columns), 'latin1'));
      expect(hex).toContain(`1B 61 00 ${digits} 0A`);
      const zhong = toHex(encodeDeviceText('中', 'gbk'));
      expect(hex).toContain(`1B 61 00 ${Array(columns / 2).fill(zhong).join(' ')} 0A`);
      expect(hex.endsWith('1D 56 41 00')).toBe(true);
    }
  });
});
