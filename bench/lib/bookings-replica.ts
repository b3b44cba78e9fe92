/**
 * A replica holding a busy clinic's year of bookings, for the booking-mutation benchmark.
 *
 * The world (all deterministic, from a seeded generator):
 * - an organization of its own with one clinic site (`organization.setup`; not the demo
 *   organization, so demo seeding does not change this world) and 20,000 customers from the demo
 *   generator, validated and inserted directly as bench/lib/replica.ts does, then search-indexed;
 * - the site in Asia/Shanghai, set up through `site.updateSettings`: open Mon–Fri
 *   08:00–21:00 and Sat–Sun 09:00–18:00 on a 15-minute grid, with public holidays, 调休 make-up
 *   days, a two-day renovation closure and short days on 24 and 31 December;
 * - 42 resources through `resource.create`: 32 practitioners on six kinds of weekly rota
 *   (day, late, long, weekend, split and part-time shifts; alternate Saturdays; four of them change
 *   rota on 2026-12-07), each with a week of leave and some with a half day, and 10 rooms;
 * - 8 services through `service.create` (15–90 minutes, buffers of 0–10 minutes before and 0–15
 *   after; 4 of them need a room besides the practitioner);
 * - 150 waitlist entries through `waitlist.add`;
 * - BOOKINGS bookings, inserted directly (below), with their resource blocks and history.
 *
 * "Now" is Monday 2026-11-23 08:00 in Shanghai: the replica's clock starts there and runs at real
 * speed (`benchClock`), so the data does not age between runs. Bookings are placed by walking each
 * practitioner's working time (the same `SiteWindow.resourceWorking` the rules use) on the
 * 15-minute grid, taking a slot with a fill probability that is high for the next weeks and lower
 * far ahead, each booking with a random service, a free room when the service needs one, and a
 * customer with no other booking that day. The next 63 days are filled first, then the days
 * before today going back until there are BOOKINGS in all (about a year back). Past bookings are
 * completed (86%), cancelled (9%) or no-shows (5%), with 4% walk-ins; future ones confirmed, 10%
 * of the online ones still pending, 5% cancelled.
 *
 * The bulk is written the way the mutators write it, with the columns `insertBooking`,
 * `recordBookingEvent` and `endBooking` write: one `bookings` row, one `booking_resources` row per
 * resource (active while the status blocks), and the history (`created`, then each status change)
 * with `version` = the number of events. No outbox rows are written for the bulk: a desk that had
 * synced them would have none either. Then `verify` checks the store's invariants over all rows
 * and makes real mutator calls against the bulk (a clash refused, a free slot accepted and written
 * like the bulk rows, a double-booked customer refused, a cancellation and a reschedule of bulk
 * bookings), so a mismatch fails the build instead of skewing the figures.
 *
 * With `reuse`, the file is kept in the OS temp folder (foyer-bench-cache/) under a hash of every
 * source that decides its contents (SEED_SOURCES, including the migrations and core/scheduling);
 * the next run copies it instead of building again, unless FOYER_BENCH_FRESH=1.
 */
