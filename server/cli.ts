/**
 * `foyer server` (the cloud backend) and `foyer admin …` (scripted administration on its store).
 *
 * Exit codes: 0 done; 1 refused or failed (the reason is printed in the user's language); 2 a
 * usage mistake or invalid input.
 */
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import { formatMessage, type Language } from '../core/i18n/messages';
import { createIdSource } from '../core/ids';
import { createEnrollmentCode, listDevices, revokeDevice } from './admin/devices';
import { createOrganization, listOrganizations, type AdminDeps } from './admin/organizations';
import { createStaff, setStaffActive } from './admin/staff';
import { startServer, type RunningServer } from './app';
import { openStore, type Store } from './store/store';

export const DEFAULT_PORT = 5180;

const USAGE = `Usage: foyer server [--port N] [--host ADDR] [--data-dir DIR]
       foyer admin <command> [options]

Storage: PostgreSQL when DATABASE_URL is set (postgres://user:password@host:5432/db); otherwise
embedded PGlite in --data-dir (env FOYER_SERVER_DATA_DIR, default ~/.config/Foyer/server).
Only one process can open a PGlite folder: stop the server before running admin commands on it.

Server options:
  --port N            port to listen on (env PORT, default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR         address to listen on (env HOST, default 127.0.0.1; 0.0.0.0 for every interface)

Admin commands:
  org:create      --name NAME --country CC --site "NAME,clinic|gym,TIME_ZONE" [--site …]
                  --owner-name NAME --owner-login LOGIN
  org:list
  staff:create    --org ORG_ID --name NAME --login LOGIN --role ROLE [--site SITE_ID]
                  roles: owner, admin, booking_manager, provider, front_desk
  staff:activate  --org ORG_ID --staff STAFF_ID
  staff:deactivate --org ORG_ID --staff STAFF_ID
  enroll:code     --org ORG_ID --name DESK_NAME [--site SITE_ID …] [--ttl-hours N (default 24)]
  device:list     --org ORG_ID
  device:revoke   --org ORG_ID --device DEVICE_ID

  Passwords (org:create, staff:create) come from the environment variable FOYER_PASSWORD, or
  --password (visible to other users of this machine in the process list).
  --json prints the result as JSON.

Example:
  FOYER_PASSWORD='…' foyer admin org:create --name "Sunrise Clinic" --country CN \\
    --site "Downtown,clinic,Asia/Shanghai" --owner-name "Li Wei" --owner-login liwei
  foyer admin enroll:code --org <ORG_ID> --name "Front desk 1"
`;

export interface CliOptions {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** A store to use instead of opening one (tests); the CLI leaves it open. */
  store?: Store;
  clock?: Clock;
}

export interface CliResult {
  exitCode: number;
  /** `foyer server`: the running server; closing it closes its store too. */
  server?: RunningServer;
}

/** Where PGlite keeps the server's data when no DATABASE_URL is set. */
export function defaultServerDataDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.FOYER_SERVER_DATA_DIR) return env.FOYER_SERVER_DATA_DIR;
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Foyer', 'server');
}

