import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BOOKING_TRANSITIONS, canTransition, isActiveStatus, isLateCancellation, isNoShowDue } from './booking-state';
import { BOOKING_STATUSES, type BookingStatus } from './schedule';
import { HOUR_MS, MINUTE_MS } from './zoned-time';

describe('booking state machine', () => {
  it('walks the happy path pending → confirmed → arrived → inService → completed', () => {
    const path: BookingStatus[] = ['pending', 'confirmed', 'arrived', 'inService', 'completed'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it.each([
    ['pending', 'completed'],
    ['confirmed', 'inService'],
    ['confirmed', 'completed'],
    ['arrived', 'noShow'],
    ['inService', 'cancelled'],
    ['completed', 'cancelled'],
    ['cancelled', 'confirmed'],
    ['noShow', 'arrived'],
    ['confirmed', 'pending'],
  ] as const)('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('lets an unconfirmed booking check in, and a checked-in customer leave or finish without a service step', () => {
    expect(canTransition('pending', 'arrived')).toBe(true);
    expect(canTransition('arrived', 'cancelled')).toBe(true);
    expect(canTransition('arrived', 'completed')).toBe(true);
  });

  it('has final states with no way out, reached from pending by every random walk', () => {
    const finals = BOOKING_STATUSES.filter((s) => BOOKING_TRANSITIONS[s].length === 0);
    expect(finals.sort()).toEqual(['cancelled', 'completed', 'noShow']);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), (choices) => {
        let s: BookingStatus = 'pending';
        const seen = new Set<BookingStatus>([s]);
        for (const c of choices) {
          const next: readonly BookingStatus[] = BOOKING_TRANSITIONS[s];
          if (next.length === 0) break;
          s = next[c % next.length]!;
          // No cycles: a status is never visited twice.
          expect(seen.has(s)).toBe(false);
          seen.add(s);
        }
        expect(BOOKING_TRANSITIONS[s]).toEqual([]);
      }),
    );
  });

  it('frees the resources on cancellation and no-show only', () => {
    expect(BOOKING_STATUSES.filter((s) => !isActiveStatus(s)).sort()).toEqual(['cancelled', 'noShow']);
  });
});

describe('late cancellation', () => {
  const start = 100 * HOUR_MS;
  it('is late when the customer cancels inside the window, or after the start', () => {
    expect(isLateCancellation(start, start - 23 * HOUR_MS, 24, 'customer')).toBe(true);
    expect(isLateCancellation(start, start + HOUR_MS, 24, 'customer')).toBe(true);
    expect(isLateCancellation(start, start - 24 * HOUR_MS, 24, 'customer')).toBe(false);
  });

  it('is never late when the staff cancel, or when the window is zero', () => {
    expect(isLateCancellation(start, start - HOUR_MS, 24, 'staff')).toBe(false);
    expect(isLateCancellation(start, start - 1, 0, 'customer')).toBe(false);
  });
});

describe('no-show due', () => {
  const start = 10 * HOUR_MS;
  it('is due once start + grace has passed without arrival', () => {
    expect(isNoShowDue('confirmed', start, start + 14 * MINUTE_MS, 15)).toBe(false);
    expect(isNoShowDue('confirmed', start, start + 15 * MINUTE_MS, 15)).toBe(true);
    expect(isNoShowDue('pending', start, start + HOUR_MS, 15)).toBe(true);
  });

  it('is never due for a customer who arrived or a booking already ended', () => {
    for (const s of ['arrived', 'inService', 'completed', 'cancelled', 'noShow'] as const) expect(isNoShowDue(s, start, start + HOUR_MS, 15)).toBe(false);
  });
});
