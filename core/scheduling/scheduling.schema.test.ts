import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { parseOrThrow } from '../validation';
import { ResourceSchedule, ServiceSpec, SiteSchedule, WeeklySchedule } from './scheduling.schema';

function issuesOf(schema: Parameters<typeof parseOrThrow>[0], input: unknown): string[] {
  try {
    parseOrThrow(schema, input);
  } catch (e) {
    if (AppError.is(e)) return e.issues.map((i) => `${i.path.join('.')}:${i.key}`);
    throw e;
  }
  return [];
}

const RESOURCE_ID = '0190b3a0-1c2d-7e3f-8a4b-5c6d7e8f9a0b';

describe('site schedule', () => {
  it('fills defaults for a valid site', () => {
    expect(
      parseOrThrow(SiteSchedule, {
        timeZone: 'Asia/Shanghai',
        granularityMinutes: 15,
        openingHours: [{ weekday: 1, start: 540, end: 1080 }],
      }),
    ).toEqual({
      timeZone: 'Asia/Shanghai',
      granularityMinutes: 15,
      openingHours: [{ weekday: 1, start: 540, end: 1080 }],
      closures: [],
      holidays: [],
      workdayOverrides: [],
      dateOverrides: [],
    });
  });

  it('refuses overlapping ranges on one weekday, allows touching ones and other weekdays', () => {
    const base = { timeZone: 'Asia/Shanghai', granularityMinutes: 15 };
    expect(
      issuesOf(SiteSchedule, {
        ...base,
        openingHours: [
          { weekday: 1, start: 540, end: 720 },
          { weekday: 2, start: 600, end: 700 },
          { weekday: 1, start: 700, end: 900 },
          { weekday: 1, start: 900, end: 1000 },
        ],
      }),
    ).toEqual(['openingHours.2:errors.schedule.overlap']);
  });

  it('names the field of each mistake', () => {
    expect(
      issuesOf(SiteSchedule, {
        timeZone: 'Mars/Olympus',
        granularityMinutes: 20,
        openingHours: [
          { weekday: 8, start: 540, end: 720 },
          { weekday: 1, start: 720, end: 540 },
          { weekday: 2, start: 0, end: 1441 },
        ],
        closures: [{ from: '2026-02-20', to: '2026-02-10' }],
      }),
    ).toEqual([
      'timeZone:errors.timeZone.unknown',
      'granularityMinutes:errors.schedule.granularity',
      'openingHours.0.weekday:errors.schedule.weekday',
      'openingHours.1.end:errors.schedule.endBeforeStart',
      'openingHours.2.end:errors.schedule.minuteOfDay',
      'closures.0.to:errors.schedule.dateRangeOrder',
    ]);
  });

  it('refuses a date listed twice and a holiday that is also a make-up working day', () => {
    expect(
      issuesOf(SiteSchedule, {
        timeZone: 'Asia/Shanghai',
        granularityMinutes: 30,
        openingHours: [],
        holidays: [{ date: '2026-02-16' }, { date: '2026-02-16' }],
        workdayOverrides: [{ date: '2026-02-16', worksLike: 1 }],
      }),
    ).toEqual(['holidays.1.date:errors.schedule.duplicateDate', 'workdayOverrides.0.date:errors.schedule.holidayWorkday']);
  });

  it('refuses overlapping ranges in a date override', () => {
    expect(
      issuesOf(SiteSchedule, {
        timeZone: 'Asia/Shanghai',
        granularityMinutes: 30,
        openingHours: [],
        dateOverrides: [{ date: '2026-02-16', ranges: [{ start: 600, end: 700 }, { start: 540, end: 601 }] }],
      }),
    ).toEqual(['dateOverrides.0.ranges.0:errors.schedule.overlap']);
  });
});

describe('resource schedule', () => {
  it('accepts patterns with effective dates and alternate weeks', () => {
    const r = parseOrThrow(ResourceSchedule, {
      id: RESOURCE_ID,
      kind: 'practitioner',
      schedules: [{ ranges: [{ weekday: 3, start: 480, end: 720 }], alternateWeeksFrom: '2026-03-02' }],
      leave: [{ start: 1_000, end: 2_000 }],
    });
    expect(r.schedules[0]).toEqual({
      ranges: [{ weekday: 3, start: 480, end: 720 }],
      effectiveFrom: null,
      effectiveTo: null,
      alternateWeeksFrom: '2026-03-02',
    });
    expect(r.dateOverrides).toEqual([]);
  });

  it('refuses bad kinds, inverted leave and effective dates, duplicate override dates', () => {
    expect(
      issuesOf(ResourceSchedule, {
        id: RESOURCE_ID,
        kind: 'Doctor Who',
        schedules: [{ ranges: [], effectiveFrom: '2026-05-01', effectiveTo: '2026-04-01' }],
        dateOverrides: [
          { date: '2026-05-01', ranges: [] },
          { date: '2026-05-01', ranges: [] },
        ],
        leave: [{ start: 2_000, end: 2_000 }],
      }),
    ).toEqual([
      'kind:errors.resource.kind',
      'schedules.0.effectiveTo:errors.schedule.dateRangeOrder',
      'leave.0.end:errors.schedule.endBeforeStart',
      'dateOverrides.1.date:errors.schedule.duplicateDate',
    ]);
  });

  it('checks overlap inside one weekly pattern', () => {
    expect(
      issuesOf(WeeklySchedule, {
        ranges: [
          { weekday: 5, start: 480, end: 720 },
          { weekday: 5, start: 600, end: 900 },
        ],
      }),
    ).toEqual(['ranges.1:errors.schedule.overlap']);
  });
});

describe('service', () => {
  it('fills defaults', () => {
    expect(parseOrThrow(ServiceSpec, { durationMinutes: 45, resourceKinds: ['practitioner', 'room'] })).toEqual({
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      seats: 1,
      resourceKinds: ['practitioner', 'room'],
      minNoticeMinutes: 0,
      maxAdvanceDays: 90,
    });
  });

  it('refuses out-of-range values', () => {
    expect(
      issuesOf(ServiceSpec, {
        durationMinutes: 0,
        bufferBeforeMinutes: -5,
        bufferAfterMinutes: 2.5,
        seats: 0,
        resourceKinds: [],
        minNoticeMinutes: -1,
        maxAdvanceDays: 0,
      }),
    ).toEqual([
      'durationMinutes:errors.service.duration',
      'bufferBeforeMinutes:errors.service.buffer',
      'bufferAfterMinutes:errors.service.buffer',
      'seats:errors.service.seats',
      'resourceKinds:errors.service.resourceKinds',
      'minNoticeMinutes:errors.service.notice',
      'maxAdvanceDays:errors.service.advance',
    ]);
  });
});
