/**
 * The synced tables as the domain sees them, for Kysely. The same shapes exist in the desk's SQLite
 * replica and (with the sync issue) in the server's Postgres, so a mutator's `apply` compiles to
 * both dialects. Portable column types only: text, integer (epoch ms, 0/1 flags), JSON as text.
 */
import type { Kysely, Transaction } from 'kysely';

export interface OrganizationsTable {
  id: string;
  name: string;
  default_country: string;
  created_at: number;
}

export interface SitesTable {
  id: string;
  organization_id: string;
  name: string;
  kind: 'clinic' | 'gym';
  time_zone: string;
  created_at: number;
}

export interface CustomersTable {
  id: string;
  organization_id: string;
  name: string;
  /** E.164, e.g. +8613812345678; unique per organization. */
  phone: string;
  national_id: string | null;
  birth_date: string | null;
  gender: 'female' | 'male' | 'other' | 'unknown';
  notes: string;
  /** JSON array of strings. */
  tags: string;
  created_at: number;
  updated_at: number;
  created_by: string;
}

export interface DomainTables {
  organizations: OrganizationsTable;
  sites: SitesTable;
  customers: CustomersTable;
}

/** What a mutator may touch: the domain tables inside one transaction. */
export type Tx = Transaction<DomainTables> | Kysely<DomainTables>;
