import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import type { CalendarSession } from '../calendar/types';
import type { WaitlistEntry } from './types';
import {
  addArgsOf,
  bookOfferArgsOf,
  canOffer,
  countdown,
  emptyWaitlistValues,
  entryState,
  fieldOfIssue,
  findSlotsInputOf,
  freedSlotOf,
  holdsSlot,
  patchOf,
  sessionsForEntry,
  slotsForEntry,
  statusesOf,
  waitlistOutcomeOf,
  waitlistValuesOf,
  weekdayName,
} from './waitlist-values';

const SH = 'Asia/Shanghai';
const SITE = 'site-1';
/** 2026-11-23 is a Monday. */
const at = (date: string, hhmm: string) => wallTimeToInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), SH);

/** An entry as the host lists it: waiting for any time, no offer. */
const BASE: WaitlistEntry = {
  id: 'e1', customerId: 'c1', serviceId: 's1', preferredWeekdays: [], preferredPartsOfDay: [], preferredResourceId: null, dateFrom: null, dateTo: null,
  urgent: false, status: 'waiting', offerExpiresAt: null, createdAt: 1, updatedAt: 1, offer: null, bookingId: null, notes: '',
  customerName: '王芳', customerPhone: '+8613700001234', serviceName: 'Consult',
};
const entry = (over: Partial<WaitlistEntry> = {}): WaitlistEntry => ({ ...BASE, ...over });

describe('the entry form', () => {
  it('turns the form into waitlist.add arguments in a stable order, notes trimmed', () => {
    const v = {
      ...emptyWaitlistValues(),
      customer: { id: 'c1', name: '王芳', phone: '+8613700001234' },
      serviceId: 's1',
      weekdays: [5, 1, 3] as (1 | 3 | 5)[],
      parts: ['evening' as const, 'morning' as const],
      resourceId: 'r1',
      dateFrom: dayjs('2026-11-23'),
      dateTo: dayjs('2026-12-31'),
      urgent: true,
      notes: '  after school  ',
    };
    expect(addArgsOf(v)).toEqual({
      customerId: 'c1',
      serviceId: 's1',
      preferredWeekdays: [1, 3, 5],
      preferredPartsOfDay: ['morning', 'evening'],
      preferredResourceId: 'r1',
      dateFrom: '2026-11-23',
      dateTo: '2026-12-31',
      urgent: true,
      notes: 'after school',
    });
    expect(addArgsOf({ ...v, customer: null })).toBeNull();
    expect(addArgsOf({ ...v, serviceId: undefined })).toBeNull();
  });

  it('sends only what an edit changed', () => {
    const e = entry({ preferredWeekdays: [2, 4], preferredPartsOfDay: ['afternoon'], dateFrom: '2026-11-23', notes: 'x' });
    const same = waitlistValuesOf(e);
    expect(patchOf(e, same)).toEqual({});
    expect(patchOf(e, { ...same, weekdays: [4, 2] })).toEqual({});
    expect(patchOf(e, { ...same, weekdays: [2], urgent: true, dateFrom: null, dateTo: dayjs('2026-12-01'), resourceId: 'r2' })).toEqual({
      preferredWeekdays: [2],
      urgent: true,
      dateFrom: null,
      dateTo: '2026-12-01',
      preferredResourceId: 'r2',
    });
  });

  it('places a refusal’s issues at the fields, an update’s under patch too', () => {
    expect(fieldOfIssue({ path: ['dateTo'], key: 'errors.schedule.dateRangeOrder' })).toBe('dateTo');
    expect(fieldOfIssue({ path: ['patch', 'dateTo'], key: 'errors.schedule.dateRangeOrder' })).toBe('dateTo');
    expect(fieldOfIssue({ path: ['customerId'], key: 'errors.id.invalid' })).toBe('customer');
    expect(fieldOfIssue({ path: ['preferredWeekdays', 1], key: 'errors.waitlist.weekdays' })).toBe('weekdays');
    expect(fieldOfIssue({ path: ['id'], key: 'errors.id.invalid' })).toBeNull();
  });
});

