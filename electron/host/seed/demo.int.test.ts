/**
 * The demo seed on a real replica file: what a newcomer sees after `npm run serve` (eight
 * doctors, departments, services with buffers, a booked week with every booking status, a class
 * timetable with full sessions), the rules it must never break (no resource double-booked, no
 * session oversold, no customer in two places), and that it resumes after a crash at any step
 * and adds nothing when run again.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Selectable } from 'kysely';
import { ManualClock } from '../../../core/clock';
import { createIdSource } from '../../../core/ids';
import type { ResourcesTable, SitesTable } from '../../../core/db-schema';
import { workingIntervals } from '../../../core/scheduling/schedule';
import { resourceInfoOf, siteRulesOf } from '../../../core/scheduling/scheduling.model';
import { addDays } from '../../../core/scheduling/zoned-time';
import { Replica } from '../replica/replica';
import { calendarData } from '../replica/scheduling.queries';
import { seededRandom, tempDir } from '../testing';
import { seedDemoWithReport, type DemoOptions } from './demo';
import { demoWeek } from './demo-plan';

const CUSTOMERS = 300;
/** Wednesday 2026-11-25, 10:20 in Shanghai: days gone by this week, the clinic open now. */
const WEDNESDAY = Date.UTC(2026, 10, 25, 2, 20);

