/**
 * Pure rules the shell uses to keep the renderer on the desk host and nowhere else:
 * the host address must be loopback http, the Content-Security-Policy pins scripts, styles,
 * images and connections to that origin, and only https links may leave for the OS browser.
 */

/**
 * The host's URL if it is plain http on 127.0.0.1 (what the desk host serves), else null.
 * Loading anything else in a window that holds the launch token would leak the token.
 */
export function parseHostUrl(url: string): URL | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed;
}

/**
 * The policy for every response from the host. antd writes inline styles at run time, hence
 * 'unsafe-inline' for styles only; scripts come from the host's own files. The WebSocket for
 * tRPC subscriptions is named explicitly because 'self' does not cover ws: in every browser.
 */
export function contentSecurityPolicy(host: URL): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://${host.host}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Response headers with any CSP the server sent replaced by `policy`. Header names arrive in
 * whatever case the server used, so an existing policy is matched case-insensitively; leaving
 * it would let a looser policy sit beside ours.
 */
export function withContentSecurityPolicy(
  headers: Readonly<Record<string, string[]>> | undefined,
  policy: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [policy];
  return out;
}

export function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Only https leaves the app for the OS browser: no file:, no custom schemes, no plain http. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
