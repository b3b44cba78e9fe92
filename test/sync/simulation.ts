/**
 * The deterministic sync simulation (the Sync issue): three desks with skewed clocks and the server
 * in one process (harness.ts), a clinic and a gym class set up through one desk, then a random
 * sequence of commands: desks book, cancel, reschedule, check in, take class seats, add customers
 * and waitlist entries, change the class's seats, and sync, one desk at a time, all at once, or
 * while booking; the network partitions desks, drops requests, loses replies after the server
 * committed (the server's crash point), duplicates messages, and holds pushes back or keeps copies
 * to deliver them later, out of order; desks crash right after a commit and reopen from their
 * file; the clock moves. Pushes go in small batches and pulls in small chunks, so that faults land
 * between them.
 *
 * While it runs: after every step each desk shows no double booking and no oversold class (unless
 * it is in the middle of a chunked pull, which is consistent only once complete) and shows its own
 * acknowledged bookings; after a sync that succeeded a desk equals the server.
 *
 * After the sequence the network heals and every desk syncs until nothing changes any more. Then:
 *   1. every replica equals the server, table by table (digest.ts);
 *   2. no resource has two overlapping active blocks, no session more seats taken than it has, and
 *      a booking's blocks are active exactly while its status holds them (server and every desk;
 *      the desks are also checked after every step, except in the middle of a chunked pull, which
 *      is consistent only once complete);
 *   3. every mutation a desk made (its outbox id) was processed by the server exactly once: applied,
 *      or rejected and in that desk's conflict inbox with the server's reason; nothing else is in
 *      the log or the inboxes, and the server's bookings and customers are exactly those that
 *      applied mutations made;
 *   4. every check-in the server applied is still there (a fact is never lost);
 *   5. every outbox (and undo log) is empty.
 *
 * Everything is deterministic: ids come from seeded sources, clocks are manual, the commands are
 * data. A run is reproduced from its fast-check seed (and path) alone.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { AppError, type AppErrorShape } from '../../core/errors';
import { BLOCKING_STATUSES } from '../../core/scheduling/schedule';
import { wallTimeToInstant } from '../../core/scheduling/zoned-time';
import { handlePush } from '../../sync/server/push';
import type { PushRequest } from '../../sync/protocol';
import type { DeviceIdentity } from '../../sync/server/store';
import type { Store } from '../../server/store/store';
import type { TestStores, StoreBackend } from '../../server/store/testing';
import { digestDesk, digestServer } from './digest';
import { openWorld, resetStore, SH, type Desk, type Fault, type World } from './harness';

// ---- the scenario ---------------------------------------------------------------------------------

const DAY = '2026-11-24';
const MINUTE = 60_000;
const at = (minutes: number) => wallTimeToInstant(DAY, minutes, SH);
/** Starts on the site's 15-minute grid, close together so that bookings collide often. */
const SLOTS = [540, 555, 570, 585, 600, 615, 630].map(at);
const CLASS_START = at(11 * 60);
/** Few phone numbers: desks adding customers offline often pick one another desk took. */
const PHONES = ['+8613900000001', '+8613900000002', '+8613900000003', '+8613900000004', '+8613900000005', '+8613900000006'];
/** Desk clocks against the server's: ten minutes slow, right, seven minutes fast. */
export const DESK_SKEWS = [-10 * MINUTE, 0, 7 * MINUTE];
const ACTIVE = [...BLOCKING_STATUSES];
const inList = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

interface Clinic {
  practitioners: string[];
  room: string;
  /** [consultation: a practitioner; treatment: a practitioner and the room] */
  services: string[];
  yoga: string;
  session: string;
}

// ---- commands -------------------------------------------------------------------------------------

/**
 * What the network does to the next messages of one desk (pushes, pulls or both, as `on` says):
 * `skip` delivered, then `count` with `fault`. Skipping pulls lands a fault in the middle of a
 * chunked pull.
 */
export interface FaultPlan {
  fault: Exclude<Fault, 'deliver'>;
  on: 'push' | 'pull' | 'any';
  skip: number;
  count: number;
}

