/**
 * Starts a desk host: opens (and migrates) the replica in the data folder, seeds the demo
 * organization on first run, and serves the UI router on 127.0.0.1 with a fresh per-launch token.
 * No `electron` import: the same function backs the Electron app, `npm run serve`, headless desks
 * and the tests.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes, webcrypto } from 'node:crypto';
import type { Clock } from '../../core/clock';
import { createIdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import { DeviceManager } from './devices/device-manager';
import { DeviceStore } from './devices/device-store';
import { Replica } from './replica/replica';
import { actorFromMeta, seedDemo } from './seed/demo';
import { startHttpServer, type RunningServer } from './http-server';
import { DeskSync } from './sync/desk-sync';
import { DeskSession } from './auth/desk-session';
import { enrollWithServer } from './sync/server-api';

export interface HostOptions {
  dataDir: string;
  port: number;
  host?: string;
  rendererDir: string | null;
  /** Enrol this desk with a server (once: a desk already enrolled keeps its enrolment). */
  enroll?: { serverUrl: string; code: string; name?: string };
  /** Seed the demo organization on first run (default true). */
  demo?: boolean;
  demoCustomers?: number;
  token?: string;
  clock?: Clock;
  log?: (line: string) => void;
}

export interface RunningHost {
  url: string;
  token: string;
  replica: Replica;
  devices: DeviceManager;
  sync: DeskSync;
  session: DeskSession;
  server: RunningServer;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

/** An actor for a desk that has no organization yet: it can read nothing and write nothing. */
const NOBODY: Actor = { staffId: '', role: 'front_desk', organizationId: '', siteId: null };

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  mkdirSync(opts.dataDir, { recursive: true });
  const clock = opts.clock ?? systemClock;
  const ids = createIdSource(clock, (n) => webcrypto.getRandomValues(new Uint8Array(n)));
  const replica = Replica.open({ file: path.join(opts.dataDir, 'desk.sqlite'), clock, ids });
  let devices: DeviceManager | undefined;
  const sync = new DeskSync(replica, { clock, ids, onApplied: (tables) => replica.notifyPulled(tables), ...(opts.log === undefined ? {} : { log: opts.log }) });
  try {
    if (opts.enroll && !replica.getMeta('device_token')) {
      const e = await enrollWithServer(opts.enroll.serverUrl, opts.enroll.code, opts.enroll.name);
      replica.setMeta('device_id', e.deviceId);
      sync.enroll(opts.enroll.serverUrl, e.token);
      opts.log?.(`Enrolled with ${opts.enroll.serverUrl} as device ${e.deviceId}.`);
    }
    let actor = actorFromMeta(replica);
    // A desk enrolled with a server gets its organization from the server, not from a demo.
    if (opts.demo !== false && !sync.serverUrl) actor = await seedDemo(replica, opts.demoCustomers);
    const session = new DeskSession(replica, () => actor, () => clock.now());
    const current = () => session.actor() ?? NOBODY;
    const token = opts.token ?? randomBytes(32).toString('base64url');
    devices = new DeviceManager({
      store: new DeviceStore(replica.sqlite),
      newId: () => replica.newId(),
      now: () => replica.now(),
      organizationId: () => current().organizationId,
      ...(opts.log === undefined ? {} : { log: opts.log }),
    });
    // Drivers connect in the background: a printer that is off does not delay the desk.
    devices.start();
    // An enrolled desk syncs in the background: a server that is down does not delay the desk.
    sync.start();
    const server = await startHttpServer({
      replica,
      devices,
      sync,
      session,
      actor: current,
      token,
      host: opts.host ?? '127.0.0.1',
      port: opts.port,
      rendererDir: opts.rendererDir,
      log: opts.log,
    });
    return {
      url: server.url,
      token,
      replica,
      devices,
      sync,
      session,
      server,
      async close() {
        await server.close();
        await sync.close();
        // Before the replica: gates switch their relays off, job states reach the database.
        await devices?.close();
        await replica.close();
      },
    };
  } catch (e) {
    await sync.close();
    await devices?.close();
    await replica.close();
    throw e;
  }
}
