/**
 * The benchmark runner (`npm run bench`, which builds first). Runs each benchmark in its own Node
 * process, prints every figure against its target and writes bench/results/latest.json.
 *
 *   npm run bench                                   all benchmarks
 *   npm run bench -- --only customer-search         one (repeat --only, or comma-separate, for more)
 *   npm run bench -- --cpu-prof                     also write a V8 CPU profile per benchmark
 *   npm run bench -- --fresh                        build the cached replicas again (100,000
 *                                                   customers; 100,000 bookings) instead of
 *                                                   reusing the cached copies
 *
 * With --only, the other benchmarks' figures already in latest.json are kept. A missed target is
 * printed as MISSED and does not fail the run; a benchmark that crashes does (exit 1).
 * Method and latest figures: BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { roundSig } from './lib/stats';
import { meetsTargets, type Figure, type RecordedFigure, type Results } from './lib/types';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(BENCH_DIR, 'results', 'latest.json');
/** In the order they run. Each is bench/<name>.ts. */
const BENCHMARKS = ['customer-search', 'mutation-latency', 'availability', 'booking-mutation', 'serve-cold-start', 'calendar-render', 'gate-scan', 'ticket-print', 'sync-desk-to-desk', 'sync-push-throughput', 'sync-first-sync', 'sync-many-desks'];

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    'cpu-prof': { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench [-- --only <name>[,<name>]] [--cpu-prof] [--fresh]\nBenchmarks: ${BENCHMARKS.join(', ')}\n`);
  process.exit(0);
}
const only = (values.only ?? []).flatMap((s) => s.split(',')).filter(Boolean);
const unknown = only.filter((n) => !BENCHMARKS.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark: ${unknown.join(', ')}. Known: ${BENCHMARKS.join(', ')}\n`);
  process.exit(2);
}
const selected = only.length > 0 ? BENCHMARKS.filter((n) => only.includes(n)) : BENCHMARKS;

const cpus = os.cpus();
const machine: Results['machine'] = {
  cpus: cpus.length,
  cpuModel: cpus[0]?.model.trim() ?? 'unknown',
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
process.stdout.write(
  `Foyer benchmarks on ${machine.cpus} × ${machine.cpuModel}, ${machine.memGiB} GiB, Node ${machine.node}; load average ${os.loadavg()[0]!.toFixed(2)}\n`,
);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-run-'));
const profDir = path.join(os.tmpdir(), `foyer-bench-profiles-${Date.now()}`);
const recorded: RecordedFigure[] = [];
const failed: string[] = [];
const started = Date.now();
try {
  for (const name of selected) {
    process.stdout.write(`\n▶ ${name}\n`);
    const out = path.join(tmp, `${name}.json`);
    const loadavg1 = roundSig(os.loadavg()[0]!, 2);
    const t0 = Date.now();
    const execArgv = [...process.execArgv];
    // One folder per benchmark: Node writes a profile per thread (tsx's loader has its own); the
    // largest file is the main thread.
    if (values['cpu-prof']) execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.join(profDir, name)}`);
    const r = spawnSync(process.execPath, [...execArgv, path.join(BENCH_DIR, 'lib', 'child.ts'), path.join(BENCH_DIR, `${name}.ts`), out], {
      stdio: 'inherit',
      env: values.fresh ? { ...process.env, FOYER_BENCH_FRESH: '1' } : process.env,
    });
    if (r.status !== 0 || !existsSync(out)) {
      failed.push(name);
      process.stdout.write(`✗ ${name} failed (exit ${r.status ?? r.signal})\n`);
      continue;
    }
    process.stdout.write(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    const date = new Date().toISOString();
    for (const f of JSON.parse(readFileSync(out, 'utf8')) as Figure[]) {
      recorded.push({ ...f, benchmark: name, pass: meetsTargets(f), date, loadavg1 });
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// --- the table
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3)) + ' ms';
const rows: string[][] = [['figure', 'stat', 'measured', 'target', 'ratio', 'samples', 'result']];
for (const f of recorded) {
  const stats: ['p50' | 'p99', number | undefined][] = [
    ['p50', f.p50],
    ['p99', f.p99],
  ];
  for (const [stat, value] of stats) {
    if (value === undefined) continue;
    const target = f.target[stat];
    const ok = target === undefined || value < target;
    rows.push([
      f.name,
      stat === 'p50' && f.p99 === undefined ? 'median' : stat,
      fmt(value),
      target === undefined ? '' : `< ${target} ms`,
      target === undefined ? '' : `${(value / target).toFixed(2)}×`,
      String(f.samples),
      target === undefined ? '' : ok ? 'ok' : 'MISSED',
    ]);
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
process.stdout.write(`\n${line(rows[0]!)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}\n`);
for (const r of rows.slice(1)) process.stdout.write(`${line(r)}\n`);

const missed = recorded.filter((f) => !f.pass);
process.stdout.write('\n');
if (missed.length > 0) process.stdout.write(`MISSED: ${missed.length} of ${recorded.length} figures miss their target: ${missed.map((f) => f.name).join(', ')}\n`);
else if (recorded.length > 0) process.stdout.write(`All ${recorded.length} figures meet their targets.\n`);
if (failed.length > 0) process.stdout.write(`FAILED to run: ${failed.join(', ')}\n`);

// --- latest.json (with --only, keep the figures of the benchmarks not run this time)
let kept: RecordedFigure[] = [];
if (only.length > 0 && existsSync(RESULTS)) {
  try {
    const previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
    kept = previous.figures.filter((f) => !selected.includes(f.benchmark));
  } catch {
    kept = [];
  }
}
const ran = new Set(recorded.map((f) => f.benchmark));
const figures = [...kept, ...recorded.filter((f) => ran.has(f.benchmark))].sort(
  (a, b) => BENCHMARKS.indexOf(a.benchmark) - BENCHMARKS.indexOf(b.benchmark),
);
if (recorded.length > 0) {
  const results: Results = { date: new Date().toISOString(), machine, figures };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`Wrote ${path.relative(process.cwd(), RESULTS)} (${((Date.now() - started) / 1000).toFixed(0)} s in all)\n`);
}
if (values['cpu-prof']) process.stdout.write(`CPU profiles in ${profDir}\n`);
process.exit(failed.length > 0 ? 1 : 0);