export type Command =
  | { t: 'book'; desk: number; customer: number; service: number; slot: number; who: number; ack: boolean }
  | { t: 'race'; desk: number; customer: number; service: number; slot: number; who: number; ack: boolean }
  | { t: 'seat'; desk: number; customer: number; seats: number }
  | { t: 'cancel'; desk: number; pick: number }
  | { t: 'reschedule'; desk: number; pick: number; slot: number }
  | { t: 'checkIn'; desk: number; pick: number }
  | { t: 'complete'; desk: number; pick: number }
  | { t: 'customer'; desk: number; phone: number }
  | { t: 'waitlist'; desk: number; customer: number; service: number }
  | { t: 'classSeats'; desk: number; seats: number }
  | { t: 'sync'; desk: number }
  | { t: 'syncAll' }
  | { t: 'net'; desk: number; up: boolean }
  | ({ t: 'fault'; desk: number } & FaultPlan)
  | { t: 'keepStale'; desk: number; keep: boolean }
  | { t: 'replay'; newestFirst: boolean; count: number }
  | { t: 'crash'; desk: number }
  | { t: 'advance'; minutes: number };

const desk = fc.integer({ min: 0, max: DESK_SKEWS.length - 1 });
const pick = fc.nat({ max: 50 });

/** One command; the weights make bookings and syncs common and crashes and replays rarer. */
export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('book' as const), desk, customer: pick, service: fc.nat({ max: 1 }), slot: fc.nat({ max: SLOTS.length - 1 }), who: fc.integer({ min: -1, max: 2 }), ack: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('race' as const), desk, customer: pick, service: fc.nat({ max: 1 }), slot: fc.nat({ max: SLOTS.length - 1 }), who: fc.integer({ min: -1, max: 2 }), ack: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('seat' as const), desk, customer: pick, seats: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('cancel' as const), desk, pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reschedule' as const), desk, pick, slot: fc.nat({ max: SLOTS.length - 1 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('checkIn' as const), desk, pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('complete' as const), desk, pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('customer' as const), desk, phone: fc.nat({ max: PHONES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('waitlist' as const), desk, customer: pick, service: fc.nat({ max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('classSeats' as const), desk, seats: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('sync' as const), desk }) },
  { weight: 2, arbitrary: fc.constant({ t: 'syncAll' as const }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('net' as const), desk, up: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('fault' as const),
      desk,
      fault: fc.constantFrom('dropRequest' as const, 'dropReply' as const, 'duplicate' as const, 'delay' as const),
      on: fc.constantFrom('push' as const, 'pull' as const, 'any' as const),
      skip: fc.nat({ max: 4 }),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('keepStale' as const), desk, keep: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('replay' as const), newestFirst: fc.boolean(), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('crash' as const), desk }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('advance' as const), minutes: fc.oneof(fc.integer({ min: 1, max: 90 }), fc.constantFrom(6 * 60, 24 * 60)) }) },
);

/** One run: how the desks batch pushes and chunk pulls (small, so both happen a lot), and the commands. */
export interface Scenario {
  /** Rows per pull chunk: 1 makes every pull with anything in it a chunked one. */
  pullLimit: number;
  /** Outbox entries per push. */
  batch: number;
  commands: Command[];
}

export function scenarioArb(maxSteps: number): fc.Arbitrary<Scenario> {
  return fc.record({
    pullLimit: fc.constantFrom(1, 2, 4),
    batch: fc.constantFrom(1, 2, 5),
    // Without bias, lengths spread evenly up to maxSteps (fast-check would favour short ones).
    commands: fc.noBias(fc.array(commandArb, { minLength: 1, maxLength: maxSteps, size: 'max' })),
  });
}

/** A command as one short line, for the transcript of a failing run. */
export function describeCommand(c: Command): string {
  const { t, ...rest } = c;
  return `${t} ${Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')}`;
}

// ---- what a run records -----------------------------------------------------------------------------

/** A mutation a desk made (it is in that desk's outbox under `mutationId`). */
export interface Made {
  desk: number;
  clientId: string;
  mutationId: number;
  name: string;
  args: Record<string, unknown>;
}

/** Counters over all runs, printed at the end: what the simulation actually exercised. */
export class SimStats {
  runs = 0;
  steps = 0;
  readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  summary(): string {
    const keys = [...this.counts.keys()].sort();
    return [`${this.runs} runs, ${this.steps} steps`, ...keys.map((k) => `  ${k}: ${this.counts.get(k)}`)].join('\n');
  }
}

/** A run failed an invariant: says which, with the run's transcript. */
export class SimulationFailure extends Error {}

interface Ctx {
  world: World;
  clinic: Clinic;
  made: Made[];
  log: string[];
  stats: SimStats;
  plans: (FaultPlan | null)[];
}

// ---- a run --------------------------------------------------------------------------------------------

