/**
 * Desk hosts and servers as they run: `startServer` on loopback ports over one store (PGlite, or
 * PostgreSQL when TEST_DATABASE_URL is set), desk hosts (`startHost`) enrolled with one-time codes,
 * talking HTTP and WebSocket. Covers:
 *   - a booking made on desk A reaches desk B's replica by itself (a poke, then a pull);
 *   - staff sign in through the server, and sign in again while the server is down, from what the
 *     desk remembers; a wrong password and a login never seen on this desk are refused offline;
 *   - the acceptance story over real connections: A offline books 09:00 with Dr. Li, B books the
 *     same slot, A reconnects: one booking stands and A's conflict inbox holds the other. With
 *     PostgreSQL, A and B are on two server instances sharing the database.
 */
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/mutator';
import { wallTimeToInstant } from '../../core/scheduling/zoned-time';
import { startHost, type RunningHost } from '../../electron/host/host';
import { conflictInbox } from '../../electron/host/sync/conflicts';
import { tempDir } from '../../electron/host/testing';
import { createEnrollmentCode } from '../../server/admin/devices';
import { createOrganization } from '../../server/admin/organizations';
import { startServer, type RunningServer } from '../../server/app';
import type { Store } from '../../server/store/store';
import { openStore } from '../../server/store/store';
import { testDatabaseUrl, testSchemaName } from '../../server/store/testing';
import { createIdSource } from '../../core/ids';
import { randomBytes } from 'node:crypto';

const PASSWORD = 'correct horse battery';
const SH = 'Asia/Shanghai';
const WAIT = { timeout: 10_000, interval: 20 };

interface Setup {
  store: Store;
  servers: RunningServer[];
  hosts: RunningHost[];
  organizationId: string;
  siteId: string;
  owner: Actor;
  code(name: string): Promise<string>;
  desk(name: string, server: RunningServer, dataDir?: string): Promise<RunningHost>;
}

let open: Setup | null = null;
afterEach(async () => {
  if (!open) return;
  for (const h of open.hosts) await h.close().catch(() => undefined);
  for (const s of open.servers) await s.close().catch(() => undefined);
  await open.store.close();
  open = null;
});

async function setup(instances: 1 | 2): Promise<Setup> {
  const url = testDatabaseUrl();
  const schema = testSchemaName();
  const store = await openStore(url ? { databaseUrl: url, schema, dropSchemaOnClose: true, maxConnections: 4 } : { schema });
  // The second instance is another process in production: here, another store on the same schema.
  const second = instances === 2 ? await openStore({ databaseUrl: url!, schema, maxConnections: 4 }) : null;
  const clock = { now: () => Date.now() };
  const admin = { store, clock, ids: createIdSource(clock, (n) => randomBytes(n)) };
  const org = await createOrganization(admin, {
    name: 'Kangjian',
    defaultCountry: 'CN',
    sites: [{ name: 'Clinic', kind: 'clinic', timeZone: SH }],
    owner: { name: 'Owner', login: 'owner', password: PASSWORD },
  });
  const servers = [await startServer({ store, port: 0 })];
  if (second) servers.push(await startServer({ store: second, port: 0 }));
  const s: Setup = {
    store,
    servers,
    hosts: [],
    organizationId: org.organizationId,
    siteId: org.siteIds[0]!,
    owner: { staffId: org.ownerStaffId, role: 'owner', organizationId: org.organizationId, siteId: null },
    code: async (name) => (await createEnrollmentCode(admin, { organizationId: org.organizationId, name, createdBy: 'test' })).code,
    async desk(name, server, dataDir = path.join(tempDir(`foyer-desk-${name}-`), 'data')) {
      const host = await startHost({ dataDir, port: 0, rendererDir: null, demo: false, enroll: { serverUrl: server.url, code: await s.code(name) } });
      s.hosts.push(host);
      return host;
    },
  };
  if (second) {
    const close = servers[1]!.close.bind(servers[1]);
    servers[1]!.close = async () => {
      await close();
      await second.close();
    };
  }
  open = s;
  return s;
}

/** A TCP relay on loopback to `port`, which can be cut (refusing and dropping connections) and restored. */
async function relay(port: number): Promise<{ url: string; cut(): Promise<void>; restore(): void }> {
  let up = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    if (!up) return inbound.destroy();
    const outbound = net.connect(port, '127.0.0.1');
    for (const sock of [inbound, outbound]) {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relays.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    async cut() {
      up = false;
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => setTimeout(r, 50));
    },
    restore() {
      up = true;
    },
  };
}

const relays: net.Server[] = [];
afterEach(() => {
  for (const r of relays.splice(0)) r.close();
});

const count = (h: RunningHost, sql: string, ...params: unknown[]) => (h.replica.sqlite.prepare(`SELECT count(*) AS n FROM ${sql}`).get(...params) as { n: number }).n;

async function signedIn(h: RunningHost) {
  await h.session.signIn('owner', PASSWORD);
  await h.sync.syncNow();
}

