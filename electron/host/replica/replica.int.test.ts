import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { AppError } from '../../../core/errors';
import { openTestReplica, tempDir } from '../testing';
import { Replica } from './replica';
import { MIGRATIONS } from './migrations/index';
import { latestVersion, migrate } from './migrate';
import { searchCustomers } from './customers.queries';
import { ManualClock } from '../../../core/clock';
import { createIdSource } from '../../../core/ids';

const open: Replica[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function setup() {
  const t = await openTestReplica();
  open.push(t.replica);
  return t;
}

async function outboxCount(r: Replica): Promise<number> {
  return (await r.outboxHealth()).pending;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (AppError.is(e)) return e;
    throw e;
  }
  throw new Error('expected the mutation to be refused');
}

describe('replica file', () => {
  it('is a WAL database with foreign keys on and STRICT tables at the latest schema', async () => {
    const { replica } = await setup();
    expect(replica.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(replica.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(replica.sqlite.pragma('user_version', { simple: true })).toBe(latestVersion(MIGRATIONS));
    const tables = replica.sqlite
      .prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all();
    expect(tables.length).toBeGreaterThan(4);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
  });

  it('keeps the same client id across reopenings', async () => {
    const { replica, file } = await setup();
    const id = replica.clientId;
    await replica.close();
    open.pop();
    const clock = new ManualClock(0);
    const again = Replica.open({ file, clock, ids: createIdSource(clock, () => new Uint8Array(16)) });
    open.push(again);
    expect(again.clientId).toBe(id);
  });

  it('refuses a database written by a newer app and leaves it untouched', () => {
    const file = path.join(tempDir(), 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.exec('CREATE TABLE future (x INTEGER) STRICT');
    raw.close();
    const clock = new ManualClock(0);
    let err: unknown;
    try {
      Replica.open({ file, clock, ids: createIdSource(clock, () => new Uint8Array(16)) });
    } catch (e) {
      err = e;
    }
    expect(AppError.is(err) && err.code).toBe('SCHEMA_TOO_NEW');
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'customers'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('runs pending migrations in one transaction: a failing step leaves the old schema', () => {
    const db = new Database(':memory:');
    const failing = [
      ...MIGRATIONS,
      {
        version: latestVersion(MIGRATIONS) + 10,
        name: 'broken',
        up(d: Database.Database) {
          d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, failing)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('half_done', 'customers')").get()).toEqual({ n: 0 });
    const latest = latestVersion(MIGRATIONS);
    expect(migrate(db, MIGRATIONS)).toEqual({ from: 0, to: latest, applied: MIGRATIONS.map((m) => m.version) });
    expect(migrate(db, MIGRATIONS)).toEqual({ from: latest, to: latest, applied: [] });
  });
});

describe('customer mutations', () => {
  it('write the customer and its outbox entry together', async () => {
    const { replica, owner, ids } = await setup();
    const before = await outboxCount(replica);
    const id = ids.newId();
    await replica.mutate('customer.create', { id, name: '李四', phone: '139 0000 1111', tags: ['VIP'] }, owner);
    expect(await outboxCount(replica)).toBe(before + 1);
    const entry = replica.sqlite.prepare('SELECT client_id, name, version, args FROM outbox ORDER BY mutation_id DESC LIMIT 1').get() as {
      client_id: string;
      name: string;
      version: number;
      args: string;
    };
    expect(entry).toMatchObject({ client_id: replica.clientId, name: 'customer.create', version: 1 });
    expect(JSON.parse(entry.args)).toMatchObject({ id, name: '李四', phone: '+8613900001111', tags: ['VIP'] });
  });

  it.each([
    ['an invalid phone', { name: 'A', phone: '12345' }, 'phone', 'errors.phone.cnMobile'],
    ['a bad id checksum', { name: 'A', phone: '13900001112', nationalId: '110105194912310021' }, 'nationalId', 'errors.nationalId.checksum'],
    ['a missing name', { name: ' ', phone: '13900001113' }, 'name', 'errors.name.required'],
  ])('refuse %s at the field and write nothing', async (_label, input, field, key) => {
    const { replica, owner, ids, organizationId } = await setup();
    const before = await outboxCount(replica);
    const err = await rejection(replica.mutate('customer.create', { id: ids.newId(), ...input }, owner));
    expect(err.code).toBe('INVALID');
    expect(err.issues).toContainEqual({ path: [field], key });
    expect(await outboxCount(replica)).toBe(before);
    expect((await searchCustomers(replica, organizationId, '')).items).toEqual([]);
  });

  it('refuse a duplicate phone, naming the existing customer, and write nothing', async () => {
    const { replica, owner, ids } = await setup();
    await replica.mutate('customer.create', { id: ids.newId(), name: '王芳', phone: '13700001234' }, owner);
    const before = await outboxCount(replica);
    const err = await rejection(replica.mutate('customer.create', { id: ids.newId(), name: 'Other', phone: '+86 137 0000 1234' }, owner));
    expect(err.code).toBe('CONFLICT');
    expect(err.issues[0]).toMatchObject({ path: ['phone'], key: 'errors.customer.phoneTaken', params: { name: '王芳' } });
    expect(await outboxCount(replica)).toBe(before);
    const n = replica.sqlite.prepare('SELECT count(*) AS n FROM customers').get() as { n: number };
    expect(n.n).toBe(1);
  });

  it('refuse a phone change to a number another customer has, but allow keeping one’s own', async () => {
    const { replica, owner, ids } = await setup();
    const a = ids.newId();
    await replica.mutate('customer.create', { id: a, name: 'A', phone: '13700000001' }, owner);
    await replica.mutate('customer.create', { id: ids.newId(), name: 'B', phone: '13700000002' }, owner);
    const err = await rejection(replica.mutate('customer.update', { id: a, patch: { phone: '13700000002' } }, owner));
    expect(err.code).toBe('CONFLICT');
    await replica.mutate('customer.update', { id: a, patch: { phone: '13700000001', notes: 'allergic to penicillin' } }, owner);
    const row = replica.sqlite.prepare('SELECT phone, notes FROM customers WHERE id = ?').get(a);
    expect(row).toEqual({ phone: '+8613700000001', notes: 'allergic to penicillin' });
  });

  it('refuse an update whose birth date contradicts the stored id number', async () => {
    const { replica, owner, ids } = await setup();
    const id = ids.newId();
    await replica.mutate('customer.create', { id, name: 'A', phone: '13700000003', nationalId: '11010519491231002X' }, owner);
    const err = await rejection(replica.mutate('customer.update', { id, patch: { birthDate: '1950-01-01' } }, owner));
    expect(err.issues).toContainEqual({ path: ['birthDate'], key: 'errors.birthDate.mismatchId' });
  });

  it('refuse a birth date in the future', async () => {
    const { replica, owner, ids } = await setup();
    const err = await rejection(replica.mutate('customer.create', { id: ids.newId(), name: 'A', phone: '13700000004', birthDate: '2030-01-01' }, owner));
    expect(err.issues).toContainEqual({ path: ['birthDate'], key: 'errors.birthDate.future' });
  });

  it('keep organizations apart: a customer of another organization cannot be edited', async () => {
    const { replica, owner, ids } = await setup();
    const id = ids.newId();
    await replica.mutate('customer.create', { id, name: 'A', phone: '13700000005' }, owner);
    const stranger = { ...owner, organizationId: ids.newId() };
    const err = await rejection(replica.mutate('customer.update', { id, patch: { name: 'Hacked' } }, stranger));
    expect(err.code).toBe('NOT_FOUND');
  });

  it('refuse an action the role does not hold', async () => {
    const { replica, owner } = await setup();
    const frontDesk = { ...owner, role: 'front_desk' as const };
    const err = await rejection(
      replica.mutate('organization.setup', { id: owner.organizationId, name: 'X', defaultCountry: 'CN', sites: [] }, frontDesk),
    );
    expect(err.code).toBe('FORBIDDEN');
  });

  it('roll back the customer when the outbox write fails', async () => {
    const { replica, owner, ids } = await setup();
    replica.sqlite.exec("CREATE TRIGGER outbox_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    await expect(replica.mutate('customer.create', { id: ids.newId(), name: 'A', phone: '13700000006' }, owner)).rejects.toThrow('disk full');
    expect(replica.sqlite.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 0 });
  });

  it('tell listeners after each committed change, and not after a refused one', async () => {
    const { replica, owner, ids } = await setup();
    const seen: string[] = [];
    replica.onChange((e) => seen.push(`${e.mutation}:${e.tables.join(',')}`));
    await replica.mutate('customer.create', { id: ids.newId(), name: 'A', phone: '13700000007' }, owner);
    await rejection(replica.mutate('customer.create', { id: ids.newId(), name: 'B', phone: '13700000007' }, owner));
    expect(seen).toEqual(['customer.create:customers']);
  });
});

describe('customer search', () => {
  it('finds by part of a name, pinyin initials and phone digits, best match first', async () => {
    const { replica, owner, ids, organizationId } = await setup();
    for (const [name, phone] of [
      ['张三', '13812345678'],
      ['张三丰', '13812340000'],
      ['Joanna Smith', '+44 7911 123456'],
      ['Anna Lee', '13900005678'],
    ] as const) {
      await replica.mutate('customer.create', { id: ids.newId(), name, phone }, owner);
    }
    const names = async (q: string) => (await searchCustomers(replica, organizationId, q)).items.map((c) => c.name);
    expect(await names('张三')).toEqual(['张三', '张三丰']);
    expect(await names('zs')).toEqual(['张三', '张三丰']);
    expect(await names('zsf')).toEqual(['张三丰']);
    expect(await names('anna')).toEqual(['Anna Lee', 'Joanna Smith']);
    expect(await names('5678')).toEqual(['Anna Lee', '张三'].sort((a, b) => a.localeCompare(b, 'zh-CN')));
    expect(await names('138 1234')).toEqual(['张三', '张三丰']);
    expect(await names('nobody')).toEqual([]);
  });

  it('indexes customers a crash left unindexed when the replica reopens', async () => {
    const { replica, owner, organizationId, file } = await setup();
    await replica.close();
    open.pop();
    // What a crash after the mutation's commit and before indexing leaves behind: the customer and
    // its queue row (written by trigger in the same transaction), no search terms.
    const raw = new Database(file);
    raw
      .prepare(
        "INSERT INTO customers (id, organization_id, name, phone, national_id, birth_date, gender, notes, tags, created_at, updated_at, created_by) VALUES (?, ?, '孙悟空', '+8613300000001', NULL, NULL, 'male', '', '[]', 0, 0, ?)",
      )
      .run('01900000-0000-7000-8000-000000000001', organizationId, owner.staffId);
    expect(raw.prepare('SELECT count(*) AS n FROM customer_search_queue').get()).toEqual({ n: 1 });
    raw.close();
    const clock = new ManualClock(0);
    const again = Replica.open({ file, clock, ids: createIdSource(clock, () => new Uint8Array(16)) });
    open.push(again);
    expect(again.sqlite.prepare('SELECT count(*) AS n FROM customer_search_queue').get()).toEqual({ n: 0 });
    expect((await searchCustomers(again, organizationId, 'swk')).items.map((c) => c.name)).toEqual(['孙悟空']);
  });

  it('never misses a customer committed just before the search', async () => {
    const { replica, owner, ids, organizationId } = await setup();
    for (let i = 0; i < 20; i++) {
      await replica.mutate('customer.create', { id: ids.newId(), name: `Burst ${i}`, phone: `1330000${String(i).padStart(4, '0')}` }, owner);
      const found = await searchCustomers(replica, organizationId, `burst ${i}`);
      expect(found.items.map((c) => c.name)).toContain(`Burst ${i}`);
    }
  });

  it('follows renames and phone changes', async () => {
    const { replica, owner, ids, organizationId } = await setup();
    const id = ids.newId();
    await replica.mutate('customer.create', { id, name: '刘洋', phone: '13600000001' }, owner);
    await replica.mutate('customer.update', { id, patch: { name: '刘阳阳', phone: '13600000002' } }, owner);
    const names = async (q: string) => (await searchCustomers(replica, organizationId, q)).items.map((c) => c.name);
    expect(await names('lyy')).toEqual(['刘阳阳']);
    expect(await names('0002')).toEqual(['刘阳阳']);
    expect(await names('0001')).toEqual([]);
  });
});
