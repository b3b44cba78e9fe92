/**
 * The scheduling records as the rules see them (sites with their settings, services, resources),
 * the JSON shapes stored in their text columns, and the conversions from database rows. The rules
 * (booking-rules.ts) work on these plain objects only, so they are pure and tested without a
 * database; the mutators read rows, convert them here and hand them over.
 *
 * The site's calendar and each resource's hours are JSON read on every booking and rarely edited,
 * so their parsed values are kept by text (`parseKept`). The kept values are shared, so they are
 * deep-frozen; schedule.ts keeps what it derives from them (days by number, weekly patterns) by
 * the identity of those frozen arrays.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { ResourcesTable, ServicesTable, SitesTable } from '../db-schema';
import {
  Closure,
  DateOverride,
  Holiday,
  InstantRange,
  WeeklyHours,
  WeeklySchedule,
  WorkdayOverride,
  type ResourceSchedule,
  type ServiceSpec,
  type SiteSchedule,
} from './scheduling.schema';

/** The date-level opening rules of a site, stored as JSON in `sites.schedule`. */
export const SiteCalendar = z.object({
  openingHours: WeeklyHours,
  closures: z.array(Closure).default([]),
  holidays: z.array(Holiday).default([]),
  workdayOverrides: z.array(WorkdayOverride).default([]),
  dateOverrides: z.array(DateOverride).default([]),
});
export type SiteCalendar = z.infer<typeof SiteCalendar>;

function duplicateDates(items: readonly { date: string }[], path: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.date)) ctx.addIssue({ code: 'custom', path: [path, i, 'date'], message: 'errors.schedule.duplicateDate' });
    seen.add(it.date);
  });
}

/** A resource's working time, stored as JSON in `resources.schedule` (ResourceSchedule minus id and kind). */
export const ResourceHours = z
  .object({
    schedules: z.array(WeeklySchedule).default([]),
    dateOverrides: z.array(DateOverride).default([]),
    leave: z.array(InstantRange).default([]),
  })
  .superRefine((h, ctx) => duplicateDates(h.dateOverrides, 'dateOverrides', ctx));
export type ResourceHours = z.infer<typeof ResourceHours>;

export type Granularity = SiteSchedule['granularityMinutes'];

/** About a hundred sites' calendars and resources' hours at a time; past that the map starts again. */
const MAX_KEPT = 512;
const keptJson = new Map<string, unknown>();

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/** `JSON.parse`, kept by text and deep-frozen: equal texts give the same (frozen) value. */
function parseKept<T>(text: string): T {
  let v = keptJson.get(text);
  if (v === undefined) {
    v = deepFreeze(JSON.parse(text) as unknown);
    if (keptJson.size >= MAX_KEPT) keptJson.clear();
    keptJson.set(text, v);
  }
  return v as T;
}

export interface SiteRules {
  id: string;
  organizationId: string;
  name: string;
  schedule: SiteSchedule;
  holdMinutes: number;
  lateCancelHours: number;
  noShowGraceMinutes: number;
  waitlistAutoOffer: boolean;
  blacklistAfterNoShows: number | null;
}

export interface ServiceRules {
  id: string;
  siteId: string;
  name: string;
  active: boolean;
  spec: ServiceSpec;
  priceMinor: number;
  currency: string;
}

export interface ResourceInfo {
  id: string;
  siteId: string;
  name: string;
  kind: string;
  active: boolean;
  capacity: number | null;
  schedule: ResourceSchedule;
}

export function siteRulesOf(row: Selectable<SitesTable>): SiteRules {
  const calendar = parseKept<SiteCalendar>(row.schedule);
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    schedule: { timeZone: row.time_zone, granularityMinutes: row.granularity_minutes as Granularity, ...calendar },
    holdMinutes: row.hold_minutes,
    lateCancelHours: row.late_cancel_hours,
    noShowGraceMinutes: row.no_show_grace_minutes,
    waitlistAutoOffer: row.waitlist_auto_offer === 1,
    blacklistAfterNoShows: row.blacklist_after_no_shows,
  };
}

/** The calendar part of a site schedule, as stored. */
export function calendarOf(s: SiteSchedule): SiteCalendar {
  return {
    openingHours: s.openingHours,
    closures: s.closures,
    holidays: s.holidays,
    workdayOverrides: s.workdayOverrides,
    dateOverrides: s.dateOverrides,
  };
}

/** The columns of `services` that ServiceRules holds: what the rules read. */
export const SERVICE_RULE_COLUMNS = [
  'id',
  'site_id',
  'name',
  'active',
  'price_minor',
  'currency',
  'duration_minutes',
  'buffer_before_minutes',
  'buffer_after_minutes',
  'seats',
  'resource_kinds',
  'min_notice_minutes',
  'max_advance_days',
] as const satisfies readonly (keyof ServicesTable)[];

export function serviceRulesOf(row: Pick<Selectable<ServicesTable>, (typeof SERVICE_RULE_COLUMNS)[number]>): ServiceRules {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    active: row.active === 1,
    priceMinor: row.price_minor,
    currency: row.currency,
    spec: {
      durationMinutes: row.duration_minutes,
      bufferBeforeMinutes: row.buffer_before_minutes,
      bufferAfterMinutes: row.buffer_after_minutes,
      seats: row.seats,
      resourceKinds: JSON.parse(row.resource_kinds) as string[],
      minNoticeMinutes: row.min_notice_minutes,
      maxAdvanceDays: row.max_advance_days,
    },
  };
}

/** The columns of `resources` that ResourceInfo holds. */
export const RESOURCE_INFO_COLUMNS = ['id', 'site_id', 'name', 'kind', 'active', 'capacity', 'schedule'] as const satisfies readonly (keyof ResourcesTable)[];

export function resourceInfoOf(row: Pick<Selectable<ResourcesTable>, (typeof RESOURCE_INFO_COLUMNS)[number]>): ResourceInfo {
  const hours = parseKept<ResourceHours>(row.schedule);
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    kind: row.kind,
    active: row.active === 1,
    capacity: row.capacity,
    schedule: { id: row.id, kind: row.kind, ...hours },
  };
}
