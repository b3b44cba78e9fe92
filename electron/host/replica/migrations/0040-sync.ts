/**
 * 0040: sync. What the desk needs to rebase its own changes on the server's (ARCHITECTURE.md).
 *
 * - `undo_log`: while `sync_capture.enabled` is 1 (always, except while a pull is being applied),
 *   triggers on every synced table record how to undo each write: the key of an inserted row, or
 *   the whole old row of an updated or deleted one. The log therefore holds the undo of exactly the
 *   mutations still in the outbox. A pull undoes them all (newest first), writes the server's rows,
 *   and re-runs the outbox on top, all in one transaction: the desk shows the server's truth plus
 *   its own pending changes, never a mix of stale and new.
 * - `sync_conflicts`: the conflict inbox. Every mutation the server rejected, with who made it, the
 *   reason, and what the desk did about it (rebooked, dismissed).
 * - `desk_logins`: what lets staff who signed in here before sign in again while offline.
 *
 * The triggers list each table's columns as they are now; a later migration that changes a synced
 * table must recreate that table's undo triggers (recreateUndoTriggers).
 */
import type { Database } from 'better-sqlite3';

/** The synced tables and their keys, as of this migration. */
export const UNDO_TABLES: readonly { name: string; key: readonly string[] }[] = [
  { name: 'organizations', key: ['id'] },
  { name: 'sites', key: ['id'] },
  { name: 'customers', key: ['id'] },
  { name: 'site_closures', key: ['id'] },
  { name: 'departments', key: ['id'] },
  { name: 'resources', key: ['id'] },
  { name: 'services', key: ['id'] },
  { name: 'class_sessions', key: ['id'] },
  { name: 'session_resources', key: ['session_id', 'resource_id'] },
  { name: 'bookings', key: ['id'] },
  { name: 'booking_resources', key: ['booking_id', 'resource_id'] },
  { name: 'booking_events', key: ['id'] },
  { name: 'holds', key: ['id'] },
  { name: 'waitlist_entries', key: ['id'] },
];

export function recreateUndoTriggers(db: Database, table: string, key: readonly string[]): void {
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
  const when = 'WHEN (SELECT enabled FROM sync_capture) = 1';
  const keyOf = (row: 'new' | 'old') => `json_array(${key.map((k) => `${row}.${k}`).join(', ')})`;
  const oldRow = `json_object(${columns.map((c) => `'${c}', old.${c}`).join(', ')})`;
  db.exec(`
    DROP TRIGGER IF EXISTS undo_${table}_ai;
    DROP TRIGGER IF EXISTS undo_${table}_au;
    DROP TRIGGER IF EXISTS undo_${table}_ad;
    CREATE TRIGGER undo_${table}_ai AFTER INSERT ON ${table} ${when} BEGIN
      INSERT INTO undo_log (tbl, pk, old) VALUES ('${table}', ${keyOf('new')}, NULL);
    END;
    CREATE TRIGGER undo_${table}_au AFTER UPDATE ON ${table} ${when} BEGIN
      INSERT INTO undo_log (tbl, pk, old) VALUES ('${table}', ${keyOf('new')}, ${oldRow});
    END;
    CREATE TRIGGER undo_${table}_ad AFTER DELETE ON ${table} ${when} BEGIN
      INSERT INTO undo_log (tbl, pk, old) VALUES ('${table}', ${keyOf('old')}, ${oldRow});
    END;
  `);
}

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE sync_capture (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
    ) STRICT;
    INSERT INTO sync_capture (id, enabled) VALUES (1, 1);

    CREATE TABLE undo_log (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      tbl TEXT NOT NULL,
      -- JSON array of the key's values
      pk TEXT NOT NULL,
      -- JSON object of the row before the write; NULL when the write inserted it
      old TEXT
    ) STRICT;

    CREATE TABLE sync_conflicts (
      mutation_id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      args TEXT NOT NULL CHECK (json_valid(args)),
      -- the actor who made it on this desk (JSON Actor)
      actor TEXT NOT NULL CHECK (json_valid(actor)),
      -- the server's AppErrorShape
      error TEXT NOT NULL CHECK (json_valid(error)),
      made_at INTEGER NOT NULL,
      rejected_at INTEGER NOT NULL,
      resolution TEXT CHECK (resolution IS NULL OR resolution IN ('rebooked', 'dismissed')),
      resolved_by TEXT,
      resolved_at INTEGER
    ) STRICT;
    CREATE INDEX sync_conflicts_open ON sync_conflicts(resolution, rejected_at);

    -- Staff who signed in on this desk while it could reach the server, so they can sign in again
    -- while it cannot. The verifier is this desk's own argon2id hash of the password (its own salt),
    -- never the server's hash.
    CREATE TABLE desk_logins (
      login TEXT PRIMARY KEY,
      staff_id TEXT NOT NULL,
      organization_id TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      site_id TEXT,
      verifier TEXT NOT NULL,
      last_login_at INTEGER NOT NULL
    ) STRICT;
  `);
  // Outbox entries older than this migration have no undo records: a rebase cannot take their
  // effects back, so it re-runs only what it undid (see electron/host/sync/rebase.ts).
  // The search queue's triggers said INSERT OR IGNORE; inside an upsert (a pulled row) SQLite applies
  // the outer statement's conflict policy to trigger statements instead, and a queued customer made
  // the pull fail. They now skip a queued customer explicitly.
  db.exec(`
    DROP TRIGGER customers_search_ai;
    DROP TRIGGER customers_search_au;
    DROP TRIGGER customers_search_ad;
    CREATE TRIGGER customers_search_ai AFTER INSERT ON customers BEGIN
      INSERT INTO customer_search_queue (customer_id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM customer_search_queue WHERE customer_id = new.id);
    END;
    CREATE TRIGGER customers_search_au AFTER UPDATE OF name, phone, national_id ON customers BEGIN
      INSERT INTO customer_search_queue (customer_id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM customer_search_queue WHERE customer_id = new.id);
    END;
    CREATE TRIGGER customers_search_ad AFTER DELETE ON customers BEGIN
      INSERT INTO customer_search_queue (customer_id) SELECT old.id WHERE NOT EXISTS (SELECT 1 FROM customer_search_queue WHERE customer_id = old.id);
    END;
  `);
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('undo_from', (SELECT CAST(coalesce(max(mutation_id), 0) AS TEXT) FROM outbox))").run();
  for (const t of UNDO_TABLES) recreateUndoTriggers(db, t.name, t.key);
}
