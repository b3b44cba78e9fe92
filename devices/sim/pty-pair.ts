/**
 * A pseudo-terminal pair from socat: two tty device nodes wired back to back, reachable through two
 * symlinks. A simulator opens one end with the real serialport binding, the code under test the
 * other, so the whole serial stack (open, lock, termios, poller, read, write, drain, disconnect)
 * runs as it does on a USB adapter.
 *
 *   socat -d -d pty,raw,echo=0,link=DIR/a pty,raw,echo=0,link=DIR/b
 *
 * `raw,echo=0` makes both ends transparent to every byte (no line discipline, no echo). socat keeps
 * running when either side is closed and reopened, and removes the links when it exits after
 * SIGTERM. Killing the pair is how a test pulls the cable: both open ends get an error and are
 * closed by serialport with a DisconnectedError.
 *
 * Symlinks already at the link paths (left by a socat killed with SIGKILL) are removed before
 * starting, so close the previous pair first; anything else there is refused. A pair is also killed if the process exits first.
 */
import { spawn } from 'node:child_process';
import { lstat, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';

export interface PtyPairOptions {
  /** Directory for the two links (created if missing). */
  dir: string;
  /** Link names inside `dir`. Default ['a', 'b']. */
  names?: readonly [string, string];
  /** Bound for socat to create both links. Default 10 000 ms. */
  timeoutMs?: number;
  /** Default 'socat' from PATH. */
  socat?: string;
}

export interface PtyPair {
  /** First link (give it to one side). */
  readonly a: string;
  /** Second link (give it to the other side). */
  readonly b: string;
  readonly pid: number | undefined;
  /** Whether socat is still running. */
  readonly running: boolean;
  /** Stops socat (SIGTERM, SIGKILL after 3 s) and removes links left behind. Idempotent. */
  close(): Promise<void>;
}

export async function createPtyPair(options: PtyPairOptions): Promise<PtyPair> {
  const [nameA, nameB] = options.names ?? ['a', 'b'];
  const a = path.join(options.dir, nameA);
  const b = path.join(options.dir, nameB);
  await mkdir(options.dir, { recursive: true });
  for (const link of [a, b]) await removeStaleLink(link);

  const child = spawn(options.socat ?? 'socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    // Only the start matters for error messages; socat logs every transfer at -d -d.
    if (stderr.length < 4000) stderr += s;
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null && spawnError === undefined) {
        child.kill('SIGTERM');
        const killed = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killed);
      }
      for (const link of [a, b]) await removeStaleLink(link);
    })();
    return closing;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (spawnError !== undefined) {
      await close();
      throw new Error(`cannot start socat (${spawnError.message}); install it (apt-get install socat)`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      await close();
      throw new Error(`socat exited (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
    }
    if ((await isLink(a)) && (await isLink(b))) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`socat did not create ${a} and ${b} in time: ${stderr.trim()}`);
    }
    await sleep(20);
  }

  return {
    a,
    b,
    pid: child.pid,
    get running() {
      return child.exitCode === null && child.signalCode === null && spawnError === undefined;
    },
    close,
  };
}

async function isLink(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

async function removeStaleLink(p: string): Promise<void> {
  let stat;
  try {
    stat = await lstat(p);
  } catch {
    return;
  }
  if (!stat.isSymbolicLink()) throw new Error(`${p} exists and is not a symlink; refusing to replace it`);
  await unlink(p).catch(() => undefined);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