async function clinicOn(h: RunningHost, s: Setup) {
  const id = () => h.replica.newId();
  const ids = { li: id(), consult: id(), ann: id(), bob: id() };
  const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 8 * 60, end: 18 * 60 }));
  await h.replica.mutate('site.updateSettings', { siteId: s.siteId, patch: { openingHours: week } }, s.owner);
  await h.replica.mutate('resource.create', { id: ids.li, siteId: s.siteId, kind: 'practitioner', name: 'Dr. Li', schedule: { schedules: [{ ranges: week }] } }, s.owner);
  await h.replica.mutate('service.create', { id: ids.consult, siteId: s.siteId, name: 'Consultation', durationMinutes: 30, price: { amountMinor: 5000, currency: 'CNY' }, resourceKinds: ['practitioner'] }, s.owner);
  await h.replica.mutate('customer.create', { id: ids.ann, name: 'Ann', phone: '+8613800000001', gender: 'unknown', notes: '', tags: [] }, s.owner);
  await h.replica.mutate('customer.create', { id: ids.bob, name: 'Bob', phone: '+8613800000002', gender: 'unknown', notes: '', tags: [] }, s.owner);
  return ids;
}

/** 09:00 the day after tomorrow at the site: in the future whenever the test runs. */
function nineOClock(): number {
  const day = new Date(Date.now() + 2 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: SH });
  return wallTimeToInstant(day, 9 * 60, SH);
}

describe('desk hosts and the server over HTTP and WebSocket', () => {
  it('brings a booking made on desk A to desk B by itself, and signs staff in online and offline', async () => {
    const s = await setup(1);
    const a = await s.desk('A', s.servers[0]!);
    const b = await s.desk('B', s.servers[0]!);
    expect(a.session.actor()).toBeNull();
    await signedIn(a);
    await signedIn(b);
    expect(a.session.info()).toMatchObject({ staffId: s.owner.staffId, role: 'owner', checkedBy: 'server' });
    const ids = await clinicOn(a, s);
    await expect.poll(() => count(b, 'resources'), WAIT).toBe(1);
    const booking = a.replica.newId();
    await a.replica.mutate('booking.create', { id: booking, serviceId: ids.consult, customerId: ids.ann, start: nineOClock(), resourceIds: [ids.li] }, s.owner);
    await expect.poll(() => count(b, 'bookings WHERE id = ?', booking), WAIT).toBe(1);
    await expect.poll(() => a.sync.status(), WAIT).toMatchObject({ state: 'idle', pending: 0, live: true, serverUrl: s.servers[0]!.url });

    // The server goes away: the desk notices at once (its push socket closes), not at the next poll.
    await s.servers[0]!.close();
    await expect.poll(() => a.sync.status(), WAIT).toMatchObject({ state: 'offline', live: false, lastError: { code: 'UNAVAILABLE' } });
    // Sign in again from the desk's memory of the last sign-in.
    a.session.signOut();
    expect(a.session.actor()).toBeNull();
    await expect(a.session.signIn('owner', 'wrong password')).rejects.toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.auth.invalidCredentials' });
    await expect(a.session.signIn('someone', PASSWORD)).rejects.toMatchObject({ code: 'UNAVAILABLE', key: 'errors.auth.offlineUnknown' });
    await expect(a.session.signIn('OWNER ', PASSWORD)).resolves.toMatchObject({ staffId: s.owner.staffId, checkedBy: 'desk' });
    // Work goes on offline and waits in the outbox.
    await a.replica.mutate('customer.create', { id: a.replica.newId(), name: 'Cai', phone: '+8613800000003', gender: 'unknown', notes: '', tags: [] }, s.owner);
    const st = await a.sync.syncNow();
    expect(st.state).toBe('offline');
    expect(st.pending).toBe(1);
    expect(st.offlineSince).not.toBeNull();
  });

  it.each(testDatabaseUrl() ? [1, 2] : [1])('keeps one of two bookings of a slot and puts the other in A’s conflict inbox (%i server instances)', async (instances) => {
    const s = await setup(instances as 1 | 2);
    // Desk A reaches its server through a relay on loopback: cutting it takes A alone offline.
    const link = await relay(s.servers[0]!.port);
    const a = await s.desk('A', { ...s.servers[0]!, url: link.url });
    const b = await s.desk('B', s.servers[instances - 1]!);
    await signedIn(a);
    await signedIn(b);
    const ids = await clinicOn(a, s);
    await expect.poll(() => count(b, 'customers'), WAIT).toBe(2);

    // A's line is cut: A books offline. B, online (through the other instance when there are two),
    // books the same slot.
    await link.cut();
    const nine = nineOClock();
    await a.replica.mutate('booking.create', { id: a.replica.newId(), serviceId: ids.consult, customerId: ids.ann, start: nine, resourceIds: [ids.li] }, s.owner);
    expect((await a.sync.syncNow()).state).toBe('offline');
    const kept = b.replica.newId();
    await b.replica.mutate('booking.create', { id: kept, serviceId: ids.consult, customerId: ids.bob, start: nine, resourceIds: [ids.li] }, s.owner);
    await expect.poll(async () => (await b.sync.syncNow()).pending, WAIT).toBe(0);
    link.restore();
    // A's line is back.
    await expect.poll(async () => (await a.sync.syncNow()).pending, WAIT).toBe(0);
    const server = await s.store.db.selectFrom('bookings').select(['id']).where('start_at', '=', nine).where('status', '!=', 'cancelled').execute();
    expect(server).toEqual([{ id: kept }]);
    await expect.poll(() => count(a, 'bookings WHERE start_at = ?', nine), WAIT).toBe(1);
    expect(count(a, 'bookings WHERE id = ?', kept)).toBe(1);
    const inbox = await conflictInbox(a.replica, s.owner, { now: Date.now() });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ name: 'booking.create', error: { code: 'CONFLICT' }, booking: { customerName: 'Ann', start: nine } });
    expect(inbox[0]!.alternatives.length).toBeGreaterThan(0);
    expect(a.sync.status().openConflicts).toBe(1);
  });
});
