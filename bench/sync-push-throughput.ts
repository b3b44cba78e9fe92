/**
 * sync-push-throughput: the Sync issue's target "the server applies at least 10,000 pushed
 * mutations per second, with all checks".
 *
 * What is timed: `handlePush` (sync/server/push.ts) called directly on the store, as the /sync
 * router calls it, with pushes of BATCH `booking.create` mutations from one desk: the request
 * parsed, the client row claimed, each mutation re-run in a savepoint with every check (the
 * service, site and customer, the resources, closures, the busy blocks near the span, the booking
 * window, opening and working hours, the customer's other bookings), the booking, its resource
 * block and its history event, the mutation log, one write transaction with the organization's
 * lock, COMMIT, and the NOTIFY after it. No HTTP: the figure is the server's own apply rate.
 *
 * Data: a clinic with 50 practitioners working round the clock, one 15-minute service, 1,000
 * customers. The k-th booking goes to practitioner k mod 50 at the (k div 50)-th quarter hour from
 * tomorrow on, with a customer free then, so none conflicts and every one is applied (checked).
 *
 * In the same run, for comparison: the same rows (a booking and its booking_resources row, with
 * the columns the mutator writes) inserted with two multi-row INSERTs per batch of BATCH, in a
 * write transaction of the organization (so the version triggers and constraints run), on other
 * days. No checks, no history event, no mutation log.
 *
 * Figures (time per mutation, or per booking, so that lower is better like every other figure):
 * - sync-push-throughput: median over the timed batches of batch time / BATCH. The target of
 *   10,000 mutations/s is 0.1 ms per mutation.
 * - sync-push-plain-insert: the same for the plain INSERTs.
 * Logged per batch: statements sent to PostgreSQL and the time waiting for them (lib/sync-world
 * meterPg), this process's CPU time, and the CPU time of the PostgreSQL backend that ran it.
 */
import { sql, type Insertable } from 'kysely';
import type { BookingResourcesTable, BookingsTable } from '../core/db-schema';
import { domainTx } from '../server/store/store';
import { PROTOCOL_VERSION, SCHEMA_VERSION, type PushMutation } from '../sync/protocol';
import { handlePush } from '../sync/server/push';
import type { SyncStore, SyncTx } from '../sync/server/store';
import { roundSig } from './lib/stats';
import { backendCpuMs, benchIds, enrolDevice, gridStart, meterPg, MINUTE_MS, openBenchStore, setUpClinic, slotOf, systemClock } from './lib/sync-world';
import type { Benchmark, Figure, Log } from './lib/types';

const BATCH = 500;
const WARMUP_BATCHES = 1;
const MAX_TIMED_BATCHES = 12;
const MIN_TIMED_BATCHES = 3;
/** Stop adding timed batches after this long (a slow machine still finishes in a few minutes). */
const BUDGET_MS = 60_000;

