/**
 * Where the desk host is and the launch token that proves this window may call it. In Electron
 * the preload hands both over as `window.foyer`; in a browser (`npm run serve`) the host writes the
 * token into the index page as `<meta name="foyer-token">` and serves the page itself, so its
 * origin is the host.
 */

/** What the Electron preload exposes. */
export interface FoyerBridge {
  readonly hostUrl: string;
  readonly token: string;
  readonly platform: 'electron';
}

declare global {
  interface Window {
    foyer?: FoyerBridge;
  }
}

export interface HostConnection {
  /** e.g. `http://127.0.0.1:5170`, without a trailing slash. */
  hostUrl: string;
  token: string;
}

export interface ConnectionSources {
  bridge: FoyerBridge | undefined;
  metaToken: string | null;
  origin: string;
}

export function resolveHostConnection({ bridge, metaToken, origin }: ConnectionSources): HostConnection | null {
  const token = bridge?.token || metaToken;
  const hostUrl = (bridge?.hostUrl || origin).replace(/\/+$/, '');
  if (!token || !/^https?:\/\//.test(hostUrl)) return null;
  return { hostUrl, token };
}

/** The connection of this window, read from the page. */
export function hostConnectionOfPage(): HostConnection | null {
  return resolveHostConnection({
    bridge: window.foyer,
    metaToken: document.querySelector<HTMLMetaElement>('meta[name="foyer-token"]')?.content ?? null,
    origin: window.location.origin,
  });
}

/** The tRPC endpoints of a host: HTTP for queries and mutations, WebSocket for subscriptions. */
export function trpcUrls(hostUrl: string): { http: string; ws: string } {
  const http = `${hostUrl}/trpc`;
  return { http, ws: http.replace(/^http/, 'ws') };
}
