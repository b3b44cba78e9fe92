import { describe, expect, it } from 'vitest';
import { at } from '../../../core/scheduling/scheduling.fixtures';
import type { CatalogResource, CatalogService, CatalogSite } from './catalog-types';
import {
  checkCloseNow,
  checkResource,
  checkService,
  checkSession,
  checkSiteSettings,
  checkSpecialDay,
  emptyResourceValues,
  emptyServiceValues,
  placeResourceIssues,
  placeServiceIssues,
  resourcePatchOf,
  servicePatchOf,
  serviceValuesOf,
  sessionKinds,
  siteFormValuesOf,
  specialDaysOf,
} from './catalog-values';
import { siteCalendarOf } from './catalog-types';
import { copyDay, emptyScheduleRows, emptyWeekRows, weekRowsOf } from './hours-values';

const SH = 'Asia/Shanghai';
const SITE_ID = '0190a000-0000-7000-8000-000000000001';
const DEPT_ID = '0190a000-0000-7000-8000-000000000002';

const site: CatalogSite = {
  id: SITE_ID,
  name: 'Clinic',
  timeZone: SH,
  granularityMinutes: 15,
  holdMinutes: 10,
  lateCancelHours: 24,
  noShowGraceMinutes: 15,
  waitlistAutoOffer: false,
  blacklistAfterNoShows: null,
  openingHours: [{ weekday: 1, start: 540, end: 1080 }],
  holidays: [{ date: '2026-10-01', name: 'National Day' }],
  workdayOverrides: [{ date: '2026-09-27', worksLike: 1 }],
  closures: [],
  dateOverrides: [{ date: '2026-12-24', ranges: [{ start: 540, end: 720 }] }],
};

describe('site settings', () => {
  it('sends only what changed, the opening hours as core ranges', () => {
    const calendar = siteCalendarOf(site);
    const values = siteFormValuesOf(site);
    expect(checkSiteSettings(site, calendar, values, weekRowsOf(calendar.openingHours))).toEqual({ ok: true, value: {} });

    const hours = emptyWeekRows();
    hours[0] = [{ start: '08:00', end: '18:00' }];
    const r = checkSiteSettings(site, calendar, { ...values, granularityMinutes: 30, autoBlacklist: true, blacklistAfterNoShows: 3 }, copyDay(hours, 1, [1, 2, 3, 4, 5]));
    expect(r.ok && r.value).toEqual({
      granularityMinutes: 30,
      blacklistAfterNoShows: 3,
      openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: 480, end: 1080 })),
    });
    // Switching automatic blacklisting off sends null ("never").
    const off = checkSiteSettings({ ...site, blacklistAfterNoShows: 3 }, calendar, { ...values, autoBlacklist: false, blacklistAfterNoShows: 3 }, weekRowsOf(calendar.openingHours));
    expect(off.ok && off.value).toEqual({ blacklistAfterNoShows: null });
  });

  it('refuses a range that ends before it starts, at that range, together with a bad rule', () => {
    const calendar = siteCalendarOf(site);
    const hours = emptyWeekRows();
    hours[0] = [{ start: '18:00', end: '09:00' }];
    const r = checkSiteSettings(site, calendar, { ...siteFormValuesOf(site), holdMinutes: 0 }, hours);
    expect(r).toEqual({ ok: false, errors: { 'hours.0.0.end': { key: 'errors.schedule.endBeforeStart' }, holdMinutes: { key: 'errors.site.holdMinutes' } } });
  });
});