interface BatchCost {
  ms: number;
  nodeCpuMs: number;
  pgCpuMs: number | null;
  queries: number;
  pgWaitMs: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const bench: Benchmark = {
  name: 'sync-push-throughput',
  async run(log: Log) {
    const bs = await openBenchStore(log, 'push');
    const meter = meterPg();
    try {
      const clinic = await setUpClinic(bs.store, { practitioners: 50, customers: 1000 });
      const { device } = await enrolDevice(clinic, 'Pusher');
      const ids = benchIds();
      // The store as sync/server sees it (as server/app.ts hands it over), noting the backend that
      // runs each write transaction so its CPU time can be read.
      let backendPid: number | null = null;
      const withPid = async <T>(tx: SyncTx, fn: (tx: SyncTx) => Promise<T>) => {
        if (bs.backend === 'postgres') backendPid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]!.pid;
        return fn(tx);
      };
      const syncStore: SyncStore = {
        writeTx: (org, fn) => bs.store.writeTx(org, (tx) => withPid(tx as unknown as SyncTx, fn)),
        readTx: (fn) => bs.store.readTx((tx) => fn(tx as unknown as SyncTx)),
        notify: (channel, payload) => bs.store.notify(channel, payload),
      };
      const deps = { store: syncStore, clock: systemClock, ids };
      const clientId = ids.newId();
      let nextId = 1;
      let k = 0;
      const from = gridStart(24 * 3600_000);

      /** Runs `fn` and measures it (wall, this process's CPU, the backend's CPU, statements). */
      async function measure(fn: () => Promise<void>): Promise<BatchCost> {
        const pid0 = backendPid;
        const pgBefore = pid0 === null ? null : backendCpuMs(pid0);
        const q0 = meter.read();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await fn();
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        const q1 = meter.read();
        const pgAfter = backendPid === pid0 && pid0 !== null ? backendCpuMs(pid0) : null;
        return {
          ms,
          nodeCpuMs: (cpu.user + cpu.system) / 1000,
          pgCpuMs: pgBefore !== null && pgAfter !== null ? pgAfter - pgBefore : null,
          queries: q1.queries - q0.queries,
          pgWaitMs: q1.ms - q0.ms,
        };
      }

      const pushBatch = async () => {
        const now = systemClock.now();
        const mutations: PushMutation[] = [];
        for (let i = 0; i < BATCH; i++, k++) {
          const s = slotOf(clinic, from, k);
          mutations.push({
            id: nextId++,
            name: 'booking.create',
            version: 1,
            args: { id: ids.newId(), serviceId: clinic.serviceId, customerId: s.customerId, start: s.start, resourceIds: [s.resourceId] },
            staffId: clinic.owner.staffId,
            createdAt: now,
          });
        }
        const res = await handlePush(deps, device, { protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, clientId, sentAt: now, mutations });
        const refused = res.results.filter((r) => r.outcome !== 'applied');
        if (refused.length > 0) throw new Error(`${refused.length} of ${BATCH} mutations not applied, e.g. ${JSON.stringify(refused[0])}`);
      };

      // --- pushes of booking.create, all checks
      const pushes: BatchCost[] = [];
      const started = performance.now();
      for (let b = 0; b < WARMUP_BATCHES + MAX_TIMED_BATCHES; b++) {
        const cost = await measure(pushBatch);
        if (b >= WARMUP_BATCHES) pushes.push(cost);
        log(
          `push ${b < WARMUP_BATCHES ? 'warm-up' : pushes.length}: ${BATCH} in ${cost.ms.toFixed(0)} ms = ${((BATCH * 1000) / cost.ms).toFixed(0)}/s; ` +
            `${cost.queries} statements (${(cost.queries / BATCH).toFixed(1)}/mutation), waiting for them ${cost.pgWaitMs.toFixed(0)} ms; ` +
            `CPU: this process ${cost.nodeCpuMs.toFixed(0)} ms, PostgreSQL backend ${cost.pgCpuMs?.toFixed(0) ?? '?'} ms`,
        );
        if (pushes.length >= MIN_TIMED_BATCHES && performance.now() - started > BUDGET_MS) break;
      }
      const applied = Number((await bs.store.db.selectFrom('bookings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      if (applied !== k) throw new Error(`the store holds ${applied} bookings after ${k} applied mutations`);

      // --- the same rows by plain multi-row INSERTs, on days after the pushed ones
      const plainFrom = from + 60 * 24 * 60 * MINUTE_MS;
      let j = 0;
      const insertBatch = async () => {
        const now = systemClock.now();
        const bookings: Insertable<BookingsTable>[] = [];
        const blocks: Insertable<BookingResourcesTable>[] = [];
        for (let i = 0; i < BATCH; i++, j++) {
          const s = slotOf(clinic, plainFrom, j);
          const id = ids.newId();
          bookings.push({
            id,
            organization_id: clinic.organizationId,
            site_id: clinic.siteId,
            service_id: clinic.serviceId,
            customer_id: s.customerId,
            start_at: s.start,
            end_at: s.start + 15 * MINUTE_MS,
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            status: 'confirmed',
            source: 'desk',
            notes: '',
            price_minor: 5000,
            currency: 'CNY',
            series_id: null,
            session_id: null,
            seats: 1,
            cancel_reason: null,
            cancelled_by: null,
            late_cancel: 0,
            override_reason: null,
            version: 1,
            created_by: clinic.owner.staffId,
            created_at: now,
            updated_at: now,
          });
          blocks.push({ booking_id: id, resource_id: s.resourceId, blocked_start: s.start, blocked_end: s.start + 15 * MINUTE_MS, active: 1 });
        }
        await bs.store.writeTx(clinic.organizationId, async (tx) => {
          await domainTx(tx).insertInto('bookings').values(bookings).execute();
          await domainTx(tx).insertInto('booking_resources').values(blocks).execute();
        });
      };
      const plain: BatchCost[] = [];
      const plainBatches = WARMUP_BATCHES + Math.max(pushes.length, MAX_TIMED_BATCHES);
      for (let b = 0; b < plainBatches; b++) {
        const cost = await measure(insertBatch);
        if (b >= WARMUP_BATCHES) plain.push(cost);
      }
      const pushMs = median(pushes.map((c) => c.ms)) / BATCH;
      const plainMs = median(plain.map((c) => c.ms)) / BATCH;
      const perMutation = (f: (c: BatchCost) => number | null, xs: BatchCost[]) => {
        const v = xs.map(f).filter((x): x is number => x !== null);
        return v.length === 0 ? Number.NaN : median(v) / BATCH;
      };
      const pushRate = 1000 / pushMs;
      const plainRate = 1000 / plainMs;
      log(
        `pushed booking.create: ${pushRate.toFixed(0)} mutations/s (median of ${pushes.length} batches of ${BATCH}); per mutation ${pushMs.toFixed(3)} ms: ` +
          `${perMutation((c) => c.queries, pushes).toFixed(1)} statements, ${perMutation((c) => c.pgWaitMs, pushes).toFixed(3)} ms waiting for them, ` +
          `CPU ${perMutation((c) => c.nodeCpuMs, pushes).toFixed(3)} ms here and ${perMutation((c) => c.pgCpuMs, pushes).toFixed(3)} ms in the PostgreSQL backend`,
      );
      log(
        `plain INSERT of the same booking + booking_resources rows: ${plainRate.toFixed(0)} bookings/s (${(plainRate * 2).toFixed(0)} rows/s; median of ${plain.length} batches); ` +
          `per booking ${plainMs.toFixed(3)} ms, CPU ${perMutation((c) => c.nodeCpuMs, plain).toFixed(3)} ms here and ${perMutation((c) => c.pgCpuMs, plain).toFixed(3)} ms in PostgreSQL; ` +
          `the checked push is ${(pushMs / plainMs).toFixed(1)}× slower`,
      );
      const figures: Figure[] = [
        {
          name: 'sync-push-throughput',
          unit: 'ms',
          p50: roundSig(pushMs),
          target: { p50: 0.1 },
          samples: pushes.length,
          note: `ms per mutation, median of ${pushes.length} pushes of ${BATCH} booking.create = ${pushRate.toFixed(0)} mutations/s (target 10,000/s = 0.1 ms); ${(pushMs / plainMs).toFixed(1)}× the plain INSERT; ${bs.note}`,
        },
        {
          name: 'sync-push-plain-insert',
          unit: 'ms',
          p50: roundSig(plainMs),
          target: {},
          samples: plain.length,
          note: `informational: ms per booking (+ its booking_resources row) by multi-row INSERT in a write transaction, no checks = ${plainRate.toFixed(0)} bookings/s, ${(plainRate * 2).toFixed(0)} rows/s; ${bs.note}`,
        },
      ];
      return figures;
    } finally {
      meter.restore();
      await bs.store.close();
    }
  },
};
export default bench;
