/**
 * From the host's calendar window to what FullCalendar draws: one column per resource (ordered by
 * department, the first column of each department carrying its name), booking and class-session
 * events, and background events for the time nobody can be booked:
 *   - `off`: a resource's time outside its working hours (rota, leave, overrides), per column;
 *   - `closed`: the site's closed time (opening hours, holidays, 调休) across all columns;
 *   - `closure`: an emergency closure ("close now"), with its reason;
 *   - `buffer`: a booking's buffer time before and after, which blocks the resource too.
 * All times are calendar times (see calendar-time.ts). Pure: unit-tested without a DOM.
 */
import type { EventInput } from '@fullcalendar/core';
import type { ResourceInput } from '@fullcalendar/resource';
import { RESCHEDULABLE_STATUSES } from '../../../core/scheduling/booking-state';
import { normalize, subtract } from '../../../core/scheduling/intervals';
import type { BookingStatus } from '../../../core/scheduling/schedule';
import { bookingColours, ownColours, statusColours, type ColourMode } from './calendar-colours';
import { calendarClock, calendarMinutesOf, hhmm } from './calendar-time';
import type { FilteredCalendar } from './calendar-filters';
import type { CalendarBooking, CalendarData, CalendarResource, CalendarSession } from './types';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

/** What an event stands for; FullCalendar hands it back in `event.extendedProps`. */
export type EventMeta =
  | { kind: 'booking'; booking: CalendarBooking }
  | { kind: 'session'; session: CalendarSession; seatsLeft: number }
  | { kind: 'off' | 'closed' | 'buffer' }
  | { kind: 'closure'; reason: string };

export interface ResourceMeta {
  kind: string;
  departmentId: string | null;
  departmentName: string | null;
  /** The first column of its department: it carries the department's name and a divider. */
  departmentStart: boolean;
  /** The first column without a department after departmented ones (labelled "No department"). */
  othersStart: boolean;
  order: number;
}

/**
 * The calendar's columns, in the host's order (department, kind, name), with the resources that
 * are in no department (shared rooms, equipment) after the departments.
 */
export function toCalendarResources(resources: readonly CalendarResource[]): ResourceInput[] {
  const ordered = [...resources.filter((r) => r.departmentId !== null), ...resources.filter((r) => r.departmentId === null)];
  return ordered.map((r, i) => {
    const meta: ResourceMeta = {
      kind: r.kind,
      departmentId: r.departmentId,
      departmentName: r.departmentName,
      departmentStart: i === 0 || ordered[i - 1]!.departmentId !== r.departmentId,
      othersStart: i > 0 && r.departmentId === null && ordered[i - 1]!.departmentId !== null,
      order: i,
    };
    return { id: r.id, title: r.name, extendedProps: meta };
  });
}

export interface EventOptions {
  timeZone: string;
  colourMode: ColourMode;
  /** Resource views (day, week) get columns and background time; the month grid gets neither. */
  resourceView: boolean;
}

/** Whether the desk may drag a booking to another time or column: not yet arrived, not a class seat. */
export function isMovable(b: Pick<CalendarBooking, 'status' | 'sessionId'>): boolean {
  return b.sessionId === null && RESCHEDULABLE_STATUSES.includes(b.status as BookingStatus);
}

export function seatsLeft(s: Pick<CalendarSession, 'capacity' | 'taken'>): number {
  return Math.max(0, s.capacity - s.taken);
}

/**
 * Every event of a (filtered) window. Class bookings are not drawn one by one: their session is,
 * with its seats left, and the roster opens from it.
 */
export function toCalendarEvents(data: Pick<CalendarData, 'start' | 'end' | 'siteOpen' | 'closures'>, shown: FilteredCalendar, o: EventOptions): EventInput[] {
  const tz = o.timeZone;
  const at = calendarClock(tz);
  const columns = new Set(shown.resources.map((r) => r.id));
  const colourOf = new Map(shown.resources.map((r) => [r.id, r.colour]));
  const resourceColour = (id: string) => colourOf.get(id) ?? null;
  const inColumns = (ids: readonly string[]) => (o.resourceView ? ids.filter((id) => columns.has(id)) : []);
  const events: EventInput[] = [];

  for (const b of shown.bookings) {
    if (b.sessionId !== null) continue;
    const resourceIds = inColumns(b.resourceIds);
    if (o.resourceView && resourceIds.length === 0) continue;
    const colours = bookingColours(o.colourMode, b, resourceColour);
    const movable = isMovable(b);
    const meta: EventMeta = { kind: 'booking', booking: b };
    events.push({
      id: b.id,
      ...(o.resourceView ? { resourceIds } : {}),
      start: at(b.start),
      end: at(b.end),
      title: `${b.customerName} · ${b.serviceName}`,
      startEditable: movable,
      resourceEditable: movable,
      durationEditable: false,
      backgroundColor: colours.background,
      borderColor: colours.border,
      textColor: colours.text,
      classNames: ['foyer-booking', `foyer-status-${b.status}`],
      extendedProps: meta,
    });
    if (o.resourceView && (b.bufferBeforeMinutes > 0 || b.bufferAfterMinutes > 0) && b.status !== 'cancelled' && b.status !== 'noShow') {
      const buffer: EventMeta = { kind: 'buffer' };
      if (b.bufferBeforeMinutes > 0) {
        events.push({ display: 'background', resourceIds, start: at(b.start - b.bufferBeforeMinutes * MINUTE_MS), end: at(b.start), classNames: ['foyer-buffer'], extendedProps: buffer });
      }
      if (b.bufferAfterMinutes > 0) {
        events.push({ display: 'background', resourceIds, start: at(b.end), end: at(b.end + b.bufferAfterMinutes * MINUTE_MS), classNames: ['foyer-buffer'], extendedProps: buffer });
      }
    }
  }

  for (const s of shown.sessions) {
    const resourceIds = inColumns([s.coachId, ...(s.roomId === null ? [] : [s.roomId])]);
    if (o.resourceView && resourceIds.length === 0) continue;
    const left = seatsLeft(s);
    const colours = s.status === 'cancelled' ? statusColours('cancelled') : ownColours(s.serviceColour, s.serviceId);
    const meta: EventMeta = { kind: 'session', session: s, seatsLeft: left };
    events.push({
      id: `session:${s.id}`,
      ...(o.resourceView ? { resourceIds } : {}),
      start: at(s.start),
      end: at(s.end),
      title: s.serviceName,
      editable: false,
      backgroundColor: colours.background,
      borderColor: colours.border,
      textColor: colours.text,
      classNames: ['foyer-session', left === 0 ? 'foyer-session-full' : 'foyer-session-open', ...(s.status === 'cancelled' ? ['foyer-session-cancelled'] : [])],
      extendedProps: meta,
    });
  }

  if (o.resourceView) events.push(...backgroundTime(data, shown.resources, tz, at));
  return events;
}

