/**
 * Site settings and calendar. Date-level rules (opening hours, holidays, planned closures, 调休
 * make-up days, special hours) live in `sites.schedule` as a SiteCalendar; an emergency closure by
 * the hour is a row of site_closures. Both take effect for new bookings at once (working time is
 * computed from them); existing bookings stay, and each change returns the bookings it leaves
 * outside open time, so staff can call those customers.
 *
 * The calendar edits are small mutators (one date, one closure) rather than "save the whole
 * calendar", so two desks editing different dates offline both keep their change after sync.
 */
import type { Updateable } from 'kysely';
import { z } from 'zod';
import type { SitesTable, Tx } from '../db-schema';
import { AppError } from '../errors';
import { defineMutator, type MutatorContext } from '../mutator';
import { LocalDate, TimeZone } from '../time';
import { parseOrThrow } from '../validation';
import { bookingsOutsideOpenTime, findAffectedBookings, loadSite, type AffectedBooking } from './booking.queries';
import { Closure, DateOverride, DayRanges, Holiday, Instant, SiteSchedule, WeeklyHours, Weekday, WorkdayOverride } from './scheduling.schema';
import { calendarOf, type SiteRules } from './scheduling.model';

const Id = z.uuid({ message: 'errors.id.invalid' });

export const SiteSettingsPatch = z.object({
  name: z.string().trim().min(1, 'errors.name.required').max(64, 'errors.name.tooLong').optional(),
  timeZone: TimeZone.optional(),
  granularityMinutes: z.literal([5, 10, 15, 30, 60], { message: 'errors.schedule.granularity' }).optional(),
  holdMinutes: z.int({ message: 'errors.site.holdMinutes' }).min(1, 'errors.site.holdMinutes').max(1440, 'errors.site.holdMinutes').optional(),
  lateCancelHours: z.int({ message: 'errors.site.lateCancelHours' }).min(0, 'errors.site.lateCancelHours').max(720, 'errors.site.lateCancelHours').optional(),
  noShowGraceMinutes: z.int({ message: 'errors.site.noShowGrace' }).min(0, 'errors.site.noShowGrace').max(1440, 'errors.site.noShowGrace').optional(),
  waitlistAutoOffer: z.boolean().optional(),
  /** null = never blacklist automatically. */
  blacklistAfterNoShows: z.int({ message: 'errors.site.blacklistThreshold' }).min(1, 'errors.site.blacklistThreshold').max(100, 'errors.site.blacklistThreshold').nullable().optional(),
  openingHours: WeeklyHours.optional(),
  closures: z.array(Closure).optional(),
  holidays: z.array(Holiday).optional(),
  workdayOverrides: z.array(WorkdayOverride).optional(),
  dateOverrides: z.array(DateOverride).optional(),
});
export type SiteSettingsPatch = z.infer<typeof SiteSettingsPatch>;

export const UpdateSiteSettingsArgs = z.object({ siteId: Id, patch: SiteSettingsPatch });

const day = { siteId: Id, date: LocalDate };
/** One date of the site's calendar: back to normal, a holiday, a 调休 make-up working day, or special hours (`ranges: []` = closed). */
export const SetSpecialDayArgs = z.discriminatedUnion('kind', [
  z.object({ ...day, kind: z.literal('normal') }),
  z.object({ ...day, kind: z.literal('holiday'), name: z.string().trim().max(64, 'errors.name.tooLong').default('') }),
  z.object({ ...day, kind: z.literal('workday'), worksLike: Weekday }),
  z.object({ ...day, kind: z.literal('hours'), ranges: DayRanges }),
]);
export type SetSpecialDayArgs = z.infer<typeof SetSpecialDayArgs>;

export const AddClosureArgs = z.object({ siteId: Id, closure: Closure });
export const RemoveClosureArgs = z.object({ siteId: Id, from: LocalDate, to: LocalDate });

