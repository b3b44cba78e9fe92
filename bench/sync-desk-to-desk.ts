/**
 * sync-desk-to-desk: the Sync issue's target "a booking made on desk A is in desk B's replica:
 * p50 under 5 ms, p99 under 25 ms".
 *
 * Rig: one server (`startServer` on a loopback port, over a store on PostgreSQL, see
 * lib/sync-world.ts) and two desk hosts (`startHost`, no renderer, no demo), each enrolled with a
 * one-time code over HTTP and syncing as it does in production (DeskSync: ServerLink over HTTP for
 * push and pull, a WebSocket for pokes). All three run in this one Node process. The clinic (8
 * practitioners round the clock, a 15-minute service, 50 customers) is made on the server first
 * and reaches both desks by their first pull.
 *
 * What is timed, per sample: from calling `replica.mutate('booking.create', …)` on desk A to the
 * change event (source 'sync') on desk B after which B's SQLite holds that booking (checked with
 * one prepared statement in the listener). In between: A's local mutation, A's sync loop pushing
 * it over HTTP, the server re-running it with its checks in a write transaction and committing,
 * the NOTIFY after the commit, the server's LISTEN connection hearing it and poking the desks'
 * subscriptions over WebSocket, B pulling over HTTP, and B applying the pull (rebase) in one
 * SQLite transaction.
 *
 * Each booking goes to its own practitioner and quarter hour from tomorrow on, so none conflicts.
 * Before each sample the benchmark waits until both desks' sync loops are idle and no request is in
 * flight (A pulls too after its push, and again on its own poke), then 10 ms more.
 *
 * Split (logged, and in the figure's note): timestamps from probes that change nothing: the desks'
 * requests (a wrapper around `fetch`, which ServerLink's HTTP link calls), the store's write
 * transactions and notifications (lib/sync-world.ts probedStore), and B's change event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type RunningHost } from '../electron/host/host';
import { startServer, type RunningServer } from '../server/app';
import { summarize, roundSig } from './lib/stats';
import { enrolmentCode, gridStart, openBenchStore, postgresCpuMs, probedStore, setUpClinic, slotOf, type Clinic } from './lib/sync-world';
import type { Benchmark, Figure, Log } from './lib/types';

const WARMUP = 30;
const TIMED = 200;
const SAMPLE_TIMEOUT_MS = 10_000;

interface DeskRequest {
  desk: string;
  op: 'push' | 'pull';
  start: number;
  end: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Records the desks' push and pull requests (ServerLink's HTTP link calls the global fetch). */
function recordRequests(deskByToken: Map<string, string>) {
  const realFetch = globalThis.fetch;
  const requests: DeskRequest[] = [];
  const state = { inFlight: 0 };
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const op = /\/sync\/(push|pull)\b/.exec(url)?.[1] as 'push' | 'pull' | undefined;
    const token = new Headers(init?.headers).get('authorization')?.slice('Bearer '.length);
    const desk = token === undefined ? undefined : deskByToken.get(token);
    if (!op || !desk) return realFetch(input, init);
    const rec: DeskRequest = { desk, op, start: performance.now(), end: Number.NaN };
    state.inFlight++;
    try {
      const res = await realFetch(input, init);
      rec.end = performance.now();
      return res;
    } finally {
      state.inFlight--;
      requests.push(rec);
    }
  }) as typeof fetch;
  return { requests, state, restore: () => (globalThis.fetch = realFetch) };
}

