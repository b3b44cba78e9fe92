import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../core/errors';
import { MockTransport } from './mock.transport';
import type { TransportStateChange } from './transport';

afterEach(() => {
  vi.useRealTimers();
});

describe('MockTransport', () => {
  it('records writes and answers them like a device would', async () => {
    const t = new MockTransport({ description: 'printer' });
    const got: number[][] = [];
    t.onData((b) => got.push([...b]));
    // a printer answering DLE EOT 1 with "online"
    t.respond((w) => (w[0] === 0x10 && w[1] === 0x04 ? Uint8Array.of(0x12) : undefined));
    await t.open();
    await t.write(Uint8Array.of(0x1b, 0x40));
    await t.write(Uint8Array.of(0x10, 0x04, 0x01));
    await vi.waitFor(() => expect(got).toEqual([[0x12]]));
    expect([...t.written()]).toEqual([0x1b, 0x40, 0x10, 0x04, 0x01]);
    t.receive([0x14]);
    expect(got).toEqual([[0x12], [0x14]]);
    await t.close();
  });

  it('keeps the transport contract: not open → notConnected, disconnect fails pending writes, stalled writes time out', async () => {
    vi.useFakeTimers();
    const t = new MockTransport({ writeTimeoutMs: 500 });
    const changes: TransportStateChange[] = [];
    t.onStateChange((c) => changes.push(c));
    await expect(t.write(Uint8Array.of(1))).rejects.toMatchObject({ key: 'errors.device.notConnected' });
    await t.open();

    t.stall();
    const stalled = t.write(Uint8Array.of(1));
    const timedOut = expect(stalled).rejects.toMatchObject({ code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' });
    await vi.advanceTimersByTimeAsync(500);
    await timedOut;
    expect(t.state).toBe('reconnecting');

    t.reconnect();
    const pending = t.write(Uint8Array.of(2));
    t.disconnect();
    await expect(pending).rejects.toMatchObject({ key: 'errors.device.disconnected' });
    t.stall(false);
    t.reconnect();

    t.failNextWrite(new AppError('DEVICE_FAULT', 'errors.device.disconnected'));
    await expect(t.write(Uint8Array.of(3))).rejects.toMatchObject({ key: 'errors.device.disconnected' });
    expect(changes.map((c) => `${c.state}:${c.reason}`)).toEqual([
      'connecting:open-requested',
      'open:opened',
      'reconnecting:write-timeout',
      'open:opened',
      'reconnecting:disconnected',
      'open:opened',
      'reconnecting:write-failed',
    ]);
    await t.close();
    expect(t.state).toBe('closed');
  });

  it('can fail open()', async () => {
    const t = new MockTransport();
    t.failNextOpen(new AppError('DEVICE_FAULT', 'errors.device.notFound', { device: 'mock' }));
    await expect(t.open()).rejects.toMatchObject({ key: 'errors.device.notFound' });
    expect(t.state).toBe('failed');
    await t.open();
    expect(t.state).toBe('open');
  });
});
