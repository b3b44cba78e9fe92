/**
 * The write path. Every change to synced data is a named, versioned mutator defined once here and
 * run in two places: optimistically on the desk's replica (with its outbox entry, in one
 * transaction) and authoritatively on the server. `apply` sees only a Kysely transaction over the
 * domain tables and a context carrying the actor, the clock and the id source; it does no other
 * I/O, so both sides compute the same result from the same rows.
 *
 * Argument shapes never change in place: a new shape is a new version.
 */
import type { z } from 'zod';
import type { Clock } from './clock';
import type { IdSource } from './ids';
import type { Permission, Role } from './permissions';
import type { Tx } from './db-schema';

export interface Actor {
  staffId: string;
  role: Role;
  organizationId: string;
  siteId: string | null;
}

export interface MutatorContext {
  actor: Actor;
  clock: Clock;
  ids: IdSource;
  /** `desk` for the optimistic run on a replica, `server` for the authoritative one. */
  location: 'desk' | 'server';
}

export interface Mutator<Args extends z.ZodType = z.ZodType, Result = unknown> {
  name: string;
  version: number;
  permission: Permission;
  args: Args;
  apply(tx: Tx, args: z.infer<Args>, ctx: MutatorContext): Promise<Result>;
}

export function defineMutator<Args extends z.ZodType, Result>(m: Mutator<Args, Result>): Mutator<Args, Result> {
  // `area.action`, both camelCase (`classSession.create`); the area picks the tables a change touches.
  if (!/^[a-z][a-zA-Z]*(\.[a-zA-Z]+)+$/.test(m.name)) throw new Error(`bad mutator name ${m.name}`);
  if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`bad mutator version ${m.version}`);
  return m;
}

export function mutatorKey(name: string, version: number): string {
  return `${name}@${version}`;
}