const open: Replica[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

/** A replica on a new file (or `file`), closed after the test unless `keep`. */
function openReplica(at: number, file = path.join(tempDir(), 'desk.sqlite'), keep = false): Replica {
  const clock = new ManualClock(at);
  const r = Replica.open({ file, clock, ids: createIdSource(clock, seededRandom(Math.floor(Math.random() * 1e9))) });
  if (!keep) open.push(r);
  return r;
}

async function seeded(at: number, opts: DemoOptions & { keep?: boolean } = {}) {
  const replica = openReplica(at, undefined, opts.keep);
  const report = await seedDemoWithReport(replica, CUSTOMERS, opts);
  return { replica, report, ...context(replica) };
}

function context(r: Replica) {
  const all = <T>(sql: string, ...params: unknown[]) => r.sqlite.prepare(sql).all(...params) as T[];
  const one = <T>(sql: string, ...params: unknown[]) => r.sqlite.prepare(sql).get(...params) as T;
  const count = (sql: string, ...params: unknown[]) => one<{ n: number }>(`SELECT count(*) AS n FROM ${sql}`, ...params).n;
  const site = (kind: 'clinic' | 'gym') => one<Selectable<SitesTable>>('SELECT * FROM sites WHERE kind = ?', kind);
  return { all, one, count, clinic: site('clinic'), gym: site('gym') };
}

type Ctx = ReturnType<typeof context>;

/**
 * Everything the seed made, without ids (they depend on the organization's random id): two runs
 * that did the same thing have the same signature.
 */
function signature(c: Ctx): Record<string, string[]> {
  const rows = (sql: string) => c.all<Record<string, unknown>>(sql).map((row) => JSON.stringify(row)).sort();
  return {
    catalog: rows(`SELECT 'd' AS t, name, colour, active FROM departments UNION ALL SELECT 'r', name, kind || ':' || coalesce(capacity, '') || ':' || schedule, active FROM resources
                   UNION ALL SELECT 's', name, duration_minutes || ':' || buffer_before_minutes || ':' || buffer_after_minutes || ':' || price_minor || ':' || seats, active FROM services`),
    sites: rows('SELECT name, granularity_minutes, hold_minutes, late_cancel_hours, no_show_grace_minutes, schedule FROM sites'),
    customers: rows('SELECT phone, name, created_at FROM customers'),
    sessions: rows(`SELECT sv.name, s.start_at, s.end_at, s.status, s.cancel_reason, co.name AS coach, ro.name AS room, s.created_at
                    FROM class_sessions s JOIN services sv ON sv.id = s.service_id JOIN resources co ON co.id = s.coach_resource_id JOIN resources ro ON ro.id = s.room_resource_id`),
    bookings: rows(`SELECT sv.name AS service, cu.phone, b.start_at, b.end_at, b.status, b.source, b.notes, b.cancel_reason, b.cancelled_by, b.late_cancel,
                           b.series_id IS NOT NULL AS series, b.session_id IS NOT NULL AS session, b.version, b.created_at,
                           (SELECT group_concat(name, '+') FROM (SELECT r.name FROM booking_resources br JOIN resources r ON r.id = br.resource_id WHERE br.booking_id = b.id ORDER BY r.name)) AS resources
                    FROM bookings b JOIN services sv ON sv.id = b.service_id JOIN customers cu ON cu.id = b.customer_id`),
    events: rows(`SELECT cu.phone, b.start_at, e.version, e.type, e.from_status, e.to_status, e.reason, e.at
                  FROM booking_events e JOIN bookings b ON b.id = e.booking_id JOIN customers cu ON cu.id = b.customer_id`),
    outbox: rows('SELECT name, created_at FROM outbox'),
  };
}

/** The rules no seed may break, whatever its "now". */
function expectConsistent(c: Ctx, now: number): void {
  // No two active blocks (bookings' and sessions', buffers included) overlap on any resource.
  const blocks = c.all<{ resource_id: string; s: number; e: number }>(
    `SELECT resource_id, blocked_start AS s, blocked_end AS e FROM booking_resources WHERE active = 1
     UNION ALL SELECT resource_id, blocked_start, blocked_end FROM session_resources WHERE active = 1
     ORDER BY resource_id, s`,
  );
  const overlaps = blocks.filter((b, i) => i > 0 && blocks[i - 1]!.resource_id === b.resource_id && b.s < blocks[i - 1]!.e);
  expect(overlaps).toEqual([]);
  // No customer is in two places at once.
  const own = c.all<{ customer_id: string; s: number; e: number }>(
    "SELECT customer_id, start_at AS s, end_at AS e FROM bookings WHERE status NOT IN ('cancelled', 'noShow') ORDER BY customer_id, s",
  );
  expect(own.filter((b, i) => i > 0 && own[i - 1]!.customer_id === b.customer_id && b.s < own[i - 1]!.e)).toEqual([]);
  // No session is oversold.
  const oversold = c.all(
    `SELECT s.id, coalesce(s.seats, sv.seats) AS capacity, sum(b.seats) AS booked FROM class_sessions s
     JOIN services sv ON sv.id = s.service_id JOIN bookings b ON b.session_id = s.id AND b.status NOT IN ('cancelled', 'noShow')
     GROUP BY s.id HAVING booked > capacity`,
  );
  expect(oversold).toEqual([]);
  // Every booking was made before it started (walk-ins: as it started), and nothing that has
  // started is still waiting to be checked in.
  expect(c.count("bookings WHERE created_at > start_at OR (source <> 'walkIn' AND created_at >= start_at)")).toBe(0);
  expect(c.count("bookings WHERE status IN ('pending', 'confirmed') AND start_at <= ?", now)).toBe(0);
  expect(c.count("bookings WHERE status IN ('completed', 'noShow', 'arrived', 'inService') AND start_at > ? + 3600000", now)).toBe(0);
}

describe('demo seed on a Wednesday morning', () => {
  let s: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    s = await seeded(WEDNESDAY, { keep: true });
  }, 60_000);
  afterAll(() => s.replica.close());

  it('runs every step through the mutators, with nothing refused', () => {
    expect(s.report.steps.refused).toEqual([]);
    // The organization's setup, then one outbox entry per step.
    expect(s.count('outbox')).toBe(s.report.steps.ran + 1);
  });

  it('makes the owner organization-wide: the clinic and the gym calendars both open for them', async () => {
    const { actor } = s.report;
    expect(actor.siteId).toBeNull();
    const sites = s.replica.sqlite.prepare<[], { id: string; kind: string }>('SELECT id, kind FROM sites ORDER BY kind').all();
    expect(sites.map((x) => x.kind)).toEqual(['clinic', 'gym']);
    for (const site of sites) {
      const data = await calendarData(s.replica.db, actor, { siteId: site.id, from: demoWeek(WEDNESDAY).firstDay, to: addDays(demoWeek(WEDNESDAY).firstDay, 13) });
      expect(data.bookings.length, site.kind).toBeGreaterThan(0);
    }
    // The desk itself stands at the clinic: the UI opens there.
    expect(s.replica.getMeta('site_id')).toBe(sites[0]!.id);
  });

  it('sets up the clinic: opening hours, rules, 2026’s holidays and make-up days', () => {
    const rules = siteRulesOf(s.clinic);
    expect(rules).toMatchObject({ holdMinutes: 15, lateCancelHours: 24, noShowGraceMinutes: 15 });
    expect(rules.schedule.granularityMinutes).toBe(15);
    const hours = rules.schedule.openingHours;
    expect(hours.filter((h) => h.weekday === 7)).toEqual([]);
    for (const weekday of [1, 2, 3, 4, 5, 6]) {
      expect(hours.filter((h) => h.weekday === weekday)).toEqual([
        { weekday, start: 8 * 60, end: 12 * 60 },
        { weekday, start: 13 * 60 + 30, end: 17 * 60 + 30 },
      ]);
    }
    const holidays = rules.schedule.holidays.map((h) => h.date);
    expect(holidays).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-17', '2026-02-21', '2026-05-01', '2026-10-01', '2026-10-07']));
    expect(rules.schedule.workdayOverrides.map((w) => w.date)).toEqual(
      expect.arrayContaining(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']),
    );
    const gym = siteRulesOf(s.gym);
    expect(gym.schedule.openingHours).toEqual([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 6 * 60, end: 22 * 60 })));
    expect(gym.schedule.holidays).toEqual([]);
  });

  it('has eight doctors in five departments, six rooms, and services with durations, buffers and prices', () => {
    const departments = s.all<{ name: string }>('SELECT name FROM departments WHERE site_id = ?', s.clinic.id).map((d) => d.name);
    expect(departments).toEqual(expect.arrayContaining(['内科 Internal medicine', '儿科 Paediatrics', '口腔科 Dentistry', '康复科 Physiotherapy']));
    const doctors = s.all<{ name: string; colour: string | null; department_id: string | null }>(
      "SELECT name, colour, department_id FROM resources WHERE site_id = ? AND kind = 'practitioner'",
      s.clinic.id,
    );
    expect(doctors).toHaveLength(8);
    expect(doctors.every((d) => d.colour !== null && d.department_id !== null)).toBe(true);
    expect(s.count("resources WHERE site_id = ? AND kind <> 'practitioner'", s.clinic.id)).toBe(6);
    expect(s.count("resources WHERE site_id = ? AND kind = 'coach'", s.gym.id)).toBe(6);
    const cleaning = s.one('SELECT duration_minutes, buffer_after_minutes, price_minor, currency, resource_kinds FROM services WHERE name LIKE ?', '洁牙%');
    expect(cleaning).toEqual({ duration_minutes: 45, buffer_after_minutes: 15, price_minor: 28800, currency: 'CNY', resource_kinds: '["practitioner","dental_room"]' });
    expect(s.count('services WHERE site_id = ? AND (buffer_before_minutes > 0 OR buffer_after_minutes > 0)', s.clinic.id)).toBeGreaterThanOrEqual(5);
    const classes = s.all<{ name: string; seats: number }>('SELECT name, seats FROM services WHERE site_id = ? AND seats > 1 ORDER BY name', s.gym.id);
    expect(Object.fromEntries(classes.map((c) => [c.name.split(' ')[0], c.seats]))).toEqual({ HIIT: 16, 动感单车: 15, 普拉提: 12, 瑜伽: 20 });
  });

  it('gives doctors rotas with several ranges a day, alternate weeks and leave', () => {
    const hours = s.all<{ schedule: string }>("SELECT schedule FROM resources WHERE kind = 'practitioner'").map((r) => JSON.parse(r.schedule));
    expect(hours.some((h) => h.schedules.some((p: { alternateWeeksFrom: string | null }) => p.alternateWeeksFrom !== null))).toBe(true);
    expect(hours.filter((h) => h.leave.length > 0)).toHaveLength(1);
  });

  it('keeps every rule: no double booking of a resource or a customer, no oversold session', () => {
    expectConsistent(s, WEDNESDAY);
  });

  it('books 55–80% of the doctors’ working time next week', () => {
    const { firstDay } = demoWeek(WEDNESDAY);
    const from = addDays(firstDay, 7);
    const to = addDays(firstDay, 13);
    const site = siteRulesOf(s.clinic).schedule;
    const doctors = s.all<Selectable<ResourcesTable>>("SELECT * FROM resources WHERE kind = 'practitioner'");
    let working = 0;
    let booked = 0;
    for (const d of doctors) {
      const w = workingIntervals(resourceInfoOf(d).schedule, site, from, to);
      working += w.reduce((n, i) => n + i.end - i.start, 0);
      booked += s.one<{ ms: number | null }>(
        'SELECT sum(blocked_end - blocked_start) AS ms FROM booking_resources WHERE resource_id = ? AND active = 1 AND blocked_start >= ? AND blocked_start < ?',
        d.id,
        w[0]!.start,
        w[w.length - 1]!.end,
      ).ms ?? 0;
    }
    expect(booked / working).toBeGreaterThan(0.55);
    expect(booked / working).toBeLessThan(0.8);
  });

  it('shows bookings in every status, walk-ins this morning and cancellations with reasons', () => {
    const statuses = s.all<{ status: string }>('SELECT DISTINCT status FROM bookings').map((r) => r.status);
    expect(statuses.sort()).toEqual(['arrived', 'cancelled', 'completed', 'confirmed', 'inService', 'noShow', 'pending']);
    const walkIns = s.all<{ start_at: number; site_id: string }>("SELECT start_at, site_id FROM bookings WHERE source = 'walkIn'");
    expect(walkIns).toHaveLength(2);
    expect(walkIns.every((w) => w.site_id === s.clinic.id && w.start_at <= WEDNESDAY && w.start_at > WEDNESDAY - 2 * 3_600_000)).toBe(true);
    expect(s.count("bookings WHERE status = 'cancelled' AND (cancel_reason IS NULL OR cancel_reason = '')")).toBe(0);
    expect(s.count('bookings WHERE late_cancel = 1')).toBeGreaterThan(0);
    expect(s.count("bookings WHERE status = 'cancelled' AND cancelled_by = 'staff'")).toBeGreaterThan(0);
  });

  it('has a weekly physiotherapy series of ten for one customer', () => {
    const series = s.all<{ customer_id: string; start_at: number }>('SELECT customer_id, start_at FROM bookings WHERE series_id IS NOT NULL ORDER BY start_at');
    expect(series).toHaveLength(10);
    expect(new Set(series.map((b) => b.customer_id)).size).toBe(1);
    expect(series.slice(1).map((b, i) => b.start_at - series[i]!.start_at)).toEqual(Array(9).fill(7 * 86_400_000));
  });

  it('runs the gym timetable for two weeks, some classes full, some with two seats left, one called off', () => {
    const sessions = s.all<{ status: string; capacity: number; booked: number; start_at: number }>(
      `SELECT s.status, s.start_at, coalesce(s.seats, sv.seats) AS capacity,
              (SELECT coalesce(sum(b.seats), 0) FROM bookings b WHERE b.session_id = s.id AND b.status NOT IN ('cancelled', 'noShow')) AS booked
       FROM class_sessions s JOIN services sv ON sv.id = s.service_id`,
    );
    expect(sessions).toHaveLength(66);
    expect(sessions.filter((x) => x.status === 'cancelled')).toHaveLength(1);
    const upcoming = sessions.filter((x) => x.status === 'scheduled' && x.start_at > WEDNESDAY);
    expect(upcoming.some((x) => x.booked === x.capacity)).toBe(true);
    expect(upcoming.some((x) => x.booked === x.capacity - 2)).toBe(true);
    expect(s.count("bookings WHERE site_id = ? AND session_id IS NULL AND status <> 'cancelled'", s.gym.id)).toBeGreaterThan(20);
  });

  it('adds nothing when run again, even when it has to look at every step to know', async () => {
    const before = signature(s);
    expect((await seedDemoWithReport(s.replica, CUSTOMERS)).steps.ran).toBe(0);
    s.replica.setMeta('demo_seeded', '0');
    s.replica.setMeta('demo_calendar', '0');
    const again = await seedDemoWithReport(s.replica, CUSTOMERS);
    expect(again.steps).toMatchObject({ ran: 0, refused: [] });
    expect(again.steps.alreadyDone).toBe(s.report.steps.ran + s.report.steps.alreadyDone);
    expect(signature(s)).toEqual(before);
  });

  it('resumes after a crash at any point and ends exactly as a run that was never interrupted', async () => {
    const file = path.join(tempDir(), 'desk.sqlite');
    // Stop in the customers, in the clinic's setup, then twice amid the bookings and check-ins.
    const total = s.report.steps.ran;
    for (const stopAfter of [120, 200, Math.floor(total * 0.3), Math.floor(total * 0.2)]) {
      const r = openReplica(WEDNESDAY, file);
      let n = 0;
      const onStep = () => {
        if (++n === stopAfter) throw new Error('power cut');
      };
      await expect(seedDemoWithReport(r, CUSTOMERS, { onStep })).rejects.toThrow('power cut');
      await r.close();
      open.splice(open.indexOf(r), 1);
    }
    const r = openReplica(WEDNESDAY, file);
    const last = await seedDemoWithReport(r, CUSTOMERS);
    expect(last.steps.refused).toEqual([]);
    expect(signature(context(r))).toEqual(signature(s));
  }, 60_000);
});