export interface RunOptions {
  stores: TestStores;
  backend: StoreBackend;
  /** The store every run uses, emptied before each (a fresh schema per run costs a second). */
  store: Store;
  stats: SimStats;
}

/** Runs one command sequence and checks every invariant; throws a SimulationFailure with the transcript. */
export async function simulate(opts: RunOptions, scenario: Scenario): Promise<void> {
  const { commands } = scenario;
  const t0 = performance.now();
  await resetStore(opts.store);
  const world = await openWorld(opts.stores, opts.backend, { store: opts.store });
  const log: string[] = [];
  const lap = (what: string, since: number) => {
    const now = performance.now();
    opts.stats.add(`ms ${what}`, Math.round(now - since));
    return now;
  };
  let t = lap('open', t0);
  try {
    for (let i = 0; i < DESK_SKEWS.length; i++) await world.addDesk('ABC'[i]!, { skewMs: DESK_SKEWS[i]! });
    const clinic = await setUp(world);
    // The set-up syncs in one go; from here on, pushes go in small batches and pulls in small chunks.
    for (const d of [...world.desks]) await world.restart(d, { pullLimit: scenario.pullLimit, batch: scenario.batch });
    const ctx: Ctx = { world, clinic, made: [], log, stats: opts.stats, plans: world.desks.map(() => null) };
    for (const [i, d] of world.desks.entries()) d.net.fault = faultSource(ctx, i);
    // The set-up's own mutations are desk A's first outbox entries; they must all have applied.
    await trackSetUp(ctx);
    opts.stats.runs++;
    log.push(`    pulls in chunks of ${scenario.pullLimit} rows, pushes of ${scenario.batch} entries`);
    t = lap('set-up', t);
    for (const [i, c] of commands.entries()) {
      const outcome = await step(ctx, c);
      log.push(`${String(i).padStart(3)} ${describeCommand(c)} → ${outcome}`);
      opts.stats.steps++;
      for (const [di, d] of world.desks.entries()) {
        if (d.sync.position().ceiling !== null) continue; // in the middle of a chunked pull
        const bad = [...deskInvariants(d), ...(await ownWritesShown(ctx, di))];
        if (bad.length > 0) fail(ctx, `after step ${i}, desk ${'ABC'[di]} breaks: ${bad.join('; ')}`);
      }
    }
    t = lap('steps', t);
    await heal(ctx);
    t = lap('heal', t);
    await checkFinal(ctx);
    lap('checks', t);
  } catch (e) {
    if (e instanceof SimulationFailure) throw e;
    throw new SimulationFailure(`${(e as Error).stack ?? String(e)}\n--- transcript ---\n${log.join('\n')}`);
  } finally {
    const files = world.desks.map((d) => d.file);
    await world.close();
    for (const f of files) rmSync(path.dirname(f), { recursive: true, force: true });
  }
}

function fail(ctx: Ctx, message: string): never {
  throw new SimulationFailure(`${message}\n--- transcript ---\n${ctx.log.join('\n')}`);
}

/** The fault plan of desk `i`, consumed one message at a time. */
function faultSource(ctx: Ctx, i: number): (kind: 'push' | 'pull') => Fault {
  return (kind) => {
    const p = ctx.plans[i];
    if (!p || (p.on !== 'any' && p.on !== kind)) return 'deliver';
    if (p.skip > 0) {
      p.skip--;
      return 'deliver';
    }
    p.count--;
    if (p.count <= 0) ctx.plans[i] = null;
    ctx.stats.add(`fault ${p.fault} on ${kind}`);
    return p.fault;
  };
}

