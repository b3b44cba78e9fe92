/**
 * The cloud server: Fastify with
 *   /sync     the sync endpoint (sync/server/router.ts): push and pull over HTTP, pokes over
 *             WebSocket (with keepalive pings, so a dead desk's connection is dropped);
 *   /api      the server's own API (enroll, staff sign-in, staff directory);
 *   /healthz  for load balancers: 200 when the store answers.
 *
 * The device a request comes from is its bearer token's: `Authorization: Bearer …` over HTTP,
 * `connectionParams.token` over WebSocket. It is resolved afresh for every procedure call, so a
 * revoked device is refused at its next request, on every instance.
 *
 * Pokes: a push commits and then sends a Postgres NOTIFY; every instance LISTENs and pokes the
 * subscriptions of that organization it holds. So a desk hears a change whichever instance it
 * was pushed through. When the LISTEN connection had to reconnect (notifications may have been
 * lost), every organization with subscriptions here is poked once.
 *
 * Failure containment: bodies above MAX_BODY_BYTES are refused (413) before any work; every error
 * leaves as a tRPC error whose `data.appError` is an AppError shape, also when Fastify itself
 * refuses the request; no error of one request reaches another or the process.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { sql } from 'kysely';
import type { Clock } from '../core/clock';
import type { AppErrorShape } from '../core/errors';
import { createIdSource, type IdSource } from '../core/ids';
import { MAX_BODY_BYTES } from '../sync/protocol';
import { PokeHub, syncRouter, type SyncContext, type SyncRouter } from '../sync/server/router';
import { POKE_CHANNEL, type DeviceIdentity, type SyncStore, type SyncTx } from '../sync/server/store';
import { apiRouter, type ApiRouter } from './api/api.router';
import type { ApiContext } from './api/trpc';
import { resolveDevice } from './auth/devices';
import type { Store } from './store/store';

export interface ServerOptions {
  store: Store;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  clock?: Clock;
  log?: (line: string) => void;
  /** WebSocket keepalive: a ping every `pingMs`; a desk that does not answer in `pongWaitMs` is dropped. */
  keepAlive?: { pingMs: number; pongWaitMs: number };
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  pokes: PokeHub;
  close(): Promise<void>;
}

/** How a desk's WebSocket is kept honest by default: a ping every 30 s, dropped without a pong in 5 s. */
const KEEP_ALIVE = { pingMs: 30_000, pongWaitMs: 5_000 };

const systemClock: Clock = { now: () => Date.now() };

function bearerToken(req: IncomingMessage | FastifyRequest, connectionParams: Record<string, string | undefined> | null | undefined): string | null {
  const ws = connectionParams?.token;
  if (typeof ws === 'string') return ws;
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { store } = opts;
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => undefined);
  const ids: IdSource = createIdSource(clock, (n) => randomBytes(n));
  const pokes = new PokeHub();
  const syncStore = syncStoreOf(store);
  // Organizations whose devices used this instance: the ones to poke after a gap in notifications.
  const seenOrganizations = new Set<string>();

  const deviceOf = (token: string | null) => async (): Promise<DeviceIdentity | null> => {
    const device = await resolveDevice(store, clock, token);
    if (device) seenOrganizations.add(device.organizationId);
    return device;
  };

  const unlisten = await store.listen(
    POKE_CHANNEL,
    (payload) => {
      const poke = parsePoke(payload);
      if (poke) pokes.poke(poke.organizationId, poke.version);
      else log(`ignored a malformed poke: ${payload.slice(0, 200)}`);
    },
    () => {
      for (const org of seenOrganizations) {
        if (pokes.listenerCount(org) === 0) continue;
        store.orgVersion(org).then(
          (v) => pokes.poke(org, v),
          (e: unknown) => log(`could not re-poke ${org}: ${String(e)}`),
        );
      }
    },
  );

  let app: FastifyInstance | null = null;
  try {
    app = await buildApp({ store, syncStore, clock, ids, pokes, deviceOf, log, keepAlive: opts.keepAlive ?? KEEP_ALIVE });
    await app.listen({ host, port: opts.port });
  } catch (e) {
    await unlisten();
    await app?.close();
    throw e;
  }
  const running = app;
  const address = running.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    app: running,
    url: `http://${urlHost}:${port}`,
    port,
    pokes,
    close: () =>
      (closing ??= (async () => {
        await unlisten();
        await running.close();
      })()),
  };
}