export function languageOf(env: NodeJS.ProcessEnv): Language {
  const lang = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

class UsageError extends Error {}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  name: { type: 'string' },
  country: { type: 'string' },
  site: { type: 'string', multiple: true },
  'owner-name': { type: 'string' },
  'owner-login': { type: 'string' },
  'owner-password': { type: 'string' },
  password: { type: 'string' },
  org: { type: 'string' },
  login: { type: 'string' },
  role: { type: 'string' },
  staff: { type: 'string' },
  device: { type: 'string' },
  'ttl-hours': { type: 'string' },
  'created-by': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function runCli(argv: string[], opts: CliOptions = {}): Promise<CliResult> {
  const log = opts.log ?? ((s: string) => process.stdout.write(s + '\n'));
  const env = opts.env ?? process.env;
  const lang = languageOf(env);
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS }));
  } catch (e) {
    log(`${(e as Error).message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  const [command, sub] = positionals;
  if (values.help || (command !== 'server' && command !== 'admin') || (command === 'admin' && !sub)) {
    log(USAGE);
    return { exitCode: values.help ? 0 : 2 };
  }

  let store: Store | null = opts.store ?? null;
  const ownsStore = store === null;
  let serving = false;
  try {
    if (command === 'server') {
      const port = parsePort(values.port ?? env.PORT);
      const dataDir = values['data-dir'] ?? defaultServerDataDir(env);
      store ??= await openStore(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, onError: (e) => log(`store: ${e.message}`) } : { dataDir });
      const server = await startServer({ store, port, host: values.host ?? env.HOST ?? '127.0.0.1', log, ...(opts.clock ? { clock: opts.clock } : {}) });
      const owned = store;
      log(`Foyer server ready at ${server.url} — store: ${owned.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}`}`);
      serving = true;
      return {
        exitCode: 0,
        server: {
          ...server,
          close: async () => {
            await server.close();
            if (ownsStore) await owned.close();
          },
        },
      };
    }
    const handler = ADMIN[sub!];
    if (!handler) throw new UsageError(`Unknown admin command: ${sub}`);
    const request = handler.request(values, env);
    store ??= await openStore(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: values['data-dir'] ?? defaultServerDataDir(env) });
    const clock = opts.clock ?? { now: () => Date.now() };
    const deps: AdminDeps = { store, clock, ids: createIdSource(clock, (n) => randomBytes(n)) };
    const result = await request(deps);
    log(values.json ? JSON.stringify(result, null, 2) : handler.print(result as never));
    return { exitCode: 0 };
  } catch (e) {
    if (e instanceof UsageError) {
      log(`${e.message}\n\nRun \`foyer admin --help\` for the commands and their options.`);
      return { exitCode: 2 };
    }
    if (AppError.is(e)) {
      log(describeError(lang, e));
      return { exitCode: e.code === 'INVALID' ? 2 : 1 };
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') log(`The port is already in use. Stop the other program or choose another with --port.`);
    else log(`Foyer could not finish: ${err.stack ?? String(e)}`);
    return { exitCode: 1 };
  } finally {
    // The server's store stays open while it serves; closing the server closes it.
    if (ownsStore && store && !serving) await store.close();
  }
}