/** The clinic and the class, made on desk A and synced to every desk. */
async function setUp(w: World): Promise<Clinic> {
  const a = w.desks[0]!;
  // The organization and its site come from the server.
  for (const d of w.desks) await d.client.syncNow();
  const id = () => a.ids.newId();
  const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 8 * 60, end: 20 * 60 }));
  const hours = { schedules: [{ ranges: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 8 * 60, end: 18 * 60 })) }] };
  await a.mutate('site.updateSettings', { siteId: w.siteId, patch: { openingHours: week, granularityMinutes: 15, waitlistAutoOffer: true } });
  const resource = async (kind: string, name: string) => {
    const rid = id();
    await a.mutate('resource.create', { id: rid, siteId: w.siteId, kind, name, schedule: hours });
    return rid;
  };
  const practitioners = [await resource('practitioner', 'Dr. Li'), await resource('practitioner', 'Dr. Wang'), await resource('practitioner', 'Dr. Zhang')];
  const room = await resource('room', 'Room 3');
  const coach = await resource('coach', 'Coach Zhou');
  const studio = await resource('studio', 'Studio');
  const price = { amountMinor: 5000, currency: 'CNY' };
  const consult = id();
  await a.mutate('service.create', { id: consult, siteId: w.siteId, name: 'Consultation', durationMinutes: 30, bufferAfterMinutes: 10, price, resourceKinds: ['practitioner'] });
  const treatment = id();
  await a.mutate('service.create', { id: treatment, siteId: w.siteId, name: 'Treatment', durationMinutes: 45, price, resourceKinds: ['practitioner', 'room'] });
  const yoga = id();
  await a.mutate('service.create', { id: yoga, siteId: w.siteId, name: 'Yoga', durationMinutes: 60, seats: 3, price, resourceKinds: ['coach', 'studio'] });
  const session = id();
  await a.mutate('classSession.create', { id: session, serviceId: yoga, start: CLASS_START, coachId: coach, roomId: studio });
  for (const [n, name] of ['Ann', 'Bob', 'Cui', 'Dai'].entries()) {
    await a.mutate('customer.create', { id: id(), name, phone: `+861370000000${n + 1}`, gender: 'unknown', notes: '', tags: [] });
  }
  for (const d of w.desks) {
    const st = await d.client.syncNow();
    if (st.lastError || st.pending !== 0) throw new Error(`set-up did not sync on desk ${d.name}: ${JSON.stringify(st)}`);
  }
  return { practitioners, room, services: [consult, treatment], yoga, session };
}

async function trackSetUp(ctx: Ctx): Promise<void> {
  const a = ctx.world.desks[0]!;
  const rows = await ctx.world.store.db
    .selectFrom('mutation_log')
    .select(['mutation_id', 'name', 'args', 'outcome', 'error'])
    .where('client_id', '=', a.replica.clientId)
    .orderBy('mutation_id')
    .execute();
  const refused = rows.find((r) => r.outcome !== 'applied');
  if (refused) throw new Error(`the set-up's ${refused.name} was rejected: ${refused.error}`);
  for (const r of rows) ctx.made.push({ desk: 0, clientId: a.replica.clientId, mutationId: r.mutation_id, name: r.name, args: JSON.parse(r.args) as Record<string, unknown> });
}

const ids = (d: Desk, q: string): string[] => (d.replica.sqlite.prepare(q).all() as { id: string }[]).map((r) => r.id);
const choose = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);

/** Runs a mutator on a desk and records it; a local refusal (the desk's own checks) writes nothing. */
async function mutate(ctx: Ctx, di: number, name: string, args: Record<string, unknown>): Promise<string> {
  const d = ctx.world.desks[di]!;
  try {
    await d.mutate(name, args);
  } catch (e) {
    if (!AppError.is(e)) throw e;
    ctx.stats.add(`refused on the desk: ${name} ${e.key}`);
    return `refused here (${e.key})`;
  }
  const { seq } = d.replica.sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number };
  // The arguments as the outbox holds them (parsed, defaults filled in): what the server logs.
  const entry = d.replica.sqlite.prepare('SELECT name, args FROM outbox WHERE mutation_id = ?').get(seq) as { name: string; args: string } | undefined;
  if (!entry || entry.name !== name) fail(ctx, `desk ${'ABC'[di]} made ${name}, but its outbox has ${entry?.name ?? 'nothing'} as #${seq}`);
  ctx.made.push({ desk: di, clientId: d.replica.clientId, mutationId: seq, name, args: JSON.parse(entry.args) as Record<string, unknown> });
  ctx.stats.add(`made: ${name}`);
  return `made #${seq}`;
}