interface AppParts {
  store: Store;
  syncStore: SyncStore;
  clock: Clock;
  ids: IdSource;
  pokes: PokeHub;
  deviceOf: (token: string | null) => () => Promise<DeviceIdentity | null>;
  log: (line: string) => void;
  keepAlive: { pingMs: number; pongWaitMs: number };
}

async function buildApp({ store, syncStore, clock, ids, pokes, deviceOf, log, keepAlive }: AppParts): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, routerOptions: { maxParamLength: 5000 } });
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) log(`${req.method} ${req.url.split('?')[0]} failed: ${error.stack ?? error.message}`);
    return reply.code(status).send(errorEnvelope(req, status));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorEnvelope(req, 404)));

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_BODY_BYTES } });
  const onError = ({ error, path }: { error: { code: string; message: string; cause?: Error }; path?: string }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') log(`tRPC ${path ?? '?'} failed: ${error.cause?.stack ?? error.message}`);
  };

  await app.register(fastifyTRPCPlugin, {
    prefix: '/sync',
    useWSS: true,
    trpcOptions: {
      router: syncRouter,
      keepAlive: { enabled: true, ...keepAlive },
      createContext: ({ req, info }): SyncContext => ({
        deps: { store: syncStore, clock, ids },
        pokes,
        device: deviceOf(bearerToken(req, info.connectionParams)),
      }),
      onError,
    } satisfies FastifyTRPCPluginOptions<SyncRouter>['trpcOptions'],
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/api',
    trpcOptions: {
      router: apiRouter,
      createContext: ({ req, info }): ApiContext => ({ store, clock, ids, device: deviceOf(bearerToken(req, info.connectionParams)) }),
      onError,
    } satisfies FastifyTRPCPluginOptions<ApiRouter>['trpcOptions'],
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(store.db);
      return { status: 'ok', store: store.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: store.kind });
    }
  });

  return app;
}

/**
 * The store as sync/server sees it. The transactions are the same; only the table types differ
 * (the store's declare `row_version` as generated, sync's declare the columns it reads).
 */
function syncStoreOf(store: Store): SyncStore {
  return {
    writeTx: (organizationId, fn) => store.writeTx(organizationId, (tx) => fn(tx as unknown as SyncTx)),
    readTx: (fn) => store.readTx((tx) => fn(tx as unknown as SyncTx)),
    notify: (channel, payload) => store.notify(channel, payload),
  };
}

function parsePoke(payload: string): { organizationId: string; version: number } | null {
  try {
    const p = JSON.parse(payload) as { organizationId?: unknown; version?: unknown };
    if (typeof p.organizationId === 'string' && typeof p.version === 'number') return { organizationId: p.organizationId, version: p.version };
  } catch {
    // fall through: not JSON
  }
  return null;
}

/**
 * A refusal by Fastify itself (body too large, unreadable, unknown route) in tRPC's error format, so
 * a tRPC client reads it like any other error: `error.data.appError` holds the AppError shape. A
 * batched call (`?batch=1`, paths joined by commas) gets one error per call.
 */
function errorEnvelope(req: FastifyRequest, status: number): unknown {
  const code: TRPC_ERROR_CODE_KEY =
    status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 404 ? 'NOT_FOUND' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
  const appError: AppErrorShape =
    status === 413
      ? { code: 'INVALID', key: 'errors.request.tooLarge', params: { limit: MAX_BODY_BYTES } }
      : status < 500
        ? { code: 'INVALID', key: 'errors.request.invalid' }
        : { code: 'INTERNAL', key: 'errors.internal' };
  const error = { message: appError.key, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, appError } };
  const [pathname = '', query = ''] = req.url.split('?');
  if (new URLSearchParams(query).get('batch') !== '1') return { error };
  const calls = decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1)).split(',');
  return calls.map(() => ({ error }));
}
