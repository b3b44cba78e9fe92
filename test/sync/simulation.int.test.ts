/**
 * The sync simulation as a fast-check property (the model and the invariants: simulation.ts), on
 * PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL. fast-check shrinks a failing command
 * sequence to a minimal one; the failure prints the seed, the path and how to replay it.
 *
 *   FOYER_SIM_SEED   the fast-check seed (default below: runs are the same every time)
 *   FOYER_SIM_RUNS   runs per backend (default 8)
 *   FOYER_SIM_STEPS  most commands per run (default 40)
 *   FOYER_SIM_PATH   with the seed, replays one failing case (and its shrinking) from a report
 *
 * `npm run soak` runs the same property far longer (test/sync/soak.ts).
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { TestStores, testBackends } from '../../server/store/testing';
import { commandsArb, SimStats, simulate, SimulationFailure } from './simulation';

const env = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, not ${v}`);
  return n;
};

const SEED = env('FOYER_SIM_SEED', 20261124);
const RUNS = env('FOYER_SIM_RUNS', 8);
const STEPS = env('FOYER_SIM_STEPS', 40);
const PATH = process.env.FOYER_SIM_PATH || undefined;
/** A run takes about a second on a quiet machine; shrinking a failure re-runs it many times. */
const TIMEOUT_MS = 120_000 + RUNS * STEPS * 400;

const stores = new TestStores();
const stats = new SimStats();
afterAll(async () => {
  await stores.dispose();
  process.stdout.write(`\nsync simulation (seed ${SEED}, ${RUNS} runs of up to ${STEPS} steps per backend):\n${stats.summary()}\n`);
});

describe.each(testBackends())('the sync simulation on %s', (backend) => {
  it(
    'keeps every replica equal to the server, with no double booking, no oversold class and no mutation lost or applied twice',
    async () => {
      let lastFailure: SimulationFailure | null = null;
      const property = fc.asyncProperty(commandsArb(STEPS), async (commands) => {
        try {
          await simulate({ stores, backend, stats }, commands);
        } catch (e) {
          // Shrinking ends on the smallest failing case: keep its transcript for the report.
          if (e instanceof SimulationFailure) lastFailure = e;
          throw e;
        }
      });
      const details = await fc.check(property, {
        seed: SEED,
        numRuns: RUNS,
        ...(PATH !== undefined ? { path: PATH } : {}),
        // Shrinking stops in time for vitest to report what it found.
        interruptAfterTimeLimit: TIMEOUT_MS - 30_000,
        markInterruptAsFailure: false,
      });
      if (!details.failed) return;
      const replay = `FOYER_SIM_SEED=${details.seed} FOYER_SIM_PATH=${details.counterexamplePath ?? ''} npx vitest run --project unit test/sync/simulation.int.test.ts`;
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
