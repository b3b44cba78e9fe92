/**
 * What the schedule settings read from the host, by the router's own output types, and the typed
 * view of the parts the catalogue sends as stored JSON (a site's calendar, a resource's schedule),
 * read through core's schemas rather than trusted.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { HostRouter } from '../../../electron/host/router/app.router';
import { ResourceHours, SiteCalendar } from '../../../core/scheduling/scheduling.model';

type Outputs = inferRouterOutputs<HostRouter>['scheduling'];
export type Catalog = Outputs['catalog'];
export type CatalogSite = Catalog['site'];
export type CatalogDepartment = Catalog['departments'][number];
export type CatalogResource = Catalog['resources'][number];
export type CatalogService = Catalog['services'][number];
export type CalendarWindow = Outputs['calendar'];
export type CalendarSession = CalendarWindow['sessions'][number];
export type AffectedBooking = Outputs['previewCloseNow'][number];
export type SchedulingMutation = inferRouterInputs<HostRouter>['scheduling']['mutate'];

const EMPTY_CALENDAR: SiteCalendar = { openingHours: [], closures: [], holidays: [], workdayOverrides: [], dateOverrides: [] };

/** The site's calendar as core shapes it; an unreadable one reads as empty rather than breaking the page. */
export function siteCalendarOf(site: CatalogSite): SiteCalendar {
  const r = SiteCalendar.safeParse({
    openingHours: site.openingHours,
    closures: site.closures,
    holidays: site.holidays,
    workdayOverrides: site.workdayOverrides,
    dateOverrides: site.dateOverrides,
  });
  return r.success ? r.data : EMPTY_CALENDAR;
}

export function resourceHoursOf(resource: CatalogResource): ResourceHours {
  const r = ResourceHours.safeParse(resource.schedule);
  return r.success ? r.data : { schedules: [], dateOverrides: [], leave: [] };
}
