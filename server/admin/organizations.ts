/**
 * Administration of organizations: scripted (CLI, tests, a later admin UI), never pushed by desks.
 *
 * Creating one runs core's `organization.setup` mutator on the store, as the new owner, in the same
 * write transaction that adds the owner to `staff`: the organization, its sites and its first
 * member of staff appear together under one version, or not at all.
 */
import { sql } from 'kysely';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { IdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import { setupOrganization } from '../../core/organization.mutators';
import { applyMutation, prepareMutation } from '../../core/run-mutation';
import { parseOrThrow } from '../../core/validation';
import { hashPassword } from '../auth/passwords';
import { domainTx, type Store, type StoreTx } from '../store/store';
import { CreateOrganizationInput } from './admin.schema';

export interface AdminDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
}

export interface CreatedOrganization {
  organizationId: string;
  siteIds: string[];
  ownerStaffId: string;
  /** The version the organization's first rows got. */
  version: number | null;
}

export interface OrganizationSummary {
  id: string;
  name: string;
  defaultCountry: string;
  sites: { id: string; name: string; kind: 'clinic' | 'gym'; timeZone: string }[];
}

/** Postgres' unique_violation: a duplicate that slipped past the checks (two admins at once). */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === '23505';
}

/** Throws NOT_FOUND unless the organization exists. */
export async function requireOrganization(tx: StoreTx | Store['db'], organizationId: string): Promise<void> {
  const org = await tx.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
  if (!org) throw new AppError('NOT_FOUND', 'errors.organization.notFound', { id: organizationId });
}

export async function createOrganization(deps: AdminDeps, raw: unknown): Promise<CreatedOrganization> {
  const input = parseOrThrow(CreateOrganizationInput, raw);
  const organizationId = deps.ids.newId();
  const ownerStaffId = deps.ids.newId();
  const sites = input.sites.map((s) => ({ ...s, id: deps.ids.newId() }));
  const passwordHash = await hashPassword(input.owner.password);
  const owner: Actor = { staffId: ownerStaffId, role: 'owner', organizationId, siteId: null };
  const prepared = prepareMutation(setupOrganization.name, setupOrganization.version, { id: organizationId, name: input.name, defaultCountry: input.defaultCountry, sites }, { actor: owner });

  const { version } = await deps.store.writeTx(organizationId, async (tx) => {
    // Running the same script twice must not make a second organization of the same name.
    const same = await tx
      .selectFrom('organizations')
      .select('id')
      .where(sql<string>`lower(name)`, '=', input.name.toLowerCase())
      .executeTakeFirst();
    if (same) throw new AppError('CONFLICT', 'errors.organization.exists', { name: input.name });
    await applyMutation(domainTx(tx), prepared, { actor: owner, clock: deps.clock, ids: deps.ids, location: 'server' });
    const now = deps.clock.now();
    await tx
      .insertInto('staff')
      .values({
        id: ownerStaffId,
        organization_id: organizationId,
        name: input.owner.name,
        login: input.owner.login,
        password_hash: passwordHash,
        role: 'owner',
        site_id: null,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  return { organizationId, siteIds: sites.map((s) => s.id), ownerStaffId, version };
}

export async function listOrganizations(deps: Pick<AdminDeps, 'store'>): Promise<OrganizationSummary[]> {
  return deps.store.readTx(async (tx) => {
    const orgs = await tx.selectFrom('organizations').select(['id', 'name', 'default_country']).orderBy('created_at').orderBy('id').execute();
    const sites = await tx.selectFrom('sites').select(['id', 'organization_id', 'name', 'kind', 'time_zone']).orderBy('created_at').orderBy('id').execute();
    return orgs.map((o) => ({
      id: o.id,
      name: o.name,
      defaultCountry: o.default_country,
      sites: sites.filter((s) => s.organization_id === o.id).map((s) => ({ id: s.id, name: s.name, kind: s.kind, timeZone: s.time_zone })),
    }));
  });
}
