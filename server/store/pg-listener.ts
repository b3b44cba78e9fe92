/**
 * LISTEN on PostgreSQL for a store: one dedicated connection outside the pool (a pooled connection
 * goes back to the pool and stops hearing), which reconnects by itself with a growing delay and
 * listens on every channel again.
 *
 * A notification sent while the connection was down is lost, so after every reconnection each
 * subscriber's onGap runs once: it should act as if it had been notified (for a poke: "pull now").
 */
import pg from 'pg';
import { quoteIdent } from './pglite.dialect';

export interface Subscriber {
  onNotify(payload: string): void;
  onGap(): void;
}

interface Channel {
  subscribers: Set<Subscriber>;
  /** Resolves once the channel is LISTENed on the current connection. */
  ready: Promise<void>;
}

const MIN_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly channels = new Map<string, Channel>();
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = MIN_RETRY_MS;
  private lostConnection = false;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly onError: (e: Error) => void,
  ) {}

  /** Resolves once notifications on the channel are heard; the result stops this subscription. */
  async subscribe(name: string, sub: Subscriber): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the listener is closed');
    let ch = this.channels.get(name);
    if (!ch) {
      const created: Channel = { subscribers: new Set(), ready: this.connected().then((c) => this.listenOn(c, name)) };
      created.ready.catch(() => {
        if (this.channels.get(name) === created) this.channels.delete(name);
      });
      this.channels.set(name, created);
      ch = created;
    }
    ch.subscribers.add(sub);
    await ch.ready;
    const channel = ch;
    return async () => {
      if (!channel.subscribers.delete(sub) || channel.subscribers.size > 0 || this.channels.get(name) !== channel) return;
      this.channels.delete(name);
      // If the connection is gone, the next one simply does not listen on this channel.
      await this.client?.query(`UNLISTEN ${quoteIdent(name)}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.channels.clear();
    await this.connecting?.catch(() => undefined);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async listenOn(c: pg.Client, name: string): Promise<void> {
    await c.query(`LISTEN ${quoteIdent(name)}`);
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const c = new pg.Client(this.config);
    c.on('notification', (n) => this.dispatch(n.channel, n.payload ?? ''));
    c.on('error', (e) => this.lost(c, e));
    c.on('end', () => this.lost(c, null));
    try {
      await c.connect();
      for (const name of this.channels.keys()) await this.listenOn(c, name);
      if (this.closed) throw new Error('the listener is closed');
    } catch (e) {
      await c.end().catch(() => undefined);
      throw e;
    }
    this.client = c;
    this.retryMs = MIN_RETRY_MS;
    if (this.lostConnection) {
      this.lostConnection = false;
      for (const ch of this.channels.values()) for (const sub of ch.subscribers) this.call(() => sub.onGap());
    }
    return c;
  }

  private lost(c: pg.Client, e: Error | null): void {
    if (c !== this.client) return;
    this.client = null;
    this.lostConnection = true;
    if (e) this.onError(e);
    c.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed || this.client) return;
      this.connected().catch((e: unknown) => {
        this.onError(e instanceof Error ? e : new Error(String(e)));
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
        this.scheduleReconnect();
      });
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private dispatch(name: string, payload: string): void {
    const ch = this.channels.get(name);
    if (!ch) return;
    for (const sub of ch.subscribers) this.call(() => sub.onNotify(payload));
  }

  /** A subscriber that throws must not stop the others or the connection. */
  private call(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
