/**
 * The cloud server's store: PostgreSQL through a `pg` pool when a database URL is given, else
 * embedded PGlite in a data folder (in memory without one, for tests). Both behind one Kysely
 * (`Kysely<ServerTables>`), migrated on open with the same SQL (./migrations), so core's mutators
 * run on the server exactly as on a desk.
 *
 * Writes: `writeTx(organizationId, fn)` is a READ COMMITTED transaction that first locks the
 * organization's row of org_versions. Every write of an organization takes that lock before it
 * takes a version (the first versioned write in the transaction calls tx_version()), so an
 * organization's versions are handed out in commit order: a pull that has seen version v of its
 * organization will never later find a commit below v. It follows that every write to a versioned
 * table goes through writeTx, for the one organization the rows belong to.
 *
 * Reads: `readTx` is REPEATABLE READ, READ ONLY: one snapshot for a whole pull.
 *
 * INT8 comes back as a JS number on both backends (epoch-ms instants and versions stay far below
 * 2^53). `schema` runs the store inside one Postgres schema (the tests give each test its own on a
 * shared server); the btree_gist extension lives in `public`, shared by all schemas.
 *
 * Notifications: `notify` is pg_notify (inside a transaction it is sent at commit); `listen` uses a
 * dedicated reconnecting connection on PostgreSQL and PGlite's own listeners otherwise. Channel
 * names are prefixed with the schema, so stores in different schemas do not hear each other.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DomainTables } from '../../core/db-schema';
import { migrateStore } from './migrate';
import type { StoreMigration } from './migrations/index';
import { PgListener } from './pg-listener';
import { PgliteDialect, quoteIdent, withPgliteSession } from './pglite.dialect';
import type { ServerTables } from './server-tables';

export type StoreTx = Transaction<ServerTables>;

export interface WriteResult<T> {
  result: T;
  /** The version the transaction's rows got; null when it wrote no versioned row. */
  version: number | null;
}

export interface StoreOptions {
  /** postgres://… : PostgreSQL through a pool. Without it, embedded PGlite. */
  databaseUrl?: string;
  /** PGlite's data folder (created when missing); undefined = in memory. */
  dataDir?: string;
  /**
   * A PGlite opened with openPglite() to run on instead of opening one (tests share one per file,
   * a schema per test); the store leaves it open.
   */
  pglite?: PGlite;
  /** A Postgres schema to run in, created when missing: lower-case letters, digits and _. */
  schema?: string;
  /** Drop the schema (and everything in it) on close: for tests. */
  dropSchemaOnClose?: boolean;
  /** Size of the PostgreSQL pool (default 10). */
  maxConnections?: number;
  migrations?: readonly StoreMigration[];
  /** Errors no caller can be told about: an idle pool connection or the LISTEN connection failing. */
  onError?: (e: Error) => void;
}

