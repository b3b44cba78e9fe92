/**
 * The reconnect state machine with a scripted connector and fake timers: state order and reasons,
 * the backoff schedule, and that every call settles in bounded time (no promise left hanging by a
 * connect or write that never finishes, by close() in any state).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../core/errors';
import { ReconnectingTransport, type Connector, type Link, type LinkEvents } from './reconnecting-transport';
import { connectionRefusedError, permissionDeniedError, timeoutError, type TransportStateChange } from './transport';

type Outcome = 'ok' | 'refused' | 'denied' | 'hang';

class ScriptedConnector implements Connector {
  readonly description = 'scripted';
  outcomes: Outcome[] = [];
  /** When the script is empty. */
  fallback: Outcome = 'ok';
  attempts: number[] = [];
  links: ScriptedLink[] = [];
  aborted = 0;

  async connect(events: LinkEvents, signal: AbortSignal): Promise<Link> {
    this.attempts.push(Date.now());
    const outcome = this.outcomes.shift() ?? this.fallback;
    if (outcome === 'refused') throw connectionRefusedError(this.description);
    if (outcome === 'denied') throw permissionDeniedError(this.description);
    if (outcome === 'hang') {
      return new Promise<Link>((resolve) => {
        signal.addEventListener('abort', () => {
          this.aborted++;
          // A port that finishes opening after the transport gave up on it.
          setTimeout(() => resolve(this.#link(events)), 50);
        });
      });
    }
    return this.#link(events);
  }

  #link(events: LinkEvents): ScriptedLink {
    const link = new ScriptedLink(events);
    this.links.push(link);
    return link;
  }

  isPermanent(error: AppError): boolean {
    return error.key === 'errors.device.permissionDenied';
  }

  writeTimeoutMs(): number {
    return 1000;
  }

  connectTimeoutError(): AppError {
    return timeoutError(this.description);
  }
}

