import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freeSlots } from './availability';
import {
  checkCustomerOverlap,
  checkCustomerStanding,
  checkPlacement,
  MAX_BLOCK_MS,
  pickResources,
  previewSeries,
  seriesStarts,
  type BusyBlock,
  type PlacementInput,
} from './booking-rules';
import type { ResourceInfo, SiteRules } from './scheduling.model';
import type { ServiceSpec, SiteSchedule } from './scheduling.schema';
import { at, dayRanges, EVERY_DAY, pattern, resource, service, site, weekly, WEEKDAYS } from './scheduling.fixtures';
import { HOUR_MS, instantToWall, MINUTE_MS } from './zoned-time';

const SH = 'Asia/Shanghai';
const MON = '2026-03-02';
const t = (hhmm: string, date = MON) => at(date, hhmm, SH);

function siteRules(schedule: SiteSchedule = site(SH, { openingHours: weekly(WEEKDAYS, '09:00-18:00') })): SiteRules {
  return {
    id: 'site',
    organizationId: 'org',
    name: 'Main',
    schedule,
    holdMinutes: 15,
    lateCancelHours: 24,
    noShowGraceMinutes: 15,
    waitlistAutoOffer: false,
    blacklistAfterNoShows: null,
  };
}

function res(id: string, kind: string, rest: Partial<ResourceInfo> = {}, hours = weekly(WEEKDAYS, '09:00-17:00')): ResourceInfo {
  return { id, siteId: 'site', name: id, kind, active: true, capacity: null, schedule: resource(id, kind, { schedules: [pattern(hours)] }), ...rest };
}

const wang = res('wang', 'practitioner');
const li = res('li', 'practitioner');
const room = res('room-1', 'room', {}, weekly(EVERY_DAY, '00:00-24:00'));
const consult = service({ durationMinutes: 30, bufferAfterMinutes: 10, resourceKinds: ['practitioner', 'room'], maxAdvanceDays: 60 });

function input(rest: Partial<PlacementInput> = {}): PlacementInput {
  const start = rest.start ?? t('10:00');
  return {
    site: siteRules(),
    closures: [],
    spec: consult,
    start,
    end: start + 30 * MINUTE_MS,
    now: t('08:00', '2026-03-01'),
    bookingWindow: true,
    busy: [],
    ...rest,
  };
}

const busy = (resourceId: string, from: string, to: string, source: BusyBlock['source'] = 'booking'): BusyBlock => ({
  resourceId,
  start: t(from),
  end: t(to),
  source,
  ownerId: 'x',
});

const refusalKey = (p: PlacementInput, resources = [wang, room]) => checkPlacement(p, consult.resourceKinds, resources)?.key ?? 'ok';