describe('an entry on screen', () => {
  it('reads an offer whose hold ran out as lapsed, which can be offered again', () => {
    const offered = entry({ status: 'offered', offerExpiresAt: 1_000 });
    expect(entryState(offered, 999)).toBe('offered');
    expect(canOffer(offered, 999)).toBe(false);
    expect(entryState(offered, 1_000)).toBe('lapsed');
    expect(canOffer(offered, 1_000)).toBe(true);
    expect(entryState(entry({ status: 'booked' }), 0)).toBe('booked');
    expect(canOffer(entry({ status: 'removed' }), 0)).toBe(false);
    expect(canOffer(entry(), 0)).toBe(true);
  });

  it('counts an offer down in minutes and seconds, hours when long', () => {
    expect(countdown(14 * 60_000 + 5_000)).toBe('14:05');
    expect(countdown(999)).toBe('0:01');
    expect(countdown(-5)).toBe('0:00');
    expect(countdown(3_600_000 + 2 * 60_000 + 3_000)).toBe('1:02:03');
  });

  it('filters by status', () => {
    expect(statusesOf('open')).toEqual(['waiting', 'offered']);
    expect(statusesOf('booked')).toEqual(['booked']);
    expect(statusesOf('all')).toHaveLength(4);
  });

  it('names weekdays in the reader’s language', () => {
    expect(weekdayName(1, 'en')).toBe('Mon');
    expect(weekdayName(7, 'en')).toBe('Sun');
    expect(weekdayName(3, 'zh-CN')).toBe('周三');
  });
});

describe('finding a slot for an entry', () => {
  it('searches from today or the entry’s first date to its last, with its resource and only part', () => {
    expect(findSlotsInputOf(entry(), SITE, '2026-11-23')).toEqual({ siteId: SITE, serviceId: 's1', from: '2026-11-23', days: 28, limit: 50 });
    expect(findSlotsInputOf(entry({ dateFrom: '2026-11-01', dateTo: '2026-11-25', preferredResourceId: 'r1', preferredPartsOfDay: ['evening'] }), SITE, '2026-11-23')).toEqual({
      siteId: SITE,
      serviceId: 's1',
      from: '2026-11-23',
      days: 3,
      limit: 50,
      resourceId: 'r1',
      partOfDay: 'evening',
    });
    expect(findSlotsInputOf(entry({ dateFrom: '2026-12-01', dateTo: '2027-06-01', preferredPartsOfDay: ['morning', 'evening'] }), SITE, '2026-11-23')).toMatchObject({ from: '2026-12-01', days: 42 });
    expect(findSlotsInputOf(entry({ dateTo: '2026-11-22' }), SITE, '2026-11-23')).toBeNull();
  });

  it('keeps the slots core would offer the entry: its weekdays and parts of the day', () => {
    const slot = (date: string, hhmm: string) => ({ start: at(date, hhmm), end: at(date, hhmm) + 30 * 60_000, resourceIds: ['r1', 'room'] });
    const slots = [slot('2026-11-23', '09:00'), slot('2026-11-23', '14:00'), slot('2026-11-24', '14:00'), slot('2026-11-25', '14:30'), slot('2026-11-25', '15:00')];
    const e = entry({ preferredWeekdays: [1, 3], preferredPartsOfDay: ['afternoon'] });
    expect(slotsForEntry(slots, e, SH, 10).map((s) => s.start)).toEqual([at('2026-11-23', '14:00'), at('2026-11-25', '14:30'), at('2026-11-25', '15:00')]);
    expect(slotsForEntry(slots, e, SH, 1)).toHaveLength(1);
    // An offered entry is searched for as if waiting (to offer it another slot once this one lapses).
    expect(slotsForEntry(slots, { ...e, status: 'offered', offerExpiresAt: 0 }, SH, 10)).toHaveLength(3);
  });

  it('keeps a class’s coming sessions with a free seat that suit the entry, earliest first', () => {
    const session = (id: string, date: string, hhmm: string, over: Partial<CalendarSession> = {}): CalendarSession => ({
      id,
      serviceId: 's1',
      serviceName: 'Yoga',
      serviceColour: null,
      start: at(date, hhmm),
      end: at(date, hhmm) + 3_600_000,
      coachId: 'coach',
      roomId: 'studio',
      capacity: 10,
      taken: 3,
      status: 'scheduled',
      ...over,
    });
    const sessions = [
      session('late', '2026-11-25', '19:00'),
      session('full', '2026-11-24', '19:00', { taken: 10 }),
      session('other', '2026-11-24', '19:00', { serviceId: 's2' }),
      session('morning', '2026-11-24', '09:00'),
      session('early', '2026-11-23', '19:00'),
      session('past', '2026-11-22', '19:00'),
      session('cancelled', '2026-11-26', '19:00', { status: 'cancelled' }),
    ];
    const e = entry({ preferredPartsOfDay: ['evening'], preferredResourceId: 'coach' });
    expect(sessionsForEntry(sessions, e, SH, at('2026-11-23', '08:00'), 5).map((s) => s.id)).toEqual(['early', 'late']);
  });
});

