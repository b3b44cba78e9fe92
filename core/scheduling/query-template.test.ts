import Database from 'better-sqlite3';
import { PGlite } from '@electric-sql/pglite';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Insertable,
  type QueryResult,
} from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { DomainTables, SiteClosuresTable, Tx } from '../db-schema';
import { queryTemplate } from './query-template';

/** Kysely instances that only compile: the SQL each dialect gets, without a database. */
function compileOnly(dialect: 'sqlite' | 'postgres'): Tx {
  return new Kysely<DomainTables>({
    dialect: {
      createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (dialect === 'sqlite' ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

/** A minimal Kysely dialect over PGlite (one session, queries in turn): enough to run the templates on Postgres. */
function pgliteDialect(pg: PGlite): Dialect {
  const connection: DatabaseConnection = {
    async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
      const r = await pg.query<R>(q.sql, [...q.parameters]);
      return { rows: r.rows, numAffectedRows: r.affectedRows === undefined ? undefined : BigInt(r.affectedRows) };
    },
    streamQuery() {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async (c) => void (await c.executeQuery({ sql: 'begin', parameters: [] } as unknown as CompiledQuery)),
    commitTransaction: async (c) => void (await c.executeQuery({ sql: 'commit', parameters: [] } as unknown as CompiledQuery)),
    rollbackTransaction: async (c) => void (await c.executeQuery({ sql: 'rollback', parameters: [] } as unknown as CompiledQuery)),
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

type BlocksQuery = { resourceIds: readonly string[]; active: number; after: number; before: number };
/** Blocks of some resources starting in (after, before), in start order. */
const blocksOf = (db: Tx, p: BlocksQuery) =>
  db.selectFrom('booking_resources').selectAll().where('resource_id', 'in', p.resourceIds).where('active', '=', p.active).where('blocked_start', '>', p.after).where('blocked_start', '<', p.before).orderBy('blocked_start');
type NewBlocks = { bookingId: string; resourceIds: readonly string[]; start: number; end: number; active: number };
const newBlocks = (db: Tx, p: NewBlocks) =>
  db.insertInto('booking_resources').values(p.resourceIds.map((r) => ({ booking_id: p.bookingId, resource_id: r, blocked_start: p.start, blocked_end: p.end, active: p.active })));
const newClosure = (db: Tx, p: Insertable<SiteClosuresTable>) => db.insertInto('site_closures').values(p);

const overlap = queryTemplate(blocksOf);
const insertBlocks = queryTemplate(newBlocks);
const insertClosure = queryTemplate(newClosure);
const CLOSURE: Insertable<SiteClosuresTable> = { id: 'c', organization_id: 'o', site_id: 's', start_at: 5, end_at: 6, reason: 'r', created_by: 'u', created_at: 7 };

describe('query templates compile to what the builder compiles', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const db = compileOnly(dialect);
    it(`on ${dialect}, for each shape (list lengths, inserted columns)`, () => {
      const same = (t: CompiledQuery, built: CompiledQuery) => expect({ sql: t.sql, parameters: t.parameters }).toEqual({ sql: built.sql, parameters: built.parameters });
      for (const ids of [['r1'], ['r1', 'r2'], ['r3', 'r2', 'r1']]) {
        const p = { resourceIds: ids, active: 1, after: 100, before: 200 };
        same(overlap.compile(db, p), blocksOf(db, p).compile());
      }
      for (const ids of [['x'], ['x', 'y']]) {
        const p = { bookingId: 'b', resourceIds: ids, start: 1, end: 2, active: 1 };
        same(insertBlocks.compile(db, p), newBlocks(db, p).compile());
      }
      same(insertClosure.compile(db, CLOSURE), newClosure(db, CLOSURE).compile());
      expect(overlap.compile(db, { resourceIds: ['a', 'b'], active: 1, after: 1, before: 2 }).parameters).toEqual(['a', 'b', 1, 1, 2]);
    });
  }

  it('keeps the SQL of each shape: the same string every run', () => {
    const db = compileOnly('sqlite');
    const a = overlap.compile(db, { resourceIds: ['a', 'b'], active: 1, after: 1, before: 2 });
    const b = overlap.compile(db, { resourceIds: ['c', 'd'], active: 0, after: 3, before: 4 });
    expect(b.sql).toBe(a.sql);
    expect(b.parameters).toEqual(['c', 'd', 0, 3, 4]);
  });

  it('builds every time when the executor has plugins, which may rewrite the query', () => {
    const db = compileOnly('postgres').withSchema('tenant_a');
    const t = overlap.compile(db, { resourceIds: ['a'], active: 1, after: 1, before: 2 });
    expect(t.sql).toContain('"tenant_a"."booking_resources"');
  });

  it('refuses a builder that computes with a parameter, holds a constant, or a run without a value', () => {
    const db = compileOnly('sqlite');
    const computed = queryTemplate((d, p: { start: number }) => d.selectFrom('holds').select('id').where('blocked_start', '>', p.start - 1));
    expect(() => computed.compile(db, { start: 5 })).toThrow(/parameter start is used in an expression/);
    const constant = queryTemplate((d, p: { siteId: string }) => d.selectFrom('holds').select('id').where('site_id', '=', p.siteId).where('seats', '=', 1));
    expect(() => constant.compile(db, { siteId: 's' })).toThrow(/is not a parameter/);
    insertClosure.compile(db, CLOSURE);
    expect(() => insertClosure.compile(db, { ...CLOSURE, reason: undefined as unknown as string })).toThrow(/reason is undefined/);
  });
});

describe('query templates run', () => {
  let pg: PGlite | null = null;
  afterAll(() => pg?.close());

  const sqliteDb = (): Tx => {
    const sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE booking_resources (booking_id TEXT, resource_id TEXT, blocked_start INTEGER, blocked_end INTEGER, active INTEGER)');
    return new Kysely<DomainTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  };
  const pgDb = async (): Promise<Tx> => {
    pg = new PGlite();
    await pg.exec('CREATE TABLE booking_resources (booking_id TEXT, resource_id TEXT, blocked_start BIGINT, blocked_end BIGINT, active INTEGER)');
    return new Kysely<DomainTables>({ dialect: pgliteDialect(pg) });
  };

  for (const [name, open] of [
    ['SQLite', async () => sqliteDb()],
    ['PGlite', pgDb],
  ] as const) {
    it(`on ${name}, inside a transaction, with lists of several lengths`, async () => {
      const db = await open();
      await db.transaction().execute(async (tx) => {
        await insertBlocks.execute(tx, { bookingId: 'b1', resourceIds: ['r1', 'r2'], start: 100, end: 200, active: 1 });
        await insertBlocks.execute(tx, { bookingId: 'b2', resourceIds: ['r2'], start: 150, end: 250, active: 1 });
        await insertBlocks.execute(tx, { bookingId: 'b3', resourceIds: ['r1', 'r2', 'r3'], start: 300, end: 400, active: 0 });
      });
      const rows = async (resourceIds: string[], active: number, after: number, before: number) =>
        (await overlap.execute(db, { resourceIds, active, after, before })).map((r) => `${r.booking_id}/${r.resource_id}/${Number(r.blocked_start)}`);
      expect(await rows(['r2'], 1, 0, 1000)).toEqual(['b1/r2/100', 'b2/r2/150']);
      expect(await rows(['r1', 'r3'], 1, 0, 1000)).toEqual(['b1/r1/100']);
      expect(await rows(['r1', 'r2', 'r3'], 0, 0, 1000)).toEqual(['b3/r1/300', 'b3/r2/300', 'b3/r3/300']);
      expect(await rows(['r1', 'r2'], 1, 120, 1000)).toEqual(['b2/r2/150']);
      expect(await overlap.executeTakeFirst(db, { resourceIds: ['r9'], active: 1, after: 0, before: 1000 })).toBeUndefined();
    }, 120_000);
  }
});
