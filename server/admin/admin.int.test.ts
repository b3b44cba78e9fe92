/**
 * Administration on a real store: input checked with localized field issues, duplicates refused,
 * the owner and the organization made together, staff scoped to the organization, enrollment codes
 * single-use even when two desks race, revocation and last-seen bookkeeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { ManualClock } from '../../core/clock';
import { AppError } from '../../core/errors';
import { createIdSource } from '../../core/ids';
import { LAST_SEEN_EVERY_MS, enrollDevice, resolveDevice } from '../auth/devices';
import { staffDirectory, staffLogin } from '../auth/staff-auth';
import type { Store } from '../store/store';
import { TestStores, testBackends } from '../store/testing';
import { PASSWORD, T0, seedOrg } from '../testing';
import { createEnrollmentCode, listDevices, revokeDevice } from './devices';
import { createOrganization, listOrganizations, type AdminDeps } from './organizations';
import { createStaff, setStaffActive } from './staff';

const stores = new TestStores();
afterAll(() => stores.dispose());

async function refusal(call: Promise<unknown>): Promise<AppError> {
  const e = await call.then(
    () => new Error('expected a refusal'),
    (err: unknown) => err,
  );
  if (!AppError.is(e)) throw e;
  return e;
}

describe.each(testBackends())('administration on %s', (backend) => {
  let store: Store;
  let admin: AdminDeps;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    store = await stores.open(backend);
    admin = { store, clock, ids: createIdSource(clock, (n) => randomBytes(n)) };
  });

  it('creates an organization with its sites and owner in one version, and refuses bad input field by field', async () => {
    const name = `Sunrise ${randomUUID()}`;
    const org = await createOrganization(admin, {
      name,
      defaultCountry: 'cn',
      sites: [{ name: 'Downtown', kind: 'clinic', timeZone: 'Asia/Shanghai' }],
      owner: { name: 'Li Wei', login: 'LiWei', password: PASSWORD },
    });
    expect(org.version).toBe(await store.orgVersion(org.organizationId));
    const owner = await store.db.selectFrom('staff').selectAll().where('id', '=', org.ownerStaffId).executeTakeFirstOrThrow();
    expect(owner).toMatchObject({ organization_id: org.organizationId, login: 'liwei', role: 'owner', site_id: null, active: 1, row_version: org.version });
    expect(owner.password_hash).toMatch(/^\$argon2id\$/);
    const listed = (await listOrganizations(admin)).find((o) => o.id === org.organizationId);
    expect(listed).toEqual({ id: org.organizationId, name, defaultCountry: 'CN', sites: [{ id: org.siteIds[0], name: 'Downtown', kind: 'clinic', timeZone: 'Asia/Shanghai' }] });

    const again = await refusal(createOrganization(admin, { name: name.toUpperCase(), defaultCountry: 'CN', sites: [{ name: 'X', kind: 'gym', timeZone: 'Asia/Shanghai' }], owner: { name: 'A', login: 'a', password: PASSWORD } }));
    expect(again).toMatchObject({ code: 'CONFLICT', key: 'errors.organization.exists' });

    const bad = await refusal(
      createOrganization(admin, {
        name: '',
        defaultCountry: 'China',
        sites: [{ name: 'Gym', kind: 'spa', timeZone: 'Mars/Olympus' }],
        owner: { name: 'A', login: 'has space', password: 'short' },
      }),
    );
    expect(bad.code).toBe('INVALID');
    expect(bad.issues).toEqual(
      expect.arrayContaining([
        { path: ['name'], key: 'errors.name.required' },
        { path: ['defaultCountry'], key: 'errors.country.invalid' },
        { path: ['sites', 0, 'kind'], key: 'errors.site.kind' },
        { path: ['sites', 0, 'timeZone'], key: 'errors.timeZone.unknown' },
        { path: ['owner', 'login'], key: 'errors.auth.loginInvalid' },
        { path: ['owner', 'password'], key: 'errors.auth.passwordTooShort' },
      ]),
    );
    expect(await refusal(createOrganization(admin, { name: 'No sites', defaultCountry: 'CN', sites: [], owner: { name: 'A', login: 'a', password: PASSWORD } }))).toMatchObject({
      issues: [{ path: ['sites'], key: 'errors.site.required' }],
    });
  });

  it('adds staff to one organization only: logins unique per organization, sites of that organization', async () => {
    const a = await seedOrg(admin, `Staff A ${randomUUID()}`);
    const b = await seedOrg(admin, `Staff B ${randomUUID()}`);
    const { staffId } = await createStaff(admin, { organizationId: a.organizationId, name: 'Zhou', login: 'zhou', password: PASSWORD, role: 'provider', siteId: a.siteIds[1] });
    // The same login in another organization is another person.
    await createStaff(admin, { organizationId: b.organizationId, name: 'Zhou', login: 'zhou', password: PASSWORD, role: 'provider' });

    expect(await refusal(createStaff(admin, { organizationId: a.organizationId, name: 'Zhou 2', login: ' ZHOU ', password: PASSWORD, role: 'provider' }))).toMatchObject({
      code: 'CONFLICT',
      key: 'errors.staff.loginTaken',
      issues: [{ path: ['login'], key: 'errors.staff.loginTaken', params: { login: 'zhou' } }],
    });
    expect(await refusal(createStaff(admin, { organizationId: a.organizationId, name: 'X', login: 'x', password: PASSWORD, role: 'provider', siteId: b.siteIds[0] }))).toMatchObject({
      code: 'NOT_FOUND',
      key: 'errors.site.notFound',
      issues: [{ path: ['siteId'], key: 'errors.site.notFound' }],
    });
    expect(await refusal(createStaff(admin, { organizationId: randomUUID(), name: 'X', login: 'x', password: PASSWORD, role: 'provider' }))).toMatchObject({
      code: 'NOT_FOUND',
      key: 'errors.organization.notFound',
    });
    expect(await refusal(createStaff(admin, { organizationId: a.organizationId, name: 'X', login: 'x', password: PASSWORD, role: 'janitor' as never }))).toMatchObject({
      code: 'INVALID',
      issues: [{ path: ['role'], key: 'errors.staff.role' }],
    });

    // A deactivated member of staff cannot sign in, and leaves the directory.
    const device = { deviceId: randomUUID(), organizationId: a.organizationId, siteIds: a.siteIds };
    expect((await staffLogin(store, device, { login: 'zhou', password: PASSWORD })).staffId).toBe(staffId);
    await setStaffActive(admin, { organizationId: a.organizationId, staffId, active: false });
    expect(await refusal(staffLogin(store, device, { login: 'zhou', password: PASSWORD }))).toMatchObject({ code: 'FORBIDDEN', key: 'errors.auth.staffInactive' });
    expect(await refusal(staffLogin(store, device, { login: 'zhou', password: 'wrong password' }))).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.auth.invalidCredentials' });
    expect((await staffDirectory(store, device)).map((s) => s.id)).toEqual([a.ownerStaffId]);
    // Staff of one site do not sign in at a desk of another site.
    await setStaffActive(admin, { organizationId: a.organizationId, staffId, active: true });
    expect(await refusal(staffLogin(store, { ...device, siteIds: [a.siteIds[0]!] }, { login: 'zhou', password: PASSWORD }))).toMatchObject({ key: 'errors.auth.invalidCredentials' });

    expect(await refusal(setStaffActive(admin, { organizationId: a.organizationId, staffId: a.ownerStaffId, active: false }))).toMatchObject({ code: 'CONFLICT', key: 'errors.staff.lastOwner' });
    expect(await refusal(setStaffActive(admin, { organizationId: b.organizationId, staffId, active: false }))).toMatchObject({ code: 'NOT_FOUND', key: 'errors.staff.notFound' });
  });

  it('keeps enrollment codes hashed and single-use, even for two desks racing with one code', async () => {
    const org = await seedOrg(admin, `Codes ${randomUUID()}`);
    const other = await seedOrg(admin, `Codes other ${randomUUID()}`);
    expect(await refusal(createEnrollmentCode(admin, { organizationId: org.organizationId, name: 'D', siteIds: [other.siteIds[0]!], createdBy: 't' }))).toMatchObject({
      code: 'NOT_FOUND',
      issues: [{ path: ['siteIds', 0], key: 'errors.site.notFound' }],
    });
    expect(await refusal(createEnrollmentCode(admin, { organizationId: org.organizationId, name: 'D', createdBy: 't', ttlMs: 30 * 24 * 3600_000 }))).toMatchObject({
      issues: [{ path: ['ttlMs'], key: 'errors.enroll.ttl' }],
    });

    const { code } = await createEnrollmentCode(admin, { organizationId: org.organizationId, name: 'Desk', siteIds: [org.siteIds[0]!], createdBy: 't' });
    const stored = await store.db.selectFrom('enrollment_codes').selectAll().where('organization_id', '=', org.organizationId).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));

    const results = await Promise.allSettled([1, 2, 3].map((i) => enrollDevice(store, admin, { code, name: `Racer ${i}` })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'UNAUTHORIZED', key: 'errors.enroll.codeUsed' });
    const devices = await listDevices(admin, { organizationId: org.organizationId });
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ siteIds: [org.siteIds[0]], revokedAt: null, lastSeenAt: clock.now() });
  });

  it('resolves a token on every request, writes last-seen at most once a minute, and forgets a revoked device', async () => {
    const org = await seedOrg(admin, `Tokens ${randomUUID()}`);
    const { code } = await createEnrollmentCode(admin, { organizationId: org.organizationId, name: 'Desk', createdBy: 't' });
    const { deviceId, token } = await enrollDevice(store, admin, { code });
    const seen = async () => (await listDevices(admin, { organizationId: org.organizationId }))[0]!.lastSeenAt;
    const enrolledAt = clock.now();

    clock.advance(LAST_SEEN_EVERY_MS - 1);
    expect(await resolveDevice(store, clock, token)).toEqual({ deviceId, organizationId: org.organizationId, siteIds: org.siteIds });
    expect(await seen()).toBe(enrolledAt);
    clock.advance(1);
    await resolveDevice(store, clock, token);
    expect(await seen()).toBe(clock.now());

    expect(await resolveDevice(store, clock, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await resolveDevice(store, clock, undefined)).toBeNull();

    const { revokedAt } = await revokeDevice(admin, { organizationId: org.organizationId, deviceId });
    expect(await resolveDevice(store, clock, token)).toBeNull();
    clock.advance(1000);
    expect(await revokeDevice(admin, { organizationId: org.organizationId, deviceId })).toEqual({ revokedAt });
    expect(await refusal(revokeDevice(admin, { organizationId: org.organizationId, deviceId: randomUUID() }))).toMatchObject({ code: 'NOT_FOUND', key: 'errors.enroll.deviceNotFound' });
  });
});
