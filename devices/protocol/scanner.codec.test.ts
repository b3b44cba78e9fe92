import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { LineFramer, type LineTerminator } from './scanner.codec';
import { concatBytes, fromHex } from './hex';
import { chunkings } from './test-chunks';

// Scanners send the code followed by the configured suffix: CR (0D), LF (0A) or CR LF (0D 0A),
// as set in their configuration manuals ("Terminating character suffix").

const utf8 = (s: string) => new TextEncoder().encode(s);
const codesOf = (events: ReturnType<LineFramer['push']>) => events.filter((e) => e.kind === 'code').map((e) => (e.kind === 'code' ? e.code : ''));

describe('LineFramer', () => {
  it('splits codes on CR, LF and CR LF, even with CR and LF in different chunks', () => {
    const f = new LineFramer();
    expect(codesOf(f.push(fromHex('41 30 31 32 0D')))).toEqual(['A012']);
    expect(codesOf(f.push(fromHex('0A 42 0D')))).toEqual(['B']);
    expect(codesOf(f.push(fromHex('0A 0A 43 0A')))).toEqual(['C']);
  });

  it('in CRLF mode a lone CR is part of the code; in CR mode an LF is', () => {
    const crlf = new LineFramer({ terminator: 'CRLF' });
    expect(codesOf(crlf.push(fromHex('41 0D 42 0D')))).toEqual([]);
    expect(codesOf(crlf.push(fromHex('0A')))).toEqual(['A\rB']);
    const cr = new LineFramer({ terminator: 'CR' });
    expect(codesOf(cr.push(utf8('line 1\nline 2\r')))).toEqual(['line 1\nline 2']);
  });

  it('drops an overlong code with an overflow event, and the rest of it up to the next terminator', () => {
    const f = new LineFramer({ maxLength: 8 });
    const events = [...f.push(utf8('0123456789')), ...f.push(utf8('ABC\r\nOK\r\n'))];
    expect(events).toEqual([
      { kind: 'overflow', droppedBytes: 9 },
      { kind: 'code', code: 'OK' },
    ]);
  });

  it('strips a configured prefix and suffix, and decodes GBK output', () => {
    const f = new LineFramer({ prefix: ']Q1', suffix: '\t', encoding: 'gb18030' });
    expect(codesOf(f.push(concatBytes([utf8(']Q1'), fromHex('BD D0 BA C5'), utf8('A012\t\r\n')])))).toEqual(['叫号A012']);
    expect(codesOf(f.push(utf8(']Q1\r')))).toEqual([]);
  });

  it('rejects a nonsensical maximum', () => {
    expect(() => new LineFramer({ maxLength: 0 })).toThrow(AppError);
  });

  it('any chunking gives the same codes', () => {
    const code = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));
    const arb = fc
      .record({
        codes: fc.array(code, { maxLength: 10 }),
        terminator: fc.constantFrom<LineTerminator>('any', 'CR', 'LF', 'CRLF'),
      })
      .chain(({ codes, terminator }) => {
        const suffix = { any: '\r\n', CR: '\r', LF: '\n', CRLF: '\r\n' }[terminator];
        const stream = utf8(codes.map((c) => c + suffix).join(''));
        return chunkings(stream).map((chunks) => ({ codes, terminator, chunks }));
      });
    fc.assert(
      fc.property(arb, ({ codes, terminator, chunks }) => {
        const f = new LineFramer({ terminator });
        expect(codesOf(chunks.flatMap((c) => f.push(c)))).toEqual(codes);
      }),
    );
  });
});
