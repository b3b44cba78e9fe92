import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `everyMs`: for "today"/age displays that must roll over at
 * midnight without reading the clock during render.
 */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
