/**
 * Administration of staff: who may sign in on the organization's desks, with which role and at
 * which site. Staff rows are versioned (desks pull the directory), so every write goes through the
 * organization's write transaction.
 */
import { AppError } from '../../core/errors';
import { parseOrThrow } from '../../core/validation';
import { hashPassword } from '../auth/passwords';
import type { StoreTx } from '../store/store';
import { CreateStaffInput, SetStaffActiveInput } from './admin.schema';
import { isUniqueViolation, requireOrganization, type AdminDeps } from './organizations';

export async function requireSiteOf(tx: StoreTx, organizationId: string, siteId: string, path: (string | number)[]): Promise<void> {
  const site = await tx.selectFrom('sites').select('id').where('id', '=', siteId).where('organization_id', '=', organizationId).executeTakeFirst();
  if (!site) throw new AppError('NOT_FOUND', 'errors.site.notFound', { id: siteId }, [{ path, key: 'errors.site.notFound' }]);
}

export async function createStaff(deps: AdminDeps, raw: unknown): Promise<{ staffId: string }> {
  const input = parseOrThrow(CreateStaffInput, raw);
  const passwordHash = await hashPassword(input.password);
  const staffId = deps.ids.newId();
  const taken = new AppError('CONFLICT', 'errors.staff.loginTaken', { login: input.login }, [
    { path: ['login'], key: 'errors.staff.loginTaken', params: { login: input.login } },
  ]);
  try {
    await deps.store.writeTx(input.organizationId, async (tx) => {
      await requireOrganization(tx, input.organizationId);
      if (input.siteId !== null) await requireSiteOf(tx, input.organizationId, input.siteId, ['siteId']);
      const existing = await tx
        .selectFrom('staff')
        .select('id')
        .where('organization_id', '=', input.organizationId)
        .where('login', '=', input.login)
        .executeTakeFirst();
      if (existing) throw taken;
      const now = deps.clock.now();
      await tx
        .insertInto('staff')
        .values({
          id: staffId,
          organization_id: input.organizationId,
          name: input.name,
          login: input.login,
          password_hash: passwordHash,
          role: input.role,
          site_id: input.siteId,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
  } catch (e) {
    throw isUniqueViolation(e) ? taken : e;
  }
  return { staffId };
}

/**
 * Deactivates or reactivates a member of staff. Deactivated staff cannot sign in, and the server
 * rejects their pushed changes; the organization always keeps one active owner.
 */
export async function setStaffActive(deps: AdminDeps, raw: unknown): Promise<void> {
  const input = parseOrThrow(SetStaffActiveInput, raw);
  await deps.store.writeTx(input.organizationId, async (tx) => {
    const row = await tx
      .selectFrom('staff')
      .select(['role', 'active'])
      .where('id', '=', input.staffId)
      .where('organization_id', '=', input.organizationId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'errors.staff.notFound', { id: input.staffId });
    if ((row.active === 1) === input.active) return;
    if (!input.active && row.role === 'owner') {
      const owners = await tx
        .selectFrom('staff')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organization_id', '=', input.organizationId)
        .where('role', '=', 'owner')
        .where('active', '=', 1)
        .executeTakeFirstOrThrow();
      if (Number(owners.n) <= 1) throw new AppError('CONFLICT', 'errors.staff.lastOwner');
    }
    await tx
      .updateTable('staff')
      .set({ active: input.active ? 1 : 0, updated_at: deps.clock.now() })
      .where('id', '=', input.staffId)
      .execute();
  });
}
