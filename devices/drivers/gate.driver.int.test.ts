/**
 * The gate driver against the gate simulator through the real transports: Modbus RTU on a socat
 * pty pair, Modbus TCP on loopback, RTU over TCP through a proxy that adds garbage, and an LCUS
 * board on a pty. Asserts on the simulator's coil history: what the relay really did.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GateSim, type GateSimOptions } from '../sim/gate.sim';
import { createPtyPair } from '../sim/pty-pair';
import { tempDir, timed } from '../sim/test-support';
import { SerialTransport } from '../transport/serial.transport';
import { TcpTransport } from '../transport/tcp.transport';
import type { Transport } from '../transport/transport';
import { record, settle, until } from './driver-test-support';
import { GateDriver, type GateDriverOptions } from './gate.driver';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST = { initialDelayMs: 100, maxDelayMs: 400 };
const WHO = { reason: 'member-checkin', by: 'member-42' };
const TIMING = { pulseMs: 500, requestTimeoutMs: 500, retries: 2, watchdogIntervalMs: 300, stuckMarginMs: 500 };

interface Rig {
  sim: GateSim;
  transport: () => Transport;
  board: GateDriverOptions['board'];
}

async function rtuOnPty(options: GateSimOptions = {}): Promise<Rig> {
  const dir = tempDir('foyer-gate-driver-');
  cleanups.push(dir.remove);
  const pair = await createPtyPair({ dir: dir.dir });
  cleanups.push(() => pair.close());
  const sim = new GateSim(options);
  await sim.listen({ serial: { path: pair.a } });
  cleanups.push(() => sim.close());
  return {
    sim,
    transport: () => new SerialTransport({ path: pair.b, baudRate: 9600, listPorts: async () => [], ...FAST }),
    board: options.mode === 'lcus' ? { kind: 'lcus' } : { kind: 'modbus', framing: 'rtu' },
  };
}

async function modbusTcp(options: GateSimOptions = {}): Promise<Rig> {
  const sim = new GateSim(options);
  const address = await sim.listen({ tcp: { port: 0 } });
  cleanups.push(() => sim.close());
  if (address.kind !== 'tcp') throw new Error('tcp');
  return {
    sim,
    transport: () => new TcpTransport({ host: '127.0.0.1', port: address.port, ...FAST }),
    board: { kind: 'modbus', framing: options.framing ?? 'tcp' },
  };
}

function gate(rig: Rig, options: Partial<GateDriverOptions> = {}): GateDriver {
  const driver = new GateDriver({ transport: rig.transport(), board: rig.board, relay: 0, ...TIMING, ...options });
  cleanups.push(() => driver.close());
  return driver;
}

describe.each([
  ['Modbus RTU on a pty pair', () => rtuOnPty()],
  ['Modbus TCP', () => modbusTcp()],
])('gate driver, %s', (_name, makeRig) => {
  it('pulses the relay for about pulseMs and confirms the passage from the sensor input', async () => {
    const rig = await makeRig();
    const driver = gate(rig, { passageInput: 1, passageTimeoutMs: 3000 });
    const closed = record(driver, 'closed');
    const passages = record(driver, 'passage');
    expect((await driver.start()).state).toBe('ready');
    const opened = await driver.open(WHO);
    expect(rig.sim.coils[0]).toBe(true);
    await rig.sim.pass({ input: 1, durationMs: 300 });
    await passages.waitFor((p) => p.openId === opened.openId);
    await closed.waitFor((c) => c.cause === 'pulse-end');
    const [pulse] = rig.sim.pulses(0);
    expect(pulse?.durationMs).toBeGreaterThanOrEqual(450);
    expect(pulse?.durationMs).toBeLessThan(500 + 2000);
    expect(rig.sim.coils[0]).toBe(false);
  });

  it('no one passes: passage-not-confirmed after its timeout; the relay is off', async () => {
    const rig = await makeRig();
    const driver = gate(rig, { passageInput: 1, passageTimeoutMs: 1000 });
    const notConfirmed = record(driver, 'passage-not-confirmed');
    await driver.start();
    const opened = await driver.open(WHO);
    await notConfirmed.waitFor((p) => p.openId === opened.openId && !p.superseded);
    expect(rig.sim.coils[0]).toBe(false);
  });

  it('stopped (host shutting down) while the relay is on: the coil is off at the board', async () => {
    const rig = await makeRig();
    const driver = gate(rig, { pulseMs: 60_000 });
    await driver.start();
    await driver.open(WHO);
    expect(rig.sim.coils[0]).toBe(true);
    await driver.close();
    expect(rig.sim.coils[0]).toBe(false);
    expect(rig.sim.history.at(-1)).toMatchObject({ coil: 0, on: false });
  });

  it('started while the coil was left on (host killed earlier): forced off at init', async () => {
    const rig = await makeRig();
    rig.sim.setCoil(0, true);
    rig.sim.setCoil(2, true);
    const driver = gate(rig, { otherRelays: [2] });
    const closed = record(driver, 'closed');
    expect((await driver.start()).state).toBe('ready');
    expect(rig.sim.coils.slice(0, 3)).toEqual([false, false, false]);
    expect(closed.values.map((c) => [c.relay, c.cause])).toEqual([
      [0, 'start'],
      [2, 'start'],
    ]);
  });

  it('corrupt replies: open fails with badResponse, no crash; the relay is forced off and the gate works again', async () => {
    const rig = await makeRig();
    const driver = gate(rig);
    await driver.start();
    rig.sim.fault = { kind: 'bad-crc' }; // applies requests, corrupts every answer
    const r = await timed(() => driver.open(WHO));
    expect(r.error).toMatchObject({ code: 'DEVICE_FAULT', key: 'errors.device.modbus.badResponse' });
    expect(driver.status.state).toBe('fault');
    rig.sim.fault = { kind: 'none' };
    await until(() => driver.status.state === 'ready');
    expect(rig.sim.coils[0]).toBe(false);
    await driver.open(WHO);
    expect(rig.sim.coils[0]).toBe(true);
  });

  it('a board that never answers: open fails with errors.device.timeout within its bound', async () => {
    const rig = await makeRig();
    const driver = gate(rig);
    await driver.start();
    rig.sim.fault = { kind: 'silent' };
    const r = await timed(() => driver.open(WHO));
    expect(r.error).toMatchObject({ code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' });
    // on: 3 × 500 ms, one round of off: 3 × 500 ms
    expect(r.ms).toBeGreaterThanOrEqual(2 * 1500 - 100);
    expect(r.ms).toBeLessThan(3000 + 3000);
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.timeout' });
    expect(rig.sim.coils[0]).toBe(false); // the silent board applied the off
  });

  it('a board that acknowledges but does not switch: relayNotSwitched', async () => {
    const rig = await makeRig();
    const driver = gate(rig);
    await driver.start();
    rig.sim.on('coil', (c) => {
      if (c.coil === 0 && c.on) rig.sim.setCoil(0, false); // the relay driver is dead
    });
    await expect(driver.open(WHO)).rejects.toMatchObject({ key: 'errors.device.gate.relayNotSwitched' });
    expect(rig.sim.coils[0]).toBe(false);
  });

  it('anti-stuck watchdog: a relay switched on behind its back is forced off after pulse + margin', async () => {
    const rig = await makeRig();
    const driver = gate(rig);
    const faults = record(driver, 'fault');
    await driver.start();
    rig.sim.setCoil(0, true);
    const t0 = performance.now();
    await until(() => rig.sim.coils[0] === false);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(500 + 500 - 50);
    expect(ms).toBeLessThan(500 + 500 + 300 + 3000);
    await faults.waitFor((f) => f.reasonKey === 'errors.device.gate.relayStuckOn');
  });
});

describe('gate driver, faults on the line', () => {
  it('RTU over TCP with garbage before every reply: the frames are found, every open works', async () => {
    const rig = await modbusTcp({ framing: 'rtu' });
    const target = rig.sim.address;
    if (target?.kind !== 'tcp') throw new Error('tcp');
    let k = 0;
    const proxy = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: target.port });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('data', (b) => upstream.write(b));
      upstream.on('data', (b) => {
        k++;
        client.write(Buffer.from(Array.from({ length: 7 }, (_, i) => (k * 31 + i * 57) & 0xff)));
        client.write(b);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => proxy.close(() => r())));
    const port = (proxy.address() as net.AddressInfo).port;
    const driver = gate({ ...rig, transport: () => new TcpTransport({ host: '127.0.0.1', port, ...FAST }), board: { kind: 'modbus', framing: 'rtu' } }, { pulseMs: 100 });
    expect((await driver.start()).state).toBe('ready');
    for (let n = 0; n < 5; n++) {
      await driver.open(WHO);
      await until(() => !driver.isOpen);
    }
    expect(rig.sim.pulses(0)).toHaveLength(5);
    expect(driver.status.state).toBe('ready');
  });

  it('cable pulled while the relay is on: fault at once, relay forced off when the cable is back', async () => {
    const dir = tempDir('foyer-gate-driver-');
    cleanups.push(dir.remove);
    const first = await createPtyPair({ dir: dir.dir });
    cleanups.push(() => first.close());
    const sim = new GateSim();
    await sim.listen({ serial: { path: first.a } });
    cleanups.push(() => sim.close());
    const driver = gate({ sim, board: { kind: 'modbus', framing: 'rtu' }, transport: () => new SerialTransport({ path: first.b, baudRate: 9600, listPorts: async () => [], ...FAST }) }, { pulseMs: 800 });
    const faults = record(driver, 'fault');
    const closed = record(driver, 'closed');
    await driver.start();
    await driver.open(WHO);
    await first.close();
    await faults.waitFor((f) => f.reasonKey === 'errors.device.gate.offlineWhileOpen');
    expect(sim.coils[0]).toBe(true); // the board keeps it: host-timed pulses need the link
    const second = await createPtyPair({ dir: dir.dir });
    cleanups.push(() => second.close());
    await closed.waitFor((c) => c.cause === 'start');
    expect(sim.coils[0]).toBe(false);
    expect(driver.status.state).toBe('ready');
  });
});

describe('gate driver, LCUS relay on a pty', () => {
  it('pulses with the LCUS commands, and close() while on switches it off', async () => {
    const rig = await rtuOnPty({ mode: 'lcus', coils: 1 });
    const driver = gate(rig, { relay: 1, pulseMs: 300 });
    const closed = record(driver, 'closed');
    expect((await driver.start()).state).toBe('ready');
    await driver.open(WHO);
    await until(() => rig.sim.coils[0] === true);
    await closed.waitFor((c) => c.cause === 'pulse-end');
    await until(() => rig.sim.coils[0] === false);
    const [pulse] = rig.sim.pulses(0);
    expect(pulse?.durationMs).toBeGreaterThanOrEqual(250);

    const again = settle(driver.open({ ...WHO, reason: 'again' }));
    await again.done;
    await until(() => rig.sim.coils[0] === true);
    await driver.close();
    await until(() => rig.sim.coils[0] === false, 5000);
  });
});
