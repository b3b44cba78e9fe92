/**
 * Several desks and one server in one process, for sync tests and the simulation: a real store
 * (PGlite, or PostgreSQL when TEST_DATABASE_URL is set), real replica files, the real push/pull
 * handlers, and between them a network the test controls (up or down, requests or replies lost,
 * messages duplicated and replayed late). Messages cross it as JSON, as they would over HTTP.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { ManualClock, type Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import { createIdSource, type IdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import type { Role } from '../../core/permissions';
import { SyncClient, type SyncTransport } from '../../sync/client/sync-client';
import type { PullRequest, PullResponse, PushRequest, PushResponse } from '../../sync/protocol';
import { handlePull } from '../../sync/server/pull';
import { handlePush } from '../../sync/server/push';
import type { DeviceIdentity, SyncStore } from '../../sync/server/store';
import { Replica } from '../../electron/host/replica/replica';
import { ReplicaSync } from '../../electron/host/sync/replica-sync';
import { seededRandom, tempDir } from '../../electron/host/testing';
import type { TestStores} from '../../server/store/testing';
import { storeMutator, type StoreBackend } from '../../server/store/testing';
import type { Store } from '../../server/store/store';

export const SH = 'Asia/Shanghai';

/**
 * What the network does to one message; the default delivers it. `delay` holds a push back (the
 * desk gives up on it) and keeps it with the stale ones, to be delivered later, out of order; a
 * delayed pull is simply lost.
 */
export type Fault = 'deliver' | 'dropRequest' | 'dropReply' | 'duplicate' | 'delay';

export class Network {
  up = true;
  /** Decides the fate of each message (the simulation draws it from a seeded source). */
  fault: (kind: 'push' | 'pull') => Fault = () => 'deliver';
  /** Pushes kept to be delivered again later, out of order. */
  readonly stale: { device: DeviceIdentity; req: PushRequest }[] = [];
  keepStale = false;
}

export class InProcessTransport implements SyncTransport {
  constructor(
    private readonly server: World,
    private readonly device: DeviceIdentity,
    private readonly net: Network,
  ) {}

  async push(req: PushRequest): Promise<PushResponse> {
    return this.send('push', req, (r) => handlePush(this.server.deps, this.device, r));
  }

  async pull(req: PullRequest): Promise<PullResponse> {
    return this.send('pull', req, (r) => handlePull(this.server.syncStore, this.device, r));
  }

  private async send<Q, A>(kind: 'push' | 'pull', req: Q, handle: (r: unknown) => Promise<A>): Promise<A> {
    if (!this.net.up) throw unreachable();
    const fault = this.net.fault(kind);
    if (fault === 'dropRequest') throw unreachable();
    const wire = JSON.parse(JSON.stringify(req)) as unknown;
    if (fault === 'delay') {
      if (kind === 'push') this.net.stale.push({ device: this.device, req: wire as PushRequest });
      throw unreachable();
    }
    if (kind === 'push' && this.net.keepStale) this.net.stale.push({ device: this.device, req: wire as PushRequest });
    let answer: A;
    try {
      answer = await handle(wire);
      if (fault === 'duplicate') answer = await handle(wire);
    } catch (e) {
      // The server's typed refusals cross the wire as they are.
      throw AppError.is(e) ? AppError.fromShape(JSON.parse(JSON.stringify(e.toShape()))) : e;
    }
    if (fault === 'dropReply') throw unreachable();
    return JSON.parse(JSON.stringify(answer)) as A;
  }
}

function unreachable(): AppError {
  return new AppError('UNAVAILABLE', 'errors.sync.unavailable');
}

export interface Desk {
  name: string;
  replica: Replica;
  sync: ReplicaSync;
  client: SyncClient;
  clock: Clock;
  ids: IdSource;
  net: Network;
  device: DeviceIdentity;
  file: string;
  /** How its sync client batches pushes and chunks pulls (kept across a restart). */
  syncOptions: DeskSyncOptions;
  /** Runs a mutator here as `actor` (the owner by default). */
  mutate<R = unknown>(name: string, args: unknown, actor?: Actor): Promise<R>;
}

/** Entries per push and rows per pull chunk; small values exercise batched pushes and chunked pulls. */
export interface DeskSyncOptions {
  batch?: number;
  pullLimit?: number;
}

export interface World {
  store: Store;
  syncStore: SyncStore;
  deps: { store: SyncStore; clock: Clock; ids: IdSource };
  clock: ManualClock;
  ids: IdSource;
  organizationId: string;
  siteId: string;
  owner: Actor;
  desks: Desk[];
  addStaff(role: Role, siteId?: string | null): Promise<Actor>;
  addDesk(name: string, opts?: { skewMs?: number; seed?: number } & DeskSyncOptions): Promise<Desk>;
  /**
   * Closes a desk's replica and opens it again from its file (a crash after its last commit),
   * with other sync options if given.
   */
  restart(desk: Desk, syncOptions?: DeskSyncOptions): Promise<Desk>;
  close(): Promise<void>;
}

export interface WorldOptions {
  start?: number;
  seed?: number;
  /**
   * A store to run on instead of opening one; the world leaves it open. Given the same emptied
   * store (resetStore), the same seed and the same steps, a world makes the same rows and versions.
   */
  store?: Store;
}

