import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, enrollmentCodeHash, looksLikeToken, newDeviceToken, newEnrollmentCode, normalizeEnrollmentCode } from './secrets';

describe('device tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newDeviceToken()));
    expect(tokens.size).toBe(100);
    for (const t of tokens) {
      expect(looksLikeToken(t)).toBe(true);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
    expect(looksLikeToken('short')).toBe(false);
    expect(looksLikeToken('a'.repeat(42) + '=')).toBe(false);
  });
});

describe('enrollment codes', () => {
  it('are 10 characters without look-alikes, grouped 5-5, spread over the whole alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = newEnrollmentCode();
      expect(code).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
      for (const ch of code.replace('-', '')) seen.add(ch);
    }
    expect([...seen].sort().join('')).toBe([...CODE_ALPHABET].sort().join(''));
    for (const lookAlike of ['0', '1', 'I', 'L', 'O']) expect(CODE_ALPHABET).not.toContain(lookAlike);
  });

  it('are read the way people type them: any case, with or without the dash and spaces', () => {
    const code = newEnrollmentCode();
    const canonical = code.replace('-', '');
    expect(normalizeEnrollmentCode(code)).toBe(canonical);
    expect(normalizeEnrollmentCode(` ${code.toLowerCase().replace('-', ' ')} `)).toBe(canonical);
    expect(normalizeEnrollmentCode('ABCDE-2345')).toBeNull();
    expect(normalizeEnrollmentCode('ABCDE-2345O')).toBeNull();
    expect(enrollmentCodeHash(canonical)).toMatch(/^[0-9a-f]{64}$/);
    expect(enrollmentCodeHash(canonical)).not.toContain(canonical);
  });
});
