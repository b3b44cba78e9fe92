import type { EventInput } from '@fullcalendar/core';
import { describe, expect, it } from 'vitest';
import { STATUS_COLOURS } from './calendar-colours';
import { backgroundTime, isMovable, movedResourceIds, toCalendarEvents, toCalendarResources, visibleHours, type EventMeta, type ResourceMeta } from './calendar-events';
import { defaultFilters, filterCalendar } from './calendar-filters';
import { fromCalendarTime, toCalendarTime } from './calendar-time';
import { at, clinicDay, SH } from './calendar.fixtures';

const cal = (hhmm: string) => toCalendarTime(at(hhmm), SH);
const kind = (e: EventInput) => (e.extendedProps as EventMeta).kind;

function events(resourceView = true, colourMode: 'status' | 'service' | 'resource' = 'status') {
  const data = clinicDay();
  return toCalendarEvents(data, filterCalendar(data, defaultFilters()), { timeZone: SH, colourMode, resourceView });
}

describe('calendar events', () => {
  it('draws each booking in its resources’ columns at the site’s wall-clock time', () => {
    const b1 = events().find((e) => e.id === 'b1')!;
    expect(b1).toMatchObject({ resourceIds: ['dr', 'room'], start: cal('09:00'), end: cal('09:30'), title: '张三 · Consultation' });
    expect(new Date(b1.start as number).toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(fromCalendarTime(b1.start as number, SH)).toBe(at('09:00'));
  });

  it('lets a booking be dragged only while the customer has not arrived, and never resized', () => {
    const all = events();
    expect(all.find((e) => e.id === 'b1')).toMatchObject({ startEditable: true, resourceEditable: true, durationEditable: false });
    expect(all.find((e) => e.id === 'b3')).toMatchObject({ startEditable: false, resourceEditable: false });
    expect(isMovable({ status: 'pending', sessionId: null })).toBe(true);
    expect(isMovable({ status: 'confirmed', sessionId: 's1' })).toBe(false);
  });

  it('draws a class once, in its coach’s and room’s columns, with the seats left, and not its seats one by one', () => {
    const all = events();
    expect(all.some((e) => e.id === 'b4')).toBe(false);
    const yoga = all.find((e) => e.id === 'session:s1')!;
    expect(yoga).toMatchObject({ resourceIds: ['coach', 'room'], editable: false, title: 'Yoga' });
    expect(yoga.classNames).toContain('foyer-session-full');
    expect(yoga.extendedProps).toMatchObject({ kind: 'session', seatsLeft: 0 });
  });

  it('shades buffers, time off per column, the closed site and closures', () => {
    const bg = events().filter((e) => e.display === 'background');
    const buffer = bg.find((e) => kind(e) === 'buffer')!;
    expect(buffer).toMatchObject({ resourceIds: ['dr', 'room'], start: cal('09:30'), end: cal('09:45') });
    // Dr Wang is off 08:00–09:00 and 12:00–18:00 within the open hours; the room never is.
    const off = bg.filter((e) => kind(e) === 'off').map((e) => [e.resourceId, e.start, e.end]);
    expect(off).toEqual([
      ['dr', cal('08:00'), cal('09:00')],
      ['dr', cal('12:00'), cal('18:00')],
    ]);
    const closed = bg.filter((e) => kind(e) === 'closed').map((e) => [e.resourceId, e.start, e.end]);
    expect(closed).toEqual([
      [undefined, cal('00:00'), cal('08:00')],
      [undefined, cal('18:00'), toCalendarTime(at('00:00', '2026-11-24'), SH)],
    ]);
    expect(bg.find((e) => kind(e) === 'closure')).toMatchObject({ start: cal('14:00'), end: cal('15:00'), title: 'Power cut' });
  });

  it('leaves columns and shading out of the month grid', () => {
    const month = events(false);
    expect(month.every((e) => e.display !== 'background' && e.resourceIds === undefined)).toBe(true);
    expect(month.map((e) => e.id)).toEqual(['b1', 'b3', 'session:s1']);
  });

  it('colours by status by default and by the chosen mode otherwise', () => {
    expect(events().find((e) => e.id === 'b3')).toMatchObject({ borderColor: STATUS_COLOURS.arrived.border, classNames: ['foyer-booking', 'foyer-status-arrived'] });
    expect(events(true, 'resource').find((e) => e.id === 'b3')!.borderColor).toBe('#722ed1');
  });

  it('orders columns by department with the shared ones last, marking where each group starts', () => {
    const columns = toCalendarResources(clinicDay().resources);
    expect(columns.map((c) => c.id)).toEqual(['dr', 'coach', 'room']);
    const meta = columns.map((c) => c.extendedProps as ResourceMeta);
    expect(meta.map((m) => [m.departmentName, m.departmentStart, m.othersStart, m.order])).toEqual([
      ['Internal medicine', true, false, 0],
      ['Gym', true, false, 1],
      [null, true, true, 2],
    ]);
  });

  it('spans the grid from the first to the last working hour', () => {
    const data = clinicDay();
    expect(visibleHours(data, filterCalendar(data, defaultFilters()), SH)).toEqual({ slotMinTime: '08:00:00', slotMaxTime: '18:00:00', scrollTime: '08:00:00' });
    expect(visibleHours({ siteOpen: [] }, { resources: [], bookings: [], sessions: [] }, SH)).toEqual({ slotMinTime: '08:00:00', slotMaxTime: '20:00:00', scrollTime: '08:00:00' });
    const late = { ...data, resources: [], bookings: [], sessions: [], siteOpen: [{ start: at('07:30'), end: at('21:10') }] };
    expect(visibleHours(late, late, SH)).toMatchObject({ slotMinTime: '07:00:00', slotMaxTime: '22:00:00' });
  });

  it('computes shading for a resource without any working time as wholly off', () => {
    const data = clinicDay();
    const off = backgroundTime(data, [{ id: 'x', working: [] }], SH).filter((e) => kind(e) === 'off');
    expect(off.map((e) => [e.start, e.end])).toEqual([[cal('08:00'), cal('18:00')]]);
  });

  it('swaps the column a booking was dragged from for the one it landed on', () => {
    expect(movedResourceIds(['dr', 'room'], 'dr', 'dr2')).toEqual(['dr2', 'room']);
    expect(movedResourceIds(['dr', 'room'], undefined, undefined)).toEqual(['dr', 'room']);
    expect(movedResourceIds(['dr', 'room'], 'room', 'room')).toEqual(['dr', 'room']);
  });
});
