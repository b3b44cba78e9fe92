/**
 * The server store on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set: every test has
 * its own schema, dropped after it. Core's mutators run through writeTx exactly as the server will
 * run pushed mutations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { sql } from 'kysely';
import { ManualClock } from '../../core/clock';
import { AppError } from '../../core/errors';
import { createIdSource, type IdSource } from '../../core/ids';
import { ROLES } from '../../core/permissions';
import { ALL_SYNCED_TABLES, CHILD_TABLES, SYNCED_TABLES } from '../../sync/tables';
import { latestStoreVersion, migrateStore } from './migrate';
import { openStore, withSavepoint, type Store } from './store';
import { clinicScenario, storeMutator, testBackends, testDatabaseUrl, TestStores, type StoreBackend } from './testing';

const stores = new TestStores();
afterAll(() => stores.dispose());

/** A fresh store in its own schema, closed (and its schema dropped) when the test ends. */
async function fresh(ctx: TestContext, backend: StoreBackend, opts: Parameters<TestStores['open']>[1] = {}): Promise<Store> {
  const store = await stores.open(backend, opts);
  ctx.onTestFinished(() => stores.close(store));
  return store;
}

function idSource(clock: ManualClock, seed = 1): IdSource {
  let x = seed;
  return createIdSource(clock, (n) =>
    Uint8Array.from({ length: n }, () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x >>> 24;
    }),
  );
}

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a refusal');
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

/** A clinic set up and used through writeTx. */
async function clinic(store: Store) {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 1, 0, 0));
  const ids = idSource(clock);
  const mutate = storeMutator(store, clock, ids);
  const versions: (number | null)[] = [];
  const scenario = await clinicScenario(
    async (name, args, actor) => {
      const r = await mutate(name, args, actor);
      versions.push(r.version);
      return r.result as never;
    },
    ids,
    clock,
  );
  return { ...scenario, clock, ids, mutate, versions };
}

