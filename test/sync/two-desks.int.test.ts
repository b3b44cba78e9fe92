/**
 * The Sync issue's acceptance story, in process: two desks and the server (PGlite, and PostgreSQL
 * when TEST_DATABASE_URL is set). Desk A goes offline and books 09:00 with Dr. Li; desk B, online,
 * books the same slot; when A reconnects exactly one booking stands, on the server and on both
 * desks, and A's conflict inbox shows the rejected one with the reason and free alternatives.
 * Then hours of offline work (hundreds of mutations) sync without loss, and every replica equals
 * the server row for row.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { wallTimeToInstant } from '../../core/scheduling/zoned-time';
import { conflictInbox } from '../../electron/host/sync/conflicts';
import { TestStores, testBackends } from '../../server/store/testing';
import { openWorld, SH, type Desk, type World } from './harness';
import { digestDesk, digestServer } from './digest';

const stores = new TestStores();
afterAll(() => stores.dispose());

const DAY = '2026-11-24';
const at = (hhmm: string) => wallTimeToInstant(DAY, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), SH);

async function clinic(w: World, a: Desk) {
  const ids = { li: a.ids.newId(), wang: a.ids.newId(), room: a.ids.newId(), consult: a.ids.newId() };
  const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 8 * 60, end: 18 * 60 }));
  await a.mutate('site.updateSettings', { siteId: w.siteId, patch: { openingHours: week } });
  for (const [id, kind, name] of [
    [ids.li, 'practitioner', 'Dr. Li'],
    [ids.wang, 'practitioner', 'Dr. Wang'],
    [ids.room, 'room', 'Room 3'],
  ] as const) {
    await a.mutate('resource.create', { id, siteId: w.siteId, kind, name, schedule: { schedules: [{ ranges: week }] } });
  }
  await a.mutate('service.create', {
    id: ids.consult,
    siteId: w.siteId,
    name: 'Consultation',
    durationMinutes: 30,
    price: { amountMinor: 5000, currency: 'CNY' },
    resourceKinds: ['practitioner'],
  });
  return ids;
}

async function customer(d: Desk, name: string, phone: string): Promise<string> {
  const id = d.ids.newId();
  await d.mutate('customer.create', { id, name, phone, gender: 'unknown', notes: '', tags: [] });
  return id;
}

function activeBookingsAt(d: Desk, resourceId: string, start: number): number {
  return (
    d.replica.sqlite
      .prepare("SELECT count(*) AS n FROM bookings b JOIN booking_resources r ON r.booking_id = b.id WHERE r.resource_id = ? AND b.start_at = ? AND b.status NOT IN ('cancelled', 'noShow')")
      .get(resourceId, start) as { n: number }
  ).n;
}

describe.each(testBackends())('two desks and the server on %s', (backend) => {
  let w: World;
  afterEach(async () => {
    await w?.close();
  });

  it('keeps exactly one booking of a slot both desks took, and shows the loser in A’s conflict inbox with alternatives', async () => {
    w = await openWorld(stores, backend);
    const a = await w.addDesk('A');
    const b = await w.addDesk('B', { skewMs: -7 * 60_000 }); // B's clock is seven minutes slow
    await a.client.syncNow();
    await b.client.syncNow();
    const ids = await clinic(w, a);
    const ann = await customer(a, 'Ann', '+8613800000001');
    const bob = await customer(a, 'Bob', '+8613800000002');
    const st = await a.client.syncNow();
    expect(st.lastError, JSON.stringify(st.lastError)).toBeNull();
    expect(st.state).toBe('idle');
    await b.client.syncNow();
    expect(b.replica.sqlite.prepare('SELECT name FROM resources ORDER BY name').all()).toEqual([{ name: 'Dr. Li' }, { name: 'Dr. Wang' }, { name: 'Room 3' }]);

    // A is offline and books 09:00 with Dr. Li for Ann.
    a.net.up = false;
    const lost = a.ids.newId();
    await a.mutate('booking.create', { id: lost, serviceId: ids.consult, customerId: ann, start: at('09:00'), resourceIds: [ids.li] });
    const offline = await a.client.syncNow();
    expect(offline.state).toBe('offline');
    expect(offline.pending).toBe(1);
    expect(offline.lastError?.code).toBe('UNAVAILABLE');
    expect(activeBookingsAt(a, ids.li, at('09:00'))).toBe(1);

    // B, online, books the same slot for Bob.
    const kept = b.ids.newId();
    await b.mutate('booking.create', { id: kept, serviceId: ids.consult, customerId: bob, start: at('09:00'), resourceIds: [ids.li] });
    expect((await b.client.syncNow()).state).toBe('idle');

    // A reconnects.
    w.clock.advance(3 * 60_000);
    a.net.up = true;
    const back = await a.client.syncNow();
    expect(back.state).toBe('idle');
    expect(back.pending).toBe(0);
    await b.client.syncNow();

    const server = await w.store.db.selectFrom('bookings').select(['id', 'customer_id', 'status']).where('start_at', '=', at('09:00')).execute();
    expect(server).toEqual([{ id: kept, customer_id: bob, status: 'confirmed' }]);
    expect(activeBookingsAt(a, ids.li, at('09:00'))).toBe(1);
    expect(activeBookingsAt(b, ids.li, at('09:00'))).toBe(1);
    expect(a.replica.sqlite.prepare('SELECT id FROM bookings').all()).toEqual([{ id: kept }]);

    const inbox = await conflictInbox(a.replica, w.owner, { now: w.clock.now() });
    expect(inbox).toHaveLength(1);
    const c = inbox[0]!;
    expect(c.name).toBe('booking.create');
    expect(c.staffId).toBe(w.owner.staffId);
    expect(c.error.code).toBe('CONFLICT');
    expect(c.booking).toMatchObject({ customerName: 'Ann', serviceName: 'Consultation', start: at('09:00'), resourceNames: ['Dr. Li'] });
    expect(c.alternatives.length).toBeGreaterThan(0);
    for (const s of c.alternatives) expect(s.start === at('09:00') && s.resourceIds[0] === ids.li).toBe(false);
    // Dr. Li first, from the same morning.
    expect(c.alternatives[0]).toMatchObject({ start: at('09:30'), resourceIds: [ids.li] });

    expect(digestDesk(a.replica)).toEqual(await digestServer(w));
    expect(digestDesk(b.replica)).toEqual(await digestServer(w));
  });

  it('syncs hours of offline work, hundreds of mutations, without losing one', async () => {
    w = await openWorld(stores, backend);
    const a = await w.addDesk('A', { skewMs: 90_000 });
    const b = await w.addDesk('B');
    await a.client.syncNow();
    const ids = await clinic(w, a);
    await a.client.syncNow();
    await b.client.syncNow();

    a.net.up = false;
    const customers: string[] = [];
    for (let i = 0; i < 150; i++) {
      customers.push(await customer(a, `Customer ${i}`, `+86139${String(i).padStart(8, '0')}`));
      w.clock.advance(60_000); // one every minute: two and a half hours offline
    }
    // 120 bookings back to back over Dr. Li's and Dr. Wang's next days, all made offline.
    for (let i = 0; i < 120; i++) {
      const day = Math.floor(i / 40);
      const slot = i % 20;
      const start = wallTimeToInstant(`2026-11-${25 + day}`, 8 * 60 + slot * 30, SH);
      await a.mutate('booking.create', { id: a.ids.newId(), serviceId: ids.consult, customerId: customers[i]!, start, resourceIds: [i % 40 < 20 ? ids.li : ids.wang] });
    }
    expect((await a.client.syncNow()).pending).toBe(270);

    a.net.up = true;
    const done = await a.client.syncNow();
    expect(done).toMatchObject({ state: 'idle', pending: 0 });
    expect(a.replica.sqlite.prepare('SELECT count(*) AS n FROM sync_conflicts').get()).toEqual({ n: 0 });
    expect(await w.store.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).toEqual({ n: 150 });
    expect(await w.store.db.selectFrom('bookings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).toEqual({ n: 120 });
    await b.client.syncNow();
    const server = await digestServer(w);
    expect(digestDesk(a.replica)).toEqual(server);
    expect(digestDesk(b.replica)).toEqual(server);
  });
});
