/**
 * The replica's side of sync: what to push, and applying a pull with the rebase of ARCHITECTURE.md.
 *
 * Applying a pull is ONE SQLite transaction, holding Kysely's connection so no mutation interleaves:
 *   1. undo every pending local change (undo_log, newest first), so the replica is back to the
 *      server's state as of the last pull;
 *   2. write the server's rows (upserts by key; a pulled parent's children replaced by the ones
 *      sent) and deletions, with foreign keys unchecked: the server's rows are consistent;
 *   3. drop the outbox entries the server has processed, moving the rejected ones to the conflict
 *      inbox with the server's reason;
 *   4. re-run what is still pending on top, each in a savepoint, at the time it was first made, so
 *      the desk shows the server's truth plus its own unsent work. A pending change that no longer
 *      fits (its slot was taken meanwhile) has no local effect; the server decides and the outcome
 *      comes back in a later pull.
 * A crash anywhere leaves the previous state whole: SQLite rolls the transaction back.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { AppErrorShape } from '../../../core/errors';
import { ManualClock } from '../../../core/clock';
import type { IdSource } from '../../../core/ids';
import type { Actor } from '../../../core/mutator';
import { applyMutation, prepareMutation } from '../../../core/run-mutation';
import type { Tx } from '../../../core/db-schema';
import type { PullPosition, PullResponse, PushMutation, Rejection, RowSet } from '../../../sync/protocol';
import { ALL_SYNCED_TABLES, CHILD_TABLES, SYNCED_TABLES, topTable } from '../../../sync/tables';
import { tablesWrittenBy, type Replica } from '../replica/replica';

export interface SyncPosition {
  cookie: number;
  ceiling: number | null;
  after: PullPosition | null;
  /** Rows this (chunked) pull sends in all, and how many have arrived. */
  total: number | null;
  received: number;
}

export interface PullApplied {
  /** Tables whose rows changed, for the UI's change events. */
  tables: string[];
  rejected: number;
  acknowledged: number;
  /** Pending mutations that no longer apply locally after the rebase. */
  failedLocally: number;
}

interface OutboxRow {
  mutation_id: number;
  name: string;
  version: number;
  args: string;
  actor: string;
  created_at: number;
}

const META = {
  cookie: 'sync_cookie',
  ceiling: 'sync_ceiling',
  after: 'sync_after',
  total: 'sync_total',
  received: 'sync_received',
} as const;

export class ReplicaSync {
  private readonly sqlite: Database;
  private readonly statements = new Map<string, Statement>();
  private readonly columnsByTable = new Map<string, Set<string>>();

  constructor(
    private readonly replica: Replica,
    private readonly ids: IdSource,
  ) {
    this.sqlite = replica.sqlite;
  }

  get clientId(): string {
    return this.replica.clientId;
  }

  position(): SyncPosition {
    const get = (k: string) => this.replica.getMeta(k);
    const after = get(META.after);
    return {
      cookie: Number(get(META.cookie) ?? 0),
      ceiling: get(META.ceiling) === null ? null : Number(get(META.ceiling)),
      after: after === null ? null : (JSON.parse(after) as PullPosition),
      total: get(META.total) === null ? null : Number(get(META.total)),
      received: Number(get(META.received) ?? 0),
    };
  }

  /** The oldest `limit` outbox entries, as the protocol sends them. */
  pending(limit: number): PushMutation[] {
    const rows = this.stmt('SELECT mutation_id, name, version, args, actor, created_at FROM outbox ORDER BY mutation_id LIMIT ?').all(limit) as OutboxRow[];
    return rows.map((r) => ({
      id: r.mutation_id,
      name: r.name,
      version: r.version,
      args: JSON.parse(r.args) as unknown,
      staffId: (JSON.parse(r.actor) as Actor).staffId,
      createdAt: r.created_at,
    }));
  }

  /** The smallest outbox id still held (rejections from there on are asked for), or null. */
  pendingFrom(): number | null {
    const r = this.stmt('SELECT min(mutation_id) AS id FROM outbox').get() as { id: number | null };
    return r.id;
  }

