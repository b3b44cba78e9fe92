import { describe, expect, it } from 'vitest';
import { busyIntervals, siteOpenIntervals, workingIntervals } from './schedule';
import { at, dayRanges, EVERY_DAY, pattern, resource, site, weekly, WEEKDAYS } from './scheduling.fixtures';

const SH = 'Asia/Shanghai';
const clinic = site(SH, { openingHours: weekly(WEEKDAYS, '09:00-18:00') });
const doctor = (rest: Parameters<typeof resource>[2] = {}) =>
  resource('dr-wang', 'practitioner', { schedules: [pattern(weekly(WEEKDAYS, '08:00-12:00', '13:00-20:00'))], ...rest });

/** Working intervals as local "date HH:MM-HH:MM" strings (Shanghai). */
function local(intervals: { start: number; end: number }[], tz = SH): string[] {
  const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' });
  return intervals.map((i) => `${fmt.format(i.start)}-${fmt.format(i.end).slice(11)}`);
}

describe('working intervals', () => {
  it('are the resource hours inside the site hours, per day in the site zone', () => {
    expect(local(workingIntervals(doctor(), clinic, '2026-03-06', '2026-03-09'))).toEqual([
      '2026-03-06 09:00-12:00',
      '2026-03-06 13:00-18:00',
      '2026-03-09 09:00-12:00',
      '2026-03-09 13:00-18:00',
    ]);
  });

  it('close on a public holiday that falls on a weekday', () => {
    const s = { ...clinic, holidays: [{ date: '2026-02-16', name: '春节' }] };
    expect(workingIntervals(doctor(), s, '2026-02-16', '2026-02-16')).toEqual([]);
    expect(siteOpenIntervals(s, '2026-02-16', '2026-02-16')).toEqual([]);
  });

  it('open on a 调休 Saturday with the hours of the weekday it works like, for site and resource', () => {
    const mondayOnly = resource('dr-li', 'practitioner', { schedules: [pattern(weekly([1], '10:00-12:00'))] });
    expect(workingIntervals(mondayOnly, clinic, '2026-02-14', '2026-02-14')).toEqual([]);
    const s = { ...clinic, workdayOverrides: [{ date: '2026-02-14', worksLike: 1 as const }] };
    expect(local(workingIntervals(mondayOnly, s, '2026-02-14', '2026-02-14'))).toEqual(['2026-02-14 10:00-12:00']);
    expect(local(siteOpenIntervals(s, '2026-02-14', '2026-02-15'))).toEqual(['2026-02-14 09:00-18:00']);
  });

  it('close for a closure date range, both ends included', () => {
    const s = { ...clinic, closures: [{ from: '2026-03-03', to: '2026-03-04', reason: 'renovation' }] };
    expect(local(siteOpenIntervals(s, '2026-03-02', '2026-03-05'))).toEqual(['2026-03-02 09:00-18:00', '2026-03-05 09:00-18:00']);
  });

  it('follow a site date override, which wins over a holiday', () => {
    const s = {
      ...clinic,
      holidays: [{ date: '2026-02-17', name: '春节' }],
      dateOverrides: [{ date: '2026-02-17', ranges: dayRanges('10:00-14:00') }, { date: '2026-03-02', ranges: [] }],
    };
    expect(local(siteOpenIntervals(s, '2026-02-17', '2026-02-17'))).toEqual(['2026-02-17 10:00-14:00']);
    expect(siteOpenIntervals(s, '2026-03-02', '2026-03-02')).toEqual([]);
  });

  it('follow a resource date override: a day off, or other hours still inside the site hours', () => {
    const r = doctor({ dateOverrides: [{ date: '2026-03-02', ranges: [] }, { date: '2026-03-03', ranges: dayRanges('07:00-10:00', '17:00-21:00') }] });
    expect(local(workingIntervals(r, clinic, '2026-03-02', '2026-03-03'))).toEqual(['2026-03-03 09:00-10:00', '2026-03-03 17:00-18:00']);
  });

  it('switch patterns on their effective dates', () => {
    const r = resource('dr-wang', 'practitioner', {
      schedules: [
        pattern(weekly(WEEKDAYS, '09:00-12:00'), { effectiveTo: '2026-03-06' }),
        pattern(weekly(WEEKDAYS, '14:00-18:00'), { effectiveFrom: '2026-03-09' }),
      ],
    });
    expect(local(workingIntervals(r, clinic, '2026-03-06', '2026-03-09'))).toEqual(['2026-03-06 09:00-12:00', '2026-03-09 14:00-18:00']);
  });

  it('apply an every-other-week pattern in the anchor week and every second week before and after', () => {
    const r = resource('dr-wang', 'practitioner', {
      schedules: [pattern(weekly([3], '09:00-12:00'), { alternateWeeksFrom: '2026-03-05' })],
    });
    const wednesdays = ['2026-02-18', '2026-02-25', '2026-03-04', '2026-03-11', '2026-03-18'];
    const s = { ...clinic, openingHours: weekly(EVERY_DAY, '09:00-18:00') };
    expect(wednesdays.map((d) => workingIntervals(r, s, d, d).length)).toEqual([1, 0, 1, 0, 1]);
  });

  it('combine week A and week B patterns', () => {
    const r = resource('dr-wang', 'practitioner', {
      schedules: [
        pattern(weekly([1], '09:00-12:00'), { alternateWeeksFrom: '2026-03-02' }),
        pattern(weekly([1], '13:00-17:00'), { alternateWeeksFrom: '2026-03-09' }),
      ],
    });
    expect(local(workingIntervals(r, clinic, '2026-03-02', '2026-03-09'))).toEqual(['2026-03-02 09:00-12:00', '2026-03-09 13:00-17:00']);
  });

  it('leave out leave', () => {
    const r = doctor({ leave: [{ start: at('2026-03-02', '10:00', SH), end: at('2026-03-02', '14:30', SH) }] });
    expect(local(workingIntervals(r, clinic, '2026-03-02', '2026-03-02'))).toEqual(['2026-03-02 09:00-10:00', '2026-03-02 14:30-18:00']);
  });

  it('run through midnight as one interval at a 24-hour site', () => {
    const gym = site(SH);
    const coach = resource('coach', 'coach');
    expect(workingIntervals(coach, gym, '2026-03-02', '2026-03-04')).toEqual([
      { start: at('2026-03-02', '00:00', SH), end: at('2026-03-05', '00:00', SH) },
    ]);
  });

  it('cover exactly the existing wall times on DST days (Berlin)', () => {
    const tz = 'Europe/Berlin';
    const s = site(tz, { openingHours: weekly(EVERY_DAY, '01:00-04:00') });
    const r = resource('r', 'room');
    // Spring forward: 01:00–02:00 CET and 03:00–04:00 CEST, two real hours, one interval.
    expect(workingIntervals(r, s, '2026-03-29', '2026-03-29')).toEqual([
      { start: Date.parse('2026-03-29T00:00:00Z'), end: Date.parse('2026-03-29T02:00:00Z') },
    ]);
    // Fall back: 01:00 CEST to 04:00 CET is four real hours (02:00–03:00 happens twice).
    expect(workingIntervals(r, s, '2026-10-25', '2026-10-25')).toEqual([
      { start: Date.parse('2026-10-24T23:00:00Z'), end: Date.parse('2026-10-25T03:00:00Z') },
    ]);
    // A range ending in the repeated hour ends at its first pass.
    const early = site(tz, { openingHours: weekly(EVERY_DAY, '01:00-02:30') });
    expect(workingIntervals(r, early, '2026-10-25', '2026-10-25')).toEqual([
      { start: Date.parse('2026-10-24T23:00:00Z'), end: Date.parse('2026-10-25T00:30:00Z') },
    ]);
  });
});

