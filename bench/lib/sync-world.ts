/**
 * The server side of the sync benchmarks: a store on PostgreSQL on loopback (BENCH_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test) in a fresh schema dropped at the end, or
 * embedded PGlite when no PostgreSQL answers (the figures then say so); an organization made by
 * the server's own administration (`createOrganization`); a clinic set up through core's mutators
 * on the store (`writeTx`, as a pushed mutation runs); desks enrolled with one-time codes; and
 * probes that time what the server does without changing it:
 *
 * - `probedStore` wraps the store given to `startServer`: the end of each write transaction (its
 *   COMMIT has returned), each read transaction, and each notification heard on the LISTEN
 *   connection (before the server pokes its subscriptions);
 * - `meterPg` counts the statements sent through `pg` and the time until each one's result is
 *   back and parsed (a round trip to PostgreSQL and the row parsing);
 * - `backendCpuMs` reads a PostgreSQL backend's CPU time from /proc, `postgresCpuMs` that of all
 *   PostgreSQL processes (same machine only; /proc counts 10 ms ticks, so quote means).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import type { Clock } from '../../core/clock';
import { createIdSource, type IdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import { latestMutatorVersion } from '../../core/mutators';
import { applyMutation, prepareMutation } from '../../core/run-mutation';
import { createEnrollmentCode } from '../../server/admin/devices';
import { createOrganization } from '../../server/admin/organizations';
import { enrollDevice } from '../../server/auth/devices';
import { domainTx, openStore, type Store } from '../../server/store/store';
import type { DeviceIdentity } from '../../sync/server/store';
import type { Log } from './types';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const TZ = 'Asia/Shanghai';
export const OWNER_PASSWORD = 'bench horse battery staple';
export const MINUTE_MS = 60_000;
/** Every weekday, all day: no opening-hours rule gets in the way of where the benchmarks book. */
export const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 0, end: 24 * 60 }));

export const systemClock: Clock = { now: () => Date.now() };

export function benchIds(clock: Clock = systemClock): IdSource {
  return createIdSource(clock, (n) => randomBytes(n));
}

export function databaseUrl(): string {
  return process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
}

