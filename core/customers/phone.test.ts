import { describe, expect, it } from 'vitest';
import { formatPhone, normalizePhone } from './phone';

describe('phone numbers', () => {
  it('reads 11-digit mainland mobiles, with or without +86 and separators', () => {
    for (const input of ['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '008613812345678']) {
      expect(normalizePhone(input)).toEqual({ ok: true, e164: '+8613812345678' });
    }
  });

  it('refuses mainland numbers that are not mobiles of 11 digits starting 13-19', () => {
    for (const input of ['1381234567', '138123456789', '12812345678', '10086', '+86 010 6552 9988']) {
      expect(normalizePhone(input)).toEqual({ ok: false, key: 'errors.phone.cnMobile' });
    }
  });

  it('accepts valid international numbers in E.164 and refuses invalid ones', () => {
    expect(normalizePhone('+44 7911 123456')).toEqual({ ok: true, e164: '+447911123456' });
    expect(normalizePhone('+1 212 055 0123')).toMatchObject({ ok: false });
    expect(normalizePhone('+852 6123 4567')).toEqual({ ok: true, e164: '+85261234567' });
    expect(normalizePhone('+44 12')).toEqual({ ok: false, key: 'errors.phone.invalid' });
  });

  it('refuses empty input and letters', () => {
    expect(normalizePhone('  ')).toEqual({ ok: false, key: 'errors.phone.required' });
    expect(normalizePhone('138abc45678')).toEqual({ ok: false, key: 'errors.phone.invalid' });
  });

  it('formats for display', () => {
    expect(formatPhone('+8613812345678')).toBe('138 1234 5678');
    expect(formatPhone('+447911123456')).toBe('+44 7911 123456');
  });
});
