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

export interface HostOptions {
  dataDir: string;
  port: number;
  host?: string;
  rendererDir: string | null;
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
  try {
    let actor = actorFromMeta(replica);
    if (opts.demo !== false) actor = await seedDemo(replica, opts.demoCustomers);
    const current = actor ?? NOBODY;
    const token = opts.token ?? randomBytes(32).toString('base64url');
    devices = new DeviceManager({
      store: new DeviceStore(replica.sqlite),
      newId: () => replica.newId(),
      now: () => replica.now(),
      organizationId: () => current.organizationId,
      ...(opts.log === undefined ? {} : { log: opts.log }),
    });
    // Drivers connect in the background: a printer that is off does not delay the desk.
    devices.start();
    const server = await startHttpServer({
      replica,
      devices,
      actor: () => current,
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
      server,
      async close() {
        await server.close();
        // Before the replica: gates switch their relays off, job states reach the database.
        await devices?.close();
        await replica.close();
      },
    };
  } catch (e) {
    await devices?.close();
    await replica.close();
    throw e;
  }
}
