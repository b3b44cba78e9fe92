/**
 * Building a desk's pull on the server: the rows of its organization (and sites) whose version is
 * above its cookie, up to a ceiling fixed when the pull started, in chunks (see sync/protocol.ts).
 * Everything is read in one read-only snapshot per chunk, scoped by the device's token.
 */
import { sql, type RawBuilder } from 'kysely';
import { AppError, type AppErrorShape } from '../../core/errors';
import { parseOrThrow } from '../../core/validation';
import { PullRequest, versionProblem, type PullPosition, type PullResponse, type Rejection, type RowSet } from '../protocol';
import { SYNCED_TABLE_NAMES, SYNCED_TABLES, type TopTable } from '../tables';
import type { DeviceIdentity, SyncStore, SyncTx } from './store';

/** Ids per `IN (…)` when fetching children. */
const CHILD_BATCH = 1000;

export async function handlePull(store: SyncStore, device: DeviceIdentity, raw: unknown): Promise<PullResponse> {
  const req = parseOrThrow(PullRequest, raw);
  const problem = versionProblem(req);
  if (problem) throw AppError.fromShape(problem);

  return store.readTx(async (tx) => {
    const client = await tx.selectFrom('sync_clients').select(['device_id', 'organization_id', 'last_mutation_id']).where('client_id', '=', req.clientId).executeTakeFirst();
    if (client && (client.device_id !== device.deviceId || client.organization_id !== device.organizationId)) {
      throw new AppError('FORBIDDEN', 'errors.sync.clientForeign');
    }
    const lastMutationId = client?.last_mutation_id ?? 0;
    const orgRow = await tx.selectFrom('org_versions').select('version').where('organization_id', '=', device.organizationId).executeTakeFirst();
    const latest = orgRow?.version ?? 0;
    if (req.cookie > latest || (req.ceiling !== null && (req.ceiling > latest || req.ceiling < req.cookie))) {
      throw new AppError('INVALID', 'errors.sync.cookieFromFuture', { cookie: req.cookie, latest });
    }
    const ceiling = req.ceiling ?? latest;
    const scope: Scope = { device, cookie: req.cookie, ceiling };

    const tables: Record<string, RowSet> = {};
    let budget = req.limit;
    let after: PullPosition | null = null;
    const start = req.after ?? { table: 0, version: 0, id: '' };
    // Most pulls bring a change to one or two tables: find them in one query, not one per table.
    const changed = cookieIsCurrent(scope) ? new Set<number>() : await changedTables(tx, scope);
    for (let ti = start.table; ti < SYNCED_TABLES.length && budget > 0; ti++) {
      if (!changed.has(ti)) continue;
      const t = SYNCED_TABLES[ti]!;
      const from = ti === start.table && req.after !== null ? start : null;
      const rows = await topRows(tx, t, scope, from, budget);
      if (rows.length === 0) continue;
      budget -= rows.length;
      const last = rows[rows.length - 1]!;
      after = { table: ti, version: Number(last.row_version), id: String(last.id) };
      tables[t.name] = toRowSet(rows);
      const ids = rows.map((r) => String(r.id));
      for (const c of t.children) {
        const children = await childRows(tx, c.name, c.parentColumn, ids);
        if (children.length > 0) tables[c.name] = toRowSet(children);
      }
    }
    // A full chunk may have more behind it; a short one means every table is done.
    const more = budget === 0;
    // Only a pull that needs chunks is counted (for the progress bar): most pulls bring a few rows
    // and would pay a count per table for nothing.
    const total = more && req.after === null ? await countRows(tx, scope) : null;
    const deletes = more || req.cookie === 0 ? {} : await tombstones(tx, scope);
    return {
      cookie: more ? req.cookie : ceiling,
      ceiling,
      after: more ? after : null,
      more,
      total,
      lastMutationId,
      tables,
      deletes,
      rejections: req.pendingFrom === null ? [] : await rejections(tx, req.clientId, req.pendingFrom, lastMutationId),
    };
  });
}

interface Scope {
  device: DeviceIdentity;
  cookie: number;
  ceiling: number;
}

type Row = Record<string, unknown>;

function scopeFilter(t: TopTable, s: Scope): RawBuilder<unknown> {
  const org = sql`${sql.ref(t.name === 'organizations' ? 'id' : 'organization_id')} = ${s.device.organizationId}`;
  if (t.siteColumn === null || s.device.siteIds === null) return org;
  if (s.device.siteIds.length === 0) return sql`false`;
  return sql`${org} AND ${sql.ref(t.siteColumn)} IN (${sql.join(s.device.siteIds)})`;
}

