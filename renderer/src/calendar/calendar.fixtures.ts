/**
 * A calendar window for the calendar's unit tests: one Monday at a Shanghai clinic with a gym
 * corner. Dr Wang (Internal medicine) works 09:00–12:00, Room 1 (no department) whenever the
 * site is open (08:00–18:00), Coach Li (Gym) all day; a closure 14:00–15:00; four bookings and a
 * full yoga class. Used by the *.test.ts files next to this one only.
 */
import { wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import type { CalendarBooking, CalendarData } from './types';

export const SH = 'Asia/Shanghai';
export const MON = '2026-11-23';

/** The instant of "HH:MM" on MON in Shanghai. */
export function at(hhmm: string, date = MON): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return wallTimeToInstant(date, h * 60 + m, SH);
}

export function booking(over: Partial<CalendarBooking> & Pick<CalendarBooking, 'id' | 'start' | 'end'>): CalendarBooking {
  return {
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    status: 'confirmed',
    source: 'desk',
    serviceId: 'consult',
    serviceName: 'Consultation',
    serviceColour: null,
    customerId: 'ann',
    customerName: '张三',
    customerPhone: '+8613800138000',
    resourceIds: ['dr', 'room'],
    sessionId: null,
    seriesId: null,
    seats: 1,
    notes: '',
    lateCancel: false,
    cancelReason: null,
    version: 1,
    ...over,
  };
}

export function clinicDay(): CalendarData {
  return {
    siteId: 'site',
    timeZone: SH,
    granularityMinutes: 15,
    start: at('00:00'),
    end: at('00:00', '2026-11-24'),
    resources: [
      { id: 'dr', name: 'Dr Wang', kind: 'practitioner', colour: '#722ed1', departmentId: 'd1', departmentName: 'Internal medicine', capacity: null, working: [{ start: at('09:00'), end: at('12:00') }] },
      { id: 'coach', name: 'Coach Li', kind: 'coach', colour: null, departmentId: 'd2', departmentName: 'Gym', capacity: null, working: [{ start: at('08:00'), end: at('18:00') }] },
      { id: 'room', name: 'Room 1', kind: 'room', colour: null, departmentId: null, departmentName: null, capacity: 12, working: [{ start: at('08:00'), end: at('18:00') }] },
    ],
    bookings: [
      booking({ id: 'b1', start: at('09:00'), end: at('09:30'), bufferAfterMinutes: 15 }),
      booking({ id: 'b2', start: at('10:00'), end: at('10:30'), status: 'cancelled', cancelReason: 'ill' }),
      booking({ id: 'b3', start: at('11:00'), end: at('11:30'), status: 'arrived', resourceIds: ['dr'], serviceId: 'checkup', serviceName: 'Check-up' }),
      booking({ id: 'b4', start: at('16:00'), end: at('17:00'), resourceIds: [], sessionId: 's1', serviceId: 'yoga', serviceName: 'Yoga' }),
    ],
    sessions: [
      { id: 's1', serviceId: 'yoga', serviceName: 'Yoga', serviceColour: '#13a8a8', start: at('16:00'), end: at('17:00'), coachId: 'coach', roomId: 'room', capacity: 10, taken: 10, status: 'scheduled' },
    ],
    siteOpen: [{ start: at('08:00'), end: at('18:00') }],
    closures: [{ id: 'c1', start: at('14:00'), end: at('15:00'), reason: 'Power cut' }],
  };
}
