import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { BROWSER_FALLBACK_NOTICE, findElectronBinary } from './electron-binary.mjs';

const BINARY = path.join('/repo', 'node_modules', 'electron', 'dist', 'electron');
const NOT_INSTALLED =
  'Electron failed to install correctly, please delete node_modules/electron and try installing again';

describe('findElectronBinary', () => {
  it('reports no Electron when the electron package throws because the binary was never downloaded', async () => {
    const result = await findElectronBinary({
      importElectron: () => Promise.reject(new Error(NOT_INSTALLED)),
      exists: () => true,
    });
    expect(result).toEqual({ found: false, reason: NOT_INSTALLED });
  });

  it('returns the path the package exports when that file exists', async () => {
    const checked: string[] = [];
    const result = await findElectronBinary({
      importElectron: () => Promise.resolve({ default: BINARY }),
      exists: (file) => {
        checked.push(file);
        return true;
      },
    });
    expect(result).toEqual({ found: true, path: BINARY });
    expect(checked).toEqual([BINARY]);
  });

  it('accepts a loader that yields the path itself', async () => {
    const result = await findElectronBinary({ importElectron: () => Promise.resolve(BINARY), exists: () => true });
    expect(result).toEqual({ found: true, path: BINARY });
  });

  it('reports no Electron when the exported path does not exist', async () => {
    const result = await findElectronBinary({
      importElectron: () => Promise.resolve({ default: BINARY }),
      exists: () => false,
    });
    expect(result.found).toBe(false);
    expect(result.found === false && result.reason).toContain(BINARY);
  });

  it.each([{ default: '' }, { default: 42 }, {}, null])('reports no Electron when the package exports %o', async (exported) => {
    const result = await findElectronBinary({ importElectron: () => Promise.resolve(exported), exists: () => true });
    expect(result.found).toBe(false);
  });

  it('agrees with the electron package installed in this repo', async () => {
    // The package records the downloaded binary in path.txt; without it the import throws.
    const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathTxt = path.join(electronDir, 'path.txt');
    const result = await findElectronBinary();
    if (!existsSync(pathTxt) && process.env.ELECTRON_OVERRIDE_DIST_PATH === undefined) {
      expect(result).toMatchObject({ found: false, reason: expect.stringContaining('Electron failed to install correctly') });
    } else if (result.found) {
      expect(existsSync(result.path)).toBe(true);
    }
  });

  it('has a one-line fallback notice that says why and what happens instead', () => {
    expect(BROWSER_FALLBACK_NOTICE).not.toContain('\n');
    expect(BROWSER_FALLBACK_NOTICE).toMatch(/Electron is not installed/);
    expect(BROWSER_FALLBACK_NOTICE).toMatch(/browser/);
  });
});
