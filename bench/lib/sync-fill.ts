/**
 * A server store holding a big organization, for sync-first-sync: CUSTOMERS customers and
 * BOOKINGS bookings (one practitioner each, none overlapping another on its practitioner), with
 * the clinic they need (50 practitioners round the clock, one 15-minute service), made as follows:
 *
 * - the organization through `createOrganization`, the clinic through core's mutators
 *   (lib/sync-world.ts setUpClinic);
 * - the customers from the demo generator (`demoCustomers`: 75% Chinese names, CN/UK/HK phones),
 *   validated with the mutator's own schema (`CreateCustomerArgs`), inserted as multi-row INSERTs
 *   with the columns `customer.create` writes;
 * - the bookings by `INSERT … SELECT … FROM generate_series`: booking i on practitioner i mod 50 at
 *   the (i div 50)-th quarter hour from 120 days ago (so about 187 days in all, the last two
 *   months in the future), customer (i × 7919) mod CUSTOMERS, 'completed' in the past and
 *   'confirmed' ahead; each with its booking_resources row (active, as both statuses block).
 *   No booking_events: the figure is about the 1,000,000 top-level rows the issue names.
 * - ROWS_PER_VERSION rows per write transaction (`Store.writeTx`, which takes the organization's
 *   lock and records the version): 1,000 rows share a version, like the largest push a desk can
 *   send. The customers go through the store's triggers. For the bookings and their blocks the
 *   triggers are switched off for the transaction (`session_replication_role = replica`, which
 *   PostgreSQL allows a superuser) and `row_version` is set to the transaction's version
 *   (`tx_version()`), which is what the version trigger would write: that halves the fill. The
 *   foreign keys those triggers would have checked are checked afterwards by anti-joins, and the
 *   exclusion constraint (not a trigger) is enforced throughout. Then VACUUM ANALYZE, as
 *   autovacuum would have done on a live server.
 *
 * The filled schema is kept between runs (PostgreSQL: schema bench_first_sync_<key>; PGlite: a data
 * folder in $TMPDIR/foyer-bench-cache), keyed by a hash of the store's migrations, sync/tables.ts
 * and this file, and marked complete by a row in its own table `bench_fill`. Schemas of older
 * keys are dropped. FOYER_BENCH_FRESH=1 (`npm run bench -- --fresh`) fills again. Filling takes
 * a few minutes, mostly the exclusion constraint's GiST index (about 0.15 ms per block).
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { CreateCustomerArgs } from '../../core/customers/customer.schema';
import { demoCustomers } from '../../electron/host/seed/demo';
import { domainTx, openStore, type Store } from '../../server/store/store';
import { sourceKey } from './source-key';
import { benchIds, databaseUrl, MINUTE_MS, probePostgres, setUpClinic, systemClock, type Clinic } from './sync-world';
import type { Log } from './types';

export const CUSTOMERS = 100_000;
export const BOOKINGS = 900_000;
export const PRACTITIONERS = 50;
export const ROWS_PER_VERSION = 1000;
/** Bump when the generated data changes in a way the hash cannot see. */
const FILL_VERSION = 1;

const CACHE_DIR = path.join(os.tmpdir(), 'foyer-bench-cache');
const SOURCES = ['server/store/migrations', 'sync/tables.ts', 'bench/lib/sync-fill.ts', 'electron/host/seed/demo.ts', 'core/customers/customer.schema.ts'];

export interface FilledStore {
  store: Store;
  backend: 'postgres' | 'pglite';
  note: string;
  organizationId: string;
  siteId: string;
  /** The clinic's admin handle (for enrolment codes): the store, clock and ids. */
  clinic: Pick<Clinic, 'organizationId' | 'admin'>;
  counts: { customers: number; bookings: number; bookingResources: number };
  close(): Promise<void>;
}

function fillKey(): string {
  return sourceKey(`v${FILL_VERSION} ${CUSTOMERS} ${BOOKINGS} ${PRACTITIONERS} ${ROWS_PER_VERSION}`, SOURCES, 12);
}

/** The k-th generated id of a kind: a valid UUID (version 7, variant 8) that sorts by k. */
const idSql = (k: string, kind: number) => `lpad(to_hex(${k}), 8, '0') || '-0000-7000-8000-${String(kind).padStart(12, '0')}'`;
const customerId = (k: number) => `${k.toString(16).padStart(8, '0')}-0000-7000-8000-000000000001`;

interface Marker {
  organization_id: string;
  site_id: string;
}

