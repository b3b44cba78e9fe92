/**
 * Helpers for the server's integration tests: a real server on a loopback port over a test store,
 * organizations made through the administration functions, desks enrolled through /api, and tRPC
 * clients as a desk would have them (HTTP for calls, WebSocket for pokes).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createTRPCClient, createWSClient, httpLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import { ManualClock } from '../core/clock';
import type { AppErrorShape } from '../core/errors';
import { createIdSource } from '../core/ids';
import { PROTOCOL_VERSION, SCHEMA_VERSION, type PushMutation, type PushRequest } from '../sync/protocol';
import type { SyncRouter } from '../sync/server/router';
import { createEnrollmentCode } from './admin/devices';
import { createOrganization, type AdminDeps, type CreatedOrganization } from './admin/organizations';
import type { ApiRouter } from './api/api.router';
import { startServer, type RunningServer } from './app';
import type { Store } from './store/store';

/** 2025-06-02 09:00 in Shanghai: a Monday morning. */
export const T0 = Date.UTC(2025, 5, 2, 1, 0);
export const PASSWORD = 'correct horse battery';

export interface TestServer {
  store: Store;
  server: RunningServer;
  clock: ManualClock;
  admin: AdminDeps;
  url: string;
}

export async function startTestServer(store: Store, clock = new ManualClock(T0)): Promise<TestServer> {
  const server = await startServer({ store, port: 0, clock });
  return { store, server, clock, admin: { store, clock, ids: createIdSource(clock, (n) => randomBytes(n)) }, url: server.url };
}

export function seedOrg(admin: AdminDeps, name: string): Promise<CreatedOrganization> {
  return createOrganization(admin, {
    name,
    defaultCountry: 'CN',
    sites: [
      { name: `${name} clinic`, kind: 'clinic', timeZone: 'Asia/Shanghai' },
      { name: `${name} gym`, kind: 'gym', timeZone: 'Asia/Shanghai' },
    ],
    owner: { name: `${name} owner`, login: 'owner', password: PASSWORD },
  });
}

export interface Closer {
  close(): void;
}

export function apiClient(url: string, token?: string) {
  return createTRPCClient<ApiRouter>({
    links: [httpLink({ url: `${url}/api`, headers: token ? { authorization: `Bearer ${token}` } : {} })],
  });
}

/** A desk's sync client: calls over HTTP with its bearer token, pokes over WebSocket. */
export function syncClient(url: string, token: string, closers: Closer[]) {
  const ws = createWSClient({
    url: url.replace(/^http/, 'ws') + '/sync',
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token },
  });
  closers.push({ close: () => void ws.close() });
  return createTRPCClient<SyncRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpLink({ url: `${url}/sync`, headers: { authorization: `Bearer ${token}` } }),
      }),
    ],
  });
}

export interface Desk {
  deviceId: string;
  token: string;
  clientId: string;
  sync: ReturnType<typeof syncClient>;
  /** Next outbox id. */
  nextId: number;
}

/** Enrolls a desk through /api with a fresh code. */
export async function enrollDesk(t: TestServer, organizationId: string, closers: Closer[], siteIds: string[] | null = null): Promise<Desk> {
  const { code } = await createEnrollmentCode(t.admin, { organizationId, name: 'Front desk', siteIds, createdBy: 'test' });
  const enrolled = await apiClient(t.url).enroll.mutate({ code });
  return { deviceId: enrolled.deviceId, token: enrolled.token, clientId: randomUUID(), sync: syncClient(t.url, enrolled.token, closers), nextId: 1 };
}

export type NewMutation = Pick<PushMutation, 'name' | 'args' | 'staffId'> & { version?: number };

/** The desk's next push of these mutations, numbered on from its last one. */
export function pushOf(desk: Desk, clock: ManualClock, mutations: NewMutation[]): PushRequest {
  return {
    protocolVersion: PROTOCOL_VERSION,
    schemaVersion: SCHEMA_VERSION,
    clientId: desk.clientId,
    sentAt: clock.now(),
    mutations: mutations.map((m) => ({ id: desk.nextId++, name: m.name, version: m.version ?? 1, args: m.args, staffId: m.staffId, createdAt: clock.now() })),
  };
}

export function pullOf(desk: Desk, cookie = 0) {
  return { protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, clientId: desk.clientId, cookie };
}

export function customerArgs(name: string, phone: string) {
  return { id: randomUUID(), name, phone };
}

/** The AppError shape a tRPC call was refused with (undefined when it was not a tRPC error). */
export function refusal(e: unknown): (AppErrorShape & { httpStatus?: number }) | undefined {
  if (!(e instanceof TRPCClientError)) return undefined;
  const data = e.data as { appError?: AppErrorShape; httpStatus?: number } | undefined;
  return data?.appError ? { ...data.appError, httpStatus: data.httpStatus } : undefined;
}

/** Awaits a call expected to be refused, and returns what it was refused with. */
export async function refused(call: Promise<unknown>): Promise<AppErrorShape & { httpStatus?: number }> {
  const e = await call.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (err: unknown) => err,
  );
  const shape = refusal(e);
  if (!shape) throw e;
  return shape;
}
