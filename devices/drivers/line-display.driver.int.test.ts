/**
 * The line display driver against the display simulator through the real transports: CD5220 on a
 * socat pty pair, Epson on loopback TCP; a burst of messages, the cable pulled and replugged, and
 * a display that stops reading.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCd5220Codec, createEpsonDisplayCodec } from '../protocol/line-display.codec';
import { DisplaySim } from '../sim/display.sim';
import { createPtyPair } from '../sim/pty-pair';
import { tempDir, timed } from '../sim/test-support';
import { SerialTransport } from '../transport/serial.transport';
import { TcpTransport } from '../transport/tcp.transport';
import { record, settle, until } from './driver-test-support';
import { LineDisplayDriver } from './line-display.driver';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST = { initialDelayMs: 100, maxDelayMs: 400 };
const trimmed = (lines: readonly string[]) => lines.map((l) => l.trimEnd());

async function onPty() {
  const dir = tempDir('foyer-display-driver-');
  cleanups.push(dir.remove);
  const pair = await createPtyPair({ dir: dir.dir });
  cleanups.push(() => pair.close());
  const sim = new DisplaySim();
  await sim.listen({ serial: { path: pair.a } });
  cleanups.push(() => sim.close());
  const driver = new LineDisplayDriver({
    transport: new SerialTransport({ path: pair.b, baudRate: 9600, listPorts: async () => [], ...FAST }),
    codec: createCd5220Codec({ encoding: 'gb18030' }),
    writeTimeoutMs: 1000,
  });
  cleanups.push(() => driver.close());
  return { dir: dir.dir, pair, sim, driver };
}

describe('line display driver', () => {
  it('CD5220 over a pty: a burst of calls ends with the newest text on the glass, never a stale one', async () => {
    const { sim, driver } = await onPty();
    expect((await driver.start()).state).toBe('ready');
    const calls = Array.from({ length: 20 }, (_, k) => settle(driver.show(`请 A${String(k).padStart(3, '0')} 号`, `到 ${k % 5} 号诊室`)));
    await Promise.all(calls.map((c) => c.done));
    expect(calls.at(-1)?.outcome).toEqual({ ok: true, value: 'shown' });
    expect(calls.filter((c) => c.outcome?.ok === true && c.outcome.value === 'shown').length).toBeLessThanOrEqual(3);
    await until(() => sim.lines[0].includes('A019'));
    expect(trimmed(sim.lines)).toEqual(['请 A019 号', '到 4 号诊室']);
  });

  it('Epson over TCP: show and clear', async () => {
    const sim = new DisplaySim();
    const address = await sim.listen({ tcp: { port: 0 } });
    cleanups.push(() => sim.close());
    if (address.kind !== 'tcp') throw new Error('tcp');
    const driver = new LineDisplayDriver({ transport: new TcpTransport({ host: '127.0.0.1', port: address.port, ...FAST }), codec: createEpsonDisplayCodec({ encoding: 'gb18030' }) });
    cleanups.push(() => driver.close());
    await driver.start();
    await driver.show('欢迎光临', 'A013 → 2号窗口');
    await until(() => sim.lines[1].startsWith('A013'));
    expect(trimmed(sim.lines)).toEqual(['欢迎光临', 'A013 → 2号窗口']);
    await driver.clear();
    await until(() => sim.lines.every((l) => l.trim() === ''));
  });

  it('cable pulled: disconnected, calls rejected at once; plugged back: the newest text is restored', async () => {
    const { dir, pair, driver } = await onPty();
    const statuses = record(driver, 'status');
    await driver.start();
    await driver.show('A001', 'room 1');
    await pair.close();
    await statuses.waitFor((s) => s.state === 'disconnected');
    const r = await timed(() => driver.show('A002', 'room 2'));
    expect(r.error).toMatchObject({ key: 'errors.device.notConnected' });
    expect(r.ms).toBeLessThan(100);
    const again = await createPtyPair({ dir });
    cleanups.push(() => again.close());
    const sim2 = new DisplaySim();
    await sim2.listen({ serial: { path: again.a } });
    cleanups.push(() => sim2.close());
    await until(() => sim2.lines[0].startsWith('A002'));
    expect(trimmed(sim2.lines)).toEqual(['A002', 'room 2']);
    expect(driver.status.state).toBe('ready');
  });

  it('a display that stops reading: a write timeout fault within its bound, not a hang', async () => {
    const { sim, driver } = await onPty();
    await driver.start();
    await sim.close(); // nobody reads the other end any more: the pty buffers fill up
    let failure: { ms: number; error?: unknown } | undefined;
    for (let k = 0; k < 20_000 && failure === undefined; k++) {
      const r = await timed(() => driver.show(`A${k}`, 'x'.repeat(20)));
      if (r.error !== undefined) failure = r;
    }
    expect(failure?.error).toMatchObject({ code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' });
    expect(failure!.ms).toBeGreaterThanOrEqual(950);
    expect(failure!.ms).toBeLessThan(1000 + 2000);
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.timeout' });
  });
});
