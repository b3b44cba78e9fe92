import { describe, expect, it } from 'vitest';
import { freeSlots, nextFreeSlots, sessionAvailability, type FreeSlotsArgs } from './availability';
import type { BusyBooking, GroupSession } from './schedule';
import { at, dayRanges, EVERY_DAY, pattern, resource, service, site, weekly, WEEKDAYS } from './scheduling.fixtures';
import { instantToWall } from './zoned-time';

const SH = 'Asia/Shanghai';
const MONDAY = '2026-03-02';
const clinic = site(SH, { openingHours: weekly(WEEKDAYS, '09:00-12:00'), granularityMinutes: 15 });
const wang = resource('wang', 'practitioner');
const li = resource('li', 'practitioner');
const room1 = resource('room-1', 'room');
const room2 = resource('room-2', 'room');

function args(rest: Partial<FreeSlotsArgs> = {}): FreeSlotsArgs {
  return {
    site: clinic,
    service: service({ durationMinutes: 60 }),
    resources: [wang],
    bookings: [],
    holds: [],
    now: at('2026-03-01', '00:00', SH),
    from: MONDAY,
    to: MONDAY,
    ...rest,
  };
}

/** Slot starts as local "HH:MM" (or "date HH:MM" across days) in the site zone. */
function times(a: FreeSlotsArgs, withDate = false): string[] {
  return freeSlots(a).slots.map((s) => label(s.start, a.site.timeZone, withDate));
}

function label(t: number, tz: string, withDate = false): string {
  const w = instantToWall(t, tz);
  const hhmm = `${String(Math.floor(w.minutes / 60)).padStart(2, '0')}:${String(w.minutes % 60).padStart(2, '0')}`;
  return withDate ? `${w.date} ${hhmm}` : hhmm;
}

const booked = (ids: string[], from: string, to: string, rest: Partial<BusyBooking> = {}): BusyBooking => ({
  resourceIds: ids,
  start: at(MONDAY, from, SH),
  end: at(MONDAY, to, SH),
  status: 'confirmed',
  ...rest,
});

describe('free slots: the grid and working time', () => {
  it('offers every grid start whose whole service fits in working time', () => {
    expect(times(args())).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00']);
    expect(freeSlots(args()).slots[0]).toEqual({
      start: at(MONDAY, '09:00', SH),
      end: at(MONDAY, '10:00', SH),
      resourceIds: ['wang'],
    });
  });

  it('keeps starts on the local grid even when working time starts off the grid', () => {
    const r = resource('wang', 'practitioner', { dateOverrides: [{ date: MONDAY, ranges: dayRanges('09:10-11:20') }] });
    expect(times(args({ resources: [r], site: { ...clinic, granularityMinutes: 30 } }))).toEqual(['09:30', '10:00']);
  });

  it('needs the buffers inside working time too', () => {
    const s = service({ durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 30 });
    // 09:00–12:00: the first start leaves 15 minutes before it, the last leaves 60 + 30 after it.
    expect(times(args({ service: s }))).toEqual(['09:15', '09:30', '09:45', '10:00', '10:15', '10:30']);
  });
});

describe('free slots: bookings and holds', () => {
  it('keeps the new buffered slot clear of bookings and their own buffers', () => {
    const s = service({ durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 0 });
    // Booked 10:00–10:30 with a 15-minute clean-up: blocked until 10:45, so with 10 minutes of
    // preparation the next start is 10:55, i.e. 11:00 on the grid; before it, the slot must end
    // by 10:00 minus the booking's 5-minute preparation.
    const b = booked(['wang'], '10:00', '10:30', { bufferBeforeMinutes: 5, bufferAfterMinutes: 15 });
    expect(times(args({ service: s, bookings: [b] }))).toEqual(['09:15', '11:00', '11:15', '11:30']);
  });

  it('ignores cancelled and no-show bookings, blocks pending ones', () => {
    const s = service({ durationMinutes: 60 });
    const at10 = (status: BusyBooking['status']) => booked(['wang'], '10:00', '11:00', { status });
    expect(times(args({ service: s, bookings: [at10('cancelled'), at10('noShow')] }))).toHaveLength(9);
    expect(times(args({ service: s, bookings: [at10('pending')] }))).toEqual(['09:00', '11:00']);
  });

  it('blocks with a live hold and ignores an expired one', () => {
    const now = at(MONDAY, '08:00', SH);
    const hold = { resourceId: 'wang', start: at(MONDAY, '10:00', SH), end: at(MONDAY, '11:00', SH) };
    expect(times(args({ now, holds: [{ ...hold, expiresAt: now + 60_000 }] }))).toEqual(['09:00', '11:00']);
    expect(times(args({ now, holds: [{ ...hold, expiresAt: now }] }))).toHaveLength(9);
  });

  it('treats a scheduled group session as busy for its resources', () => {
    const session: GroupSession = {
      id: 'yoga',
      resourceIds: ['wang'],
      start: at(MONDAY, '09:30', SH),
      end: at(MONDAY, '10:30', SH),
      capacity: 10,
      status: 'scheduled',
    };
    expect(times(args({ sessions: [session] }))).toEqual(['10:30', '10:45', '11:00']);
  });
});