export const CloseNowArgs = z
  .object({
    id: Id,
    siteId: Id,
    /** Defaults to now. */
    start: Instant.optional(),
    end: Instant,
    reason: z.string().trim().min(1, 'errors.site.closureReason').max(200, 'errors.reason.tooLong'),
  })
  .refine((a) => a.start === undefined || a.end > a.start, { message: 'errors.schedule.endBeforeStart', path: ['end'] });
export type CloseNowArgs = z.infer<typeof CloseNowArgs>;

export const ReopenArgs = z.object({ id: Id });

async function saveSchedule(tx: Tx, site: SiteRules, schedule: SiteSchedule): Promise<void> {
  await tx.updateTable('sites').set({ schedule: JSON.stringify(calendarOf(schedule)) }).where('id', '=', site.id).execute();
}

export const updateSiteSettings = defineMutator({
  name: 'site.updateSettings',
  version: 1,
  permission: 'site.manage',
  args: UpdateSiteSettingsArgs,
  async apply(tx, { siteId, patch }, ctx) {
    const site = await loadSite(tx, ctx.actor, siteId);
    const s = site.schedule;
    // The parts are valid one by one; together they must be too (no date both holiday and workday).
    const schedule = parseOrThrow(SiteSchedule, {
      timeZone: patch.timeZone ?? s.timeZone,
      granularityMinutes: patch.granularityMinutes ?? s.granularityMinutes,
      openingHours: patch.openingHours ?? s.openingHours,
      closures: patch.closures ?? s.closures,
      holidays: patch.holidays ?? s.holidays,
      workdayOverrides: patch.workdayOverrides ?? s.workdayOverrides,
      dateOverrides: patch.dateOverrides ?? s.dateOverrides,
    });
    const next: Updateable<SitesTable> = {
      time_zone: schedule.timeZone,
      granularity_minutes: schedule.granularityMinutes,
      schedule: JSON.stringify(calendarOf(schedule)),
    };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.holdMinutes !== undefined) next.hold_minutes = patch.holdMinutes;
    if (patch.lateCancelHours !== undefined) next.late_cancel_hours = patch.lateCancelHours;
    if (patch.noShowGraceMinutes !== undefined) next.no_show_grace_minutes = patch.noShowGraceMinutes;
    if (patch.waitlistAutoOffer !== undefined) next.waitlist_auto_offer = patch.waitlistAutoOffer ? 1 : 0;
    if (patch.blacklistAfterNoShows !== undefined) next.blacklist_after_no_shows = patch.blacklistAfterNoShows;
    await tx.updateTable('sites').set(next).where('id', '=', siteId).execute();
    return { id: siteId };
  },
});

export const setSpecialDay = defineMutator({
  name: 'site.setSpecialDay',
  version: 1,
  permission: 'site.manage',
  args: SetSpecialDayArgs,
  async apply(tx, args, ctx): Promise<{ affected: AffectedBooking[] }> {
    const site = await loadSite(tx, ctx.actor, args.siteId);
    const s = site.schedule;
    // A date has at most one special meaning: setting one replaces any other.
    const other = <T extends { date: string }>(xs: readonly T[]): T[] => xs.filter((x) => x.date !== args.date);
    const schedule: SiteSchedule = {
      ...s,
      holidays: [...other(s.holidays), ...(args.kind === 'holiday' ? [{ date: args.date, name: args.name }] : [])],
      workdayOverrides: [...other(s.workdayOverrides), ...(args.kind === 'workday' ? [{ date: args.date, worksLike: args.worksLike }] : [])],
      dateOverrides: [...other(s.dateOverrides), ...(args.kind === 'hours' ? [{ date: args.date, ranges: args.ranges }] : [])],
    };
    await saveSchedule(tx, site, schedule);
    return { affected: await bookingsOutsideOpenTime(tx, { ...site, schedule }, args.date, args.date) };
  },
});