export async function openWorld(stores: TestStores, backend: StoreBackend, opts: WorldOptions = {}): Promise<World> {
  const ownStore = opts.store === undefined;
  const store = opts.store ?? (await stores.open(backend));
  const clock = new ManualClock(opts.start ?? Date.UTC(2026, 10, 22, 0, 0, 0));
  const ids = createIdSource(clock, seededRandom(opts.seed ?? 7));
  const syncStore = store as unknown as SyncStore;
  const organizationId = ids.newId();
  const siteId = ids.newId();
  const owner: Actor = { staffId: ids.newId(), role: 'owner', organizationId, siteId: null };
  const run = storeMutator(store, clock, ids);
  await run('organization.setup', { id: organizationId, name: 'Kangjian', defaultCountry: 'CN', sites: [{ id: siteId, name: 'Clinic', kind: 'clinic', timeZone: SH }] }, owner);
  const addStaff = async (role: Role, site: string | null = null, staffId = ids.newId()): Promise<Actor> => {
    const now = clock.now();
    await store.writeTx(organizationId, (tx) =>
      tx
        .insertInto('staff')
        .values({ id: staffId, organization_id: organizationId, name: `${role} ${staffId.slice(-4)}`, login: `${role}-${staffId.slice(-6)}`, password_hash: 'x', role, site_id: site, active: 1, created_at: now, updated_at: now })
        .execute(),
    );
    return { staffId, role, organizationId, siteId: site };
  };
  await addStaff('owner', null, owner.staffId);

  // Each reopened desk gets a fresh random seed: two restarts at the same instant (the clock is
  // manual) must not hand out the same ids again.
  let restarts = 0;
  const world: World = {
    store,
    syncStore,
    deps: { store: syncStore, clock, ids },
    clock,
    ids,
    organizationId,
    siteId,
    owner,
    desks: [],
    addStaff,
    async addDesk(name, o = {}) {
      const file = path.join(tempDir(`foyer-sync-${name}-`), 'desk.sqlite');
      const device: DeviceIdentity = { deviceId: ids.newId(), organizationId, siteIds: null };
      await store.writeTx(organizationId, (tx) =>
        tx
          .insertInto('devices')
          .values({ id: device.deviceId, organization_id: organizationId, name, site_ids: '[]', token_hash: `hash-${device.deviceId}`, created_at: clock.now(), revoked_at: null, last_seen_at: null })
          .execute(),
      );
      const syncOptions: DeskSyncOptions = { ...(o.batch !== undefined ? { batch: o.batch } : {}), ...(o.pullLimit !== undefined ? { pullLimit: o.pullLimit } : {}) };
      const desk = openDesk(world, name, file, device, new Network(), o.skewMs ?? 0, o.seed ?? world.desks.length + 11, syncOptions);
      world.desks.push(desk);
      return desk;
    },
    async restart(desk, syncOptions = desk.syncOptions) {
      await desk.client.stop();
      await desk.replica.close();
      restarts++;
      const again = openDesk(world, desk.name, desk.file, desk.device, desk.net, desk.clock.now() - clock.now(), world.desks.indexOf(desk) + 101 + 1000 * restarts, syncOptions);
      world.desks[world.desks.indexOf(desk)] = again;
      return again;
    },
    async close() {
      for (const d of world.desks) {
        await d.client.stop();
        await d.replica.close();
      }
      if (ownStore) await stores.close(store);
    },
  };
  return world;
}

function openDesk(world: World, name: string, file: string, device: DeviceIdentity, net: Network, skewMs: number, seed: number, syncOptions: DeskSyncOptions = {}): Desk {
  // A desk's clock runs with the server's, off by its skew.
  const skewed: Clock = { now: () => world.clock.now() + skewMs };
  const ids = createIdSource(skewed, seededRandom(seed));
  const replica = Replica.open({ file, clock: skewed, ids });
  const sync = new ReplicaSync(replica, ids);
  const client = new SyncClient(sync, new InProcessTransport(world, device, net), { clock: skewed, pollMs: 3_600_000, backoffMinMs: 3_600_000, ...syncOptions });
  return {
    name,
    replica,
    sync,
    client,
    clock: skewed,
    ids,
    net,
    device,
    file,
    syncOptions,
    mutate: (n, args, actor = world.owner) => replica.mutate(n, args, actor),
  };
}

/**
 * Empties a store for the next world: every table but the migrations' record, and every sequence
 * back to its start (so versions repeat run to run). TRUNCATE fires no row triggers: no tombstones.
 */
export async function resetStore(store: Store): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    const tables = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`.execute(tx);
    if (tables.rows.length > 0) await sql`TRUNCATE ${sql.join(tables.rows.map((t) => sql.table(t.name)))} RESTART IDENTITY CASCADE`.execute(tx);
    const sequences = await sql<{ name: string }>`SELECT sequence_name AS name FROM information_schema.sequences WHERE sequence_schema = current_schema()`.execute(tx);
    for (const q of sequences.rows) await sql`ALTER SEQUENCE ${sql.table(q.name)} RESTART`.execute(tx);
  });
}
