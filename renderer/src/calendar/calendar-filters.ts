/**
 * The calendar's filters: department, resource, service and status. An empty list means "all"
 * (for statuses too: a filter that shows nothing at all is never what was meant).
 * Cancelled and no-show bookings are hidden by default: they free their time, and a column full
 * of them hides the free slots a receptionist is looking for.
 */
import { BOOKING_STATUSES, type BookingStatus } from '../../../core/scheduling/schedule';
import type { CalendarBooking, CalendarData, CalendarResource, CalendarSession } from './types';

/** The department filter's key for resources that are in no department. */
export const NO_DEPARTMENT = '-';

export interface CalendarFilters {
  departmentIds: string[];
  resourceIds: string[];
  serviceIds: string[];
  statuses: BookingStatus[];
}

export const DEFAULT_STATUSES: readonly BookingStatus[] = BOOKING_STATUSES.filter((s) => s !== 'cancelled' && s !== 'noShow');

export function defaultFilters(): CalendarFilters {
  return { departmentIds: [], resourceIds: [], serviceIds: [], statuses: [...DEFAULT_STATUSES] };
}

/** How many filters differ from the defaults (shown on the Filters button). */
export function activeFilterCount(f: CalendarFilters): number {
  const statusesChanged = f.statuses.length !== DEFAULT_STATUSES.length || DEFAULT_STATUSES.some((s) => !f.statuses.includes(s));
  return [f.departmentIds.length > 0, f.resourceIds.length > 0, f.serviceIds.length > 0, statusesChanged].filter(Boolean).length;
}

export interface FilteredCalendar {
  resources: CalendarResource[];
  bookings: CalendarBooking[];
  sessions: CalendarSession[];
}

function departmentKey(r: Pick<CalendarResource, 'departmentId'>): string {
  return r.departmentId ?? NO_DEPARTMENT;
}

/**
 * The columns, bookings and class sessions that pass the filters. A booking shows when its status
 * and service pass and at least one of its resources is shown (a class booking: when its session
 * is shown); a session when its service passes and its coach or room is shown. Cancelled
 * sessions count as "cancelled" for the status filter.
 */
export function filterCalendar(data: Pick<CalendarData, 'resources' | 'bookings' | 'sessions'>, f: CalendarFilters): FilteredCalendar {
  const byResource = f.departmentIds.length > 0 || f.resourceIds.length > 0;
  const departments = new Set(f.departmentIds);
  const chosen = new Set(f.resourceIds);
  const resources = data.resources.filter(
    (r) => (departments.size === 0 || departments.has(departmentKey(r))) && (chosen.size === 0 || chosen.has(r.id)),
  );
  const shown = new Set(resources.map((r) => r.id));
  const services = new Set(f.serviceIds);
  const serviceOk = (id: string) => services.size === 0 || services.has(id);
  const statuses = new Set<string>(f.statuses.length === 0 ? BOOKING_STATUSES : f.statuses);

  const sessions = data.sessions.filter(
    (s) =>
      serviceOk(s.serviceId) &&
      (s.status !== 'cancelled' || statuses.has('cancelled')) &&
      (!byResource || shown.has(s.coachId) || (s.roomId !== null && shown.has(s.roomId))),
  );
  const shownSessions = new Set(sessions.map((s) => s.id));
  const bookings = data.bookings.filter((b) => {
    if (!statuses.has(b.status) || !serviceOk(b.serviceId)) return false;
    if (b.sessionId !== null) return shownSessions.has(b.sessionId);
    return !byResource || b.resourceIds.some((id) => shown.has(id));
  });
  return { resources, bookings, sessions };
}
