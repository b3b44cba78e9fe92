/**
 * The desk host over real loopback HTTP and WebSocket: the launch token is required, foreign Host
 * headers are refused, errors carry localizable field issues, and a change made through one
 * window reaches another window's subscription.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, TRPCClientError } from '@trpc/client';
import { startHost, type RunningHost } from './host';
import type { HostRouter } from './router/app.router';
import type { ChangeEvent } from './replica/replica';
import { tempDir } from './testing';

let host: RunningHost;
const closers: (() => void)[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Foyer</title></head><body></body></html>');
  mkdirSync(path.join(rendererDir, 'assets'));
  writeFileSync(path.join(rendererDir, 'assets', 'app-Cx1f9Qz2.js'), 'export {};\n');
  host = await startHost({ dataDir: path.join(dir, 'data'), port: 0, rendererDir, demoCustomers: 20 });
});

afterAll(async () => {
  for (const c of closers) c();
  await host.close();
});

function client(token: string) {
  const wsClient = createWSClient({
    url: host.url.replace('http', 'ws') + '/trpc',
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token },
  });
  closers.push(() => void wsClient.close());
  return createTRPCClient<HostRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: `${host.url}/trpc`, headers: { authorization: `Bearer ${token}` } }),
      }),
    ],
  });
}

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; cacheControl: string | undefined }> {
  const u = new URL(host.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cacheControl: res.headers['cache-control'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('desk host', () => {
  it('refuses tRPC calls without the launch token, or with a wrong one', async () => {
    expect((await get('/trpc/customers.count')).status).toBe(401);
    expect((await get('/trpc/customers.count', { authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await get('/trpc/customers.count', { authorization: `Bearer ${host.token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.data).toBe(20);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('serves the UI with the token for same-origin script only', async () => {
    const page = await get('/customers');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="foyer-token" content="${host.token}">`);
  });

  it('lets the browser keep the content-named assets, but asks again for the page with its token', async () => {
    const asset = await get('/assets/app-Cx1f9Qz2.js');
    expect(asset.status).toBe(200);
    expect(asset.cacheControl).toBe('public, max-age=31536000, immutable');
    expect((await get('/calendar')).cacheControl).toBe('no-store');
  });

  it('refuses a WebSocket subscription with a wrong token', async () => {
    const bad = client('wrong');
    const error = await new Promise<unknown>((resolve) => {
      bad.changes.onChange.subscribe(undefined, { onError: resolve, onData: () => resolve(new Error('got data')) });
    });
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<HostRouter>).data?.code).toBe('UNAUTHORIZED');
  });

  it('returns field issues with message keys when input is bad, and saves nothing', async () => {
    const c = client(host.token);
    const before = await c.customers.count.query();
    const error = await c.customers.create.mutate({ name: 'X', phone: '123' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<HostRouter>).data;
    expect(data?.httpStatus).toBe(400);
    expect(data?.appError.issues).toContainEqual({ path: ['phone'], key: 'errors.phone.cnMobile' });
    expect(await c.customers.count.query()).toBe(before);
  });

  it('pushes a change made in one window to the others, which then read the new customer', async () => {
    const windowA = client(host.token);
    const windowB = client(host.token);
    const events: ChangeEvent[] = [];
    const started = new Promise<void>((resolve) => {
      const sub = windowB.changes.onChange.subscribe(undefined, {
        onStarted: () => resolve(),
        onData: (e) => events.push(e),
      });
      closers.push(() => sub.unsubscribe());
    });
    await started;
    const { id } = await windowA.customers.create.mutate({ name: '赵六', phone: '13512345678' });
    await expect.poll(() => events.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ source: 'local', mutation: 'customer.create', tables: ['customers'] });
    const found = await windowB.customers.search.query({ query: 'zl' });
    expect(found.items.map((c) => c.id)).toContain(id);
  });
});
