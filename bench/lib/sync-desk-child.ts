/**
 * The desk side of sync-first-sync, in its own process so that its memory is the desk's alone:
 *   node --import tsx bench/lib/sync-desk-child.ts <server url> <enrolment code> <data dir>
 * (forked with an IPC channel; the result goes back as one message).
 *
 * It starts a desk host (`startHost`: no renderer, no demo) enrolled with the code, exactly as a
 * new front-desk PC does, and waits for its sync loop's first complete cycle: every chunk of the
 * first pull fetched over HTTP (ServerLink) and applied (ReplicaSync). Timed from the call to
 * `startHost` (modules already loaded) to that moment; then, separately, until the replica's
 * customer search index has caught up (the indexer runs between chunks and after the last).
 *
 * Probes, which change no behaviour: `ReplicaSync.prototype.applyPull` (time in the apply
 * transaction, rows per chunk), `Replica.prototype.flushSearchIndex` (time indexing), and the
 * global `fetch` that ServerLink's HTTP link calls (time to the response headers, and reading and
 * parsing the body in `json()`), with this process's CPU time around the first two. Resident memory is sampled every 20 ms; the peak is also taken
 * from the kernel's high-water mark (VmHWM).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startHost } from '../../electron/host/host';
import { Replica } from '../../electron/host/replica/replica';
import { ReplicaSync } from '../../electron/host/sync/replica-sync';
import type { PullResponse } from '../../sync/protocol';

export interface DeskChildResult {
  syncMs: number;
  indexAfterMs: number;
  chunks: number;
  rows: number;
  applyMs: number;
  applyCpuMs: number;
  indexMs: number;
  indexCpuMs: number;
  indexDuringSyncMs: number;
  pullHeadersMs: number;
  pullBodyMs: number;
  pullBytes: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  vmHwmMiB: number | null;
  replicaMiB: number;
  counts: { customers: number; bookings: number; bookingResources: number; searchTerms: number };
  cpuMs: number;
}

const [url, code, dataDir] = process.argv.slice(2);
if (!url || !code || !dataDir || !process.send) {
  process.stderr.write('usage (forked with IPC): sync-desk-child.ts <server url> <code> <data dir>\n');
  process.exit(2);
}

const MiB = 2 ** 20;
const probe = { chunks: 0, rows: 0, applyMs: 0, applyCpuMs: 0, indexMs: 0, indexCpuMs: 0, pullHeadersMs: 0, pullBodyMs: 0, pullBytes: 0 };
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const applyPull = ReplicaSync.prototype.applyPull;
ReplicaSync.prototype.applyPull = async function (this: ReplicaSync, res: PullResponse, now: number) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    return await applyPull.call(this, res, now);
  } finally {
    probe.applyMs += performance.now() - t0;
    probe.applyCpuMs += cpuMs(process.cpuUsage(c0));
    probe.chunks++;
    for (const set of Object.values(res.tables)) probe.rows += set.rows.length;
  }
};
const flush = Replica.prototype.flushSearchIndex;
Replica.prototype.flushSearchIndex = async function (this: Replica) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    return await flush.call(this);
  } finally {
    probe.indexMs += performance.now() - t0;
    probe.indexCpuMs += cpuMs(process.cpuUsage(c0));
  }
};
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!/\/sync\/pull\b/.test(href)) return realFetch(input, init);
  const t0 = performance.now();
  const res = await realFetch(input, init);
  probe.pullHeadersMs += performance.now() - t0;
  const text = res.text.bind(res);
  // tRPC reads the body with json(): time reading it off the socket and parsing it.
  res.json = async () => {
    const t1 = performance.now();
    const body = await text();
    probe.pullBytes += Buffer.byteLength(body);
    const parsed = JSON.parse(body) as unknown;
    probe.pullBodyMs += performance.now() - t1;
    return parsed;
  };
  return res;
}) as typeof fetch;

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);
const vmHwm = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
};

const rssBefore = process.memoryUsage.rss();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const host = await startHost({ dataDir, port: 0, rendererDir: null, demo: false, enroll: { serverUrl: url, code } });
await new Promise<void>((resolve, reject) => {
  const check = () => {
    const s = host.sync.status();
    if (s.state === 'idle' && s.lastSyncedAt !== null) resolve();
    else if (s.state === 'offline' || s.state === 'unauthorized' || s.state === 'upgradeRequired') reject(new Error(`first sync failed: ${JSON.stringify(s.lastError)}`));
  };
  host.sync.onStatus(check);
  check();
});
const t1 = performance.now();
const indexDuringSyncMs = probe.indexMs;
await host.replica.flushSearchIndex();
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
clearInterval(sampler);
const db = host.replica.sqlite;
const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
const result: DeskChildResult = {
  syncMs: t1 - t0,
  indexAfterMs: t2 - t1,
  chunks: probe.chunks,
  rows: probe.rows,
  applyMs: probe.applyMs,
  applyCpuMs: probe.applyCpuMs,
  indexMs: probe.indexMs,
  indexCpuMs: probe.indexCpuMs,
  indexDuringSyncMs,
  pullHeadersMs: probe.pullHeadersMs,
  pullBodyMs: probe.pullBodyMs,
  pullBytes: probe.pullBytes,
  rssBeforeMiB: rssBefore / MiB,
  peakRssMiB: peakRss / MiB,
  vmHwmMiB: vmHwm(),
  replicaMiB: statSync(path.join(dataDir, 'desk.sqlite')).size / MiB,
  counts: { customers: count('customers'), bookings: count('bookings'), bookingResources: count('booking_resources'), searchTerms: count('customer_search') },
  cpuMs: cpuMs(cpu),
};
await host.close();
process.send(result, () => process.exit(0));
