/**
 * Minimal cases the sync simulation (simulation.int.test.ts) shrank its failures to, kept as plain
 * tests so that each names one rule. The first two were fixed (a resumed chunked pull pulls again;
 * only a complete pull acknowledges); the last two are known open defects, marked `it.fails` with
 * the fix they need. PGlite, and PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { wallTimeToInstant } from '../../core/scheduling/zoned-time';
import { handlePush } from '../../sync/server/push';
import { TestStores, testBackends } from '../../server/store/testing';
import { openWorld, SH, type Desk, type World } from './harness';
import { digestDesk, digestServer } from './digest';

const stores = new TestStores();
afterAll(() => stores.dispose());

async function customer(d: Desk, n: number): Promise<string> {
  const id = d.ids.newId();
  await d.mutate('customer.create', { id, name: `Customer ${n}`, phone: `+86139000000${String(n).padStart(2, '0')}`, gender: 'unknown', notes: '', tags: [] });
  return id;
}

const customerIds = (d: Desk) => (d.replica.sqlite.prepare('SELECT id FROM customers ORDER BY id').all() as { id: string }[]).map((r) => r.id);

const NINE = wallTimeToInstant('2026-11-24', 9 * 60, SH);

/** Dr. Li, a consultation with him, and Ann, made on desk `a`. */
async function clinic(w: World, a: Desk) {
  const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 8 * 60, end: 18 * 60 }));
  await a.mutate('site.updateSettings', { siteId: w.siteId, patch: { openingHours: week } });
  const li = a.ids.newId();
  await a.mutate('resource.create', { id: li, siteId: w.siteId, kind: 'practitioner', name: 'Dr. Li', schedule: { schedules: [{ ranges: week }] } });
  const consult = a.ids.newId();
  await a.mutate('service.create', { id: consult, siteId: w.siteId, name: 'Consultation', durationMinutes: 30, price: { amountMinor: 5000, currency: 'CNY' }, resourceKinds: ['practitioner'] });
  return { li, consult, ann: await customer(a, 1) };
}

/** Lets the first `n` pulls through and loses the reply to the next one (the server read it). */
function loseReplyToPull(d: Desk, n: number): void {
  let pulls = 0;
  d.net.fault = (kind) => (kind === 'pull' && ++pulls === n + 1 ? 'dropReply' : 'deliver');
}

