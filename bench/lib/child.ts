/**
 * Runs one benchmark file in this (fresh) process and writes its figures as JSON to a file:
 *   node --import tsx bench/lib/child.ts bench/<name>.ts <out.json>
 * The runner starts one such process per benchmark so that one benchmark's heap, JIT state and
 * page cache use (the 100,000-customer replica is ~400 MB) do not colour the next one's figures.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from './types';

const [file, out] = process.argv.slice(2);
if (!file || !out) {
  process.stderr.write('usage: child.ts <bench file> <out.json>\n');
  process.exit(2);
}
const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default: Benchmark };
const bench = mod.default;
const log = (line: string) => process.stdout.write(`  [${bench.name}] ${line}\n`);
try {
  const figures = await bench.run(log);
  writeFileSync(out, JSON.stringify(figures));
  process.exit(0);
} catch (e) {
  process.stderr.write(`  [${bench.name}] failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
