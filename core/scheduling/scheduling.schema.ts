/**
 * Scheduling configuration schemas: a site's opening rules, a resource's working schedule and a
 * service's booking rules. Messages are i18n keys (core/i18n). These are the shapes the
 * availability engine reads; mutators validate with them and build them from database rows.
 *
 * Wall-clock times are whole minutes after local midnight in the SITE's zone, 0 … 1440 (1440 is
 * 24:00, so a day can run to midnight and a 24-hour site is one range [0, 1440)). A range is
 * half-open [start, end) and ranges of one day must not overlap (touching is fine: 09–12, 12–17).
 * Dates are local `YYYY-MM-DD`; date ranges include both ends. Instants are UTC epoch ms.
 */
import { z } from 'zod';
import { LocalDate, TimeZone } from '../time';

export const MinuteOfDay = z
  .int({ message: 'errors.schedule.minuteOfDay' })
  .min(0, 'errors.schedule.minuteOfDay')
  .max(1440, 'errors.schedule.minuteOfDay');

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const Weekday = z.literal([1, 2, 3, 4, 5, 6, 7], { message: 'errors.schedule.weekday' });
export type Weekday = z.infer<typeof Weekday>;

export const Instant = z.int({ message: 'errors.schedule.instant' });

const endAfterStart = { message: 'errors.schedule.endBeforeStart', path: ['end'] };

/** Part of one day, [start, end) in minutes after local midnight. */
export const TimeRange = z
  .object({ start: MinuteOfDay, end: MinuteOfDay })
  .refine((r) => r.end > r.start, endAfterStart);
export type TimeRange = z.infer<typeof TimeRange>;

/** A range on every given weekday of a weekly pattern. */
export const WeeklyRange = z
  .object({ weekday: Weekday, start: MinuteOfDay, end: MinuteOfDay })
  .refine((r) => r.end > r.start, endAfterStart);
export type WeeklyRange = z.infer<typeof WeeklyRange>;

/** Reports each range that overlaps an earlier one of the same day (`dayOf` names the day). */
function noOverlap<R extends { start: number; end: number }>(dayOf: (r: R) => number) {
  return (ranges: R[], ctx: z.RefinementCtx): void => {
    const order = ranges
      .map((r, i) => ({ r, i }))
      .sort((a, b) => dayOf(a.r) - dayOf(b.r) || a.r.start - b.r.start || a.i - b.i);
    for (let k = 1; k < order.length; k++) {
      const prev = order[k - 1]!;
      const cur = order[k]!;
      if (dayOf(prev.r) === dayOf(cur.r) && cur.r.start < prev.r.end) {
        ctx.addIssue({ code: 'custom', path: [cur.i], message: 'errors.schedule.overlap' });
      }
    }
  };
}

/** The ranges of one weekly pattern; within a weekday they must not overlap. */
export const WeeklyHours = z.array(WeeklyRange).superRefine(noOverlap<WeeklyRange>((r) => r.weekday));
export type WeeklyHours = z.infer<typeof WeeklyHours>;

/** The ranges of one day; they must not overlap. Empty means closed (not working) that day. */
export const DayRanges = z.array(TimeRange).superRefine(noOverlap<TimeRange>(() => 0));

/** A date with its own hours instead of the weekly ones; `ranges: []` closes the day. */
export const DateOverride = z.object({ date: LocalDate, ranges: DayRanges });
export type DateOverride = z.infer<typeof DateOverride>;

/** The site is closed from `from` to `to`, both included (renovation, staff outing). */
export const Closure = z
  .object({ from: LocalDate, to: LocalDate, reason: z.string().max(100, 'errors.schedule.reasonTooLong').default('') })
  .refine((c) => c.to >= c.from, { message: 'errors.schedule.dateRangeOrder', path: ['to'] });
export type Closure = z.infer<typeof Closure>;

/** A public holiday: the site is closed that day even when it is a weekday. */
export const Holiday = z.object({ date: LocalDate, name: z.string().trim().max(64, 'errors.name.tooLong').default('') });
export type Holiday = z.infer<typeof Holiday>;

/**
 * A make-up working day (调休): a date, usually a Saturday or Sunday, that is a working day and
 * follows the weekly hours of weekday `worksLike` ("2026-02-14 works like a Monday"), for the site
 * and for every resource's weekly schedule.
 */
export const WorkdayOverride = z.object({ date: LocalDate, worksLike: Weekday });
export type WorkdayOverride = z.infer<typeof WorkdayOverride>;

function uniqueDates(items: { date: string }[], path: string, ctx: z.RefinementCtx): Set<string> {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.date)) ctx.addIssue({ code: 'custom', path: [path, i, 'date'], message: 'errors.schedule.duplicateDate' });
    seen.add(it.date);
  });
  return seen;
}

/**
 * A site's opening rules. For a date, the first that applies wins:
 * 1. a `dateOverrides` entry for that date (special hours, or closed);
 * 2. a closure covering it or a holiday on it: closed;
 * 3. `openingHours` of the date's pattern weekday: its `workdayOverrides.worksLike` if listed,
 *    else its own weekday.
 */
