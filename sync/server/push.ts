/**
 * Applying a desk's push on the server (ARCHITECTURE.md, "The write path").
 *
 * The whole push runs in one transaction holding the organization's write lock, so its effects
 * get one version and every desk of the organization sees them in the order they were applied.
 * Each mutation runs inside a savepoint: a refusal rolls back that mutation alone. Its outcome is
 * recorded in `mutation_log` and the client's `last_mutation_id` moves past it whether it was
 * applied or rejected, so a permanent error never blocks the outbox and a mutation sent again
 * (the reply was lost, the desk crashed before hearing it) is answered from the log, not re-run.
 *
 * The desk's word is taken for nothing but the order: the organization and sites come from the
 * device's token, the role and site scope from the server's own staff records, the time from the
 * server's clock.
 */
import { sql } from 'kysely';
import type { Clock } from '../../core/clock';
import { AppError, type AppErrorShape } from '../../core/errors';
import type { IdSource } from '../../core/ids';
import type { Tx } from '../../core/db-schema';
import type { Actor } from '../../core/mutator';
import { isRole } from '../../core/permissions';
import { applyMutation, prepareMutation } from '../../core/run-mutation';
import { parseOrThrow } from '../../core/validation';
import { MAX_ARGS_BYTES, PushRequest, mutationTime, versionProblem, type MutationOutcome, type PushResponse } from '../protocol';
import { POKE_CHANNEL, type DeviceIdentity, type SyncStore, type SyncTx } from './store';

export interface PushDeps {
  store: SyncStore;
  clock: Clock;
  ids: IdSource;
  /** A poke that could not be sent after a commit (logged; never fails the push). */
  onNotifyError?: (e: Error) => void;
}

/** Mutators a desk may never push: organizations are made by the server's administration. */
const SERVER_ONLY = new Set(['organization.setup']);

/** Postgres errors that mean "another change got there first": a conflict, not a fault. */
const CONFLICT_SQLSTATES = new Set(['23P01', '23505']);

export async function handlePush(deps: PushDeps, device: DeviceIdentity, raw: unknown): Promise<PushResponse> {
  const req = parseOrThrow(PushRequest, raw);
  const problem = versionProblem(req);
  if (problem) throw AppError.fromShape(problem);
  const mutations = [...req.mutations].sort((a, b) => a.id - b.id);
  for (let i = 1; i < mutations.length; i++) {
    if (mutations[i]!.id === mutations[i - 1]!.id) throw new AppError('INVALID', 'errors.sync.outOfOrder');
  }

  const receivedAt = deps.clock.now();
  const { result, version } = await deps.store.writeTx(device.organizationId, async (tx) => {
    let last = await claimClient(tx, device, req.clientId, receivedAt);
    const start = last;
    const results: MutationOutcome[] = [];
    const staffCache = new Map<string, Actor | null>();
    const logged: { id: number; name: string; version: number; args: string; staffId: string; createdAt: number; error: AppErrorShape | null }[] = [];

    for (const m of mutations) {
      if (m.id <= last) {
        results.push(await earlierOutcome(tx, req.clientId, m.id));
        continue;
      }
      if (m.id > last + 1) {
        results.push({ id: m.id, outcome: 'transient', error: { code: 'INVALID', key: 'errors.sync.outOfOrder' } });
        continue;
      }
      const argsText = JSON.stringify(m.args ?? null);
      let error: AppErrorShape | null;
      if (argsText.length > MAX_ARGS_BYTES) {
        error = { code: 'INVALID', key: 'errors.sync.argsTooLarge' };
      } else if (SERVER_ONLY.has(m.name)) {
        error = { code: 'FORBIDDEN', key: 'errors.forbidden', params: { action: m.name } };
      } else {
        let actor = staffCache.get(m.staffId);
        if (actor === undefined) {
          actor = await loadActor(tx, device.organizationId, m.staffId);
          staffCache.set(m.staffId, actor);
        }
        const at = mutationTime(m.createdAt, req.sentAt, receivedAt);
        error = actor ? await runOne(tx, deps, actor, at, m.name, m.version, m.args) : { code: 'FORBIDDEN', key: 'errors.sync.staffUnknown' };
      }
      results.push(error ? { id: m.id, outcome: 'rejected', error } : { id: m.id, outcome: 'applied' });
      logged.push({ id: m.id, name: m.name, version: m.version, args: argsText, staffId: m.staffId, createdAt: m.createdAt, error });
      last = m.id;
    }

    if (logged.length > 0) {
      const now = deps.clock.now();
      await tx
        .insertInto('mutation_log')
        .values(
          logged.map((l) => ({
            client_id: req.clientId,
            mutation_id: l.id,
            name: l.name,
            version: l.version,
            args: l.args,
            staff_id: l.staffId,
            outcome: l.error ? ('rejected' as const) : ('applied' as const),
            error: l.error ? JSON.stringify(l.error) : null,
            desk_created_at: l.createdAt,
            processed_at: now,
          })),
        )
        .execute();
    }
    if (last !== start) await tx.updateTable('sync_clients').set({ last_mutation_id: last }).where('client_id', '=', req.clientId).execute();
    return { lastMutationId: last, results };
  });

  if (version !== null) {
    try {
      await deps.store.notify(POKE_CHANNEL, JSON.stringify({ organizationId: device.organizationId, version }));
    } catch (e) {
      // The push is committed: its answer stands. Desks that missed the poke pull on their timer.
      deps.onNotifyError?.(e as Error);
    }
  }
  return result;
}