export const addClosure = defineMutator({
  name: 'site.addClosure',
  version: 1,
  permission: 'site.manage',
  args: AddClosureArgs,
  async apply(tx, { siteId, closure }, ctx): Promise<{ affected: AffectedBooking[] }> {
    const site = await loadSite(tx, ctx.actor, siteId);
    const schedule = { ...site.schedule, closures: [...site.schedule.closures, closure] };
    await saveSchedule(tx, site, schedule);
    return { affected: await bookingsOutsideOpenTime(tx, { ...site, schedule }, closure.from, closure.to) };
  },
});

export const removeClosure = defineMutator({
  name: 'site.removeClosure',
  version: 1,
  permission: 'site.manage',
  args: RemoveClosureArgs,
  async apply(tx, { siteId, from, to }, ctx) {
    const site = await loadSite(tx, ctx.actor, siteId);
    const closures = site.schedule.closures.filter((c) => !(c.from === from && c.to === to));
    await saveSchedule(tx, site, { ...site.schedule, closures });
    // Removing what another desk already removed is not an error: the outcome is the same.
    return { removed: site.schedule.closures.length - closures.length };
  },
});

/**
 * The bookings an emergency closure would hit, for the desk to show BEFORE confirming it:
 * upcoming and ongoing bookings of the site that meet [start, end).
 */
export async function previewCloseNow(
  tx: Tx,
  ctx: Pick<MutatorContext, 'actor' | 'clock'>,
  a: { siteId: string; start?: number | undefined; end: number },
): Promise<AffectedBooking[]> {
  const site = await loadSite(tx, ctx.actor, a.siteId);
  return findAffectedBookings(tx, site.organizationId, site.id, { start: a.start ?? ctx.clock.now(), end: a.end });
}

export const closeNow = defineMutator({
  name: 'site.closeNow',
  version: 1,
  permission: 'site.close',
  args: CloseNowArgs,
  async apply(tx, args, ctx) {
    const site = await loadSite(tx, ctx.actor, args.siteId);
    const now = ctx.clock.now();
    const start = args.start ?? now;
    if (args.end <= start) throw new AppError('INVALID', 'errors.schedule.endBeforeStart', {}, [{ path: ['end'], key: 'errors.schedule.endBeforeStart' }]);
    if (args.end <= now) throw new AppError('INVALID', 'errors.site.closurePast', {}, [{ path: ['end'], key: 'errors.site.closurePast' }]);
    const dup = await tx.selectFrom('site_closures').select('id').where('id', '=', args.id).executeTakeFirst();
    if (dup) throw new AppError('CONFLICT', 'errors.id.taken', { id: args.id });
    await tx
      .insertInto('site_closures')
      .values({
        id: args.id,
        organization_id: site.organizationId,
        site_id: site.id,
        start_at: start,
        end_at: args.end,
        reason: args.reason,
        created_by: ctx.actor.staffId,
        created_at: now,
      })
      .execute();
    // The bookings stay as they are: staff call each customer and reschedule or cancel.
    const affected = await findAffectedBookings(tx, site.organizationId, site.id, { start, end: args.end });
    return { id: args.id, start, end: args.end, affected };
  },
});

/** Ends an emergency closure now (the power is back); one not started yet is dropped. */
export const reopen = defineMutator({
  name: 'site.reopen',
  version: 1,
  permission: 'site.close',
  args: ReopenArgs,
  async apply(tx, { id }, ctx) {
    const row = await tx
      .selectFrom('site_closures')
      .selectAll()
      .where('id', '=', id)
      .where('organization_id', '=', ctx.actor.organizationId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'errors.site.closureNotFound', { id });
    await loadSite(tx, ctx.actor, row.site_id);
    const now = ctx.clock.now();
    if (row.start_at >= now) await tx.deleteFrom('site_closures').where('id', '=', id).execute();
    else if (row.end_at > now) await tx.updateTable('site_closures').set({ end_at: now }).where('id', '=', id).execute();
    return { id, end: Math.min(row.end_at, Math.max(row.start_at, now)) };
  },
});

export const SITE_MUTATORS = [updateSiteSettings, setSpecialDay, addClosure, removeClosure, closeNow, reopen] as const;
