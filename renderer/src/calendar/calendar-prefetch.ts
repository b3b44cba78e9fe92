/**
 * The calendar's first data, asked for before the app's code has loaded. The site the calendar
 * showed last on this PC is remembered, so when a window opens on /calendar, main.tsx can ask for
 * that site's window (the date and view in the URL) and its catalogue in the same request as the
 * desk info, while the browser is still running the app's code. The page then finds its data in
 * the query cache. When the site turns out to be another one, the prefetched data is simply not
 * used. Kept small on purpose: main.tsx imports it before everything else.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { HostRouter } from '../../../electron/host/router/app.router';
import { localDateOf } from '../../../core/time';
import { parseCalendarSearch, rangeOf } from './calendar-url';

const LAST_SITE_KEY = 'foyer.calendar.lastSite';

interface LastSite {
  id: string;
  timeZone: string;
}

function readLastSite(): LastSite | null {
  try {
    const v: unknown = JSON.parse(window.localStorage.getItem(LAST_SITE_KEY) ?? 'null');
    return typeof v === 'object' && v !== null && 'id' in v && 'timeZone' in v && typeof v.id === 'string' && typeof v.timeZone === 'string'
      ? { id: v.id, timeZone: v.timeZone }
      : null;
  } catch {
    return null;
  }
}

/** Remembers the site the calendar shows, for the next window's prefetch. */
export function rememberCalendarSite(site: LastSite): void {
  try {
    window.localStorage.setItem(LAST_SITE_KEY, JSON.stringify({ id: site.id, timeZone: site.timeZone }));
  } catch {
    // Not remembered: the next window just waits for the desk info first.
  }
}

/** Starts loading the window and catalogue of the site shown last (nothing when none is remembered). */
export function prefetchCalendar(queryClient: QueryClient, trpc: TRPCOptionsProxy<HostRouter>, search: string): void {
  const last = readLastSite();
  if (!last) return;
  const place = parseCalendarSearch(search, localDateOf(Date.now(), last.timeZone));
  void queryClient.prefetchQuery(trpc.scheduling.calendar.queryOptions({ siteId: last.id, ...rangeOf(place) }));
  void queryClient.prefetchQuery(trpc.scheduling.catalog.queryOptions({ siteId: last.id }));
}
