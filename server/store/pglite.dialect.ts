/**
 * A Kysely dialect over PGlite, the embedded Postgres (WebAssembly) the server uses when no
 * DATABASE_URL is set. Postgres' own adapter, query compiler and introspector do the SQL; this file
 * is only the driver.
 *
 * PGlite is ONE backend with ONE session, so there is one connection, handed out behind a lock:
 * whoever acquires it (a query, or a whole transaction) has the session to itself until it releases
 * it. PGlite's own `query` has a lock too, but only per statement, so without this one two Kysely
 * transactions would interleave their statements inside one Postgres transaction.
 *
 * Several Kysely instances may share one PGlite (tests run a store per schema on one instance): the
 * lock and the session's current search_path therefore belong to the PGlite instance, not to a
 * driver, and each acquisition switches search_path when the last holder used another one.
 *
 * A statement without parameters runs with the simple query protocol (`exec`), like node-postgres
 * does, so a migration may hold several statements; one with parameters runs with the extended
 * protocol (`query`).
 */
import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** A FIFO lock: `acquire` resolves when every earlier holder has called `release`. */
class Lock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

interface Session {
  lock: Lock;
  /** The search_path the session has now; null = the server's default. */
  searchPath: string | null;
}

// The state of PGlite's one session, kept beside the instance it describes (not a singleton: an
// entry lives exactly as long as its PGlite).
const sessions = new WeakMap<PGlite, Session>();

function sessionOf(pglite: PGlite): Session {
  let s = sessions.get(pglite);
  if (!s) {
    s = { lock: new Lock(), searchPath: null };
    sessions.set(pglite, s);
  }
  return s;
}

/** Runs fn with PGlite's session to itself, between transactions of every Kysely over it. */
export async function withPgliteSession<T>(pglite: PGlite, fn: () => Promise<T>): Promise<T> {
  const { lock } = sessionOf(pglite);
  await lock.acquire();
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface PgliteDialectConfig {
  pglite: PGlite;
  /** Schema to run in (its tables, functions and sequences); null = the default search_path. */
  schema: string | null;
}

export class PgliteDialect implements Dialect {
  constructor(private readonly config: PgliteDialectConfig) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PgliteDriver implements Driver {
  private readonly session: Session;
  private readonly connection: PgliteConnection;
  private destroyed = false;

  constructor(private readonly config: PgliteDialectConfig) {
    this.session = sessionOf(config.pglite);
    this.connection = new PgliteConnection(config.pglite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.destroyed) throw new Error('the PGlite driver has been destroyed');
    await this.session.lock.acquire();
    try {
      const want = this.config.schema;
      if (this.session.searchPath !== want) {
        await this.config.pglite.exec(want === null ? 'SET search_path TO DEFAULT' : `SET search_path TO ${quoteIdent(want)}`);
        this.session.searchPath = want;
      }
    } catch (e) {
      this.session.lock.release();
      throw e;
    }
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let sql = 'start transaction';
    if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) sql += ` ${settings.accessMode}`;
    await conn.executeQuery(CompiledQuery.raw(sql));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.session.lock.release();
  }

  /** The PGlite belongs to whoever opened it (the store): the driver does not close it. */
  async destroy(): Promise<void> {
    this.destroyed = true;
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    let r: Results<R>;
    if (q.parameters.length === 0) {
      const all = await this.pglite.exec(q.sql);
      r = (all[all.length - 1] ?? { rows: [], fields: [], affectedRows: 0 }) as Results<R>;
    } else {
      r = await this.pglite.query<R>(q.sql, [...q.parameters]);
    }
    return { rows: r.rows, numAffectedRows: BigInt(r.affectedRows ?? 0) };
  }

  // PGlite has no cursors across calls: the rows come at once and are handed out in chunks.
  async *streamQuery<R>(q: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(q);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}
