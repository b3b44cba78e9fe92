/**
 * The desk's replica: one SQLite file (better-sqlite3) in the data folder, opened in WAL mode with
 * foreign keys on, migrated on open, and queried through Kysely so the mutators in core/ run here
 * exactly as they will on the server.
 *
 * Every write is a mutator: `mutate` validates the arguments, checks the actor's permission, runs
 * `apply` and appends the outbox entry in ONE transaction, then tells listeners what changed.
 * Kysely's SQLite driver holds a single connection behind a mutex, so a read never sees another
 * caller's half-done transaction. A mutation holds that mutex from BEGIN to COMMIT and runs its
 * queries through `MutationExecutor` (mutation-executor.ts), straight on cached statements.
 *
 * Durability: WAL with synchronous=NORMAL survives any process crash (SIGKILL included) with every
 * committed transaction; only a power cut may lose the last commits, never corrupt the file.
 *
 * The customer search index is derived data, kept out of the mutation's transaction (it is ~30
 * B-tree rows per customer, most of a mutation's cost). A trigger queues the customer id in the
 * same transaction; `flushSearchIndex` drains the queue in batches right after commits, and every
 * search flushes first, so a search never misses a committed change. After a crash the queue is
 * still there and is drained on open.
 */
import Database from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteDialect, SqliteDriver, SqliteQueryCompiler, Transaction, type SqliteDialectConfig, type SqliteStatement } from 'kysely';
import { AppError } from '../../../core/errors';
import type { Clock } from '../../../core/clock';
import type { IdSource } from '../../../core/ids';
import type { DomainTables } from '../../../core/db-schema';
import type { Actor, MutatorContext } from '../../../core/mutator';
import { findMutator, latestMutatorVersion } from '../../../core/mutators';
import { can } from '../../../core/permissions';
import { parseOrThrow } from '../../../core/validation';
import { searchTerms } from '../../../core/customers/search-terms';
import { MIGRATIONS, type Migration } from './migrations/index';
import { migrate } from './migrate';
import { MutationExecutor, StatementCache } from './mutation-executor';

export interface OutboxTable {
  mutation_id: number | undefined;
  client_id: string;
  name: string;
  version: number;
  args: string;
  actor: string;
  created_at: number;
}

export interface ReplicaTables extends DomainTables {
  meta: { key: string; value: string };
  outbox: OutboxTable;
  customer_search: { term: string; customer_id: string };
  customer_search_queue: { customer_id: string };
}

export interface ChangeEvent {
  /** `local` for a mutation made on this desk, `sync` for rows a pull brought (or a rebase moved). */
  source: 'local' | 'sync';
  mutation: string;
  tables: string[];
}

export interface ReplicaOptions {
  file: string;
  clock: Clock;
  ids: IdSource;
  migrations?: readonly Migration[];
}

export interface OutboxHealth {
  pending: number;
  oldestCreatedAt: number | null;
}

/** Which tables a mutator writes, for change events (the UI refetches what it shows from them). */
const BOOKING_TABLES = ['bookings', 'booking_resources', 'booking_events', 'holds', 'waitlist_entries'];
const TABLES_BY_PREFIX: Record<string, string[]> = {
  customer: ['customers'],
  organization: ['organizations', 'sites'],
  site: ['sites', 'site_closures'],
  department: ['departments'],
  resource: ['resources'],
  service: ['services'],
  classSession: ['class_sessions', 'session_resources', ...BOOKING_TABLES],
  // The no-show sweep may blacklist customers.
  booking: [...BOOKING_TABLES, 'customers'],
  hold: ['holds', 'waitlist_entries'],
  waitlist: ['waitlist_entries', 'holds'],
};

/** The tables a mutator may write, by its area (`booking` of `booking.create`). */
export function tablesWrittenBy(mutatorName: string): string[] {
  return TABLES_BY_PREFIX[mutatorName.split('.')[0]!] ?? [];
}

export class Replica {
  readonly sqlite: Database.Database;
  readonly db: Kysely<ReplicaTables>;
  readonly clientId: string;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private readonly statements: StatementCache;
  /** Kysely's driver of `db`: its mutex is the replica's one connection. */
  private readonly driver: SqliteDriver;
  /** The executor and transaction every mutation gets, open only while one runs. */
  private readonly executor: MutationExecutor;
  private readonly tx: Transaction<DomainTables>;
  private indexScheduled = false;
  private indexStatements: IndexStatements | null = null;
  private closed = false;

  private constructor(sqlite: Database.Database, opts: ReplicaOptions) {
    this.sqlite = sqlite;
    this.clock = opts.clock;
    this.ids = opts.ids;
    this.statements = new StatementCache(sqlite);
    const dialect = new ReplicaDialect({
      database: { prepare: (sql) => this.statements.get(sql) as unknown as SqliteStatement, close: () => sqlite.close() },
    });
    this.db = new Kysely<ReplicaTables>({ dialect });
    this.driver = dialect.driver;
    // The same adapter as `db`'s, so query templates compiled for one serve the other.
    this.executor = new MutationExecutor(this.statements, new SqliteQueryCompiler(), this.db.getExecutor().adapter);
    this.tx = new Transaction<DomainTables>({ config: { dialect }, dialect, driver: new DummyDriver(), executor: this.executor });
    this.clientId = this.ensureClientId();
    this.indexSync();
  }

