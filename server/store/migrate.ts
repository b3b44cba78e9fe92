/**
 * Store migration runner, for PostgreSQL and PGlite alike. The applied versions are rows of
 * schema_migrations in the store's schema. Each pending migration runs in its own transaction
 * together with its row, so a crash leaves the store at the last complete step, and a re-run starts
 * from there. A session advisory lock per schema keeps two servers that start at once from
 * migrating together: the second waits and then finds nothing to do. A store written by a newer
 * server (a version above the latest this code knows) is refused and left untouched.
 */
import { sql, type Kysely } from 'kysely';
import { AppError } from '../../core/errors';
import { STORE_MIGRATIONS, type StoreMigration } from './migrations/index';
import type { ServerTables } from './server-tables';

/** First half of the advisory lock key (the second is the schema's hash): "foyer migrate". */
const MIGRATE_LOCK = 0x0f0e0001;

export function latestStoreVersion(migrations: readonly StoreMigration[] = STORE_MIGRATIONS): number {
  return migrations.reduce((v, m) => Math.max(v, m.version), 0);
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
}

export async function migrateStore(db: Kysely<ServerTables>, migrations: readonly StoreMigration[] = STORE_MIGRATIONS): Promise<MigrateResult> {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error('migrations must be in increasing order');
  }
  const known = latestStoreVersion(migrations);
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATE_LOCK}, hashtext(current_schema()))`.execute(conn);
    try {
      await sql`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at BIGINT NOT NULL
        )`.execute(conn);
      const row = await conn
        .selectFrom('schema_migrations')
        .select((eb) => eb.fn.max('version').as('v'))
        .executeTakeFirst();
      const from = row?.v ?? 0;
      if (from > known) throw new AppError('SCHEMA_TOO_NEW', 'errors.schemaTooNew', { found: from, known });
      const pending = migrations.filter((m) => m.version > from);
      for (const m of pending) {
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await trx
            .insertInto('schema_migrations')
            .values({ version: m.version, name: m.name, applied_at: sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint` })
            .execute();
        });
      }
      return { from, to: pending.length > 0 ? known : from, applied: pending.map((m) => m.version) };
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATE_LOCK}, hashtext(current_schema()))`.execute(conn);
    }
  });
}