import { webcrypto } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { Clock } from '../../core/clock';
import { CreateCustomerArgs } from '../../core/customers/customer.schema';
import type { ResourcesTable, SitesTable } from '../../core/db-schema';
import { AppError } from '../../core/errors';
import { createIdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import type { BookingResult } from '../../core/scheduling/booking.mutators';
import { BLOCKING_STATUSES, SiteWindow, type BookingStatus } from '../../core/scheduling/schedule';
import { pattern, weekly, EVERY_DAY } from '../../core/scheduling/scheduling.fixtures';
import { resourceInfoOf, siteRulesOf, type ResourceInfo } from '../../core/scheduling/scheduling.model';
import { addDays, dateOfDay, DAY_MS, dayNumber, instantToWall, MINUTE_MS, wallTimeToInstant, ZoneTimeline } from '../../core/scheduling/zoned-time';
import { Replica } from '../../electron/host/replica/replica';
import { demoCustomers } from '../../electron/host/seed/demo';
import { msBetween } from './stats';
import { sourceKey } from './source-key';
import type { Log } from './types';
import { prng } from '../../electron/host/seed/prng';

export const TZ = 'Asia/Shanghai';
export const TODAY = '2026-11-23';
/** "Now" for the benchmark: Monday 2026-11-23 08:00 in Shanghai, when the clinic opens. */
export const NOW = wallTimeToInstant(TODAY, 8 * 60, TZ);
export const BOOKINGS = 100_000;
export const CUSTOMERS = 20_000;
/** Days after today that get bookings: the forward book. */
const FORWARD_DAYS = 63;
const GRID_MS = 15 * MINUTE_MS;
const HOUR = 60 * MINUTE_MS;
/** Bump to rebuild cached replicas when the generator changes in a way the hash cannot see. */
const SEED_VERSION = 2;

const CACHE_DIR = path.join(os.tmpdir(), 'foyer-bench-cache');

/** Probability of taking a grid slot that fits, by day relative to today. */
function fillOf(dayOffset: number): number {
  if (dayOffset < 0) return 0.97;
  if (dayOffset < 14) return 0.85;
  if (dayOffset < 35) return 0.7;
  return 0.3;
}

// prng: the demo seed's mulberry32, so every build and run makes the same choices.
export { prng };

/** The system clock moved to `at` when it is made, running at real speed. */
export function benchClock(at = NOW): Clock {
  const t0 = Date.now();
  return { now: () => at + (Date.now() - t0) };
}

/**
 * The build runs at 02:00 the same day, so that every id it makes (UUIDv7: time first) is older
 * than those of the timed run, as on a real desk where new rows always sort last. (With the same
 * clock, new ids fell among the bulk's and each insert touched random pages of the id indexes:
 * 17.4 WAL frames per booking instead of 16.)
 */
const BUILD_AT = NOW - 6 * 60 * MINUTE_MS;

export interface ServiceDef {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  resourceKinds: string[];
  priceMinor: number;
  /** Share of the generated bookings (relative). */
  weight: number;
}

/** What the benchmark needs to know about the replica's contents (kept in meta `bench_world`). */
export interface BookingWorld {
  organizationId: string;
  siteId: string;
  owner: Actor;
  /** Front-desk staff who make bookings. */
  deskStaff: string[];
  services: ServiceDef[];
  practitioners: string[];
  rooms: string[];
  customers: string[];
  /** Local dates of the first and last booking. */
  firstDate: string;
  lastDate: string;
}

export interface BookingBench {
  replica: Replica;
  world: BookingWorld;
  /** A front-desk actor of the clinic site. */
  desk: Actor;
  close(): Promise<void>;
}

function openAt(file: string, at = NOW): Replica {
  const clock = benchClock(at);
  const ids = createIdSource(clock, (n) => webcrypto.getRandomValues(new Uint8Array(n)));
  return Replica.open({ file, clock, ids });
}

// ---- the catalogue ------------------------------------------------------------------------------

const SERVICES: Omit<ServiceDef, 'id'>[] = [
  { name: '复诊 Follow-up', durationMinutes: 15, bufferBeforeMinutes: 0, bufferAfterMinutes: 5, resourceKinds: ['practitioner'], priceMinor: 8000, weight: 28 },
  { name: '初诊 Consultation', durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 10, resourceKinds: ['practitioner'], priceMinor: 15000, weight: 18 },
  { name: '电话咨询 Phone consult', durationMinutes: 15, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, resourceKinds: ['practitioner'], priceMinor: 5000, weight: 10 },
  { name: '中药调理 Herbal consult', durationMinutes: 20, bufferBeforeMinutes: 0, bufferAfterMinutes: 10, resourceKinds: ['practitioner'], priceMinor: 12000, weight: 8 },
  { name: '理疗 Physiotherapy', durationMinutes: 30, bufferBeforeMinutes: 5, bufferAfterMinutes: 10, resourceKinds: ['practitioner', 'room'], priceMinor: 20000, weight: 14 },
  { name: '针灸 Acupuncture', durationMinutes: 45, bufferBeforeMinutes: 5, bufferAfterMinutes: 10, resourceKinds: ['practitioner', 'room'], priceMinor: 26000, weight: 10 },
  { name: '推拿 Tuina massage', durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 15, resourceKinds: ['practitioner', 'room'], priceMinor: 30000, weight: 8 },
  { name: '体检 Health check', durationMinutes: 90, bufferBeforeMinutes: 10, bufferAfterMinutes: 10, resourceKinds: ['practitioner', 'room'], priceMinor: 68000, weight: 4 },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['芳', '伟', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '丽'];

/** The weekly rota of practitioner i: six kinds of shift, some on alternate weeks, four changing on 2026-12-07. */
function rota(i: number): { schedules: ReturnType<typeof pattern>[]; dateOverrides: { date: string; ranges: { start: number; end: number }[] }[]; leave: { start: number; end: number }[] } {
  const kinds = [
    // day shift, plus Saturday mornings every other week
    () => [pattern(weekly([1, 2, 3, 4, 5], '08:00-12:00', '13:00-17:30')), pattern(weekly([6], '09:00-13:00'), { alternateWeeksFrom: i % 2 === 0 ? '2026-01-05' : '2026-01-12' })],
    // late shift
    () => [pattern(weekly([1, 2, 3, 4, 5], '12:00-21:00'))],
    // long days Tuesday to Saturday
    () => [pattern(weekly([2, 3, 4, 5, 6], '08:30-12:30', '13:30-18:30'))],
    // weekends and late Thursday/Friday
    () => [pattern(weekly([4, 5], '11:00-21:00')), pattern(weekly([6, 7], '09:00-18:00'))],
    // split: three long weekdays and Sunday
    () => [pattern(weekly([1, 3, 5], '08:00-13:00', '14:00-21:00')), pattern(weekly([7], '09:00-18:00'))],
    // part-time mornings
    () => [pattern(weekly([1, 2, 3, 4], '08:00-14:00'))],
  ];
  let schedules = kinds[i % kinds.length]!();
  if (i % 8 === 7) {
    // A new rota from 2026-12-07: the old patterns end the day before.
    const next = kinds[(i + 1) % kinds.length]!();
    schedules = [
      ...schedules.map((s) => ({ ...s, effectiveTo: '2026-12-06' })),
      ...next.map((s) => ({ ...s, effectiveFrom: '2026-12-07' })),
    ];
  }
  // A week of leave somewhere in the year, spread over the practitioners; some half days.
  const leaveFrom = dayNumber('2026-01-05') + ((i * 37) % 400);
  const leave = [{ start: wallTimeToInstant(dateOfDay(leaveFrom), 0, TZ), end: wallTimeToInstant(dateOfDay(leaveFrom + 7), 0, TZ) }];
  const dateOverrides = i % 5 === 0 ? [{ date: dateOfDay(dayNumber(TODAY) + 3 + i), ranges: [{ start: 8 * 60, end: 12 * 60 }] }] : [];
  return { schedules, dateOverrides, leave };
}

// ---- building -----------------------------------------------------------------------------------

/**
 * The customers, from the demo generator, validated with the mutator's own argument schema and
 * inserted with the columns `customer.create` writes (as bench/lib/replica.ts does).
 */
function insertCustomers(replica: Replica, organizationId: string, staffId: string): void {
  const insert = replica.sqlite.prepare(
    `INSERT INTO customers (id, organization_id, name, phone, national_id, birth_date, gender, notes, tags, created_at, updated_at, created_by)
     VALUES (@id, @organization_id, @name, @phone, @national_id, @birth_date, @gender, @notes, @tags, @created_at, @updated_at, @created_by)`,
  );
  const rows = demoCustomers(CUSTOMERS).map((c, i) => {
    const a = CreateCustomerArgs.parse({ id: replica.newId(), ...c });
    const at = NOW - (CUSTOMERS - i) * 20 * MINUTE_MS;
    return {
      id: a.id,
      organization_id: organizationId,
      name: a.name,
      phone: a.phone,
      national_id: a.nationalId,
      birth_date: a.birthDate,
      gender: a.gender,
      notes: a.notes,
      tags: JSON.stringify(a.tags),
      created_at: at,
      updated_at: at,
      created_by: staffId,
    };
  });
  withoutUndo(replica.sqlite, () =>
    replica.sqlite.transaction(() => {
      for (const r of rows) insert.run(r);
    })(),
  );
}

/** Runs bulk inserts as a pull writes rows: without recording how to undo them. */
function withoutUndo(db: Replica['sqlite'], fn: () => void): void {
  db.prepare('UPDATE sync_capture SET enabled = 0').run();
  try {
    fn();
  } finally {
    db.prepare('UPDATE sync_capture SET enabled = 1').run();
  }
}

async function buildWorld(replica: Replica, log: Log): Promise<BookingWorld> {
  const t0 = process.hrtime.bigint();
  const organizationId = replica.newId();
  const siteId = replica.newId();
  const owner: Actor = { staffId: replica.newId(), role: 'owner', organizationId, siteId: null };
  await replica.mutate(
    'organization.setup',
    {
      id: organizationId,
      name: '康健医疗 Kangjian Health',
      defaultCountry: 'CN',
      sites: [{ id: siteId, name: '康健诊所 · 徐汇 Kangjian Clinic Xuhui', kind: 'clinic', timeZone: TZ }],
    },
    owner,
  );
  insertCustomers(replica, organizationId, owner.staffId);
  // The triggers queued every customer for the search index; build it, as a desk would have.
  await replica.flushSearchIndex();
  log(`${CUSTOMERS} customers inserted and indexed in ${(msBetween(t0, process.hrtime.bigint()) / 1000).toFixed(1)} s`);
  const m = (name: string, args: unknown) => replica.mutate(name, args, owner);
  await m('site.updateSettings', {
    siteId,
    patch: {
      granularityMinutes: 15,
      openingHours: [...weekly([1, 2, 3, 4, 5], '08:00-21:00'), ...weekly([6, 7], '09:00-18:00')],
      holidays: [
        { date: '2026-01-01', name: '元旦' },
        { date: '2026-02-16', name: '除夕' },
        { date: '2026-02-17', name: '春节' },
        { date: '2026-02-18', name: '春节' },
        { date: '2026-10-01', name: '国庆节' },
        { date: '2026-10-02', name: '国庆节' },
        { date: '2026-10-03', name: '国庆节' },
        { date: '2027-01-01', name: '元旦' },
      ],
      workdayOverrides: [
        { date: '2026-02-14', worksLike: 1 },
        { date: '2026-02-28', worksLike: 5 },
        { date: '2026-09-27', worksLike: 3 },
        { date: '2026-10-10', worksLike: 5 },
      ],
      closures: [{ from: '2026-08-10', to: '2026-08-11', reason: '装修 Renovation' }],
      dateOverrides: [
        { date: '2026-12-24', ranges: [{ start: 8 * 60, end: 16 * 60 }] },
        { date: '2026-12-31', ranges: [{ start: 8 * 60, end: 15 * 60 }] },
      ],
    },
  });
  const practitioners: string[] = [];
  for (let i = 0; i < 32; i++) {
    const id = replica.newId();
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}医生 Dr ${i + 1}`;
    await m('resource.create', { id, siteId, kind: 'practitioner', name, schedule: rota(i) });
    practitioners.push(id);
  }
  const rooms: string[] = [];
  for (let i = 0; i < 10; i++) {
    const id = replica.newId();
    await m('resource.create', { id, siteId, kind: 'room', name: `治疗室 Room ${i + 1}`, capacity: 2, schedule: { schedules: [pattern(weekly(EVERY_DAY, '00:00-24:00'))] } });
    rooms.push(id);
  }
  const services: ServiceDef[] = [];
  for (const s of SERVICES) {
    const id = replica.newId();
    await m('service.create', {
      id,
      siteId,
      name: s.name,
      durationMinutes: s.durationMinutes,
      bufferBeforeMinutes: s.bufferBeforeMinutes,
      bufferAfterMinutes: s.bufferAfterMinutes,
      price: { amountMinor: s.priceMinor, currency: 'CNY' },
      resourceKinds: s.resourceKinds,
      maxAdvanceDays: 90,
    });
    services.push({ ...s, id });
  }
  const customers = replica.sqlite
    .prepare<[string], { id: string }>('SELECT id FROM customers WHERE organization_id = ? ORDER BY id')
    .all(organizationId)
    .map((r) => r.id);
  const deskStaff = Array.from({ length: 4 }, () => replica.newId());
  const random = prng(7);
  const desk: Actor = { ...owner, role: 'front_desk', staffId: deskStaff[0]!, siteId };
  for (let i = 0; i < 150; i++) {
    const from = addDays(TODAY, Math.floor(random() * 14));
    await replica.mutate(
      'waitlist.add',
      {
        id: replica.newId(),
        customerId: customers[Math.floor(random() * customers.length)]!,
        serviceId: services[Math.floor(random() * services.length)]!.id,
        preferredWeekdays: random() < 0.5 ? [] : [1 + Math.floor(random() * 5), 6],
        preferredPartsOfDay: random() < 0.5 ? [] : [(['morning', 'afternoon', 'evening'] as const)[Math.floor(random() * 3)]!],
        preferredResourceId: random() < 0.2 ? practitioners[Math.floor(random() * practitioners.length)]! : null,
        dateFrom: from,
        dateTo: addDays(from, 7 + Math.floor(random() * 28)),
        urgent: random() < 0.1,
      },
      desk,
    );
  }
  log(`catalogue: ${practitioners.length} practitioners, ${rooms.length} rooms, ${services.length} services, 150 waitlist entries, ${customers.length} customers`);
  return { organizationId, siteId, owner, deskStaff, services, practitioners, rooms, customers, firstDate: TODAY, lastDate: TODAY };
}

/** The site's schedule and resources as the rules see them (the same conversions the mutators use). */
function loadRules(replica: Replica, world: BookingWorld): { site: ReturnType<typeof siteRulesOf>; resources: Map<string, ResourceInfo> } {
  const site = siteRulesOf(replica.sqlite.prepare<[string], Selectable<SitesTable>>('SELECT * FROM sites WHERE id = ?').get(world.siteId)!);
  const rows = replica.sqlite.prepare<[string], Selectable<ResourcesTable>>('SELECT * FROM resources WHERE site_id = ?').all(world.siteId);
  return { site, resources: new Map(rows.map((r) => [r.id, resourceInfoOf(r)])) };
}

interface GeneratedBooking {
  service: ServiceDef;
  customer: string;
  start: number;
  end: number;
  blockedStart: number;
  blockedEnd: number;
  resourceIds: string[];
}

/** Places BOOKINGS bookings on the practitioners' working time (see the file comment). */
function generate(replica: Replica, world: BookingWorld): GeneratedBooking[] {
  const random = prng(20261123);
  const { site, resources } = loadRules(replica, world);
  const today = dayNumber(TODAY);
  const firstDay = today - 500;
  const lastDay = today + FORWARD_DAYS - 1;
  const window = new SiteWindow(site.schedule, firstDay - 1, lastDay + 1);
  const timeline = new ZoneTimeline(TZ, firstDay - 1, lastDay + 2);
  const working = new Map<string, number[]>();
  for (const id of [...world.practitioners, ...world.rooms]) working.set(id, window.resourceWorking(resources.get(id)!.schedule));
  const cursor = new Map<string, number>();
  /** The working intervals of a resource that lie in [lo, hi). */
  const within = (id: string, lo: number, hi: number): number[] => {
    const list = working.get(id)!;
    let k = cursor.get(id) ?? 0;
    if (k >= list.length || list[k]! > lo) k = 0;
    while (k < list.length && list[k + 1]! <= lo) k += 2;
    cursor.set(id, k);
    const out: number[] = [];
    for (let j = k; j < list.length && list[j]! < hi; j += 2) out.push(Math.max(list[j]!, lo), Math.min(list[j + 1]!, hi));
    return out;
  };
  const totalWeight = world.services.reduce((s, x) => s + x.weight, 0);
  const pick = (pool: readonly ServiceDef[], total: number): ServiceDef => {
    let r = random() * total;
    for (const s of pool) if ((r -= s.weight) < 0) return s;
    return pool[pool.length - 1]!;
  };
  const noRoom = world.services.filter((s) => !s.resourceKinds.includes('room'));
  const noRoomWeight = noRoom.reduce((s, x) => s + x.weight, 0);
  const out: GeneratedBooking[] = [];
  const order = [...Array.from({ length: FORWARD_DAYS }, (_, i) => today + i), ...Array.from({ length: today - firstDay }, (_, i) => today - 1 - i)];
  for (const day of order) {
    if (out.length >= BOOKINGS) break;
    const midnight = timeline.dayStart(day);
    const next = timeline.dayStart(day + 1);
    const fill = fillOf(day - today);
    // Each room's booked minutes of the day.
    const roomBusy = new Map(world.rooms.map((r) => [r, new Uint8Array(1440)]));
    const roomWork = new Map(world.rooms.map((r) => [r, within(r, midnight, next)]));
    const booked = new Set<number>();
    const practitioners = shuffle(random, world.practitioners);
    const fitsRoom = (r: string, s: number, e: number): boolean => {
      const w = roomWork.get(r)!;
      let inside = false;
      for (let j = 0; j < w.length; j += 2) if (w[j]! <= s && e <= w[j + 1]!) inside = true;
      if (!inside) return false;
      const busy = roomBusy.get(r)!;
      for (let x = (s - midnight) / MINUTE_MS; x < (e - midnight) / MINUTE_MS; x++) if (busy[x]) return false;
      return true;
    };
    for (const p of practitioners) {
      const w = within(p, midnight, next);
      for (let j = 0; j < w.length && out.length < BOOKINGS; j += 2) {
        const ws = w[j]!;
        const we = w[j + 1]!;
        let free = ws;
        let t = midnight + Math.ceil((ws - midnight) / GRID_MS) * GRID_MS;
        while (t < we && out.length < BOOKINGS) {
          if (random() >= fill) {
            // Left free: 15 to 60 minutes, the length of an appointment.
            t += GRID_MS * (1 + Math.floor(random() * 4));
            continue;
          }
          let placed: GeneratedBooking | null = null;
          for (const service of [pick(world.services, totalWeight), pick(noRoom, noRoomWeight)]) {
            const bs = t - service.bufferBeforeMinutes * MINUTE_MS;
            const end = t + service.durationMinutes * MINUTE_MS;
            const be = end + service.bufferAfterMinutes * MINUTE_MS;
            if (bs < free || be > we) continue;
            const resourceIds = [p];
            if (service.resourceKinds.includes('room')) {
              const offset = Math.floor(random() * world.rooms.length);
              const room = world.rooms.map((_, k) => world.rooms[(k + offset) % world.rooms.length]!).find((r) => fitsRoom(r, bs, be));
              if (!room) continue;
              roomBusy.get(room)!.fill(1, (bs - midnight) / MINUTE_MS, (be - midnight) / MINUTE_MS);
              resourceIds.push(room);
            }
            let customer: number;
            do customer = Math.floor(world.customers.length * random() ** 1.5);
            while (booked.has(customer));
            booked.add(customer);
            placed = { service, customer: world.customers[customer]!, start: t, end, blockedStart: bs, blockedEnd: be, resourceIds };
            break;
          }
          if (!placed) {
            t += GRID_MS;
            continue;
          }
          out.push(placed);
          free = placed.blockedEnd;
          t = midnight + Math.ceil((free - midnight) / GRID_MS) * GRID_MS;
        }
      }
    }
  }
  if (out.length < BOOKINGS) throw new Error(`only ${out.length} bookings fit in 500 days back`);
  return out;
}

/** A Fisher–Yates shuffle with the given generator. */
export function shuffle<T>(random: () => number, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const CANCEL_REASONS = ['身体不适 Unwell', '时间冲突 Schedule clash', '出差 Travelling', '天气原因 Weather', '已在别处就诊 Seen elsewhere'];

/** Writes the generated bookings as the mutators would have, 25,000 per transaction. */
function insertBulk(replica: Replica, world: BookingWorld, bookings: readonly GeneratedBooking[]): { events: number } {
  const random = prng(42);
  const db = replica.sqlite;
  const insertBooking = db.prepare(
    `INSERT INTO bookings (id, organization_id, site_id, service_id, customer_id, start_at, end_at, buffer_before_minutes, buffer_after_minutes,
       status, source, notes, price_minor, currency, series_id, session_id, seats, cancel_reason, cancelled_by, late_cancel, override_reason,
       version, created_by, created_at, updated_at)
     VALUES (@id, @organization_id, @site_id, @service_id, @customer_id, @start_at, @end_at, @buffer_before_minutes, @buffer_after_minutes,
       @status, @source, '', @price_minor, 'CNY', NULL, NULL, 1, @cancel_reason, @cancelled_by, @late_cancel, NULL,
       @version, @created_by, @created_at, @updated_at)`,
  );
  const insertBlock = db.prepare('INSERT INTO booking_resources (booking_id, resource_id, blocked_start, blocked_end, active) VALUES (?, ?, ?, ?, ?)');
  const insertEvent = db.prepare(
    `INSERT INTO booking_events (id, organization_id, booking_id, version, type, from_status, to_status, before, after, reason, actor_staff_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
  );
  const onlineStaff = world.deskStaff[world.deskStaff.length - 1]!;
  let events = 0;
  const write = db.transaction((batch: readonly GeneratedBooking[]) => {
    for (const b of batch) {
      const id = replica.newId();
      const staff = world.deskStaff[Math.floor(random() * (world.deskStaff.length - 1))]!;
      const past = b.start < NOW;
      const walkIn = past && random() < 0.04;
      const source = walkIn ? 'walkIn' : random() < 0.2 ? 'online' : 'desk';
      const createdBy = source === 'online' ? onlineStaff : staff;
      const createdAt = walkIn ? b.start : Math.min(b.start - HOUR - Math.floor(random() * 21 * 24) * HOUR, BUILD_AT - HOUR);
      // The history: [type, from, to, at, reason].
      const history: [string, string | null, string, number, string | null][] = [];
      const firstStatus = walkIn ? 'arrived' : source === 'online' ? 'pending' : 'confirmed';
      history.push(['created', null, firstStatus, createdAt, null]);
      if (source === 'online' && (past || random() < 0.9)) history.push(['status', 'pending', 'confirmed', Math.min(createdAt + HOUR, BUILD_AT - MINUTE_MS), null]);
      let cancel: { by: 'customer' | 'staff'; reason: string; late: boolean } | null = null;
      const r = random();
      const current = () => history[history.length - 1]![2];
      if (past && !walkIn && r < 0.09) {
        cancel = { by: random() < 0.8 ? 'customer' : 'staff', reason: CANCEL_REASONS[Math.floor(random() * CANCEL_REASONS.length)]!, late: false };
      } else if (past && !walkIn && r < 0.14) {
        history.push(['status', current(), 'noShow', b.start + 15 * MINUTE_MS, null]);
      } else if (past) {
        if (!walkIn) history.push(['status', current(), 'arrived', b.start - 5 * MINUTE_MS, null]);
        history.push(['status', 'arrived', 'inService', b.start, null]);
        history.push(['status', 'inService', 'completed', b.end, null]);
      } else if (r < 0.05) {
        cancel = { by: random() < 0.8 ? 'customer' : 'staff', reason: CANCEL_REASONS[Math.floor(random() * CANCEL_REASONS.length)]!, late: false };
      }
      if (cancel) {
        const lastAt = history[history.length - 1]![3];
        const at = Math.min(lastAt + Math.floor(random() * Math.max(1, b.start - lastAt)), BUILD_AT - MINUTE_MS);
        // The site's late-cancel window is the default 24 hours.
        cancel.late = cancel.by === 'customer' && b.start - at < 24 * HOUR;
        history.push(['status', current(), 'cancelled', at, cancel.reason]);
      }
      const status = current();
      insertBooking.run({
        id,
        organization_id: world.organizationId,
        site_id: world.siteId,
        service_id: b.service.id,
        customer_id: b.customer,
        start_at: b.start,
        end_at: b.end,
        buffer_before_minutes: b.service.bufferBeforeMinutes,
        buffer_after_minutes: b.service.bufferAfterMinutes,
        status,
        source,
        price_minor: b.service.priceMinor,
        cancel_reason: cancel?.reason ?? null,
        cancelled_by: cancel?.by ?? null,
        late_cancel: cancel?.late ? 1 : 0,
        version: history.length,
        created_by: createdBy,
        created_at: createdAt,
        updated_at: history[history.length - 1]![3],
      });
      const active = BLOCKING_STATUSES.has(status as BookingStatus) ? 1 : 0;
      for (const resourceId of b.resourceIds) insertBlock.run(id, resourceId, b.blockedStart, b.blockedEnd, active);
      const after = JSON.stringify({ start: b.start, end: b.end, resourceIds: b.resourceIds, sessionId: null });
      history.forEach(([type, from, to, at, reason], i) => {
        insertEvent.run(replica.newId(), world.organizationId, id, i + 1, type, from, to, type === 'created' ? after : null, reason, i === 0 ? createdBy : staff, at);
      });
      events += history.length;
    }
  });
  // These rows stand for ones the desk pulled from the server, not its own pending changes: they
  // leave nothing in the undo log (migration 0040), as a pull's rows do not.
  withoutUndo(db, () => {
    for (let i = 0; i < bookings.length; i += 25_000) write(bookings.slice(i, i + 25_000));
  });
  return { events };
}

// ---- free time, for finding slots -------------------------------------------------------------

/**
 * The resources' working time (as the rules compute it) and their active blocks over a range of
 * days, read from the replica: the benchmark's own view of where a booking fits. Kept up to date
 * by the caller after each mutation.
 */
export class FreeTime {
  readonly timeline: ZoneTimeline;
  private readonly working = new Map<string, number[]>();
  /** Per resource: blocks as [start, end) pairs sorted by start (they never overlap). */
  private readonly busy = new Map<string, number[]>();

  constructor(
    replica: Replica,
    readonly world: BookingWorld,
    readonly firstDay: number,
    readonly lastDay: number,
  ) {
    const { site, resources } = loadRules(replica, world);
    const window = new SiteWindow(site.schedule, firstDay - 1, lastDay + 1);
    this.timeline = window.timeline;
    const lo = this.timeline.dayStart(firstDay - 1);
    const hi = this.timeline.dayStart(lastDay + 2);
    const blocks = replica.sqlite.prepare<[string, number, number], { blocked_start: number; blocked_end: number }>(
      'SELECT blocked_start, blocked_end FROM booking_resources WHERE resource_id = ? AND active = 1 AND blocked_start >= ? AND blocked_start < ? ORDER BY blocked_start',
    );
    for (const id of [...world.practitioners, ...world.rooms]) {
      this.working.set(id, window.resourceWorking(resources.get(id)!.schedule));
      this.busy.set(id, blocks.all(id, lo - DAY_MS * 2, hi).flatMap((b) => [b.blocked_start, b.blocked_end]));
    }
  }

  /** Whether the resource works for all of [s, e). */
  works(id: string, s: number, e: number): boolean {
    const w = this.working.get(id)!;
    const k = firstEndAfter(w, s);
    return k < w.length && w[k]! <= s && e <= w[k + 1]!;
  }

  isFree(id: string, s: number, e: number): boolean {
    const b = this.busy.get(id)!;
    const k = firstEndAfter(b, s);
    return k >= b.length || b[k]! >= e;
  }

  add(id: string, s: number, e: number): void {
    const b = this.busy.get(id)!;
    const k = firstEndAfter(b, s);
    if (k < b.length && b[k]! < e) throw new Error('FreeTime.add: overlaps a block');
    b.splice(k, 0, s, e);
  }

  remove(id: string, s: number, e: number): void {
    const b = this.busy.get(id)!;
    for (let k = 0; k < b.length; k += 2) {
      if (b[k] === s && b[k + 1] === e) {
        b.splice(k, 2);
        return;
      }
    }
    throw new Error('FreeTime.remove: no such block');
  }

  /** Share of the practitioners' working time in the days that is blocked. */
  practitionerLoad(firstDay: number, lastDay: number): number {
    const lo = this.timeline.dayStart(firstDay);
    const hi = this.timeline.dayStart(lastDay + 1);
    let work = 0;
    let used = 0;
    for (const id of this.world.practitioners) {
      const w = this.working.get(id)!;
      for (let k = 0; k < w.length; k += 2) work += Math.max(0, Math.min(w[k + 1]!, hi) - Math.max(w[k]!, lo));
      const b = this.busy.get(id)!;
      for (let k = 0; k < b.length; k += 2) used += Math.max(0, Math.min(b[k + 1]!, hi) - Math.max(b[k]!, lo));
    }
    return used / work;
  }

  /** Whether the resource works and is free for all of [s, e). */
  fits(id: string, s: number, e: number): boolean {
    return this.works(id, s, e) && this.isFree(id, s, e);
  }

  /** A practitioner (and a room if needed) other than `exclude`, free and working over the span at `start`, or null. */
  freeAt(
    random: () => number,
    start: number,
    span: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number; needsRoom: boolean },
    exclude: readonly string[] = [],
  ): string[] | null {
    const s = start - span.bufferBeforeMinutes * MINUTE_MS;
    const e = start + (span.durationMinutes + span.bufferAfterMinutes) * MINUTE_MS;
    const p = shuffle(random, this.world.practitioners).find((id) => !exclude.includes(id) && this.fits(id, s, e));
    if (!p) return null;
    if (!span.needsRoom) return [p];
    const room = shuffle(random, this.world.rooms).find((id) => !exclude.includes(id) && this.fits(id, s, e));
    return room ? [p, room] : null;
  }

  /**
   * A start on the grid of `day` where `resourceIds` (or, when null, a practitioner picked at
   * random and a room if the service needs one, chosen at random among the free ones) work and are
   * free for the blocked span, at least `notBefore`; one at random among those of the day, or null.
   */
  slotOn(
    random: () => number,
    day: number,
    span: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number; needsRoom: boolean },
    resourceIds: readonly string[] | null,
    notBefore: number,
  ): { start: number; resourceIds: string[] } | null {
    const midnight = this.timeline.dayStart(day);
    const next = this.timeline.dayStart(day + 1);
    const practitioner = resourceIds ? null : this.world.practitioners[Math.floor(random() * this.world.practitioners.length)]!;
    const found: { start: number; resourceIds: string[] }[] = [];
    const rooms: string[] = [];
    for (let t = midnight; t < next; t += GRID_MS) {
      if (t < notBefore) continue;
      const s = t - span.bufferBeforeMinutes * MINUTE_MS;
      const e = t + (span.durationMinutes + span.bufferAfterMinutes) * MINUTE_MS;
      if (resourceIds) {
        let all = true;
        for (const id of resourceIds) if (!this.fits(id, s, e)) all = false;
        if (all) found.push({ start: t, resourceIds: [...resourceIds] });
        continue;
      }
      if (!this.fits(practitioner!, s, e)) continue;
      if (!span.needsRoom) {
        found.push({ start: t, resourceIds: [practitioner!] });
        continue;
      }
      rooms.length = 0;
      for (const r of this.world.rooms) if (this.fits(r, s, e)) rooms.push(r);
      if (rooms.length > 0) found.push({ start: t, resourceIds: [practitioner!, rooms[Math.floor(random() * rooms.length)]!] });
    }
    return found.length === 0 ? null : found[Math.floor(random() * found.length)]!;
  }
}