describe('free slots: notice and advance window', () => {
  it('starts no earlier than now plus the minimum notice, rounded up to the grid', () => {
    const now = at(MONDAY, '08:40', SH);
    expect(times(args({ now, service: service({ minNoticeMinutes: 60 }) }))).toEqual(['09:45', '10:00', '10:15', '10:30', '10:45', '11:00']);
    expect(times(args({ now: at(MONDAY, '09:00', SH) }))[0]).toBe('09:00');
    expect(times(args({ now: at(MONDAY, '09:00', SH) + 1 }))[0]).toBe('09:15');
  });

  it('starts strictly before now plus the maximum advance', () => {
    const s = site(SH, { openingHours: weekly(EVERY_DAY, '08:00-10:00'), granularityMinutes: 30 });
    const a = args({ site: s, service: service({ durationMinutes: 30, maxAdvanceDays: 1 }), now: at(MONDAY, '09:00', SH), to: '2026-03-04' });
    expect(times(a, true)).toEqual(['2026-03-02 09:00', '2026-03-02 09:30', '2026-03-03 08:00', '2026-03-03 08:30']);
  });
});

describe('free slots: calendar rules', () => {
  it('offers nothing on a public holiday', () => {
    const s = { ...clinic, holidays: [{ date: MONDAY, name: 'holiday' }] };
    expect(times(args({ site: s }))).toEqual([]);
  });

  it('opens a 调休 Saturday with Monday hours', () => {
    const mondays = resource('wang', 'practitioner', { schedules: [pattern(weekly([1], '10:00-11:00'))] });
    const a = args({ resources: [mondays], from: '2026-02-14', to: '2026-02-14', now: at('2026-02-01', '00:00', SH) });
    expect(times(a)).toEqual([]);
    const s = { ...clinic, workdayOverrides: [{ date: '2026-02-14', worksLike: 1 as const }] };
    expect(times({ ...a, site: s })).toEqual(['10:00']);
  });

  it('follows every-other-week patterns', () => {
    const r = resource('wang', 'practitioner', { schedules: [pattern(weekly([1], '09:00-10:00'), { alternateWeeksFrom: '2026-03-09' })] });
    const a = args({ resources: [r], from: MONDAY, to: '2026-03-16' });
    expect(times(a, true)).toEqual(['2026-03-09 09:00']);
  });

  it('has no slots on a resource’s closed override day, nor during leave', () => {
    const off = resource('wang', 'practitioner', { dateOverrides: [{ date: MONDAY, ranges: [] }] });
    expect(times(args({ resources: [off] }))).toEqual([]);
    const leave = resource('wang', 'practitioner', { leave: [{ start: at(MONDAY, '09:30', SH), end: at(MONDAY, '10:45', SH) }] });
    expect(times(args({ resources: [leave] }))).toEqual(['10:45', '11:00']);
  });
});

