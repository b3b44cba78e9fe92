/**
 * The gate simulator against modbus-serial's client (an implementation independent of our codec)
 * over Modbus TCP on loopback and Modbus RTU on a socat pty pair, plus LCUS frames, garbage and
 * injected faults. Timing assertions are bounds and order, not exact milliseconds.
 */
import ModbusRTU from 'modbus-serial';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeLcusCommand } from '../protocol/lcus-relay.codec';
import { RtuFrameExtractor, encodeRtuRequest, type RtuEvent } from '../protocol/modbus.codec';
import { SerialTransport } from '../transport/serial.transport';
import { GateSim, type GateSimOptions } from './gate.sim';
import { createPtyPair } from './pty-pair';
import { collectData, sleep, tempDir, timed } from './test-support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function gateOnTcp(options: GateSimOptions = {}): Promise<{ gate: GateSim; port: number }> {
  const gate = new GateSim(options);
  const address = await gate.listen({ tcp: { port: 0 } });
  cleanups.push(() => gate.close());
  if (address.kind !== 'tcp') throw new Error('expected tcp');
  return { gate, port: address.port };
}

async function gateOnPty(options: GateSimOptions = {}): Promise<{ gate: GateSim; appPath: string }> {
  const t = tempDir('foyer-gate-');
  cleanups.push(t.remove);
  const pair = await createPtyPair({ dir: t.dir });
  cleanups.push(() => pair.close());
  const gate = new GateSim(options);
  await gate.listen({ serial: { path: pair.a } });
  cleanups.push(() => gate.close());
  return { gate, appPath: pair.b };
}

function client(timeoutMs = 2000): ModbusRTU {
  const c = new ModbusRTU();
  c.setID(1);
  c.setTimeout(timeoutMs);
  cleanups.push(() => new Promise<void>((resolve) => (c.isOpen ? c.close(() => resolve()) : resolve())));
  return c;
}

async function tcpClient(port: number): Promise<ModbusRTU> {
  const c = client();
  await c.connectTCP('127.0.0.1', { port });
  c.setID(1);
  return c;
}

async function rtuClient(path: string, timeoutMs = 2000): Promise<ModbusRTU> {
  const c = client(timeoutMs);
  await c.connectRTUBuffered(path, { baudRate: 9600 });
  c.setID(1);
  return c;
}

/** A serial transport on the app end, for bytes modbus-serial would never send. */
async function rawSerial(path: string) {
  const t = new SerialTransport({ path, baudRate: 9600, listPorts: async () => [] });
  cleanups.push(() => t.close());
  await t.open();
  const extractor = new RtuFrameExtractor('response');
  const frames: RtuEvent[] = [];
  t.onData((b) => frames.push(...extractor.push(b)));
  return { t, frames };
}

/** Shared checks: coil pulse, inputs during a passage, multiple coils, address exception. */
async function exercise(c: ModbusRTU, gate: GateSim): Promise<void> {
  await c.writeCoil(0, true);
  expect((await c.readCoils(0, 8)).data.slice(0, 8)).toEqual([true, false, false, false, false, false, false, false]);
  await sleep(300);
  await c.writeCoil(0, false);
  const [pulse] = gate.pulses(0);
  expect(pulse).toBeDefined();
  expect(pulse!.durationMs).toBeGreaterThanOrEqual(250);
  expect(pulse!.durationMs).toBeLessThan(5000);
  expect(gate.history.map((h) => [h.coil, h.on])).toEqual([
    [0, true],
    [0, false],
  ]);

  const passing = gate.pass({ input: 1, durationMs: 400 });
  expect((await c.readDiscreteInputs(0, 4)).data.slice(0, 4)).toEqual([false, true, false, false]);
  await passing;
  expect((await c.readDiscreteInputs(0, 4)).data.slice(0, 4)).toEqual([false, false, false, false]);

  await c.writeCoils(2, [true, false, true]);
  expect(gate.coils).toEqual([false, false, true, false, true, false, false, false]);
  await expect(c.readCoils(7, 2)).rejects.toMatchObject({ modbusCode: 2 });
  await expect(c.writeCoil(8, true)).rejects.toMatchObject({ modbusCode: 2 });
}

describe('gate simulator, Modbus TCP', () => {
  it('reads and writes coils and inputs, records the pulse', async () => {
    const { gate, port } = await gateOnTcp();
    expect(gate.framing).toBe('tcp');
    await exercise(await tcpClient(port), gate);
  });

  it('survives garbage on one connection and keeps serving others', async () => {
    const { gate, port } = await gateOnTcp();
    const dropped: number[] = [];
    gate.on('dropped', (d) => dropped.push(d.bytes.length));
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    for (let k = 0; k < 20; k++) socket.write(Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + k * 11) & 0xff)));
    socket.write(Buffer.from([0x00, 0x01, 0x00, 0x07, 0xff, 0xff, 0xff])); // protocol id 7, absurd length
    await sleep(200);
    socket.destroy();
    expect(dropped.length).toBeGreaterThan(0);
    const c = await tcpClient(port);
    await c.writeCoil(3, true);
    expect(gate.coils[3]).toBe(true);
  });

  it('faults: silence times out, exceptions come back, a wrong transaction id is never matched', async () => {
    const { gate, port } = await gateOnTcp();
    const c = await tcpClient(port);
    c.setTimeout(500);
    gate.fault = { kind: 'silent' };
    const silent = await timed(() => c.readCoils(0, 1));
    expect(silent.error).toMatchObject({ message: 'Timed out' });
    expect(silent.ms).toBeLessThan(5000);
    gate.fault = { kind: 'exception', code: 4 };
    await expect(c.writeCoil(0, true)).rejects.toMatchObject({ modbusCode: 4 });
    expect(gate.coils[0]).toBe(false); // an exception answer means "not done"
    gate.fault = { kind: 'bad-crc' };
    await expect(c.readCoils(0, 1)).rejects.toMatchObject({ message: 'Timed out' });
  });
});

