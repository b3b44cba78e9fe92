/**
 * The printer simulator over loopback TCP and a pty pair: real-time status in every fault state
 * (read back with the protocol's status decoder), printing held while offline and resumed after,
 * Automatic Status Back, and the PNG/JSON output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTicket } from '../protocol/escpos.codec';
import { EscPosStatusDecoder, encodeAsbEnable, encodeStatusRequest, type PrinterStatus, type StatusEvent } from '../protocol/escpos-status.codec';
import { concatBytes } from '../protocol/hex';
import { SerialTransport } from '../transport/serial.transport';
import { TcpTransport } from '../transport/tcp.transport';
import type { Transport } from '../transport/transport';
import { PrinterSim, type PrintedTicket } from './printer.sim';
import type { PrinterCondition } from './printer-status';
import { createPtyPair } from './pty-pair';
import { sleep, tempDir } from './test-support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function overTcp(options: ConstructorParameters<typeof PrinterSim>[0] = {}): Promise<{ sim: PrinterSim; t: Transport }> {
  const sim = new PrinterSim(options);
  const address = await sim.listen({ tcp: { port: 0 } });
  cleanups.push(() => sim.close());
  if (address.kind !== 'tcp') throw new Error('expected tcp');
  const t = new TcpTransport({ host: '127.0.0.1', port: address.port });
  cleanups.push(() => t.close());
  await t.open();
  return { sim, t };
}

async function overPty(): Promise<{ sim: PrinterSim; t: Transport }> {
  const dir = tempDir('foyer-printer-');
  cleanups.push(dir.remove);
  const pair = await createPtyPair({ dir: dir.dir });
  cleanups.push(() => pair.close());
  const sim = new PrinterSim();
  await sim.listen({ serial: { path: pair.a } });
  cleanups.push(() => sim.close());
  const t = new SerialTransport({ path: pair.b, baudRate: 9600, listPorts: async () => [] });
  cleanups.push(() => t.close());
  await t.open();
  return { sim, t };
}

/** What a driver would do: send DLE EOT 1–4 and decode the replies. */
function statusReader(t: Transport) {
  const decoder = new EscPosStatusDecoder();
  const events: StatusEvent[] = [];
  t.onData((b) => events.push(...decoder.push(b)));
  return {
    events,
    async read(): Promise<{ status: PrinterStatus; raw: number[] }> {
      const before = events.filter((e) => e.kind === 'realtime').length;
      for (const n of [1, 2, 3, 4] as const) decoder.expect(n);
      await t.write(concatBytes([1, 2, 3, 4].map((n) => encodeStatusRequest(n as 1))));
      const deadline = Date.now() + 5000;
      while (events.filter((e) => e.kind === 'realtime').length < before + 4) {
        if (Date.now() > deadline) throw new Error('no status reply');
        await sleep(5);
      }
      const raw = events.flatMap((e) => (e.kind === 'realtime' ? [e.raw] : [])).slice(before);
      return { status: decoder.status, raw };
    },
  };
}

const TICKET = encodeTicket(
  { siteName: '阳光诊所', number: 'A012', serviceName: '内科', waitingAhead: 1, issuedAt: '09:30', qr: 'https://q.example/A012', lang: 'zh-CN' },
  { columns: 48, codepage: 'gb18030' },
);

const EXPECTED: [PrinterCondition[], number[], Partial<PrinterStatus>][] = [
  [[], [0x12, 0x12, 0x12, 0x12], { online: true, coverOpen: false, paperNearEnd: false, paperOut: false, error: false }],
  [['near-end'], [0x12, 0x12, 0x12, 0x1e], { online: true, paperNearEnd: true, paperOut: false }],
  [['paper-out'], [0x1a, 0x32, 0x12, 0x7e], { online: false, paperNearEnd: true, paperOut: true, coverOpen: false, error: false }],
  [['cover-open'], [0x1a, 0x16, 0x12, 0x12], { online: false, coverOpen: true, paperOut: false, error: false }],
  [['offline'], [0x1a, 0x52, 0x52, 0x12], { online: false, coverOpen: false, paperOut: false, error: true }],
  [['cover-open', 'paper-out'], [0x1a, 0x36, 0x12, 0x7e], { online: false, coverOpen: true, paperOut: true }],
];

