/**
 * A desk's sync with its server, as the host runs it: the replica's side (ReplicaSync), the loop
 * (SyncClient) and the link (ServerLink), wired so that a local mutation pushes at once, a poke
 * pulls at once, and every pulled change reaches the UI as a change event. A desk that is not
 * enrolled with a server works alone (the demo, a trial) and says so in its status.
 *
 * The server and the device token are desk-local meta (never synced): `server_url`, `device_token`.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../../core/clock';
import type { IdSource } from '../../../core/ids';
import { SyncClient, type SyncStatus } from '../../../sync/client/sync-client';
import type { Replica } from '../replica/replica';
import { openConflictCount } from './conflicts';
import { ReplicaSync } from './replica-sync';
import { ServerLink } from './server-link';

export interface DeskSyncStatus extends SyncStatus {
  /** The server this desk is enrolled with; null when it works alone. */
  serverUrl: string | null;
  /** Whether the WebSocket for pokes is up (changes from elsewhere arrive within milliseconds). */
  live: boolean;
  openConflicts: number;
}

export interface DeskSyncOptions {
  clock: Clock;
  ids: IdSource;
  /** Called with the tables a pull changed, for the UI's change events. */
  onApplied?: (tables: string[]) => void;
  log?: (line: string) => void;
  /** Test knobs for the loop (poll and backoff times). */
  client?: { pollMs?: number; backoffMinMs?: number; backoffMaxMs?: number };
}

export const SERVER_URL_META = 'server_url';
export const DEVICE_TOKEN_META = 'device_token';

export class DeskSync {
  readonly replicaSync: ReplicaSync;
  private client: SyncClient | null = null;
  private link: ServerLink | null = null;
  private live = false;
  private closed = false;
  private offChange: (() => void) | null = null;
  private readonly events = new EventEmitter();

  constructor(
    private readonly replica: Replica,
    private readonly opts: DeskSyncOptions,
  ) {
    this.replicaSync = new ReplicaSync(replica, opts.ids);
    this.events.setMaxListeners(0);
  }

  get serverUrl(): string | null {
    return this.replica.getMeta(SERVER_URL_META);
  }

  /** Starts syncing when the desk is enrolled; a desk working alone only reports its outbox. */
  start(): void {
    const url = this.serverUrl;
    const token = this.replica.getMeta(DEVICE_TOKEN_META);
    if (!url || !token || this.client) return;
    this.link = new ServerLink({
      url,
      token,
      onPoke: () => this.client?.request(),
      onConnection: (up) => {
        const changed = up !== this.live;
        this.live = up;
        // Back online: whatever queued up while the socket was down goes now. Socket lost: ask the
        // server now, so the desk says "offline" at once rather than at the next poll. Only on a
        // change: every failed reconnect attempt reports "down" again.
        if (changed) this.client?.request();
        this.publish();
      },
    });
    this.client = new SyncClient(this.replicaSync, this.link, {
      clock: this.opts.clock,
      ...this.opts.client,
      onStatus: () => this.publish(),
      onApplied: (tables) => this.opts.onApplied?.(tables),
    });
    this.offChange = this.replica.onChange((e) => {
      // Only this desk's own changes need pushing; a pull's own change events must not loop.
      if (e.source !== 'local') return;
      this.client?.refreshCounts();
      this.client?.request();
    });
    this.link.listen();
    this.client.start();
  }

  /** Enrolls this desk (the server and its device token), then starts syncing. */
  enroll(serverUrl: string, token: string): void {
    this.replica.setMeta(SERVER_URL_META, serverUrl.replace(/\/+$/, ''));
    this.replica.setMeta(DEVICE_TOKEN_META, token);
    this.start();
  }

  status(): DeskSyncStatus {
    const base: SyncStatus = this.client?.getStatus() ?? {
      state: 'stopped',
      offlineSince: null,
      lastSyncedAt: null,
      lastError: null,
      pending: this.replicaSync.pendingCount(),
      oldestPendingAt: this.replicaSync.oldestPendingAt(),
      progress: null,
    };
    return { ...base, serverUrl: this.serverUrl, live: this.live, openConflicts: openConflictCount(this.replica) };
  }

  /** Status changes, for the UI's subscription. */
  onStatus(listener: (s: DeskSyncStatus) => void): () => void {
    this.events.on('status', listener);
    return () => this.events.off('status', listener);
  }

  /** Runs one sync cycle now and waits for it (tests, "Sync now" in the UI). */
  async syncNow(): Promise<DeskSyncStatus> {
    await this.client?.syncNow();
    return this.status();
  }

  /** A conflict was resolved or dismissed here: tell the UI. */
  conflictsChanged(): void {
    this.publish();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.offChange?.();
    this.offChange = null;
    await this.client?.stop();
    this.link?.close();
    this.client = null;
    this.link = null;
  }

  private publish(): void {
    // The socket's last close may come after the replica is gone.
    if (this.closed) return;
    this.events.emit('status', this.status());
  }
}
