/**
 * What the calendar shows lives in the URL (`/calendar?date=2026-11-23&view=day`), so a reload,
 * the back button and a second window show the same day. Other parameters (`?lang=`) are kept.
 *
 * Also the date arithmetic of the views: which dates a view spans (and so which window to read
 * from the host), and where "previous" and "next" go. Weeks start on Monday, as in China and on
 * ISO calendars; the month grid is always six weeks (42 days, the longest window the host serves).
 */
import { addDays, dayNumber, weekdayOf } from '../../../core/scheduling/zoned-time';
import { isRealDate, type LocalDate } from '../../../core/time';

export const CALENDAR_VIEWS = ['day', 'week', 'month', 'list'] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

export interface CalendarPlace {
  date: LocalDate;
  view: CalendarView;
}

function isView(v: string | null): v is CalendarView {
  return v !== null && (CALENDAR_VIEWS as readonly string[]).includes(v);
}

/** The place a query string names; a missing or malformed part falls back (date to `today`, view to day). */
export function parseCalendarSearch(search: string, today: LocalDate): CalendarPlace {
  const params = new URLSearchParams(search);
  const date = params.get('date');
  const view = params.get('view');
  return { date: date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) && isRealDate(date) ? date : today, view: isView(view) ? view : 'day' };
}

/** The query string for a place, keeping every other parameter of `current`. */
export function calendarSearch(place: CalendarPlace, current: string): string {
  const params = new URLSearchParams(current);
  params.set('date', place.date);
  params.set('view', place.view);
  return `?${params.toString()}`;
}

/** Monday of the date's week. */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

/** The first day of the date's month. */
export function monthStart(date: LocalDate): LocalDate {
  return `${date.slice(0, 8)}01`;
}

/** The dates a view shows (both ends included): the window read from the host. */
export function rangeOf(place: CalendarPlace): { from: LocalDate; to: LocalDate } {
  switch (place.view) {
    case 'day':
    case 'list':
      return { from: place.date, to: place.date };
    case 'week': {
      const from = weekStart(place.date);
      return { from, to: addDays(from, 6) };
    }
    case 'month': {
      const from = weekStart(monthStart(place.date));
      return { from, to: addDays(from, 41) };
    }
  }
}

/** Where "previous" (-1) and "next" (+1) go from a place. */
export function shiftPlace(place: CalendarPlace, direction: -1 | 1): CalendarPlace {
  switch (place.view) {
    case 'day':
    case 'list':
      return { ...place, date: addDays(place.date, direction) };
    case 'week':
      return { ...place, date: addDays(place.date, 7 * direction) };
    case 'month': {
      const [y, m] = place.date.split('-').map(Number) as [number, number];
      const index = y * 12 + (m - 1) + direction;
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      const first = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
      // Keep the day of the month where the new month has it (31 Jan → 28 Feb).
      const wanted = Number(place.date.slice(8));
      let day = first;
      for (let d = 2; d <= wanted; d++) {
        const next = addDays(first, d - 1);
        if (next.slice(0, 7) !== first.slice(0, 7)) break;
        day = next;
      }
      return { ...place, date: day };
    }
  }
}

/** Whether a date falls in the window of a place (for "today" highlighting and the Today button). */
export function placeContains(place: CalendarPlace, date: LocalDate): boolean {
  const { from, to } = rangeOf(place);
  const n = dayNumber(date);
  return n >= dayNumber(from) && n <= dayNumber(to);
}
