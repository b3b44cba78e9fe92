import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkNationalId, nationalIdCheckChar } from './national-id';

// Examples of GB 11643 numbers with correct check characters (the first is the standard's own).
const VALID = ['11010519491231002X', '110101199003074477', '110101199003077774'];

const first17 = fc
  .record({
    region: fc.integer({ min: 110000, max: 829999 }),
    date: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, date, seq }) => `${region}${date.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`);

describe('Chinese resident id numbers', () => {
  it('accepts numbers with a correct check character and returns the embedded birth date', () => {
    for (const id of VALID) expect(checkNationalId(id).ok).toBe(true);
    expect(checkNationalId('11010519491231002x')).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31' });
  });

  it('refuses a wrong check character with the checksum message', () => {
    expect(checkNationalId('110105194912310021')).toEqual({ ok: false, key: 'errors.nationalId.checksum' });
  });

  it('refuses wrong lengths, letters and impossible birth dates', () => {
    expect(checkNationalId('1101051949123100')).toEqual({ ok: false, key: 'errors.nationalId.format' });
    expect(checkNationalId('A1010519491231002X')).toEqual({ ok: false, key: 'errors.nationalId.format' });
    const feb30 = '11010519490230001';
    const before1900 = '44052418800101001';
    expect(checkNationalId(before1900 + nationalIdCheckChar(before1900))).toEqual({ ok: false, key: 'errors.nationalId.birthDate' });
    expect(checkNationalId(feb30 + nationalIdCheckChar(feb30))).toEqual({ ok: false, key: 'errors.nationalId.birthDate' });
  });

  it('accepts every number built with its check character (property)', () => {
    fc.assert(fc.property(first17, (f) => checkNationalId(f + nationalIdCheckChar(f)).ok));
  });

  it('catches every single-digit typo (property)', () => {
    fc.assert(
      fc.property(first17, fc.nat(16), fc.integer({ min: 1, max: 9 }), (f, pos, delta) => {
        const id = f + nationalIdCheckChar(f);
        const typo = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        return !checkNationalId(typo).ok;
      }),
    );
  });
});
