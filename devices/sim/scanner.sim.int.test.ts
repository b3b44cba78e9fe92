/**
 * The scanner simulator read through the real transports and the protocol's LineFramer: every
 * code arrives once, in order, whatever the suffix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LineFramer, type LineTerminator } from '../protocol/scanner.codec';
import { SerialTransport } from '../transport/serial.transport';
import { TcpTransport } from '../transport/tcp.transport';
import type { Transport } from '../transport/transport';
import { createPtyPair } from './pty-pair';
import { ScannerSim, type ScannerSuffix } from './scanner.sim';
import { sleep, tempDir } from './test-support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function codesFrom(t: Transport, terminator: LineTerminator, encoding: 'utf8' | 'gb18030' = 'utf8'): string[] {
  const framer = new LineFramer({ terminator, encoding });
  const codes: string[] = [];
  t.onData((b) => {
    for (const e of framer.push(b)) if (e.kind === 'code') codes.push(e.code);
  });
  return codes;
}

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

const CODES = ['6901234567892', 'https://q.example/t/A012?x=1', 'T-0001', '会员卡 8848'];

describe('scanner simulator', () => {
  it.each([
    ['CRLF', 'CRLF'],
    ['CR', 'any'],
    ['LF', 'LF'],
  ] as [ScannerSuffix, LineTerminator][])('over a pty with suffix %s', async (suffix, terminator) => {
    const dir = tempDir('foyer-scanner-');
    cleanups.push(dir.remove);
    const pair = await createPtyPair({ dir: dir.dir });
    cleanups.push(() => pair.close());
    const sim = new ScannerSim({ suffix, intervalMs: 20 });
    await sim.listen({ serial: { path: pair.a } });
    cleanups.push(() => sim.close());
    const t = new SerialTransport({ path: pair.b, baudRate: 9600, listPorts: async () => [] });
    cleanups.push(() => t.close());
    await t.open();
    const codes = codesFrom(t, terminator);
    await sim.scanAll(CODES);
    await until(() => codes.length >= CODES.length);
    expect(codes).toEqual(CODES);
  });

  it('over TCP in GBK at a given rate: in order, spaced by the interval', async () => {
    const sim = new ScannerSim({ suffix: 'CR', intervalMs: 50, encoding: 'gb18030' });
    const address = await sim.listen({ tcp: { port: 0 } });
    cleanups.push(() => sim.close());
    if (address.kind !== 'tcp') throw new Error('tcp');
    const t = new TcpTransport({ host: '127.0.0.1', port: address.port });
    cleanups.push(() => t.close());
    await t.open();
    await until(() => sim.address !== undefined);
    await sleep(50); // the server side has accepted the connection
    const codes = codesFrom(t, 'CR', 'gb18030');
    const sent: number[] = [];
    sim.on('scan', () => sent.push(performance.now()));
    await sim.scanAll(CODES);
    await until(() => codes.length >= CODES.length);
    expect(codes).toEqual(CODES);
    for (let k = 1; k < sent.length; k++) expect(sent[k]! - sent[k - 1]!).toBeGreaterThanOrEqual(45);
  });
});
