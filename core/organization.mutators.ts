/**
 * Setting up an organization and its sites. On a desk this runs once, for the demo organization;
 * with the sync issue it becomes a server-side administration command.
 */
import { z } from 'zod';
import { AppError } from './errors';
import { defineMutator } from './mutator';
import { TimeZone } from './time';

export const SiteInput = z.object({
  id: z.uuid({ message: 'errors.id.invalid' }),
  name: z.string().trim().min(1, 'errors.name.required').max(64, 'errors.name.tooLong'),
  kind: z.enum(['clinic', 'gym'], { message: 'errors.site.kind' }),
  timeZone: TimeZone,
});

export const SetupOrganizationArgs = z.object({
  id: z.uuid({ message: 'errors.id.invalid' }),
  name: z.string().trim().min(1, 'errors.name.required').max(100, 'errors.name.tooLong'),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'errors.country.invalid'),
  sites: z.array(SiteInput).min(1, 'errors.site.required'),
});

export const setupOrganization = defineMutator({
  name: 'organization.setup',
  version: 1,
  permission: 'organization.setup',
  args: SetupOrganizationArgs,
  async apply(tx, args, ctx) {
    if (args.id !== ctx.actor.organizationId) throw new AppError('FORBIDDEN', 'errors.forbidden');
    const existing = await tx.selectFrom('organizations').select('id').where('id', '=', args.id).executeTakeFirst();
    if (existing) throw new AppError('CONFLICT', 'errors.organization.exists', { name: args.name });
    const now = ctx.clock.now();
    await tx
      .insertInto('organizations')
      .values({ id: args.id, name: args.name, default_country: args.defaultCountry, created_at: now })
      .execute();
    for (const s of args.sites) {
      await tx
        .insertInto('sites')
        .values({ id: s.id, organization_id: args.id, name: s.name, kind: s.kind, time_zone: s.timeZone, created_at: now })
        .execute();
    }
    return { id: args.id };
  },
});
