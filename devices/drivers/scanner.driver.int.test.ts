/**
 * The scanner driver against the scanner simulator through the real transports (pty pair and
 * loopback TCP), plus a raw TCP "scanner" that sends line noise.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair } from '../sim/pty-pair';
import { ScannerSim, type ScannerSimOptions } from '../sim/scanner.sim';
import { sleep, tempDir } from '../sim/test-support';
import { SerialTransport } from '../transport/serial.transport';
import { TcpTransport } from '../transport/tcp.transport';
import type { Transport } from '../transport/transport';
import { record, until } from './driver-test-support';
import { ScannerDriver, type ScannerDriverOptions } from './scanner.driver';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST = { initialDelayMs: 100, maxDelayMs: 400 };

function driverOn(transport: Transport, options: Partial<ScannerDriverOptions> = {}): ScannerDriver {
  const d = new ScannerDriver({ transport, ...options });
  cleanups.push(() => d.close());
  return d;
}

async function onPty(sim: ScannerSimOptions = {}) {
  const dir = tempDir('foyer-scanner-driver-');
  cleanups.push(dir.remove);
  const pair = await createPtyPair({ dir: dir.dir });
  cleanups.push(() => pair.close());
  const scanner = new ScannerSim(sim);
  await scanner.listen({ serial: { path: pair.a } });
  cleanups.push(() => scanner.close());
  return { dir: dir.dir, pair, scanner, transport: new SerialTransport({ path: pair.b, baudRate: 9600, listPorts: async () => [], ...FAST }) };
}

async function onTcp(sim: ScannerSimOptions = {}) {
  const scanner = new ScannerSim(sim);
  const address = await scanner.listen({ tcp: { port: 0 } });
  cleanups.push(() => scanner.close());
  if (address.kind !== 'tcp') throw new Error('tcp');
  return { scanner, transport: new TcpTransport({ host: '127.0.0.1', port: address.port, ...FAST }) };
}

const CODES = ['6901234567892', 'https://q.example/t/A012?x=1', 'T-0001', '会员卡 8848'];

describe.each([
  ['a pty pair', () => onPty({ suffix: 'CRLF', intervalMs: 20 })],
  ['loopback TCP', () => onTcp({ suffix: 'CR', intervalMs: 20 })],
])('scanner driver over %s', (_name, rig) => {
  it('emits every code once, in order; a repeat within the window is suppressed, after it is a new scan', async () => {
    const { scanner, transport } = await rig();
    const driver = driverOn(transport, { duplicateWindowMs: 800 });
    const scans = record(driver, 'scan');
    const duplicates = record(driver, 'duplicate');
    expect((await driver.start()).state).toBe('ready');
    await sleep(100); // the TCP simulator has accepted the connection
    await scanner.scanAll([...CODES, 'T-0001']);
    await until(() => scans.values.length >= CODES.length && duplicates.values.length >= 1);
    expect(scans.values.map((s) => s.code)).toEqual(CODES);
    expect(duplicates.values.map((d) => d.code)).toEqual(['T-0001']);
    await sleep(900);
    await scanner.scan('T-0001');
    await scans.waitFor((s) => scans.values.length > CODES.length && s.code === 'T-0001');
    expect(scans.values.map((s) => s.code)).toEqual([...CODES, 'T-0001']);
  });
});

describe('scanner driver, faults', () => {
  it('line noise (undecodable bytes, no terminator) is never a code and does not corrupt the next one', async () => {
    let peer: net.Socket | undefined;
    const server = net.createServer((s) => {
      s.on('error', () => undefined);
      peer = s;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => {
      peer?.destroy();
      server.close(() => r());
    }));
    const port = (server.address() as net.AddressInfo).port;
    const driver = driverOn(new TcpTransport({ host: '127.0.0.1', port, ...FAST }), { partialTimeoutMs: 300 });
    const scans = record(driver, 'scan');
    const rejected = record(driver, 'rejected');
    await driver.start();
    await until(() => peer !== undefined);
    peer!.write(Buffer.from([0xff, 0xfe, 0x80, 0x00, 0x0d, 0xc3, 0x28, 0x0a])); // two "lines" of noise
    peer!.write(Buffer.from([0x9f, 0x33, 0x01])); // noise without a terminator
    await sleep(500);
    peer!.write(Buffer.from('6901234567892\r'));
    await scans.waitFor((s) => s.code === '6901234567892');
    expect(scans.values.map((s) => s.code)).toEqual(['6901234567892']);
    expect(rejected.values.map((r) => r.reasonKey)).toEqual(['errors.device.scanner.unreadable', 'errors.device.scanner.unreadable']);
    expect(driver.status.state).toBe('ready');
  });

  it('cable pulled and plugged back: disconnected, then scans arrive again', async () => {
    const { dir, pair, transport } = await onPty({ intervalMs: 20 });
    const driver = driverOn(transport);
    const statuses = record(driver, 'status');
    const scans = record(driver, 'scan');
    await driver.start();
    await pair.close();
    await statuses.waitFor((s) => s.state === 'disconnected');
    const again = await createPtyPair({ dir });
    cleanups.push(() => again.close());
    const scanner = new ScannerSim({ intervalMs: 20 });
    await scanner.listen({ serial: { path: again.a } });
    cleanups.push(() => scanner.close());
    await until(() => driver.status.state === 'ready');
    await scanner.scan('AFTER-1');
    await scans.waitFor((s) => s.code === 'AFTER-1');
  });
});