describe.each([
  ['TCP', overTcp],
  ['pty', overPty],
])('printer simulator over %s', (_name, connect) => {
  it('answers DLE EOT 1–4 with the right bits in each fault state', async () => {
    const { sim, t } = await connect();
    const reader = statusReader(t);
    for (const [conditions, raw, status] of EXPECTED) {
      sim.setConditions(conditions);
      const got = await reader.read();
      expect({ conditions, raw: got.raw }).toEqual({ conditions, raw });
      expect(got.status).toMatchObject(status);
    }
    expect(reader.events.filter((e) => e.kind === 'discarded')).toEqual([]);
  });
});

describe('printer simulator', () => {
  it('holds print data while offline and prints it when back online; status keeps answering meanwhile', async () => {
    const { sim, t } = await overTcp();
    const reader = statusReader(t);
    const printed: PrintedTicket[] = [];
    sim.on('ticket', (p) => printed.push(p));
    sim.set('paper-out');
    await t.write(TICKET);
    await t.write(TICKET);
    const offline = await reader.read();
    expect(offline.status).toMatchObject({ online: false, paperOut: true });
    await sleep(200);
    expect(printed).toEqual([]);
    expect(sim.buffered).toBe(2 * TICKET.length);

    sim.set('paper-out', false);
    expect(printed.map((p) => p.index)).toEqual([1, 2]);
    expect(sim.buffered).toBe(0);
    expect(printed[0]!.elements.find((e) => e.kind === 'qr')).toMatchObject({ data: 'https://q.example/A012' });
  });

  it('near-end alone keeps printing', async () => {
    const { sim, t } = await overTcp();
    sim.set('near-end');
    const printed = sim.next('ticket');
    await t.write(TICKET);
    await printed;
  });

  it('Automatic Status Back: on at GS a, sent on every change of an enabled item, off after ESC @', async () => {
    const { sim, t } = await overTcp();
    const reader = statusReader(t);
    const asbCount = () => reader.events.filter((e) => e.kind === 'asb').length;
    const waitAsb = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (asbCount() < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} ASB frames, got ${asbCount()}`);
        await sleep(5);
      }
    };
    await t.write(encodeAsbEnable({ online: true, error: true, paper: true }));
    await waitAsb(1); // sent at once
    sim.set('cover-open');
    await waitAsb(2);
    const last = reader.events.filter((e) => e.kind === 'asb').at(-1);
    expect(last).toMatchObject({ status: { offline: true, coverOpen: true } });
    sim.set('cover-open', false);
    await waitAsb(3);
    // while enabled, the status bytes interleave with print data without confusing the decoder
    const printed = sim.next('ticket');
    await t.write(TICKET); // starts with ESC @: ASB off
    await printed;
    sim.set('near-end');
    await sleep(200);
    expect(asbCount()).toBe(3);
    expect(sim.asbEnabled).toBe(0);
    expect(reader.events.filter((e) => e.kind === 'discarded')).toEqual([]);
  });

  it('writes a PNG and the ticket JSON per ticket when given an output directory', async () => {
    const out = tempDir('foyer-tickets-');
    cleanups.push(out.remove);
    const { sim, t } = await overTcp({ outDir: out.dir });
    const printed = sim.next('ticket');
    await t.write(TICKET);
    const ticket = await printed;
    expect(ticket.png).toBe(`${out.dir}/ticket-0001.png`);
    expect(existsSync(ticket.png!)).toBe(true);
    expect([...readFileSync(ticket.png!).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const json = JSON.parse(readFileSync(ticket.json!, 'utf8')) as { elements: { kind: string; data?: string }[] };
    expect(json.elements.find((e) => e.kind === 'qr')?.data).toBe('https://q.example/A012');
  });

  it('drops what does not fit in the receive buffer and says so', async () => {
    const { sim, t } = await overTcp({ receiveBufferBytes: 1000 });
    const dropped: number[] = [];
    sim.on('overflow', (e) => dropped.push(e.droppedBytes));
    sim.set('offline');
    await t.write(new Uint8Array(1500).fill(0x41));
    const deadline = Date.now() + 5000;
    while (dropped.reduce((a, b) => a + b, 0) < 500 && Date.now() < deadline) await sleep(10);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(500);
    expect(sim.buffered).toBe(1000);
  });
});
