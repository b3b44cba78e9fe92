/**
 * The desk's half of sync on a real replica file, with pulls written by hand as the server would
 * send them: acknowledgement, rebase of pending work over the server's rows, rejections into the
 * conflict inbox, children replaced with their parent, deletions, chunk positions, and a pull that
 * fails half-way leaving the replica exactly as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PullResponse, RowSet } from '../../../sync/protocol';
import { openTestReplica } from '../testing';
import type { Replica } from '../replica/replica';
import { ReplicaSync } from './replica-sync';

const open: Replica[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function desk() {
  const t = await openTestReplica();
  open.push(t.replica);
  return { ...t, sync: new ReplicaSync(t.replica, t.ids) };
}

/** The rows of a table as the server would send them. */
function rowSet(r: Replica, table: string, where = '1 = 1', ...params: unknown[]): RowSet {
  const rows = r.sqlite.prepare(`SELECT * FROM ${table} WHERE ${where}`).all(...params) as Record<string, unknown>[];
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  return { columns, rows: rows.map((row) => columns.map((c) => row[c])) };
}

function pull(p: Partial<PullResponse>): PullResponse {
  return { cookie: 1, ceiling: 1, after: null, more: false, total: null, lastMutationId: 0, tables: {}, deletes: {}, rejections: [], ...p };
}

