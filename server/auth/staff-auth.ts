/**
 * Staff on an enrolled desk: signing in with login and password, and the directory of who may
 * sign in there. Both are scoped by the device's token: only staff of its organization, and of
 * the sites it serves (a member of staff tied to one site works on that site's desks).
 *
 * Every failed sign-in gets the same answer in the same time, whether the login is unknown or the
 * password wrong (see passwords.ts); only with the right password is a deactivated account told so.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors';
import type { Role } from '../../core/permissions';
import { parseOrThrow } from '../../core/validation';
import type { DeviceIdentity } from '../../sync/server/store';
import type { Store } from '../store/store';
import { verifyPassword } from './passwords';

/** Logins are compared without case and surrounding spaces; stored in this form. */
export const Login = z
  .string({ message: 'errors.auth.loginInvalid' })
  .trim()
  .toLowerCase()
  .min(1, 'errors.auth.loginInvalid')
  .max(64, 'errors.auth.loginInvalid')
  .regex(/^\S+$/u, 'errors.auth.loginInvalid');

export const LoginInput = z.object({
  login: Login,
  // Not the password policy: a sign-in only checks, and must not say how long passwords are.
  password: z.string({ message: 'errors.auth.invalidCredentials' }).max(1024, 'errors.auth.invalidCredentials'),
});
export type LoginInput = z.input<typeof LoginInput>;

export type { StaffProfile } from '../../sync/identity';
import type { StaffProfile } from '../../sync/identity';

export interface DirectoryEntry {
  id: string;
  name: string;
  role: Role;
  siteId: string | null;
}

function worksAt(device: DeviceIdentity, siteId: string | null): boolean {
  return siteId === null || device.siteIds === null || device.siteIds.includes(siteId);
}

export async function staffLogin(store: Store, device: DeviceIdentity, raw: unknown): Promise<StaffProfile> {
  const input = parseOrThrow(LoginInput, raw);
  const row = await store.db
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'site_id', 'active', 'password_hash'])
    .where('organization_id', '=', device.organizationId)
    .where('login', '=', input.login)
    .executeTakeFirst();
  const ok = await verifyPassword(row?.password_hash ?? null, input.password);
  if (!row || !ok || !worksAt(device, row.site_id)) throw new AppError('UNAUTHORIZED', 'errors.auth.invalidCredentials');
  if (row.active !== 1) throw new AppError('FORBIDDEN', 'errors.auth.staffInactive');
  return { staffId: row.id, name: row.name, role: row.role, siteId: row.site_id, organizationId: device.organizationId };
}

export async function staffDirectory(store: Store, device: DeviceIdentity): Promise<DirectoryEntry[]> {
  const rows = await store.db
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'site_id'])
    .where('organization_id', '=', device.organizationId)
    .where('active', '=', 1)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.filter((r) => worksAt(device, r.site_id)).map((r) => ({ id: r.id, name: r.name, role: r.role, siteId: r.site_id }));
}
