/**
 * Helpers for tests on the store: the backends to run on (PGlite always, PostgreSQL too when
 * TEST_DATABASE_URL is set) and fresh stores, each in its own schema, dropped when the test ends.
 * One PGlite is shared by a test file (it takes a second or two to start); on PostgreSQL each store
 * has its own pool on the shared server.
 */
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { ManualClock } from '../../core/clock';
import type { IdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import type { BookingResult } from '../../core/scheduling/booking.mutators';
import { at, EVERY_DAY, weekly, WEEKDAYS } from '../../core/scheduling/scheduling.fixtures';
import { AppError } from '../../core/errors';
import { findMutator, latestMutatorVersion } from '../../core/mutators';
import { can } from '../../core/permissions';
import { parseOrThrow } from '../../core/validation';
import { domainTx, openPglite, openStore, type Store, type StoreOptions } from './store';

export type StoreBackend = 'pglite' | 'postgres';

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export function testBackends(): StoreBackend[] {
  return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export function testSchemaName(): string {
  return `t_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/** Stores for one test file: `open` in a test, `closeAll` after each, `dispose` after all. */
export class TestStores {
  private pglite: Promise<PGlite> | null = null;
  private readonly open_ = new Set<Store>();

  /** A new store in a new schema (or in `schema`, to open a second store on the same one). */
  async open(backend: StoreBackend, opts: Omit<StoreOptions, 'databaseUrl' | 'pglite'> = {}): Promise<Store> {
    const base: StoreOptions = { schema: testSchemaName(), dropSchemaOnClose: true, ...opts };
    const store =
      backend === 'postgres'
        ? await openStore({ ...base, databaseUrl: testDatabaseUrl(), maxConnections: opts.maxConnections ?? 4 })
        : await openStore({ ...base, pglite: await (this.pglite ??= openPglite()) });
    this.open_.add(store);
    return store;
  }

  /** Closes a store now (dropping its schema if it was opened so). */
  async close(store: Store): Promise<void> {
    this.open_.delete(store);
    await store.close();
  }

  async closeAll(): Promise<void> {
    const stores = [...this.open_];
    this.open_.clear();
    await Promise.all(stores.map((s) => s.close()));
  }

  async dispose(): Promise<void> {
    await this.closeAll();
    const p = this.pglite;
    this.pglite = null;
    if (p) await (await p).close();
  }
}

/** Runs one mutator (latest version) as `actor`; the same signature on a store and on a replica. */
export type RunMutator = <R = unknown>(name: string, args: unknown, actor: Actor) => Promise<R>;

/** Runs core's mutators on a store through writeTx, as the server will; also returns the version. */
export function storeMutator(store: Store, clock: ManualClock, ids: IdSource) {
  return async <R = unknown>(name: string, rawArgs: unknown, actor: Actor): Promise<{ result: R; version: number | null }> => {
    const m = findMutator(name, latestMutatorVersion(name));
    if (!can(actor.role, m.permission)) throw new AppError('FORBIDDEN', 'errors.forbidden', { action: name });
    const args = parseOrThrow(m.args, rawArgs);
    const r = await store.writeTx(actor.organizationId, (tx) => m.apply(domainTx(tx), args, { actor, clock, ids, location: 'server' }));
    return { result: r.result as R, version: r.version };
  };
}

const SH = 'Asia/Shanghai';
const MON = '2026-11-23';

/**
 * A clinic with a gym room, set up and used by mutators only: settings, resources, services,
 * customers, bookings (one rescheduled, one cancelled), a class session with a booking, a hold
 * placed and released, a waitlist entry. Every id comes from `ids` and every time from `clock`,
 * so two runs with equally seeded sources write identical rows.
 */
export async function clinicScenario(run: RunMutator, ids: IdSource, clock: ManualClock) {
  const t = (hhmm: string) => at(MON, hhmm, SH);
  const organizationId = ids.newId();
  const owner: Actor = { staffId: ids.newId(), role: 'owner', organizationId, siteId: null };
  const desk: Actor = { ...owner, role: 'front_desk', staffId: ids.newId() };
  const siteId = ids.newId();
  const results: unknown[] = [];
  const m = async <R = unknown>(name: string, args: unknown, actor: Actor = owner): Promise<R> => {
    const r = await run<R>(name, args, actor);
    results.push(r);
    return r;
  };
  await m('organization.setup', {
    id: organizationId,
    name: 'Test Clinic',
    defaultCountry: 'CN',
    sites: [{ id: siteId, name: 'Main', kind: 'clinic', timeZone: SH }],
  });
  await m('site.updateSettings', { siteId, patch: { openingHours: weekly([1, 2, 3, 4, 5, 6], '09:00-18:00'), granularityMinutes: 15 } });
  const resource = async (kind: string, name: string, hours = weekly(WEEKDAYS, '09:00-17:00')) => {
    const id = ids.newId();
    await m('resource.create', { id, siteId, kind, name, schedule: { schedules: [{ ranges: hours }] } });
    return id;
  };
  // Byte order ('Dr Wang' < 'dr Li') and a locale's order ('dr Li' < 'Dr Wang') differ here.
  const wang = await resource('practitioner', 'Dr Wang');
  const li = await resource('practitioner', 'dr Li');
  const room = await resource('room', 'Room 1', weekly(EVERY_DAY, '00:00-24:00'));
  const coach = await resource('coach', 'Coach Zhou');
  const studio = await resource('studio', 'Studio', weekly(EVERY_DAY, '00:00-24:00'));
  const consult = ids.newId();
  await m('service.create', {
    id: consult,
    siteId,
    name: 'Consultation',
    durationMinutes: 30,
    bufferAfterMinutes: 10,
    price: { amountMinor: 5000, currency: 'CNY' },
    resourceKinds: ['practitioner', 'room'],
  });
  const yoga = ids.newId();
  await m('service.create', {
    id: yoga,
    siteId,
    name: 'Yoga',
    durationMinutes: 60,
    seats: 3,
    price: { amountMinor: 8000, currency: 'CNY' },
    resourceKinds: ['coach', 'studio'],
  });
  const ann = ids.newId();
  await m('customer.create', { id: ann, name: 'Ann', phone: '13700000001' });
  const bob = ids.newId();
  await m('customer.create', { id: bob, name: 'Bob', phone: '13700000002' });
  clock.set(t('08:00'));

  // No practitioner named: the first free one by name is picked, the same on every store.
  const first = await m<BookingResult>('booking.create', { id: ids.newId(), serviceId: consult, customerId: ann, start: t('10:00') }, desk);
  await m('booking.reschedule', { id: first.id, start: t('11:00'), reason: 'Customer asked' }, desk);
  const second = await m<BookingResult>('booking.create', { id: ids.newId(), serviceId: consult, customerId: bob, start: t('10:00'), resourceIds: [li, room] }, desk);
  await m('booking.transition', { id: second.id, to: 'cancelled', cancelledBy: 'customer', reason: 'Busy' }, desk);
  const session = ids.newId();
  await m('classSession.create', { id: session, serviceId: yoga, start: t('15:00'), coachId: coach, roomId: studio });
  const seat = await m<BookingResult>('booking.create', { id: ids.newId(), serviceId: yoga, customerId: bob, sessionId: session }, desk);
  const hold = ids.newId();
  await m('hold.create', { id: hold, siteId, target: { resourceIds: [wang], start: t('14:00'), end: t('14:30') } }, desk);
  await m('hold.release', { id: hold }, desk);
  const entry = ids.newId();
  await m('waitlist.add', { id: entry, customerId: ann, serviceId: consult }, desk);
  return { organizationId, owner, desk, siteId, wang, li, room, coach, studio, consult, yoga, ann, bob, first, second, session, seat, hold, entry, results };
}
