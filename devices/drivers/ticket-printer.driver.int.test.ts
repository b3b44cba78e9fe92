/**
 * The ticket printer driver against the printer simulator through the real transports: serialport
 * on socat pty pairs and loopback TCP. Asserts on what the simulator printed (its decoded
 * tickets), so "printed exactly once, in order" is checked at the paper, not in the driver.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTicket } from '../protocol/escpos.codec';
import { PrinterSim, type PrintedTicket } from '../sim/printer.sim';
import { createPtyPair, type PtyPair } from '../sim/pty-pair';
import { sleep, tempDir } from '../sim/test-support';
import { SerialTransport } from '../transport/serial.transport';
import { TcpTransport } from '../transport/tcp.transport';
import type { Transport } from '../transport/transport';
import { record, settle, until } from './driver-test-support';
import { TicketPrinterDriver, type TicketPrinterOptions } from './ticket-printer.driver';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST = { initialDelayMs: 100, maxDelayMs: 400 };

function ticket(id: string, ahead = 0): Uint8Array {
  return encodeTicket(
    { siteName: '阳光诊所', number: id, serviceName: '内科', waitingAhead: ahead, issuedAt: '2024-05-01 09:30', qr: `https://q.example/t/${id}`, lang: 'zh-CN' },
    { columns: 48, codepage: 'gb18030' },
  );
}

const qrOf = (t: PrintedTicket) => t.elements.flatMap((e) => (e.kind === 'qr' ? [e.data.replace('https://q.example/t/', '')] : []))[0];

function driverFor(transport: Transport, options: Partial<TicketPrinterOptions> = {}): TicketPrinterDriver {
  const driver = new TicketPrinterDriver({ transport, pollIntervalMs: 1000, recoveryPollMs: 200, statusTimeoutMs: 1500, ...options });
  cleanups.push(() => driver.close());
  return driver;
}

async function dir(): Promise<string> {
  const t = tempDir('foyer-printer-driver-');
  cleanups.push(t.remove);
  return t.dir;
}

async function pairAt(at: string): Promise<PtyPair> {
  const p = await createPtyPair({ dir: at });
  cleanups.push(() => p.close());
  return p;
}

async function simOn(spec: { serial: { path: string } } | { tcp: { port: number } }): Promise<PrinterSim> {
  const sim = new PrinterSim({ columns: 48 });
  await sim.listen(spec);
  cleanups.push(() => sim.close());
  return sim;
}

function serial(path: string): SerialTransport {
  return new SerialTransport({ path, baudRate: 115_200, listPorts: async () => [], ...FAST });
}

async function overPty(): Promise<{ sim: PrinterSim; driver: TicketPrinterDriver }> {
  const p = await pairAt(await dir());
  const sim = await simOn({ serial: { path: p.a } });
  return { sim, driver: driverFor(serial(p.b)) };
}

async function overTcp(): Promise<{ sim: PrinterSim; driver: TicketPrinterDriver }> {
  const sim = await simOn({ tcp: { port: 0 } });
  const address = sim.address;
  if (address?.kind !== 'tcp') throw new Error('tcp');
  return { sim, driver: driverFor(new TcpTransport({ host: '127.0.0.1', port: address.port, ...FAST })) };
}

describe.each([
  ['a pty pair', overPty],
  ['loopback TCP', overTcp],
])('ticket printer driver over %s', (_name, connect) => {
  it('paper runs out after job 2 of 5: jobs 3–5 held with an alert, then each printed exactly once, in order', async () => {
    const { sim, driver } = await connect();
    const jobs = record(driver, 'job');
    const alerts = record(driver, 'alert');
    sim.on('ticket', (t) => {
      if (t.index === 2) sim.set('paper-out');
    });
    expect((await driver.start()).state).toBe('ready');

    const ids = ['A001', 'A002', 'A003', 'A004', 'A005'];
    const printing = ids.map((id, k) => settle(driver.print({ id, bytes: ticket(id, k) })));
    for (const id of ['A003', 'A004', 'A005']) {
      await jobs.waitFor((e) => e.id === id && e.state === 'held' && e.reasonKey === 'errors.device.printer.paperOut');
    }
    const alert = await alerts.waitFor((a) => a.kind === 'jobs-held');
    expect(alert).toMatchObject({ reasonKey: 'errors.device.printer.paperOut' });
    expect(alerts.values.flatMap((a) => (a.kind === 'jobs-held' ? a.jobIds : []))).toEqual(expect.arrayContaining(['A003', 'A004', 'A005']));
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.printer.paperOut' });
    // At most one job is in the printer when it stops: over TCP the request after job 2 may reach
    // the printer with job 2 and be answered (on reception, as real printers do) before job 2
    // printed, so job 3 goes out and waits in the printer's buffer (held, delivered). The rest
    // were never sent.
    const sentWhileOut = new Set(jobs.values.filter((e) => ['A003', 'A004', 'A005'].includes(e.id) && e.sent).map((e) => e.id));
    expect([...sentWhileOut].filter((id) => id !== 'A003')).toEqual([]);
    await sleep(1000);
    expect(sim.tickets.map(qrOf)).toEqual(['A001', 'A002']);

    sim.set('paper-out', false);
    await Promise.all(printing.map((p) => p.done));
    expect(printing.map((p) => p.outcome?.ok)).toEqual([true, true, true, true, true]);
    await sleep(500);
    expect(sim.tickets.map(qrOf)).toEqual(ids);
    expect(driver.status.state).toBe('ready');
  });
});

describe('ticket printer driver, faults on the line', () => {
  it('cable pulled in the middle of a job (pty pair killed): the job is uncertain and never printed again', async () => {
    const at = await dir();
    const first = await pairAt(at);
    const sim1 = await simOn({ serial: { path: first.a } });
    const driver = driverFor(serial(first.b));
    const jobs = record(driver, 'job');
    const alerts = record(driver, 'alert');
    expect((await driver.start()).state).toBe('ready');

    // A job large enough to be still in flight when the cable goes: the printer stops reading
    // as soon as it starts (its port closes), so the pty buffers fill and the write blocks.
    const big = new Uint8Array(1024 * 1024).fill(0x41);
    const bytes = new Uint8Array([...ticket('A001').subarray(0, 20), ...big, ...ticket('A001').subarray(20)]);
    driver.on('job', (e) => {
      if (e.id === 'A001' && e.state === 'sending') void sim1.close();
    });
    const a1 = settle(driver.print({ id: 'A001', bytes }));
    await jobs.waitFor((e) => e.id === 'A001' && e.state === 'sending');
    await sleep(300);
    expect(jobs.values.filter((e) => e.id === 'A001').map((e) => e.state)).toEqual(['queued', 'sending']);
    await first.close(); // pulled
    await a1.done;
    expect(a1.outcome).toMatchObject({ ok: false, error: { key: 'errors.device.printer.jobUncertain' } });
    expect(jobs.values.filter((e) => e.id === 'A001').map((e) => e.state)).toEqual(['queued', 'sending', 'uncertain']);
    expect(alerts.values.find((a) => a.kind === 'job-uncertain')).toMatchObject({ jobId: 'A001' });
    await until(() => driver.status.state === 'disconnected');

    const second = await pairAt(at); // plugged back in
    const sim2 = await simOn({ serial: { path: second.a } });
    await driver.print({ id: 'A002', bytes: ticket('A002') });
    await sleep(1000);
    expect([...sim1.tickets, ...sim2.tickets].map(qrOf)).toEqual(['A002']);
  });

  it('printer stopped in the middle of a job (TCP): uncertain or held, never printed twice; the next job prints once after it is back', async () => {
    const sim1 = await simOn({ tcp: { port: 0 } });
    const port = sim1.address?.kind === 'tcp' ? sim1.address.port : 0;
    const driver = driverFor(new TcpTransport({ host: '127.0.0.1', port, ...FAST }));
    const jobs = record(driver, 'job');
    await driver.start();
    driver.on('job', (e) => {
      if (e.id === 'A001' && e.state === 'sending') void sim1.close();
    });
    const a1 = settle(driver.print({ id: 'A001', bytes: ticket('A001') }));
    await jobs.waitFor((e) => e.id === 'A001' && (e.state === 'uncertain' || e.state === 'held'));
    expect(jobs.values.some((e) => e.id === 'A001' && e.state === 'confirmed')).toBe(false);

    const sim2 = await simOn({ tcp: { port } });
    await driver.print({ id: 'A002', bytes: ticket('A002') });
    await sleep(1000);
    const printed = [...sim1.tickets, ...sim2.tickets].map(qrOf);
    expect(printed.filter((id) => id === 'A001').length).toBeLessThanOrEqual(1);
    expect(printed.filter((id) => id === 'A002')).toEqual(['A002']);
    expect(a1.outcome?.ok).not.toBe(true);
  });

  it('a printer that never answers: not-responding fault within the status timeout, job held, printed once when it answers', async () => {
    const at = await dir();
    const p = await pairAt(at); // nobody on the printer's end yet
    const driver = driverFor(serial(p.b), { statusTimeoutMs: 1000 });
    const t0 = performance.now();
    const status = await driver.start();
    const ms = performance.now() - t0;
    expect(status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.printer.notResponding' });
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(1000 + 3000);
    const jobs = record(driver, 'job');
    const done = driver.print({ id: 'A001', bytes: ticket('A001') });
    await jobs.waitFor((e) => e.state === 'held' && e.reasonKey === 'errors.device.printer.notResponding');
    const sim = await simOn({ serial: { path: p.a } });
    await done;
    await sleep(500);
    expect(sim.tickets.map(qrOf)).toEqual(['A001']);
  });

  it('garbage instead of status replies: not responding, no crash; correct replies afterwards: ready and printing', async () => {
    let mode: 'garbage' | 'good' = 'garbage';
    const received: Buffer[] = [];
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        // DLE EOT n out, print data kept (TCP may deliver a job and the next request in one chunk)
        let status = 0;
        const data: number[] = [];
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] === 0x10 && chunk[i + 1] === 0x04 && i + 2 < chunk.length) {
            status++;
            i += 2;
          } else {
            data.push(chunk[i]!);
          }
        }
        if (data.length > 0) received.push(Buffer.from(data));
        if (status === 0) return;
        if (mode === 'garbage') socket.write(Buffer.from([0xff, 0x00, 0x80, 0xe0, 0x13, 0x91, 0x10, 0x04]));
        else socket.write(Buffer.from([0xff, 0x00, ...new Array<number>(status).fill(0x12)]));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const driver = driverFor(new TcpTransport({ host: '127.0.0.1', port, ...FAST }), { statusTimeoutMs: 500 });
    expect(await driver.start()).toMatchObject({ state: 'fault', reasonKey: 'errors.device.printer.notResponding' });
    await sleep(700);
    expect(driver.status.reasonKey).toBe('errors.device.printer.notResponding');
    mode = 'good';
    await until(() => driver.status.state === 'ready');
    await driver.print({ id: 'A001', bytes: ticket('A001') });
    expect(Buffer.concat(received).equals(Buffer.from(ticket('A001')))).toBe(true);
  });
});