async function step(ctx: Ctx, c: Command): Promise<string> {
  const w = ctx.world;
  const { clinic } = ctx;
  switch (c.t) {
    case 'book':
      return book(ctx, c);
    case 'race': {
      // A booking made while the desk's own sync is under way: between its push and its pull, or
      // waiting for the pull's transaction to end.
      const [st, made] = await Promise.all([w.desks[c.desk]!.client.syncNow(), book(ctx, c)]);
      return `${made}; sync ${syncOutcome(ctx, c.desk, st.lastError, st.pending)}`;
    }
    case 'seat': {
      const d = w.desks[c.desk]!;
      const customerId = choose(ids(d, 'SELECT id FROM customers ORDER BY id'), c.customer)!;
      return mutate(ctx, c.desk, 'booking.create', { id: d.ids.newId(), serviceId: clinic.yoga, customerId, sessionId: clinic.session, seats: c.seats, acknowledgeCustomerOverlap: true });
    }
    case 'cancel':
    case 'checkIn':
    case 'complete': {
      const from = c.t === 'cancel' ? ['pending', 'confirmed', 'arrived'] : c.t === 'checkIn' ? ['pending', 'confirmed'] : ['arrived', 'inService'];
      const id = choose(ids(w.desks[c.desk]!, `SELECT id FROM bookings WHERE status IN (${inList(from)}) ORDER BY id`), c.pick);
      if (!id) return 'no booking to pick';
      const to = c.t === 'cancel' ? 'cancelled' : c.t === 'checkIn' ? 'arrived' : 'completed';
      return mutate(ctx, c.desk, 'booking.transition', { id, to, ...(to === 'cancelled' ? { cancelledBy: 'staff', reason: 'Simulated' } : {}) });
    }
    case 'reschedule': {
      const id = choose(ids(w.desks[c.desk]!, "SELECT id FROM bookings WHERE status IN ('pending', 'confirmed') AND session_id IS NULL ORDER BY id"), c.pick);
      if (!id) return 'no booking to pick';
      return mutate(ctx, c.desk, 'booking.reschedule', { id, start: SLOTS[c.slot]!, acknowledgeCustomerOverlap: true, reason: 'Simulated' });
    }
    case 'customer': {
      const d = w.desks[c.desk]!;
      return mutate(ctx, c.desk, 'customer.create', { id: d.ids.newId(), name: `Walk-in ${c.phone}`, phone: PHONES[c.phone]!, gender: 'unknown', notes: '', tags: [] });
    }
    case 'waitlist': {
      const d = w.desks[c.desk]!;
      const customerId = choose(ids(d, 'SELECT id FROM customers ORDER BY id'), c.customer)!;
      return mutate(ctx, c.desk, 'waitlist.add', { id: d.ids.newId(), customerId, serviceId: clinic.services[c.service]!, dateFrom: DAY, dateTo: DAY });
    }
    case 'classSeats':
      return mutate(ctx, c.desk, 'classSession.update', { id: clinic.session, patch: { seats: c.seats } });
    case 'sync': {
      const st = await w.desks[c.desk]!.client.syncNow();
      const outcome = syncOutcome(ctx, c.desk, st.lastError, st.pending);
      if (st.lastError === null) await upToDate(ctx, c.desk);
      return outcome;
    }
    case 'syncAll': {
      // Every desk at once: their pushes and pulls interleave on the server (and, on PostgreSQL,
      // really run side by side on the pool).
      const all = await Promise.all(w.desks.map((d) => d.client.syncNow()));
      return all.map((st, i) => syncOutcome(ctx, i, st.lastError, st.pending)).join(', ');
    }
    case 'net':
      w.desks[c.desk]!.net.up = c.up;
      return c.up ? 'up' : 'down';
    case 'fault':
      ctx.plans[c.desk] = { fault: c.fault, on: c.on, skip: c.skip, count: c.count };
      return 'set';
    case 'keepStale':
      w.desks[c.desk]!.net.keepStale = c.keep;
      return c.keep ? 'keeping pushes' : 'not keeping';
    case 'replay':
      return replay(ctx, c.newestFirst, c.count);
    case 'crash': {
      await w.restart(w.desks[c.desk]!);
      ctx.stats.add('crash');
      return 'restarted';
    }
    case 'advance':
      w.clock.advance(c.minutes * MINUTE);
      return `now ${new Date(w.clock.now()).toISOString()}`;
  }
}

async function book(ctx: Ctx, c: { desk: number; customer: number; service: number; slot: number; who: number; ack: boolean }): Promise<string> {
  const { clinic } = ctx;
  const d = ctx.world.desks[c.desk]!;
  const customerId = choose(ids(d, 'SELECT id FROM customers ORDER BY id'), c.customer)!;
  const resourceIds = c.who < 0 ? undefined : c.service === 0 ? [clinic.practitioners[c.who]!] : [clinic.practitioners[c.who]!, clinic.room];
  return mutate(ctx, c.desk, 'booking.create', {
    id: d.ids.newId(),
    serviceId: clinic.services[c.service]!,
    customerId,
    start: SLOTS[c.slot]!,
    ...(resourceIds ? { resourceIds } : {}),
    acknowledgeCustomerOverlap: c.ack,
  });
}

