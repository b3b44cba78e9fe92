import { describe, expect, it } from 'vitest';
import { appointmentServices, completeResources, guessService, timeOptions } from './booking-form-values';
import { at, booking, clinicDay } from './calendar.fixtures';
import type { CatalogService } from './types';

function service(over: Partial<CatalogService> & Pick<CatalogService, 'id'>): CatalogService {
  return {
    name: over.id,
    category: '',
    departmentId: null,
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    priceMinor: 0,
    currency: 'CNY',
    seats: 1,
    resourceKinds: ['practitioner', 'room'],
    minNoticeMinutes: 0,
    maxAdvanceDays: 90,
    colour: null,
    active: true,
    ...over,
  };
}

describe('booking form values', () => {
  it('offers start times on the site’s grid', () => {
    const quarter = timeOptions(15);
    expect(quarter).toHaveLength(96);
    expect(quarter[37]).toEqual({ value: 555, label: '09:15' });
    expect(timeOptions(60).map((o) => o.label).slice(0, 3)).toEqual(['00:00', '01:00', '02:00']);
  });

  it('books appointments only for active one-to-one services (classes are booked into a session)', () => {
    const all = [service({ id: 'a' }), service({ id: 'yoga', seats: 12, resourceKinds: ['coach'] }), service({ id: 'old', active: false })];
    expect(appointmentServices(all).map((s) => s.id)).toEqual(['a']);
  });

  it('guesses the service from the column’s kind and the dragged length, only when it is clear', () => {
    const all = [service({ id: 'short', durationMinutes: 15 }), service({ id: 'long', durationMinutes: 60 }), service({ id: 'pt', resourceKinds: ['coach'] })];
    expect(guessService(all, 'practitioner', 60)?.id).toBe('long');
    expect(guessService(all, 'practitioner', 30)).toBeNull();
    expect(guessService(all, 'coach', 45)?.id).toBe('pt');
  });

  it('keeps the chosen doctor and fills in a free room, or lets the desk pick when nothing was chosen', () => {
    const day = clinicDay();
    const span = { start: at('10:00'), end: at('10:30'), bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
    expect(completeResources(['practitioner', 'room'], [null, null], span, day)).toBeUndefined();
    expect(completeResources(['practitioner', 'room'], ['dr', 'room'], span, day)).toEqual(['dr', 'room']);
    expect(completeResources(['practitioner', 'room'], ['dr', null], span, day)).toEqual(['dr', 'room']);
  });

  it('skips a room that is taken then (buffers included), and names a busy one when none is free', () => {
    const day = clinicDay();
    day.resources.push({ ...day.resources[2]!, id: 'room2', name: 'Room 2' });
    // b1 holds Room 1 09:00–09:30 plus 15 minutes of buffer.
    const span = { start: at('09:30'), end: at('10:00'), bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
    expect(completeResources(['practitioner', 'room'], ['dr', null], span, day)).toEqual(['dr', 'room2']);
    day.bookings.push(booking({ id: 'b9', start: at('09:30'), end: at('10:00'), resourceIds: ['room2'] }));
    expect(completeResources(['practitioner', 'room'], ['dr', null], span, day)).toEqual(['dr', 'room']);
  });
});
