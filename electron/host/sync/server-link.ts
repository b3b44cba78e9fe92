/**
 * The desk's connection to the cloud server: the sync router over HTTP (push, pull) and WebSocket
 * (pokes), with this device's token. Errors come back as AppErrors (the server's typed shape), and
 * anything that is not one (refused connection, timeout, a proxy's HTML page) as UNAVAILABLE, so
 * the sync loop can tell "offline" from "refused".
 */
import { createTRPCClient, createWSClient, httpLink, splitLink, wsLink, type TRPCClient } from '@trpc/client';
import WebSocket from 'ws';
import type { PullRequest, PullResponse, PushRequest, PushResponse } from '../../../sync/protocol';
import type { SyncTransport } from '../../../sync/client/sync-client';
import { toAppError } from '../../../sync/client/sync-client';
import type { SyncRouter } from '../../../sync/server/router';

export interface ServerLinkOptions {
  /** The server's base URL, e.g. https://foyer.example.com or http://127.0.0.1:5180. */
  url: string;
  token: string;
  /** Per HTTP request. */
  timeoutMs?: number;
  onPoke?: (version: number) => void;
  onConnection?: (connected: boolean) => void;
}

export class ServerLink implements SyncTransport {
  private readonly client: TRPCClient<SyncRouter>;
  private readonly ws: ReturnType<typeof createWSClient>;
  private pokes: { unsubscribe(): void } | null = null;

  constructor(private readonly opts: ServerLinkOptions) {
    const base = opts.url.replace(/\/+$/, '');
    const timeoutMs = opts.timeoutMs ?? 30_000;
    this.ws = createWSClient({
      url: base.replace(/^http/, 'ws') + '/sync',
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: { token: opts.token },
      retryDelayMs: (attempt) => Math.min(30_000, 500 * 2 ** attempt),
      onOpen: () => opts.onConnection?.(true),
      onClose: () => opts.onConnection?.(false),
    });
    this.client = createTRPCClient<SyncRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: wsLink({ client: this.ws }),
          false: httpLink({
            url: `${base}/sync`,
            headers: { authorization: `Bearer ${opts.token}` },
            fetch: (input, init) => fetch(input, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) }),
          }),
        }),
      ],
    });
  }

  async push(req: PushRequest): Promise<PushResponse> {
    try {
      return await this.client.push.mutate(req);
    } catch (e) {
      throw toAppError(e);
    }
  }

  async pull(req: PullRequest): Promise<PullResponse> {
    try {
      return (await this.client.pull.mutate(req)) as PullResponse;
    } catch (e) {
      throw toAppError(e);
    }
  }

  async hello(): Promise<{ serverTime: number; protocolVersion: number; schemaVersion: number }> {
    try {
      return await this.client.hello.query();
    } catch (e) {
      throw toAppError(e);
    }
  }

  /** Starts listening for pokes (the WebSocket reconnects by itself). */
  listen(): void {
    if (this.pokes) return;
    this.pokes = this.client.onPoke.subscribe(undefined, {
      onData: (d) => this.opts.onPoke?.(d.version),
      onError: () => this.opts.onConnection?.(false),
    });
  }

  close(): void {
    this.pokes?.unsubscribe();
    this.pokes = null;
    void this.ws.close();
  }
}
