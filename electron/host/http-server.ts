/**
 * The desk host's HTTP and WebSocket server (Fastify) on 127.0.0.1: tRPC at /trpc (queries and
 * mutations over HTTP, subscriptions over WebSocket) and the built renderer at /.
 *
 * Security: every tRPC call must carry this launch's token (`Authorization: Bearer …` over HTTP,
 * `connectionParams.token` over WebSocket). The token is written into the index page as a meta tag,
 * which only same-origin script can read; to stop DNS rebinding from making a hostile page
 * same-origin, requests whose Host header is not this loopback address and port are refused.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { Actor } from '../../core/mutator';
import type { DeviceManager } from './devices/device-manager';
import type { DeskSync } from './sync/desk-sync';
import type { DeskSession } from './auth/desk-session';
import type { Replica } from './replica/replica';
import { appRouter, type HostRouter } from './router/app.router';
import type { HostContext } from './router/trpc';

export interface HttpServerOptions {
  replica: Replica;
  devices: DeviceManager;
  sync: DeskSync;
  session: DeskSession;
  actor: () => Actor;
  token: string;
  host: string;
  port: number;
  /** Folder with the built renderer (index.html, assets/); the UI is not served when missing. */
  rendererDir: string | null;
  log?: (line: string) => void;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  close(): Promise<void>;
}

function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 5000 }, bodyLimit: 1024 * 1024 });
  let boundPort = opts.port;

  app.addHook('onRequest', async (req, reply) => {
    const allowed = new Set([`127.0.0.1:${boundPort}`, `localhost:${boundPort}`, `[::1]:${boundPort}`]);
    if (!allowed.has(req.headers.host ?? '')) {
      await reply.code(421).send({ error: 'misdirected request' });
    }
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    useWSS: true,
    trpcOptions: {
      router: appRouter,
      // Read from here by the adapter (not from the plugin's top level): a window whose socket
      // stopped answering is dropped within 35 s.
      keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
      createContext({ req, info }): HostContext {
        const header = req.headers.authorization;
        const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
        const wsToken = info.connectionParams?.token;
        return {
          replica: opts.replica,
          devices: opts.devices,
          sync: opts.sync,
          session: opts.session,
          actor: opts.actor(),
          authorized: tokenMatches(opts.token, bearer) || tokenMatches(opts.token, wsToken),
        };
      },
      onError({ error, path: p }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') opts.log?.(`tRPC ${p ?? '?'} failed: ${error.cause?.stack ?? error.message}`);
      },
    } satisfies FastifyTRPCPluginOptions<HostRouter>['trpcOptions'],
  });

  const indexFile = opts.rendererDir ? path.join(opts.rendererDir, 'index.html') : null;
  if (opts.rendererDir && indexFile && existsSync(indexFile)) {
    const meta = `<meta name="foyer-token" content="${opts.token}">`;
    const index = readFileSync(indexFile, 'utf8').replace('<head>', `<head>\n    ${meta}`);
    const assetsDir = path.join(opts.rendererDir, 'assets') + path.sep;
    await app.register(fastifyStatic, {
      root: opts.rendererDir,
      index: false,
      wildcard: false,
      prefix: '/',
      // Vite names every file under assets/ after its content, so the browser may keep it for good:
      // a reload then takes the scripts from its cache without asking here first (a revalidation
      // round trip per file, which held the app's start back by 200–400 ms on a busy machine).
      setHeaders: (reply, filePath) => {
        if (filePath.startsWith(assetsDir)) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    const sendIndex = (_req: unknown, reply: { type(t: string): { header(k: string, v: string): { send(b: string): unknown } } }) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(index);
    app.get('/', sendIndex);
    // Client-side routes (/customers, /customers/:id …) all load the app.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/trpc') && !path.extname(req.url.split('?')[0] ?? '')) {
        return sendIndex(req, reply);
      }
      return reply.code(404).send({ error: 'not found' });
    });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('Foyer desk host is running, but the UI is not built. Run: npm run build'),
    );
  }

  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  boundPort = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host}:${boundPort}`;
  return { app, url, port: boundPort, close: () => app.close() };
}
