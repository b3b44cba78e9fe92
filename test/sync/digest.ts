/**
 * Row-for-row comparison of a desk's replica with the server: per synced table, the row count and
 * a hash of its rows in key order (server-only columns left out), so a failure names the table.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Replica } from '../../electron/host/replica/replica';
import { CHILD_TABLES, SYNCED_TABLES } from '../../sync/tables';
import type { World } from './harness';

export type Digest = Record<string, { rows: number; hash: string }>;

function digestRows(rows: Record<string, unknown>[], key: readonly string[]): { rows: number; hash: string } {
  const lines = rows.map((r) => {
    const cols = Object.keys(r).filter((c) => c !== 'row_version').sort();
    return { k: key.map((k) => String(r[k])).join('|'), v: JSON.stringify(cols.map((c) => [c, r[c]])) };
  });
  lines.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
  const h = createHash('sha256');
  for (const l of lines) h.update(l.v + '\n');
  return { rows: rows.length, hash: h.digest('hex').slice(0, 16) };
}

function keyOf(table: string): readonly string[] {
  return CHILD_TABLES.find((c) => c.name === table)?.key ?? ['id'];
}

export function digestDesk(r: Replica): Digest {
  const out: Digest = {};
  for (const t of SYNCED_TABLES) {
    for (const name of [t.name, ...t.children.map((c) => c.name)]) {
      out[name] = digestRows(r.sqlite.prepare(`SELECT * FROM ${name}`).all() as Record<string, unknown>[], keyOf(name));
    }
  }
  return out;
}

export async function digestServer(w: World): Promise<Digest> {
  const out: Digest = {};
  const org = w.organizationId;
  for (const t of SYNCED_TABLES) {
    const orgCol = t.name === 'organizations' ? 'id' : 'organization_id';
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t.name)} WHERE ${sql.ref(orgCol)} = ${org}`.execute(w.store.db)).rows;
    out[t.name] = digestRows(rows, ['id']);
    for (const c of t.children) {
      const children = (
        await sql<Record<string, unknown>>`SELECT c.* FROM ${sql.table(c.name)} c JOIN ${sql.table(t.name)} p ON p.id = c.${sql.ref(c.parentColumn)} WHERE p.organization_id = ${org}`.execute(w.store.db)
      ).rows;
      out[c.name] = digestRows(children, c.key);
    }
  }
  return out;
}
