/**
 * End-to-end harness: runs the real `foyer serve` (the built host and UI, as `npm run serve` does),
 * or `foyer desk` enrolled with a server, on a free loopback port with its own data folder, and
 * Debian's Chromium through playwright-core.
 * Never downloads a browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(__dirname, '..', '..');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Served {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function serve(dataDir: string, port: number, extraArgs: string[] = []): Promise<Served> {
  return startFoyer('serve', ['--port', String(port), '--data-dir', dataDir, ...extraArgs], port);
}

/** `foyer desk` with its UI, enrolled with a server by a one-time code on its first run. */
export function desk(dataDir: string, port: number, server: { url: string; code: string }): Promise<Served> {
  return startFoyer('desk', ['--port', String(port), '--data-dir', dataDir, '--server', server.url, '--enroll', server.code], port);
}

function startFoyer(command: 'serve' | 'desk', args: string[], port: number): Promise<Served> {
  const child = spawn(process.execPath, [path.join(root, 'bin/foyer.mjs'), command, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port) },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`foyer ${command} did not start in time:\n${output}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          process: child,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`foyer ${command} exited with ${code}:\n${output}`));
    });
  });
}

interface TrpcAnswer<T> {
  result?: { data: T };
  error?: { message: string; data?: { appError?: { key: string } } };
}

/** The desk's tRPC over plain HTTP, as the page calls it, with the launch token the page gets. */
export interface DeskApi {
  query<T>(path: string, input?: unknown): Promise<T>;
  mutation<T>(path: string, input: unknown): Promise<T>;
  /** A scheduling mutator (`scheduling.mutate`); the host makes the ids left out. */
  mutate<T = { id: string }>(name: string, args: Record<string, unknown>): Promise<T>;
}

/** Reads the launch token from the served page (`<meta name="foyer-token">`). A refusal throws with its message key. */
export async function deskApi(url: string): Promise<DeskApi> {
  const html = await (await fetch(`${url}/`)).text();
  const token = /<meta name="foyer-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page carries no launch token');
  const headers = { Authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async <T>(path: string, init: RequestInit, query = ''): Promise<T> => {
    const res = await fetch(`${url}/trpc/${path}${query}`, { ...init, headers });
    const answer = (await res.json()) as TrpcAnswer<T>;
    if (answer.error || !answer.result) throw new Error(`${path}: ${answer.error?.data?.appError?.key ?? answer.error?.message ?? res.status}`);
    return answer.result.data;
  };
  const api: DeskApi = {
    query: (path, input) => call(path, {}, input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`),
    mutation: (path, input) => call(path, { method: 'POST', body: JSON.stringify(input) }),
    mutate: (name, args) => api.mutation('scheduling.mutate', { name, args }),
  };
  return api;
}
