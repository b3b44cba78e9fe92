/**
 * Helpers for the windows' live subscriptions (changes, device events): a burst of events becomes
 * one call, and a subscription that failed (not a dropped socket, which reconnects by itself) is
 * retried after a pause.
 */
import { useCallback, useEffect, useRef } from 'react';

/** `fn` at most once per `ms`: the first call schedules it, later calls in the window join it. */
export function useCoalesced(fn: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}

/** Restarts a subscription `ms` after it ended in an error. */
export function useRetryOnError(status: string, reset: () => void, ms: number): void {
  useEffect(() => {
    if (status !== 'error') return;
    const retry = setTimeout(reset, ms);
    return () => clearTimeout(retry);
  }, [status, reset, ms]);
}