describe('free slots: combinations of resources', () => {
  const twoKinds = service({ durationMinutes: 60, resourceKinds: ['practitioner', 'room'] });

  it('needs one free resource of each kind and picks the first of each in the given order', () => {
    const a = args({ service: twoKinds, resources: [room1, wang, li, room2], bookings: [booked(['wang'], '09:00', '10:00'), booked(['room-1'], '10:00', '11:00')] });
    const r = freeSlots(a);
    expect(r.slots.map((s) => [label(s.start, SH), ...s.resourceIds])).toEqual([
      ['09:00', 'li', 'room-1'],
      ['09:15', 'li', 'room-2'],
      ['09:30', 'li', 'room-2'],
      ['09:45', 'li', 'room-2'],
      ['10:00', 'wang', 'room-2'],
      ['10:15', 'wang', 'room-2'],
      ['10:30', 'wang', 'room-2'],
      ['10:45', 'wang', 'room-2'],
      ['11:00', 'wang', 'room-1'],
    ]);
    const per = Object.fromEntries(r.perResource.map((p) => [p.resourceId, p.starts.map((t) => label(t, SH))]));
    expect(per['wang']).toEqual(['10:00', '10:15', '10:30', '10:45', '11:00']);
    expect(per['room-1']).toEqual(['09:00', '11:00']);
    expect(r.perResource.map((p) => p.resourceId)).toEqual(['room-1', 'wang', 'li', 'room-2']);
  });

  it('offers nothing when a needed kind has no free resource', () => {
    expect(times(args({ service: twoKinds, resources: [wang, li] }))).toEqual([]);
  });

  it('lists every fitting combination on request, the chosen one first', () => {
    const a = args({ service: twoKinds, resources: [wang, li, room1, room2], allCombinations: true, bookings: [booked(['li'], '09:00', '12:00')] });
    expect(freeSlots(a).slots[0]!.combinations).toEqual([
      ['wang', 'room-1'],
      ['wang', 'room-2'],
    ]);
  });

  it('picks two different resources when a kind is needed twice', () => {
    const fourHands = service({ durationMinutes: 60, resourceKinds: ['practitioner', 'room', 'practitioner'] });
    const zhao = resource('zhao', 'practitioner');
    const a = args({ service: fourHands, resources: [wang, li, zhao, room1], bookings: [booked(['li'], '09:00', '10:00')], allCombinations: true });
    const slots = freeSlots(a).slots;
    expect(slots[0]!.resourceIds).toEqual(['wang', 'room-1', 'zhao']);
    expect(slots[0]!.combinations).toEqual([['wang', 'room-1', 'zhao']]);
    expect(slots.find((s) => label(s.start, SH) === '10:00')!.combinations).toEqual([
      ['wang', 'room-1', 'li'],
      ['wang', 'room-1', 'zhao'],
      ['li', 'room-1', 'zhao'],
    ]);
    expect(times(args({ service: fourHands, resources: [wang, room1] }))).toEqual([]);
  });
});

describe('next free slots and preferences', () => {
  const s = site(SH, { openingHours: weekly(WEEKDAYS, '09:00-20:00'), granularityMinutes: 60 });
  const base = args({ site: s, resources: [wang, li], from: MONDAY, to: '2026-03-06', service: service({ durationMinutes: 60 }) });

  it('returns the first N slots', () => {
    expect(nextFreeSlots(base, 3).map((x) => label(x.start, SH, true))).toEqual(['2026-03-02 09:00', '2026-03-02 10:00', '2026-03-02 11:00']);
    expect(nextFreeSlots(base, 0)).toEqual([]);
  });

  it('keeps to a part of the day, in local time', () => {
    expect(nextFreeSlots(base, 3, { partOfDay: 'afternoon' }).map((x) => label(x.start, SH))).toEqual(['12:00', '13:00', '14:00']);
    expect(nextFreeSlots(base, 2, { partOfDay: 'evening' }).map((x) => label(x.start, SH, true))).toEqual(['2026-03-02 18:00', '2026-03-02 19:00']);
  });

  it('keeps to a preferred resource, and finds nothing for an unknown one', () => {
    const bookings = [{ resourceIds: ['li'], start: at(MONDAY, '09:00', SH), end: at(MONDAY, '12:00', SH), status: 'confirmed' as const }];
    const slots = nextFreeSlots({ ...base, bookings }, 2, { resourceId: 'li', partOfDay: 'morning' });
    expect(slots.map((x) => [label(x.start, SH, true), ...x.resourceIds])).toEqual([
      ['2026-03-03 09:00', 'li'],
      ['2026-03-03 10:00', 'li'],
    ]);
    expect(nextFreeSlots(base, 2, { resourceId: 'nobody' })).toEqual([]);
  });
});