describe('checkPlacement', () => {
  it('accepts a booking inside working time on free resources', () => {
    expect(checkPlacement(input(), consult.resourceKinds, [wang, room])).toBeNull();
  });

  it('refuses an overlap with another booking, counting both buffers, and allows back-to-back', () => {
    // Existing block 10:30–11:10 (30 min + 10 min cleaning) on Dr Wang.
    const existing = [busy('wang', '10:30', '11:10')];
    expect(refusalKey(input({ start: t('10:15'), busy: existing }))).toBe('errors.booking.resourceBusy');
    // Our own 10-minute buffer after 10:00–10:30 ends at 10:40: meets the 10:30 block.
    expect(refusalKey(input({ start: t('10:00'), busy: existing }))).toBe('errors.booking.resourceBusy');
    expect(refusalKey(input({ start: t('11:15'), busy: existing }))).toBe('ok');
    expect(refusalKey(input({ start: t('09:45'), busy: [busy('wang', '10:25', '11:00')] }))).toBe('ok');
  });

  it('names a live hold differently from a booking', () => {
    expect(refusalKey(input({ busy: [busy('room-1', '10:00', '10:30', 'hold')] }))).toBe('errors.booking.held');
  });

  it('refuses outside the resource’s hours, and when the site is closed', () => {
    expect(refusalKey(input({ start: t('16:45') }))).toBe('errors.booking.outsideWorkingHours');
    expect(refusalKey(input({ start: t('10:00', '2026-03-07') }))).toBe('errors.booking.siteClosed');
    const holiday = siteRules(site(SH, { openingHours: weekly(WEEKDAYS, '09:00-18:00'), holidays: [{ date: MON, name: 'Holiday' }] }));
    expect(checkPlacement(input({ site: holiday }), consult.resourceKinds, [wang, room])).toMatchObject({ key: 'errors.booking.siteClosed', closed: true });
  });

  it('treats an emergency closure as closed time for the site and every resource', () => {
    expect(refusalKey(input({ closures: [{ start: t('10:20'), end: t('12:00') }] }))).toBe('errors.booking.siteClosed');
    expect(refusalKey(input({ closures: [{ start: t('10:40'), end: t('12:00') }] }))).toBe('ok');
  });

  it('checks the grid, the past, minimum notice and maximum advance', () => {
    expect(refusalKey(input({ start: t('10:05') }))).toBe('errors.booking.offGrid');
    expect(refusalKey(input({ now: t('10:01') }))).toBe('errors.booking.inPast');
    expect(refusalKey(input({ now: t('09:00'), spec: { ...consult, minNoticeMinutes: 61 } }))).toBe('errors.booking.minNotice');
    expect(refusalKey(input({ now: t('09:00'), spec: { ...consult, minNoticeMinutes: 60 } }))).toBe('ok');
    expect(refusalKey(input({ now: t('10:00') - 60 * 24 * HOUR_MS }))).toBe('errors.booking.maxAdvance');
  });

  it('lets a walk-in start now, off the grid and without notice', () => {
    const now = t('10:07');
    expect(refusalKey(input({ start: now, now, bookingWindow: false, spec: { ...consult, minNoticeMinutes: 120 } }))).toBe('ok');
  });

  it('refuses resources of the wrong kinds, another site’s, twice the same, or retired ones', () => {
    expect(refusalKey(input(), [wang, li])).toBe('errors.booking.resourceKinds');
    expect(refusalKey(input(), [wang])).toBe('errors.booking.resourceKinds');
    expect(refusalKey(input(), [room, wang])).toBe('ok');
    expect(refusalKey(input(), [wang, { ...room, siteId: 'other' }])).toBe('errors.booking.resourceOtherSite');
    expect(refusalKey(input(), [wang, wang])).toBe('errors.booking.duplicateResource');
    expect(refusalKey(input(), [{ ...wang, active: false }, room])).toBe('errors.resource.inactive');
  });

  it('refuses an end before the start and a block longer than the overlap query can see', () => {
    expect(refusalKey(input({ end: t('10:00') }))).toBe('errors.schedule.endBeforeStart');
    const day = weekly(EVERY_DAY, '00:00-24:00');
    const allDay = siteRules(site(SH, { openingHours: day }));
    const long = { ...consult, bufferBeforeMinutes: 240, bufferAfterMinutes: 240 };
    const p = (hours: number) => input({ site: allDay, spec: long, end: t('10:00') + hours * HOUR_MS });
    const r = [res('wang', 'practitioner', {}, day), room];
    expect(checkPlacement(p(24), consult.resourceKinds, r)).toBeNull();
    expect(MAX_BLOCK_MS).toBe(32 * HOUR_MS);
    expect(checkPlacement(p(24.5), consult.resourceKinds, r)?.key).toBe('errors.booking.tooLong');
  });
});

describe('pickResources', () => {
  it('takes the first free resource of each kind, in pool order', () => {
    const picked = pickResources(input({ busy: [busy('wang', '10:00', '10:30')] }), consult.resourceKinds, [wang, li, room]);
    expect(picked.ok && picked.resources.map((r) => r.id)).toEqual(['li', 'room-1']);
  });

  it('reports the kind with nobody free', () => {
    const picked = pickResources(input({ busy: [busy('wang', '10:00', '10:30'), busy('li', '09:00', '12:00')] }), consult.resourceKinds, [wang, li, room]);
    expect(!picked.ok && picked.refusal).toMatchObject({ key: 'errors.booking.noFreeResource', params: { kind: 'practitioner' } });
  });

  it('needs two different resources for a kind listed twice', () => {
    const pair = { ...consult, resourceKinds: ['practitioner', 'practitioner'] };
    const picked = pickResources(input({ spec: pair }), pair.resourceKinds, [wang, li]);
    expect(picked.ok && picked.resources.map((r) => r.id)).toEqual(['wang', 'li']);
    expect(pickResources(input({ spec: pair }), pair.resourceKinds, [wang]).ok).toBe(false);
  });
});

describe('the customer', () => {
  const blacklisted = { name: '张三', blacklisted: true, blacklistReason: 'unpaid bills' };

  it('refuses a blacklisted customer unless allowed to override, and then only with a reason', () => {
    expect(checkCustomerStanding(blacklisted, false, 'vip').refusal).toMatchObject({ code: 'FORBIDDEN', key: 'errors.booking.customerBlacklisted' });
    expect(checkCustomerStanding(blacklisted, true, '  ').refusal).toMatchObject({ code: 'INVALID', key: 'errors.booking.overrideReasonRequired' });
    expect(checkCustomerStanding(blacklisted, true, 'paid today').warning).toMatchObject({ key: 'errors.booking.customerBlacklisted' });
    expect(checkCustomerStanding({ ...blacklisted, blacklisted: false }, false, undefined)).toEqual({ warning: null });
  });

  it('warns about an overlapping booking of the same customer, and refuses until acknowledged', () => {
    const mine = [{ id: 'b1', start: t('10:00'), end: t('10:30') }];
    expect(checkCustomerOverlap(mine, { start: t('10:15'), end: t('10:45') }, false).refusal?.key).toBe('errors.booking.customerDoubleBooked');
    expect(checkCustomerOverlap(mine, { start: t('10:15'), end: t('10:45') }, true).warning?.params).toMatchObject({ bookingId: 'b1' });
    expect(checkCustomerOverlap(mine, { start: t('10:30'), end: t('11:00') }, false)).toEqual({ warning: null });
  });
});

