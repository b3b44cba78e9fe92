import { describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import { hashPassword, verifyPassword } from './passwords';

describe('staff passwords', () => {
  it('are hashed with argon2id at the OWASP minimum, salted, and verify only with the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(parseOptions(a)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 });
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(a, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it('spend a real verification on an unknown login, and never accept it', async () => {
    const known = await hashPassword('correct horse battery');
    const time = async (f: () => Promise<boolean>) => {
      const start = performance.now();
      expect(await f()).toBe(false);
      return performance.now() - start;
    };
    // Warm up, then compare medians: an unknown login costs about what a wrong password does.
    await verifyPassword(null, 'x');
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 5; i++) {
      unknown.push(await time(() => verifyPassword(null, 'correct horse battery')));
      wrong.push(await time(() => verifyPassword(known, 'wrong password')));
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[2]!;
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 3);
  });
});