/** Index of the first pair of a sorted flat pair list whose end is after `s` (pairs never overlap, so ends are sorted too). */
function firstEndAfter(list: readonly number[], s: number): number {
  let lo = 0;
  let hi = list.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[2 * mid + 1]! <= s) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** Whether the customer has an active booking meeting [start, end) (what the double-booking check refuses). */
export function customerBusy(replica: Replica, customerId: string, start: number, end: number): boolean {
  return (
    replica.sqlite
      .prepare(
        "SELECT 1 FROM bookings WHERE customer_id = ? AND start_at < ? AND end_at > ? AND status IN ('pending', 'confirmed', 'arrived', 'inService', 'completed') LIMIT 1",
      )
      .get(customerId, end, start) !== undefined
  );
}

// ---- verification -----------------------------------------------------------------------------

async function expectRefusal(p: Promise<unknown>, key: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (AppError.is(e) && e.key === key) return;
    throw e;
  }
  throw new Error(`expected ${key}, the mutation went through`);
}

/** Column names and which of them are NULL: the shape two rows of one kind must share. */
function shape(row: Record<string, unknown>): string {
  return Object.entries(row)
    .map(([k, v]) => `${k}:${v === null ? 'null' : typeof v}`)
    .join(',');
}

/**
 * Checks the bulk against the store's invariants and against the mutators themselves (see the
 * file comment). Leaves a few extra bookings, made by the mutators, in the replica.
 */