  /** Forgets the pull position: the next pull starts from nothing (the server said the cookie is impossible). */
  resetPosition(): void {
    for (const k of Object.values(META)) this.setMeta(k, null);
    // The next pull's first chunk replaces everything: rows deleted meanwhile must not linger.
    this.setMeta('sync_replace_all', '1');
  }

  oldestPendingAt(): number | null {
    return (this.stmt('SELECT min(created_at) AS t FROM outbox').get() as { t: number | null }).t;
  }

  pendingCount(): number {
    return (this.stmt('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /** Applies one pull response (see the file's comment). */
  async applyPull(res: PullResponse, now: number): Promise<PullApplied> {
    // Hold Kysely's single connection: no mutation, read or index flush runs in between.
    return this.replica.db.connection().execute(async (conn) => {
      this.sqlite.pragma('foreign_keys = OFF');
      try {
        this.sqlite.exec('BEGIN IMMEDIATE');
        try {
          const out = await this.applyInTransaction(conn as unknown as Kysely<never>, res, now);
          this.sqlite.exec('COMMIT');
          return out;
        } catch (e) {
          if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
          throw e;
        }
      } finally {
        this.sqlite.pragma('foreign_keys = ON');
      }
    });
  }

  private async applyInTransaction(conn: Kysely<never>, res: PullResponse, now: number): Promise<PullApplied> {
    const touched = new Set<string>();
    this.setCapture(false);
    this.undoAll(touched);
    if (this.replica.getMeta('sync_replace_all') === '1') {
      for (const t of [...ALL_SYNCED_TABLES].reverse()) this.stmt(`DELETE FROM ${t}`).run();
      for (const t of ALL_SYNCED_TABLES) touched.add(t);
      this.setMeta('sync_replace_all', null);
    }

    let rows = 0;
    for (const t of SYNCED_TABLES) {
      const set = res.tables[t.name];
      if (!set || set.rows.length === 0) continue;
      rows += set.rows.length;
      this.upsert(t.name, ['id'], set);
      touched.add(t.name);
      const idAt = set.columns.indexOf('id');
      const parentIds = set.rows.map((r) => r[idAt] as string);
      for (const c of t.children) {
        const del = this.stmt(`DELETE FROM ${c.name} WHERE ${c.parentColumn} = ?`);
        for (const id of parentIds) del.run(id);
        const children = res.tables[c.name];
        if (children && children.rows.length > 0) this.upsert(c.name, c.key, children);
        touched.add(c.name);
      }
    }
    for (const [table, ids] of Object.entries(res.deletes)) {
      const t = topTable(table);
      if (!t) continue;
      for (const id of ids) {
        for (const c of t.children) this.stmt(`DELETE FROM ${c.name} WHERE ${c.parentColumn} = ?`).run(id);
        this.stmt(`DELETE FROM ${t.name} WHERE id = ?`).run(id);
      }
      touched.add(table);
    }

    // Only a complete pull acknowledges: the rows of a change the server applied may come in a
    // later chunk, and until they are here the desk keeps showing its own version of it.
    const rejected = res.more ? 0 : this.recordRejections(res.rejections, now);
    const acknowledged = res.more ? 0 : this.stmt('DELETE FROM outbox WHERE mutation_id <= ?').run(res.lastMutationId).changes;

    // A chunked pull keeps where it is, so a desk cut off mid-way resumes from the last chunk.
    const received = this.position().received + rows;
    this.setMeta(META.cookie, String(res.cookie));
    this.setMeta(META.ceiling, res.more ? String(res.ceiling) : null);
    this.setMeta(META.after, res.more && res.after ? JSON.stringify(res.after) : null);
    if (!res.more) this.setMeta(META.total, null);
    else if (res.total !== null) this.setMeta(META.total, String(res.total));
    this.setMeta(META.received, res.more ? String(received) : null);

    this.setCapture(true);
    const failedLocally = await this.redoPending(conn, touched);
    return { tables: [...touched], rejected, acknowledged, failedLocally };
  }

  /** Takes back every pending local write, newest first, and empties the log. */
  private undoAll(touched: Set<string>): void {
    const log = this.stmt('SELECT tbl, pk, old FROM undo_log ORDER BY seq DESC').all() as { tbl: string; pk: string; old: string | null }[];
    for (const e of log) {
      const t = this.undoTable(e.tbl);
      if (e.old === null) {
        const key = JSON.parse(e.pk) as unknown[];
        this.stmt(`DELETE FROM ${e.tbl} WHERE ${t.key.map((k) => `${k} = ?`).join(' AND ')}`).run(...key);
      } else {
        const old = JSON.parse(e.old) as Record<string, unknown>;
        const cols = Object.keys(old);
        this.stmt(`INSERT OR REPLACE INTO ${e.tbl} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => old[c]));
      }
      touched.add(e.tbl);
    }
    this.stmt('DELETE FROM undo_log').run();
  }

  private undoTable(name: string): { key: readonly string[] } {
    if (topTable(name)) return { key: ['id'] };
    const child = CHILD_TABLES.find((c) => c.name === name);
    if (!child) throw new Error(`undo_log names an unknown table ${name}`);
    return child;
  }


  /** Re-runs the outbox on top of the server's rows; returns how many no longer apply here. */
  private async redoPending(conn: Kysely<never>, touched: Set<string>): Promise<number> {
    const undoFrom = Number(this.replica.getMeta('undo_from') ?? 0);
    const rows = this.stmt('SELECT mutation_id, name, version, args, actor, created_at FROM outbox WHERE mutation_id > ? ORDER BY mutation_id').all(undoFrom) as OutboxRow[];
    let failed = 0;
    for (const r of rows) {
      const actor = JSON.parse(r.actor) as Actor;
      this.sqlite.exec('SAVEPOINT redo');
      try {
        const prepared = prepareMutation(r.name, r.version, JSON.parse(r.args), { actor });
        await applyMutation(conn as unknown as Tx, prepared, { actor, clock: new ManualClock(r.created_at), ids: this.ids, location: 'desk' });
        this.sqlite.exec('RELEASE redo');
      } catch {
        this.sqlite.exec('ROLLBACK TO redo');
        this.sqlite.exec('RELEASE redo');
        failed++;
      }
      for (const t of tablesWrittenBy(r.name)) touched.add(t);
    }
    return failed;
  }

  private recordRejections(rejections: readonly Rejection[], now: number): number {
    let n = 0;
    const find = this.stmt('SELECT mutation_id, name, version, args, actor, created_at FROM outbox WHERE mutation_id = ?');
    const insert = this.stmt(
      `INSERT OR IGNORE INTO sync_conflicts (mutation_id, name, version, args, actor, error, made_at, rejected_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rejections) {
      const o = find.get(r.mutationId) as OutboxRow | undefined;
      if (!o) continue;
      n += insert.run(o.mutation_id, o.name, o.version, o.args, o.actor, JSON.stringify(r.error satisfies AppErrorShape), o.created_at, r.at || now).changes;
    }
    return n;
  }

  private upsert(table: string, key: readonly string[], set: RowSet): void {
    const known = this.columnsOf(table);
    // A server newer than this desk may send columns the desk does not have: keep the ones it has.
    const keep = set.columns.map((c, i) => [c, i] as const).filter(([c]) => known.has(c));
    const cols = keep.map(([c]) => c);
    const updates = cols.filter((c) => !key.includes(c));
    const sql =
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ` +
      `ON CONFLICT (${key.join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'NOTHING'}`;
    const stmt = this.stmt(sql);
    for (const row of set.rows) stmt.run(...keep.map(([, i]) => row[i] as never));
  }

  private columnsOf(table: string): Set<string> {
    let cols = this.columnsByTable.get(table);
    if (!cols) {
      cols = new Set((this.sqlite.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
      this.columnsByTable.set(table, cols);
    }
    return cols;
  }

  private setCapture(on: boolean): void {
    this.stmt('UPDATE sync_capture SET enabled = ? WHERE id = 1').run(on ? 1 : 0);
  }

  private setMeta(key: string, value: string | null): void {
    if (value === null) this.stmt('DELETE FROM meta WHERE key = ?').run(key);
    else this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
