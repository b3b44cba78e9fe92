/**
 * `npm run soak`: the sync simulation (simulation.int.test.ts) with many more runs and longer
 * command sequences than CI affords, on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set.
 *
 *   npm run soak                                   200 runs of up to 300 steps, a new seed each time
 *   FOYER_SIM_SEED=42 npm run soak                 a given seed (the run prints the one it used)
 *   FOYER_SIM_RUNS=1000 FOYER_SIM_STEPS=500 npm run soak
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run soak
 *
 * A failure prints the seed, the fast-check path and the command line that replays the smallest
 * failing case. Extra arguments go to vitest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = {
  ...process.env,
  FOYER_SIM_RUNS: process.env.FOYER_SIM_RUNS || '200',
  FOYER_SIM_STEPS: process.env.FOYER_SIM_STEPS || '300',
  // A soak looks for new failures: a new seed each time unless one is given.
  FOYER_SIM_SEED: process.env.FOYER_SIM_SEED || String(Date.now() % 2 ** 31),
};
process.stdout.write(`soak: seed ${env.FOYER_SIM_SEED}, ${env.FOYER_SIM_RUNS} runs of up to ${env.FOYER_SIM_STEPS} steps\n`);

const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '--project', 'unit', 'test/sync/simulation.int.test.ts', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