describe.each(testBackends())('sync on %s', (backend) => {
  let w: World;
  afterEach(async () => {
    await w?.close();
  });

  it('leaves a desk up to date, its own new change included, after a sync that finished a cut-off chunked pull', async () => {
    w = await openWorld(stores, backend);
    const a = await w.addDesk('A', { pullLimit: 2 });
    const b = await w.addDesk('B');
    await a.client.syncNow();
    await b.client.syncNow();
    for (let i = 0; i < 5; i++) await customer(b, i);
    expect((await b.client.syncNow()).lastError).toBeNull();

    // A's pull comes in chunks of two rows; the reply to the second chunk is lost.
    loseReplyToPull(a, 1);
    expect((await a.client.syncNow()).lastError?.code).toBe('UNAVAILABLE');
    expect(a.sync.position().ceiling).not.toBeNull();
    a.net.fault = () => 'deliver';

    // A adds a customer and syncs: the push applies it above the old pull's ceiling, the resumed
    // pull acknowledges it but ends at that ceiling, and the rebase has taken it back.
    const mine = await customer(a, 50);
    const st = await a.client.syncNow();
    expect(st).toMatchObject({ state: 'idle', lastError: null, pending: 0 });
    expect(customerIds(a)).toContain(mine);
    expect(digestDesk(a.replica)).toEqual(await digestServer(w));
  });

  it('keeps showing a desk’s own change while the chunked pull that acknowledged it is cut off', async () => {
    w = await openWorld(stores, backend);
    const a = await w.addDesk('A', { pullLimit: 2 });
    const b = await w.addDesk('B');
    await a.client.syncNow();
    await b.client.syncNow();

    // A, offline, adds a customer; meanwhile B adds five.
    a.net.up = false;
    const mine = await customer(a, 50);
    for (let i = 0; i < 5; i++) await customer(b, i);
    expect((await b.client.syncNow()).lastError).toBeNull();

    // A reconnects: its push applies, the first chunk acknowledges it (B's rows come first), and
    // the reply to the second chunk is lost.
    a.net.up = true;
    loseReplyToPull(a, 1);
    const st = await a.client.syncNow();
    expect(st.lastError?.code).toBe('UNAVAILABLE');
    expect(customerIds(a)).toContain(mine);
  });

  // Known open defect (issue 4): the server corrects a desk's clock by the gap between a push's
  // sentAt and its arrival, so a push the network held back is judged at its arrival. Fix: correct by
  // the smallest gap seen from that client recently. `it.fails` until then: it fails the day the rule holds.
  it.fails('judges a booking as of when it was made, also when the network delivers its push late', async () => {
    w = await openWorld(stores, backend, { start: Date.UTC(2026, 10, 24, 0, 0, 0) }); // 08:00 in Shanghai
    const a = await w.addDesk('A');
    await a.client.syncNow();
    const { li, consult, ann } = await clinic(w, a);
    expect((await a.client.syncNow()).lastError).toBeNull();

    // At 08:50 A books 09:00; the network holds the push back and A gives up on it.
    w.clock.set(wallTimeToInstant('2026-11-24', 8 * 60 + 50, SH));
    const booking = a.ids.newId();
    await a.mutate('booking.create', { id: booking, serviceId: consult, customerId: ann, start: NINE, resourceIds: [li] });
    a.net.fault = () => 'delay';
    expect((await a.client.syncNow()).lastError?.code).toBe('UNAVAILABLE');
    a.net.fault = () => 'deliver';

    // At 09:05 the held-back push arrives: the booking was made at 08:50, in time.
    w.clock.set(wallTimeToInstant('2026-11-24', 9 * 60 + 5, SH));
    const [late] = a.net.stale.splice(0);
    const res = await handlePush(w.deps, late!.device, late!.req);
    expect(res.results).toEqual([{ id: late!.req.mutations[0]!.id, outcome: 'applied' }]);
  });

  // Known open design gap (issue 4): ARCHITECTURE.md says facts (check-ins) are never rejected and
  // anomalies are flagged instead; booking.transition to arrived is still refused after a cancel
  // made elsewhere. Needs an append-only check-in mutator. `it.fails` until then.
  it.fails('never rejects a check-in, a fact from the front desk, even when another desk cancelled the booking meanwhile', async () => {
    w = await openWorld(stores, backend);
    const a = await w.addDesk('A');
    const b = await w.addDesk('B');
    await a.client.syncNow();
    await b.client.syncNow();
    const { li, consult, ann } = await clinic(w, a);
    const booking = a.ids.newId();
    await a.mutate('booking.create', { id: booking, serviceId: consult, customerId: ann, start: NINE, resourceIds: [li] });
    await a.client.syncNow();
    await b.client.syncNow();

    // B cancels the booking; A, offline, checks the customer in: she is standing at A's desk.
    a.net.up = false;
    await b.mutate('booking.transition', { id: booking, to: 'cancelled', cancelledBy: 'staff', reason: 'Doctor ill' });
    await b.client.syncNow();
    await a.mutate('booking.transition', { id: booking, to: 'arrived' });
    a.net.up = true;
    expect((await a.client.syncNow()).lastError).toBeNull();

    const log = await w.store.db.selectFrom('mutation_log').select(['outcome', 'error']).where('client_id', '=', a.replica.clientId).where('name', '=', 'booking.transition').executeTakeFirstOrThrow();
    expect(log.outcome, `the server rejected the check-in: ${log.error}`).toBe('applied');
    const arrivals = await w.store.db.selectFrom('booking_events').select('id').where('booking_id', '=', booking).where('to_status', '=', 'arrived').execute();
    expect(arrivals).toHaveLength(1);
  });
});