/**
 * After a sync that succeeded, with nothing else going on, the desk is up to date: it shows the
 * server's rows exactly, its own changes included (syncNow: "until the desk is up to date").
 */
async function upToDate(ctx: Ctx, di: number): Promise<void> {
  const d = ctx.world.desks[di]!;
  const server = await digestServer(ctx.world);
  const mine = digestDesk(d.replica);
  const differ = Object.keys(server).filter((t) => JSON.stringify(server[t]) !== JSON.stringify(mine[t]));
  if (differ.length > 0) {
    fail(ctx, `desk ${d.name} synced without an error but is not up to date (${differ.join(', ')}); position ${JSON.stringify(d.sync.position())}, pending ${d.sync.pendingCount()}, server at ${await ctx.world.store.orgVersion(ctx.world.organizationId)}`);
  }
}

/** A sync that failed for anything but the network we broke is a bug: the server threw. */
function syncOutcome(ctx: Ctx, di: number, error: AppErrorShape | null, pending: number): string {
  if (error === null) {
    ctx.stats.add('sync ok');
    return `ok, ${pending} pending`;
  }
  ctx.stats.add(`sync failed: ${error.code} ${error.key}`);
  // The harness's network fails with no detail; toAppError gives any thrown non-AppError one.
  const ours = error.code === 'UNAVAILABLE' && error.params?.detail === undefined;
  if (!ours) fail(ctx, `desk ${'ABC'[di]}'s sync failed with ${JSON.stringify(error)}, not because of the network`);
  return `failed (${error.key}), ${pending} pending`;
}

/** Delivers pushes the network kept, late and out of order; their answers go nowhere. */
async function replay(ctx: Ctx, newestFirst: boolean, count: number): Promise<string> {
  const kept: { device: DeviceIdentity; req: PushRequest }[] = [];
  for (const d of ctx.world.desks) kept.push(...d.net.stale.splice(0));
  const order = newestFirst ? [...kept].reverse() : kept;
  const now = order.slice(0, count);
  // The rest stay for a later replay, in the order they were sent.
  const rest = order.slice(count);
  for (const d of ctx.world.desks) d.net.stale.push(...rest.filter((k) => k.device.deviceId === d.device.deviceId));
  const out: string[] = [];
  for (const k of now) {
    try {
      const res = await handlePush(ctx.world.deps, k.device, k.req);
      out.push(`[${k.req.mutations.map((m) => m.id).join(',')}]→${res.results.map((r) => r.outcome[0]).join('')}`);
      ctx.stats.add('replayed push');
    } catch (e) {
      if (!AppError.is(e)) throw e;
      out.push(`refused ${e.key}`);
    }
  }
  return out.length ? out.join(' ') : 'nothing kept';
}

// ---- healing and the final checks ------------------------------------------------------------------