/**
 * The client's row, made on its first push and bound to the device that made it: another device
 * presenting the same client id (a copied replica, a forged request) is refused.
 */
export async function claimClient(tx: SyncTx, device: DeviceIdentity, clientId: string, now: number): Promise<number> {
  const row = await tx.selectFrom('sync_clients').selectAll().where('client_id', '=', clientId).forUpdate().executeTakeFirst();
  if (!row) {
    await tx
      .insertInto('sync_clients')
      .values({ client_id: clientId, device_id: device.deviceId, organization_id: device.organizationId, last_mutation_id: 0, created_at: now, last_seen_at: now })
      .execute();
    return 0;
  }
  if (row.device_id !== device.deviceId || row.organization_id !== device.organizationId) throw new AppError('FORBIDDEN', 'errors.sync.clientForeign');
  await tx.updateTable('sync_clients').set({ last_seen_at: now }).where('client_id', '=', clientId).execute();
  return row.last_mutation_id;
}

async function earlierOutcome(tx: SyncTx, clientId: string, id: number): Promise<MutationOutcome> {
  const row = await tx.selectFrom('mutation_log').select(['outcome', 'error']).where('client_id', '=', clientId).where('mutation_id', '=', id).executeTakeFirst();
  if (row?.outcome === 'rejected' && row.error) return { id, outcome: 'rejected', error: JSON.parse(row.error) as AppErrorShape };
  return { id, outcome: 'applied' };
}

async function loadActor(tx: SyncTx, organizationId: string, staffId: string): Promise<Actor | null> {
  const s = await tx
    .selectFrom('staff')
    .select(['id', 'role', 'site_id', 'active'])
    .where('id', '=', staffId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!s || s.active !== 1 || !isRole(s.role)) return null;
  return { staffId: s.id, role: s.role, organizationId, siteId: s.site_id };
}

/** Runs one mutation in a savepoint; returns why it was refused, or null when applied. */
async function runOne(tx: SyncTx, deps: PushDeps, actor: Actor, at: number, name: string, version: number, args: unknown): Promise<AppErrorShape | null> {
  let prepared;
  try {
    prepared = prepareMutation(name, version, args, { actor });
  } catch (e) {
    if (AppError.is(e)) return e.key === 'errors.mutator.unknown' ? { code: 'INVALID', key: 'errors.sync.unknownMutator', params: { name, version } } : e.toShape();
    throw e;
  }
  await sql`SAVEPOINT m`.execute(tx);
  try {
    await applyMutation(tx as unknown as Tx, prepared, { actor, clock: { now: () => at }, ids: deps.ids, location: 'server' });
    await sql`RELEASE SAVEPOINT m`.execute(tx);
    return null;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT m`.execute(tx);
    if (AppError.is(e)) return e.toShape();
    const sqlState = (e as { code?: unknown }).code;
    if (typeof sqlState === 'string' && CONFLICT_SQLSTATES.has(sqlState)) return { code: 'CONFLICT', key: 'errors.sync.conflict' };
    // A fault in the mutator itself would fail the same way on every retry: reject it (with the
    // reason logged) rather than leave the desk's outbox stuck behind it.
    return { code: 'INTERNAL', key: 'errors.internal', params: { detail: String((e as Error).message ?? e).slice(0, 200) } };
  }
}
