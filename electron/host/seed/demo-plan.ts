/**
 * The demo calendar, planned: from the seed's "now" and the customers, the steps that set up the
 * clinic and the gym (demo-catalog.ts) and fill the current week and the next with what a front
 * desk would have seen happen: appointments booked days ahead (some online, confirmed later),
 * checked in, treated and completed in the days gone by, a few cancelled (some late), a no-show
 * or two, walk-ins earlier today, a weekly physiotherapy series of ten, and a class timetable
 * whose seats were booked, some sessions to the last seat.
 *
 * Planning is pure and deterministic (a seeded PRNG; times from "now" in Asia/Shanghai), and it
 * keeps its own account of who is busy when, so every booking it plans fits: resources never
 * overlap (buffers included), customers are never in two places, sessions are never oversold,
 * and everything lies in working time. The mutators still check all of it when the steps run.
 *
 * Bookings fill 60–65% of the doctors' working time; the clinic's bookings, the physio
 * series and the walk-ins share one account per resource and customer with the gym's sessions
 * and personal training, since customers belong to the organization, not to a site.
 */
import type { LocalDate } from '../../../core/time';
import { localDateOf } from '../../../core/time';
import { seriesStarts } from '../../../core/scheduling/booking-rules';
import { workingIntervals } from '../../../core/scheduling/schedule';
import type { BookingStatus } from '../../../core/scheduling/schedule';
import type { ResourceHours } from '../../../core/scheduling/scheduling.model';
import type { ResourceSchedule, SiteSchedule } from '../../../core/scheduling/scheduling.schema';
import { addDays, HOUR_MS, MINUTE_MS, wallTimeToInstant, weekdayOf } from '../../../core/scheduling/zoned-time';
import { cnHolidays } from './cn-holidays';
import {
  BOOKING_NOTES,
  CUSTOMER_CANCEL_REASONS,
  DEPARTMENTS,
  hm,
  on,
  ROOMS,
  SERVICES,
  SESSION_CANCEL_REASON,
  SITE_RULES,
  STAFF,
  STAFF_CANCEL_REASONS,
  TIMETABLE,
  type ServiceDef,
  type SiteKey,
  type StaffDef,
} from './demo-catalog';
import { prng } from './prng';
import { demoId, type SeedStep } from './seed-steps';

export const DEMO_TIME_ZONE = 'Asia/Shanghai';
/** Slot starts lie on this grid at both sites; Shanghai's offset is whole hours, so UTC has the same grid. */
const GRID_MS = 15 * MINUTE_MS;
/** The share of grid steps left free while filling a doctor's day: leaves 60–65% of it booked. */
const CLINIC_GAP = 0.55;

export interface PlanInput {
  organizationId: string;
  sites: Record<SiteKey, string>;
  /** The demo's "now": what lies before it has happened, what lies after it is booked ahead. */
  now: number;
  /** Customer ids in a stable order (the seed passes them sorted by phone). */
  customers: readonly string[];
  seed?: number;
}

export interface DemoPlan {
  steps: SeedStep[];
  /** Monday of the current week: the calendar covers it and the 13 days after it. */
  firstDay: LocalDate;
  lastDay: LocalDate;
}

interface Span {
  start: number;
  end: number;
}

/** One account of busy spans (a resource's blocked time, a customer's own time). */
class Busy {
  private readonly spans = new Map<string, Span[]>();

  free(key: string, s: Span): boolean {
    return !(this.spans.get(key) ?? []).some((b) => b.start < s.end && s.start < b.end);
  }

  add(key: string, s: Span): void {
    const list = this.spans.get(key);
    if (list) list.push(s);
    else this.spans.set(key, [s]);
  }
}

interface Appointment {
  key: string;
  id: string;
  site: SiteKey;
  service: ServiceDef;
  customerId: string;
  start: number;
  end: number;
  resourceIds: string[];
  createdAt: number;
}