describe('gate simulator, Modbus RTU on a pty', () => {
  it('reads and writes coils and inputs through the real serial binding, records the pulse', async () => {
    const { gate, appPath } = await gateOnPty();
    expect(gate.framing).toBe('rtu');
    await exercise(await rtuClient(appPath), gate);
  });

  it('faults: bad CRC is detected by the client, silence times out, a slow answer arrives late', async () => {
    const { gate, appPath } = await gateOnPty();
    const c = await rtuClient(appPath, 1500);
    gate.fault = { kind: 'bad-crc' };
    await expect(c.readCoils(0, 8)).rejects.toMatchObject({ message: 'CRC error' });
    gate.fault = { kind: 'silent' };
    const silent = await timed(() => c.writeCoil(1, true));
    expect(silent.error).toMatchObject({ message: 'Timed out' });
    expect(gate.coils[1]).toBe(true); // applied, just never answered
    gate.fault = { kind: 'slow', delayMs: 300 };
    const slow = await timed(() => c.readCoils(0, 2));
    expect(slow.value?.data.slice(0, 2)).toEqual([false, true]);
    expect(slow.ms).toBeGreaterThanOrEqual(250);
    gate.fault = { kind: 'exception', code: 6 };
    await expect(c.readCoils(0, 1)).rejects.toMatchObject({ modbusCode: 6 });
  });

  it('garbage, bad CRCs and truncated frames do not crash it; the next good request is answered', async () => {
    const { gate, appPath } = await gateOnPty({ idleMs: 50 });
    const dropped: string[] = [];
    gate.on('dropped', (d) => dropped.push(d.reason));
    const { t, frames } = await rawSerial(appPath);
    const good = encodeRtuRequest(1, { fn: 'writeSingleCoil', address: 2, value: true });
    const badCrc = good.slice();
    badCrc[badCrc.length - 1]! ^= 0x55;
    await t.write(Uint8Array.from({ length: 300 }, (_, i) => (i * 101 + 7) & 0xff));
    await t.write(badCrc);
    await t.write(good.subarray(0, 5)); // cut off: dropped after the line goes quiet
    await sleep(200);
    expect(gate.coils[2]).toBe(false);
    await t.write(good);
    const deadline = Date.now() + 5000;
    while (!frames.some((f) => f.kind === 'frame') && Date.now() < deadline) await sleep(10);
    expect(frames.find((f) => f.kind === 'frame')).toMatchObject({ unit: 1, pdu: Uint8Array.of(0x05, 0x00, 0x02, 0xff, 0x00) });
    expect(gate.coils[2]).toBe(true);
    expect(dropped).toContain('bad-crc');
  });

  it('broadcast writes are applied and never answered; other unit addresses are ignored', async () => {
    const { gate, appPath } = await gateOnPty();
    const { t, frames } = await rawSerial(appPath);
    await t.write(encodeRtuRequest(0, { fn: 'writeSingleCoil', address: 5, value: true }));
    await t.write(encodeRtuRequest(2, { fn: 'writeSingleCoil', address: 6, value: true }));
    await sleep(300);
    expect(gate.coils[5]).toBe(true);
    expect(gate.coils[6]).toBe(false);
    expect(frames).toEqual([]);
  });
});

describe('gate simulator, LCUS relay on a pty', () => {
  it('switches relays from the 4-byte commands and records the pulse; garbage is skipped', async () => {
    const { gate, appPath } = await gateOnPty({ mode: 'lcus', coils: 1 });
    const t = new SerialTransport({ path: appPath, baudRate: 9600, listPorts: async () => [] });
    cleanups.push(() => t.close());
    await t.open();
    const data = collectData(t);
    await t.write(Uint8Array.of(0x00, 0xff, 0xa0, 0x01, 0x01, 0x00)); // garbage, and a bad checksum
    await t.write(encodeLcusCommand({ channel: 1, on: true }));
    await sleep(250);
    await t.write(encodeLcusCommand({ channel: 1, on: false }));
    await t.write(encodeLcusCommand({ channel: 2, on: true })); // no such relay on an LCUS-1
    await sleep(200);
    const [pulse] = gate.pulses(0);
    expect(pulse?.durationMs).toBeGreaterThanOrEqual(200);
    expect(gate.coils).toEqual([false]);
    expect(data.bytes).toEqual([]); // the board never answers
  });
});