describe('offers and bookings', () => {
  it('books an offer through its hold, at its time and resources or in its session', () => {
    const offer = { holdId: 'h1', start: 10, end: 20, resourceIds: ['r1', 'room'], sessionId: null, expiresAt: 99 };
    expect(bookOfferArgsOf(entry({ status: 'offered', offer }))).toEqual({ serviceId: 's1', customerId: 'c1', holdId: 'h1', start: 10, resourceIds: ['r1', 'room'] });
    expect(bookOfferArgsOf(entry({ status: 'offered', offer: { ...offer, resourceIds: [], sessionId: 'x1' } }))).toEqual({ serviceId: 's1', customerId: 'c1', holdId: 'h1', sessionId: 'x1' });
    expect(bookOfferArgsOf(entry())).toBeNull();
    expect(bookOfferArgsOf(entry({ status: 'offered' }))).toBeNull();
  });

  it('offers the slot a booking freed: its session, or its resources and time', () => {
    expect(freedSlotOf({ start: 1, end: 2, resourceIds: ['a', 'b'], sessionId: null })).toEqual({ target: { resourceIds: ['a', 'b'], start: 1, end: 2 }, start: 1, end: 2 });
    expect(freedSlotOf({ start: 1, end: 2, resourceIds: ['coach'], sessionId: 'x' })).toEqual({ target: { sessionId: 'x' }, start: 1, end: 2 });
  });

  it('knows when an entry’s open offer holds an appointment slot, so nobody else is offered it; a class seat leaves the others', () => {
    const slot = freedSlotOf({ start: 10, end: 20, resourceIds: ['r1', 'room'], sessionId: null });
    const offer = { holdId: 'h1', start: 10, end: 20, resourceIds: ['room', 'r1'], sessionId: null, expiresAt: 99 };
    expect(holdsSlot(entry({ status: 'offered', offerExpiresAt: 99, offer }), slot, 50)).toBe(true);
    expect(holdsSlot(entry({ status: 'offered', offerExpiresAt: 99, offer }), slot, 99)).toBe(false);
    expect(holdsSlot(entry({ status: 'offered', offerExpiresAt: 99, offer: { ...offer, start: 20 } }), slot, 50)).toBe(false);
    const seat = freedSlotOf({ start: 10, end: 20, resourceIds: ['coach'], sessionId: 'x1' });
    expect(holdsSlot(entry({ status: 'offered', offerExpiresAt: 99, offer: { ...offer, resourceIds: [], sessionId: 'x1' } }), seat, 50)).toBe(false);
  });

  it('reads the waitlist outcome of a cancellation, and nothing from an answer without one', () => {
    const candidates = [{ entryId: 'e1', customerId: 'c1', urgent: true, createdAt: 5 }];
    const offered = { entryId: 'e1', customerId: 'c1', holdId: 'h1', expiresAt: 9 };
    expect(waitlistOutcomeOf({ lateCancel: false, waitlist: { candidates, offered } })).toEqual({ candidates, offered });
    expect(waitlistOutcomeOf({ waitlist: { candidates, offered: null } })).toEqual({ candidates, offered: null });
    expect(waitlistOutcomeOf({ waitlist: { candidates: [], offered: null } })).toBeNull();
    expect(waitlistOutcomeOf({ waitlist: null })).toBeNull();
    expect(waitlistOutcomeOf('nope')).toBeNull();
    expect(waitlistOutcomeOf({ waitlist: { candidates: [{ entryId: 1 }, ...candidates], offered: 'x' } })).toEqual({ candidates, offered: null });
  });
});
