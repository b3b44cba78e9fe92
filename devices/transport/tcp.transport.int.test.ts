/**
 * TcpTransport over loopback against the printer simulator and bare servers: delivery, reconnect
 * after the device restarts, and bounded failure when the peer stops reading or vanishes.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTicket } from '../protocol/escpos.codec';
import { encodeStatusRequest } from '../protocol/escpos-status.codec';
import { PrinterSim } from '../sim/printer.sim';
import { collectData, timed, watchStates } from '../sim/test-support';
import { TcpTransport, type TcpTransportOptions } from './tcp.transport';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function printer(port = 0): Promise<{ sim: PrinterSim; port: number }> {
  const sim = new PrinterSim({ columns: 48 });
  const address = await sim.listen({ tcp: { port } });
  cleanups.push(() => sim.close());
  if (address.kind !== 'tcp') throw new Error('expected tcp');
  return { sim, port: address.port };
}

function transport(options: Partial<TcpTransportOptions> & { port: number }): TcpTransport {
  const t = new TcpTransport({ host: '127.0.0.1', ...options });
  cleanups.push(() => t.close());
  return t;
}

/** A server that accepts and then never reads (a printer with a full buffer). */
async function deafServer(): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    s.pause();
    s.on('error', () => undefined);
    sockets.push(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, sockets };
}

const TICKET = encodeTicket(
  { siteName: 'Sunny Gym', number: 'B007', serviceName: '私教课', waitingAhead: 0, issuedAt: '18:05', barcode: 'T-77', lang: 'en' },
  { columns: 48, codepage: 'gb18030' },
);

describe('TCP transport', () => {
  it('delivers a ticket to a raw-port printer and reads its status reply', async () => {
    const { sim, port } = await printer();
    const t = transport({ port });
    const data = collectData(t);
    await t.open();
    expect(t.description).toBe(`127.0.0.1:${port}`);
    const printed = sim.next('ticket');
    await t.write(TICKET);
    const ticket = await printed;
    expect(ticket.elements.some((e) => e.kind === 'text' && e.text === '私教课')).toBe(true);
    expect(ticket.elements.find((e) => e.kind === 'barcode')).toMatchObject({ data: 'T-77' });
    sim.set('near-end');
    await t.write(encodeStatusRequest(4));
    expect(await data.waitFor((b) => b.length >= 1)).toEqual([0x1e]);
  });

  it('reconnects with backoff after the printer restarts on the same port', async () => {
    const first = await printer();
    const t = transport({ port: first.port, initialDelayMs: 100, maxDelayMs: 400 });
    const watch = watchStates(t);
    await t.open();
    await first.sim.close();
    const lost = await watch.until('reconnecting');
    expect(['peer-closed', 'disconnected']).toContain(lost.reason);
    await expect(t.write(Uint8Array.of(0x0a))).rejects.toMatchObject({ key: 'errors.device.notConnected' });
    // a few refused attempts while it is down
    await new Promise((r) => setTimeout(r, 500));
    const second = await printer(first.port);
    await watch.until('open');
    const printed = second.sim.next('ticket');
    await t.write(TICKET);
    await printed;
    expect(watch.states().slice(-2)).toEqual([`reconnecting:${lost.reason}`, 'open:opened']);
  });

  it('a write to a peer that stopped reading fails with DEVICE_TIMEOUT within its bound and the connection is re-made', async () => {
    const deaf = await deafServer();
    const t = transport({ port: deaf.port, writeTimeoutMs: 1000, initialDelayMs: 100 });
    const watch = watchStates(t);
    await t.open();
    // far more than the socket buffers on both sides of a loopback connection hold
    const r = await timed(() => t.write(new Uint8Array(64 * 1024 * 1024)));
    expect(r.error).toMatchObject({ code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(950);
    expect(r.ms).toBeLessThan(6000);
    expect(watch.changes.find((c) => c.state === 'reconnecting')?.reason).toBe('write-timeout');
    await watch.until('open');
    expect(deaf.sockets.length).toBe(2);
  });

  it('a peer that vanishes: the loss is reported and writes fail at once instead of hanging', async () => {
    const deaf = await deafServer();
    const t = transport({ port: deaf.port, initialDelayMs: 5000 });
    const watch = watchStates(t);
    await t.open();
    deaf.sockets[0]!.resetAndDestroy();
    const lost = await watch.until('reconnecting');
    expect(lost.reason).toBe('disconnected');
    const r = await timed(() => t.write(Uint8Array.of(1, 2, 3)));
    expect(r.error).toMatchObject({ key: 'errors.device.notConnected' });
    expect(r.ms).toBeLessThan(500);
  });

  it('nothing listening: connectionRefused, retried in the background, stopped by close()', async () => {
    const { port } = await deafServer().then(async (d) => {
      // take a port and free it again, so nothing listens there
      const p = d.port;
      await cleanups.pop()!();
      return { port: p };
    });
    const t = transport({ port, initialDelayMs: 50, maxDelayMs: 50 });
    await expect(t.open()).rejects.toMatchObject({ code: 'DEVICE_FAULT', key: 'errors.device.connectionRefused' });
    expect(t.state).toBe('reconnecting');
    await t.close();
    expect(t.state).toBe('closed');
  });
});