/** An AppError in the user's language, with one line per field issue. */
export function describeError(lang: Language, e: AppError): string {
  const lines = [formatMessage(lang, e.key, e.params)];
  for (const i of e.issues) lines.push(`  ${i.path.join('.') || '(input)'}: ${formatMessage(lang, i.key, i.params)}`);
  return lines.join('\n');
}

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Invalid port: ${raw}`);
  return port;
}

function required(values: Values, name: keyof Values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`Missing --${name}.`);
  return v;
}

function password(values: Values, env: NodeJS.ProcessEnv, flag: 'password' | 'owner-password'): string {
  const v = values[flag] ?? env.FOYER_PASSWORD;
  if (!v) throw new UsageError(`Give the password in the environment variable FOYER_PASSWORD (or with --${flag}).`);
  return v;
}

/** `NAME,KIND,TIME_ZONE`; the name may itself hold commas. */
function parseSite(spec: string): { name: string; kind: string; timeZone: string } {
  const parts = spec.split(',');
  if (parts.length < 3) throw new UsageError(`A site is "NAME,clinic|gym,TIME_ZONE", e.g. "Downtown,clinic,Asia/Shanghai"; got "${spec}".`);
  const timeZone = parts.pop()!.trim();
  const kind = parts.pop()!.trim();
  return { name: parts.join(',').trim(), kind, timeZone };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

const iso = (t: number | null) => (t === null ? '—' : new Date(t).toISOString());

interface AdminCommand<R> {
  /** Reads the options (UsageError when one is missing) into the call to make. */
  request(values: Values, env: NodeJS.ProcessEnv): (deps: AdminDeps) => Promise<R>;
  print(result: R): string;
}

function command<R>(c: AdminCommand<R>): AdminCommand<unknown> {
  return c as AdminCommand<unknown>;
}

const ADMIN: Record<string, AdminCommand<unknown>> = {
  'org:create': command({
    request(values, env) {
      const input = {
        name: required(values, 'name'),
        defaultCountry: required(values, 'country'),
        sites: (values.site ?? []).map(parseSite),
        owner: { name: required(values, 'owner-name'), login: required(values, 'owner-login'), password: password(values, env, 'owner-password') },
      };
      if (input.sites.length === 0) throw new UsageError('Give at least one --site "NAME,clinic|gym,TIME_ZONE".');
      return (deps) => createOrganization(deps, input);
    },
    print: (r) => `Organization created: ${r.organizationId}\nSites: ${r.siteIds.join(', ')}\nOwner (staff id): ${r.ownerStaffId}`,
  }),
  'org:list': command({
    request: () => (deps) => listOrganizations(deps),
    print: (orgs) =>
      orgs.length === 0
        ? 'No organizations yet. Create one with `foyer admin org:create`.'
        : orgs.map((o) => `${o.id}  ${o.name} (${o.defaultCountry})\n${o.sites.map((s) => `  site ${s.id}  ${s.name} (${s.kind}, ${s.timeZone})`).join('\n')}`).join('\n'),
  }),
  'staff:create': command({
    request(values, env) {
      const input = {
        organizationId: required(values, 'org'),
        name: required(values, 'name'),
        login: required(values, 'login'),
        password: password(values, env, 'password'),
        role: required(values, 'role'),
        siteId: values.site?.[0] ?? null,
      };
      return (deps) => createStaff(deps, input);
    },
    print: (r) => `Staff member created: ${r.staffId}`,
  }),
  'staff:activate': command({
    request: (values) => {
      const input = { organizationId: required(values, 'org'), staffId: required(values, 'staff'), active: true };
      return (deps) => setStaffActive(deps, input);
    },
    print: () => 'Staff member activated.',
  }),
  'staff:deactivate': command({
    request: (values) => {
      const input = { organizationId: required(values, 'org'), staffId: required(values, 'staff'), active: false };
      return (deps) => setStaffActive(deps, input);
    },
    print: () => 'Staff member deactivated: they can no longer sign in, and their unsent changes are refused.',
  }),
  'enroll:code': command({
    request(values) {
      const hours = values['ttl-hours'] === undefined ? 24 : Number(values['ttl-hours']);
      if (!Number.isFinite(hours) || hours <= 0) throw new UsageError(`Invalid --ttl-hours: ${values['ttl-hours']}`);
      const input = {
        organizationId: required(values, 'org'),
        name: required(values, 'name'),
        siteIds: values.site && values.site.length > 0 ? values.site : null,
        createdBy: values['created-by'] ?? `cli:${operator()}`,
        ttlMs: Math.round(hours * 3600_000),
      };
      return (deps) => createEnrollmentCode(deps, input);
    },
    print: (r) =>
      `Enrollment code for "${r.name}":\n\n    ${r.code}\n\n` +
      `Enter it on the new desk. It works once, until ${iso(r.expiresAt)}, for sites: ${r.siteIds.join(', ')}.\n` +
      'It is not stored in readable form: if it is lost, make a new one.',
  }),
  'device:list': command({
    request: (values) => {
      const input = { organizationId: required(values, 'org') };
      return (deps) => listDevices(deps, input);
    },
    print: (devices) =>
      devices.length === 0
        ? 'No desks enrolled yet. Make a code with `foyer admin enroll:code`.'
        : table([
            ['ID', 'NAME', 'STATUS', 'LAST SEEN', 'SITES'],
            ...devices.map((d) => [d.id, d.name, d.revokedAt === null ? 'active' : `revoked ${iso(d.revokedAt)}`, iso(d.lastSeenAt), d.siteIds.join(',')]),
          ]),
  }),
  'device:revoke': command({
    request: (values) => {
      const input = { organizationId: required(values, 'org'), deviceId: required(values, 'device') };
      return (deps) => revokeDevice(deps, input);
    },
    print: (r) => `Desk revoked at ${iso(r.revokedAt)}: its next request is refused. Enroll it again with a new code to bring it back.`,
  }),
};

function operator(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
