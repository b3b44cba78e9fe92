/**
 * Customer mutators. Phone numbers are unique per organization: the check here gives the user a
 * message naming the existing customer; the unique index in each store is the backstop.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { defineMutator, type MutatorContext } from '../mutator';
import type { CustomersTable, Tx } from '../db-schema';
import { localDateOf } from '../time';
import { CreateCustomerArgs, UpdateCustomerArgs } from './customer.schema';

async function assertPhoneFree(tx: Tx, organizationId: string, phone: string, exceptId: string | null): Promise<void> {
  const existing = await tx
    .selectFrom('customers')
    .select(['id', 'name'])
    .where('organization_id', '=', organizationId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  if (existing && existing.id !== exceptId) {
    const params = { name: existing.name, id: existing.id };
    throw new AppError('CONFLICT', 'errors.customer.phoneTaken', params, [
      { path: ['phone'], key: 'errors.customer.phoneTaken', params },
    ]);
  }
}

/** The latest calendar date anywhere on earth: a birth date after it is in the future. */
function assertNotFuture(birthDate: string | null, ctx: MutatorContext): void {
  if (birthDate && birthDate > localDateOf(ctx.clock.now(), 'Pacific/Kiritimati')) {
    throw new AppError('INVALID', 'errors.birthDate.future', {}, [{ path: ['birthDate'], key: 'errors.birthDate.future' }]);
  }
}

export const createCustomer = defineMutator({
  name: 'customer.create',
  version: 1,
  permission: 'customer.write',
  args: CreateCustomerArgs,
  async apply(tx, args, ctx) {
    const org = ctx.actor.organizationId;
    assertNotFuture(args.birthDate, ctx);
    const dup = await tx.selectFrom('customers').select('id').where('id', '=', args.id).executeTakeFirst();
    if (dup) throw new AppError('CONFLICT', 'errors.customer.idTaken', { id: args.id });
    await assertPhoneFree(tx, org, args.phone, null);
    const now = ctx.clock.now();
    await tx
      .insertInto('customers')
      .values({
        id: args.id,
        organization_id: org,
        name: args.name,
        phone: args.phone,
        national_id: args.nationalId,
        birth_date: args.birthDate,
        gender: args.gender,
        notes: args.notes,
        tags: JSON.stringify(args.tags),
        blacklisted: 0,
        blacklist_reason: null,
        created_at: now,
        updated_at: now,
        created_by: ctx.actor.staffId,
      })
      .execute();
    return { id: args.id };
  },
});

export const updateCustomer = defineMutator({
  name: 'customer.update',
  version: 1,
  permission: 'customer.write',
  args: UpdateCustomerArgs,
  async apply(tx, { id, patch }, ctx) {
    const org = ctx.actor.organizationId;
    const current = await tx
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', id)
      .where('organization_id', '=', org)
      .executeTakeFirst();
    if (!current) throw new AppError('NOT_FOUND', 'errors.customer.notFound', { id });
    if (patch.phone !== undefined) await assertPhoneFree(tx, org, patch.phone, id);
    const next: Partial<CustomersTable> = {};
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.phone !== undefined) next.phone = patch.phone;
    if (patch.nationalId !== undefined) next.national_id = patch.nationalId;
    if (patch.birthDate !== undefined) next.birth_date = patch.birthDate;
    if (patch.gender !== undefined) next.gender = patch.gender;
    if (patch.notes !== undefined) next.notes = patch.notes;
    if (patch.tags !== undefined) next.tags = JSON.stringify(patch.tags);
    const nationalId = next.national_id !== undefined ? next.national_id : current.national_id;
    const birthDate = next.birth_date !== undefined ? next.birth_date : current.birth_date;
    assertNotFuture(birthDate, ctx);
    if (nationalId && birthDate) {
      const embedded = `${nationalId.slice(6, 10)}-${nationalId.slice(10, 12)}-${nationalId.slice(12, 14)}`;
      if (embedded !== birthDate) {
        throw new AppError('INVALID', 'errors.birthDate.mismatchId', {}, [
          { path: ['birthDate'], key: 'errors.birthDate.mismatchId' },
        ]);
      }
    }
    await tx
      .updateTable('customers')
      .set({ ...next, updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .execute();
    return { id };
  },
});

export const SetBlacklistArgs = z
  .object({
    id: z.uuid({ message: 'errors.id.invalid' }),
    blacklisted: z.boolean(),
    /** Shown to whoever tries to book the customer; required to blacklist. */
    reason: z.string().trim().max(200, 'errors.reason.tooLong').default(''),
  })
  .refine((a) => !a.blacklisted || a.reason.length > 0, { message: 'errors.customer.blacklistReason', path: ['reason'] });

/**
 * Puts a customer on the blacklist (bookings then need 'booking.overrideBlacklist' and a reason)
 * or takes them off it. Existing bookings stay.
 */
export const setBlacklist = defineMutator({
  name: 'customer.setBlacklist',
  version: 1,
  permission: 'customer.blacklist',
  args: SetBlacklistArgs,
  async apply(tx, { id, blacklisted, reason }, ctx) {
    const current = await tx
      .selectFrom('customers')
      .select('id')
      .where('id', '=', id)
      .where('organization_id', '=', ctx.actor.organizationId)
      .executeTakeFirst();
    if (!current) throw new AppError('NOT_FOUND', 'errors.customer.notFound', { id });
    await tx
      .updateTable('customers')
      .set({ blacklisted: blacklisted ? 1 : 0, blacklist_reason: blacklisted ? reason : null, updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .execute();
    return { id, blacklisted };
  },
});
