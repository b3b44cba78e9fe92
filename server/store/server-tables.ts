/**
 * The server store's tables for Kysely: core's synced tables (the same columns as the desk's
 * replica) plus `row_version` on every top-level one, the sync server's tables (declared in
 * sync/server/store.ts) and the tables only the server itself uses. The SQL is in ./migrations;
 * both must change together.
 */
import type { Generated } from 'kysely';
import type { DomainTables } from '../../core/db-schema';
import type { Role } from '../../core/permissions';
import type {
  MutationLogTable,
  OrgVersionsTable,
  StaffTable as SyncStaffTable,
  SyncClientsTable,
  TombstonesTable,
} from '../../sync/server/store';

// The tables the sync server reads and writes are declared by sync/ (which may not import server/).
export type { MutationLogTable, OrgVersionsTable, SyncClientsTable, TombstonesTable };

/**
 * The server version of the transaction that last wrote the row (or, for a parent, one of its
 * children): set by trigger from tx_version(), never written by hand.
 */
export type RowVersion = Generated<number>;

/** Child tables travel with their parent (sync/tables.ts): the parent's row_version moves for them. */
export type ChildTableName = 'session_resources' | 'booking_resources' | 'booking_events';

export type VersionedDomainTables = {
  [K in keyof DomainTables]: K extends ChildTableName ? DomainTables[K] : DomainTables[K] & { row_version: RowVersion };
};

/**
 * A member of staff who signs in on a desk or the admin web; desks get the directory without the
 * hashes. Its login is unique per organization; a null site_id means every site.
 */
export interface StaffTable extends SyncStaffTable {
  role: Role;
  row_version: RowVersion;
}

/** An enrolled desk. Its bearer token is stored hashed only. */
export interface DevicesTable {
  id: string;
  organization_id: string;
  name: string;
  /** JSON array of the site ids the desk serves. */
  site_ids: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
}

/** A one-time code an admin gives a new desk to enroll with; stored hashed. */
export interface EnrollmentCodesTable {
  code_hash: string;
  organization_id: string;
  /** The name the enrolled device gets. */
  name: string;
  /** JSON array of site ids. */
  site_ids: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  device_id: string | null;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface ServerTables extends VersionedDomainTables {
  staff: StaffTable;
  devices: DevicesTable;
  enrollment_codes: EnrollmentCodesTable;
  sync_clients: SyncClientsTable;
  mutation_log: MutationLogTable;
  tombstones: TombstonesTable;
  org_versions: OrgVersionsTable;
  schema_migrations: SchemaMigrationsTable;
}
