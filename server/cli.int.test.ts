/**
 * `foyer admin …` and `foyer server`, run in-process: an organization and an enrollment code made
 * from the command line work for a desk; mistakes get usage or a localized reason and exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../core/clock';
import { runCli, type CliResult } from './cli';
import { TestStores, testBackends } from './store/testing';
import { PASSWORD, T0, apiClient, startTestServer } from './testing';
import type { Store } from './store/store';

const stores = new TestStores();
afterAll(() => stores.dispose());

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const CODE = /\b[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}\b/;

async function run(argv: string[], opts: { store?: Store; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult & { out: string }> {
  const lines: string[] = [];
  const env = { FOYER_PASSWORD: PASSWORD, ...opts.env };
  const r = await runCli(argv, { log: (s) => lines.push(s), env, clock: new ManualClock(T0), ...(opts.store ? { store: opts.store } : {}) });
  return { ...r, out: lines.join('\n') };
}

describe.each(testBackends())('foyer admin on %s', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await stores.open(backend);
  });

  it('creates an organization and an enrollment code a desk can enroll with', async () => {
    const created = await run(
      ['admin', 'org:create', '--name', 'Sunrise, Clinic', '--country', 'CN', '--site', 'Downtown, East,clinic,Asia/Shanghai', '--site', 'Gym,gym,Asia/Shanghai', '--owner-name', 'Li Wei', '--owner-login', 'liwei'],
      { store },
    );
    expect(created.exitCode).toBe(0);
    const organizationId = created.out.match(new RegExp(`Organization created: (${UUID.source})`))![1]!;

    const listed = await run(['admin', 'org:list', '--json'], { store });
    const orgs = JSON.parse(listed.out) as { id: string; name: string; sites: { name: string; kind: string }[] }[];
    expect(orgs).toContainEqual(expect.objectContaining({ id: organizationId, name: 'Sunrise, Clinic', sites: [expect.objectContaining({ name: 'Downtown, East', kind: 'clinic' }), expect.objectContaining({ name: 'Gym', kind: 'gym' })] }));

    const staff = await run(['admin', 'staff:create', '--org', organizationId, '--name', 'Wang Fang', '--login', 'wangfang', '--role', 'front_desk'], { store });
    expect(staff.exitCode).toBe(0);
    expect(staff.out).toMatch(/Staff member created: /);

    const coded = await run(['admin', 'enroll:code', '--org', organizationId, '--name', 'Front desk 1', '--ttl-hours', '2'], { store });
    expect(coded.exitCode).toBe(0);
    const code = coded.out.match(CODE)![0];
    expect(coded.out).toContain(new Date(T0 + 2 * 3600_000).toISOString());

    const t = await startTestServer(store);
    try {
      const enrolled = await apiClient(t.url).enroll.mutate({ code });
      expect(enrolled.organizationId).toBe(organizationId);
      const me = await apiClient(t.url, enrolled.token).login.mutate({ login: 'wangfang', password: PASSWORD });
      expect(me).toMatchObject({ name: 'Wang Fang', role: 'front_desk' });

      const devices = await run(['admin', 'device:list', '--org', organizationId], { store });
      expect(devices.out).toMatch(new RegExp(`${enrolled.deviceId}\\s+Front desk 1\\s+active`));
      const revoked = await run(['admin', 'device:revoke', '--org', organizationId, '--device', enrolled.deviceId], { store });
      expect(revoked.exitCode).toBe(0);
      expect((await run(['admin', 'device:list', '--org', organizationId, '--json'], { store })).out).toContain('"revokedAt": ');
    } finally {
      await t.server.close();
    }
  });

  it('explains mistakes with usage (exit 2) and refusals in the user’s language (exit 1)', async () => {
    const usage = await run([], { store });
    expect(usage.exitCode).toBe(2);
    expect(usage.out).toContain('Usage: foyer server');

    expect((await run(['admin', '--help'], { store })).exitCode).toBe(0);
    const unknown = await run(['admin', 'org:destroy'], { store });
    expect(unknown).toMatchObject({ exitCode: 2 });
    expect(unknown.out).toContain('Unknown admin command: org:destroy');

    const missing = await run(['admin', 'enroll:code', '--name', 'Desk'], { store });
    expect(missing.exitCode).toBe(2);
    expect(missing.out).toContain('Missing --org.');

    const noPassword = await run(['admin', 'org:create', '--name', 'X', '--country', 'CN', '--site', 'A,clinic,Asia/Shanghai', '--owner-name', 'A', '--owner-login', 'a'], {
      store,
      env: { FOYER_PASSWORD: '' },
    });
    expect(noPassword.exitCode).toBe(2);
    expect(noPassword.out).toContain('FOYER_PASSWORD');

    const invalid = await run(['admin', 'org:create', '--name', 'X', '--country', 'China', '--site', 'A,spa,Asia/Shanghai', '--owner-name', 'A', '--owner-login', 'a'], { store });
    expect(invalid.exitCode).toBe(2);
    expect(invalid.out).toContain('Please correct the highlighted fields.');
    expect(invalid.out).toContain('defaultCountry: Use a two-letter country code such as CN.');
    expect(invalid.out).toContain('sites.0.kind: A site is a clinic or a gym.');

    const notFound = await run(['admin', 'device:list', '--org', '01972e27-0a80-7000-898e-1011b0ac818b'], { store, env: { LANG: 'zh_CN.UTF-8' } });
    expect(notFound.exitCode).toBe(1);
    expect(notFound.out).toBe('此机构不存在。');

    const t = await startTestServer(store);
    try {
      const busy = await run(['server', '--port', String(t.server.port)], { store });
      expect(busy.exitCode).toBe(1);
      expect(busy.server).toBeUndefined();
      expect(busy.out).toContain('The port is already in use.');
    } finally {
      await t.server.close();
    }
  });
});

describe('foyer server', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-server-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the PGlite store in its data folder, where `foyer admin` wrote', async () => {
    const env = { DATABASE_URL: '' };
    const created = await run(['admin', 'org:create', '--data-dir', dir, '--name', 'Folder Clinic', '--country', 'CN', '--site', 'Main,clinic,Asia/Shanghai', '--owner-name', 'A', '--owner-login', 'a'], { env });
    expect(created.exitCode).toBe(0);
    const organizationId = created.out.match(UUID)![0];
    const code = (await run(['admin', 'enroll:code', '--data-dir', dir, '--org', organizationId, '--name', 'Desk'], { env })).out.match(CODE)![0];

    const started = await run(['server', '--data-dir', dir, '--port', '0'], { env });
    expect(started.exitCode).toBe(0);
    const server = started.server!;
    try {
      expect(started.out).toMatch(/Foyer server ready at http:\/\/127\.0\.0\.1:\d+ — store: PGlite in /);
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', store: 'pglite' });
      const enrolled = await apiClient(server.url).enroll.mutate({ code });
      expect(enrolled.organizationId).toBe(organizationId);
    } finally {
      await server.close();
    }
    const badPort = await run(['server', '--data-dir', dir, '--port', 'eighty'], { env });
    expect(badPort.exitCode).toBe(2);
  }, 120_000);
});
