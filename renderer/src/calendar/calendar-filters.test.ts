import { describe, expect, it } from 'vitest';
import { activeFilterCount, defaultFilters, filterCalendar, NO_DEPARTMENT } from './calendar-filters';
import { clinicDay } from './calendar.fixtures';

const ids = (xs: readonly { id: string }[]) => xs.map((x) => x.id);

describe('calendar filters', () => {
  it('hides cancelled and no-show bookings by default, and shows everything else', () => {
    const shown = filterCalendar(clinicDay(), defaultFilters());
    expect(ids(shown.resources)).toEqual(['dr', 'coach', 'room']);
    expect(ids(shown.bookings)).toEqual(['b1', 'b3', 'b4']);
    expect(ids(shown.sessions)).toEqual(['s1']);
    expect(activeFilterCount(defaultFilters())).toBe(0);
  });

  it('shows cancelled bookings once asked, and treats an empty status list as all', () => {
    const f = { ...defaultFilters(), statuses: ['cancelled' as const] };
    expect(ids(filterCalendar(clinicDay(), f).bookings)).toEqual(['b2']);
    expect(activeFilterCount(f)).toBe(1);
    expect(ids(filterCalendar(clinicDay(), { ...defaultFilters(), statuses: [] }).bookings)).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('narrows the columns by department, and the bookings and classes with them', () => {
    const gym = filterCalendar(clinicDay(), { ...defaultFilters(), departmentIds: ['d2'] });
    expect(ids(gym.resources)).toEqual(['coach']);
    expect(ids(gym.sessions)).toEqual(['s1']);
    // The class seat follows its class; the doctor's bookings are not in any shown column.
    expect(ids(gym.bookings)).toEqual(['b4']);
    const others = filterCalendar(clinicDay(), { ...defaultFilters(), departmentIds: [NO_DEPARTMENT] });
    expect(ids(others.resources)).toEqual(['room']);
    expect(ids(others.bookings)).toEqual(['b1', 'b4']);
  });

  it('narrows by resource and by service', () => {
    expect(ids(filterCalendar(clinicDay(), { ...defaultFilters(), resourceIds: ['dr'] }).bookings)).toEqual(['b1', 'b3']);
    const checkups = filterCalendar(clinicDay(), { ...defaultFilters(), serviceIds: ['checkup'] });
    expect(ids(checkups.bookings)).toEqual(['b3']);
    expect(ids(checkups.sessions)).toEqual([]);
    expect(ids(checkups.resources)).toEqual(['dr', 'coach', 'room']);
  });
});
