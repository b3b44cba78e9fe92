/**
 * Running one mutation the same way on the desk and on the server: find the mutator by
 * `name@version`, check the actor's permission, parse the arguments, apply. Every refusal is an
 * AppError thrown before or during `apply`, inside the caller's transaction, so the caller's
 * rollback (the desk's transaction, the server's savepoint) undoes whatever `apply` had written.
 */
import type { Tx } from './db-schema';
import { AppError } from './errors';
import type { MutatorContext, Mutator } from './mutator';
import { findMutator } from './mutators';
import { can } from './permissions';
import { parseOrThrow } from './validation';

export interface PreparedMutation {
  mutator: Mutator;
  /** The arguments after parsing (defaults filled in): what the outbox keeps and the server re-runs. */
  args: unknown;
}

/** Finds, authorizes and parses; throws INVALID (unknown mutator, bad arguments) or FORBIDDEN. */
export function prepareMutation(name: string, version: number, rawArgs: unknown, ctx: Pick<MutatorContext, 'actor'>): PreparedMutation {
  const mutator = findMutator(name, version);
  if (!can(ctx.actor.role, mutator.permission)) throw new AppError('FORBIDDEN', 'errors.forbidden', { action: name });
  return { mutator, args: parseOrThrow(mutator.args, rawArgs) };
}

export function applyMutation(tx: Tx, prepared: PreparedMutation, ctx: MutatorContext): Promise<unknown> {
  return prepared.mutator.apply(tx, prepared.args as never, ctx);
}