  static open(opts: ReplicaOptions): Replica {
    const sqlite = new Database(opts.file);
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      // Statement journals of multi-row writes stay in memory instead of spilling to temp files.
      sqlite.pragma('temp_store = MEMORY');
      migrate(sqlite, opts.migrations ?? MIGRATIONS);
      return new Replica(sqlite, opts);
    } catch (e) {
      sqlite.close();
      throw e;
    }
  }

  private ensureClientId(): string {
    const row = this.sqlite.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'client_id'").get();
    if (row) return row.value;
    const id = this.ids.newId();
    this.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('client_id', ?)").run(id);
    return id;
  }

  getMeta(key: string): string | null {
    return this.sqlite.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  newId(): string {
    return this.ids.newId();
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * Runs a mutator and records it in the outbox, atomically. Bad arguments, a missing permission or
   * a rule the mutator enforces throw an AppError and write nothing.
   */
  async mutate<R = unknown>(name: string, rawArgs: unknown, actor: Actor, version?: number): Promise<R> {
    const m = findMutator(name, version ?? latestMutatorVersion(name));
    if (!can(actor.role, m.permission)) throw new AppError('FORBIDDEN', 'errors.forbidden', { action: name });
    const args = parseOrThrow(m.args, rawArgs);
    const ctx: MutatorContext = { actor, clock: this.clock, ids: this.ids, location: 'desk' };
    // Kysely's mutex is held from BEGIN to COMMIT, so no other query of this replica runs inside
    // the transaction or between its statements.
    await this.driver.acquireConnection();
    let result: unknown;
    try {
      this.statements.get('BEGIN').run();
      this.executor.open();
      try {
        result = await m.apply(this.tx, args, ctx);
        this.statements
          .get('INSERT INTO outbox (client_id, name, version, args, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(this.clientId, m.name, m.version, JSON.stringify(args), JSON.stringify(actor), this.clock.now());
        this.statements.get('COMMIT').run();
      } catch (e) {
        // A failed COMMIT or a statement error may already have ended the transaction.
        if (this.sqlite.inTransaction) this.statements.get('ROLLBACK').run();
        throw e;
      } finally {
        this.executor.close();
      }
    } finally {
      void this.driver.releaseConnection();
    }
    this.scheduleIndexing();
    this.emit({ source: 'local', mutation: m.name, tables: TABLES_BY_PREFIX[m.name.split('.')[0]!] ?? [] });
    return result as R;
  }

  /**
   * Brings the customer search index up to date with every committed change. Holds Kysely's
   * connection (its mutex) so no transaction is open while it writes.
   */
  async flushSearchIndex(): Promise<number> {
    if (this.closed) return 0;
    return this.db.connection().execute(async () => this.indexSync());
  }

  private scheduleIndexing(): void {
    if (this.indexScheduled) return;
    this.indexScheduled = true;
    setImmediate(() => {
      this.indexScheduled = false;
      this.flushSearchIndex().catch(() => {
        // The queue stays; the next flush (every search does one) retries.
      });
    });
  }

  /** Drains the search queue in one transaction per batch; returns how many customers it indexed. */
  private indexSync(batch = 1000): number {
    const q = (this.indexStatements ??= {
      take: this.sqlite.prepare<[number], { customer_id: string }>('SELECT customer_id FROM customer_search_queue LIMIT ?'),
      getCustomer: this.sqlite.prepare<[string], { name: string; phone: string; national_id: string | null }>(
        'SELECT name, phone, national_id FROM customers WHERE id = ?',
      ),
      clear: this.sqlite.prepare<[string]>('DELETE FROM customer_search WHERE customer_id = ?'),
      insert: this.sqlite.prepare<[string, string]>('INSERT OR IGNORE INTO customer_search (term, customer_id) VALUES (?, ?)'),
      done: this.sqlite.prepare<[string]>('DELETE FROM customer_search_queue WHERE customer_id = ?'),
    });
    const { take, getCustomer, clear, insert, done } = q;
    let total = 0;
    for (;;) {
      const ids = take.all(batch);
      if (ids.length === 0) return total;
      this.sqlite.transaction(() => {
        for (const { customer_id: id } of ids) {
          clear.run(id);
          const c = getCustomer.get(id);
          if (c) for (const term of searchTerms({ name: c.name, phone: c.phone, nationalId: c.national_id })) insert.run(term, id);
          done.run(id);
        }
      }).immediate();
      total += ids.length;
    }
  }

  async outboxHealth(): Promise<OutboxHealth> {
    const r = await this.db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min<number | null>('created_at').as('oldest')])
      .executeTakeFirstOrThrow();
    return { pending: Number(r.pending), oldestCreatedAt: r.oldest ?? null };
  }

  /** A pull changed these tables (electron/host/sync): reindex and tell the listeners. */
  notifyPulled(tables: readonly string[]): void {
    if (tables.length === 0) return;
    this.scheduleIndexing();
    this.emit({ source: 'sync', mutation: 'sync.pull', tables: [...tables] });
  }

  onChange(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ChangeEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A failing listener (a closed socket) must not undo or block a committed write.
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.flushSearchIndex();
    this.closed = true;
    await this.db.destroy();
  }
}

/** Kysely's SQLite dialect, keeping its driver: `mutate` takes the driver's connection mutex itself. */
class ReplicaDialect extends SqliteDialect {
  readonly driver: SqliteDriver;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.driver = new SqliteDriver(config);
  }

  override createDriver(): SqliteDriver {
    return this.driver;
  }
}

interface IndexStatements {
  take: Database.Statement<[number], { customer_id: string }>;
  getCustomer: Database.Statement<[string], { name: string; phone: string; national_id: string | null }>;
  clear: Database.Statement<[string]>;
  insert: Database.Statement<[string, string]>;
  done: Database.Statement<[string]>;
}
