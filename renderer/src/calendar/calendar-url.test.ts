import { describe, expect, it } from 'vitest';
import { calendarSearch, parseCalendarSearch, placeContains, rangeOf, shiftPlace, weekStart } from './calendar-url';

const TODAY = '2026-11-22';

describe('calendar URL', () => {
  it('reads the date and view, keeping today and the day view as fallbacks', () => {
    expect(parseCalendarSearch('?date=2026-11-23&view=week', TODAY)).toEqual({ date: '2026-11-23', view: 'week' });
    expect(parseCalendarSearch('', TODAY)).toEqual({ date: TODAY, view: 'day' });
    expect(parseCalendarSearch('?date=2026-02-30&view=year', TODAY)).toEqual({ date: TODAY, view: 'day' });
    expect(parseCalendarSearch('?date=tomorrow&view=list', TODAY)).toEqual({ date: TODAY, view: 'list' });
  });

  it('writes the place and keeps other parameters such as the forced language', () => {
    const search = calendarSearch({ date: '2026-11-24', view: 'month' }, '?lang=zh-CN&date=2026-11-23');
    const params = new URLSearchParams(search);
    expect(params.get('lang')).toBe('zh-CN');
    expect(params.get('date')).toBe('2026-11-24');
    expect(params.get('view')).toBe('month');
    expect(parseCalendarSearch(search, TODAY)).toEqual({ date: '2026-11-24', view: 'month' });
  });

  it('spans a day, a Monday-to-Sunday week, and a six-week month grid', () => {
    expect(rangeOf({ date: '2026-11-23', view: 'day' })).toEqual({ from: '2026-11-23', to: '2026-11-23' });
    expect(rangeOf({ date: '2026-11-26', view: 'week' })).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    // November 2026 starts on a Sunday: the grid starts on Monday 26 October.
    expect(rangeOf({ date: '2026-11-15', view: 'month' })).toEqual({ from: '2026-10-26', to: '2026-12-06' });
  });

  it('steps by a day, a week or a month, keeping the day of the month where it can', () => {
    expect(shiftPlace({ date: '2026-11-30', view: 'day' }, 1).date).toBe('2026-12-01');
    expect(shiftPlace({ date: '2026-11-23', view: 'week' }, -1).date).toBe('2026-11-16');
    expect(shiftPlace({ date: '2026-01-31', view: 'month' }, 1).date).toBe('2026-02-28');
    expect(shiftPlace({ date: '2026-01-15', view: 'month' }, -1).date).toBe('2025-12-15');
  });

  it('knows whether a date is on screen', () => {
    expect(placeContains({ date: '2026-11-26', view: 'week' }, '2026-11-23')).toBe(true);
    expect(placeContains({ date: '2026-11-26', view: 'day' }, '2026-11-23')).toBe(false);
  });
});
