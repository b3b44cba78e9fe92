/**
 * The registry of every mutator, by `name@version`. Desk and server resolve pushed or local
 * mutations here; an unknown name or version is refused, never guessed.
 */
import { AppError } from './errors';
import { mutatorKey, type Mutator } from './mutator';
import { createCustomer, updateCustomer } from './customers/customer.mutators';
import { setupOrganization } from './organization.mutators';

export const MUTATORS: readonly Mutator[] = [createCustomer, updateCustomer, setupOrganization] as Mutator[];

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
