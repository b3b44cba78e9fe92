/**
 * The device manager's tables (migration 0020): device configuration, the persisted print queue and
 * the audit log. Synchronous better-sqlite3 statements on purpose: drivers report job states from
 * listeners that run synchronously (devices/drivers/driver-status.ts), and a state must be on disk
 * before the driver takes its next step, so that a crash at any point leaves a row that tells the
 * restarted host the truth about the job.
 */
import type { Database, Statement } from 'better-sqlite3';
import { DeviceConfig, type DeviceKind } from '../../../core/devices/device-config';
import type { MessageParams } from '../../../core/errors';
import type { PrintJobState } from '../../../devices/drivers';

export interface DeviceRecord {
  id: string;
  name: string;
  kind: DeviceKind;
  config: DeviceConfig;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface PrintJobRecord {
  id: string;
  deviceId: string;
  label: string;
  state: PrintJobState;
  sent: boolean;
  delivered: boolean;
  reasonKey: string | null;
  params: MessageParams | null;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  reprintOf: string | null;
}

export interface AuditRecord {
  id: string;
  at: number;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown>;
}

interface DeviceRow {
  id: string;
  name: string;
  kind: DeviceKind;
  config: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

interface JobRow {
  id: string;
  device_id: string;
  label: string;
  state: PrintJobState;
  sent: number;
  delivered: number;
  reason_key: string | null;
  params: string | null;
  created_at: number;
  updated_at: number;
  created_by: string;
  reprint_of: string | null;
}

interface AuditRow {
  id: string;
  at: number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  details: string;
}

const OPEN_STATES = "('queued', 'held', 'sending', 'written', 'uncertain')";

function device(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    // Parsed again so defaults added to the schema later apply to devices saved before.
    config: DeviceConfig.parse(JSON.parse(row.config)),
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function job(row: JobRow): PrintJobRecord {
  return {
    id: row.id,
    deviceId: row.device_id,
    label: row.label,
    state: row.state,
    sent: row.sent === 1,
    delivered: row.delivered === 1,
    reasonKey: row.reason_key,
    params: row.params === null ? null : (JSON.parse(row.params) as MessageParams),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    reprintOf: row.reprint_of,
  };
}

function audit(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

export class DeviceStore {
  readonly #db: Database;
  readonly #s: {
    list: Statement<[], DeviceRow>;
    get: Statement<[string], DeviceRow>;
    nameTaken: Statement<[string, string], { id: string }>;
    insert: Statement<[string, string, string, string, number, number, number]>;
    update: Statement<[string, string, number, number, string]>;
    remove: Statement<[number, string]>;
    insertJob: Statement<[string, string, string, Uint8Array, number, number, string, string | null]>;
    updateJob: Statement<[string, number, number, string | null, string | null, number, string]>;
    getJob: Statement<[string], JobRow>;
    jobBytes: Statement<[string], { bytes: Buffer }>;
    openJobs: Statement<[string], JobRow>;
    recentJobs: Statement<[string, number], JobRow>;
    insertAudit: Statement<[string, string, number, string, string, string, string, string]>;
    auditFor: Statement<[string, string, number], AuditRow>;
  };

  constructor(db: Database) {
    this.#db = db;
    const p = <P extends unknown[], R = unknown>(sql: string) => db.prepare<P, R>(sql);
    this.#s = {
      list: p('SELECT * FROM devices WHERE removed_at IS NULL ORDER BY kind, name'),
      get: p('SELECT * FROM devices WHERE id = ? AND removed_at IS NULL'),
      nameTaken: p('SELECT id FROM devices WHERE name = ? AND id <> ? AND removed_at IS NULL'),
      insert: p('INSERT INTO devices (id, name, kind, config, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      update: p('UPDATE devices SET name = ?, config = ?, enabled = ?, updated_at = ? WHERE id = ?'),
      remove: p('UPDATE devices SET removed_at = ? WHERE id = ?'),
      insertJob: p(
        `INSERT INTO print_jobs (id, device_id, label, bytes, state, sent, delivered, reason_key, params, created_at, updated_at, created_by, reprint_of)
         VALUES (?, ?, ?, ?, 'queued', 0, 0, NULL, NULL, ?, ?, ?, ?)`,
      ),
      updateJob: p('UPDATE print_jobs SET state = ?, sent = ?, delivered = ?, reason_key = ?, params = ?, updated_at = ? WHERE id = ?'),
      getJob: p('SELECT id, device_id, label, state, sent, delivered, reason_key, params, created_at, updated_at, created_by, reprint_of FROM print_jobs WHERE id = ?'),
      jobBytes: p('SELECT bytes FROM print_jobs WHERE id = ?'),
      openJobs: p(
        `SELECT id, device_id, label, state, sent, delivered, reason_key, params, created_at, updated_at, created_by, reprint_of
         FROM print_jobs WHERE device_id = ? AND state IN ${OPEN_STATES} ORDER BY created_at, id`,
      ),
      recentJobs: p(
        `SELECT id, device_id, label, state, sent, delivered, reason_key, params, created_at, updated_at, created_by, reprint_of
         FROM print_jobs WHERE device_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      ),
      insertAudit: p(
        'INSERT INTO audit_log (id, organization_id, at, actor, action, subject_type, subject_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      auditFor: p('SELECT * FROM audit_log WHERE subject_type = ? AND subject_id = ? ORDER BY at DESC, id DESC LIMIT ?'),
    };
  }

  list(): DeviceRecord[] {
    return this.#s.list.all().map(device);
  }

  get(id: string): DeviceRecord | undefined {
    const row = this.#s.get.get(id);
    return row === undefined ? undefined : device(row);
  }

  /** The id of another (not removed) device with this name, if any. */
  nameTakenBy(name: string, exceptId: string): string | undefined {
    return this.#s.nameTaken.get(name, exceptId)?.id;
  }

  insert(id: string, config: DeviceConfig, now: number): void {
    this.#s.insert.run(id, config.name, config.kind, JSON.stringify(config), config.enabled ? 1 : 0, now, now);
  }

  update(id: string, config: DeviceConfig, now: number): void {
    this.#s.update.run(config.name, JSON.stringify(config), config.enabled ? 1 : 0, now, id);
  }

  remove(id: string, now: number): void {
    this.#s.remove.run(now, id);
  }

  insertJob(j: { id: string; deviceId: string; label: string; bytes: Uint8Array; createdBy: string; reprintOf: string | null }, now: number): void {
    this.#s.insertJob.run(j.id, j.deviceId, j.label, j.bytes, now, now, j.createdBy, j.reprintOf);
  }

  updateJob(
    id: string,
    j: { state: PrintJobState; sent: boolean; delivered: boolean; reasonKey?: string | undefined; params?: MessageParams | undefined },
    now: number,
  ): void {
    this.#s.updateJob.run(
      j.state,
      j.sent ? 1 : 0,
      j.delivered ? 1 : 0,
      j.reasonKey ?? null,
      j.params === undefined ? null : JSON.stringify(j.params),
      now,
      id,
    );
  }

  getJob(id: string): PrintJobRecord | undefined {
    const row = this.#s.getJob.get(id);
    return row === undefined ? undefined : job(row);
  }

  jobBytes(id: string): Uint8Array | undefined {
    const row = this.#s.jobBytes.get(id);
    return row === undefined ? undefined : new Uint8Array(row.bytes);
  }

  /** Jobs not finished (queued, held, being sent, written but unconfirmed) and uncertain ones waiting for staff. */
  openJobs(deviceId: string): PrintJobRecord[] {
    return this.#s.openJobs.all(deviceId).map(job);
  }

  recentJobs(deviceId: string, limit: number): PrintJobRecord[] {
    return this.#s.recentJobs.all(deviceId, limit).map(job);
  }

  audit(organizationId: string, e: Omit<AuditRecord, 'details'> & { details: Record<string, unknown> }): void {
    this.#s.insertAudit.run(e.id, organizationId, e.at, e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.details));
  }

  auditFor(subjectType: string, subjectId: string, limit: number): AuditRecord[] {
    return this.#s.auditFor.all(subjectType, subjectId, limit).map(audit);
  }

  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }
}
