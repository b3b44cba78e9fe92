import { describe, expect, it } from 'vitest';
import { wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import { createI18n } from '../i18n/i18n';
import { alternativeLabel, changeKindText, conflictSummary, madeByText, namesFromEntry, type ConflictEntry } from './conflict-values';

const SH = 'Asia/Shanghai';
const nine = wallTimeToInstant('2026-11-24', 9 * 60, SH);
const MIN = 60_000;
const place = { language: 'en' as const, timeZone: SH };

const booking: Pick<ConflictEntry, 'name' | 'args' | 'booking'> = {
  name: 'booking.create',
  args: { serviceId: 's1', customerId: 'c1', start: nine, resourceIds: ['li', 'room-1'] },
  booking: { customerName: 'Ann', serviceId: 's1', serviceName: 'Consultation', siteId: 'site', start: nine, resourceNames: ['Dr. Li', 'Room 1'] },
};

describe('conflictSummary', () => {
  const en = createI18n('en').t;
  const zh = createI18n('zh-CN').t;

  it('says what a refused booking was: customer, service, time in the site’s zone, resources', () => {
    expect(conflictSummary(en, booking, place)).toBe('Booking: Ann · Consultation · Tue, Nov 24, 2026 09:00 · Dr. Li, Room 1');
    expect(conflictSummary(en, booking, { language: 'en', timeZone: 'Europe/Berlin' })).toContain('02:00');
    expect(conflictSummary(zh, { ...booking, name: 'booking.walkIn' }, { language: 'zh-CN', timeZone: SH })).toMatch(/^现场登记：Ann · Consultation · .*09:00 · Dr\. Li, Room 1$/);
  });

  it('fills in what the desk no longer knows', () => {
    const gone = { ...booking, booking: { ...booking.booking!, customerName: null, serviceName: null, start: null, resourceNames: [] } };
    expect(conflictSummary(en, gone, place)).toBe('Booking: the customer · a service');
  });

  it('names the customer of a customer change, and a change it has no word for by its name', () => {
    expect(conflictSummary(en, { name: 'customer.create', args: { name: 'Cai', phone: '+8613800000003' }, booking: null }, place)).toBe('New customer: Cai');
    expect(conflictSummary(en, { name: 'customer.update', args: { id: 'x', patch: { name: 'Cai Wen' } }, booking: null }, place)).toBe('Customer details: Cai Wen');
    expect(conflictSummary(en, { name: 'hold.place', args: {}, booking: null }, place)).toBe('Change “hold.place”');
    expect(changeKindText(en, 'booking.reschedule')).toBe('Moved booking');
  });
});

describe('madeByText', () => {
  const en = createI18n('en').t;
  it('says "you" for the one signed in, otherwise the end of the staff id', () => {
    expect(madeByText(en, 'staff-0001', 'staff-0001')).toBe('you');
    expect(madeByText(en, 'staff-7f3a', 'staff-0001')).toBe('staff member …7f3a');
    expect(madeByText(en, 'staff-7f3a', null)).toBe('staff member …7f3a');
  });
});

describe('alternativeLabel', () => {
  const en = createI18n('en').t;
  const zh = createI18n('zh-CN').t;
  const names = new Map([
    ['li', 'Dr. Li'],
    ['room-1', 'Room 1'],
  ]);
  const nameOf = (id: string) => names.get(id) ?? null;

  it('reads as the time with whom on the day asked for, with the date on another day', () => {
    expect(alternativeLabel(en, { start: nine + 30 * MIN, resourceIds: ['li'] }, nine, place, nameOf)).toBe('Book 09:30 with Dr. Li');
    expect(alternativeLabel(en, { start: nine + 24 * 60 * MIN, resourceIds: ['li', 'room-1'] }, nine, place, nameOf)).toBe('Book Wed, Nov 25, 2026 09:00 with Dr. Li, Room 1');
    expect(alternativeLabel(zh, { start: nine + 30 * MIN, resourceIds: ['li'] }, nine, { language: 'zh-CN', timeZone: SH }, nameOf)).toBe('预约 09:30，Dr. Li');
  });

  it('leaves out whom it cannot name', () => {
    expect(alternativeLabel(en, { start: nine + 30 * MIN, resourceIds: ['unknown'] }, nine, place, nameOf)).toBe('Book 09:30');
  });
});

describe('namesFromEntry', () => {
  it('pairs the ids asked for with the names the desk gave them, skipping ids it could not name', () => {
    expect([...namesFromEntry(booking)]).toEqual([
      ['li', 'Dr. Li'],
      ['room-1', 'Room 1'],
    ]);
    expect([...namesFromEntry({ ...booking, booking: { ...booking.booking!, resourceNames: ['li'] } })]).toEqual([]);
  });
});
