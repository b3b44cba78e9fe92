/**
 * What the sync server needs of the cloud store (server/store implements it on PostgreSQL and
 * PGlite). sync/ may not import server/, so the shapes of the sync tables are declared here and
 * the store's full schema extends them.
 */
import type { Transaction } from 'kysely';
import type { DomainTables } from '../../core/db-schema';

export interface SyncClientsTable {
  client_id: string;
  device_id: string;
  organization_id: string;
  last_mutation_id: number;
  created_at: number;
  last_seen_at: number;
}

export interface MutationLogTable {
  client_id: string;
  mutation_id: number;
  name: string;
  version: number;
  args: string;
  staff_id: string;
  outcome: 'applied' | 'rejected';
  /** JSON AppErrorShape when rejected. */
  error: string | null;
  desk_created_at: number;
  processed_at: number;
}

export interface TombstonesTable {
  table_name: string;
  row_id: string;
  organization_id: string;
  site_id: string | null;
  row_version: number;
}

export interface OrgVersionsTable {
  organization_id: string;
  version: number;
}

export interface StaffTable {
  id: string;
  organization_id: string;
  name: string;
  login: string;
  password_hash: string;
  role: string;
  site_id: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface SyncTables extends DomainTables {
  sync_clients: SyncClientsTable;
  mutation_log: MutationLogTable;
  tombstones: TombstonesTable;
  org_versions: OrgVersionsTable;
  staff: StaffTable;
}

export type SyncTx = Transaction<SyncTables>;

export interface SyncStore {
  /**
   * A transaction holding the organization's write lock: every version of one organization's rows
   * is committed in order. `version` is the one version its writes got (null if it wrote nothing).
   */
  writeTx<T>(organizationId: string, fn: (tx: SyncTx) => Promise<T>): Promise<{ result: T; version: number | null }>;
  /** A read-only transaction on one snapshot. */
  readTx<T>(fn: (tx: SyncTx) => Promise<T>): Promise<T>;
  notify(channel: string, payload: string): Promise<void>;
}

/** The channel every instance listens on; the payload is `{ organizationId, version }`. */
export const POKE_CHANNEL = 'foyer_changes';

/** The desk (device) a request comes from, as its token says: the server never takes it from the body. */
export interface DeviceIdentity {
  deviceId: string;
  organizationId: string;
  /** The sites it syncs; null = every site of the organization. */
  siteIds: readonly string[] | null;
}
