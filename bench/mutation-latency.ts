/**
 * mutation-latency: one local write as the `customers.create` tRPC procedure makes it —
 * `replica.mutate('customer.create', { ...input, id: replica.newId() }, actor)`: argument
 * validation (zod, phone normalisation), permission check, the mutator (id and phone checks,
 * insert, the trigger that queues the customer for search indexing) and the outbox row, in one
 * transaction, then the change event. Into a replica file that already holds 10,000 customers.
 * Target: p50 < 0.5 ms.
 *
 * The search index itself is derived data, written after the commit (see replica.ts). So that the
 * figure hides nothing, a second figure, mutation-then-index, times a mutation followed at once by
 * `flushSearchIndex()`: the full cost of one customer made searchable, as a lone save pays it.
 */
import { demoCustomers } from '../electron/host/seed/demo';
import { CreateCustomerArgs } from '../core/customers/customer.schema';
import { seededReplica } from './lib/replica';
import { msBetween, roundSig, summarize } from './lib/stats';
import type { Benchmark, Log } from './lib/types';

const EXISTING = 10_000;
const WARMUP = 200;
const TIMED = 2_000;
const WITH_INDEX = 500;

const bench: Benchmark = {
  name: 'mutation-latency',
  async run(log: Log) {
    const seeded = await seededReplica(EXISTING, log);
    try {
      const { replica, actor, phones } = seeded;
      // New customers from the same generator with another seed, minus phones already taken.
      const inputs = demoCustomers(EXISTING + WARMUP + TIMED + WITH_INDEX + 1_000, 7)
        .filter((c) => {
          const phone = CreateCustomerArgs.parse({ id: replica.newId(), ...c }).phone;
          if (phones.has(phone)) return false;
          phones.add(phone);
          return true;
        })
        .slice(0, WARMUP + TIMED + WITH_INDEX);
      if (inputs.length < WARMUP + TIMED + WITH_INDEX) throw new Error('not enough distinct phones');
      const withIndex = inputs.splice(WARMUP + TIMED);
      const pendingBefore = (await replica.outboxHealth()).pending;
      let events = 0;
      replica.onChange(() => events++);

      const ms: number[] = [];
      for (const [i, input] of inputs.entries()) {
        const t0 = process.hrtime.bigint();
        await replica.mutate('customer.create', { ...input, id: replica.newId() }, actor);
        const dt = msBetween(t0, process.hrtime.bigint());
        if (i >= WARMUP) ms.push(dt);
      }
      const outbox = await replica.outboxHealth();
      if (outbox.pending - pendingBefore !== inputs.length || events !== inputs.length) {
        throw new Error(`expected ${inputs.length} new outbox rows and change events, got ${outbox.pending - pendingBefore} and ${events}`);
      }
      const s = summarize(ms);
      log(`n=${s.samples}  p50 ${s.p50.toFixed(3)} ms  p90 ${s.p90.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  max ${s.max.toFixed(1)} ms`);

      await replica.flushSearchIndex();
      const msIndexed: number[] = [];
      for (const input of withIndex) {
        const t0 = process.hrtime.bigint();
        await replica.mutate('customer.create', { ...input, id: replica.newId() }, actor);
        await replica.flushSearchIndex();
        msIndexed.push(msBetween(t0, process.hrtime.bigint()));
      }
      const si = summarize(msIndexed);
      log(`then-index n=${si.samples}  p50 ${si.p50.toFixed(3)} ms  p99 ${si.p99.toFixed(3)} ms`);
      return [
        {
          name: 'mutation-latency',
          unit: 'ms',
          p50: roundSig(s.p50),
          p99: roundSig(s.p99),
          target: { p50: 0.5 },
          samples: s.samples,
        },
        {
          name: 'mutation-then-index',
          unit: 'ms',
          p50: roundSig(si.p50),
          p99: roundSig(si.p99),
          target: {},
          samples: si.samples,
          note: 'informational: the mutation plus the deferred search indexing of that customer',
        },
      ];
    } finally {
      await seeded.close();
    }
  },
};
export default bench;
