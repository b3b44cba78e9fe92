import { describe, expect, it } from 'vitest';
import { at } from './scheduling.fixtures';
import { waitlistCandidates, type OpenedSlot, type WaitlistEntryInfo } from './waitlist';

const SH = 'Asia/Shanghai';
// Monday 2026-03-02, 10:00–10:30 with Dr Wang.
const slot: OpenedSlot = { serviceId: 'consult', start: at('2026-03-02', '10:00', SH), end: at('2026-03-02', '10:30', SH), resourceIds: ['wang', 'room-1'], timeZone: SH };

let n = 0;
function entry(rest: Partial<WaitlistEntryInfo> = {}): WaitlistEntryInfo {
  n++;
  return {
    id: `e${n}`,
    customerId: `c${n}`,
    serviceId: 'consult',
    preferredWeekdays: [],
    preferredPartsOfDay: [],
    preferredResourceId: null,
    dateFrom: null,
    dateTo: null,
    urgent: false,
    status: 'waiting',
    offerExpiresAt: null,
    createdAt: n * 1000,
    ...rest,
  };
}

const ids = (xs: WaitlistEntryInfo[]) => xs.map((e) => e.id);

describe('waitlist candidates', () => {
  it('puts urgent entries first, then the oldest', () => {
    const old = entry({ id: 'old', createdAt: 1 });
    const newer = entry({ id: 'newer', createdAt: 5 });
    const urgent = entry({ id: 'urgent', createdAt: 9, urgent: true });
    expect(ids(waitlistCandidates(slot, [newer, urgent, old]))).toEqual(['urgent', 'old', 'newer']);
  });

  it('matches weekday, part of the day, date range and preferred resource in the site’s zone', () => {
    const fits = [
      entry({ id: 'monday', preferredWeekdays: [1, 3] }),
      entry({ id: 'morning', preferredPartsOfDay: ['morning'] }),
      entry({ id: 'in-range', dateFrom: '2026-03-01', dateTo: '2026-03-02' }),
      entry({ id: 'wang', preferredResourceId: 'wang' }),
    ];
    const misses = [
      entry({ id: 'tuesday', preferredWeekdays: [2] }),
      entry({ id: 'evening', preferredPartsOfDay: ['afternoon', 'evening'] }),
      entry({ id: 'later', dateFrom: '2026-03-03' }),
      entry({ id: 'earlier', dateTo: '2026-03-01' }),
      entry({ id: 'li', preferredResourceId: 'li' }),
      entry({ id: 'other-service', serviceId: 'massage' }),
    ];
    expect(ids(waitlistCandidates(slot, [...misses, ...fits]))).toEqual(['monday', 'morning', 'in-range', 'wang']);
  });

  it('skips booked, removed and currently offered entries, but takes back an offer that ran out', () => {
    const now = at('2026-03-01', '12:00', SH);
    const entries = [
      entry({ id: 'booked', status: 'booked' }),
      entry({ id: 'removed', status: 'removed' }),
      entry({ id: 'offered', status: 'offered', offerExpiresAt: now + 1 }),
      entry({ id: 'lapsed', status: 'offered', offerExpiresAt: now }),
    ];
    expect(ids(waitlistCandidates(slot, entries, { now }))).toEqual(['lapsed']);
    expect(ids(waitlistCandidates(slot, entries))).toEqual([]);
  });

  it('does not offer a customer the slot they just gave up', () => {
    const mine = entry({ customerId: 'me' });
    expect(waitlistCandidates(slot, [mine], { excludeCustomerId: 'me' })).toEqual([]);
  });
});
