/**
 * The sync simulation as a fast-check property (the model and the invariants: simulation.ts), on
 * PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL. fast-check shrinks a failing command
 * sequence to a minimal one; the failure prints the seed, the path and how to replay it.
 *
 *   FOYER_SIM_SEED   the fast-check seed (default below: runs are the same every time)
 *   FOYER_SIM_RUNS   runs per backend (default 16)
 *   FOYER_SIM_STEPS  most commands per run (default 50)
 *   FOYER_SIM_PATH   with the seed, replays one failing case (and its shrinking) from a report
 *   FOYER_SIM_SHRINK 0 reports the first failing case as it is, without shrinking it
 *
 * `npm run soak` runs the same property far longer (test/sync/soak.ts).
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { TestStores, testBackends } from '../../server/store/testing';
import { scenarioArb, SimStats, simulate, SimulationFailure } from './simulation';

const env = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, not ${v}`);
  return n;
};

const SEED = env('FOYER_SIM_SEED', 20261124);
const RUNS = env('FOYER_SIM_RUNS', 16);
const STEPS = env('FOYER_SIM_STEPS', 50);
const PATH = process.env.FOYER_SIM_PATH || undefined;
const SHRINK = env('FOYER_SIM_SHRINK', 1) !== 0;
/**
 * A run takes one to three seconds (more on a busy machine); shrinking a failure re-runs it many
 * times, and stops in time for vitest to report what it found.
 */
const TIMEOUT_MS = 90_000 + RUNS * STEPS * 300;

const stores = new TestStores();
const stats = new Map<string, SimStats>();
afterAll(async () => {
  await stores.dispose();
  for (const [backend, s] of stats) process.stdout.write(`\nsync simulation on ${backend} (seed ${SEED}, up to ${STEPS} steps per run):\n${s.summary()}\n`);
});

describe.each(testBackends())('the sync simulation on %s', (backend) => {
  it(
    'keeps every replica equal to the server, with no double booking, no oversold class and no mutation lost or applied twice',
    async () => {
      let lastFailure: SimulationFailure | null = null;
      const store = await stores.open(backend);
      const mine = new SimStats();
      stats.set(backend, mine);
      const property = fc.asyncProperty(scenarioArb(STEPS), async (scenario) => {
        try {
          await simulate({ stores, backend, store, stats: mine }, scenario);
        } catch (e) {
          // Shrinking ends on the smallest failing case: keep its transcript for the report.
          lastFailure = e instanceof SimulationFailure ? e : null;
          throw e;
        }
      });
      const details = await fc.check(property, {
        seed: SEED,
        numRuns: RUNS,
        ...(PATH !== undefined ? { path: PATH } : {}),
        endOnFailure: !SHRINK,
        interruptAfterTimeLimit: TIMEOUT_MS - 30_000,
        markInterruptAsFailure: false,
      });
      if (details.interrupted && !details.failed) mine.add(`interrupted after ${details.numRuns} of ${RUNS} runs (a slow machine)`);
      if (!details.failed) return;
      // The path is only valid with the same arbitrary: the same FOYER_SIM_STEPS.
      const db = backend === 'postgres' ? 'TEST_DATABASE_URL=… ' : '';
      const replay = `${db}FOYER_SIM_SEED=${details.seed} FOYER_SIM_STEPS=${STEPS} FOYER_SIM_PATH=${details.counterexamplePath ?? ''} npx vitest run --project unit test/sync/simulation.int.test.ts -t 'on ${backend}'`;
      throw new Error(
        [
          `The sync simulation failed on ${backend}: seed ${details.seed}, path ${details.counterexamplePath}, after ${details.numRuns} runs and ${details.numShrinks} shrinks.`,
          `Replay: ${replay}`,
          `Smallest failing commands: ${JSON.stringify(details.counterexample?.[0])}`,
          String((lastFailure as SimulationFailure | null)?.message ?? details.errorInstance),
        ].join('\n'),
      );
    },
    TIMEOUT_MS,
  );
});