describe.each([
  ['on a Sunday at noon, the clinic closed', Date.UTC(2026, 10, 22, 4, 21)],
  ['on a Monday before opening', Date.UTC(2026, 10, 22, 23, 0)],
  ['on a Saturday evening', Date.UTC(2026, 10, 28, 12, 40)],
])('demo seed %s', (_, now) => {
  it('keeps every rule and refuses nothing', async () => {
    const s = await seeded(now);
    expect(s.report.steps.refused).toEqual([]);
    expectConsistent(s, now);
    expect(s.count('class_sessions')).toBe(66);
    expect(s.count("resources WHERE kind = 'practitioner'")).toBe(8);
  }, 60_000);
});

describe('demo seed in the National Day week', () => {
  it('books nobody at the clinic on the holidays, and books the make-up Saturday like a Tuesday', async () => {
    // Tuesday 2026-09-29, 11:00: the break runs from Thursday 1 October to Wednesday 7 October;
    // Saturday 10 October is a working day that follows Tuesday's hours.
    const now = Date.UTC(2026, 8, 29, 3, 0);
    const s = await seeded(now);
    expect(s.report.steps.refused).toEqual([]);
    expectConsistent(s, now);
    const clinicDays = s
      .all<{ day: string }>("SELECT DISTINCT date(start_at / 1000, 'unixepoch', '+8 hours') AS day FROM bookings WHERE site_id = ? ORDER BY day", s.clinic.id)
      .map((r) => r.day);
    expect(clinicDays.filter((d) => d >= '2026-10-01' && d <= '2026-10-07')).toEqual([]);
    expect(clinicDays).toContain('2026-10-10');
    // Dr Chen works Tuesday afternoons, never on Saturday afternoons: on the make-up Saturday she does.
    const chen = s.one<{ n: number }>(
      `SELECT count(*) AS n FROM bookings b JOIN booking_resources br ON br.booking_id = b.id JOIN resources r ON r.id = br.resource_id
       WHERE r.name LIKE '陈晓燕%' AND date(b.start_at / 1000, 'unixepoch', '+8 hours') = '2026-10-10' AND time(b.start_at / 1000, 'unixepoch', '+8 hours') >= '13:30'`,
    ).n;
    expect(chen).toBeGreaterThan(0);
    // The gym stays open through the holidays.
    expect(s.count("class_sessions WHERE date(start_at / 1000, 'unixepoch', '+8 hours') = '2026-10-01'")).toBeGreaterThan(0);
  }, 60_000);
});

