/**
 * Sandboxed preload (bundled to dist/electron/preload.cjs). It gives the page exactly three
 * values — the desk host's URL, the per-launch token and the platform — read from the switches
 * the main process put on this renderer's command line. No ipc, no node: a sandboxed preload may
 * only require('electron'), and the page needs nothing else to talk tRPC to the host.
 */
import { contextBridge } from 'electron';

export const HOST_URL_SWITCH = '--foyer-host-url=';
export const TOKEN_SWITCH = '--foyer-token=';

/** What the renderer finds at `window.foyer` when it runs inside the Electron app. */
export interface FoyerBridge {
  readonly hostUrl: string;
  readonly token: string;
  readonly platform: 'electron';
}

export interface Bridge {
  exposeInMainWorld(apiKey: string, api: FoyerBridge): void;
}

function switchValue(argv: readonly string[], prefix: string): string | null {
  // The last occurrence wins, as with Chromium's own switches.
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i];
    if (arg !== undefined && arg.startsWith(prefix)) return arg.slice(prefix.length);
  }
  return null;
}

export function readFoyerBridge(argv: readonly string[]): FoyerBridge {
  const hostUrl = switchValue(argv, HOST_URL_SWITCH);
  const token = switchValue(argv, TOKEN_SWITCH);
  if (hostUrl === null || hostUrl === '' || token === null || token === '') {
    throw new Error('Foyer preload: the main process did not pass the desk host URL and token.');
  }
  return Object.freeze({ hostUrl, token, platform: 'electron' as const });
}

export function exposeFoyerBridge(bridge: Bridge, argv: readonly string[]): FoyerBridge {
  const api = readFoyerBridge(argv);
  bridge.exposeInMainWorld('foyer', api);
  return api;
}

exposeFoyerBridge(contextBridge, process.argv);