async function topRows(tx: SyncTx, t: TopTable, s: Scope, from: PullPosition | null, limit: number): Promise<Row[]> {
  const position = from === null ? sql`true` : sql`(row_version, id) > (${from.version}, ${from.id})`;
  const q = sql<Row>`SELECT * FROM ${sql.table(t.name)}
    WHERE ${scopeFilter(t, s)} AND row_version > ${s.cookie} AND row_version <= ${s.ceiling} AND ${position}
    ORDER BY row_version, id LIMIT ${limit}`;
  return (await q.execute(tx)).rows;
}

function cookieIsCurrent(s: Scope): boolean {
  return s.cookie >= s.ceiling;
}

/** The indexes (in SYNCED_TABLES) of the tables with rows in (cookie, ceiling] for this device. */
async function changedTables(tx: SyncTx, s: Scope): Promise<Set<number>> {
  const probes = SYNCED_TABLES.map(
    (t, i) =>
      sql`SELECT ${sql.lit(i)} AS t WHERE EXISTS (SELECT 1 FROM ${sql.table(t.name)}
        WHERE ${scopeFilter(t, s)} AND row_version > ${s.cookie} AND row_version <= ${s.ceiling})`,
  );
  const rows = (await sql<{ t: number }>`${sql.join(probes, sql` UNION ALL `)}`.execute(tx)).rows;
  return new Set(rows.map((r) => Number(r.t)));
}

async function childRows(tx: SyncTx, table: string, parentColumn: string, parentIds: readonly string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < parentIds.length; i += CHILD_BATCH) {
    const ids = parentIds.slice(i, i + CHILD_BATCH);
    const q = sql<Row>`SELECT * FROM ${sql.table(table)} WHERE ${sql.ref(parentColumn)} IN (${sql.join(ids)})`;
    out.push(...(await q.execute(tx)).rows);
  }
  return out;
}

async function countRows(tx: SyncTx, s: Scope): Promise<number> {
  let n = 0;
  for (const t of SYNCED_TABLES) {
    const q = sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(t.name)}
      WHERE ${scopeFilter(t, s)} AND row_version > ${s.cookie} AND row_version <= ${s.ceiling}`;
    n += Number((await q.execute(tx)).rows[0]?.n ?? 0);
  }
  return n;
}

async function tombstones(tx: SyncTx, s: Scope): Promise<Record<string, string[]>> {
  const siteIds = s.device.siteIds;
  const rows = await tx
    .selectFrom('tombstones')
    .select(['table_name', 'row_id'])
    .where('organization_id', '=', s.device.organizationId)
    // The server's own tables (staff) leave tombstones too; desks get only the synced ones.
    .where('table_name', 'in', SYNCED_TABLE_NAMES)
    .where('row_version', '>', s.cookie)
    .where('row_version', '<=', s.ceiling)
    .$if(siteIds !== null, (q) => q.where((eb) => eb.or([eb('site_id', 'is', null), ...(siteIds!.length > 0 ? [eb('site_id', 'in', siteIds!)] : [])])))
    .orderBy('row_version')
    .execute();
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.table_name] ??= []).push(r.row_id);
  return out;
}

async function rejections(tx: SyncTx, clientId: string, from: number, to: number): Promise<Rejection[]> {
  if (from > to) return [];
  const rows = await tx
    .selectFrom('mutation_log')
    .select(['mutation_id', 'name', 'args', 'staff_id', 'error', 'processed_at'])
    .where('client_id', '=', clientId)
    .where('outcome', '=', 'rejected')
    .where('mutation_id', '>=', from)
    .where('mutation_id', '<=', to)
    .orderBy('mutation_id')
    .execute();
  return rows.map((r) => ({
    mutationId: r.mutation_id,
    name: r.name,
    args: JSON.parse(r.args) as unknown,
    staffId: r.staff_id,
    error: JSON.parse(r.error ?? '{"code":"INTERNAL","key":"errors.internal"}') as AppErrorShape,
    at: r.processed_at,
  }));
}

/** Rows as one column list and value arrays; the server's own `row_version` stays behind. */
function toRowSet(rows: readonly Row[]): RowSet {
  const columns = Object.keys(rows[0]!).filter((c) => c !== 'row_version');
  return { columns, rows: rows.map((r) => columns.map((c) => r[c])) };
}
