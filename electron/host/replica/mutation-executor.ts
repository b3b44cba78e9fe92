/**
 * How a mutation's queries reach SQLite on the desk.
 *
 * Kysely's own path costs far more than the SQL itself for the one-row lookups mutators make: per
 * statement it prepares the SQL again (better-sqlite3 compiles it each time), and inside
 * `transaction()` it wraps every query in a new executor, a connection provider, a state check and
 * several promise hops. Here:
 * - `StatementCache` keeps prepared statements by SQL text, for every query of the replica;
 * - `MutationExecutor` is the Kysely executor a mutator's transaction gets. While `Replica.mutate`
 *   holds the replica's only connection (Kysely's mutex) between its BEGIN and COMMIT, each query
 *   is compiled by Kysely's SQLite compiler as usual and run at once on the cached statement:
 *   one resolved promise per query. The mutator still sees a Kysely `Transaction` and builds the
 *   same queries it builds on the server, where Postgres runs them.
 *
 * The replica keeps one executor and one transaction over it, and opens the executor only between
 * a mutation's BEGIN and its COMMIT or ROLLBACK: a query on the transaction at any other time
 * fails instead of running outside a mutation. Plugins and `withConnectionProvider` fall back to
 * Kysely's default executor over the same connection.
 */
import type Database from 'better-sqlite3';
import {
  DefaultQueryExecutor,
  type CompiledQuery,
  type ConnectionProvider,
  type DatabaseConnection,
  type DialectAdapter,
  type KyselyPlugin,
  type QueryCompiler,
  type QueryExecutor,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
} from 'kysely';

/**
 * Prepared statements by SQL text. Mutators and reads run the same few statements over and over;
 * preparing one costs several times what running a one-row lookup does. The replica has one
 * connection and runs one statement at a time, so a cached statement is never used twice at once.
 */
export class StatementCache {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly max = 500,
  ) {}

  get(sql: string): Database.Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      if (this.cache.size >= this.max) this.cache.clear();
      stmt = this.sqlite.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  /** Runs a compiled query the way Kysely's SQLite driver does, and returns the same result shape. */
  run<R>(sql: string, parameters: readonly unknown[]): QueryResult<R> {
    const stmt = this.get(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
}

const NO_PLUGINS: readonly KyselyPlugin[] = Object.freeze([]);

export class MutationExecutor implements QueryExecutor, ConnectionProvider {
  private isOpen = false;
  private readonly connection: DatabaseConnection;

  constructor(
    private readonly statements: StatementCache,
    private readonly compiler: QueryCompiler,
    readonly adapter: DialectAdapter,
  ) {
    this.connection = {
      executeQuery: <R>(q: CompiledQuery) => this.executeQuery<R>(q as CompiledQuery<R>),
      streamQuery: <R>(q: CompiledQuery) => this.streamQuery<R>(q),
    };
  }

  /** The replica opens the executor at BEGIN and closes it at COMMIT or ROLLBACK. */
  open(): void {
    this.isOpen = true;
  }

  close(): void {
    this.isOpen = false;
  }

  get plugins(): readonly KyselyPlugin[] {
    return NO_PLUGINS;
  }

  transformQuery<T extends RootOperationNode>(node: T): T {
    return node;
  }

  compileQuery<R = unknown>(node: RootOperationNode, queryId: QueryId): CompiledQuery<R> {
    return this.compiler.compileQuery(node, queryId) as CompiledQuery<R>;
  }

  executeQuery<R>(q: CompiledQuery<R>): Promise<QueryResult<R>> {
    try {
      this.assertOpen();
      return Promise.resolve(this.statements.run<R>(q.sql, q.parameters));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  async *stream<R>(q: CompiledQuery<R>): AsyncIterableIterator<QueryResult<R>> {
    yield* this.streamQuery<R>(q);
  }

  private async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    this.assertOpen();
    const stmt = this.statements.get(q.sql);
    if (!stmt.reader) throw new Error('only queries that return rows can be streamed');
    for (const row of stmt.iterate(q.parameters)) {
      this.assertOpen();
      yield { rows: [row as R] };
    }
  }

  provideConnection<T>(consumer: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
      return consumer(this.connection);
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  withConnectionProvider(provider: ConnectionProvider): QueryExecutor {
    return new DefaultQueryExecutor(this.compiler, this.adapter, provider, []);
  }

  withPlugin(plugin: KyselyPlugin): QueryExecutor {
    return this.withPlugins([plugin]);
  }

  withPlugins(plugins: readonly KyselyPlugin[]): QueryExecutor {
    return new DefaultQueryExecutor(this.compiler, this.adapter, this, [...plugins]);
  }

  withPluginAtFront(plugin: KyselyPlugin): QueryExecutor {
    return this.withPlugins([plugin]);
  }

  withoutPlugins(): QueryExecutor {
    return this;
  }

  private assertOpen(): void {
    if (!this.isOpen) throw new Error('no mutation is running: a mutator uses its transaction only inside apply');
  }
}
