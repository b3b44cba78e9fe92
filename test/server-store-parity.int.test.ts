/**
 * The desk's replica (SQLite) and the server's store (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set) hold the same synced tables: the same columns with the same
 * nullability, and the same mutators write the same rows into both. This lives in test/ because it
 * opens both sides, which neither server/ nor electron/ may import from the other.
 */
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import { ManualClock } from '../core/clock';
import type { DomainTables } from '../core/db-schema';
import { createIdSource } from '../core/ids';
import { findMutator, latestMutatorVersion } from '../core/mutators';
import { parseOrThrow } from '../core/validation';
import { ALL_SYNCED_TABLES } from '../sync/tables';
import { Replica } from '../electron/host/replica/replica';
import { seededRandom, tempDir } from '../electron/host/testing';
import { clinicScenario, storeMutator, testBackends, TestStores, type RunMutator } from '../server/store/testing';

const START = Date.UTC(2026, 10, 22, 1, 0, 0);
const stores = new TestStores();
const replicas: Replica[] = [];
afterEach(async () => {
  await stores.closeAll();
  await Promise.all(replicas.splice(0).map((r) => r.close()));
});
afterAll(() => stores.dispose());

function openReplica(): Replica {
  const clock = new ManualClock(START);
  const replica = Replica.open({ file: path.join(tempDir(), 'desk.sqlite'), clock, ids: createIdSource(clock, seededRandom(99)) });
  replicas.push(replica);
  return replica;
}

interface Column {
  name: string;
  nullable: boolean;
}

describe.each(testBackends())('the store on %s and the replica', (backend) => {
  it('have the same columns and nullability in every synced table (row_version is the server’s own)', async () => {
    const replica = openReplica();
    const store = await stores.open(backend);
    const info = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
      SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()`.execute(store.db);
    const storeColumns = (table: string): Column[] =>
      info.rows
        .filter((c) => c.table_name === table && c.column_name !== 'row_version')
        .map((c) => ({ name: c.column_name, nullable: c.is_nullable === 'YES' }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const replicaColumns = (table: string): Column[] =>
      replica.sqlite
        .prepare<[], { name: string; notnull: number; pk: number }>(`SELECT name, "notnull", pk FROM pragma_table_info('${table}')`)
        .all()
        // SQLite lets a non-INTEGER primary key hold NULL unless told otherwise; no row ever does.
        .map((c) => ({ name: c.name, nullable: c.notnull === 0 && c.pk === 0 }))
        .sort((a, b) => a.name.localeCompare(b.name));
    for (const table of ALL_SYNCED_TABLES) {
      expect(replicaColumns(table).length, table).toBeGreaterThan(0);
      expect(storeColumns(table), table).toEqual(replicaColumns(table));
    }
  });

  it('get the same rows from the same mutators', async () => {
    const replica = openReplica();
    const store = await stores.open(backend);
    const run = (side: 'desk' | 'server'): { run: RunMutator; clock: ManualClock; ids: ReturnType<typeof createIdSource> } => {
      const clock = new ManualClock(START);
      const ids = createIdSource(clock, seededRandom(7));
      if (side === 'server') {
        const mutate = storeMutator(store, clock, ids);
        return { clock, ids, run: async (name, args, actor) => (await mutate(name, args, actor)).result as never };
      }
      return {
        clock,
        ids,
        run: async (name, rawArgs, actor) => {
          const m = findMutator(name, latestMutatorVersion(name));
          const args = parseOrThrow(m.args, rawArgs);
          return (await replica.db
            .transaction()
            .execute((tx) => m.apply(tx as unknown as Transaction<DomainTables>, args, { actor, clock, ids, location: 'desk' }))) as never;
        },
      };
    };
    const desk = run('desk');
    const server = run('server');
    const onDesk = await clinicScenario(desk.run, desk.ids, desk.clock);
    const onServer = await clinicScenario(server.run, server.ids, server.clock);
    expect(onServer.results).toEqual(onDesk.results);

    const rows = (list: Record<string, unknown>[]) =>
      list
        .map(({ row_version: _v, ...rest }) => JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))))
        .sort();
    for (const table of ALL_SYNCED_TABLES) {
      const deskRows = rows(replica.sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]);
      const serverRows = rows((await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(store.db)).rows);
      expect(serverRows, table).toEqual(deskRows);
    }
  });
});