describe('special days', () => {
  it('lists holidays, make-up working days and special hours by date', () => {
    expect(specialDaysOf(siteCalendarOf(site)).map((d) => [d.date, d.kind])).toEqual([
      ['2026-09-27', 'workday'],
      ['2026-10-01', 'holiday'],
      ['2026-12-24', 'hours'],
    ]);
  });

  it('builds site.setSpecialDay for each kind, and places problems', () => {
    const base = { date: '2026-10-10', name: '', worksLike: null, ranges: [] };
    expect(checkSpecialDay(SITE_ID, { ...base, kind: 'holiday', name: ' 国庆节 ' })).toEqual({ ok: true, value: { siteId: SITE_ID, date: '2026-10-10', kind: 'holiday', name: '国庆节' } });
    expect(checkSpecialDay(SITE_ID, { ...base, kind: 'workday', worksLike: 5 })).toEqual({ ok: true, value: { siteId: SITE_ID, date: '2026-10-10', kind: 'workday', worksLike: 5 } });
    expect(checkSpecialDay(SITE_ID, { ...base, kind: 'hours', ranges: [{ start: '10:00', end: '15:00' }] })).toEqual({
      ok: true,
      value: { siteId: SITE_ID, date: '2026-10-10', kind: 'hours', ranges: [{ start: 600, end: 900 }] },
    });
    expect(checkSpecialDay(SITE_ID, { ...base, kind: 'workday' })).toEqual({ ok: false, errors: { worksLike: { key: 'errors.schedule.weekday' } } });
    expect(checkSpecialDay(SITE_ID, { ...base, date: null, kind: 'holiday' })).toEqual({ ok: false, errors: { date: { key: 'schedules.error.dateRequired' } } });
    const r = checkSpecialDay(SITE_ID, { ...base, kind: 'hours', ranges: [{ start: '15:00', end: '10:00' }] });
    expect(r).toEqual({ ok: false, errors: { 'ranges.0.end': { key: 'errors.schedule.endBeforeStart' } } });
  });
});

describe('close now', () => {
  it('reads the end as site-local time and wants a reason', () => {
    const now = at('2026-11-23', '10:00', SH);
    expect(checkCloseNow(SITE_ID, { end: '2026-11-23 14:00', reason: ' 停电 ' }, SH, now)).toEqual({
      ok: true,
      value: { siteId: SITE_ID, end: at('2026-11-23', '14:00', SH), reason: '停电' },
    });
    expect(checkCloseNow(SITE_ID, { end: '2026-11-23 14:00', reason: '' }, SH, now)).toEqual({ ok: false, errors: { reason: { key: 'errors.site.closureReason' } } });
    expect(checkCloseNow(SITE_ID, { end: '2026-11-23 09:00', reason: 'x' }, SH, now)).toEqual({ ok: false, errors: { end: { key: 'errors.schedule.endBeforeStart' } } });
    expect(checkCloseNow(SITE_ID, { end: '', reason: 'x' }, SH, now)).toEqual({ ok: false, errors: { end: { key: 'schedules.error.dateTimeFormat' } } });
  });
});

describe('resources', () => {
  it('builds resource.create with the schedule, and an edit sends only what changed', () => {
    const schedule = emptyScheduleRows();
    const week = emptyWeekRows();
    week[0] = [
      { start: '09:00', end: '12:00' },
      { start: '14:00', end: '17:00' },
    ];
    schedule.templates[0]!.days = copyDay(week, 1, [1, 2, 3, 4, 5]);
    const r = checkResource(SITE_ID, { ...emptyResourceValues(), name: ' Dr Wang ', departmentId: DEPT_ID, colour: '#1677ff' }, schedule, SH);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ siteId: SITE_ID, kind: 'practitioner', name: 'Dr Wang', departmentId: DEPT_ID, capacity: null, active: true, colour: '#1677ff' });
    expect(r.value.schedule.schedules[0]!.ranges).toHaveLength(10);

    const stored: CatalogResource = {
      id: '0190a000-0000-7000-8000-000000000003',
      name: 'Dr Wang',
      kind: 'practitioner',
      colour: '#1677ff',
      capacity: null,
      departmentId: DEPT_ID,
      active: true,
      schedule: r.value.schedule,
    };
    expect(resourcePatchOf(stored, r.value.schedule, r.value)).toEqual({});
    expect(resourcePatchOf(stored, r.value.schedule, { ...r.value, active: false, capacity: 4 })).toEqual({ active: false, capacity: 4 });
  });

  it('places field and schedule problems, from the page and from the host', () => {
    const schedule = emptyScheduleRows();
    schedule.templates[0]!.days[4] = [{ start: '17:00', end: '09:00' }];
    const r = checkResource(SITE_ID, { ...emptyResourceValues('Room'), name: '', colour: 'red' }, schedule, SH);
    expect(r).toEqual({
      ok: false,
      errors: {
        name: { key: 'errors.name.required' },
        kind: { key: 'errors.resource.kind' },
        colour: { key: 'errors.colour.invalid' },
        'templates.0.days.4.0.end': { key: 'errors.schedule.endBeforeStart' },
      },
    });
    expect(placeResourceIssues([{ path: ['patch', 'departmentId'], key: 'errors.department.otherSite' }], emptyScheduleRows(), SH)).toEqual({
      departmentId: { key: 'errors.department.otherSite' },
    });
  });
});