const bench: Benchmark = {
  name: 'sync-desk-to-desk',
  async run(log: Log) {
    const bs = await openBenchStore(log, 'd2d');
    const dirs: string[] = [];
    const hosts: RunningHost[] = [];
    let server: RunningServer | null = null;
    const deskByToken = new Map<string, string>();
    const rec = recordRequests(deskByToken);
    try {
      const clinic: Clinic = await setUpClinic(bs.store, { practitioners: 8, customers: 50 });
      const commits: { at: number; ms: number }[] = [];
      const heard: number[] = [];
      const store = probedStore(bs.store, {
        onCommit: (at, _hr, ms, version) => {
          if (version !== null) commits.push({ at, ms });
        },
        onNotified: (at) => heard.push(at),
      });
      server = await startServer({ store, port: 0 });
      const desk = async (name: string) => {
        const dir = mkdtempSync(path.join(os.tmpdir(), `foyer-bench-desk-${name}-`));
        dirs.push(dir);
        const h = await startHost({ dataDir: dir, port: 0, rendererDir: null, demo: false, enroll: { serverUrl: server!.url, code: await enrolmentCode(clinic, name) } });
        hosts.push(h);
        deskByToken.set(h.replica.getMeta('device_token')!, name);
        return h;
      };
      const a = await desk('A');
      const b = await desk('B');
      const count = (h: RunningHost, table: string) => (h.replica.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      await waitFor('the clinic on both desks', () => [a, b].every((h) => count(h, 'customers') === clinic.customers.length && count(h, 'resources') === clinic.practitioners.length));
      log(`two desks enrolled and holding the clinic (${clinic.practitioners.length} practitioners, ${clinic.customers.length} customers)`);

      const hasBooking = b.replica.sqlite.prepare<[string], number>('SELECT 1 FROM bookings WHERE id = ?').pluck();
      let waiting: { id: string; resolve: (at: number) => void } | null = null;
      b.replica.onChange((e) => {
        if (e.source !== 'sync' || !waiting || hasBooking.get(waiting.id) === undefined) return;
        const w = waiting;
        waiting = null;
        w.resolve(performance.now());
      });
      const quiet = async () => {
        // Both loops idle and nothing in flight, twice in a row 5 ms apart, then 10 ms.
        let calm = 0;
        while (calm < 2) {
          await sleep(5);
          calm = a.sync.status().state === 'idle' && b.sync.status().state === 'idle' && rec.state.inFlight === 0 ? calm + 1 : 0;
        }
        await sleep(10);
      };

      const from = gridStart(24 * 3600_000);
      const total: number[] = [];
      const parts: Record<string, number[]> = { mutate: [], toPush: [], pushToCommit: [], commitToHeard: [], heardToPull: [], pull: [], apply: [], serverTx: [] };
      const cpu = { node: [] as number[], pg: [] as number[] };
      let unsplit = 0;
      for (let k = 0; k < WARMUP + TIMED; k++) {
        await quiet();
        const slot = slotOf(clinic, from, k);
        const id = a.replica.newId();
        const arrived = new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`booking ${k} did not reach desk B in ${SAMPLE_TIMEOUT_MS} ms`)), SAMPLE_TIMEOUT_MS);
          waiting = {
            id,
            resolve: (at) => {
              clearTimeout(timer);
              resolve(at);
            },
          };
        });
        const pg0 = postgresCpuMs();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await a.replica.mutate('booking.create', { id, serviceId: clinic.serviceId, customerId: slot.customerId, start: slot.start, resourceIds: [slot.resourceId] }, clinic.owner);
        const t1 = performance.now();
        const t8 = await arrived;
        const used = process.cpuUsage(cpu0);
        const pg1 = postgresCpuMs();
        if (k < WARMUP) continue;
        total.push(t8 - t0);
        cpu.node.push((used.user + used.system) / 1000);
        if (pg0 !== null && pg1 !== null) cpu.pg.push(pg1 - pg0);
        // The split: A's first push after t0, the first commit after it, the first notification after
        // that; B's pull that ended last before B's change event.
        const push = rec.requests.find((r) => r.desk === 'A' && r.op === 'push' && r.start >= t0);
        const commit = push && commits.find((c) => c.at >= push.start);
        const note = commit && heard.find((h) => h >= commit.at);
        const pull = rec.requests.filter((r) => r.desk === 'B' && r.op === 'pull' && r.end <= t8).pop();
        if (!push || !commit || note === undefined || !pull || pull.start < note) {
          unsplit++;
          continue;
        }
        parts.mutate!.push(t1 - t0);
        parts.toPush!.push(push.start - t1);
        parts.pushToCommit!.push(commit.at - push.start);
        parts.serverTx!.push(commit.ms);
        parts.commitToHeard!.push(note - commit.at);
        parts.heardToPull!.push(pull.start - note);
        parts.pull!.push(pull.end - pull.start);
        parts.apply!.push(t8 - pull.end);
      }
      const bookings = (await bs.store.db.selectFrom('bookings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
      if (Number(bookings) !== WARMUP + TIMED) throw new Error(`the server holds ${bookings} bookings, expected ${WARMUP + TIMED}`);
      if (count(b, 'bookings') !== WARMUP + TIMED) throw new Error(`desk B holds ${count(b, 'bookings')} bookings`);

      const s = summarize(total);
      log(`desk A mutate → desk B replica: n=${s.samples}  p50 ${s.p50.toFixed(2)} ms  p90 ${s.p90.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  max ${s.max.toFixed(1)} ms`);
      const labels: Record<string, string> = {
        mutate: 'A: replica.mutate (local write + outbox)',
        toPush: 'A: change event → push request sent',
        pushToCommit: 'push request → server COMMIT returned',
        serverTx: '  of which the server write transaction',
        commitToHeard: 'COMMIT → NOTIFY heard on LISTEN connection',
        heardToPull: 'NOTIFY heard → B pull request sent (poke over WS)',
        pull: 'B: pull request → response headers',
        apply: 'B: response → pull applied, change event',
      };
      const split: string[] = [];
      for (const [k, label] of Object.entries(labels)) {
        const xs = parts[k]!;
        if (xs.length === 0) continue;
        const p = summarize(xs);
        log(`  ${label.padEnd(52)} p50 ${p.p50.toFixed(2)} ms  p90 ${p.p90.toFixed(2)} ms  max ${p.max.toFixed(1)} ms`);
        if (k !== 'serverTx') split.push(`${k} ${p.p50.toFixed(2)}`);
      }
      log(`  (${parts.mutate!.length} samples split, ${unsplit} not split: no matching request/commit/notification)`);
      // /proc counts CPU time in 10 ms ticks: only the mean over many samples means something.
      const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((x, y) => x + y, 0) / xs.length : Number.NaN);
      const cpuNode = mean(cpu.node);
      const cpuPg = mean(cpu.pg);
      log(`CPU per sample, mean: this process (both desks and the server) ${cpuNode.toFixed(2)} ms, PostgreSQL (all its processes) ${cpuPg.toFixed(2)} ms`);
      const figure: Figure = {
        name: 'sync-desk-to-desk',
        unit: 'ms',
        p50: roundSig(s.p50),
        p99: roundSig(s.p99),
        target: { p50: 5, p99: 25 },
        samples: s.samples,
        note: `${bs.note}; desks and server in one process; p50 split (ms): ${split.join(', ')}; CPU per sample (mean): Node ${cpuNode.toFixed(1)} ms, PostgreSQL ${cpuPg.toFixed(1)} ms`,
      };
      return [figure];
    } finally {
      rec.restore();
      for (const h of hosts) await h.close().catch(() => undefined);
      await server?.close().catch(() => undefined);
      await bs.store.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  },
};
export default bench;
