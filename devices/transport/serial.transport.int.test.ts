/**
 * SerialTransport with the real serialport binding over socat pty pairs, against the printer
 * simulator (which opens the other end with serialport directly).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTicket } from '../protocol/escpos.codec';
import { encodeStatusRequest } from '../protocol/escpos-status.codec';
import { PrinterSim } from '../sim/printer.sim';
import { createPtyPair, type PtyPair } from '../sim/pty-pair';
import { collectData, tempDir, timed, watchStates } from '../sim/test-support';
import type { SerialPortInfo } from './serial-ports';
import { SerialTransport, type SerialTransportOptions } from './serial.transport';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(): string {
  const t = tempDir('foyer-serial-');
  cleanups.push(t.remove);
  return t.dir;
}

async function pair(at: string): Promise<PtyPair> {
  const p = await createPtyPair({ dir: at });
  cleanups.push(() => p.close());
  return p;
}

async function printer(path: string): Promise<PrinterSim> {
  const sim = new PrinterSim({ columns: 32 });
  await sim.listen({ serial: { path } });
  cleanups.push(() => sim.close());
  return sim;
}

function transport(options: Partial<SerialTransportOptions> & { path: string }): SerialTransport {
  // No USB list on a pty: an empty list keeps the test away from udevadm.
  const t = new SerialTransport({ baudRate: 9600, listPorts: async () => [], ...options });
  cleanups.push(() => t.close());
  return t;
}

const TICKET = encodeTicket(
  {
    siteName: '阳光诊所',
    number: 'A012',
    serviceName: '内科',
    waitingAhead: 2,
    issuedAt: '2024-05-01 09:30',
    qr: 'https://q.example/t/A012',
    lang: 'zh-CN',
  },
  { columns: 32, codepage: 'gb18030' },
);

describe('serial transport over a pty pair', () => {
  it('delivers a ticket the printer decodes (Chinese text, QR) and reads the status reply', async () => {
    const p = await pair(dir());
    const sim = await printer(p.a);
    const t = transport({ path: p.b });
    const data = collectData(t);
    await t.open();
    expect(t.state).toBe('open');
    expect(t.currentPath).toBe(p.b);
    expect(t.description).toBe(`${p.b} 9600 8N1`);

    const printed = sim.next('ticket');
    await t.write(TICKET);
    const ticket = await printed;
    const texts = ticket.elements.flatMap((e) => (e.kind === 'text' && e.text !== '' ? [e.text] : []));
    expect(texts).toContain('阳光诊所');
    expect(texts).toContain('前面还有 2 人等候');
    expect(ticket.elements.find((e) => e.kind === 'qr')).toMatchObject({ data: 'https://q.example/t/A012' });

    await t.write(encodeStatusRequest(1));
    expect(await data.waitFor((b) => b.length >= 1)).toEqual([0x12]);
  });

  it('reconnects when the pair is killed and recreated at the same link path', async () => {
    const at = dir();
    const first = await pair(at);
    await printer(first.a);
    const t = transport({ path: first.b, initialDelayMs: 100, maxDelayMs: 500 });
    const watch = watchStates(t);
    await t.open();

    await first.close(); // the cable is pulled
    const lost = await watch.until('reconnecting');
    expect(lost.reason).toBe('disconnected');
    expect(lost.error?.key).toBe('errors.device.disconnected');
    const meanwhile = await timed(() => t.write(Uint8Array.of(0x0a)));
    expect(meanwhile.error).toMatchObject({ key: 'errors.device.notConnected' });
    expect(meanwhile.ms).toBeLessThan(1000);

    const second = await pair(at); // plugged back in
    const sim = await printer(second.a);
    await watch.until('open');
    const printed = sim.next('ticket');
    await t.write(TICKET);
    expect((await printed).elements.some((e) => e.kind === 'text' && e.text === '阳光诊所')).toBe(true);
    expect(watch.states()).toEqual(['connecting:open-requested', 'open:opened', 'reconnecting:disconnected', 'open:opened']);
  });

  it('follows a device with a USB serial number to its new path after it re-enumerates', async () => {
    const { realpathSync } = await import('node:fs');
    const usb = { vendorId: '0403', productId: '6001', serialNumber: 'A50285BI', manufacturer: 'FTDI' };
    const first = await pair(dir());
    await printer(first.a);
    // The OS lists the adapter under its device node (here the pty behind the link).
    let listed: SerialPortInfo[] = [{ path: realpathSync(first.b), ...usb }];
    const t = transport({ path: first.b, listPorts: async () => listed, initialDelayMs: 100, maxDelayMs: 300 });
    const watch = watchStates(t);
    await t.open();
    expect(t.identity).toEqual({ vendorId: '0403', productId: '6001', serialNumber: 'A50285BI' });

    await first.close();
    await watch.until('reconnecting');
    listed = [];
    // It comes back elsewhere (ttyUSB0 → ttyUSB1); the configured path stays dead.
    const second = await pair(dir());
    const sim = await printer(second.a);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.state).toBe('reconnecting'); // not listed yet: not opened
    listed = [{ path: '/dev/ttyUSB9', vendorId: '1a86', productId: '7523', serialNumber: undefined, manufacturer: undefined }, { path: realpathSync(second.b), ...usb }];
    await watch.until('open');
    expect(t.currentPath).toBe(realpathSync(second.b));
    const printed = sim.next('ticket');
    await t.write(TICKET);
    await printed;
  });

  it('a write to a peer that never reads fails with DEVICE_TIMEOUT within its bound, then the port is reopened', async () => {
    const p = await pair(dir()); // nobody opens p.a: socat's buffers fill up
    const t = transport({ path: p.b, baudRate: 4_000_000, writeTimeoutMs: 500, initialDelayMs: 100 });
    const watch = watchStates(t);
    await t.open();
    const bytes = new Uint8Array(128 * 1024).fill(0x41);
    // the bound: 500 ms + twice the line time at 4 MBd (≈ 0.66 s)
    const bound = 500 + 2 * ((bytes.length * 10 * 1000) / 4_000_000);
    const r = await timed(() => t.write(bytes));
    expect(r.error).toMatchObject({ code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(bound - 50);
    expect(r.ms).toBeLessThan(bound + 5000);
    expect(watch.changes.find((c) => c.state === 'reconnecting')?.reason).toBe('write-timeout');
    await watch.until('open');
  });

  it('pulling the cable mid-write fails the write with errors.device.disconnected well before its timeout', async () => {
    const p = await pair(dir());
    const t = transport({ path: p.b, baudRate: 921_600, writeTimeoutMs: 60_000 });
    await t.open();
    const writing = timed(() => t.write(new Uint8Array(512 * 1024).fill(0x42)));
    await new Promise((r) => setTimeout(r, 300));
    await p.close();
    const r = await writing;
    expect(r.error).toMatchObject({ code: 'DEVICE_FAULT', key: 'errors.device.disconnected' });
    expect(r.ms).toBeLessThan(10_000);
    expect(t.state).toBe('reconnecting');
  });

  it('a device that is not there yet: open() fails with notFound and the transport opens by itself when it appears', async () => {
    const at = dir();
    const t = transport({ path: `${at}/b`, initialDelayMs: 100, maxDelayMs: 300 });
    const watch = watchStates(t);
    await expect(t.open()).rejects.toMatchObject({ code: 'DEVICE_FAULT', key: 'errors.device.notFound' });
    expect(t.state).toBe('reconnecting');
    await pair(at);
    await watch.until('open');
    expect(watch.states()).toEqual(['connecting:open-requested', 'reconnecting:open-failed', 'open:opened']);
  });

  it('a port held by another program is reported as busy', async () => {
    const p = await pair(dir());
    const first = transport({ path: p.b });
    await first.open();
    const second = transport({ path: p.b });
    await expect(second.open()).rejects.toMatchObject({ key: 'errors.device.portBusy' });
    await second.close();
    expect(second.state).toBe('closed');
  });

  it('something that is not a terminal fails for good (no retry loop)', async () => {
    const at = dir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${at}/not-a-tty`, 'x');
    const t = transport({ path: `${at}/not-a-tty` });
    await expect(t.open()).rejects.toMatchObject({ key: 'errors.device.openFailed' });
    expect(t.state).toBe('failed');
  });

  it('close() during reconnecting stops the loop and leaves nothing open', async () => {
    const at = dir();
    const p = await pair(at);
    const t = transport({ path: p.b, initialDelayMs: 50, maxDelayMs: 100 });
    const watch = watchStates(t);
    await t.open();
    await p.close();
    await watch.until('reconnecting');
    await t.close();
    expect(t.state).toBe('closed');
    // a new pair at the same place is not grabbed by the closed transport
    const again = await pair(at);
    await new Promise((r) => setTimeout(r, 400));
    expect(t.state).toBe('closed');
    const other = transport({ path: again.b });
    await other.open();
  });

  // Documented limitation: a pty ignores the line settings, so a wrong baud rate cannot be
  // detected here; on a real port it shows up as garbage or silence (the driver's timeout).
  it('on a pty the baud rate is not enforced (bytes pass at any setting)', async () => {
    const p = await pair(dir());
    const sim = await printer(p.a);
    const t = transport({ path: p.b, baudRate: 115_200, parity: 'even', stopBits: 2 });
    await t.open();
    const printed = sim.next('ticket');
    await t.write(TICKET);
    await printed;
  });
});