describe('busy time', () => {
  const t = (hhmm: string) => at('2026-03-02', hhmm, SH);
  const booking = { resourceIds: ['dr-wang', 'room-1'], start: t('10:00'), end: t('11:00'), bufferBeforeMinutes: 5, bufferAfterMinutes: 15 };

  it('blocks active bookings with their buffers, not cancelled or no-show ones', () => {
    for (const status of ['pending', 'confirmed', 'arrived', 'inService', 'completed'] as const) {
      expect(busyIntervals('dr-wang', { bookings: [{ ...booking, status }], now: 0 })).toEqual([{ start: t('09:55'), end: t('11:15') }]);
    }
    for (const status of ['cancelled', 'noShow'] as const) {
      expect(busyIntervals('dr-wang', { bookings: [{ ...booking, status }], now: 0 })).toEqual([]);
    }
  });

  it('blocks holds until they expire, and scheduled group sessions', () => {
    const hold = { resourceId: 'dr-wang', start: t('12:00'), end: t('12:30'), expiresAt: t('09:10') };
    expect(busyIntervals('dr-wang', { bookings: [], holds: [hold], now: t('09:09') })).toEqual([{ start: t('12:00'), end: t('12:30') }]);
    expect(busyIntervals('dr-wang', { bookings: [], holds: [hold], now: t('09:10') })).toEqual([]);
    const session = { id: 's', resourceIds: ['dr-wang'], start: t('15:00'), end: t('16:00'), capacity: 8 };
    expect(busyIntervals('dr-wang', { bookings: [], sessions: [{ ...session, status: 'scheduled' }], now: 0 })).toHaveLength(1);
    expect(busyIntervals('dr-wang', { bookings: [], sessions: [{ ...session, status: 'cancelled' }], now: 0 })).toEqual([]);
  });

  it('merges overlapping and touching blocks', () => {
    const bookings = [
      { resourceIds: ['dr-wang'], start: t('11:00'), end: t('12:00'), status: 'confirmed' as const },
      { resourceIds: ['dr-wang'], start: t('09:00'), end: t('10:00'), status: 'confirmed' as const },
      { resourceIds: ['dr-wang'], start: t('10:00'), end: t('10:30'), status: 'confirmed' as const },
    ];
    expect(busyIntervals('dr-wang', { bookings, now: 0 })).toEqual([
      { start: t('09:00'), end: t('10:30') },
      { start: t('11:00'), end: t('12:00') },
    ]);
  });
});