describe('services', () => {
  it('turns yuan into fen and defaults empty boxes like core does', () => {
    const r = checkService(SITE_ID, {
      ...emptyServiceValues(),
      name: 'Consultation',
      price: '120.50',
      bufferAfterMinutes: 10,
      bufferBeforeMinutes: null,
      resourceKinds: ['practitioner', 'room'],
    });
    expect(r.ok && r.value).toMatchObject({
      siteId: SITE_ID,
      name: 'Consultation',
      durationMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      price: { amountMinor: 12050, currency: 'CNY' },
      seats: 1,
      resourceKinds: ['practitioner', 'room'],
    });
  });

  it('refuses a price that is not yuan, a negative price and no resource kinds, each at its field', () => {
    expect(checkService(SITE_ID, { ...emptyServiceValues(), name: 'x', price: '12.345' })).toEqual({ ok: false, errors: { price: { key: 'schedules.error.priceFormat' } } });
    expect(checkService(SITE_ID, { ...emptyServiceValues(), name: 'x', price: '-1', resourceKinds: [] })).toEqual({
      ok: false,
      errors: { price: { key: 'errors.service.price' }, resourceKinds: { key: 'errors.service.resourceKinds' } },
    });
    expect(placeServiceIssues([{ path: ['patch', 'seats'], key: 'errors.service.seatsBelowBooked', params: { booked: 8 } }])).toEqual({
      seats: { key: 'errors.service.seatsBelowBooked', params: { booked: 8 } },
    });
  });

  it('round-trips a stored service and sends only what changed', () => {
    const stored: CatalogService = {
      id: '0190a000-0000-7000-8000-000000000004',
      name: 'Yoga',
      category: 'Classes',
      departmentId: null,
      durationMinutes: 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      priceMinor: 8800,
      currency: 'CNY',
      seats: 12,
      resourceKinds: ['coach', 'studio'],
      minNoticeMinutes: 60,
      maxAdvanceDays: 14,
      colour: null,
      active: true,
    };
    const values = serviceValuesOf(stored);
    expect(values.price).toBe('88.00');
    const same = checkService(SITE_ID, values);
    expect(same.ok && servicePatchOf(stored, same.value)).toEqual({});
    const changed = checkService(SITE_ID, { ...values, price: '99', seats: 10 });
    expect(changed.ok && servicePatchOf(stored, changed.value)).toEqual({ price: { amountMinor: 9900, currency: 'CNY' }, seats: 10 });
  });
});

describe('class sessions', () => {
  it('reads the start in the site zone and says what is missing', () => {
    const service = '0190a000-0000-7000-8000-000000000005';
    const coach = '0190a000-0000-7000-8000-000000000006';
    expect(checkSession({ serviceId: service, date: '2026-11-24', time: '18:30', coachId: coach, roomId: null, seats: null }, SH)).toEqual({
      ok: true,
      value: { serviceId: service, start: at('2026-11-24', '18:30', SH), coachId: coach, roomId: null, seats: null },
    });
    expect(checkSession({ serviceId: null, date: '2026-11-24', time: '8pm', coachId: null, roomId: null, seats: 0 }, SH)).toEqual({
      ok: false,
      errors: {
        serviceId: { key: 'schedules.error.choose' },
        coachId: { key: 'schedules.error.choose' },
        time: { key: 'schedules.error.timeFormat' },
        seats: { key: 'errors.service.seats' },
      },
    });
  });

  it('tells the coach from the room among a service’s kinds', () => {
    expect(sessionKinds(['coach', 'studio'])).toEqual({ coach: 'coach', room: 'studio', supported: true });
    expect(sessionKinds(['room', 'coach'])).toEqual({ coach: 'coach', room: 'room', supported: true });
    expect(sessionKinds(['coach'])).toEqual({ coach: 'coach', room: null, supported: true });
    expect(sessionKinds(['yoga_studio', 'instructor'])).toEqual({ coach: 'instructor', room: 'yoga_studio', supported: true });
    expect(sessionKinds(['coach', 'room', 'equipment']).supported).toBe(false);
  });
});
