/**
 * The cloud server over real loopback HTTP and WebSocket, on PGlite and (with TEST_DATABASE_URL)
 * PostgreSQL: desks enroll with one-time codes, push and pull through the sync endpoint, hear
 * pokes, are cut off when revoked, never see or touch another organization's rows, and cannot
 * do what their staff's role does not allow.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { MAX_BODY_BYTES } from '../sync/protocol';
import { startServer } from './app';
import { createEnrollmentCode, listDevices, revokeDevice } from './admin/devices';
import { createStaff } from './admin/staff';
import { TestStores, testBackends } from './store/testing';
import {
  PASSWORD,
  apiClient,
  customerArgs,
  enrollDesk,
  pullOf,
  pushOf,
  refused,
  seedOrg,
  startTestServer,
  type Closer,
  type TestServer,
} from './testing';

const stores = new TestStores();
afterAll(() => stores.dispose());

describe.each(testBackends())('server on %s', (backend) => {
  let t: TestServer;
  const closers: Closer[] = [];

  beforeAll(async () => {
    t = await startTestServer(await stores.open(backend));
  });
  afterEach(() => {
    for (const c of closers.splice(0)) c.close();
  });
  afterAll(async () => {
    await t.server.close();
    await stores.close(t.store);
  });

  describe('enrollment', () => {
    it('trades a code for a device once; a second use and an expired code are refused', async () => {
      const org = await seedOrg(t.admin, `Enroll ${randomUUID()}`);
      const { code, expiresAt } = await createEnrollmentCode(t.admin, { organizationId: org.organizationId, name: 'Desk 1', siteIds: null, createdBy: 'test' });
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
      expect(expiresAt).toBe(t.clock.now() + 24 * 3600_000);

      const api = apiClient(t.url);
      // Typed the way people type: lower case, without the dash.
      const enrolled = await api.enroll.mutate({ code: code.toLowerCase().replace('-', ' ') });
      expect(enrolled).toMatchObject({ organizationId: org.organizationId, siteIds: org.siteIds });
      expect(enrolled.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

      expect(await refused(api.enroll.mutate({ code }))).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.enroll.codeUsed', httpStatus: 401 });

      const short = await createEnrollmentCode(t.admin, { organizationId: org.organizationId, name: 'Desk 2', siteIds: [org.siteIds[1]!], createdBy: 'test', ttlMs: 60_000 });
      t.clock.advance(61_000);
      expect(await refused(api.enroll.mutate({ code: short.code }))).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.enroll.codeExpired' });
      expect(await refused(api.enroll.mutate({ code: 'AAAAA-AAAAA' }))).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.enroll.codeUnknown' });
      expect(await refused(api.enroll.mutate({ code: 'O0I1L' }))).toMatchObject({
        code: 'INVALID',
        key: 'errors.enroll.codeFormat',
        issues: [{ path: ['code'], key: 'errors.enroll.codeFormat' }],
      });

      const devices = await listDevices(t.admin, { organizationId: org.organizationId });
      expect(devices).toEqual([expect.objectContaining({ id: enrolled.deviceId, name: 'Desk 1', siteIds: org.siteIds, revokedAt: null })]);
    });
  });

  describe('staff on a desk', () => {
    it('signs in staff of the device organization only, and lists them without password hashes', async () => {
      const aName = `Login A ${randomUUID()}`;
      const a = await seedOrg(t.admin, aName);
      const b = await seedOrg(t.admin, `Login B ${randomUUID()}`);
      await createStaff(t.admin, { organizationId: a.organizationId, name: 'Zhang Min', login: 'Zhang.Min', password: PASSWORD, role: 'front_desk', siteId: a.siteIds[0] });
      const desk = await enrollDesk(t, a.organizationId, closers);
      const api = apiClient(t.url, desk.token);

      const me = await api.login.mutate({ login: '  zhang.min ', password: PASSWORD });
      expect(me).toMatchObject({ name: 'Zhang Min', role: 'front_desk', siteId: a.siteIds[0], organizationId: a.organizationId });

      const wrong = await refused(api.login.mutate({ login: 'zhang.min', password: 'not the password' }));
      const unknown = await refused(api.login.mutate({ login: 'nobody', password: PASSWORD }));
      expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.auth.invalidCredentials' });
      expect(unknown).toEqual(wrong);
      // Org B has an `owner` login with this very password: not on org A's desk.
      expect(await refused(api.login.mutate({ login: 'owner', password: 'wrong password' }))).toEqual(wrong);
      const bOwnerHere = await api.login.mutate({ login: 'owner', password: PASSWORD });
      expect(bOwnerHere.staffId).toBe(a.ownerStaffId);
      expect(bOwnerHere.staffId).not.toBe(b.ownerStaffId);

      const directory = await api.staff.directory.query();
      expect(directory.map((s) => s.name).sort()).toEqual([`${aName} owner`, 'Zhang Min'].sort());
      expect(JSON.stringify(directory)).not.toContain('argon2');
      expect(Object.keys(directory[0]!).sort()).toEqual(['id', 'name', 'role', 'siteId']);

      expect(await refused(apiClient(t.url).staff.directory.query())).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.sync.deviceToken' });
      expect(await refused(apiClient(t.url, 'x'.repeat(43)).login.mutate({ login: 'owner', password: PASSWORD }))).toMatchObject({ code: 'UNAUTHORIZED' });
    });
  });

  describe('sync', () => {
    it('applies a pushed customer.create by the owner and pulls it back from cookie 0', async () => {
      const org = await seedOrg(t.admin, `Push ${randomUUID()}`);
      const desk = await enrollDesk(t, org.organizationId, closers);
      const args = customerArgs('王芳', '13812345678');
      const res = await desk.sync.push.mutate(pushOf(desk, t.clock, [{ name: 'customer.create', args, staffId: org.ownerStaffId }]));
      expect(res).toEqual({ lastMutationId: 1, results: [{ id: 1, outcome: 'applied' }] });

      const pull = await desk.sync.pull.mutate(pullOf(desk, 0));
      expect(pull.more).toBe(false);
      expect(pull.lastMutationId).toBe(1);
      expect(pull.cookie).toBe(await t.store.orgVersion(org.organizationId));
      const customers = pull.tables.customers!;
      const row = Object.fromEntries(customers.columns.map((c, i) => [c, customers.rows[0]![i]]));
      expect(row).toMatchObject({ id: args.id, name: '王芳', phone: '+8613812345678', organization_id: org.organizationId, created_by: org.ownerStaffId });
      expect(pull.tables.organizations!.rows).toHaveLength(1);
      expect(pull.tables.sites!.rows).toHaveLength(2);

      // Sent again (the reply was lost): answered from the log, not applied twice.
      desk.nextId = 1;
      const again = await desk.sync.push.mutate(pushOf(desk, t.clock, [{ name: 'customer.create', args, staffId: org.ownerStaffId }]));
      expect(again).toEqual({ lastMutationId: 1, results: [{ id: 1, outcome: 'applied' }] });
      const after = await desk.sync.pull.mutate(pullOf(desk, pull.cookie));
      expect(after.tables).toEqual({});
    });

    it('sends a first sync in chunks below one ceiling, and only the sites the desk serves', async () => {
      const org = await seedOrg(t.admin, `Chunks ${randomUUID()}`);
      const [clinic, gym] = org.siteIds as [string, string];
      const everywhere = await enrollDesk(t, org.organizationId, closers);
      const clinicDesk = await enrollDesk(t, org.organizationId, closers, [clinic]);
      const customers = Array.from({ length: 5 }, (_, i) => customerArgs(`客户${i}`, `1380000000${i}`));
      const clinicDept = randomUUID();
      const res = await everywhere.sync.push.mutate(
        pushOf(everywhere, t.clock, [
          ...customers.map((args) => ({ name: 'customer.create', args, staffId: org.ownerStaffId })),
          { name: 'department.create', args: { id: clinicDept, siteId: clinic, name: 'Dental' }, staffId: org.ownerStaffId },
          { name: 'department.create', args: { id: randomUUID(), siteId: gym, name: 'Weights' }, staffId: org.ownerStaffId },
        ]),
      );
      expect(res.results.every((r) => r.outcome === 'applied')).toBe(true);
      const latest = await t.store.orgVersion(org.organizationId);

      // The clinic desk: 1 organization + 1 site + 5 customers + 1 department, 3 rows a chunk.
      const seen: Record<string, unknown[]> = {};
      let req = { ...pullOf(clinicDesk, 0), limit: 3, ceiling: null as number | null, after: null as unknown };
      const chunks = [];
      for (;;) {
        const chunk = await clinicDesk.sync.pull.mutate(req as never);
        chunks.push(chunk);
        for (const [table, set] of Object.entries(chunk.tables)) (seen[table] ??= []).push(...set.rows.map((r) => r[set.columns.indexOf('id')]));
        if (!chunk.more) break;
        expect(chunk.cookie).toBe(0);
        req = { ...req, ceiling: chunk.ceiling, after: chunk.after };
      }
      expect(chunks.map((c) => c.total)).toEqual([8, null, null]);
      expect(chunks.every((c) => c.ceiling === latest)).toBe(true);
      expect(chunks.at(-1)!.cookie).toBe(latest);
      expect(seen).toEqual({
        organizations: [org.organizationId],
        sites: [clinic],
        customers: expect.arrayContaining(customers.map((c) => c.id)),
        departments: [clinicDept],
      });
      expect(seen.customers).toHaveLength(5);
    });

    it('sends a deleted row as a deletion, to the desks of its site only', async () => {
      const org = await seedOrg(t.admin, `Tombstones ${randomUUID()}`);
      const [clinic, gym] = org.siteIds as [string, string];
      const clinicDesk = await enrollDesk(t, org.organizationId, closers, [clinic]);
      const gymDesk = await enrollDesk(t, org.organizationId, closers, [gym]);
      const closure = randomUUID();
      const start = t.clock.now() + 3600_000;
      await clinicDesk.sync.push.mutate(
        pushOf(clinicDesk, t.clock, [{ name: 'site.closeNow', args: { id: closure, siteId: clinic, start, end: start + 3600_000, reason: 'Burst pipe' }, staffId: org.ownerStaffId }]),
      );
      const clinicCookie = (await clinicDesk.sync.pull.mutate(pullOf(clinicDesk, 0))).cookie;
      const gymCookie = (await gymDesk.sync.pull.mutate(pullOf(gymDesk, 0))).cookie;
      const reopened = await clinicDesk.sync.push.mutate(pushOf(clinicDesk, t.clock, [{ name: 'site.reopen', args: { id: closure }, staffId: org.ownerStaffId }]));
      expect(reopened.results[0]!.outcome).toBe('applied');

      const clinicPull = await clinicDesk.sync.pull.mutate(pullOf(clinicDesk, clinicCookie));
      expect(clinicPull.deletes).toEqual({ site_closures: [closure] });
      const gymPull = await gymDesk.sync.pull.mutate(pullOf(gymDesk, gymCookie));
      expect(gymPull.deletes).toEqual({});
      expect(gymPull.cookie).toBe(clinicPull.cookie);
    });

    it('pokes the other desks of the organization over WebSocket after a push', async () => {
      const org = await seedOrg(t.admin, `Poke ${randomUUID()}`);
      const other = await seedOrg(t.admin, `Poke other ${randomUUID()}`);
      const pusher = await enrollDesk(t, org.organizationId, closers);
      const listener = await enrollDesk(t, org.organizationId, closers);
      const stranger = await enrollDesk(t, other.organizationId, closers);

      const heard: number[] = [];
      const strangerHeard: number[] = [];
      await Promise.all([
        subscribed(listener, (v) => heard.push(v)),
        subscribed(stranger, (v) => strangerHeard.push(v)),
      ]);
      await pusher.sync.push.mutate(pushOf(pusher, t.clock, [{ name: 'customer.create', args: customerArgs('李雷', '13912345678'), staffId: org.ownerStaffId }]));
      const version = await t.store.orgVersion(org.organizationId);
      await expect.poll(() => heard, { timeout: 5000 }).toContain(version);
      expect(strangerHeard).toEqual([]);
    });

    it('pokes again after a gap in notifications (the LISTEN connection came back)', async () => {
      let gap: (() => void) | undefined;
      // The same store, with its LISTEN observed: the gap callback is what a reconnection calls.
      const observed = Object.create(t.store, {
        listen: { value: (channel: string, onNotify: (p: string) => void, onGap?: () => void) => ((gap = onGap), t.store.listen(channel, onNotify, onGap)) },
      }) as typeof t.store;
      const other = await startTestServer(observed, t.clock);
      try {
        const org = await seedOrg(t.admin, `Gap ${randomUUID()}`);
        const desk = await enrollDesk(other, org.organizationId, closers);
        const heard: number[] = [];
        await subscribed(desk, (v) => heard.push(v));
        expect(gap).toBeDefined();
        gap!();
        const version = await t.store.orgVersion(org.organizationId);
        await expect.poll(() => heard, { timeout: 5000 }).toEqual([version]);
      } finally {
        await other.server.close();
      }
    });

    it('pings WebSocket connections and drops one that stops answering', async () => {
      const quick = await startServer({ store: t.store, port: 0, keepAlive: { pingMs: 100, pongWaitMs: 200 } });
      try {
        const socket = new WebSocket(quick.url.replace(/^http/, 'ws') + '/sync');
        const pings: string[] = [];
        socket.on('message', (m: Buffer) => pings.push(m.toString()));
        const closed = new Promise<number>((resolve) => socket.on('close', (code: number) => resolve(code)));
        // Never answers PONG, like a desk whose network went away.
        await expect.poll(() => pings, { timeout: 2000 }).toContain('PING');
        await closed;
      } finally {
        await quick.close();
      }
    });

    it.runIf(backend === 'postgres')('pokes a desk connected to another instance (LISTEN/NOTIFY across servers)', async () => {
      const storeB = await stores.open('postgres', { schema: t.store.schema!, dropSchemaOnClose: false });
      const b = await startTestServer(storeB, t.clock);
      try {
        const org = await seedOrg(t.admin, `Scale ${randomUUID()}`);
        const onA = await enrollDesk(t, org.organizationId, closers);
        const onB = await enrollDesk(b, org.organizationId, closers);
        const heardOnB: number[] = [];
        await subscribed(onB, (v) => heardOnB.push(v));
        await onA.sync.push.mutate(pushOf(onA, t.clock, [{ name: 'customer.create', args: customerArgs('张伟', '13812345670'), staffId: org.ownerStaffId }]));
        const version = await t.store.orgVersion(org.organizationId);
        await expect.poll(() => heardOnB, { timeout: 5000 }).toContain(version);
        // And B serves the change it was poked about.
        const pull = await onB.sync.pull.mutate(pullOf(onB, 0));
        expect(pull.cookie).toBe(version);
        expect(pull.tables.customers!.rows).toHaveLength(1);
      } finally {
        await b.server.close();
        await stores.close(storeB);
      }
    });

    function subscribed(desk: Awaited<ReturnType<typeof enrollDesk>>, onVersion: (v: number) => void): Promise<void> {
      return new Promise((resolve, reject) => {
        const sub = desk.sync.onPoke.subscribe(undefined, {
          onStarted: () => resolve(),
          onData: (d) => onVersion(d.version),
          onError: reject,
        });
        closers.push({ close: () => sub.unsubscribe() });
      });
    }

    it('cuts a revoked device off at its next push and pull', async () => {
      const org = await seedOrg(t.admin, `Revoke ${randomUUID()}`);
      const desk = await enrollDesk(t, org.organizationId, closers);
      await desk.sync.push.mutate(pushOf(desk, t.clock, [{ name: 'customer.create', args: customerArgs('韩梅梅', '13712345678'), staffId: org.ownerStaffId }]));
      const before = await t.store.orgVersion(org.organizationId);

      await revokeDevice(t.admin, { organizationId: org.organizationId, deviceId: desk.deviceId });
      const push = await refused(desk.sync.push.mutate(pushOf(desk, t.clock, [{ name: 'customer.create', args: customerArgs('Lucy', '13612345678'), staffId: org.ownerStaffId }])));
      expect(push).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.sync.deviceToken', httpStatus: 401 });
      expect(await refused(desk.sync.pull.mutate(pullOf(desk, 0)))).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.sync.deviceToken' });
      expect(await refused(apiClient(t.url, desk.token).staff.directory.query())).toMatchObject({ code: 'UNAUTHORIZED' });
      const sub = await new Promise<unknown>((resolve) => {
        desk.sync.onPoke.subscribe(undefined, { onError: resolve, onData: () => resolve(new Error('got a poke')) });
      });
      expect(sub).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
      expect(await t.store.orgVersion(org.organizationId)).toBe(before);
      expect((await listDevices(t.admin, { organizationId: org.organizationId }))[0]!.revokedAt).toBe(t.clock.now());
    });
  });

  describe('organization isolation and permissions', () => {
    it("never lets org A's desk read or write org B's rows", async () => {
      const a = await seedOrg(t.admin, `Iso A ${randomUUID()}`);
      const b = await seedOrg(t.admin, `Iso B ${randomUUID()}`);
      const deskA = await enrollDesk(t, a.organizationId, closers);
      const deskB = await enrollDesk(t, b.organizationId, closers);
      const bCustomer = customerArgs('B 客户', '13512345678');
      await deskB.sync.push.mutate(pushOf(deskB, t.clock, [{ name: 'customer.create', args: bCustomer, staffId: b.ownerStaffId }]));
      const bVersion = await t.store.orgVersion(b.organizationId);

      const pullA = await deskA.sync.pull.mutate(pullOf(deskA, 0));
      const everything = JSON.stringify(pullA);
      expect(everything).not.toContain(b.organizationId);
      expect(everything).not.toContain(bCustomer.id);

      const res = await deskA.sync.push.mutate(
        pushOf(deskA, t.clock, [
          { name: 'customer.update', args: { id: bCustomer.id, patch: { name: 'Taken over' } }, staffId: a.ownerStaffId },
          { name: 'customer.setBlacklist', args: { id: bCustomer.id, blacklisted: true, reason: 'x' }, staffId: a.ownerStaffId },
          { name: 'department.create', args: { id: randomUUID(), siteId: b.siteIds[0], name: 'Intrusion' }, staffId: a.ownerStaffId },
          // Org B's owner, named by org A's desk: not a member of staff of A.
          { name: 'customer.create', args: customerArgs('冒名', '13412345678'), staffId: b.ownerStaffId },
        ]),
      );
      expect(res.lastMutationId).toBe(4);
      for (const r of res.results) expect(r.outcome).toBe('rejected');
      expect(res.results.map((r) => (r.outcome === 'rejected' ? r.error.key : r.outcome))).toEqual([
        'errors.customer.notFound',
        'errors.customer.notFound',
        'errors.site.notFound',
        'errors.sync.staffUnknown',
      ]);
      expect(res.results.slice(0, 3)).toEqual(res.results.slice(0, 3).map((r) => ({ ...r, error: expect.objectContaining({ code: 'NOT_FOUND' }) })));
      expect(res.results[3]).toMatchObject({ error: { code: 'FORBIDDEN', key: 'errors.sync.staffUnknown' } });

      expect(await t.store.orgVersion(b.organizationId)).toBe(bVersion);
      const pullB = await deskB.sync.pull.mutate(pullOf(deskB, 0));
      const customers = pullB.tables.customers!;
      expect(customers.rows).toHaveLength(1);
      expect(customers.rows[0]![customers.columns.indexOf('name')]).toBe('B 客户');
      expect(customers.rows[0]![customers.columns.indexOf('blacklisted')]).toBe(0);
      expect(pullB.tables.departments).toBeUndefined();
    });

    it("rejects a front-desk member's push of an admin's change, and applies nothing", async () => {
      const org = await seedOrg(t.admin, `Perm ${randomUUID()}`);
      const { staffId } = await createStaff(t.admin, { organizationId: org.organizationId, name: 'Wang Li', login: 'wangli', password: PASSWORD, role: 'front_desk', siteId: org.siteIds[0] });
      const desk = await enrollDesk(t, org.organizationId, closers);
      const before = await t.store.orgVersion(org.organizationId);
      const departmentId = randomUUID();
      const res = await desk.sync.push.mutate(
        pushOf(desk, t.clock, [
          { name: 'department.create', args: { id: departmentId, siteId: org.siteIds[0], name: 'Dental' }, staffId },
          { name: 'service.create', args: serviceArgs(org.siteIds[0]!), staffId },
        ]),
      );
      expect(res.results).toEqual([
        { id: 1, outcome: 'rejected', error: expect.objectContaining({ code: 'FORBIDDEN', key: 'errors.forbidden' }) },
        { id: 2, outcome: 'rejected', error: expect.objectContaining({ code: 'FORBIDDEN', key: 'errors.forbidden' }) },
      ]);
      expect(await t.store.orgVersion(org.organizationId)).toBe(before);
      const pull = await desk.sync.pull.mutate({ ...pullOf(desk, 0), pendingFrom: 1 });
      expect(pull.tables.services).toBeUndefined();
      expect(pull.tables.departments).toBeUndefined();
      expect(pull.rejections.map((r) => [r.mutationId, r.error.code])).toEqual([
        [1, 'FORBIDDEN'],
        [2, 'FORBIDDEN'],
      ]);
    });
  });

  describe('hostile and broken requests', () => {
    it('refuses each with its typed error, applies nothing, and keeps serving other desks', async () => {
      const a = await seedOrg(t.admin, `Hostile A ${randomUUID()}`);
      const b = await seedOrg(t.admin, `Hostile B ${randomUUID()}`);
      const victim = await enrollDesk(t, a.organizationId, closers);
      const attacker = await enrollDesk(t, a.organizationId, closers);
      const foreign = await enrollDesk(t, b.organizationId, closers);
      const bystander = await enrollDesk(t, a.organizationId, closers);
      await victim.sync.push.mutate(pushOf(victim, t.clock, [{ name: 'customer.create', args: customerArgs('甲', '13812340001'), staffId: a.ownerStaffId }]));
      const versionA = await t.store.orgVersion(a.organizationId);
      const versionB = await t.store.orgVersion(b.organizationId);
      let phone = 13812340010;
      const stillServing = async () => {
        const r = await bystander.sync.push.mutate(
          pushOf(bystander, t.clock, [{ name: 'customer.create', args: customerArgs('路人', String(phone++)), staffId: a.ownerStaffId }]),
        );
        expect(r.results[0]!.outcome).toBe('applied');
        return t.store.orgVersion(a.organizationId);
      };

      // A malformed push: no mutations, a client id that is not one.
      const malformed = await refused(attacker.sync.push.mutate({ protocolVersion: 1, schemaVersion: 1, clientId: 'nope', sentAt: 0, mutations: [] } as never));
      expect(malformed).toMatchObject({ code: 'INVALID', key: 'errors.invalidInput', httpStatus: 400 });
      expect(malformed.issues).toEqual(expect.arrayContaining([{ path: ['clientId'], key: 'errors.sync.clientId' }]));
      expect(await t.store.orgVersion(a.organizationId)).toBe(versionA);
      let v = await stillServing();

      // A body above the limit: 413 before any work, in tRPC's error format.
      const big = await rawPost(`${t.url}/sync/push`, attacker.token, MAX_BODY_BYTES + 1024);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body)).toMatchObject({ error: { data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, appError: { code: 'INVALID', key: 'errors.request.tooLarge' } } } });
      expect(await t.store.orgVersion(a.organizationId)).toBe(v);
      v = await stillServing();

      // A body that is not JSON.
      const garbage = await rawPost(`${t.url}/sync/push`, attacker.token, 0, '{"json":');
      expect(garbage.status).toBe(400);
      expect(JSON.parse(garbage.body)).toMatchObject({ error: { data: { appError: { code: 'INVALID' } } } });

      // An unknown mutator: rejected with its reason, the outbox moves on.
      const unknown = await attacker.sync.push.mutate(pushOf(attacker, t.clock, [{ name: 'customer.obliterate', args: {}, staffId: a.ownerStaffId }]));
      expect(unknown.results).toEqual([{ id: 1, outcome: 'rejected', error: { code: 'INVALID', key: 'errors.sync.unknownMutator', params: { name: 'customer.obliterate', version: 1 } } }]);
      expect(await t.store.orgVersion(a.organizationId)).toBe(v);
      v = await stillServing();

      // organization.setup is the server's own: a desk may not push it.
      const setup = await attacker.sync.push.mutate(
        pushOf(attacker, t.clock, [{ name: 'organization.setup', args: { id: a.organizationId, name: 'X', defaultCountry: 'CN', sites: [] }, staffId: a.ownerStaffId }]),
      );
      expect(setup.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'FORBIDDEN' } });

      // A forged client id: the victim's, from another device of the same organization…
      const forged = { ...attacker, clientId: victim.clientId, nextId: 2 };
      const stolen = await refused(forged.sync.push.mutate(pushOf(forged, t.clock, [{ name: 'customer.create', args: customerArgs('乙', '13812349999'), staffId: a.ownerStaffId }])));
      expect(stolen).toMatchObject({ code: 'FORBIDDEN', key: 'errors.sync.clientForeign', httpStatus: 403 });
      expect(await refused(forged.sync.pull.mutate(pullOf(forged, 0)))).toMatchObject({ code: 'FORBIDDEN', key: 'errors.sync.clientForeign' });
      // …and from a device of another organization, whose token names org B.
      const crossOrg = { ...foreign, clientId: victim.clientId, nextId: 2 };
      expect(await refused(crossOrg.sync.push.mutate(pushOf(crossOrg, t.clock, [{ name: 'customer.create', args: customerArgs('丙', '13812348888'), staffId: a.ownerStaffId }])))).toMatchObject({
        code: 'FORBIDDEN',
        key: 'errors.sync.clientForeign',
      });
      expect(await refused(crossOrg.sync.pull.mutate(pullOf(crossOrg, 0)))).toMatchObject({ code: 'FORBIDDEN', key: 'errors.sync.clientForeign' });
      expect(await t.store.orgVersion(a.organizationId)).toBe(v);
      expect(await t.store.orgVersion(b.organizationId)).toBe(versionB);
      v = await stillServing();

      // A cookie from the future.
      expect(await refused(attacker.sync.pull.mutate(pullOf(attacker, v + 1000)))).toMatchObject({ code: 'INVALID', key: 'errors.sync.cookieFromFuture' });
      // A made-up token.
      expect(await refused(apiClient(t.url, 'A'.repeat(43)).staff.directory.query())).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.sync.deviceToken' });
      // A desk too new for this server.
      expect(await refused(attacker.sync.pull.mutate({ ...pullOf(attacker, 0), protocolVersion: 99 }))).toMatchObject({ code: 'UPGRADE_REQUIRED', key: 'errors.sync.serverTooOld' });

      await stillServing();
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', store: backend });
    });
  });
});

function serviceArgs(siteId: string) {
  return {
    id: randomUUID(),
    siteId,
    departmentId: null,
    category: 'General',
    name: 'Consultation',
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    price: { amountMinor: 5000, currency: 'CNY' },
    seats: 1,
    resourceKinds: ['doctor'],
    minNoticeMinutes: 0,
    maxAdvanceDays: 30,
    colour: '#1677FF',
    active: true,
  };
}

/** A POST with a body of `size` bytes (or the given text), read back whatever the server answers. */
function rawPost(url: string, token: string, size: number, text?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const body = text !== undefined ? Buffer.from(text) : Buffer.alloc(size, 0x20);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` } },
      (res) => {
        let out = '';
        res.on('data', (d: Buffer) => (out += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
      },
    );
    // The server may answer 413 and close before the whole body is written.
    req.on('error', reject);
    req.end(body);
  });
}
