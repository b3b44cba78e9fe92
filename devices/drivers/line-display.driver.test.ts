/**
 * The line display driver on the mock transport with fake timers: init on every connection,
 * one message on the bus at a time with newer ones superseding waiting ones, the write timeout
 * fault, and restoring the content after a reconnect.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { concatBytes } from '../protocol/hex';
import { createCd5220Codec, createEpsonDisplayCodec, type LineDisplayCodec } from '../protocol/line-display.codec';
import { MockTransport } from '../transport/mock.transport';
import type { Transport, TransportStateChange } from '../transport/transport';
import type { DriverStatus } from './driver-status';
import { settle } from './driver-test-support';
import { LineDisplayDriver } from './line-display.driver';

afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** The mock transport with writes that take `delayMs` to be handed over (a slow line). */
class SlowTransport implements Transport {
  delayMs = 0;
  constructor(readonly inner: MockTransport) {}
  get description() {
    return this.inner.description;
  }
  get state() {
    return this.inner.state;
  }
  open() {
    return this.inner.open();
  }
  close() {
    return this.inner.close();
  }
  onData(l: (b: Uint8Array) => void) {
    return this.inner.onData(l);
  }
  onStateChange(l: (c: TransportStateChange) => void) {
    return this.inner.onStateChange(l);
  }
  async write(bytes: Uint8Array): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return this.inner.write(bytes);
  }
}

async function setup(codec: LineDisplayCodec = createCd5220Codec({ encoding: 'gb18030' })) {
  vi.useFakeTimers();
  const t = new MockTransport({ description: 'display', writeTimeoutMs: 5000 });
  const slow = new SlowTransport(t);
  const driver = new LineDisplayDriver({ transport: slow, codec, writeTimeoutMs: 1000 });
  const statuses: DriverStatus[] = [];
  driver.on('status', (s) => statuses.push(s));
  await driver.start();
  return { t, slow, driver, codec, statuses };
}

describe('line display driver', () => {
  it('initializes the display on start (and clears it), then shows lines with the codec', async () => {
    const { t, driver, codec, statuses } = await setup();
    expect(t.writes).toEqual([concatBytes([codec.init(), codec.clear()])]);
    expect(driver.status.state).toBe('ready');
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'ready']);
    await expect(driver.show('请 A012 号', '到 3 号诊室')).resolves.toBe('shown');
    expect(t.writes.at(-1)).toEqual(codec.show('请 A012 号', '到 3 号诊室'));
    await expect(driver.clear()).resolves.toBe('shown');
    expect(t.writes.at(-1)).toEqual(codec.clear());
    expect(driver.shown).toEqual({ kind: 'clear' });
  });

  it('takes any codec (Epson command set)', async () => {
    const codec = createEpsonDisplayCodec({ encoding: 'ascii' });
    const { t, driver } = await setup(codec);
    await driver.show('A013', 'Counter 2');
    expect(t.writes.at(-1)).toEqual(codec.show('A013', 'Counter 2'));
  });

  it('one message on the bus at a time; a newer message supersedes the one waiting', async () => {
    const { t, slow, driver, codec } = await setup();
    t.clearWrites();
    slow.delayMs = 200;
    const a = settle(driver.show('A001'));
    const b = settle(driver.show('A002'));
    const c = settle(driver.show('A003'));
    await advance(0);
    expect(b.outcome).toEqual({ ok: true, value: 'superseded' });
    expect(c.outcome).toBeUndefined();
    await advance(200);
    expect(a.outcome).toEqual({ ok: true, value: 'shown' });
    expect(c.outcome).toBeUndefined(); // written only after A001 finished
    await advance(200);
    expect(c.outcome).toEqual({ ok: true, value: 'shown' });
    expect(t.writes).toEqual([codec.show('A001', ''), codec.show('A003', '')]);
  });

  it('a write that does not finish in writeTimeoutMs is a timeout fault; the link is remade and the content restored', async () => {
    const { t, driver, codec } = await setup();
    t.stall();
    const r = settle(driver.show('A001', 'room 3'));
    await advance(999);
    expect(driver.status.state).toBe('ready');
    await advance(2);
    expect(r.outcome).toMatchObject({ ok: false, error: { code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' } });
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.timeout', params: { device: 'display' } });
    await advance(4000); // the transport's own bound: it drops the link
    expect(driver.status.state).toBe('disconnected');
    t.stall(false);
    t.clearWrites();
    t.reconnect();
    await advance(10);
    expect(t.writes).toEqual([concatBytes([codec.init(), codec.show('A001', 'room 3')])]);
    expect(driver.status.state).toBe('ready');
  });

  it('while disconnected: show() rejects at once, and its text is what the display shows once back', async () => {
    const { t, driver, codec } = await setup();
    t.disconnect();
    expect(driver.status).toMatchObject({ state: 'disconnected', reasonKey: 'errors.device.disconnected' });
    await expect(driver.show('A009', 'room 1')).rejects.toMatchObject({ key: 'errors.device.notConnected' });
    t.clearWrites();
    t.reconnect();
    await advance(10);
    expect(t.writes).toEqual([concatBytes([codec.init(), codec.show('A009', 'room 1')])]);
    expect(driver.shown).toEqual({ kind: 'text', lines: ['A009', 'room 1'] });
  });

  it('close(): a waiting message is rejected, the transport is closed, later calls reject', async () => {
    const { t, slow, driver } = await setup();
    slow.delayMs = 100;
    const a = settle(driver.show('A001'));
    const b = settle(driver.show('A002'));
    const closing = driver.close();
    await advance(200);
    await closing;
    expect(a.outcome).toEqual({ ok: true, value: 'shown' });
    expect(b.outcome).toMatchObject({ ok: false, error: { key: 'errors.device.closed' } });
    expect(t.state).toBe('closed');
    await expect(driver.show('x')).rejects.toMatchObject({ key: 'errors.device.closed' });
  });
});