export interface Store {
  readonly db: Kysely<ServerTables>;
  readonly kind: 'postgres' | 'pglite';
  readonly schema: string | null;
  /** Runs fn in a write transaction of one organization, under its lock; rolls back on any error. */
  writeTx<T>(organizationId: string, fn: (tx: StoreTx) => Promise<T>): Promise<WriteResult<T>>;
  /** Runs fn in one consistent read-only snapshot. */
  readTx<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** The latest version the organization committed; 0 before its first write. */
  orgVersion(organizationId: string): Promise<number>;
  /**
   * Calls onNotify with each payload sent on the channel, from when the promise resolves. onGap
   * runs when notifications may have been lost (the connection came back). The result unsubscribes.
   */
  listen(channel: string, onNotify: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  /** pg_notify; with a transaction, it is sent when that transaction commits (and never if it rolls back). */
  notify(channel: string, payload: string, tx?: StoreTx): Promise<void>;
  close(): Promise<void>;
}

/** Postgres identifiers are at most 63 bytes; notification channels are identifiers. */
const MAX_IDENT_BYTES = 63;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;
const CHANNEL_NAME = /^[A-Za-z0-9_.:-]+$/;
const INT8_OID = 20;
/** Advisory lock key of the one-time setup (extension, schema): "foyer setup". */
const SETUP_LOCK = 0x0f0e0002;

/** Opens a PGlite the way a store needs it: btree_gist available, INT8 as numbers. */
export async function openPglite(dataDir?: string): Promise<PGlite> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  return PGlite.create({
    ...(dataDir !== undefined ? { dataDir } : {}),
    extensions: { btree_gist },
    parsers: { [pgliteTypes.INT8]: (v: string) => Number(v) },
  });
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const schema = opts.schema ?? null;
  if (schema !== null && (!SCHEMA_NAME.test(schema) || schema.length > MAX_IDENT_BYTES)) throw new Error(`bad schema name ${schema}`);
  const onError = opts.onError ?? (() => undefined);
  const backend = opts.databaseUrl ? openPostgres(opts.databaseUrl, schema, opts.maxConnections ?? 10, onError) : await openPgliteBackend(opts, schema);
  const store = new SqlStore(backend, schema);
  try {
    await prepare(store.db, schema);
    await migrateStore(store.db, opts.migrations);
  } catch (e) {
    // Never drop here: a store refused as too new must be left as it is.
    await store.close();
    throw e;
  }
  store.dropSchemaOnClose = opts.dropSchemaOnClose ?? false;
  return store;
}

/** The same transaction as core's domain tables, for a mutator's `apply`. */
export function domainTx(tx: StoreTx): Transaction<DomainTables> {
  return tx as unknown as Transaction<DomainTables>;
}

/**
 * Runs fn inside a savepoint of tx: when fn throws, what it wrote is undone (its versions too) and
 * the transaction goes on. Nested calls are fine (Postgres keeps a stack of same-named savepoints).
 */
export async function withSavepoint<T>(tx: StoreTx, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
  await sql`SAVEPOINT foyer_savepoint`.execute(tx);
  let result: T;
  try {
    result = await fn(tx);
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT foyer_savepoint`.execute(tx);
    await sql`RELEASE SAVEPOINT foyer_savepoint`.execute(tx);
    throw e;
  }
  await sql`RELEASE SAVEPOINT foyer_savepoint`.execute(tx);
  return result;
}

interface Backend {
  kind: 'postgres' | 'pglite';
  db: Kysely<ServerTables>;
  listen(channel: string, onNotify: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>>;
  /** After db.destroy(): closes what the backend owns. */
  close(): Promise<void>;
}

function openPostgres(url: string, schema: string | null, max: number, onError: (e: Error) => void): Backend {
  const types: pg.CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max,
    application_name: 'foyer-server',
    // Every pooled connection starts in the schema (a startup parameter: no extra round trip).
    ...(schema !== null ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', onError);
  const listener = new PgListener({ connectionString: url, application_name: 'foyer-listen' }, onError);
  return {
    kind: 'postgres',
    db: new Kysely<ServerTables>({ dialect: new PostgresDialect({ pool }) }),
    listen: (channel, onNotify, onGap) => listener.subscribe(channel, { onNotify, onGap }),
    close: () => listener.close(),
  };
}

async function openPgliteBackend(opts: StoreOptions, schema: string | null): Promise<Backend> {
  const owned = opts.pglite === undefined;
  const pglite = opts.pglite ?? (await openPglite(opts.dataDir));
  return {
    kind: 'pglite',
    db: new Kysely<ServerTables>({ dialect: new PgliteDialect({ pglite, schema }) }),
    // PGlite's listen runs LISTEN in its one session: between transactions (under the session
    // lock), or a rolled-back transaction would take the LISTEN with it. Its returned unsubscribe
    // re-quotes the name wrongly, so unlisten is called directly.
    async listen(channel, onNotify) {
      const quoted = quoteIdent(channel);
      const cb = (payload: string) => onNotify(payload);
      await withPgliteSession(pglite, () => pglite.listen(quoted, cb));
      return () => withPgliteSession(pglite, () => pglite.unlisten(quoted, cb));
    },
    close: async () => {
      if (owned) await pglite.close();
    },
  };
}

/** The extension (shared by every schema, so made once, under a lock) and the store's schema. */
async function prepare(db: Kysely<ServerTables>, schema: string | null): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`.execute(tx);
    const ext = await sql`SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'`.execute(tx);
    // Checked first so a role that may not create extensions works once an administrator has.
    if (ext.rows.length === 0) await sql`CREATE EXTENSION btree_gist SCHEMA public`.execute(tx);
    if (schema !== null) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(tx);
  });
}

