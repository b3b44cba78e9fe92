// Finds the Electron binary that the `electron` npm package downloaded at install time.
//
// From plain Node, `import('electron')` evaluates node_modules/electron/index.js, whose export
// is the binary's path as a string. When the download was skipped
// (ELECTRON_SKIP_BINARY_DOWNLOAD=1) or failed, that import throws "Electron failed to install
// correctly…"; a path.txt left behind by a partly deleted install gives a path that does not
// exist. Both mean "no Electron here", and `npm start` falls back to the browser.
import { existsSync } from 'node:fs';

/** The one line `npm start` prints before serving the UI in a browser instead. */
export const BROWSER_FALLBACK_NOTICE =
  'Electron is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); serving the same UI in your browser instead.';

/**
 * @param {{ importElectron?: () => Promise<unknown>, exists?: (file: string) => boolean }} [options]
 *   seams for tests: how to load the `electron` package, and how to check a file exists.
 * @returns {Promise<{ found: true, path: string } | { found: false, reason: string }>}
 */
export async function findElectronBinary({ importElectron = () => import('electron'), exists = existsSync } = {}) {
  let loaded;
  try {
    loaded = await importElectron();
  } catch (e) {
    return { found: false, reason: e instanceof Error ? e.message : String(e) };
  }
  // An ES import of a CommonJS module puts module.exports on `default`.
  const binary =
    typeof loaded === 'string'
      ? loaded
      : typeof loaded === 'object' && loaded !== null && 'default' in loaded
        ? loaded.default
        : undefined;
  if (typeof binary !== 'string' || binary === '') {
    return { found: false, reason: 'the electron package did not give a binary path' };
  }
  if (!exists(binary)) {
    return { found: false, reason: `the Electron binary is missing: ${binary}` };
  }
  return { found: true, path: binary };
}
