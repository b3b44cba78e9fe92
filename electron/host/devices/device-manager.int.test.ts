/**
 * The device manager on a real replica file, with the printer simulator on a socat pty pair and the
 * gate simulator on loopback Modbus TCP (real serialport bindings, real sockets). What is checked is
 * what staff would see: tickets at the simulated paper, the coil pulse at the simulated board, rows
 * in the print queue and the audit log, health with the device's own name.
 *
 * Restarts are a new DeviceManager on a reopened replica file. "Host killed mid-print" is a row left
 * in 'sending' with sent = 1 — exactly what the synchronous job listener leaves on disk when the
 * process dies after the driver started writing (the driver emits 'sending' with sent before it
 * writes the first byte).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors';
import type { DeviceConfigInput } from '../../../core/devices/device-config';
import { until } from '../../../devices/drivers/driver-test-support';
import { encodeTicket } from '../../../devices/protocol';
import { GateSim } from '../../../devices/sim/gate.sim';
import { PrinterSim, type PrintedTicket } from '../../../devices/sim/printer.sim';
import { createPtyPair } from '../../../devices/sim/pty-pair';
import { Replica } from '../replica/replica';
import { openTestReplica, tempDir } from '../testing';
import { DeviceManager, type DeviceEvent } from './device-manager';
import { DeviceStore } from './device-store';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const STAFF = { staffId: 'staff-1' };

const TUNING = {
  printer: { pollIntervalMs: 1000, recoveryPollMs: 150, statusTimeoutMs: 1500 },
  gate: { watchdogIntervalMs: 200, requestTimeoutMs: 800 },
  transport: { initialDelayMs: 100, maxDelayMs: 400 },
};

function manager(replica: Replica, organizationId: string): DeviceManager {
  const m = new DeviceManager({
    store: new DeviceStore(replica.sqlite),
    newId: () => replica.newId(),
    now: () => replica.now(),
    organizationId: () => organizationId,
    tuning: TUNING,
  });
  cleanups.push(() => m.close());
  return m;
}

async function printerOnPty(options: { paperOut?: boolean } = {}) {
  const dir = tempDir('foyer-devmgr-');
  const pair = await createPtyPair({ dir });
  cleanups.push(() => pair.close());
  const sim = new PrinterSim();
  if (options.paperOut) sim.set('paper-out');
  await sim.listen({ serial: { path: pair.a } });
  cleanups.push(() => sim.close());
  const config: DeviceConfigInput = { kind: 'printer', name: 'Front printer', transport: { type: 'serial', path: pair.b, baudRate: 115200 } };
  return { sim, config, pair };
}

async function gateOnTcp() {
  const sim = new GateSim();
  const address = await sim.listen({ tcp: { port: 0 } });
  if (address.kind !== 'tcp') throw new Error('tcp');
  cleanups.push(() => sim.close());
  const config: DeviceConfigInput = { kind: 'gate', name: 'Turnstile', transport: { type: 'tcp', host: '127.0.0.1', port: address.port }, options: { relay: 0, pulseMs: 300 } };
  return { sim, config };
}

function ticket(n: string): Uint8Array {
  return encodeTicket(
    { siteName: '阳光诊所', number: n, serviceName: '内科', waitingAhead: 0, issuedAt: '2026-11-22 09:30', qr: `https://q.example/t/${n}`, lang: 'zh-CN' },
    { columns: 48, codepage: 'gb18030' },
  );
}

const numberOf = (t: PrintedTicket) => t.elements.flatMap((e) => (e.kind === 'qr' ? [e.data.replace('https://q.example/t/', '')] : []))[0];

function events(m: DeviceManager): DeviceEvent[] {
  const all: DeviceEvent[] = [];
  m.on((e) => all.push(e));
  return all;
}

describe('device manager', () => {
  it('adds a printer on a pty and a gate on Modbus TCP; Test prints a page and pulses the coil, audited', async () => {
    const { replica, organizationId } = await openTestReplica();
    cleanups.push(() => replica.close());
    const printer = await printerOnPty();
    const gate = await gateOnTcp();
    const m = manager(replica, organizationId);
    const p = m.add(printer.config);
    const g = m.add(gate.config);
    await until(() => m.get(p.id).health.state === 'ready' && m.get(g.id).health.state === 'ready', 15_000, 'both ready');

    const printed = await m.test(p.id, STAFF);
    expect(printed.kind).toBe('printing');
    await until(() => printer.sim.tickets.length === 1, 15_000, 'test page printed');
    const lines = printer.sim.tickets[0]!.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []));
    expect(lines).toContain('打印测试 Test page');
    expect(lines.some((l) => l.startsWith('Front printer · '))).toBe(true);
    await until(() => m.jobs(p.id)[0]?.state === 'confirmed', 15_000, 'job confirmed');
    expect(m.jobs(p.id)[0]).toMatchObject({ label: 'test-page', sent: true, delivered: true, createdBy: 'staff-1' });

    const opened = await m.test(g.id, STAFF);
    expect(opened.kind).toBe('opened');
    await until(() => gate.sim.pulses(0).some((x) => x.end !== undefined), 15_000, 'pulse ended');
    const pulse = gate.sim.pulses(0)[0]!;
    expect(pulse.durationMs).toBeGreaterThanOrEqual(250);
    await until(() => m.audit(g.id).some((a) => a.action === 'gate.closed'), 15_000, 'closed audited');
    const audit = m.audit(g.id).reverse();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['gate.opened', 'staff-1'],
      ['gate.closed', 'system'],
    ]);
    expect(audit[0]!.details).toMatchObject({ device: 'Turnstile', reason: 'test', relay: 0 });
    expect(audit[1]!.details).toMatchObject({ cause: 'pulse-end' });
  });

  it('with the printer out of paper shows the fault by name and holds the queue; each ticket prints once, in order, when paper is back', async () => {
    const { replica, organizationId } = await openTestReplica();
    cleanups.push(() => replica.close());
    const printer = await printerOnPty();
    const m = manager(replica, organizationId);
    const seen = events(m);
    const p = m.add(printer.config);
    await until(() => m.get(p.id).health.state === 'ready', 15_000, 'ready');

    m.print(p.id, { label: 'A001', bytes: ticket('A001') }, STAFF);
    await until(() => printer.sim.tickets.length === 1, 15_000, 'first printed');
    // Runs out in the middle of the queue.
    printer.sim.set('paper-out');
    await until(() => m.get(p.id).health.state === 'fault', 15_000, 'fault seen');
    for (const n of ['A002', 'A003', 'A004']) m.print(p.id, { label: n, bytes: ticket(n) }, STAFF);
    await until(() => m.jobs(p.id).filter((j) => j.state === 'held').length === 3, 15_000, 'held');
    const view = m.get(p.id);
    expect(view.health).toMatchObject({ state: 'fault', reasonKey: 'errors.device.printer.paperOut', params: { device: 'Front printer' } });
    expect(view.waitingJobs).toBe(3);
    expect(printer.sim.tickets).toHaveLength(1);

    printer.sim.set('paper-out', false);
    await until(() => printer.sim.tickets.length === 4, 15_000, 'all printed');
    await until(() => m.jobs(p.id).every((j) => j.state === 'confirmed'), 15_000, 'all confirmed');
    expect(printer.sim.tickets.map(numberOf)).toEqual(['A001', 'A002', 'A003', 'A004']);
    expect(m.get(p.id).waitingJobs).toBe(0);
    expect(seen.some((e) => e.type === 'status' && e.health.state === 'fault')).toBe(true);
  });

  it('keeps held jobs across a host restart and prints each once; a job cut off mid-write waits for staff instead of printing twice', async () => {
    const dir = tempDir('foyer-devmgr-restart-');
    const file = path.join(dir, 'desk.sqlite');
    const first = await openTestReplica(file);
    const printer = await printerOnPty({ paperOut: true });
    const m1 = manager(first.replica, first.organizationId);
    const p = m1.add(printer.config);
    await until(() => m1.get(p.id).health.state === 'fault', 15_000, 'paper out seen');
    m1.print(p.id, { label: 'B001', bytes: ticket('B001') }, STAFF);
    m1.print(p.id, { label: 'B002', bytes: ticket('B002') }, STAFF);
    await until(() => m1.jobs(p.id).filter((j) => j.state === 'held').length === 2, 15_000, 'held');
    // A third job the previous host was writing when it died.
    const cut = m1.print(p.id, { label: 'B003', bytes: ticket('B003') }, STAFF);
    await m1.close();
    first.replica.sqlite.prepare("UPDATE print_jobs SET state = 'sending', sent = 1 WHERE id = ?").run(cut.id);
    await first.replica.close();

    const replica = Replica.open({ file, clock: first.clock, ids: first.ids });
    cleanups.push(() => replica.close());
    const m2 = manager(replica, first.organizationId);
    m2.start();
    await until(() => m2.get(p.id).health.state === 'fault', 15_000, 'fault after restart');
    expect(m2.get(p.id)).toMatchObject({ waitingJobs: 2, uncertainJobs: 1 });
    const uncertain = m2.jobs(p.id).find((j) => j.id === cut.id)!;
    expect(uncertain).toMatchObject({ state: 'uncertain', reasonKey: 'errors.device.printer.jobUncertain', params: { job: 'B003', device: 'Front printer' } });

    printer.sim.set('paper-out', false);
    await until(() => printer.sim.tickets.length === 2, 15_000, 'held jobs printed');
    await until(() => m2.jobs(p.id).filter((j) => j.state === 'confirmed').length === 2, 15_000, 'confirmed');
    expect(printer.sim.tickets.map(numberOf)).toEqual(['B001', 'B002']);

    // Staff find B003 missing and reprint it: printed once more, linked to the original.
    const again = m2.reprint(cut.id, STAFF);
    expect(again.reprintOf).toBe(cut.id);
    await until(() => printer.sim.tickets.length === 3, 15_000, 'reprinted');
    expect(printer.sim.tickets.map(numberOf)).toEqual(['B001', 'B002', 'B003']);
    expect(m2.jobs(p.id).find((j) => j.id === cut.id)).toMatchObject({ state: 'cancelled', reasonKey: 'errors.device.printer.jobReprinted' });
    expect(m2.audit(p.id).map((a) => a.action)).toContain('print.reprinted');
    // Nothing else arrives later (no stray resubmission).
    await new Promise((r) => setTimeout(r, 500));
    expect(printer.sim.tickets).toHaveLength(3);
  });

  it('switches a relay left on by a killed host off at start, and audits it', async () => {
    const { replica, organizationId } = await openTestReplica();
    cleanups.push(() => replica.close());
    const gate = await gateOnTcp();
    const m1 = manager(replica, organizationId);
    const g = m1.add({ ...gate.config, enabled: false });
    await m1.close();
    // The previous host died with the relay on.
    gate.sim.setCoil(0, true);
    const m2 = manager(replica, organizationId);
    await m2.update(g.id, { ...gate.config, enabled: true });
    await until(() => gate.sim.coils[0] === false, 15_000, 'relay forced off');
    await until(() => m2.audit(g.id).some((a) => a.action === 'gate.closed'), 15_000, 'audited');
    expect(m2.audit(g.id).find((a) => a.action === 'gate.closed')!.details).toMatchObject({ cause: 'start', device: 'Turnstile' });
  });

  it('refuses bad settings with field errors and a duplicate name, writing nothing', async () => {
    const { replica, organizationId } = await openTestReplica();
    cleanups.push(() => replica.close());
    const m = manager(replica, organizationId);
    const count = () => (replica.sqlite.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n;
    const bad = (() => {
      try {
        m.add({ kind: 'printer', name: 'P', transport: { type: 'tcp', host: '10.0.0.256', port: 9100 } });
      } catch (e) {
        return e;
      }
    })();
    expect(AppError.is(bad) && bad.issues).toEqual([{ path: ['transport', 'host'], key: 'errors.deviceConfig.hostInvalid' }]);
    expect(count()).toBe(0);

    m.add({ kind: 'printer', name: 'Printer', transport: { type: 'tcp', host: '127.0.0.1', port: 9 }, enabled: false });
    expect(() => m.add({ kind: 'display', name: 'Printer', transport: { type: 'tcp', host: '127.0.0.1', port: 9 } })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', key: 'errors.deviceConfig.nameTaken' }),
    );
    expect(count()).toBe(1);
    const [only] = m.list();
    await expect(m.test(only!.id, STAFF)).rejects.toMatchObject({ key: 'errors.device.disabled', params: { device: 'Printer' } });
    await expect(m.update(only!.id, { kind: 'gate', name: 'Printer', transport: { type: 'tcp', host: '127.0.0.1', port: 9 } })).rejects.toMatchObject({
      key: 'errors.deviceConfig.kindChange',
    });
  });

  it('a gate that does not answer fails the open with a timeout by name, audited, and reports the fault', async () => {
    const { replica, organizationId } = await openTestReplica();
    cleanups.push(() => replica.close());
    const gate = await gateOnTcp();
    const m = manager(replica, organizationId);
    const g = m.add(gate.config);
    await until(() => m.get(g.id).health.state === 'ready', 15_000, 'ready');
    gate.sim.fault = { kind: 'silent' };
    await expect(m.openGate(g.id, { reason: 'staff-button', by: 'staff-2' })).rejects.toMatchObject({ params: { device: 'Turnstile' } });
    const failed = m.audit(g.id).find((a) => a.action === 'gate.openFailed');
    expect(failed).toMatchObject({ actor: 'staff-2', details: { reason: 'staff-button' } });
    await until(() => m.get(g.id).health.state === 'fault', 15_000, 'fault');
    expect(gate.sim.coils[0]).toBe(false);
  });

  it('removing a printer cancels its waiting tickets and keeps their history', async () => {
    const { replica, organizationId } = await openTestReplica();
    cleanups.push(() => replica.close());
    const printer = await printerOnPty({ paperOut: true });
    const m = manager(replica, organizationId);
    const p = m.add(printer.config);
    m.print(p.id, { label: 'C001', bytes: ticket('C001') }, STAFF);
    await until(() => m.jobs(p.id)[0]?.state === 'held', 15_000, 'held');
    await m.remove(p.id, STAFF);
    expect(m.list()).toEqual([]);
    expect(new DeviceStore(replica.sqlite).recentJobs(p.id, 10)[0]).toMatchObject({ state: 'cancelled', label: 'C001' });
    printer.sim.set('paper-out', false);
    await new Promise((r) => setTimeout(r, 500));
    expect(printer.sim.tickets).toHaveLength(0);
  });
});