describe.each(testBackends())('store on %s', (backend: StoreBackend) => {
  // PostgreSQL tests run side by side, each in its own schema (DDL makes each store take ~0.5 s to
  // open there); PGlite is one single-threaded session, where that would gain nothing.
  const test = backend === 'postgres' ? it.concurrent : it;
  describe('migrations', () => {
    test('build the schema once; running them again does nothing', async (ctx) => {
      const store = await fresh(ctx, backend);
      const applied = await store.db.selectFrom('schema_migrations').select(['version', 'name']).orderBy('version').execute();
      expect(applied).toEqual([
        { version: 10, name: 'domain' },
        { version: 20, name: 'versioning' },
        { version: 30, name: 'server' },
      ]);
      expect(await migrateStore(store.db)).toEqual({ from: latestStoreVersion(), to: latestStoreVersion(), applied: [] });
      // A second store opened on the same schema finds it migrated.
      const again = await fresh(ctx, backend, { schema: store.schema!, dropSchemaOnClose: false });
      expect(await again.db.selectFrom('schema_migrations').select('version').execute()).toHaveLength(3);
    });

    test('refuse a store written by a newer server, and leave it untouched', async (ctx) => {
      const store = await fresh(ctx, backend);
      await store.db.insertInto('schema_migrations').values({ version: 9990, name: 'future', applied_at: 0 }).execute();
      const err = await rejection(fresh(ctx, backend, { schema: store.schema!, dropSchemaOnClose: false }));
      expect(AppError.is(err) && { code: err.code, key: err.key, params: err.params }).toEqual({
        code: 'SCHEMA_TOO_NEW',
        key: 'errors.schemaTooNew',
        params: { found: 9990, known: latestStoreVersion() },
      });
      expect(await store.db.selectFrom('schema_migrations').select('version').execute()).toHaveLength(4);
    });

    test('version every synced table: row_version, index and tombstones on top-level ones, parent touch on children', async (ctx) => {
      const store = await fresh(ctx, backend);
      const columns = await sql<{ table_name: string; column_name: string; collation_name: string | null; data_type: string }>`
        SELECT table_name, column_name, collation_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`.execute(store.db);
      const triggers = await sql<{ table_name: string; trigger_name: string }>`
        SELECT c.relname AS table_name, t.tgname AS trigger_name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal`.execute(store.db);
      const has = (table: string, column: string) => columns.rows.some((c) => c.table_name === table && c.column_name === column);
      const triggersOf = (table: string) => triggers.rows.filter((t) => t.table_name === table).map((t) => t.trigger_name).sort();
      for (const t of SYNCED_TABLES) {
        expect(has(t.name, 'row_version'), t.name).toBe(true);
        expect(triggersOf(t.name), t.name).toEqual([`${t.name}_row_version`, `${t.name}_tombstone`]);
      }
      for (const c of CHILD_TABLES) {
        expect(has(c.name, 'row_version'), c.name).toBe(false);
        expect(triggersOf(c.name), c.name).toEqual([`${c.name}_touch_parent`]);
      }
      // Text compares byte by byte, as on the desk (SQLite's BINARY).
      const text = columns.rows.filter((c) => ALL_SYNCED_TABLES.includes(c.table_name) && c.data_type === 'text');
      expect(text.length).toBeGreaterThan(50);
      expect(text.filter((c) => c.collation_name !== 'C')).toEqual([]);
    });

    test('know the same staff roles as core/permissions.ts', async (ctx) => {
      const store = await fresh(ctx, backend);
      const { organizationId, siteId } = await clinic(store);
      const staff = (id: string, role: string) => ({
        id,
        organization_id: organizationId,
        name: 'Zhang',
        login: `zhang-${id}`,
        password_hash: 'x',
        role: role as never,
        site_id: siteId,
        active: 1,
        created_at: 1,
        updated_at: 1,
      });
      await store.writeTx(organizationId, (tx) => tx.insertInto('staff').values(ROLES.map((r, i) => staff(`s${i}`, r))).execute());
      const err = await rejection(store.writeTx(organizationId, (tx) => tx.insertInto('staff').values(staff('bad', 'superuser')).execute()));
      expect(err.code).toBe('23514');
      const dup = await rejection(store.writeTx(organizationId, (tx) => tx.insertInto('staff').values({ ...staff('s9', 'admin'), login: 'zhang-s0' }).execute()));
      expect(dup.code).toBe('23505');
    });
  });

  describe('core mutators through writeTx', () => {
    test('run unchanged, and their rows read back with numbers as numbers', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const booking = await store.db.selectFrom('bookings').selectAll().where('id', '=', c.first.id).executeTakeFirstOrThrow();
      expect(booking).toMatchObject({ status: 'confirmed', customer_id: c.ann, price_minor: 5000, currency: 'CNY', buffer_after_minutes: 10, version: 2, late_cancel: 0 });
      expect(booking.start_at).toBe(c.first.start + 3_600_000);
      expect(typeof booking.created_at).toBe('number');
      // 'Dr Wang' sorts before 'dr Li' byte by byte (not in a locale's order): the desk picked him too.
      expect(c.first.resourceIds).toEqual([c.wang, c.room]);
      const site = await store.db.selectFrom('sites').selectAll().where('id', '=', c.siteId).executeTakeFirstOrThrow();
      expect(site).toMatchObject({ granularity_minutes: 15, hold_minutes: 15, late_cancel_hours: 24, waitlist_auto_offer: 0, blacklist_after_no_shows: null });
      expect(JSON.parse(site.schedule).openingHours).toHaveLength(6);
      const events = await store.db.selectFrom('booking_events').select(['version', 'type']).where('booking_id', '=', c.first.id).orderBy('version').execute();
      expect(events).toEqual([
        { version: 1, type: 'created' },
        { version: 2, type: 'rescheduled' },
      ]);
      expect(await store.db.selectFrom('holds').select('id').execute()).toEqual([]);
      expect(await store.db.selectFrom('waitlist_entries').select('status').execute()).toEqual([{ status: 'waiting' }]);
    });

    test('refuse what the desk refuses, and a refusal writes nothing and takes no version', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const before = await store.orgVersion(c.organizationId);
      const bookings = await store.db.selectFrom('bookings').select('id').execute();
      const err = await rejection(
        c.mutate('booking.create', { id: c.ids.newId(), serviceId: c.consult, customerId: c.bob, start: c.first.start + 3_600_000, resourceIds: c.first.resourceIds }, c.desk),
      );
      expect(AppError.is(err) && err.code).toBe('CONFLICT');
      expect(await store.db.selectFrom('bookings').select('id').execute()).toEqual(bookings);
      expect(await store.orgVersion(c.organizationId)).toBe(before);
    });
  });

  describe('versions', () => {
    test('one transaction gives every row it writes one version, and org_versions follows the latest', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      // Every mutator wrote something; versions only go up.
      expect(c.versions.every((v) => v !== null)).toBe(true);
      expect([...c.versions].sort((a, b) => a! - b!)).toEqual(c.versions);
      expect(new Set(c.versions).size).toBe(c.versions.length);
      const setupVersion = c.versions[0]!;
      const org = await store.db.selectFrom('organizations').select('row_version').executeTakeFirstOrThrow();
      const sites = await store.db.selectFrom('sites').select('row_version').execute();
      expect(org.row_version).toBe(setupVersion);
      // updateSettings came later and moved the site.
      expect(sites.map((s) => s.row_version)).toEqual([c.versions[1]]);
      expect(await store.orgVersion(c.organizationId)).toBe(c.versions.at(-1));
      expect(await store.orgVersion('no-such-org')).toBe(0);

      const two = await store.writeTx(c.organizationId, async (tx) => {
        await tx.updateTable('customers').set({ notes: 'VIP' }).where('id', '=', c.ann).execute();
        await tx.updateTable('customers').set({ notes: 'VIP too' }).where('id', '=', c.bob).execute();
        await tx.updateTable('resources').set({ colour: '#f00' }).execute();
      });
      const touched = await store.db.selectFrom('customers').select('row_version').execute();
      const resources = await store.db.selectFrom('resources').select('row_version').execute();
      expect(new Set([...touched, ...resources].map((r) => r.row_version))).toEqual(new Set([two.version]));
      expect(two.version).toBeGreaterThan(c.versions.at(-1)!);
      expect(await store.orgVersion(c.organizationId)).toBe(two.version);
    });

    test('a transaction that writes nothing versioned takes no version, nor does a write undone by a savepoint', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const latest = await store.orgVersion(c.organizationId);
      const read = await store.writeTx(c.organizationId, (tx) => tx.selectFrom('customers').select('id').execute());
      expect(read).toMatchObject({ version: null });
      expect(read.result).toHaveLength(2);
      const undone = await store.writeTx(c.organizationId, async (tx) => {
        const err = await rejection(
          withSavepoint(tx, async (sp) => {
            await sp.updateTable('customers').set({ notes: 'gone' }).where('id', '=', c.ann).execute();
            throw new Error('changed my mind');
          }),
        );
        return err.message;
      });
      expect(undone).toEqual({ result: 'changed my mind', version: null });
      expect(await store.orgVersion(c.organizationId)).toBe(latest);
      expect((await store.db.selectFrom('customers').select('notes').where('id', '=', c.ann).executeTakeFirstOrThrow()).notes).toBe('');
    });

    test('a child row written alone moves its parent’s version', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const version = async (id: string) => (await store.db.selectFrom('bookings').select('row_version').where('id', '=', id).executeTakeFirstOrThrow()).row_version;
      const sessionVersion = async () => (await store.db.selectFrom('class_sessions').select('row_version').executeTakeFirstOrThrow()).row_version;

      const update = await store.writeTx(c.organizationId, (tx) => tx.updateTable('booking_resources').set({ active: 0 }).where('booking_id', '=', c.first.id).execute());
      expect(await version(c.first.id)).toBe(update.version);
      const del = await store.writeTx(c.organizationId, (tx) => tx.deleteFrom('booking_events').where('booking_id', '=', c.second.id).execute());
      expect(await version(c.second.id)).toBe(del.version);
      const insert = await store.writeTx(c.organizationId, (tx) =>
        tx
          .insertInto('booking_events')
          .values({ id: c.ids.newId(), organization_id: c.organizationId, booking_id: c.first.id, version: 3, type: 'status', from_status: 'confirmed', to_status: 'confirmed', before: null, after: null, reason: null, actor_staff_id: c.desk.staffId, at: 1 })
          .execute(),
      );
      expect(await version(c.first.id)).toBe(insert.version);
      const seats = await store.writeTx(c.organizationId, (tx) => tx.updateTable('session_resources').set({ active: 0 }).execute());
      expect(await sessionVersion()).toBe(seats.version);
      expect(await version(c.seat.id)).toBeLessThan(seats.version!);
    });

    test('a deleted row leaves a tombstone with its scope and version, until it comes back', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const stone = await store.db.selectFrom('tombstones').selectAll().execute();
      // hold.release deleted the hold: the second to last mutator.
      expect(stone).toEqual([{ table_name: 'holds', row_id: c.hold, organization_id: c.organizationId, site_id: c.siteId, row_version: c.versions.at(-2) }]);

      const closure = c.ids.newId();
      await c.mutate('site.closeNow', { id: closure, siteId: c.siteId, start: c.first.start + 86_400_000, end: c.first.start + 90_000_000, reason: 'Training' }, c.owner);
      // Reopened before it started: the closure is deleted.
      const removed = await c.mutate('site.reopen', { id: closure }, c.owner);
      expect(await store.db.selectFrom('tombstones').select(['row_id', 'row_version']).where('table_name', '=', 'site_closures').execute()).toEqual([
        { row_id: closure, row_version: removed.version },
      ]);
      // The same id written again: the tombstone goes, the row is what desks get.
      await store.writeTx(c.organizationId, (tx) =>
        tx.insertInto('site_closures').values({ id: closure, organization_id: c.organizationId, site_id: c.siteId, start_at: 1, end_at: 2, reason: 'x', created_by: c.owner.staffId, created_at: 1 }).execute(),
      );
      expect(await store.db.selectFrom('tombstones').select('row_id').where('table_name', '=', 'site_closures').execute()).toEqual([]);
    });
  });

  describe('the organization lock', () => {
    test('is the only way to write versioned rows: a write outside writeTx, or of another organization, is refused', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const outside = await rejection(store.db.updateTable('customers').set({ notes: 'sneaky' }).where('id', '=', c.ann).execute());
      expect(outside.code).toBe('FY001');
      const foreign = await rejection(store.writeTx('another-org', (tx) => tx.updateTable('customers').set({ notes: 'sneaky' }).where('id', '=', c.ann).execute()));
      expect(foreign.code).toBe('FY001');
      const deleted = await rejection(store.db.deleteFrom('waitlist_entries').execute());
      expect(deleted.code).toBe('FY001');
      const child = await rejection(store.db.updateTable('booking_resources').set({ active: 0 }).execute());
      expect(child.code).toBe('FY001');
      expect(await store.db.selectFrom('customers').select('notes').where('notes', '=', 'sneaky').execute()).toEqual([]);
    });
  });

  describe('the exclusion constraints', () => {
    test('refuse two overlapping active blocks of one resource, inserted directly; touching, inactive or other resources pass', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const h = 3_600_000;
      const base = c.first.start + 10 * 86_400_000;
      const block = (table: 'booking_resources' | 'session_resources', parent: string, resource: string, start: number, end: number, active = 1) =>
        store.writeTx(c.organizationId, (tx) =>
          table === 'booking_resources'
            ? tx.insertInto('booking_resources').values({ booking_id: parent, resource_id: resource, blocked_start: start, blocked_end: end, active }).execute()
            : tx.insertInto('session_resources').values({ session_id: parent, resource_id: resource, blocked_start: start, blocked_end: end, active }).execute(),
        );
      // Bookings need rows of their own to hang blocks on: copies of the first one.
      const parents = await store.writeTx(c.organizationId, async (tx) => {
        const row = await tx.selectFrom('bookings').selectAll().where('id', '=', c.first.id).executeTakeFirstOrThrow();
        const made: string[] = [];
        for (let i = 0; i < 4; i++) {
          const { row_version: _v, ...rest } = row;
          const id = c.ids.newId();
          await tx.insertInto('bookings').values({ ...rest, id }).execute();
          made.push(id);
        }
        return made;
      });
      const [b1, b2, b3, b4] = parents.result as [string, string, string, string];
      await block('booking_resources', b1, c.li, base, base + h);
      expect((await rejection(block('booking_resources', b2, c.li, base + h / 2, base + 2 * h))).code).toBe('23P01');
      await block('booking_resources', b2, c.li, base + h, base + 2 * h);
      await block('booking_resources', b3, c.li, base, base + h, 0);
      await block('booking_resources', b4, c.room, base, base + h);
      // The same on session blocks.
      const session2 = c.ids.newId();
      await store.writeTx(c.organizationId, async (tx) => {
        const row = await tx.selectFrom('class_sessions').selectAll().executeTakeFirstOrThrow();
        const { row_version: _v, ...rest } = row;
        await tx.insertInto('class_sessions').values({ ...rest, id: session2 }).execute();
      });
      expect((await rejection(block('session_resources', session2, c.coach, c.first.start + 5 * h - 600_000, c.first.start + 6 * h))).code).toBe('23P01');
      await block('session_resources', session2, c.coach, base, base + h);
      // Activating a cancelled block onto busy time is refused as well.
      const reactivate = await rejection(store.writeTx(c.organizationId, (tx) => tx.updateTable('booking_resources').set({ active: 1 }).where('booking_id', '=', b3).execute()));
      expect(reactivate.code).toBe('23P01');
    });
  });

  describe('transactions', () => {
    test('serialize two writes of one organization: the second waits for the first to commit', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const gate = deferred();
      const started: string[] = [];
      const first = store.writeTx(c.organizationId, async (tx) => {
        started.push('first');
        await tx.updateTable('customers').set({ notes: 'first' }).where('id', '=', c.ann).execute();
        await gate.promise;
      });
      await until(() => started.length === 1);
      const second = store.writeTx(c.organizationId, async (tx) => {
        started.push('second');
        return (await tx.selectFrom('customers').select('notes').where('id', '=', c.ann).executeTakeFirstOrThrow()).notes;
      });
      await sleep(150);
      expect(started).toEqual(['first']);
      gate.resolve();
      const [a, b] = await Promise.all([first, second]);
      // The second saw the first's committed write, and its versions come after.
      expect(b.result).toBe('first');
      expect(a.version).toBeGreaterThan(c.versions.at(-1)!);
      expect(started).toEqual(['first', 'second']);
    });

    test('roll back everything when fn throws', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const latest = await store.orgVersion(c.organizationId);
      const err = await rejection(
        store.writeTx(c.organizationId, async (tx) => {
          await tx.updateTable('customers').set({ notes: 'lost' }).execute();
          throw new Error('boom');
        }),
      );
      expect(err.message).toBe('boom');
      expect(await store.db.selectFrom('customers').select('notes').where('notes', '=', 'lost').execute()).toEqual([]);
      expect(await store.orgVersion(c.organizationId)).toBe(latest);
    });

    test('readTx is one read-only snapshot', async (ctx) => {
      const store = await fresh(ctx, backend);
      const c = await clinic(store);
      const err = await rejection(store.readTx((tx) => tx.updateTable('customers').set({ notes: 'x' }).execute()));
      expect(err.code).toBe('25006');
      const seen = await store.readTx(async (tx) => {
        const v = await tx.selectFrom('org_versions').select('version').executeTakeFirstOrThrow();
        const n = await tx.selectFrom('customers').select('id').execute();
        return { v: v.version, n: n.length };
      });
      expect(seen).toEqual({ v: await store.orgVersion(c.organizationId), n: 2 });
    });
  });

  describe('notifications', () => {
    test('reach a listener; sent in a transaction, only when it commits', async (ctx) => {
      const store = await fresh(ctx, backend);
      const heard: string[] = [];
      const stop = await store.listen('poke', (p) => heard.push(p));
      await store.notify('poke', 'one');
      await until(() => heard.length === 1);
      await rejection(
        store.writeTx('org-1', async (tx) => {
          await store.notify('poke', 'rolled back', tx);
          throw new Error('no');
        }),
      );
      await store.writeTx('org-1', (tx) => store.notify('poke', 'committed', tx));
      await until(() => heard.length === 2);
      expect(heard).toEqual(['one', 'committed']);
      await stop();
      await store.notify('poke', 'after stop');
      await sleep(50);
      expect(heard).toEqual(['one', 'committed']);
    });
  });
});

