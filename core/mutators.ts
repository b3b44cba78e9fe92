/**
 * The registry of every mutator, by `name@version`. Desk and server resolve pushed or local
 * mutations here; an unknown name or version is refused, never guessed.
 */
import { AppError } from './errors';
import { mutatorKey, type Mutator } from './mutator';
import { createCustomer, setBlacklist, updateCustomer } from './customers/customer.mutators';
import { setupOrganization } from './organization.mutators';
import { BOOKING_MUTATORS } from './scheduling/booking.mutators';
import { CATALOG_MUTATORS } from './scheduling/catalog.mutators';
import { SESSION_MUTATORS } from './scheduling/class-session.mutators';
import { HOLD_MUTATORS } from './scheduling/hold.mutators';
import { SITE_MUTATORS } from './scheduling/site.mutators';
import { WAITLIST_MUTATORS } from './scheduling/waitlist.mutators';

export const MUTATORS: readonly Mutator[] = [
  createCustomer,
  updateCustomer,
  setBlacklist,
  setupOrganization,
  ...SITE_MUTATORS,
  ...CATALOG_MUTATORS,
  ...SESSION_MUTATORS,
  ...BOOKING_MUTATORS,
  ...HOLD_MUTATORS,
  ...WAITLIST_MUTATORS,
] as Mutator[];

// Two registrations of one name@version would make the second unreachable: fail at load instead.
if (new Set(MUTATORS.map((m) => mutatorKey(m.name, m.version))).size !== MUTATORS.length) throw new Error('duplicate mutator name@version');

const byKey = new Map(MUTATORS.map((m) => [mutatorKey(m.name, m.version), m]));

export function findMutator(name: string, version: number): Mutator {
  const m = byKey.get(mutatorKey(name, version));
  if (!m) throw new AppError('INVALID', 'errors.mutator.unknown', { name, version });
  return m;
}

const latestByName = new Map<string, number>();
for (const m of MUTATORS) latestByName.set(m.name, Math.max(latestByName.get(m.name) ?? 0, m.version));

/** The newest version of a mutator: what this app's own UI calls. */
export function latestMutatorVersion(name: string): number {
  const v = latestByName.get(name);
  if (v === undefined) throw new AppError('INVALID', 'errors.mutator.unknown', { name, version: 0 });
  return v;
}