export const SiteSchedule = z
  .object({
    timeZone: TimeZone,
    /** Slot starts lie on this wall-clock grid, counted from local midnight. */
    granularityMinutes: z.literal([5, 10, 15, 30, 60], { message: 'errors.schedule.granularity' }),
    openingHours: WeeklyHours,
    closures: z.array(Closure).default([]),
    holidays: z.array(Holiday).default([]),
    workdayOverrides: z.array(WorkdayOverride).default([]),
    dateOverrides: z.array(DateOverride).default([]),
  })
  .superRefine((s, ctx) => {
    const holidays = uniqueDates(s.holidays, 'holidays', ctx);
    uniqueDates(s.dateOverrides, 'dateOverrides', ctx);
    uniqueDates(s.workdayOverrides, 'workdayOverrides', ctx).forEach((date) => {
      if (holidays.has(date)) {
        const i = s.workdayOverrides.findIndex((w) => w.date === date);
        ctx.addIssue({ code: 'custom', path: ['workdayOverrides', i, 'date'], message: 'errors.schedule.holidayWorkday' });
      }
    });
  });
export type SiteSchedule = z.infer<typeof SiteSchedule>;

/**
 * One weekly pattern of a resource, in force from `effectiveFrom` to `effectiveTo` (both included;
 * null = open-ended). With `alternateWeeksFrom` set it applies only every other week: the ISO week
 * (Monday–Sunday) holding that date, two weeks later, two weeks earlier, and so on. A resource may
 * have several patterns (a new rota from next month; week A and week B); on a date the ranges of
 * all patterns in force are combined.
 */
export const WeeklySchedule = z
  .object({
    ranges: WeeklyHours,
    effectiveFrom: LocalDate.nullable().default(null),
    effectiveTo: LocalDate.nullable().default(null),
    alternateWeeksFrom: LocalDate.nullable().default(null),
  })
  .refine((w) => w.effectiveFrom === null || w.effectiveTo === null || w.effectiveTo >= w.effectiveFrom, {
    message: 'errors.schedule.dateRangeOrder',
    path: ['effectiveTo'],
  });
export type WeeklySchedule = z.infer<typeof WeeklySchedule>;

/** Time off as instants [start, end): leave, sick days, a training. */
export const InstantRange = z
  .object({ start: Instant, end: Instant })
  .refine((r) => r.end > r.start, endAfterStart);
export type InstantRange = z.infer<typeof InstantRange>;

/** What a service needs: 'practitioner', 'room', 'coach', 'machine', … */
export const ResourceKind = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'errors.resource.kind');

/**
 * A bookable resource's working time. On a date it works the ranges of its `dateOverrides` entry
 * if any (`ranges: []` = off), else those of its weekly patterns in force for the date's pattern
 * weekday (see SiteSchedule), always intersected with the site's opening hours and minus `leave`.
 */
export const ResourceSchedule = z
  .object({
    id: z.uuid({ message: 'errors.id.invalid' }),
    kind: ResourceKind,
    schedules: z.array(WeeklySchedule).default([]),
    dateOverrides: z.array(DateOverride).default([]),
    leave: z.array(InstantRange).default([]),
  })
  .superRefine((r, ctx) => {
    uniqueDates(r.dateOverrides, 'dateOverrides', ctx);
  });
export type ResourceSchedule = z.infer<typeof ResourceSchedule>;

/**
 * A service's booking rules. `seats` 1 is a private appointment, more is a group class (whose seats
 * are counted per session). `resourceKinds` lists what one booking holds at once, e.g.
 * ['practitioner', 'room']; a kind listed twice needs two different resources of that kind.
 * Buffers are resource time before and after the appointment (preparation, cleaning): they must
 * fall in working time and may not overlap other bookings or their buffers.
 */
export const ServiceSpec = z.object({
  durationMinutes: z.int({ message: 'errors.service.duration' }).min(1, 'errors.service.duration').max(1440, 'errors.service.duration'),
  bufferBeforeMinutes: z.int({ message: 'errors.service.buffer' }).min(0, 'errors.service.buffer').max(240, 'errors.service.buffer').default(0),
  bufferAfterMinutes: z.int({ message: 'errors.service.buffer' }).min(0, 'errors.service.buffer').max(240, 'errors.service.buffer').default(0),
  seats: z.int({ message: 'errors.service.seats' }).min(1, 'errors.service.seats').max(500, 'errors.service.seats').default(1),
  resourceKinds: z.array(ResourceKind).min(1, 'errors.service.resourceKinds').max(4, 'errors.service.resourceKinds'),
  /** A slot must start at least this long after now. */
  minNoticeMinutes: z.int({ message: 'errors.service.notice' }).min(0, 'errors.service.notice').max(525_600, 'errors.service.notice').default(0),
  /** A slot must start less than this many days (of 24 h) after now. */
  maxAdvanceDays: z.int({ message: 'errors.service.advance' }).min(1, 'errors.service.advance').max(730, 'errors.service.advance').default(90),
});
export type ServiceSpec = z.infer<typeof ServiceSpec>;