class ScriptedLink implements Link {
  written: Uint8Array[] = [];
  closed = false;
  hangWrites = false;
  failWrites = false;
  constructor(readonly events: LinkEvents) {}
  async write(bytes: Uint8Array): Promise<void> {
    if (this.failWrites) throw new AppError('DEVICE_FAULT', 'errors.device.disconnected', { device: 'scripted' });
    if (this.hangWrites) return new Promise<void>(() => undefined);
    this.written.push(bytes);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

let connector: ScriptedConnector;
let transport: ReconnectingTransport;
let changes: TransportStateChange[];

beforeEach(() => {
  vi.useFakeTimers();
  connector = new ScriptedConnector();
  transport = new ReconnectingTransport(connector, { connectTimeoutMs: 1000 });
  changes = [];
  transport.onStateChange((c) => changes.push(c));
});

afterEach(async () => {
  await transport.close();
  vi.useRealTimers();
});

const states = () => changes.map((c) => `${c.state}:${c.reason}`);
const link = (i: number) => {
  const l = connector.links[i];
  if (l === undefined) throw new Error(`no link ${i}`);
  return l;
};

describe('open', () => {
  it('goes closed → connecting → open and delivers data from the link', async () => {
    const got: number[] = [];
    transport.onData((b) => got.push(...b));
    await transport.open();
    expect(transport.state).toBe('open');
    link(0).events.data(Uint8Array.of(1, 2));
    expect(got).toEqual([1, 2]);
    expect(states()).toEqual(['connecting:open-requested', 'open:opened']);
  });

  it('shares one attempt between concurrent open() calls', async () => {
    await Promise.all([transport.open(), transport.open(), transport.open()]);
    expect(connector.attempts).toHaveLength(1);
  });

  it('rejects with the first error, then keeps trying in the background when the cause may pass', async () => {
    connector.outcomes = ['refused', 'refused', 'refused'];
    await expect(transport.open()).rejects.toMatchObject({ code: 'DEVICE_FAULT', key: 'errors.device.connectionRefused' });
    expect(transport.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(250 + 500 + 1000);
    expect(transport.state).toBe('open');
    expect(connector.attempts).toHaveLength(4);
    expect(states()).toEqual(['connecting:open-requested', 'reconnecting:open-failed', 'open:opened']);
  });

  it('fails for good on a permanent error, and open() may try again', async () => {
    connector.outcomes = ['denied'];
    await expect(transport.open()).rejects.toMatchObject({ key: 'errors.device.permissionDenied' });
    expect(transport.state).toBe('failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(connector.attempts).toHaveLength(1);
    await transport.open();
    expect(transport.state).toBe('open');
  });

  it('bounds an attempt that never finishes, and closes the port that opens too late', async () => {
    connector.outcomes = ['hang'];
    const opening = transport.open();
    const settled = expect(opening).rejects.toMatchObject({ code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' });
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    expect(connector.aborted).toBe(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(link(0).closed).toBe(true);
    // and the retry after 250 ms gets a fresh link
    await vi.advanceTimersByTimeAsync(250);
    expect(transport.state).toBe('open');
    expect(link(1).closed).toBe(false);
  });

  it('open() while reconnecting retries at once instead of waiting out the backoff', async () => {
    await transport.open();
    connector.outcomes = ['refused', 'refused', 'refused', 'refused', 'refused'];
    link(0).events.lost('disconnected', new AppError('DEVICE_FAULT', 'errors.device.disconnected'));
    await vi.advanceTimersByTimeAsync(250 + 500 + 1000 + 2000);
    expect(connector.attempts).toHaveLength(5);
    connector.outcomes = [];
    await transport.open();
    expect(connector.attempts).toHaveLength(6);
    expect(transport.state).toBe('open');
  });
});

describe('losing the link', () => {
  it('reconnects with backoff 250, 500, 1000 … ms and reports why', async () => {
    await transport.open();
    const t0 = Date.now();
    connector.outcomes = ['refused', 'refused', 'refused'];
    link(0).events.lost('disconnected', new AppError('DEVICE_FAULT', 'errors.device.disconnected'));
    expect(transport.state).toBe('reconnecting');
    expect(link(0).closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(connector.attempts.slice(1).map((t) => t - t0)).toEqual([250, 750, 1750, 3750]);
    expect(transport.state).toBe('open');
    expect(states()).toEqual(['connecting:open-requested', 'open:opened', 'reconnecting:disconnected', 'open:opened']);
    expect(changes[2]?.error?.key).toBe('errors.device.disconnected');
  });

  it('ignores data and loss reports from a link that is no longer current', async () => {
    const got: number[] = [];
    transport.onData((b) => got.push(...b));
    await transport.open();
    link(0).events.lost('peer-closed', new AppError('DEVICE_FAULT', 'errors.device.disconnected'));
    await vi.advanceTimersByTimeAsync(250);
    expect(transport.state).toBe('open');
    link(0).events.data(Uint8Array.of(9));
    link(0).events.lost('disconnected', new AppError('DEVICE_FAULT', 'errors.device.disconnected'));
    link(1).events.data(Uint8Array.of(7));
    expect(got).toEqual([7]);
    expect(transport.state).toBe('open');
  });
});

describe('write', () => {
  it('rejects at once when not open', async () => {
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'DEVICE_FAULT', key: 'errors.device.notConnected' });
    connector.outcomes = ['refused'];
    await transport.open().catch(() => undefined);
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ key: 'errors.device.notConnected' });
  });

  it('times out a write that never finishes, fails the writes behind it, and reconnects', async () => {
    await transport.open();
    link(0).hangWrites = true;
    const first = transport.write(Uint8Array.of(1));
    const second = transport.write(Uint8Array.of(2));
    const both = Promise.allSettled([first, second]);
    await vi.advanceTimersByTimeAsync(1000);
    const [a, b] = await both;
    expect(a).toMatchObject({ status: 'rejected', reason: { code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' } });
    expect(b).toMatchObject({ status: 'rejected', reason: { code: 'DEVICE_TIMEOUT' } });
    expect(transport.state).toBe('reconnecting');
    expect(changes.at(-1)?.reason).toBe('write-timeout');
    await vi.advanceTimersByTimeAsync(250);
    expect(transport.state).toBe('open');
    await transport.write(Uint8Array.of(3));
    expect(link(1).written).toEqual([Uint8Array.of(3)]);
  });

  it('a failed write loses the link', async () => {
    await transport.open();
    link(0).failWrites = true;
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ key: 'errors.device.disconnected' });
    expect(changes.at(-1)).toMatchObject({ state: 'reconnecting', reason: 'write-failed' });
  });

  it('a write pending when the device goes away fails with the loss', async () => {
    await transport.open();
    link(0).hangWrites = true;
    const w = transport.write(Uint8Array.of(1));
    link(0).events.lost('disconnected', new AppError('DEVICE_FAULT', 'errors.device.disconnected', { device: 'scripted' }));
    await expect(w).rejects.toMatchObject({ key: 'errors.device.disconnected' });
  });
});

describe('close', () => {
  it('stops the reconnect loop', async () => {
    await transport.open();
    connector.fallback = 'refused';
    link(0).events.lost('disconnected', new AppError('DEVICE_FAULT', 'errors.device.disconnected'));
    await vi.advanceTimersByTimeAsync(1000);
    const attempts = connector.attempts.length;
    await transport.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(connector.attempts).toHaveLength(attempts);
    expect(transport.state).toBe('closed');
    expect(changes.at(-1)?.reason).toBe('closed');
  });

  it('fails pending writes with errors.device.closed and releases the link', async () => {
    await transport.open();
    link(0).hangWrites = true;
    const w = transport.write(Uint8Array.of(1));
    await transport.close();
    await expect(w).rejects.toMatchObject({ key: 'errors.device.closed' });
    expect(link(0).closed).toBe(true);
  });

  it('during the first attempt: open() rejects with errors.device.closed and no port stays open', async () => {
    connector.outcomes = ['hang'];
    const opening = transport.open();
    const rejected = expect(opening).rejects.toMatchObject({ key: 'errors.device.closed' });
    const closing = transport.close();
    await vi.advanceTimersByTimeAsync(100);
    await closing;
    await rejected;
    expect(transport.state).toBe('closed');
    expect(link(0).closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(connector.attempts).toHaveLength(1);
  });

  it('is idempotent, and open() after close() starts afresh', async () => {
    await transport.open();
    await transport.close();
    await transport.close();
    await transport.open();
    expect(transport.state).toBe('open');
    expect(states()).toEqual(['connecting:open-requested', 'open:opened', 'closed:closed', 'connecting:open-requested', 'open:opened']);
  });
});

describe('listeners', () => {
  it('a throwing listener does not break the transport, and unsubscribing works', async () => {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    const off = transport.onStateChange(() => {
      throw new Error('listener bug');
    });
    try {
      await transport.open();
      expect(transport.state).toBe('open');
      off();
      await transport.close();
    } finally {
      await vi.runAllTimersAsync();
      process.off('uncaughtException', onError);
    }
    expect(changes.map((c) => c.state)).toEqual(['connecting', 'open', 'closed']);
    expect(errors).toHaveLength(2);
  });
});