/** Whether a PostgreSQL server answers at the URL (3 s at most); the reason when not. */
export async function probePostgres(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (e) {
    return String((e as Error).message ?? e);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface BenchStore {
  store: Store;
  backend: 'postgres' | 'pglite';
  /** For the figures' notes: which store, and why PGlite if it is. */
  note: string;
  /** A fresh schema name in the same database, for a second store (e.g. another server instance). */
  schema: string | null;
}

/**
 * A store in a new schema `bench_<tag>_<random>` of the benchmark database, dropped on close; on
 * PGlite (in memory) when PostgreSQL does not answer.
 */
export async function openBenchStore(log: Log, tag: string, opts: { maxConnections?: number; schema?: string; keepSchema?: boolean } = {}): Promise<BenchStore> {
  const url = databaseUrl();
  const problem = await probePostgres(url);
  if (problem === null) {
    const schema = opts.schema ?? `bench_${tag}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const store = await openStore({ databaseUrl: url, schema, dropSchemaOnClose: !opts.keepSchema, maxConnections: opts.maxConnections ?? 10 });
    const version = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(store.db)).rows[0]?.v ?? '?';
    const where = url.replace(/\/\/[^@/]*@/, '//');
    log(`store: PostgreSQL ${version} at ${where}, schema ${schema}`);
    return { store, backend: 'postgres', note: `PostgreSQL ${version} on loopback`, schema };
  }
  log(`store: PostgreSQL at ${url} does not answer (${problem}); using PGlite in memory instead`);
  const store = await openStore({});
  return { store, backend: 'pglite', note: `PGlite in memory (PostgreSQL at ${url} did not answer)`, schema: null };
}

/** The timestamps `probedStore` reports (performance.now() in ms, and hrtime for other processes). */
export interface StoreProbe {
  /** A write transaction ended: its COMMIT returned (`version` null when it wrote nothing versioned). */
  onCommit?(at: number, hr: bigint, ms: number, version: number | null): void;
  onRead?(ms: number): void;
  /** A notification arrived on the LISTEN connection, before the server handles it. */
  onNotified?(at: number, payload: string): void;
}

/** The store with probes around its transactions and notifications; everything else passes through. */
export function probedStore(store: Store, probe: StoreProbe): Store {
  return {
    db: store.db,
    kind: store.kind,
    schema: store.schema,
    async writeTx(organizationId, fn) {
      const t0 = performance.now();
      const r = await store.writeTx(organizationId, fn);
      const t1 = performance.now();
      probe.onCommit?.(t1, process.hrtime.bigint(), t1 - t0, r.version);
      return r;
    },
    async readTx(fn) {
      const t0 = performance.now();
      try {
        return await store.readTx(fn);
      } finally {
        probe.onRead?.(performance.now() - t0);
      }
    },
    orgVersion: (organizationId) => store.orgVersion(organizationId),
    listen: (channel, onNotify, onGap) =>
      store.listen(
        channel,
        (payload) => {
          probe.onNotified?.(performance.now(), payload);
          onNotify(payload);
        },
        onGap,
      ),
    notify: (channel, payload, tx) => store.notify(channel, payload, tx),
    close: () => store.close(),
  };
}

export interface PgMeter {
  /** Statements sent, and ms from sending each until its result was parsed (summed). */
  read(): { queries: number; ms: number };
  restore(): void;
}

/** Counts and times every statement `pg` sends from this process (all pools and clients). */
export function meterPg(): PgMeter {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let queries = 0;
  let ms = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    queries++;
    const t0 = performance.now();
    const r = original.apply(this, args);
    if (r && typeof (r as Promise<unknown>).then === 'function') {
      const done = () => {
        ms += performance.now() - t0;
      };
      (r as Promise<unknown>).then(done, done);
    }
    return r;
  };
  return {
    read: () => ({ queries, ms }),
    restore: () => {
      proto.query = original;
    },
  };
}

/** CPU time (user + system) a process has used, in ms, from /proc; null when it cannot be read. */
export function backendCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) used so far by every PostgreSQL process of this machine (all backends, the WAL
 * writer, …), from /proc; null when none is visible (PGlite, or a server elsewhere). Other
 * clients of the same server count too: a figure taken with it says so.
 */
export function postgresCpuMs(): number | null {
  let total = 0;
  let seen = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const ms = backendCpuMs(Number(pid));
    if (ms === null) continue;
    total += ms;
    seen++;
  }
  return seen > 0 ? total : null;
}

export interface Clinic {
  organizationId: string;
  siteId: string;
  owner: Actor;
  serviceId: string;
  practitioners: string[];
  customers: string[];
  /** Admin calls (enrolment codes) need these. */
  admin: { store: Store; clock: Clock; ids: IdSource };
}

/** Runs mutators on the store in ONE write transaction of the organization, as the server runs a push. */
export async function runOnStore(store: Store, actor: Actor, ids: IdSource, clock: Clock, list: readonly { name: string; args: unknown }[]): Promise<number | null> {
  const { version } = await store.writeTx(actor.organizationId, async (tx) => {
    for (const m of list) {
      const prepared = prepareMutation(m.name, latestMutatorVersion(m.name), m.args, { actor });
      await applyMutation(domainTx(tx), prepared, { actor, clock, ids, location: 'server' });
    }
  });
  return version;
}

/**
 * An organization with one clinic (Asia/Shanghai, open all week round the clock on a 15-minute
 * grid), `practitioners` practitioners working round the clock, one 15-minute service without
 * buffers bookable a year ahead, and `customers` customers, all through the mutators.
 */
export async function setUpClinic(store: Store, opts: { practitioners: number; customers: number; name?: string }): Promise<Clinic> {
  const clock = systemClock;
  const ids = benchIds(clock);
  const admin = { store, clock, ids };
  const org = await createOrganization(admin, {
    name: opts.name ?? 'Bench Clinic',
    defaultCountry: 'CN',
    sites: [{ name: 'Clinic', kind: 'clinic', timeZone: TZ }],
    owner: { name: 'Owner', login: 'owner', password: OWNER_PASSWORD },
  });
  const siteId = org.siteIds[0]!;
  const owner: Actor = { staffId: org.ownerStaffId, role: 'owner', organizationId: org.organizationId, siteId: null };
  const serviceId = ids.newId();
  const practitioners = Array.from({ length: opts.practitioners }, () => ids.newId());
  const customers = Array.from({ length: opts.customers }, () => ids.newId());
  await runOnStore(store, owner, ids, clock, [
    { name: 'site.updateSettings', args: { siteId, patch: { openingHours: ALL_WEEK, granularityMinutes: 15 } } },
    ...practitioners.map((id, i) => ({
      name: 'resource.create',
      args: { id, siteId, kind: 'practitioner', name: `Dr ${i + 1}`, schedule: { schedules: [{ ranges: ALL_WEEK }] } },
    })),
    {
      name: 'service.create',
      args: { id: serviceId, siteId, name: 'Consultation', durationMinutes: 15, price: { amountMinor: 5000, currency: 'CNY' }, resourceKinds: ['practitioner'], maxAdvanceDays: 365 },
    },
  ]);
  for (let i = 0; i < customers.length; i += 1000) {
    await runOnStore(
      store,
      owner,
      ids,
      clock,
      customers.slice(i, i + 1000).map((id, k) => ({
        name: 'customer.create',
        args: { id, name: `Customer ${i + k + 1}`, phone: benchPhone(i + k), gender: 'unknown', notes: '', tags: [] },
      })),
    );
  }
  return { organizationId: org.organizationId, siteId, owner, serviceId, practitioners, customers, admin };
}

/** The i-th benchmark phone number: a valid Chinese mobile, unique per i below 10^8. */
export function benchPhone(i: number): string {
  return `+86138${String(i).padStart(8, '0')}`;
}

/** A one-time enrolment code for a new desk, as an administrator makes it. */
export async function enrolmentCode(clinic: Clinic, name: string): Promise<string> {
  return (await createEnrollmentCode(clinic.admin, { organizationId: clinic.organizationId, name, createdBy: 'bench' })).code;
}

/** A desk enrolled in process (no HTTP): its device identity and bearer token. */
export async function enrolDevice(clinic: Clinic, name: string): Promise<{ device: DeviceIdentity; token: string }> {
  const e = await enrollDevice(clinic.admin.store, clinic.admin, { code: await enrolmentCode(clinic, name) });
  return { device: { deviceId: e.deviceId, organizationId: e.organizationId, siteIds: e.siteIds }, token: e.token };
}

/**
 * Where the k-th booking of a benchmark goes so that none overlaps another: practitioner k mod P,
 * the (k div P)-th quarter hour from `from`; and a customer that has no other booking then (k mod
 * C, with C ≥ P customers).
 */
export function slotOf(clinic: Pick<Clinic, 'practitioners' | 'customers'>, from: number, k: number): { resourceId: string; customerId: string; start: number } {
  const p = clinic.practitioners.length;
  return {
    resourceId: clinic.practitioners[k % p]!,
    customerId: clinic.customers[k % clinic.customers.length]!,
    start: from + Math.floor(k / p) * 15 * MINUTE_MS,
  };
}

/** The next whole hour at least `aheadMs` from now: on the site's 15-minute grid (UTC+8). */
export function gridStart(aheadMs: number): number {
  const hour = 60 * MINUTE_MS;
  return Math.ceil((Date.now() + aheadMs) / hour) * hour;
}

export function loadavg1(): number {
  return os.loadavg()[0]!;
}
