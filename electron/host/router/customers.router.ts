/**
 * Customers for the desk UI. Writes go through the replica's mutators (validation, permission,
 * outbox); reads come straight from the replica.
 */
import { z } from 'zod';
import { AppError } from '../../../core/errors';
import type { CustomerInput, CustomerPatch } from '../../../core/customers/customer.schema';
import { countCustomers, getCustomer, searchCustomers } from '../replica/customers.queries';
import { deskProcedure, router, validatedByMutator } from './trpc';

export const customersRouter = router({
  search: deskProcedure
    .input(z.object({ query: z.string().max(100).default(''), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => searchCustomers(ctx.replica, ctx.actor.organizationId, input.query, input.limit)),

  get: deskProcedure.input(z.object({ id: z.string() })).query(async ({ ctx, input }) => {
    const c = await getCustomer(ctx.replica, ctx.actor.organizationId, input.id);
    if (!c) throw new AppError('NOT_FOUND', 'errors.customer.notFound', { id: input.id });
    return c;
  }),

  count: deskProcedure.query(({ ctx }) => countCustomers(ctx.replica, ctx.actor.organizationId)),

  create: deskProcedure.input(validatedByMutator<CustomerInput>()).mutation(({ ctx, input }) => {
    const args = typeof input === 'object' && input !== null ? { ...input, id: ctx.replica.newId() } : input;
    return ctx.replica.mutate<{ id: string }>('customer.create', args, ctx.actor);
  }),

  update: deskProcedure
    .input(validatedByMutator<{ id: string; patch: CustomerPatch }>())
    .mutation(({ ctx, input }) => ctx.replica.mutate<{ id: string }>('customer.update', input, ctx.actor)),
});
