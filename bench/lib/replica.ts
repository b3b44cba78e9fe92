/**
 * A real replica for benchmarks: a SQLite file in a fresh temp folder, opened with `Replica.open`
 * (WAL, migrations, the search-term function) and wired with the same clock and id source as the
 * desk host (electron/host/host.ts), then filled with demo customers.
 *
 * Seeding: the demo organization and the first 300 customers go through `seedDemo`, i.e. through
 * `replica.mutate`, exactly as on a new desk. Writing 100,000 customers that way would take
 * minutes (see BENCHMARKS.md), so the rest are validated with the mutator's own argument schema
 * (`CreateCustomerArgs`: phone to E.164, name normalised, …) and inserted straight into `customers`
 * with the columns the `customer.create` mutator writes, 25,000 rows per transaction. The search
 * index is filled by the replica's own SQLite triggers, as for any insert. No outbox rows are
 * written for those (a desk that had synced them would have none either). While inserting, the
 * connection gets a larger page cache and in-memory temp storage (for speed only); both are put
 * back before anything is measured, and the WAL is checkpointed.
 *
 * With `reuse`, the seeded file is kept in the OS temp folder (foyer-bench-cache/) under a hash of
 * everything that decides its contents (SEED_SOURCES); the next run copies it instead of seeding
 * again, unless FOYER_BENCH_FRESH=1.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import { createIdSource } from '../../core/ids';
import type { Clock } from '../../core/clock';
import type { Actor } from '../../core/mutator';
import { CreateCustomerArgs } from '../../core/customers/customer.schema';
import { Replica } from '../../electron/host/replica/replica';
import { actorFromMeta, demoCustomers, seedDemo } from '../../electron/host/seed/demo';
import { msBetween } from './stats';
import { sourceKey } from './source-key';
import type { Log } from './types';

const CACHE_DIR = path.join(os.tmpdir(), 'foyer-bench-cache');

/** Same as the host's systemClock. */
const clock: Clock = { now: () => Date.now() };

/** How many customers a new desk gets from `seedDemo` by default. */
export const DEMO_CUSTOMERS = 300;

export interface BenchReplica {
  replica: Replica;
  actor: Actor;
  dir: string;
  /** Phones (E.164) already taken, for benchmarks that add more customers. */
  phones: Set<string>;
  close(): Promise<void>;
}

export function openReplica(dir: string): Replica {
  const ids = createIdSource(clock, (n) => webcrypto.getRandomValues(new Uint8Array(n)));
  return Replica.open({ file: path.join(dir, 'desk.sqlite'), clock, ids });
}

async function seed(replica: Replica, customers: number, log: Log): Promise<Actor> {
  const t0 = process.hrtime.bigint();
  // Customers only: the search and mutation benchmarks measure the customer tables.
  const actor = await seedDemo(replica, Math.min(customers, DEMO_CUSTOMERS), { calendar: false });
  const t1 = process.hrtime.bigint();
  const db = replica.sqlite;
  const phones = new Set(
    db.prepare<[string], { phone: string }>('SELECT phone FROM customers WHERE organization_id = ?').all(actor.organizationId).map((r) => r.phone),
  );
  const insert = db.prepare(
    `INSERT INTO customers (id, organization_id, name, phone, national_id, birth_date, gender, notes, tags, created_at, updated_at, created_by)
     VALUES (@id, @organization_id, @name, @phone, @national_id, @birth_date, @gender, @notes, @tags, @created_at, @updated_at, @created_by)`,
  );
  const rows: Record<string, unknown>[] = [];
  const now = clock.now();
  for (const c of demoCustomers(customers)) {
    const a = CreateCustomerArgs.parse({ id: replica.newId(), ...c });
    if (phones.has(a.phone)) continue;
    phones.add(a.phone);
    const at = now - (customers - rows.length) * 60_000;
    rows.push({
      id: a.id,
      organization_id: actor.organizationId,
      name: a.name,
      phone: a.phone,
      national_id: a.nationalId,
      birth_date: a.birthDate,
      gender: a.gender,
      notes: a.notes,
      tags: JSON.stringify(a.tags),
      created_at: at,
      updated_at: at,
      created_by: actor.staffId,
    });
  }
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('cache_size = -1048576');
  db.pragma('temp_store = MEMORY');
  try {
    const insertMany = db.transaction((batch: Record<string, unknown>[]) => {
      for (const r of batch) insert.run(r);
    });
    for (let i = 0; i < rows.length; i += 25_000) insertMany(rows.slice(i, i + 25_000));
    // The triggers queued every customer for the search index; build it now, with the replica's
    // own indexer, so nothing timed later pays for it.
    await replica.flushSearchIndex();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma(`temp_store = ${tempStore}`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  const t2 = process.hrtime.bigint();
  log(
    `seeded ${customers} customers: ${Math.min(customers, DEMO_CUSTOMERS)} through seedDemo/mutate in ${(msBetween(t0, t1) / 1000).toFixed(1)} s, ` +
      `${rows.length} inserted directly in ${(msBetween(t1, t2) / 1000).toFixed(1)} s`,
  );
  return actor;
}

/**
 * What decides the contents of a seeded replica: the schema, triggers and search terms, the
 * customer rules and normalisation, the mutators that seed, the demo generator, this file and
 * the packages (pinyin-pro, libphonenumber-js). Other work in core/ does not invalidate the cache.
 */
const SEED_SOURCES = [
  'core/customers',
  'core/db-schema.ts',
  'core/mutator.ts',
  'core/mutators.ts',
  'core/organization.mutators.ts',
  'core/time.ts',
  'electron/host/replica',
  'electron/host/seed',
  'bench/lib/replica.ts',
  'package-lock.json',
];

/** A hash of every source file that decides what a seeded replica contains. */
function seedKey(customers: number): string {
  return sourceKey(`customers=${customers}`, SEED_SOURCES);
}

export async function seededReplica(customers: number, log: Log, opts: { reuse?: boolean } = {}): Promise<BenchReplica> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-'));
  const file = path.join(dir, 'desk.sqlite');
  const cached = opts.reuse ? path.join(CACHE_DIR, `customers-${customers}-${seedKey(customers)}.sqlite`) : null;
  let replica: Replica | null = null;
  try {
    let actor: Actor | null = null;
    if (cached && existsSync(cached) && process.env.FOYER_BENCH_FRESH !== '1') {
      copyFileSync(cached, file);
      replica = openReplica(dir);
      actor = actorFromMeta(replica);
      if (!actor) throw new Error(`cached replica ${cached} has no organization`);
      log(`reusing the seeded replica ${cached} (FOYER_BENCH_FRESH=1 or --fresh seeds again)`);
    } else {
      replica = openReplica(dir);
      actor = await seed(replica, customers, log);
      if (cached) {
        mkdirSync(CACHE_DIR, { recursive: true });
        for (const old of readdirSync(CACHE_DIR)) if (old.startsWith(`customers-${customers}-`)) rmSync(path.join(CACHE_DIR, old), { force: true });
        copyFileSync(file, `${cached}.${process.pid}.tmp`);
        renameSync(`${cached}.${process.pid}.tmp`, cached);
      }
    }
    const db = replica.sqlite;
    const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM customers').get()!.n;
    if (count !== customers) throw new Error(`the replica holds ${count} customers, wanted ${customers}`);
    const terms = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM customer_search').get()!.n;
    log(`replica: ${count} customers, ${terms} search-index rows, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
    const phones = new Set(db.prepare<[], { phone: string }>('SELECT phone FROM customers').all().map((r) => r.phone));
    const r = replica;
    return {
      replica: r,
      actor,
      dir,
      phones,
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
