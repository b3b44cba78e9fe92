/**
 * Checks what the desk host posts to the main process. The host is our own code, but its
 * messages cross a process boundary as structured clones, so they are checked before the shell
 * acts on them; anything malformed is dropped (and logged by the caller).
 */
import type { HostToMain } from '../host/protocol';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isParams(value: unknown): value is Record<string, string | number> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');
}

export function parseHostMessage(raw: unknown): HostToMain | null {
  if (!isRecord(raw)) return null;
  if (raw.type === 'ready' && typeof raw.url === 'string' && typeof raw.token === 'string' && raw.token !== '') {
    return { type: 'ready', url: raw.url, token: raw.token };
  }
  if (raw.type === 'failed' && typeof raw.key === 'string' && typeof raw.message === 'string' && isParams(raw.params)) {
    return { type: 'failed', key: raw.key, params: raw.params, message: raw.message };
  }
  return null;
}