describe('demo seed on a desk seeded by an older version', () => {
  it('adds the calendar to a desk that has only the organization and its customers', async () => {
    const s = await seeded(WEDNESDAY, { calendar: false });
    expect(s.count('bookings')).toBe(0);
    const outbox = s.count('outbox');
    const more = await seedDemoWithReport(s.replica, CUSTOMERS);
    expect(more.steps.refused).toEqual([]);
    expect(s.count('customers')).toBe(CUSTOMERS);
    expect(s.count("resources WHERE kind = 'practitioner'")).toBe(8);
    expect(s.count('outbox')).toBe(outbox + more.steps.ran);
    expectConsistent(s, WEDNESDAY);
  }, 60_000);

  it('finishes the customers of a seed that was cut off before it kept track of its progress', async () => {
    const replica = openReplica(WEDNESDAY);
    let n = 0;
    const onStep = () => {
      if (++n === 50) throw new Error('power cut');
    };
    await expect(seedDemoWithReport(replica, CUSTOMERS, { calendar: false, onStep })).rejects.toThrow('power cut');
    replica.sqlite.prepare("DELETE FROM meta WHERE key = 'demo_customers_started'").run();
    await seedDemoWithReport(replica, CUSTOMERS, { calendar: false });
    expect(context(replica).count('customers')).toBe(CUSTOMERS);
  });
});
