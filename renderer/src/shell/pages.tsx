/**
 * The app's pages, each in its own chunk and loaded on first use: the calendar does not wait for
 * the customer, device or settings code, nor do they wait for FullCalendar. main.tsx loads the
 * first screen's page (and asks for its data) before the first render, so the first screen never
 * suspends; the other pages are loaded once the browser is idle after that, so moving between
 * sections rarely waits (see common/lazy-component.tsx).
 */
import type { QueryClient } from '@tanstack/react-query';
import type { TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { HostRouter } from '../../../electron/host/router/app.router';
import { prefetchCalendar } from '../calendar/calendar-prefetch';
import { lazyComponent } from '../common/lazy-component';
import type { Route } from '../routing/routes';

export const customersPage = lazyComponent(() => import('../customers/customers-page').then((m) => m.CustomersPage));
export const devicesPage = lazyComponent(() => import('../devices/devices-page').then((m) => m.DevicesPage));
export const calendarPage = lazyComponent(() => import('../calendar/calendar-page').then((m) => m.CalendarPage));
export const scheduleSettingsPage = lazyComponent(() => import('../schedules/schedule-settings-page').then((m) => m.ScheduleSettingsPage));
export const waitlistPage = lazyComponent(() => import('../waitlist/waitlist-page').then((m) => m.WaitlistPage));
export const syncConflictsPage = lazyComponent(() => import('../sync/conflicts-page').then((m) => m.SyncConflictsPage));

const PAGES = [customersPage, devicesPage, calendarPage, scheduleSettingsPage, waitlistPage, syncConflictsPage];

function pageOf(route: Route): { load(): Promise<unknown> } | null {
  switch (route.name) {
    case 'home':
    case 'customers':
      return customersPage;
    case 'devices':
      return devicesPage;
    case 'calendar':
      return calendarPage;
    case 'scheduleSettings':
      return scheduleSettingsPage;
    case 'waitlist':
      return waitlistPage;
    case 'syncConflicts':
      return syncConflictsPage;
    default:
      return null;
  }
}

/**
 * What the first screen needs, started before the rest of the app is loaded: who is signed in
 * (sync/session-gate.tsx shows the sign-in screen instead when nobody is), the desk info (every
 * page shows it), the route's page code and the route's own data. Queries started in the same
 * tick go to the host as one batched request. Resolves when the page's code is there.
 */
export function startFirstScreen(route: Route, queryClient: QueryClient, trpc: TRPCOptionsProxy<HostRouter>, search: string): Promise<unknown> {
  void queryClient.prefetchQuery(trpc.auth.session.queryOptions());
  void queryClient.prefetchQuery(trpc.system.info.queryOptions());
  if (route.name === 'calendar') prefetchCalendar(queryClient, trpc, search);
  return pageOf(route)?.load() ?? Promise.resolve();
}

/** Loads the code of every page, one after another, so a later click does not wait for it. */
export async function loadOtherPages(): Promise<void> {
  for (const page of PAGES) await page.load().catch(() => undefined);
}