async function readMarker(store: Store, key: string): Promise<Marker | null> {
  try {
    const r = await sql<Marker>`SELECT organization_id, site_id FROM bench_fill WHERE key = ${key}`.execute(store.db);
    return r.rows[0] ?? null;
  } catch {
    return null;
  }
}

/** The filled store (from the cache, or filled now). */
export async function filledStore(log: Log): Promise<FilledStore> {
  const key = fillKey();
  const fresh = process.env.FOYER_BENCH_FRESH === '1';
  const url = databaseUrl();
  const problem = await probePostgres(url);
  let store: Store;
  let backend: 'postgres' | 'pglite';
  let note: string;
  if (problem === null) {
    backend = 'postgres';
    const schema = `bench_first_sync_${key}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const old = await admin.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_first\\_sync\\_%'`);
      for (const { nspname } of old.rows) if (nspname !== schema || fresh) await admin.query(`DROP SCHEMA ${nspname} CASCADE`);
    } finally {
      await admin.end();
    }
    store = await openStore({ databaseUrl: url, schema, maxConnections: 10 });
    const version = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(store.db)).rows[0]?.v ?? '?';
    note = `PostgreSQL ${version} on loopback`;
    log(`store: PostgreSQL ${version}, schema ${schema} (kept between runs)`);
  } else {
    backend = 'pglite';
    const dir = path.join(CACHE_DIR, `first-sync-pglite-${key}`);
    mkdirSync(CACHE_DIR, { recursive: true });
    for (const e of readdirSync(CACHE_DIR)) if (e.startsWith('first-sync-pglite-') && (e !== path.basename(dir) || fresh)) rmSync(path.join(CACHE_DIR, e), { recursive: true, force: true });
    store = await openStore({ dataDir: dir });
    note = `PGlite in ${dir} (PostgreSQL at ${url} did not answer)`;
    log(`store: PostgreSQL at ${url} does not answer (${problem}); using PGlite in ${dir}${existsSync(dir) ? '' : ' (new)'}`);
  }
  try {
    let marker = await readMarker(store, key);
    if (marker) log(`reusing the filled store (key ${key}; FOYER_BENCH_FRESH=1 or --fresh fills again)`);
    else marker = await fill(store, backend, key, log);
    const count = async (table: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(store.db)).rows[0]!.n);
    const counts = { customers: await count('customers'), bookings: await count('bookings'), bookingResources: await count('booking_resources') };
    if (counts.customers !== CUSTOMERS || counts.bookings !== BOOKINGS || counts.bookingResources !== BOOKINGS) throw new Error(`the filled store holds ${JSON.stringify(counts)}`);
    const s = store;
    return {
      store,
      backend,
      note,
      organizationId: marker.organization_id,
      siteId: marker.site_id,
      clinic: { organizationId: marker.organization_id, admin: { store, clock: systemClock, ids: benchIds() } },
      counts,
      close: () => s.close(),
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function fill(store: Store, backend: 'postgres' | 'pglite', key: string, log: Log): Promise<Marker> {
  const t0 = performance.now();
  const clinic = await setUpClinic(store, { practitioners: PRACTITIONERS, customers: 0, name: 'First Sync Clinic' });
  const org = clinic.organizationId;
  const owner = clinic.owner.staffId;

  // Customers: realistic names and phones, through the triggers.
  const now = systemClock.now();
  const customers = demoCustomers(CUSTOMERS).map((c, i) => {
    const a = CreateCustomerArgs.parse({ id: customerId(i), ...c });
    const at = now - (CUSTOMERS - i) * MINUTE_MS;
    return {
      id: a.id,
      organization_id: org,
      name: a.name,
      phone: a.phone,
      national_id: a.nationalId ?? null,
      birth_date: a.birthDate ?? null,
      gender: a.gender,
      notes: a.notes,
      tags: JSON.stringify(a.tags),
      created_at: at,
      updated_at: at,
      created_by: owner,
      blacklisted: 0,
      blacklist_reason: null,
    };
  });
  for (let i = 0; i < customers.length; i += ROWS_PER_VERSION) {
    const rows = customers.slice(i, i + ROWS_PER_VERSION);
    await store.writeTx(org, (tx) => domainTx(tx).insertInto('customers').values(rows).execute());
  }
  const t1 = performance.now();
  log(`filled ${CUSTOMERS} customers in ${((t1 - t0) / 1000).toFixed(1)} s (${CUSTOMERS / ROWS_PER_VERSION} versions)`);

  // Bookings and their blocks, by generate_series, ROWS_PER_VERSION per transaction.
  const from = Math.floor((now - 120 * 24 * 60 * MINUTE_MS) / 3_600_000) * 3_600_000;
  const start = `(${from}::bigint + (i / ${PRACTITIONERS}) * ${15 * MINUTE_MS}::bigint)`;
  const canSkipTriggers = backend === 'postgres' && (await sql<{ s: string }>`SELECT current_setting('is_superuser') AS s`.execute(store.db)).rows[0]?.s === 'on';
  for (let lo = 0; lo < BOOKINGS; lo += ROWS_PER_VERSION) {
    const hi = Math.min(BOOKINGS, lo + ROWS_PER_VERSION) - 1;
    await store.writeTx(org, async (tx) => {
      if (canSkipTriggers) await sql`SET LOCAL session_replication_role = replica`.execute(tx);
      const rv = canSkipTriggers ? sql`, row_version` : sql``;
      const rvValue = canSkipTriggers ? sql`, (SELECT tx_version())` : sql``;
      await sql`INSERT INTO bookings (id, organization_id, site_id, service_id, customer_id, start_at, end_at, buffer_before_minutes,
          buffer_after_minutes, status, source, notes, price_minor, currency, series_id, session_id, seats, cancel_reason, cancelled_by,
          late_cancel, override_reason, version, created_by, created_at, updated_at${rv})
        SELECT ${sql.raw(idSql('i', 2))}, ${org}, ${clinic.siteId}, ${clinic.serviceId}, ${sql.raw(idSql(`(i::bigint * 7919) % ${CUSTOMERS}`, 1))},
          ${sql.raw(start)}, ${sql.raw(start)} + ${15 * MINUTE_MS}, 0, 0,
          CASE WHEN ${sql.raw(start)} < ${now} THEN 'completed' ELSE 'confirmed' END, 'desk', '', 5000, 'CNY', NULL, NULL, 1, NULL, NULL,
          0, NULL, 1, ${owner}, ${sql.raw(start)} - ${7 * 24 * 60 * MINUTE_MS}, ${sql.raw(start)} - ${7 * 24 * 60 * MINUTE_MS}${rvValue}
        FROM generate_series(${lo}::int, ${hi}::int) AS i`.execute(tx);
      await sql`INSERT INTO booking_resources (booking_id, resource_id, blocked_start, blocked_end, active)
        SELECT ${sql.raw(idSql('i', 2))}, (${clinic.practitioners}::text[])[1 + i % ${PRACTITIONERS}], ${sql.raw(start)}, ${sql.raw(start)} + ${15 * MINUTE_MS}, 1
        FROM generate_series(${lo}::int, ${hi}::int) AS i`.execute(tx);
    });
    if ((hi + 1) % 100_000 === 0) log(`  ${hi + 1} bookings after ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  }
  const t2 = performance.now();
  log(`filled ${BOOKINGS} bookings and their blocks in ${((t2 - t1) / 1000).toFixed(1)} s (${BOOKINGS / ROWS_PER_VERSION} versions; triggers ${canSkipTriggers ? 'off, row_version set as they would' : 'on'})`);

  // What the switched-off foreign key triggers would have checked.
  const orphans = await sql<{ n: string }>`SELECT
      (SELECT count(*) FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = b.customer_id))
    + (SELECT count(*) FROM bookings b WHERE b.organization_id <> ${org} OR b.site_id <> ${clinic.siteId} OR b.service_id <> ${clinic.serviceId})
    + (SELECT count(*) FROM booking_resources r WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = r.booking_id))
    + (SELECT count(*) FROM booking_resources r WHERE NOT EXISTS (SELECT 1 FROM resources x WHERE x.id = r.resource_id)) AS n`.execute(store.db);
  if (Number(orphans.rows[0]!.n) !== 0) throw new Error(`${orphans.rows[0]!.n} rows of the fill break a foreign key`);
  for (const t of ['customers', 'bookings', 'booking_resources', 'org_versions']) await sql`VACUUM ANALYZE ${sql.table(t)}`.execute(store.db);
  await sql`CREATE TABLE IF NOT EXISTS bench_fill (key TEXT PRIMARY KEY, organization_id TEXT NOT NULL, site_id TEXT NOT NULL, fill_ms BIGINT NOT NULL)`.execute(store.db);
  await sql`INSERT INTO bench_fill (key, organization_id, site_id, fill_ms) VALUES (${key}, ${org}, ${clinic.siteId}, ${Math.round(performance.now() - t0)})`.execute(store.db);
  log(`fill complete in ${((performance.now() - t0) / 1000).toFixed(1)} s (checks and VACUUM ANALYZE included)`);
  return { organization_id: org, site_id: clinic.siteId };
}