/** The demo's two weeks: from the Monday of the week holding `now` (Asia/Shanghai) to the Sunday after next. */
export function demoWeek(now: number): { today: LocalDate; firstDay: LocalDate; lastDay: LocalDate } {
  const today = localDateOf(now, DEMO_TIME_ZONE);
  const firstDay = addDays(today, 1 - weekdayOf(today));
  return { today, firstDay, lastDay: addDays(firstDay, 13) };
}

export function planDemoCalendar(input: PlanInput): DemoPlan {
  const { organizationId: org, sites, now, customers } = input;
  const tz = DEMO_TIME_ZONE;
  const rnd = prng(input.seed ?? 20261123);
  const { today, firstDay, lastDay } = demoWeek(now);
  const days = Array.from({ length: 14 }, (_, i) => addDays(firstDay, i));
  const at = (date: LocalDate, time: string | number) => wallTimeToInstant(date, typeof time === 'string' ? hm(time) : time, tz);

  const steps: SeedStep[] = [];
  const seq = new Map<SeedStep, number>();
  const push = (s: SeedStep) => {
    seq.set(s, seq.size);
    steps.push(s);
  };

  // ---- random helpers -------------------------------------------------------------------------
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const weighted = (w: Record<string, number>): string => {
    const entries = Object.entries(w);
    let x = rnd() * entries.reduce((n, [, v]) => n + v, 0);
    for (const [k, v] of entries) {
      x -= v;
      if (x < 0) return k;
    }
    return entries[entries.length - 1]![0];
  };
  const floorMinute = (t: number) => Math.floor(t / MINUTE_MS) * MINUTE_MS;
  /** A whole minute in [lo, hi], or null when there is none. */
  const between = (lo: number, hi: number): number | null => {
    const a = Math.ceil(lo / MINUTE_MS);
    const b = Math.floor(hi / MINUTE_MS);
    return b < a ? null : (a + Math.floor(rnd() * (b - a + 1))) * MINUTE_MS;
  };

  // ---- the catalog ----------------------------------------------------------------------------
  const setupAt = at(addDays(firstDay, -28), '09:00');
  let setupTick = 0;
  const nextSetup = () => setupAt + 1000 * setupTick++;

  const year = Number(today.slice(0, 4));
  const { holidays, workdayOverrides } = cnHolidays([year, year + 1]);
  const siteSchedules = {} as Record<SiteKey, SiteSchedule>;
  for (const site of ['clinic', 'gym'] as const) {
    const r = SITE_RULES[site];
    const calendar = {
      openingHours: r.openingHours,
      holidays: r.publicHolidays ? holidays : [],
      workdayOverrides: r.publicHolidays ? workdayOverrides : [],
    };
    siteSchedules[site] = { timeZone: tz, granularityMinutes: r.granularityMinutes, closures: [], dateOverrides: [], ...calendar };
    const settings = {
      granularityMinutes: r.granularityMinutes,
      holdMinutes: r.holdMinutes,
      lateCancelHours: r.lateCancelHours,
      noShowGraceMinutes: r.noShowGraceMinutes,
      waitlistAutoOffer: r.waitlistAutoOffer,
      blacklistAfterNoShows: r.blacklistAfterNoShows,
    };
    push({
      key: `settings/${site}`,
      at: nextSetup(),
      site,
      mutator: 'site.updateSettings',
      args: { siteId: sites[site], patch: { ...settings, ...calendar } },
      check: { kind: 'site', siteId: sites[site], expect: { ...settings, calendar } },
      optional: false,
    });
  }

  const departmentIds = new Map<string, string>();
  for (const d of DEPARTMENTS) {
    const key = `department/${d.key}`;
    const t = nextSetup();
    const id = demoId(org, key, t);
    departmentIds.set(d.key, id);
    push({
      key,
      at: t,
      site: 'clinic',
      mutator: 'department.create',
      args: { id, siteId: sites.clinic, name: d.name, colour: d.colour },
      check: { kind: 'row', table: 'departments', id },
      optional: false,
    });
  }
  const dept = (key: string | null) => (key === null ? null : departmentIds.get(key)!);

  interface Res {
    id: string;
    site: SiteKey;
    name: string;
    kind: string;
    schedule: ResourceSchedule;
  }
  const resources = new Map<string, Res>();
  const addResource = (key: string, site: SiteKey, kind: string, name: string, hours: ResourceHours, rest: Record<string, unknown>) => {
    const stepKey = `resource/${key}`;
    const t = nextSetup();
    const id = demoId(org, stepKey, t);
    resources.set(key, { id, site, name, kind, schedule: { id, kind, ...hours } });
    push({
      key: stepKey,
      at: t,
      site,
      mutator: 'resource.create',
      args: { id, siteId: sites[site], kind, name, schedule: hours, ...rest },
      check: { kind: 'row', table: 'resources', id },
      optional: false,
    });
  };
  for (const s of STAFF) {
    const hours: ResourceHours = {
      schedules: s.rota.map((r) => ({
        ranges: r.ranges,
        effectiveFrom: null,
        effectiveTo: null,
        alternateWeeksFrom: r.alternate === undefined ? null : addDays(firstDay, 7 * r.alternate),
      })),
      dateOverrides: [],
      leave: s.leaveDays ? [{ start: at(addDays(firstDay, s.leaveDays[0]), 0), end: at(addDays(firstDay, s.leaveDays[1] + 1), 0) }] : [],
    };
    addResource(s.key, s.site, s.kind, s.name, hours, { departmentId: dept(s.department), colour: s.colour });
  }
  const allDay: ResourceHours = { schedules: [{ ranges: on([1, 2, 3, 4, 5, 6, 7], '00:00-24:00'), effectiveFrom: null, effectiveTo: null, alternateWeeksFrom: null }], dateOverrides: [], leave: [] };
  for (const r of ROOMS) addResource(r.key, r.site, r.kind, r.name, allDay, { departmentId: dept(r.department), capacity: r.capacity });
  const res = (key: string) => resources.get(key)!;

  const serviceIds = new Map<string, string>();
  for (const s of SERVICES) {
    const key = `service/${s.key}`;
    const t = nextSetup();
    const id = demoId(org, key, t);
    serviceIds.set(s.key, id);
    push({
      key,
      at: t,
      site: s.site,
      mutator: 'service.create',
      args: {
        id,
        siteId: sites[s.site],
        departmentId: dept(s.department),
        category: s.category,
        name: s.name,
        price: { amountMinor: s.price, currency: 'CNY' },
        colour: s.colour,
        durationMinutes: s.durationMinutes,
        bufferBeforeMinutes: s.bufferBeforeMinutes,
        bufferAfterMinutes: s.bufferAfterMinutes,
        seats: s.seats,
        resourceKinds: s.resourceKinds,
        minNoticeMinutes: s.minNoticeMinutes,
      },
      check: { kind: 'row', table: 'services', id },
      optional: false,
    });
  }
  const service = (key: string) => SERVICES.find((s) => s.key === key)!;

  // ---- who works when, who is busy when -------------------------------------------------------
  const workCache = new Map<string, Span[]>();
  const working = (key: string, to: LocalDate = lastDay): Span[] => {
    const cacheKey = `${key}/${to}`;
    let w = workCache.get(cacheKey);
    if (!w) {
      const r = res(key);
      w = workingIntervals(r.schedule, siteSchedules[r.site], firstDay, to);
      workCache.set(cacheKey, w);
    }
    return w;
  };
  const works = (key: string, s: Span, to?: LocalDate) => working(key, to).some((w) => w.start <= s.start && s.end <= w.end);
  const busy = new Busy();
  const blockedOf = (svc: ServiceDef, start: number): Span => ({
    start: start - svc.bufferBeforeMinutes * MINUTE_MS,
    end: start + (svc.durationMinutes + svc.bufferAfterMinutes) * MINUTE_MS,
  });
  const endOf = (svc: ServiceDef, start: number) => start + svc.durationMinutes * MINUTE_MS;
  const dayStarts = [...days, addDays(lastDay, 1)].map((d) => at(d, 0));
  /** Which of the 14 days an instant falls on (negative outside them). */
  const dayIndex = (t: number) => dayStarts.findIndex((s) => t < s) - 1;
  /** Customers with an appointment at a site on a day: nobody comes twice the same day. */
  const seenOn = new Map<string, Set<string>>();
  /** A customer free over the span, chosen at random; reserved. With `site`, one not seen there that day. */
  const pickCustomer = (s: Span, site?: SiteKey): string | null => {
    const dayKey = site === undefined ? '' : `${site}/${dayIndex(s.start)}`;
    const seen = seenOn.get(dayKey) ?? new Set<string>();
    for (let i = 0; i < 12 && customers.length > 0; i++) {
      const c = customers[Math.floor(rnd() * customers.length)]!;
      if (!seen.has(c) && busy.free(c, s)) {
        busy.add(c, s);
        if (site !== undefined) seenOn.set(dayKey, seen.add(c));
        return c;
      }
    }
    return null;
  };

  const openFrom = at(addDays(firstDay, -14), '09:00');
  const noShowCustomers = new Set<string>();

  /**
   * The life of an appointment after it was made, as status steps up to now: confirmed (online
   * ones), then cancelled, a no-show, or arrived, in service and completed.
   */
  const lifecycle = (
    b: Appointment,
    o: { online: boolean; cancelChance: number; noShowChance: number; inService: boolean; graceMinutes: number; lateCancelHours: number; until?: number },
  ) => {
    let last = b.createdAt;
    const until = Math.min(now, o.until ?? Infinity);
    const step = (to: BookingStatus, t: number | null, extra: Record<string, unknown> = {}): boolean => {
      if (t === null || t > until) return false;
      last = Math.max(t, last + MINUTE_MS);
      push({
        key: `${b.key}/${to}`,
        at: last,
        site: b.site,
        mutator: 'booking.transition',
        args: { id: b.id, to, ...extra },
        check: { kind: 'status', bookingId: b.id, status: to },
        optional: true,
      });
      return true;
    };
    if (o.online) {
      const t = last + Math.floor(10 + rnd() * 230) * MINUTE_MS;
      if (t < b.start - 30 * MINUTE_MS) step('confirmed', t);
    }
    if (chance(o.cancelChance)) {
      const byCustomer = chance(0.8);
      const late = byCustomer && chance(0.4);
      const hi = Math.min(now, late ? b.start - 30 * MINUTE_MS : b.start - o.lateCancelHours * HOUR_MS);
      const lo = Math.max(last + 5 * MINUTE_MS, late ? b.start - o.lateCancelHours * HOUR_MS + MINUTE_MS : last + 30 * MINUTE_MS);
      const t = between(lo, hi);
      const reason = byCustomer ? pick(CUSTOMER_CANCEL_REASONS) : pick(STAFF_CANCEL_REASONS);
      if (step('cancelled', t, { cancelledBy: byCustomer ? 'customer' : 'staff', reason })) return;
    }
    if (!noShowCustomers.has(b.customerId) && chance(o.noShowChance)) {
      const t = b.start + (o.graceMinutes + 1 + Math.floor(rnd() * 40)) * MINUTE_MS;
      if (t <= until) {
        noShowCustomers.add(b.customerId);
        step('noShow', t);
        return;
      }
    }
    // Patients come early and wait; gym members check in at the gate just before class.
    if (!step('arrived', b.start - Math.floor(o.inService ? 5 + rnd() * 26 : 3 + rnd() * 15) * MINUTE_MS)) return;
    const completedAt = b.end + Math.floor(rnd() * 6) * MINUTE_MS;
    // "In service" is shown for the appointments going on now; those long done go from arrived
    // to completed (a step the state machine allows), which keeps the seed short.
    if (o.inService && completedAt > now && !step('inService', b.start + Math.floor(rnd() * 6) * MINUTE_MS)) return;
    step('completed', completedAt);
  };

  /** When an appointment starting at `start` was booked: some time between `lo` and its notice. */
  const bookedAt = (svc: ServiceDef, start: number, lo: number): number => {
    const hi = floorMinute(Math.min(now, start - Math.max(60, svc.minNoticeMinutes) * MINUTE_MS));
    return between(Math.min(lo, hi), hi)!;
  };

  const appointment = (key: string, site: SiteKey, svc: ServiceDef, customerId: string, start: number, resourceIds: string[], createdAt: number): Appointment => ({
    key,
    id: demoId(org, key, createdAt),
    site,
    service: svc,
    customerId,
    start,
    end: endOf(svc, start),
    resourceIds,
    createdAt,
  });

  const reserve = (keys: readonly string[], s: Span) => keys.forEach((k) => busy.add(res(k).id, s));
  const isFree = (keys: readonly string[], s: Span) => keys.every((k) => busy.free(res(k).id, s));

  // ---- the gym's timetable (fixed first: everything else fits around it) ----------------------
  interface Session {
    key: string;
    id: string;
    svc: ServiceDef;
    start: number;
    end: number;
    createdAt: number;
  }
  const sessions: Session[] = [];
  const sessionsAt = at(addDays(firstDay, -10), '10:00');
  for (const day of days) {
    for (const c of TIMETABLE) {
      if (!c.weekdays.includes(weekdayOf(day))) continue;
      const svc = service(c.service);
      const start = at(day, c.time);
      const blocked = blockedOf(svc, start);
      if (!works(c.coach, blocked) || !works(c.room, blocked) || !isFree([c.coach, c.room], blocked)) continue;
      reserve([c.coach, c.room], blocked);
      const key = `session/${day}/${c.time}/${c.room}`;
      const createdAt = sessionsAt + sessions.length * 1000;
      const id = demoId(org, key, createdAt);
      sessions.push({ key, id, svc, start, end: endOf(svc, start), createdAt });
      push({
        key,
        at: createdAt,
        site: 'gym',
        mutator: 'classSession.create',
        args: { id, serviceId: serviceIds.get(svc.key)!, start, coachId: res(c.coach).id, roomId: res(c.room).id },
        check: { kind: 'row', table: 'class_sessions', id },
        optional: true,
      });
    }
  }

  // ---- a weekly physiotherapy series of ten, from this week ------------------------------------
  {
    const svc = service('rehab-session');
    const who = ['zhao', 'therapy'];
    const seriesAt = at(addDays(firstDay, -7), '10:30');
    const horizon = addDays(firstDay, 7 * 10);
    let placed = false;
    for (let wd = 0; wd < 5 && !placed; wd++) {
      for (const time of ['09:00', '10:00', '14:00', '15:00']) {
        const starts = seriesStarts(at(addDays(firstDay, wd), time), 10, 1, tz);
        const spans = starts.map((s) => blockedOf(svc, s));
        if (!spans.every((s) => who.every((k) => works(k, s, horizon)) && isFree(who, s))) continue;
        const own = starts.map((s) => ({ start: s, end: endOf(svc, s) }));
        const offset = Math.floor(rnd() * customers.length);
        const customerId = [...customers.slice(offset), ...customers.slice(0, offset)].find((c) => own.every((s) => busy.free(c, s)));
        if (customerId === undefined) break;
        spans.forEach((s) => reserve(who, s));
        own.forEach((s) => busy.add(customerId, s));
        const seriesId = demoId(org, 'series/rehab', seriesAt);
        const occurrences = starts.map((s, i) => appointment(`series/rehab/${i + 1}`, 'clinic', svc, customerId, s, who.map((k) => res(k).id), seriesAt));
        push({
          key: 'series/rehab',
          at: seriesAt,
          site: 'clinic',
          mutator: 'booking.createSeries',
          args: {
            seriesId,
            ids: occurrences.map((o) => o.id),
            serviceId: serviceIds.get(svc.key)!,
            customerId,
            firstStart: starts[0],
            intervalWeeks: 1,
            resourceIds: who.map((k) => res(k).id),
            notes: '腰椎间盘突出康复疗程 Lumbar disc rehabilitation, 10 sessions',
          },
          check: { kind: 'series', seriesId },
          optional: true,
        });
        for (const o of occurrences) lifecycle(o, { online: false, cancelChance: 0, noShowChance: 0, inService: true, graceMinutes: 15, lateCancelHours: 24 });
        placed = true;
        break;
      }
    }
  }

  // ---- walk-ins earlier today: at the clinic if it is open, else personal training at the gym --
  {
    const walkInServices: Record<string, string> = { im: 'im-consult', paed: 'paed-consult', dent: 'dent-check', rehab: 'rehab-assess', tcm: 'tcm-consult' };
    const roomsOf = (kind: string) => ROOMS.filter((r) => r.kind === kind).map((r) => r.key);
    let count = 0;
    for (const minutesAgo of [95, 40]) {
      const start = floorMinute(now - minutesAgo * MINUTE_MS);
      if (localDateOf(start, tz) !== today) continue;
      const candidates: { staff: StaffDef; svc: ServiceDef; rooms: string[] }[] = STAFF.filter((s) => s.site === 'clinic').map((s) => {
        const svc = service(walkInServices[s.department!]!);
        return { staff: s, svc, rooms: roomsOf(svc.resourceKinds[1]!) };
      });
      const gym = STAFF.filter((s) => s.site === 'gym').map((s) => ({ staff: s, svc: service('pt'), rooms: [] as string[] }));
      // Start from a doctor at random, so the walk-ins do not always go to the same one.
      const from = Math.floor(rnd() * candidates.length);
      for (const c of [...candidates.slice(from), ...candidates.slice(0, from), ...(count === 0 ? gym : [])]) {
        const blocked = blockedOf(c.svc, start);
        if (!works(c.staff.key, blocked) || !isFree([c.staff.key], blocked)) continue;
        const room = c.rooms.find((r) => works(r, blocked) && isFree([r], blocked));
        if (c.rooms.length > 0 && room === undefined) continue;
        const customerId = pickCustomer({ start, end: endOf(c.svc, start) }, c.staff.site);
        if (customerId === null) continue;
        const keys = room === undefined ? [c.staff.key] : [c.staff.key, room];
        reserve(keys, blocked);
        const b = appointment(`walkin/${today}/${count + 1}`, c.staff.site, c.svc, customerId, start, keys.map((k) => res(k).id), start);
        push({
          key: b.key,
          at: start,
          site: b.site,
          mutator: 'booking.walkIn',
          args: { id: b.id, serviceId: serviceIds.get(c.svc.key)!, customerId, resourceIds: b.resourceIds, notes: '未预约，现场挂号 Walk-in' },
          check: { kind: 'row', table: 'bookings', id: b.id },
          optional: true,
        });
        // A walk-in is made "arrived": its life goes on from there.
        let last = start;
        for (const [to, t] of [
          ['inService', start + 4 * MINUTE_MS],
          ['completed', b.end + 3 * MINUTE_MS],
        ] as const) {
          if (t > now) break;
          last = Math.max(t, last + MINUTE_MS);
          push({ key: `${b.key}/${to}`, at: last, site: b.site, mutator: 'booking.transition', args: { id: b.id, to }, check: { kind: 'status', bookingId: b.id, status: to }, optional: true });
        }
        count++;
        break;
      }
    }
  }

  // ---- the clinic: each doctor's working time, 60–65% booked ----------------------------------
  const clinicRules = SITE_RULES.clinic;
  STAFF.filter((s) => s.site === 'clinic').forEach((doctor, n) => {
    for (const w of working(doctor.key)) {
      for (let cursor = Math.ceil(w.start / GRID_MS) * GRID_MS; cursor < w.end; ) {
        if (chance(CLINIC_GAP)) {
          cursor += GRID_MS;
          continue;
        }
        const svc = service(weighted(doctor.services));
        const blocked = blockedOf(svc, cursor);
        const roomKind = svc.resourceKinds[1]!;
        // The doctor's own room first, so doctors keep to one room through a session.
        const rooms = ROOMS.filter((r) => r.kind === roomKind).map((r) => r.key);
        const ordered = [...rooms.slice(n % rooms.length), ...rooms.slice(0, n % rooms.length)];
        const room = blocked.start >= w.start && blocked.end <= w.end && isFree([doctor.key], blocked) ? ordered.find((r) => isFree([r], blocked)) : undefined;
        const customerId = room === undefined ? null : pickCustomer({ start: cursor, end: endOf(svc, cursor) }, 'clinic');
        if (room === undefined || customerId === null) {
          cursor += GRID_MS;
          continue;
        }
        reserve([doctor.key, room], blocked);
        const online = chance(0.15);
        const createdAt = bookedAt(svc, cursor, online ? Math.max(openFrom, now - 72 * HOUR_MS) : openFrom);
        const b = appointment(`booking/${doctor.key}/${cursor}`, 'clinic', svc, customerId, cursor, [res(doctor.key).id, res(room).id], createdAt);
        push({
          key: b.key,
          at: createdAt,
          site: 'clinic',
          mutator: 'booking.create',
          args: {
            id: b.id,
            serviceId: serviceIds.get(svc.key)!,
            customerId,
            start: cursor,
            resourceIds: b.resourceIds,
            source: online ? 'online' : 'desk',
            notes: chance(0.2) ? pick(BOOKING_NOTES) : '',
          },
          check: { kind: 'row', table: 'bookings', id: b.id },
          optional: true,
        });
        lifecycle(b, {
          online,
          cancelChance: 0.07,
          noShowChance: 0.03,
          inService: true,
          graceMinutes: clinicRules.noShowGraceMinutes,
          lateCancelHours: clinicRules.lateCancelHours,
        });
        cursor = Math.ceil(blocked.end / GRID_MS) * GRID_MS;
      }
    }
  });

  // ---- the gym: personal training in the coaches' free time ------------------------------------
  const gymRules = SITE_RULES.gym;
  for (const coach of STAFF.filter((s) => s.site === 'gym')) {
    for (const day of days) {
      const dayStart = at(day, 0);
      const dayEnd = at(addDays(day, 1), 0);
      const shifts = working(coach.key).filter((w) => w.start >= dayStart && w.end <= dayEnd);
      if (shifts.length === 0) continue;
      const wanted = Number(weighted({ 0: 5, 1: 4, 2: 1 }));
      for (let placed = 0, tries = 0; placed < wanted && tries < 10; tries++) {
        const shift = pick(shifts);
        const svc = service(weighted(coach.services));
        const slots = Math.floor((shift.end - shift.start - (svc.durationMinutes + svc.bufferAfterMinutes) * MINUTE_MS) / GRID_MS);
        if (slots < 0) continue;
        const start = Math.ceil(shift.start / GRID_MS) * GRID_MS + Math.floor(rnd() * (slots + 1)) * GRID_MS;
        const blocked = blockedOf(svc, start);
        if (blocked.end > shift.end || !isFree([coach.key], blocked)) continue;
        const customerId = pickCustomer({ start, end: endOf(svc, start) }, 'gym');
        if (customerId === null) continue;
        reserve([coach.key], blocked);
        const online = chance(0.3);
        const createdAt = bookedAt(svc, start, online ? Math.max(openFrom, now - 72 * HOUR_MS) : openFrom);
        const b = appointment(`pt/${coach.key}/${start}`, 'gym', svc, customerId, start, [res(coach.key).id], createdAt);
        push({
          key: b.key,
          at: createdAt,
          site: 'gym',
          mutator: 'booking.create',
          args: { id: b.id, serviceId: serviceIds.get(svc.key)!, customerId, start, resourceIds: b.resourceIds, source: online ? 'online' : 'desk' },
          check: { kind: 'row', table: 'bookings', id: b.id },
          optional: true,
        });
        lifecycle(b, { online, cancelChance: 0.08, noShowChance: 0.03, inService: true, graceMinutes: gymRules.noShowGraceMinutes, lateCancelHours: gymRules.lateCancelHours });
        placed++;
      }
    }
  }

  // ---- the gym: seats in the classes ------------------------------------------------------------
  // One class after tomorrow is called off (the coach is unwell); its bookings are cancelled with it.
  const cancellable = sessions.filter((s) => s.start > now + 26 * HOUR_MS);
  const calledOff = cancellable.length > 0 ? pick(cancellable) : null;
  const calledOffAt = between(now - 3 * HOUR_MS, now - HOUR_MS)!;
  for (const s of sessions) {
    const capacity = s.svc.seats;
    const r = rnd();
    // Some full, some with two seats left, the rest between a sixth and a half booked.
    const target = r < 0.12 ? capacity : r < 0.25 ? capacity - 2 : Math.floor(capacity * (0.16 + 0.34 * rnd()));
    // An extra booking that is cancelled again, only where there is room to spare at all times.
    const cancelled = target <= capacity - 3 && chance(0.5) ? 1 : 0;
    const span = { start: s.start, end: s.end };
    const lo = Math.max(openFrom, s.createdAt + HOUR_MS);
    const hi = floorMinute(Math.min(now, s.start - 30 * MINUTE_MS, s === calledOff ? calledOffAt - MINUTE_MS : Infinity));
    for (let i = 0; i < target + cancelled; i++) {
      const customerId = pickCustomer(span);
      if (customerId === null) continue;
      const createdAt = between(Math.min(lo, hi), hi)!;
      const online = chance(0.15);
      const b = appointment(`${s.key}/seat/${i + 1}`, 'gym', s.svc, customerId, s.start, [], createdAt);
      push({
        key: b.key,
        at: createdAt,
        site: 'gym',
        mutator: 'booking.create',
        args: { id: b.id, serviceId: serviceIds.get(s.svc.key)!, customerId, sessionId: s.id, source: online ? 'online' : 'desk' },
        check: { kind: 'row', table: 'bookings', id: b.id },
        optional: true,
      });
      lifecycle(b, {
        online,
        cancelChance: i >= target ? 1 : 0,
        noShowChance: 0.04,
        inService: false,
        graceMinutes: gymRules.noShowGraceMinutes,
        lateCancelHours: gymRules.lateCancelHours,
        // Calling the class off cancels its bookings: nothing happens to them after that.
        ...(s === calledOff && { until: calledOffAt - MINUTE_MS }),
      });
    }
  }
  if (calledOff) {
    push({
      key: `${calledOff.key}/cancel`,
      at: calledOffAt,
      site: 'gym',
      mutator: 'classSession.cancel',
      args: { id: calledOff.id, reason: SESSION_CANCEL_REASON },
      check: { kind: 'sessionCancelled', sessionId: calledOff.id },
      optional: true,
    });
  }

  steps.sort((a, b) => a.at - b.at || seq.get(a)! - seq.get(b)!);
  return { steps, firstDay, lastDay };
}