describe('store on PGlite in a data folder', () => {
  it('keeps its data across restarts, and migrates only once', async () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'foyer-store-')), 'pg');
    try {
      const first = await openStore({ dataDir });
      const c = await clinic(first);
      const version = await first.orgVersion(c.organizationId);
      await first.close();
      const again = await openStore({ dataDir });
      try {
        expect(await again.orgVersion(c.organizationId)).toBe(version);
        expect(await again.db.selectFrom('bookings').select('id').execute()).toHaveLength(3);
        expect(await migrateStore(again.db)).toMatchObject({ applied: [] });
      } finally {
        await again.close();
      }
    } finally {
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });
});

describe.runIf(testDatabaseUrl())('store on postgres, across connections and instances', () => {
  it.concurrent('a write of another organization does not wait for the lock of the first', async (ctx) => {
    const store = await fresh(ctx, 'postgres');
    const gate = deferred();
    let holding = false;
    const first = store.writeTx('org-a', async () => {
      holding = true;
      await gate.promise;
    });
    await until(() => holding);
    const other = await store.writeTx('org-b', async (tx) => (await tx.selectFrom('org_versions').select('organization_id').execute()).length);
    expect(other.result).toBeGreaterThanOrEqual(1);
    gate.resolve();
    await first;
  });

  it.concurrent('two servers on one database hear each other, and stores in other schemas do not', async (ctx) => {
    const a = await fresh(ctx, 'postgres');
    const b = await fresh(ctx, 'postgres', { schema: a.schema!, dropSchemaOnClose: false });
    const elsewhere = await fresh(ctx, 'postgres');
    const heardA: string[] = [];
    const heardElsewhere: string[] = [];
    await a.listen('poke', (p) => heardA.push(p));
    await elsewhere.listen('poke', (p) => heardElsewhere.push(p));
    await b.notify('poke', 'from b');
    await until(() => heardA.length === 1);
    await sleep(50);
    expect(heardA).toEqual(['from b']);
    expect(heardElsewhere).toEqual([]);
  });

  it.concurrent('the listener comes back after its connection is killed, and says notifications may have been lost', async (ctx) => {
    const store = await fresh(ctx, 'postgres');
    const heard: string[] = [];
    let gaps = 0;
    await store.listen(
      'poke',
      (p) => heard.push(p),
      () => gaps++,
    );
    const killed = await sql<{ n: number }>`
      SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE application_name = 'foyer-listen' AND query LIKE ${`%${store.schema!}.poke%`}`.execute(store.db);
    expect(killed.rows[0]!.n).toBe(1);
    await until(() => gaps === 1);
    await store.notify('poke', 'after');
    await until(() => heard.length === 1);
    expect(heard).toEqual(['after']);
  });

  it.concurrent('INT8 comes back as a number from the pool, and the pool stays usable after an error', async () => {
    const store = await openStore({ databaseUrl: testDatabaseUrl(), schema: `t_i8_${Date.now().toString(36)}`, dropSchemaOnClose: true });
    try {
      const r = await sql<{ v: number }>`SELECT 9007199254740991::bigint AS v`.execute(store.db);
      expect(r.rows[0]!.v).toBe(Number.MAX_SAFE_INTEGER);
      await rejection(sql`SELECT 1/0`.execute(store.db));
      expect((await sql<{ v: number }>`SELECT count(*) AS v FROM schema_migrations`.execute(store.db)).rows[0]!.v).toBe(3);
    } finally {
      await store.close();
    }
  });
});
