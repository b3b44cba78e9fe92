/**
 * 0020: desk-local device tables. None of these sync: a printer belongs to the desk it is plugged
 * into, its print queue to that printer, and the audit of what a gate did to the desk that drove
 * it (the audit trail of the sync issue will upload audit_log rows; its shape is ready for that).
 *
 *   devices     what the Devices page configured (core/devices/device-config.ts, as JSON); a removed
 *               device keeps its row (removed_at) so its jobs and audit entries still name it.
 *   print_jobs  the persisted print queue: a job is written here before any byte goes to the
 *               printer, and every driver job event updates it in the same synchronous step, so a
 *               restarted host knows which jobs to resubmit and which might have printed.
 *   audit_log   who did what to which subject, e.g. every gate opening and why.
 */
import type { Database } from 'better-sqlite3';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE devices (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('printer', 'display', 'gate', 'scanner')),
      config TEXT NOT NULL CHECK (json_valid(config)),
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      removed_at INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX devices_name ON devices(name) WHERE removed_at IS NULL;

    CREATE TABLE print_jobs (
      id TEXT PRIMARY KEY,
      device_id TEXT NOT NULL REFERENCES devices(id),
      label TEXT NOT NULL,
      bytes BLOB NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'held', 'sending', 'written', 'confirmed', 'uncertain', 'failed', 'cancelled')),
      sent INTEGER NOT NULL CHECK (sent IN (0, 1)),
      delivered INTEGER NOT NULL CHECK (delivered IN (0, 1)),
      reason_key TEXT,
      params TEXT CHECK (params IS NULL OR json_valid(params)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      reprint_of TEXT REFERENCES print_jobs(id)
    ) STRICT;
    CREATE INDEX print_jobs_by_device ON print_jobs(device_id, created_at);
    CREATE INDEX print_jobs_open ON print_jobs(state) WHERE state NOT IN ('confirmed', 'failed', 'cancelled');

    CREATE TABLE audit_log (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL,
      at INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject_type TEXT NOT NULL,
      subject_id TEXT NOT NULL,
      details TEXT NOT NULL CHECK (json_valid(details))
    ) STRICT;
    CREATE INDEX audit_log_by_subject ON audit_log(subject_type, subject_id, at);
    CREATE INDEX audit_log_by_time ON audit_log(at);
  `);
}
