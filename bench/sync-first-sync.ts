/**
 * sync-first-sync: the Sync issue's target "a new desk's first sync of 1,000,000 rows: under 10 s,
 * and under 500 MB of memory on the desk".
 *
 * Server (this process): `startServer` on a loopback port over a store holding 100,000 customers
 * and 900,000 bookings with their booking_resources rows (lib/sync-fill.ts: filled once, kept
 * between runs). Desk (a child process, lib/sync-desk-child.ts, so that its memory is measured
 * alone): a desk host (`startHost`) enrolled with a one-time code, pulling over HTTP through
 * ServerLink as in production, in the sync loop's default chunks (5,000 top-level rows, with
 * their children), each applied by ReplicaSync in one SQLite transaction.
 *
 * Figure: the wall time from `startHost` (modules loaded) to the end of the first complete sync
 * cycle, and in its note the desk process's peak resident memory (the kernel's VmHWM), with the
 * 500 MB target (the runner's figures are times, so the memory target is checked here and
 * written into the note). Logged: where the time went, on the desk (HTTP to the response headers,
 * reading and parsing the bodies, applying, the search indexer that runs between chunks) and on
 * the server (the pull's read transactions), and the time the search index needs after the sync.
 * One sample per run (a run moves 1.9 million rows); BENCHMARKS.md quotes several runs.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../server/app';
import type { DeskChildResult } from './lib/sync-desk-child';
import { filledStore } from './lib/sync-fill';
import { roundSig } from './lib/stats';
import { probedStore } from './lib/sync-world';
import { createEnrollmentCode } from '../server/admin/devices';
import type { Benchmark, Figure, Log } from './lib/types';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'sync-desk-child.ts');
const TARGET_MS = 10_000;
const TARGET_MIB = 500;

function runDesk(url: string, code: string, dataDir: string): Promise<DeskChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [url, code, dataDir], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: DeskChildResult | null = null;
    child.on('message', (m) => {
      result = m as DeskChildResult;
    });
    child.on('error', reject);
    child.on('exit', (status, signal) => {
      if (result) resolve(result);
      else reject(new Error(`the desk process ended without a result (exit ${status ?? signal})`));
    });
  });
}

const bench: Benchmark = {
  name: 'sync-first-sync',
  async run(log: Log) {
    const f = await filledStore(log);
    let server: RunningServer | null = null;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-first-sync-'));
    const reads: number[] = [];
    let deviceName: string | null = null;
    try {
      server = await startServer({ store: probedStore(f.store, { onRead: (ms) => reads.push(ms) }), port: 0 });
      deviceName = `First sync ${path.basename(dir)}`;
      const { code } = await createEnrollmentCode(f.clinic.admin, { organizationId: f.organizationId, name: deviceName, createdBy: 'bench' });
      const cpu0 = process.cpuUsage();
      const d = await runDesk(server.url, code, path.join(dir, 'data'));
      const serverCpu = process.cpuUsage(cpu0);
      const want = { customers: f.counts.customers, bookings: f.counts.bookings, bookingResources: f.counts.bookingResources };
      const got = { customers: d.counts.customers, bookings: d.counts.bookings, bookingResources: d.counts.bookingResources };
      if (JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`the desk holds ${JSON.stringify(got)}, the server ${JSON.stringify(want)}`);
      const readMs = reads.reduce((s, x) => s + x, 0);
      const peak = d.vmHwmMiB ?? d.peakRssMiB;
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      log(`first sync: ${d.rows.toLocaleString('en')} rows in ${d.chunks} chunks, ${(d.pullBytes / 2 ** 20).toFixed(0)} MiB of JSON, in ${s(d.syncMs)}; the search index needed ${s(d.indexAfterMs)} more`);
      log(`  desk: pull requests to response headers ${s(d.pullHeadersMs)}, reading + parsing bodies ${s(d.pullBodyMs)}, applying ${s(d.applyMs)} (CPU ${s(d.applyCpuMs)}), search indexer during the sync ${s(d.indexDuringSyncMs)} (CPU in all ${s(d.indexCpuMs)}); desk CPU ${s(d.cpuMs)}`);
      log(`  server: ${reads.length} read transactions (pull chunks) ${s(readMs)}, median ${roundSig([...reads].sort((a, b) => a - b)[reads.length >> 1] ?? 0)} ms; server process CPU ${s((serverCpu.user + serverCpu.system) / 1000)}`);
      log(`  desk memory: ${d.rssBeforeMiB.toFixed(0)} MiB before startHost, peak ${peak.toFixed(0)} MiB (VmHWM; sampled peak ${d.peakRssMiB.toFixed(0)} MiB); replica file ${d.replicaMiB.toFixed(0)} MiB, ${d.counts.searchTerms.toLocaleString('en')} search-index rows`);
      const figure: Figure = {
        name: 'sync-first-sync',
        unit: 'ms',
        p50: roundSig(d.syncMs),
        target: { p50: TARGET_MS },
        samples: 1,
        note:
          `${d.rows.toLocaleString('en')} rows (100,000 customers, 900,000 bookings + their booking_resources) over HTTP in ${d.chunks} chunks; ` +
          `desk peak RSS ${peak.toFixed(0)} MiB (target < ${TARGET_MIB} MB: ${peak * 1.048576 < TARGET_MIB ? 'ok' : 'MISSED'}); ` +
          `split: server reads ${s(readMs)}, headers ${s(d.pullHeadersMs)}, bodies ${s(d.pullBodyMs)}, apply ${s(d.applyMs)}, indexer ${s(d.indexDuringSyncMs)}; ` +
          `search index done ${s(d.indexAfterMs)} later; ${f.note}`,
      };
      return [figure];
    } finally {
      await server?.close().catch(() => undefined);
      // Leave the cached store as it was: the desk's enrolment goes.
      if (deviceName !== null) {
        const devices = f.store.db.selectFrom('devices').select('id').where('name', '=', deviceName);
        await f.store.db.deleteFrom('sync_clients').where('device_id', 'in', devices).execute();
        await f.store.db.deleteFrom('enrollment_codes').where('name', '=', deviceName).execute();
        await f.store.db.deleteFrom('devices').where('name', '=', deviceName).execute();
      }
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
