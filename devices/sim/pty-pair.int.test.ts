import { existsSync, lstatSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair } from './pty-pair';
import { tempDir } from './test-support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(): string {
  const t = tempDir('foyer-pty-');
  cleanups.push(t.remove);
  return t.dir;
}

describe('pty pair', () => {
  it('creates two links to pseudo-terminals and removes them on close', async () => {
    const at = dir();
    const pair = await createPtyPair({ dir: at, names: ['sim', 'app'] });
    cleanups.push(() => pair.close());
    expect(pair.running).toBe(true);
    expect(lstatSync(pair.a).isSymbolicLink()).toBe(true);
    expect(readlinkSync(pair.a)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(readlinkSync(pair.b)).toMatch(/^\/dev\/pts\/\d+$/);
    await pair.close();
    await pair.close();
    expect(pair.running).toBe(false);
    expect(existsSync(pair.a)).toBe(false);
    expect(existsSync(pair.b)).toBe(false);
  });

  it('replaces a stale link left by a killed socat, but never a regular file', async () => {
    const at = dir();
    symlinkSync('/dev/pts/999999', `${at}/a`);
    const pair = await createPtyPair({ dir: at });
    cleanups.push(() => pair.close());
    expect(readlinkSync(pair.a)).not.toBe('/dev/pts/999999');
    await pair.close();
    writeFileSync(`${at}/b`, 'precious');
    await expect(createPtyPair({ dir: at })).rejects.toThrow(/not a symlink/);
  });

  it('says so when socat is missing', async () => {
    await expect(createPtyPair({ dir: dir(), socat: '/nonexistent/socat' })).rejects.toThrow(/cannot start socat/);
  });
});