function flat(intervals: readonly { start: number; end: number }[]): number[] {
  return normalize(intervals.flatMap((i) => [i.start, i.end]));
}

/** The shading: closed site time across all columns, each column's own time off, closures. */
export function backgroundTime(
  data: Pick<CalendarData, 'start' | 'end' | 'siteOpen' | 'closures'>,
  resources: readonly Pick<CalendarResource, 'id' | 'working'>[],
  timeZone: string,
  at: (instant: number) => number = calendarClock(timeZone),
): EventInput[] {
  const window = [data.start, data.end];
  const closed = subtract(window, flat(data.siteOpen));
  const out: EventInput[] = [];
  const closedMeta: EventMeta = { kind: 'closed' };
  for (let i = 0; i < closed.length; i += 2) {
    out.push({ display: 'background', start: at(closed[i]!), end: at(closed[i + 1]!), classNames: ['foyer-closed'], extendedProps: closedMeta });
  }
  const offMeta: EventMeta = { kind: 'off' };
  for (const r of resources) {
    // Time off within the open hours only: the closed time is shaded once, across all columns.
    const off = subtract(subtract(window, flat(r.working)), closed);
    for (let i = 0; i < off.length; i += 2) {
      out.push({ display: 'background', resourceId: r.id, start: at(off[i]!), end: at(off[i + 1]!), classNames: ['foyer-off'], extendedProps: offMeta });
    }
  }
  for (const c of data.closures) {
    const meta: EventMeta = { kind: 'closure', reason: c.reason };
    out.push({ display: 'background', start: at(Math.max(c.start, data.start)), end: at(Math.min(c.end, data.end)), title: c.reason, classNames: ['foyer-closure'], extendedProps: meta });
  }
  return out;
}

/**
 * The hours the time grid spans: from the earliest to the latest minute anything happens or
 * anyone works (whole hours), so a clinic open 08:00–18:00 is not drawn from midnight. Falls back
 * to the site's opening hours, then to 08:00–20:00. Also where the grid scrolls to first.
 */
export function visibleHours(
  data: Pick<CalendarData, 'siteOpen'>,
  shown: Pick<FilteredCalendar, 'resources' | 'bookings' | 'sessions'>,
  timeZone: string,
): { slotMinTime: string; slotMaxTime: string; scrollTime: string } {
  let lo = Infinity;
  let hi = -Infinity;
  const at = calendarClock(timeZone);
  const see = (start: number, end: number) => {
    const s = at(start);
    const e = at(end);
    if (e <= s) return;
    const sameDay = Math.floor(s / (DAY_MINUTES * MINUTE_MS)) === Math.floor((e - 1) / (DAY_MINUTES * MINUTE_MS));
    if (!sameDay) {
      lo = 0;
      hi = DAY_MINUTES;
      return;
    }
    lo = Math.min(lo, calendarMinutesOf(s));
    const endMinutes = calendarMinutesOf(e);
    hi = Math.max(hi, endMinutes === 0 ? DAY_MINUTES : endMinutes);
  };
  for (const r of shown.resources) for (const w of r.working) see(w.start, w.end);
  for (const b of shown.bookings) see(b.start, b.end);
  for (const s of shown.sessions) see(s.start, s.end);
  if (lo === Infinity) for (const o of data.siteOpen) see(o.start, o.end);
  if (lo === Infinity) {
    lo = 8 * 60;
    hi = 20 * 60;
  }
  const min = Math.floor(lo / 60) * 60;
  const max = Math.min(DAY_MINUTES, Math.max(min + 60, Math.ceil(hi / 60) * 60));
  return { slotMinTime: `${hhmm(min)}:00`, slotMaxTime: `${hhmm(max)}:00`, scrollTime: `${hhmm(min)}:00` };
}

/**
 * A dragged booking's resources after the drop: the column it left is swapped for the one it
 * landed on; its other resources (the room of a doctor's appointment) stay. Unchanged when it
 * stayed in its column.
 */
export function movedResourceIds(resourceIds: readonly string[], from: string | undefined, to: string | undefined): string[] {
  if (from === undefined || to === undefined || from === to) return [...resourceIds];
  return resourceIds.map((id) => (id === from ? to : id));
}
