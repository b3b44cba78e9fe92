/**
 * Builders for scheduling tests: short ways to write a site, a resource and a service with the
 * defaults the schemas would fill in. Used by the *.test.ts files next to this one only.
 */
import type { LocalDate } from '../time';
import type { ResourceSchedule, ServiceSpec, SiteSchedule, WeeklyRange, WeeklySchedule } from './scheduling.schema';
import { wallTimeToInstant } from './zoned-time';

export const WEEKDAYS = [1, 2, 3, 4, 5] as const;
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7] as const;

/** "09:30" → 570. */
export function hm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + (m ?? 0);
}

/** The same ranges ("09:00-12:00") on each given weekday. */
export function weekly(days: readonly number[], ...ranges: string[]): WeeklyRange[] {
  return days.flatMap((weekday) =>
    ranges.map((r) => {
      const [s, e] = r.split('-');
      return { weekday: weekday as WeeklyRange['weekday'], start: hm(s!), end: hm(e!) };
    }),
  );
}

/** Day ranges ("09:00-12:00") for a date override. */
export function dayRanges(...ranges: string[]): { start: number; end: number }[] {
  return ranges.map((r) => {
    const [s, e] = r.split('-');
    return { start: hm(s!), end: hm(e!) };
  });
}

export function site(timeZone: string, rest: Partial<SiteSchedule> = {}): SiteSchedule {
  return {
    timeZone,
    granularityMinutes: 15,
    openingHours: weekly(EVERY_DAY, '00:00-24:00'),
    closures: [],
    holidays: [],
    workdayOverrides: [],
    dateOverrides: [],
    ...rest,
  };
}

export function pattern(ranges: WeeklyRange[], rest: Partial<WeeklySchedule> = {}): WeeklySchedule {
  return { ranges, effectiveFrom: null, effectiveTo: null, alternateWeeksFrom: null, ...rest };
}

export function resource(id: string, kind: string, rest: Partial<ResourceSchedule> = {}): ResourceSchedule {
  return { id, kind, schedules: [pattern(weekly(EVERY_DAY, '00:00-24:00'))], dateOverrides: [], leave: [], ...rest };
}

export function service(rest: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    seats: 1,
    resourceKinds: ['practitioner'],
    minNoticeMinutes: 0,
    maxAdvanceDays: 365,
    ...rest,
  };
}

/** The instant of a local wall time "HH:MM" on a date in a zone. */
export function at(date: LocalDate, time: string, timeZone: string): number {
  return wallTimeToInstant(date, hm(time), timeZone);
}
