/**
 * The calendar's place (date and view) read from and written to the URL. A new place is a new
 * history entry, so Back returns to the previous day or view; the browser's Back and Forward
 * arrive as `popstate`.
 */
import { useCallback, useEffect, useState } from 'react';
import type { LocalDate } from '../../../core/time';
import { calendarSearch, parseCalendarSearch, type CalendarPlace } from './calendar-url';

export function useCalendarPlace(today: LocalDate): [CalendarPlace, (place: CalendarPlace) => void] {
  const [search, setSearch] = useState(() => window.location.search);

  useEffect(() => {
    const onPop = () => setSearch(window.location.search);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const place = parseCalendarSearch(search, today);

  const go = useCallback((next: CalendarPlace) => {
    const nextSearch = calendarSearch(next, window.location.search);
    if (nextSearch !== window.location.search) {
      window.history.pushState(window.history.state, '', window.location.pathname + nextSearch + window.location.hash);
    }
    setSearch(nextSearch);
  }, []);

  return [place, go];
}