async function heal(ctx: Ctx): Promise<void> {
  const w = ctx.world;
  for (const [i, d] of w.desks.entries()) {
    d.net.up = true;
    d.net.keepStale = false;
    d.net.stale.splice(0);
    ctx.plans[i] = null;
  }
  let quiet = 0;
  let last = '';
  for (let round = 0; quiet < 2; round++) {
    if (round >= 10) fail(ctx, 'the desks did not settle after ten rounds of syncing');
    for (const [i, d] of w.desks.entries()) {
      const st = await d.client.syncNow();
      if (st.lastError || st.state !== 'idle') fail(ctx, `after healing, desk ${'ABC'[i]} did not sync: ${JSON.stringify(st)}`);
      await upToDate(ctx, i);
    }
    const now = JSON.stringify([await w.store.orgVersion(w.organizationId), ...w.desks.map((d) => [d.sync.position(), d.sync.pendingCount()])]);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

type Row = Record<string, unknown>;

/** The invariants of bookings and sessions, as SQL that runs on SQLite and Postgres alike. */
const OVERLAPS = `
  WITH blocks AS (
    SELECT resource_id, booking_id AS owner, blocked_start, blocked_end FROM booking_resources WHERE active = 1
    UNION ALL
    SELECT resource_id, session_id AS owner, blocked_start, blocked_end FROM session_resources WHERE active = 1
  )
  SELECT a.resource_id, a.owner AS a, b.owner AS b FROM blocks a JOIN blocks b
    ON a.resource_id = b.resource_id AND a.owner < b.owner AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end`;
const OVERSOLD = `
  SELECT s.id, coalesce(s.seats, v.seats) AS capacity,
    (SELECT coalesce(sum(b.seats), 0) FROM bookings b WHERE b.session_id = s.id AND b.status IN (${inList(ACTIVE)})) AS taken
  FROM class_sessions s JOIN services v ON v.id = s.service_id
  WHERE (SELECT coalesce(sum(b.seats), 0) FROM bookings b WHERE b.session_id = s.id AND b.status IN (${inList(ACTIVE)})) > coalesce(s.seats, v.seats)`;
const BLOCKS_OFF_STATUS = `
  SELECT b.id, b.status, r.resource_id, r.active FROM bookings b JOIN booking_resources r ON r.booking_id = b.id
  WHERE (r.active = 1) <> (b.status IN (${inList(ACTIVE)}))`;

function problems(overlaps: Row[], oversold: Row[], off: Row[]): string[] {
  return [
    ...overlaps.map((r) => `overlapping active blocks on resource ${String(r.resource_id)}: ${String(r.a)} and ${String(r.b)}`),
    ...oversold.map((r) => `session ${String(r.id)} has ${String(r.taken)} seats taken of ${String(r.capacity)}`),
    ...off.map((r) => `booking ${String(r.id)} is ${String(r.status)} but its block on ${String(r.resource_id)} has active = ${String(r.active)}`),
  ];
}

/**
 * Read your own writes: a booking this desk made that the server applied and the desk has heard
 * back about (it left the outbox) is on the desk. Bookings are never deleted.
 */
async function ownWritesShown(ctx: Ctx, di: number): Promise<string[]> {
  const d = ctx.world.desks[di]!;
  const from = d.sync.pendingFrom() ?? Number.MAX_SAFE_INTEGER;
  const rows = await ctx.world.store.db
    .selectFrom('mutation_log')
    .select(['mutation_id', 'args'])
    .where('client_id', '=', d.replica.clientId)
    .where('name', '=', 'booking.create')
    .where('outcome', '=', 'applied')
    .where('mutation_id', '<', from)
    .execute();
  const has = d.replica.sqlite.prepare('SELECT 1 FROM bookings WHERE id = ?');
  return rows
    .map((r) => String((JSON.parse(r.args) as { id: string }).id))
    .filter((id) => has.get(id) === undefined)
    .map((id) => `its own booking ${id} is applied and acknowledged but not shown`);
}

export function deskInvariants(d: Desk): string[] {
  const q = (s: string) => d.replica.sqlite.prepare(s).all() as Row[];
  return problems(q(OVERLAPS), q(OVERSOLD), q(BLOCKS_OFF_STATUS));
}

async function serverInvariants(w: World): Promise<string[]> {
  const q = async (s: string) => (await sql<Row>`${sql.raw(s)}`.execute(w.store.db)).rows;
  return problems(await q(OVERLAPS), await q(OVERSOLD), await q(BLOCKS_OFF_STATUS));
}

async function checkFinal(ctx: Ctx): Promise<void> {
  const w = ctx.world;
  const errors: string[] = [];

  // 1. Every replica equals the server.
  const server = await digestServer(w);
  for (const d of w.desks) {
    const mine = digestDesk(d.replica);
    const differ = Object.keys(server).filter((t) => JSON.stringify(server[t]) !== JSON.stringify(mine[t]));
    if (differ.length > 0) errors.push(`desk ${d.name} differs from the server in ${differ.map((t) => `${t} (${mine[t]?.rows} rows here, ${server[t]?.rows} there)`).join(', ')}`);
  }

  // 2. No double booking, no oversold class, blocks that match the status: server and desks.
  errors.push(...(await serverInvariants(w)).map((p) => `server: ${p}`));
  for (const d of w.desks) errors.push(...deskInvariants(d).map((p) => `desk ${d.name}: ${p}`));

  // 3. Exactly once, or rejected with the reason in the desk's inbox.
  const clientIds = w.desks.map((d) => d.replica.clientId);
  const logRows = await w.store.db
    .selectFrom('mutation_log')
    .select(['client_id', 'mutation_id', 'name', 'args', 'outcome', 'error'])
    .where('client_id', 'in', clientIds)
    .execute();
  const logged = new Map<string, (typeof logRows)[number][]>();
  for (const r of logRows) {
    const k = `${r.client_id}#${r.mutation_id}`;
    logged.set(k, [...(logged.get(k) ?? []), r]);
  }
  const conflicts = w.desks.map(
    (d) => new Map((d.replica.sqlite.prepare('SELECT mutation_id, name, args, error FROM sync_conflicts').all() as Row[]).map((r) => [Number(r.mutation_id), r])),
  );
  const made = new Set<string>();
  const applied: Made[] = [];
  for (const m of ctx.made) {
    const k = `${m.clientId}#${m.mutationId}`;
    made.add(k);
    const rows = logged.get(k) ?? [];
    const where = `desk ${'ABC'[m.desk]} #${m.mutationId} ${m.name}`;
    if (rows.length !== 1) {
      errors.push(`${where} is in the server's log ${rows.length} times`);
      continue;
    }
    const r = rows[0]!;
    if (r.name !== m.name || JSON.stringify(JSON.parse(r.args)) !== JSON.stringify(m.args)) errors.push(`${where}: the log has ${r.name} ${r.args}`);
    const inbox = conflicts[m.desk]!.get(m.mutationId);
    if (r.outcome === 'applied') {
      applied.push(m);
      if (inbox) errors.push(`${where} applied, yet it is in the desk's conflict inbox`);
    } else {
      ctx.stats.add(`rejected: ${m.name}${m.name === 'booking.transition' ? ` to ${String(m.args.to)}` : ''} ${(JSON.parse(r.error ?? '{}') as AppErrorShape).key}`);
      if (!inbox) errors.push(`${where} was rejected (${r.error}) but is not in the desk's conflict inbox`);
      else if (JSON.stringify(JSON.parse(String(inbox.error))) !== JSON.stringify(JSON.parse(r.error ?? 'null'))) errors.push(`${where}: the inbox says ${String(inbox.error)}, the server ${r.error}`);
    }
  }
  for (const k of logged.keys()) if (!made.has(k)) errors.push(`the server's log has ${k}, which no desk made`);
  for (const [di, inbox] of conflicts.entries()) {
    for (const id of inbox.keys()) {
      const r = logged.get(`${clientIds[di]}#${id}`)?.[0];
      if (r?.outcome !== 'rejected') errors.push(`desk ${'ABC'[di]}'s conflict inbox has #${id}, which the server did not reject`);
    }
  }
  // What the applied mutations made is on the server, and nothing else.
  const expectIds = async (table: 'bookings' | 'customers', names: string[]) => {
    const want = applied.filter((m) => names.includes(m.name)).map((m) => String(m.args.id));
    const have = (await w.store.db.selectFrom(table).select('id').where('organization_id', '=', w.organizationId).execute()).map((r) => r.id);
    const missing = want.filter((id) => !have.includes(id));
    const extra = have.filter((id) => !want.includes(id));
    if (missing.length || extra.length) errors.push(`server ${table}: missing ${missing.join(',') || '-'}, not made by an applied mutation ${extra.join(',') || '-'}`);
  };
  await expectIds('bookings', ['booking.create']);
  await expectIds('customers', ['customer.create']);

  // 4. Check-ins the server applied are never lost.
  for (const m of applied.filter((x) => x.name === 'booking.transition' && x.args.to === 'arrived')) {
    const id = String(m.args.id);
    const b = await w.store.db.selectFrom('bookings').select('status').where('id', '=', id).executeTakeFirst();
    const events = await w.store.db.selectFrom('booking_events').select('id').where('booking_id', '=', id).where('to_status', '=', 'arrived').execute();
    ctx.stats.add('check-in kept');
    if (!b || !['arrived', 'inService', 'completed', 'cancelled'].includes(b.status) || events.length !== 1) {
      errors.push(`the check-in of booking ${id} (desk ${'ABC'[m.desk]} #${m.mutationId}) is lost: status ${b?.status}, ${events.length} arrival events`);
    }
  }

  // 5. Nothing left behind on a desk.
  for (const d of w.desks) {
    const left = d.sync.pendingCount();
    const undo = (d.replica.sqlite.prepare('SELECT count(*) AS n FROM undo_log').get() as { n: number }).n;
    const capture = (d.replica.sqlite.prepare('SELECT enabled FROM sync_capture').get() as { enabled: number }).enabled;
    if (left || undo || capture !== 1) errors.push(`desk ${d.name}: ${left} outbox entries, ${undo} undo records left, capture ${capture}`);
  }

  if (errors.length > 0) fail(ctx, `after healing:\n  ${errors.join('\n  ')}`);
}
