/**
 * The registry of store migrations, in order: the same SQL for PostgreSQL and PGlite. Numbers go
 * in steps of 10 and match the file names; a shipped migration is never edited, only followed by a
 * new one.
 */
import * as m0010 from './0010-domain';
import * as m0020 from './0020-versioning';
import * as m0030 from './0030-server';

export interface StoreMigration {
  version: number;
  name: string;
  /** One or more statements, run in one transaction. */
  sql: string;
}

export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  { version: 10, name: 'domain', sql: m0010.sql },
  { version: 20, name: 'versioning', sql: m0020.sql },
  { version: 30, name: 'server', sql: m0030.sql },
];
