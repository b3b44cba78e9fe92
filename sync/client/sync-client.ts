/**
 * The desk's sync loop: push the outbox, then pull until the desk is up to date, whenever the desk
 * changed something, the server poked, or a timer ran out. One cycle at a time; a request that
 * comes during a cycle runs another right after.
 *
 * Failures never lose work: the outbox stays until the server has processed each entry, and a
 * pull is applied whole or not at all. What the desk is told:
 * - the server cannot be reached (UNAVAILABLE, a network error): offline since …, retried with
 *   backoff (1 s doubling to a minute, with jitter so a room of desks does not retry in step);
 * - UPGRADE_REQUIRED: one side is too old; the desk keeps working offline and asks again rarely;
 * - UNAUTHORIZED / FORBIDDEN: the device was revoked or never enrolled; same;
 * - a cookie the server never issued (a restored backup): the desk pulls everything again.
 */
import { AppError, isErrorCode, type AppErrorShape } from '../../core/errors';
import type { Clock } from '../../core/clock';
import {
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
  type PullPosition,
  type PullRequest,
  type PullResponse,
  type PushMutation,
  type PushRequest,
  type PushResponse,
} from '../protocol';

export interface SyncTransport {
  push(req: PushRequest): Promise<PushResponse>;
  pull(req: PullRequest): Promise<PullResponse>;
}

/** The replica as the loop sees it (electron/host/sync/replica-sync.ts). */
export interface SyncPort {
  readonly clientId: string;
  position(): { cookie: number; ceiling: number | null; after: PullPosition | null; total: number | null; received: number };
  pending(limit: number): PushMutation[];
  pendingFrom(): number | null;
  pendingCount(): number;
  oldestPendingAt(): number | null;
  resetPosition(): void;
  applyPull(res: PullResponse, now: number): Promise<{ tables: string[]; rejected: number; acknowledged: number; failedLocally: number }>;
}

export type SyncState = 'idle' | 'syncing' | 'offline' | 'upgradeRequired' | 'unauthorized' | 'stopped';

export interface SyncStatus {
  state: SyncState;
  /** Since when the server has been unreachable (or refusing this desk); null while it answers. */
  offlineSince: number | null;
  lastSyncedAt: number | null;
  lastError: AppErrorShape | null;
  pending: number;
  oldestPendingAt: number | null;
  /** While a chunked pull is under way: rows received of the total. */
  progress: { received: number; total: number } | null;
}

export interface SyncClientOptions {
  clock: Clock;
  /** Entries per push. */
  batch?: number;
  /** Rows per pull chunk. */
  pullLimit?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** How often to pull without a poke (a missed poke costs at most this). */
  pollMs?: number;
  /** When the server refuses this desk for good (old version, revoked): how often to ask again. */
  refusedRetryMs?: number;
  random?: () => number;
  onStatus?: (s: SyncStatus) => void;
  onApplied?: (tables: string[]) => void;
}

export class SyncClient {
  private status: SyncStatus;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private started = false;
  private readonly batch: number;
  private readonly pullLimit: number;