describe('free slots on DST days', () => {
  const allDay = (tz: string, granularityMinutes: 15 | 30 | 60 = 30) => site(tz, { granularityMinutes });
  const room = resource('room', 'room');
  const dayArgs = (tz: string, date: string, durationMinutes = 30): FreeSlotsArgs =>
    args({ site: allDay(tz), resources: [room], service: service({ durationMinutes, resourceKinds: ['room'] }), from: date, to: date, now: Date.parse('2026-01-01T00:00:00Z') });

  function wallTimes(a: FreeSlotsArgs): string[] {
    return freeSlots(a).slots.map((s) => label(s.start, a.site.timeZone));
  }

  it('skips the missing hour on Berlin’s spring-forward day, once each existing wall time', () => {
    const w = wallTimes(dayArgs('Europe/Berlin', '2026-03-29'));
    expect(w.slice(0, 6)).toEqual(['00:00', '00:30', '01:00', '01:30', '03:00', '03:30']);
    expect(w).toHaveLength(46);
    expect(new Set(w).size).toBe(46);
  });

  it('offers the repeated hour twice on Berlin’s fall-back day, as two different instants', () => {
    const slots = freeSlots(dayArgs('Europe/Berlin', '2026-10-25')).slots;
    const w = slots.map((s) => label(s.start, 'Europe/Berlin'));
    expect(w.slice(3, 9)).toEqual(['01:30', '02:00', '02:30', '02:00', '02:30', '03:00']);
    expect(slots).toHaveLength(50);
    expect(new Set(slots.map((s) => s.start)).size).toBe(50);
    expect(slots.every((s, i) => i === 0 || s.start - slots[i - 1]!.start === 30 * 60_000)).toBe(true);
  });

  it('does the same in New York, whose changes are at 02:00 local', () => {
    const spring = wallTimes(dayArgs('America/New_York', '2026-03-08'));
    expect(spring.slice(2, 6)).toEqual(['01:00', '01:30', '03:00', '03:30']);
    expect(spring).toHaveLength(46);
    const fall = wallTimes(dayArgs('America/New_York', '2026-11-01'));
    expect(fall.slice(1, 7)).toEqual(['00:30', '01:00', '01:30', '01:00', '01:30', '02:00']);
    expect(fall).toHaveLength(50);
  });

  it('keeps to the wall-clock grid when the clocks move by half an hour (Lord Howe Island)', () => {
    // 2026-10-04: 02:00 becomes 02:30. On a 60-minute grid 02:00 does not exist; 03:00 comes
    // 90 real minutes after 01:00, not 60 (a grid of elapsed time would offer 02:30 instead).
    const a = { ...dayArgs('Australia/Lord_Howe', '2026-10-04'), site: allDay('Australia/Lord_Howe', 60) };
    const slots = freeSlots(a).slots;
    expect(slots.slice(0, 4).map((s) => label(s.start, 'Australia/Lord_Howe'))).toEqual(['00:00', '01:00', '03:00', '04:00']);
    expect(slots[2]!.start - slots[1]!.start).toBe(90 * 60_000);
    expect(slots).toHaveLength(23);
  });

  it('measures a service in real time across the change', () => {
    // A 60-minute service starting 01:30 CET on the spring day ends 03:30 CEST: still 60 minutes.
    const slots = freeSlots(dayArgs('Europe/Berlin', '2026-03-29', 60)).slots;
    const s = slots.find((x) => label(x.start, 'Europe/Berlin') === '01:30')!;
    expect(label(s.end, 'Europe/Berlin')).toBe('03:30');
    expect(s.end - s.start).toBe(3_600_000);
  });

  it('covers only the existing wall times of a range that spans the gap', () => {
    const s = site('Europe/Berlin', { openingHours: weekly(EVERY_DAY, '01:00-04:00'), granularityMinutes: 60 });
    const a = { ...dayArgs('Europe/Berlin', '2026-03-29', 60), site: s };
    expect(wallTimes(a)).toEqual(['01:00', '03:00']);
  });
});

describe('session availability', () => {
  const session = (id: string, capacity: number, status: GroupSession['status'] = 'scheduled'): GroupSession => ({
    id,
    resourceIds: ['coach'],
    start: 0,
    end: 3_600_000,
    capacity,
    status,
  });
  const seat = (sessionId: string, status: BusyBooking['status'], seats?: number): BusyBooking => ({
    resourceIds: [],
    start: 0,
    end: 3_600_000,
    status,
    sessionId,
    ...(seats === undefined ? {} : { seats }),
  });

  it('counts seats left from active bookings, party sizes and live holds', () => {
    const bookings = [seat('spin', 'confirmed'), seat('spin', 'pending', 3), seat('spin', 'cancelled', 4), seat('spin', 'noShow'), seat('yoga', 'arrived')];
    const holds = [
      { sessionId: 'spin', seats: 2, expiresAt: 1_000 },
      { sessionId: 'spin', seats: 5, expiresAt: 500 },
    ];
    expect(sessionAvailability([session('spin', 8), session('yoga', 1), session('pilates', 6, 'cancelled')], bookings, { holds, now: 500 })).toEqual([
      { sessionId: 'spin', capacity: 8, booked: 4, held: 2, seatsLeft: 2 },
      { sessionId: 'yoga', capacity: 1, booked: 1, held: 0, seatsLeft: 0 },
      { sessionId: 'pilates', capacity: 6, booked: 0, held: 0, seatsLeft: 0 },
    ]);
  });

  it('never reports negative seats when a class is overbooked', () => {
    expect(sessionAvailability([session('spin', 1)], [seat('spin', 'confirmed', 2)])[0]!.seatsLeft).toBe(0);
  });
});