async function verify(replica: Replica, world: BookingWorld, desk: Actor, log: Log): Promise<void> {
  const db = replica.sqlite;
  const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
  // No two active blocks of a resource overlap.
  const clash = one<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT blocked_start, lag(blocked_end) OVER (PARTITION BY resource_id ORDER BY blocked_start) AS prev_end
       FROM booking_resources WHERE active = 1) WHERE prev_end > blocked_start`,
  ).n;
  if (clash !== 0) throw new Error(`${clash} overlapping active blocks`);
  // Blocks are active exactly while the booking's status blocks; every booking has its history up to its version.
  const badActive = one<{ n: number }>(
    `SELECT count(*) AS n FROM booking_resources br JOIN bookings b ON b.id = br.booking_id
      WHERE br.active != (b.status IN ('pending', 'confirmed', 'arrived', 'inService', 'completed'))`,
  ).n;
  const badHistory = one<{ n: number }>(
    `SELECT count(*) AS n FROM bookings b WHERE b.version != (SELECT max(version) FROM booking_events e WHERE e.booking_id = b.id)
       OR b.status != (SELECT to_status FROM booking_events e WHERE e.booking_id = b.id ORDER BY version DESC LIMIT 1)`,
  ).n;
  if (badActive !== 0 || badHistory !== 0) throw new Error(`${badActive} blocks with the wrong active flag, ${badHistory} bookings whose history does not match`);

  const today = dayNumber(TODAY);
  const free = new FreeTime(replica, world, today, today + 13);
  const random = prng(99);
  const consult = world.services.find((s) => s.resourceKinds.length === 2)!;
  const span = { ...consult, needsRoom: true };
  const create = (args: Record<string, unknown>) =>
    replica.mutate<BookingResult>('booking.create', { id: replica.newId(), serviceId: consult.id, ...args }, desk);

  // 1. A bulk booking's slot is taken: the same start on its resources is refused.
  const taken = one<{ id: string; start_at: number; service_id: string; resources: string }>(
    `SELECT b.id, b.start_at, b.service_id, (SELECT json_group_array(resource_id) FROM booking_resources WHERE booking_id = b.id) AS resources
       FROM bookings b WHERE b.status = 'confirmed' AND b.service_id = ? AND b.start_at > ? ORDER BY b.start_at LIMIT 1`,
    consult.id,
    NOW + DAY_MS,
  );
  const other = world.customers.find((c) => !customerBusy(replica, c, taken.start_at, taken.start_at + consult.durationMinutes * MINUTE_MS))!;
  await expectRefusal(create({ customerId: other, start: taken.start_at, resourceIds: JSON.parse(taken.resources) }), 'errors.booking.resourceBusy');

  // 2. A free slot found from the bulk's blocks is accepted, and written like the bulk rows.
  // (One where other resources are free at the same time too, for step 3.)
  let slot: { start: number; resourceIds: string[] } | null = null;
  let elsewhere: string[] | null = null;
  for (let k = 0; !elsewhere; k++) {
    if (k > 1000) throw new Error('no free slot for the verification bookings');
    slot = free.slotOn(random, today + 1 + (k % 13), span, null, NOW + HOUR);
    elsewhere = slot && free.freeAt(random, slot.start, span, slot.resourceIds);
  }
  if (!slot) throw new Error('unreachable');
  const customer = world.customers.find((c) => !customerBusy(replica, c, slot!.start - DAY_MS, slot!.start + DAY_MS))!;
  const made = await create({ customerId: customer, start: slot.start, resourceIds: slot.resourceIds });
  if (made.status !== 'confirmed') throw new Error(`booking.create gave ${made.status}`);
  const rowOf = (id: string) => one<Record<string, unknown>>('SELECT * FROM bookings WHERE id = ?', id);
  const bulk = rowOf(
    one<{ id: string }>("SELECT id FROM bookings WHERE status = 'confirmed' AND source = 'desk' AND service_id = ? AND version = 1 LIMIT 1", consult.id).id,
  );
  const eventOf = (id: string) => one<Record<string, unknown>>("SELECT * FROM booking_events WHERE booking_id = ? AND type = 'created'", id);
  const blocksOf = (id: string) => db.prepare('SELECT resource_id, blocked_start - (SELECT start_at FROM bookings WHERE id = ?) AS lead, active FROM booking_resources WHERE booking_id = ? ORDER BY resource_id').all(id, id);
  if (shape(rowOf(made.id)) !== shape(bulk)) throw new Error(`bookings rows differ:\n mutator ${shape(rowOf(made.id))}\n bulk    ${shape(bulk)}`);
  if (shape(eventOf(made.id)) !== shape(eventOf(bulk.id as string))) throw new Error('booking_events rows differ');
  const afterKeys = (id: string) => Object.keys(JSON.parse(eventOf(id).after as string) as object).join();
  if (afterKeys(made.id) !== afterKeys(bulk.id as string)) throw new Error('booking_events.after differs');
  if (JSON.stringify(blocksOf(made.id).map((b) => (b as { lead: number }).lead)) !== JSON.stringify(blocksOf(bulk.id as string).map((b) => (b as { lead: number }).lead))) {
    throw new Error('booking_resources blocks differ');
  }
  for (const r of slot.resourceIds) free.add(r, slot.start - consult.bufferBeforeMinutes * MINUTE_MS, made.end + consult.bufferAfterMinutes * MINUTE_MS);

  // 3. The same customer again at the same time on other free resources: a double booking, refused.
  await expectRefusal(create({ customerId: customer, start: slot.start, resourceIds: elsewhere }), 'errors.booking.customerDoubleBooked');

  // 4. A bulk booking cancelled and another moved, through the mutators.
  const future = db
    .prepare<[number], { id: string; version: number }>("SELECT id, version FROM bookings WHERE status = 'confirmed' AND start_at > ? ORDER BY start_at LIMIT 2")
    .all(NOW + 2 * DAY_MS);
  await replica.mutate('booking.transition', { id: future[0]!.id, to: 'cancelled', cancelledBy: 'customer', reason: 'verify' }, desk);
  const cancelled = rowOf(future[0]!.id);
  if (cancelled.version !== future[0]!.version + 1 || cancelled.status !== 'cancelled') throw new Error('booking.transition did not cancel the bulk booking');
  const b = one<{ id: string; start_at: number; end_at: number; buffer_before_minutes: number; buffer_after_minutes: number; service_id: string; resources: string }>(
    `SELECT b.*, (SELECT json_group_array(resource_id) FROM booking_resources WHERE booking_id = b.id) AS resources FROM bookings b WHERE id = ?`,
    future[1]!.id,
  );
  const resources = JSON.parse(b.resources) as string[];
  const moveSpan = { durationMinutes: (b.end_at - b.start_at) / MINUTE_MS, bufferBeforeMinutes: b.buffer_before_minutes, bufferAfterMinutes: b.buffer_after_minutes, needsRoom: false };
  let to: { start: number } | null = null;
  for (let d = today + 1; !to || customerBusy(replica, (rowOf(b.id).customer_id as string), to.start, to.start + moveSpan.durationMinutes * MINUTE_MS); d++) {
    to = free.slotOn(random, d, moveSpan, resources, NOW + HOUR);
  }
  await replica.mutate('booking.reschedule', { id: b.id, start: to.start, reason: 'verify' }, desk);
  if (rowOf(b.id).start_at !== to.start) throw new Error('booking.reschedule did not move the bulk booking');
  log('verified: no overlapping blocks, histories match versions; a clash and a double booking refused, a create, a cancel and a reschedule on the bulk went through');
}

// ---- the cached file ----------------------------------------------------------------------------

/** Everything that decides what the replica holds: the schema and replica, the mutators it is built with, the demo customer generator and this file. */
const SEED_SOURCES = [
  'core/customers',
  'core/scheduling',
  'core/db-schema.ts',
  'core/mutator.ts',
  'core/mutators.ts',
  'core/organization.mutators.ts',
  'core/time.ts',
  'electron/host/replica',
  'electron/host/seed',
  'bench/lib/bookings-replica.ts',
  'package-lock.json',
];

function seedKey(): string {
  return sourceKey(`bookings=${BOOKINGS} customers=${CUSTOMERS} v${SEED_VERSION}`, SEED_SOURCES);
}

async function build(file: string, log: Log): Promise<void> {
  const t0 = process.hrtime.bigint();
  const replica = openAt(file, BUILD_AT);
  try {
    const world = await buildWorld(replica, log);
    const t1 = process.hrtime.bigint();
    const bookings = generate(replica, world);
    const days = bookings.map((b) => b.start).sort((a, b) => a - b);
    world.firstDate = instantToWall(days[0]!, TZ).date;
    world.lastDate = instantToWall(days[days.length - 1]!, TZ).date;
    const db = replica.sqlite;
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma('cache_size = -1048576');
    let events: number;
    try {
      ({ events } = insertBulk(replica, world, bookings));
    } finally {
      db.pragma(`cache_size = ${cacheSize}`);
    }
    const t2 = process.hrtime.bigint();
    log(
      `generated and inserted ${bookings.length} bookings (${world.firstDate} … ${world.lastDate}, ${events} history events) in ${(msBetween(t1, t2) / 1000).toFixed(1)} s`,
    );
    replica.setMeta('bench_world', JSON.stringify(world));
    const desk: Actor = { ...world.owner, role: 'front_desk', staffId: world.deskStaff[0]!, siteId: world.siteId };
    await verify(replica, world, desk, log);
    db.pragma('wal_checkpoint(TRUNCATE)');
    log(`built the bookings replica in ${(msBetween(t0, process.hrtime.bigint()) / 1000).toFixed(1)} s`);
  } finally {
    await replica.close();
  }
}

/** The bookings replica in a fresh temp folder: built, or copied from the cache (`reuse`). */
export async function bookingReplica(log: Log, opts: { reuse?: boolean } = {}): Promise<BookingBench> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-'));
  const file = path.join(dir, 'desk.sqlite');
  const cached = opts.reuse ? path.join(CACHE_DIR, `bookings-${BOOKINGS}-${seedKey()}.sqlite`) : null;
  let replica: Replica | null = null;
  try {
    if (cached && existsSync(cached) && process.env.FOYER_BENCH_FRESH !== '1') {
      copyFileSync(cached, file);
      log(`reusing the bookings replica ${cached} (FOYER_BENCH_FRESH=1 or --fresh builds it again)`);
    } else {
      await build(file, log);
      if (cached) {
        mkdirSync(CACHE_DIR, { recursive: true });
        for (const old of readdirSync(CACHE_DIR)) if (old.startsWith(`bookings-${BOOKINGS}-`)) rmSync(path.join(CACHE_DIR, old), { force: true });
        copyFileSync(file, `${cached}.${process.pid}.tmp`);
        renameSync(`${cached}.${process.pid}.tmp`, cached);
      }
    }
    // Written back to disk now rather than during the timed part: the fsync of the first WAL
    // checkpoint would wait for the whole file (measured: p50 0.6–0.95 ms without this, 0.6 with).
    const fd = openSync(file, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    replica = openAt(file);
    const raw = replica.getMeta('bench_world');
    if (!raw) throw new Error('the bookings replica has no bench_world');
    const world = JSON.parse(raw) as BookingWorld;
    const n = replica.sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM bookings').get()!.n;
    if (n < BOOKINGS) throw new Error(`the replica holds ${n} bookings, wanted ${BOOKINGS}`);
    log(`replica: ${n} bookings (${world.firstDate} … ${world.lastDate}), ${world.customers.length} customers, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
    const r = replica;
    return {
      replica: r,
      world,
      desk: { ...world.owner, role: 'front_desk', staffId: world.deskStaff[0]!, siteId: world.siteId },
      async close() {
        await r.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await replica?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