  constructor(
    private readonly port: SyncPort,
    private readonly transport: SyncTransport,
    private readonly opts: SyncClientOptions,
  ) {
    this.batch = opts.batch ?? 500;
    this.pullLimit = opts.pullLimit ?? 5000;
    this.status = {
      state: 'stopped',
      offlineSince: null,
      lastSyncedAt: null,
      lastError: null,
      pending: port.pendingCount(),
      oldestPendingAt: port.oldestPendingAt(),
      progress: null,
    };
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  start(): void {
    this.started = true;
    this.setStatus({ state: 'idle' });
    this.request();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await this.running.catch(() => undefined);
    this.setStatus({ state: 'stopped' });
  }

  /** Something changed (a local mutation, a poke): sync soon. */
  request(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.track(this.cycle()).then(() => {
      if (this.again && this.started) {
        this.again = false;
        this.request();
      }
    });
  }

  /** Runs one cycle now (after the one under way) and waits for it: for tests and "Sync now". */
  async syncNow(): Promise<SyncStatus> {
    while (this.running) await this.running.catch(() => undefined);
    await this.track(this.cycle());
    return this.status;
  }

  /** Remembers the cycle under way, so only one runs at a time and stop() can wait for it. */
  private track(cycle: Promise<void>): Promise<void> {
    const tracked: Promise<void> = cycle.finally(() => {
      if (this.running === tracked) this.running = null;
    });
    this.running = tracked;
    return tracked;
  }

  /** Only the local counts changed (a mutation made here): refresh them in the status. */
  refreshCounts(): void {
    this.setStatus({ pending: this.port.pendingCount(), oldestPendingAt: this.port.oldestPendingAt() });
  }

  private async cycle(): Promise<void> {
    this.setStatus({ state: 'syncing' });
    try {
      await this.pushAll();
      await this.pullAll();
      this.failures = 0;
      this.setStatus({ state: 'idle', offlineSince: null, lastSyncedAt: this.opts.clock.now(), lastError: null, progress: null });
      this.schedule(this.opts.pollMs ?? 30_000);
    } catch (e) {
      this.onFailure(e);
    }
  }

  private async pushAll(): Promise<void> {
    // The server answers each mutation; those it processed leave the outbox in the next pull.
    let sentUpTo = 0;
    for (;;) {
      const batch = this.port.pending(this.batch).filter((m) => m.id > sentUpTo);
      if (batch.length === 0) return;
      const res = await this.transport.push({
        protocolVersion: PROTOCOL_VERSION,
        schemaVersion: SCHEMA_VERSION,
        clientId: this.port.clientId,
        sentAt: this.opts.clock.now(),
        mutations: batch,
      });
      const transient = res.results.find((r) => r.outcome === 'transient');
      if (transient && transient.outcome === 'transient') throw AppError.fromShape(transient.error);
      sentUpTo = batch[batch.length - 1]!.id;
      // Entries stay in the outbox until a pull acknowledges them, so `pending` would resend
      // them; a short batch means everything has been sent.
      if (batch.length < this.batch) return;
      await this.pullAll();
    }
  }

  private async pullAll(): Promise<void> {
    // A chunked pull cut off earlier resumes under its old ceiling, which may be below what this
    // cycle just pushed: once it completes, pull again from there, or the desk would stop behind.
    let resumed = this.port.position().ceiling !== null;
    for (;;) {
      const p = this.port.position();
      let res: PullResponse;
      try {
        res = await this.transport.pull({
          protocolVersion: PROTOCOL_VERSION,
          schemaVersion: SCHEMA_VERSION,
          clientId: this.port.clientId,
          cookie: p.cookie,
          ceiling: p.ceiling,
          after: p.after,
          pendingFrom: this.port.pendingFrom(),
          limit: this.pullLimit,
        });
      } catch (e) {
        if (AppError.is(e) && e.key === 'errors.sync.cookieFromFuture') {
          this.port.resetPosition();
          continue;
        }
        throw e;
      }
      const applied = await this.port.applyPull(res, this.opts.clock.now());
      if (applied.tables.length > 0) this.opts.onApplied?.(applied.tables);
      const total = res.total ?? p.total;
      this.setStatus({
        pending: this.port.pendingCount(),
        oldestPendingAt: this.port.oldestPendingAt(),
        progress: res.more && total !== null ? { received: this.port.position().received, total } : null,
      });
      if (res.more) continue;
      if (!resumed) return;
      resumed = false;
    }
  }

  private onFailure(e: unknown): void {
    const error = toAppError(e);
    const now = this.opts.clock.now();
    const refused = error.code === 'UPGRADE_REQUIRED' ? 'upgradeRequired' : error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN' ? 'unauthorized' : null;
    this.setStatus({
      state: refused ?? 'offline',
      offlineSince: this.status.offlineSince ?? now,
      lastError: error.toShape(),
      pending: this.port.pendingCount(),
      oldestPendingAt: this.port.oldestPendingAt(),
    });
    if (refused) {
      this.schedule(this.opts.refusedRetryMs ?? 10 * 60_000);
      return;
    }
    this.failures++;
    const min = this.opts.backoffMinMs ?? 1000;
    const max = this.opts.backoffMaxMs ?? 60_000;
    const base = Math.min(max, min * 2 ** Math.min(this.failures - 1, 16));
    const jitter = 0.5 + (this.opts.random ?? Math.random)() * 0.5;
    this.schedule(Math.round(base * jitter));
  }

  private schedule(ms: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.request();
    }, ms);
    this.timer.unref?.();
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.opts.onStatus?.(this.status);
  }
}

/** Any failure as an AppError: what is not one is the network's (the server is unreachable). */
export function toAppError(e: unknown): AppError {
  if (AppError.is(e)) return e;
  const shape = (e as { data?: { appError?: AppErrorShape } } | null)?.data?.appError;
  if (shape && isErrorCode(shape.code)) return AppError.fromShape(shape);
  return new AppError('UNAVAILABLE', 'errors.sync.unavailable', { detail: String((e as Error)?.message ?? e).slice(0, 200) });
}