const names = (r: Replica) => (r.sqlite.prepare('SELECT name FROM customers ORDER BY name').all() as { name: string }[]).map((x) => x.name);
const outboxIds = (r: Replica) => (r.sqlite.prepare('SELECT mutation_id FROM outbox ORDER BY mutation_id').all() as { mutation_id: number }[]).map((x) => x.mutation_id);
const count = (r: Replica, table: string) => (r.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function customerArgs(name: string, phone: string) {
  return { name, phone, gender: 'unknown', notes: '', tags: [] };
}

describe('applying a pull on the desk', () => {
  it('records an undo for every pending write, and drops it with the outbox entry once acknowledged', async () => {
    const d = await desk();
    await d.replica.mutate('customer.create', { id: d.ids.newId(), ...customerArgs('Ann', '+8613800000001') }, d.owner);
    expect(outboxIds(d.replica)).toEqual([1, 2]);
    expect(count(d.replica, 'undo_log')).toBeGreaterThan(0);

    // The server applied both: it sends the same rows back and acknowledges up to 2.
    const server = { organizations: rowSet(d.replica, 'organizations'), sites: rowSet(d.replica, 'sites'), customers: rowSet(d.replica, 'customers') };
    const applied = await d.sync.applyPull(pull({ cookie: 7, ceiling: 7, lastMutationId: 2, tables: server }), 0);
    expect(applied.acknowledged).toBe(2);
    expect(outboxIds(d.replica)).toEqual([]);
    expect(count(d.replica, 'undo_log')).toBe(0);
    expect(names(d.replica)).toEqual(['Ann']);
    expect(d.sync.position().cookie).toBe(7);
  });

  it('rebases pending work over the server’s rows: the server’s change and the desk’s own both show', async () => {
    const d = await desk();
    const annId = d.ids.newId();
    await d.replica.mutate('customer.create', { id: annId, ...customerArgs('Ann', '+8613800000001') }, d.owner);
    const base = { organizations: rowSet(d.replica, 'organizations'), sites: rowSet(d.replica, 'sites'), customers: rowSet(d.replica, 'customers') };
    await d.sync.applyPull(pull({ cookie: 2, ceiling: 2, lastMutationId: 2, tables: base }), 0);

    // The desk makes Bob (pending); meanwhile another desk renamed Ann on the server.
    await d.replica.mutate('customer.create', { id: d.ids.newId(), ...customerArgs('Bob', '+8613800000002') }, d.owner);
    const renamed = rowSet(d.replica, 'customers', 'id = ?', annId);
    renamed.rows[0]![renamed.columns.indexOf('name')] = 'Ann Li';
    const applied = await d.sync.applyPull(pull({ cookie: 3, ceiling: 3, lastMutationId: 2, tables: { customers: renamed } }), 0);

    expect(names(d.replica)).toEqual(['Ann Li', 'Bob']);
    expect(outboxIds(d.replica)).toEqual([3]);
    expect(applied.failedLocally).toBe(0);
    // Bob's insert is the only thing left to undo.
    expect(count(d.replica, 'undo_log')).toBe(1);
  });

  it('moves a rejected mutation to the conflict inbox with the server’s reason and takes its effect back', async () => {
    const d = await desk();
    const base = { organizations: rowSet(d.replica, 'organizations'), sites: rowSet(d.replica, 'sites') };
    await d.sync.applyPull(pull({ lastMutationId: 1, tables: base }), 0);
    await d.replica.mutate('customer.create', { id: d.ids.newId(), ...customerArgs('Bob', '+8613800000002') }, d.owner);
    expect(names(d.replica)).toEqual(['Bob']);

    const error = { code: 'CONFLICT' as const, key: 'errors.customer.phoneTaken', params: { name: 'Robert' } };
    const res = pull({ cookie: 2, ceiling: 2, lastMutationId: 2, rejections: [{ mutationId: 2, name: 'customer.create', args: {}, staffId: d.owner.staffId, error, at: 99 }] });
    const applied = await d.sync.applyPull(res, 100);

    expect(applied.rejected).toBe(1);
    expect(names(d.replica)).toEqual([]);
    expect(outboxIds(d.replica)).toEqual([]);
    const conflict = d.replica.sqlite.prepare('SELECT name, error, actor, resolution FROM sync_conflicts').get() as Record<string, string | null>;
    expect(conflict.name).toBe('customer.create');
    expect(JSON.parse(conflict.error!)).toEqual(error);
    expect(JSON.parse(conflict.actor!).staffId).toBe(d.owner.staffId);
    expect(conflict.resolution).toBeNull();
  });

  it('keeps a pending mutation that no longer fits in the outbox, without its local effect', async () => {
    const d = await desk();
    await d.sync.applyPull(pull({ lastMutationId: 1, tables: { organizations: rowSet(d.replica, 'organizations'), sites: rowSet(d.replica, 'sites') } }), 0);
    await d.replica.mutate('customer.create', { id: d.ids.newId(), ...customerArgs('Bob', '+8613800000002') }, d.owner);
    // Another desk registered the same phone first: on re-run here, Bob's registration is refused.
    const other = rowSet(d.replica, 'customers');
    other.rows[0]![other.columns.indexOf('id')] = d.ids.newId();
    other.rows[0]![other.columns.indexOf('name')] = 'Robert';
    const applied = await d.sync.applyPull(pull({ cookie: 2, ceiling: 2, lastMutationId: 1, tables: { customers: other } }), 0);
    expect(applied.failedLocally).toBe(1);
    expect(names(d.replica)).toEqual(['Robert']);
    // Still waiting for the server's word.
    expect(outboxIds(d.replica)).toEqual([2]);
  });

  it('replaces a pulled parent’s children and applies deletions', async () => {
    const d = await desk();
    await d.sync.applyPull(pull({ lastMutationId: 1, tables: { organizations: rowSet(d.replica, 'organizations'), sites: rowSet(d.replica, 'sites') } }), 0);
    const siteId = (d.replica.sqlite.prepare('SELECT id FROM sites').get() as { id: string }).id;
    const resourceId = d.ids.newId();
    await d.replica.mutate('resource.create', { id: resourceId, siteId, kind: 'room', name: 'Room 1' }, d.owner);
    const resources = rowSet(d.replica, 'resources');
    await d.sync.applyPull(pull({ cookie: 2, ceiling: 2, lastMutationId: 2, tables: { resources } }), 0);
    // A hold the server has, then its deletion.
    const holdId = d.ids.newId();
    const hold = {
      columns: ['id', 'organization_id', 'site_id', 'service_id', 'session_id', 'seats', 'resource_ids', 'start_at', 'end_at', 'blocked_start', 'blocked_end', 'expires_at', 'created_by', 'customer_id', 'purpose', 'waitlist_entry_id', 'created_at'],
      rows: [[holdId, d.organizationId, siteId, null, null, 1, JSON.stringify([resourceId]), 1000, 2000, 1000, 2000, 5000, d.owner.staffId, null, 'manual', null, 1]],
    };
    await d.sync.applyPull(pull({ cookie: 3, ceiling: 3, lastMutationId: 2, tables: { holds: hold } }), 0);
    expect(count(d.replica, 'holds')).toBe(1);
    await d.sync.applyPull(pull({ cookie: 4, ceiling: 4, lastMutationId: 2, deletes: { holds: [holdId] } }), 0);
    expect(count(d.replica, 'holds')).toBe(0);
  });

  it('keeps the chunk position while a chunked pull is under way, and clears it at the end', async () => {
    const d = await desk();
    const first = pull({ cookie: 0, ceiling: 9, more: true, total: 3, after: { table: 1, version: 4, id: 'x' }, lastMutationId: 1, tables: { organizations: rowSet(d.replica, 'organizations'), sites: rowSet(d.replica, 'sites') } });
    await d.sync.applyPull(first, 0);
    expect(d.sync.position()).toEqual({ cookie: 0, ceiling: 9, after: { table: 1, version: 4, id: 'x' }, total: 3, received: 2 });
    await d.sync.applyPull(pull({ cookie: 9, ceiling: 9, lastMutationId: 1 }), 0);
    expect(d.sync.position()).toEqual({ cookie: 9, ceiling: null, after: null, total: null, received: 0 });
  });

  it('leaves everything as it was when a pull fails half-way', async () => {
    const d = await desk();
    await d.replica.mutate('customer.create', { id: d.ids.newId(), ...customerArgs('Ann', '+8613800000001') }, d.owner);
    const before = ['customers', 'organizations', 'sites', 'outbox', 'undo_log', 'meta'].map((t) => d.replica.sqlite.prepare(`SELECT * FROM ${t}`).all());
    // A customer row without its NOT NULL name: the upsert fails after the undo and earlier rows.
    const bad = rowSet(d.replica, 'customers');
    bad.rows[0]![bad.columns.indexOf('name')] = null;
    await expect(d.sync.applyPull(pull({ cookie: 5, ceiling: 5, lastMutationId: 2, tables: { organizations: rowSet(d.replica, 'organizations'), customers: bad } }), 0)).rejects.toThrow();
    const after = ['customers', 'organizations', 'sites', 'outbox', 'undo_log', 'meta'].map((t) => d.replica.sqlite.prepare(`SELECT * FROM ${t}`).all());
    expect(after).toEqual(before);
    // And the desk still works.
    await d.replica.mutate('customer.create', { id: d.ids.newId(), ...customerArgs('Bob', '+8613800000002') }, d.owner);
    expect(names(d.replica)).toEqual(['Ann', 'Bob']);
  });
});
