/**
 * sync-many-desks: the Sync issue's target "500 desks connected at once: after a push, every one of
 * them has pulled the change within 50 ms (p99)".
 *
 * Rig: one server (`startServer` on a loopback port, over a store on PostgreSQL, see
 * lib/sync-world.ts) in this process; 500 desks in a child process (lib/sync-desks-child.ts), each
 * enrolled with its own one-time code and holding its own device token, each a ServerLink (the
 * desk's link: a tRPC WebSocket subscribed to `onPoke`, pulls over HTTP) that pulls with its
 * cookie whenever it is poked. They keep no replica: what is measured is the server fanning a
 * change out, not the desks applying it. All 500 are in one organization and see the same rows.
 *
 * Sample: one push of one `customer.create` from another device (a 501st enrolled device, over
 * HTTP through its own ServerLink); for each of the 500 desks, the time from the end of the push's
 * write transaction (its COMMIT has returned: lib/sync-world.ts probedStore) to the answer of that
 * desk's pull that brought the change. Both ends are `process.hrtime.bigint()` readings, the
 * machine's monotonic clock, in the two processes. 20 pushes after 3 warm-up pushes, 500 ms apart
 * once every desk has the previous one: 10,000 samples.
 *
 * Also logged per push: commit → NOTIFY heard on the LISTEN connection, commit → poke received by
 * the desks, the server's pull transactions, and both processes' CPU time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../server/app';
import { ServerLink } from '../electron/host/sync/server-link';
import { PROTOCOL_VERSION, SCHEMA_VERSION } from '../sync/protocol';
import type { FromDesks, ToDesks } from './lib/sync-desks-child';
import { roundSig, summarize } from './lib/stats';
import { benchIds, benchPhone, enrolDevice, openBenchStore, postgresCpuMs, probedStore, setUpClinic } from './lib/sync-world';
import type { Benchmark, Figure, Log } from './lib/types';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'sync-desks-child.ts');
const DESKS = 500;
const WARMUP = 3;
const TIMED = 20;
const GAP_MS = 500;
const ROUND_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hrMs = (hr: bigint) => Number(hr) / 1e6;

const bench: Benchmark = {
  name: 'sync-many-desks',
  async run(log: Log) {
    const bs = await openBenchStore(log, 'many');
    let server: RunningServer | null = null;
    let pusher: ServerLink | null = null;
    let child: ChildProcess | null = null;
    let childExit: Promise<void> = Promise.resolve();
    const inbox: FromDesks[] = [];
    let wake: (() => void) | null = null;
    const receive = async <T extends FromDesks['type']>(type: T, timeoutMs: number): Promise<Extract<FromDesks, { type: T }>> => {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type || m.type === 'error');
        if (i >= 0) {
          const m = inbox.splice(i, 1)[0]!;
          if (m.type === 'error') throw new Error(`desks: ${m.message}`);
          return m as Extract<FromDesks, { type: T }>;
        }
        if (child?.exitCode != null) throw new Error(`the desks' process ended (exit ${child.exitCode})`);
        if (performance.now() > until) throw new Error(`no '${type}' from the desks in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
        wake = null;
      }
    };
    const tell = (m: ToDesks) => child?.send(m);
    try {
      const clinic = await setUpClinic(bs.store, { practitioners: 1, customers: 1 });
      const t0 = performance.now();
      const tokens: string[] = [];
      for (let i = 0; i < DESKS; i++) tokens.push((await enrolDevice(clinic, `Desk ${i + 1}`)).token);
      const other = await enrolDevice(clinic, 'Online booking');
      log(`enrolled ${DESKS + 1} devices in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const commits = new Map<number, number>();
      const heard = new Map<number, number>();
      let reads = 0;
      let readMs = 0;
      const store = probedStore(bs.store, {
        onCommit: (_at, hr, _ms, version) => {
          if (version !== null) commits.set(version, hrMs(hr));
        },
        onNotified: (_at, payload) => {
          const v = (JSON.parse(payload) as { version?: number }).version;
          if (typeof v === 'number' && !heard.has(v)) heard.set(v, hrMs(process.hrtime.bigint()));
        },
        onRead: (ms) => {
          reads++;
          readMs += ms;
        },
      });
      server = await startServer({ store, port: 0 });
      const c = fork(CHILD, [server.url], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child = c;
      childExit = new Promise<void>((resolve) => c.on('exit', () => resolve()));
      c.on('message', (m: FromDesks) => {
        inbox.push(m);
        wake?.();
      });
      tell({ type: 'desks', tokens });
      await receive('ready', 120_000);
      const s = server;
      while (s.pokes.listenerCount(clinic.organizationId) < DESKS) await sleep(20);
      log(`${DESKS} desks connected (WebSocket subscriptions on the server: ${s.pokes.listenerCount(clinic.organizationId)}) and caught up`);

      pusher = new ServerLink({ url: server.url, token: other.token });
      const ids = benchIds();
      const clientId = ids.newId();
      const latencies: number[] = [];
      const pokeLatencies: number[] = [];
      const perRound: string[] = [];
      const cpuTotals = { server: 0, desks: 0, pg: 0 };
      for (let r = 0; r < WARMUP + TIMED; r++) {
        await sleep(GAP_MS);
        const reads0 = { n: reads, ms: readMs };
        const cpu0 = process.cpuUsage();
        const pg0 = postgresCpuMs();
        const res = await pusher.push({
          protocolVersion: PROTOCOL_VERSION,
          schemaVersion: SCHEMA_VERSION,
          clientId,
          sentAt: Date.now(),
          mutations: [
            {
              id: r + 1,
              name: 'customer.create',
              version: 1,
              args: { id: ids.newId(), name: `Online ${r + 1}`, phone: benchPhone(1_000_000 + r), gender: 'unknown', notes: '', tags: [] },
              staffId: clinic.owner.staffId,
              createdAt: Date.now(),
            },
          ],
        });
        if (res.results[0]?.outcome !== 'applied') throw new Error(`the push was not applied: ${JSON.stringify(res.results[0])}`);
        const version = Math.max(...commits.keys());
        const committed = commits.get(version)!;
        tell({ type: 'expect', version });
        const round = await receive('round', ROUND_TIMEOUT_MS);
        if (round.version !== version) throw new Error(`the desks answered for version ${round.version}, not ${version}`);
        const cpu = process.cpuUsage(cpu0);
        const pg1 = postgresCpuMs();
        const pgCpu = pg0 !== null && pg1 !== null ? pg1 - pg0 : Number.NaN;
        const lat = round.pulled.map((t) => t - committed);
        const poke = round.poked.map((t) => t - committed);
        if (lat.some((x) => !Number.isFinite(x) || x < 0)) throw new Error(`a desk's pull time is missing or before the commit (version ${version})`);
        const sr = summarize(lat);
        const sp = summarize(poke.filter(Number.isFinite));
        const line =
          `push ${r < WARMUP ? 'warm-up' : r - WARMUP + 1} (v${version}): commit → NOTIFY heard ${((heard.get(version) ?? Number.NaN) - committed).toFixed(1)} ms; ` +
          `→ poke received p50 ${sp.p50.toFixed(1)} max ${sp.max.toFixed(1)} ms; → pull answered p50 ${sr.p50.toFixed(1)} p99 ${sr.p99.toFixed(1)} max ${sr.max.toFixed(1)} ms; ` +
          `${reads - reads0.n} pull transactions (${((readMs - reads0.ms) / Math.max(1, reads - reads0.n)).toFixed(1)} ms each); CPU: server ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, desks ${round.cpuMs.toFixed(0)} ms, PostgreSQL ${pgCpu.toFixed(0)} ms`;
        log(line);
        if (r < WARMUP) continue;
        latencies.push(...lat);
        pokeLatencies.push(...poke.filter(Number.isFinite));
        perRound.push(`${sr.max.toFixed(0)}`);
        cpuTotals.server += (cpu.user + cpu.system) / 1000;
        cpuTotals.desks += round.cpuMs;
        cpuTotals.pg += pgCpu;
      }
      const sl = summarize(latencies);
      const sp = summarize(pokeLatencies);
      log(`commit → pull answered, ${sl.samples} samples: p50 ${sl.p50.toFixed(1)} ms  p90 ${sl.p90.toFixed(1)} ms  p99 ${sl.p99.toFixed(1)} ms  max ${sl.max.toFixed(1)} ms`);
      log(`commit → poke received: p50 ${sp.p50.toFixed(1)} ms  p99 ${sp.p99.toFixed(1)} ms`);
      const perPull = (ms: number) => ((ms / (TIMED * DESKS)) * 1000).toFixed(0);
      log(`CPU per desk's pull (push and poke included): server ${perPull(cpuTotals.server)} µs, PostgreSQL ${perPull(cpuTotals.pg)} µs, desks ${perPull(cpuTotals.desks)} µs`);
      const figures: Figure[] = [
        {
          name: 'sync-many-desks',
          unit: 'ms',
          p50: roundSig(sl.p50),
          p99: roundSig(sl.p99),
          target: { p99: 50 },
          samples: sl.samples,
          note: `${DESKS} desks (WebSocket + HTTP pulls, one child process) × ${TIMED} pushes: push commit → each desk's pull answered; slowest desk per push (ms): ${perRound.join(' ')}; CPU per pull: server ${perPull(cpuTotals.server)} µs, PostgreSQL ${perPull(cpuTotals.pg)} µs; ${bs.note}`,
        },
        {
          name: 'sync-many-desks-poke',
          unit: 'ms',
          p50: roundSig(sp.p50),
          p99: roundSig(sp.p99),
          target: {},
          samples: sp.samples,
          note: `informational: push commit → poke received by each of the ${DESKS} desks`,
        },
      ];
      return figures;
    } finally {
      pusher?.close();
      if (child?.connected) tell({ type: 'close' });
      await Promise.race([childExit, sleep(5000)]);
      if (child && child.exitCode === null) child.kill();
      await server?.close().catch(() => undefined);
      await bs.store.close();
    }
  },
};
export default bench;
