/**
 * Reconnect backoff: the delay before retry n (0-based) is initial × factor^n, capped at max.
 * With the defaults that is 250, 500, 1000, 2000, 4000, 5000, 5000, … ms: a device plugged back in
 * is found within about 5 s, and a device that stays away costs one attempt every 5 s.
 * No jitter: a desk has a handful of devices, each on its own port, so there is no herd to spread.
 */
export interface BackoffOptions {
  /** Delay before the first retry. Default 250 ms. */
  initialDelayMs?: number;
  /** Upper bound of the delay. Default 5000 ms. */
  maxDelayMs?: number;
  /** Growth per retry. Default 2. */
  factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialDelayMs: 250, maxDelayMs: 5000, factor: 2 };

export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const { initialDelayMs, maxDelayMs, factor } = { ...DEFAULT_BACKOFF, ...options };
  const n = Math.max(0, Math.floor(retry));
  // Capped before multiplying further, so a long outage cannot overflow to Infinity.
  let delay = initialDelayMs;
  for (let i = 0; i < n && delay < maxDelayMs; i++) delay *= factor;
  return Math.min(delay, maxDelayMs);
}