class SqlStore implements Store {
  readonly db: Kysely<ServerTables>;
  readonly kind: 'postgres' | 'pglite';
  dropSchemaOnClose = false;
  private readonly subscriptions = new Set<() => Promise<void>>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly backend: Backend,
    readonly schema: string | null,
  ) {
    this.db = backend.db;
    this.kind = backend.kind;
  }

  async writeTx<T>(organizationId: string, fn: (tx: StoreTx) => Promise<T>): Promise<WriteResult<T>> {
    return this.db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (tx) => {
        await tx
          .insertInto('org_versions')
          .values({ organization_id: organizationId, version: 0 })
          .onConflict((oc) => oc.column('organization_id').doNothing())
          .execute();
        // The lock, and the organization it is for (the triggers refuse versioned writes of any other).
        await tx
          .selectFrom('org_versions')
          .select(sql`set_config('foyer.write_org', organization_id, true)`.as('locked'))
          .where('organization_id', '=', organizationId)
          .forUpdate()
          .execute();
        const result = await fn(tx);
        // The transaction's version, if anything took one (foyer.tx_version reads '' or NULL when not).
        const txVersion = sql<number | null>`nullif(current_setting('foyer.tx_version', true), '')::bigint`;
        const row = await tx
          .updateTable('org_versions')
          .set({ version: sql<number>`${txVersion}` })
          .where('organization_id', '=', organizationId)
          .where(txVersion, 'is not', null)
          .returning('version')
          .executeTakeFirst();
        return { result, version: row?.version ?? null };
      });
  }

  async readTx<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
  }

  async orgVersion(organizationId: string): Promise<number> {
    const row = await this.db.selectFrom('org_versions').select('version').where('organization_id', '=', organizationId).executeTakeFirst();
    return row?.version ?? 0;
  }

  async listen(channel: string, onNotify: (payload: string) => void, onGap: () => void = () => undefined): Promise<() => Promise<void>> {
    if (this.closing) throw new Error('the store is closed');
    const stop = await this.backend.listen(this.channelName(channel), onNotify, onGap);
    let stopped = false;
    const unsubscribe = async () => {
      if (stopped) return;
      stopped = true;
      this.subscriptions.delete(unsubscribe);
      await stop();
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  async notify(channel: string, payload: string, tx?: StoreTx): Promise<void> {
    await sql`SELECT pg_notify(${this.channelName(channel)}, ${payload})`.execute(tx ?? this.db);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await Promise.all([...this.subscriptions].map((stop) => stop().catch(() => undefined)));
    try {
      if (this.dropSchemaOnClose && this.schema !== null) await sql`DROP SCHEMA IF EXISTS ${sql.id(this.schema)} CASCADE`.execute(this.db);
    } finally {
      await this.db.destroy();
      await this.backend.close();
    }
  }

  private channelName(channel: string): string {
    const name = this.schema === null ? channel : `${this.schema}.${channel}`;
    if (!CHANNEL_NAME.test(channel) || Buffer.byteLength(name) > MAX_IDENT_BYTES) throw new Error(`bad channel name ${channel}`);
    return name;
  }
}