describe('weekly series', () => {
  it('keeps the local wall time across a DST change', () => {
    const berlin = 'Europe/Berlin';
    // 2026-03-29 is the spring-forward Sunday: the Monday after is on CEST.
    const starts = seriesStarts(at('2026-03-23', '10:00', berlin), 3, 1, berlin);
    expect(starts.map((s) => instantToWall(s, berlin))).toEqual([
      { date: '2026-03-23', minutes: 600, weekday: 1 },
      { date: '2026-03-30', minutes: 600, weekday: 1 },
      { date: '2026-04-06', minutes: 600, weekday: 1 },
    ]);
    expect(starts[1]! - starts[0]!).toBe(7 * 24 * HOUR_MS - HOUR_MS);
  });

  it('reports each occurrence as ok, conflict (with the reason) or closed, before anything is saved', () => {
    const s = siteRules(site(SH, { openingHours: weekly(WEEKDAYS, '09:00-18:00'), holidays: [{ date: '2026-03-16', name: 'Holiday' }] }));
    const starts = seriesStarts(t('10:00'), 4, 1, SH);
    const report = previewSeries({
      site: s,
      closures: [],
      spec: consult,
      now: t('08:00', '2026-03-01'),
      starts,
      chosen: [wang, room],
      pool: [],
      busy: [{ resourceId: 'wang', start: t('10:15', '2026-03-09'), end: t('10:45', '2026-03-09'), source: 'booking', ownerId: 'b' }],
      customerBookings: [],
      acknowledgeCustomerOverlap: false,
    });
    expect(report.map((o) => [o.status, o.reason?.key ?? null])).toEqual([
      ['ok', null],
      ['conflict', 'errors.booking.resourceBusy'],
      ['closed', 'errors.booking.siteClosed'],
      ['ok', null],
    ]);
    expect(report[0]!.resourceIds).toEqual(['wang', 'room-1']);
  });

  it('picks resources per occurrence when none are chosen', () => {
    const report = previewSeries({
      site: siteRules(),
      closures: [],
      spec: consult,
      now: t('08:00', '2026-03-01'),
      starts: seriesStarts(t('10:00'), 2, 1, SH),
      chosen: null,
      pool: [wang, li, room],
      busy: [{ resourceId: 'wang', start: t('10:00', '2026-03-09'), end: t('10:30', '2026-03-09'), source: 'booking', ownerId: 'b' }],
      customerBookings: [],
      acknowledgeCustomerOverlap: false,
    });
    expect(report.map((o) => o.resourceIds)).toEqual([
      ['wang', 'room-1'],
      ['li', 'room-1'],
    ]);
  });
});

/**
 * The rules and the availability engine are two implementations of "can this start be booked on
 * this resource": for random calendars and bookings they must agree at every grid start.
 */
describe('agreement with the availability engine', () => {
  it('accepts exactly the starts the engine offers for the resource', () => {
    const minute = fc.integer({ min: 0, max: 48 }).map((q) => q * 30);
    const range = fc.tuple(minute, minute).filter(([a, b]) => a < b);
    fc.assert(
      fc.property(
        fc.array(range, { minLength: 1, maxLength: 2 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 12 })), { maxLength: 6 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        (ranges, blocks, before, after, holiday) => {
          const hours = weekly([1], ...disjoint(ranges).map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`));
          const schedule = site(SH, {
            openingHours: weekly(EVERY_DAY, '07:00-22:00'),
            granularityMinutes: 15,
            ...(holiday ? { dateOverrides: [{ date: MON, ranges: dayRanges('12:00-24:00') }] } : {}),
          });
          const r = res('wang', 'practitioner', {}, hours);
          const spec: ServiceSpec = service({ durationMinutes: 45, bufferBeforeMinutes: before, bufferAfterMinutes: after, maxAdvanceDays: 30 });
          const dayStart = t('00:00');
          const busyBlocks: BusyBlock[] = blocks.map(([q, len]) => ({
            resourceId: 'wang',
            start: dayStart + q * 15 * MINUTE_MS,
            end: dayStart + (q + len) * 15 * MINUTE_MS,
            source: 'booking',
            ownerId: `b${q}`,
          }));
          const now = t('00:00', '2026-03-01');
          const offered = new Set(
            freeSlots({
              site: schedule,
              service: spec,
              resources: [r.schedule],
              bookings: busyBlocks.map((b) => ({ resourceIds: ['wang'], start: b.start, end: b.end, status: 'confirmed' })),
              now,
              from: MON,
              to: MON,
            }).slots.map((s) => s.start),
          );
          for (let q = 0; q < 96; q++) {
            const start = dayStart + q * 15 * MINUTE_MS;
            const p: PlacementInput = { site: siteRules(schedule), closures: [], spec, start, end: start + 45 * MINUTE_MS, now, bookingWindow: true, busy: busyBlocks };
            expect(checkPlacement(p, ['practitioner'], [r]) === null).toBe(offered.has(start));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Ranges made non-overlapping (the schema refuses overlapping ones). */
function disjoint(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a < last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
