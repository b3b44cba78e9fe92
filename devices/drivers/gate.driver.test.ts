/**
 * The gate driver against a scripted relay board on the mock transport, with fake timers: the
 * pulse in both modes, read-back, the relay switched off on every path (timeout, error, start,
 * stop, watchdog), passage confirmation, and LCUS boards.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MockTransport } from '../transport/mock.transport';
import { FakeModbusBoard, type FakeBoardOptions } from './fake-modbus-board';
import { GateDriver, type GateDriverOptions, type GateEvents } from './gate.driver';
import { settle } from './driver-test-support';

afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const WHO = { reason: 'member-checkin', by: 'member-42' };

async function setup(options: Partial<GateDriverOptions> = {}, board: Partial<FakeBoardOptions> = {}, before?: (b: FakeModbusBoard) => void) {
  vi.useFakeTimers();
  const t = new MockTransport({ description: 'gate' });
  const framing = board.framing ?? 'rtu';
  const fake = new FakeModbusBoard(t, { framing, ...board });
  before?.(fake);
  const driver = new GateDriver({
    transport: t,
    board: { kind: 'modbus', framing },
    relay: 0,
    pulseMs: 1000,
    requestTimeoutMs: 500,
    retries: 2,
    watchdogIntervalMs: 1000,
    stuckMarginMs: 1000,
    ...options,
  });
  const log: string[] = [];
  const events: { [K in keyof GateEvents]: GateEvents[K][] } = { status: [], opened: [], closed: [], passage: [], 'passage-not-confirmed': [], fault: [] };
  const listen = <K extends keyof GateEvents>(k: K, label: (v: GateEvents[K]) => string = () => k) => {
    driver.on(k, (v) => {
      events[k].push(v);
      log.push(label(v));
    });
  };
  listen('status', (s) => `status:${s.state}`);
  listen('opened');
  listen('closed', (c) => `closed:${c.cause}`);
  listen('passage');
  listen('passage-not-confirmed');
  listen('fault');
  const started = driver.start();
  await advance(10);
  await started;
  return { t, board: fake, driver, events, log };
}

describe('gate driver, Modbus', () => {
  it('start() forces every relay of the gate off and reports a relay that was left on', async () => {
    const { board, driver, events } = await setup({ otherRelays: [3] }, {}, (b) => {
      b.coils[0] = true; // the host was killed mid-pulse
      b.coils[3] = true;
    });
    expect(board.coils.slice(0, 4)).toEqual([false, false, false, false]);
    expect(events.closed.map((c) => [c.relay, c.cause])).toEqual([
      [0, 'start'],
      [3, 'start'],
    ]);
    expect(driver.status.state).toBe('ready');
  });

  it('open(): on, read back, opened; off after pulseMs, read back, closed', async () => {
    const { board, driver, events, log } = await setup();
    board.functions.length = 0;
    const opened = await Promise.all([driver.open(WHO), advance(10)]).then(([o]) => o);
    expect(opened).toMatchObject({ openId: 1, extended: false });
    expect(board.coils[0]).toBe(true);
    expect(driver.isOpen).toBe(true);
    expect(events.opened[0]).toMatchObject({ relay: 0, reason: 'member-checkin', by: 'member-42', extended: false });
    await advance(990);
    expect(board.coils[0]).toBe(true);
    await advance(20);
    expect(board.coils[0]).toBe(false);
    expect(events.closed.at(-1)).toMatchObject({ relay: 0, cause: 'pulse-end', openId: 1 });
    expect(events.closed.at(-1)!.onMs).toBeGreaterThanOrEqual(1000);
    // on, read back; (the watchdog reads now and then); off, read back
    expect(board.functions.slice(0, 2)).toEqual([0x05, 0x01]);
    expect(board.functions.slice(board.functions.lastIndexOf(0x05))).toEqual([0x05, 0x01]);
    const [pulse] = board.pulses(0);
    expect(pulse!.end! - pulse!.start).toBeGreaterThanOrEqual(1000);
    expect(pulse!.end! - pulse!.start).toBeLessThan(1100);
    expect(log.filter((l) => l !== 'status:ready')).toEqual(['status:connecting', 'opened', 'closed:pulse-end']);
  });

  it('a second open while on extends the pulse', async () => {
    const { board, driver, events } = await setup();
    void driver.open(WHO);
    await advance(600);
    const second = await Promise.all([driver.open({ reason: 'again', by: 'm2' }), advance(1)]).then(([o]) => o);
    expect(second).toMatchObject({ openId: 2, extended: true });
    await advance(900);
    expect(board.coils[0]).toBe(true);
    await advance(200);
    expect(board.coils[0]).toBe(false);
    expect(board.pulses(0)).toHaveLength(1);
    expect(events.closed.at(-1)).toMatchObject({ cause: 'pulse-end', openId: 2 });
  });

  it('a board that acknowledges but does not switch is a fault; the relay is commanded off', async () => {
    const { board, driver, events } = await setup();
    board.fault = 'no-switch';
    board.functions.length = 0;
    const r = settle(driver.open(WHO));
    await advance(10);
    await r.done;
    expect(r.outcome).toMatchObject({ ok: false, error: { code: 'DEVICE_FAULT', key: 'errors.device.gate.relayNotSwitched', params: { relay: 1 } } }); // coil 0 is "relay 1" for staff
    expect(events.fault[0]).toMatchObject({ reasonKey: 'errors.device.gate.relayNotSwitched' });
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.gate.relayNotSwitched' });
    expect(board.functions).toEqual([0x05, 0x01, 0x05, 0x01]); // on, read (off!), off, read
    expect(driver.isOpen).toBe(false);
  });

  it('a board that never answers: open rejects with errors.device.timeout within its bound, and the relay is forced off once it answers', async () => {
    const { board, driver, events } = await setup();
    board.fault = 'silent'; // applies the "on", never answers
    const t0 = Date.now();
    let settledAt = 0;
    const r = settle(driver.open(WHO));
    void r.done.then(() => (settledAt = Date.now()));
    await advance(1600);
    expect(events.fault[0]).toMatchObject({ reasonKey: 'errors.device.timeout', params: { device: 'gate' } });
    await advance(1600);
    await r.done;
    expect(r.outcome).toMatchObject({ ok: false, error: { code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' } });
    // 3 attempts for the on, 3 for the off: 2 × 3 × 500 ms
    expect(settledAt - t0).toBeLessThanOrEqual(3000 + 50);
    expect(board.coils[0]).toBe(false); // the silent board applied the "off" too
    board.setCoil(0, true); // now it is stuck on and answering again
    board.fault = 'none';
    await advance(2000);
    expect(board.coils[0]).toBe(false);
    expect(driver.status.state).toBe('ready');
  });

  it('corrupt replies (bad CRC) are a badResponse fault, no crash; the next good exchange works', async () => {
    const { board, driver } = await setup();
    board.fault = 'bad-crc';
    const r = settle(driver.open(WHO));
    await advance(3100);
    await r.done;
    expect(r.outcome).toMatchObject({ ok: false, error: { key: 'errors.device.modbus.badResponse', params: { reason: 'CRC' } } });
    board.fault = 'none';
    await advance(1100);
    expect(board.coils[0]).toBe(false);
    expect(driver.status.state).toBe('ready');
    await Promise.all([driver.open(WHO), advance(10)]);
    expect(board.coils[0]).toBe(true);
  });

  it('an exception reply is a definite refusal: not retried, reported with its own key', async () => {
    const { board, driver } = await setup();
    board.fault = { exception: 2 };
    board.functions.length = 0;
    const r = settle(driver.open(WHO));
    await advance(10);
    await r.done;
    expect(r.outcome).toMatchObject({ ok: false, error: { key: 'errors.device.modbus.illegalDataAddress' } });
    expect(board.functions[0]).toBe(0x05);
    expect(board.functions[1]).toBe(0x05); // the off, not a retry of the on
  });

  it('watchdog: a relay seen on longer than pulse + margin is forced off with a fault', async () => {
    const { board, driver, events } = await setup();
    board.setCoil(0, true); // switched on behind the driver's back
    await advance(1000);
    expect(board.coils[0]).toBe(true);
    await advance(2100);
    expect(board.coils[0]).toBe(false);
    expect(events.fault.at(-1)).toMatchObject({ reasonKey: 'errors.device.gate.relayStuckOn', params: { relay: 1 } });
    expect(events.closed.at(-1)).toMatchObject({ relay: 0, cause: 'watchdog' });
    await advance(1000);
    expect(driver.status.state).toBe('ready');
  });

  it('a relay that does not go off is errors.device.gate.relayStuck until it reads back off', async () => {
    const { board, driver, events } = await setup();
    board.fault = 'stuck-on';
    await Promise.all([driver.open(WHO), advance(10)]);
    await advance(1100);
    expect(board.coils[0]).toBe(true);
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.gate.relayStuck' });
    expect(events.fault.filter((f) => f.reasonKey === 'errors.device.gate.relayStuck')).toHaveLength(1);
    await advance(5000);
    expect(events.fault.filter((f) => f.reasonKey === 'errors.device.gate.relayStuck')).toHaveLength(1); // not repeated every tick
    board.fault = 'none';
    await advance(1100);
    expect(board.coils[0]).toBe(false);
    expect(driver.status.state).toBe('ready');
  });

  it('passage confirmed from the discrete input, or passage-not-confirmed after its timeout', async () => {
    const { board, driver, events } = await setup({ passageInput: 2, passageTimeoutMs: 3000 });
    await Promise.all([driver.open(WHO), advance(1)]);
    await advance(400);
    board.inputs[2] = true;
    await advance(200);
    board.inputs[2] = false;
    expect(events.passage).toEqual([expect.objectContaining({ openId: 1, input: 2, reason: 'member-checkin', by: 'member-42' })]);
    await advance(2000);
    await Promise.all([driver.open(WHO), advance(1)]);
    await advance(2900);
    expect(events['passage-not-confirmed']).toEqual([]);
    await advance(200);
    expect(events['passage-not-confirmed']).toEqual([expect.objectContaining({ openId: 2, superseded: false })]);
    // a newer open ends the previous wait
    await Promise.all([driver.open(WHO), advance(1)]);
    await Promise.all([driver.open(WHO), advance(1)]);
    expect(events['passage-not-confirmed'].at(-1)).toMatchObject({ openId: 3, superseded: true });
  });

  it('link lost while on: fault; the relay is forced off as soon as the link is back', async () => {
    const { t, board, driver, events } = await setup();
    await Promise.all([driver.open(WHO), advance(1)]);
    t.disconnect();
    await advance(5);
    expect(events.fault.at(-1)).toMatchObject({ reasonKey: 'errors.device.gate.offlineWhileOpen' });
    // more urgent than "disconnected": the relay may still be on
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.gate.offlineWhileOpen' });
    await expect(driver.open(WHO)).rejects.toMatchObject({ key: 'errors.device.notConnected' });
    await advance(3000);
    expect(board.coils[0]).toBe(true); // nothing can reach it
    t.reconnect();
    await advance(10);
    expect(board.coils[0]).toBe(false);
    expect(events.closed.at(-1)).toMatchObject({ relay: 0, cause: 'start', openId: 1 });
    expect(driver.status.state).toBe('ready');
  });

  it('close() while the relay is on: switched off and read back before the transport closes', async () => {
    const { t, board, driver, events } = await setup();
    await Promise.all([driver.open(WHO), advance(1)]);
    expect(board.coils[0]).toBe(true);
    await Promise.all([driver.close(), advance(10)]);
    expect(board.coils[0]).toBe(false);
    expect(events.closed.at(-1)).toMatchObject({ cause: 'stop', openId: 1 });
    expect(t.state).toBe('closed');
    await expect(driver.open(WHO)).rejects.toMatchObject({ key: 'errors.device.closed' });
    const writes = t.writes.length;
    await advance(10_000);
    expect(t.writes.length).toBe(writes);
  });

  it('Modbus TCP framing: a reply with another transaction id is never taken for the answer', async () => {
    const { board, driver } = await setup({}, { framing: 'tcp' });
    await Promise.all([driver.open(WHO), advance(1)]);
    expect(board.coils[0]).toBe(true);
    await advance(1100);
    expect(board.coils[0]).toBe(false);
    board.fault = 'bad-crc'; // on TCP: the transaction id is off by one
    const r = settle(driver.open(WHO));
    await advance(3100);
    await r.done;
    expect(r.outcome).toMatchObject({ ok: false, error: { key: 'errors.device.modbus.badResponse', params: { reason: 'transaction id' } } });
  });
});

describe('gate driver, board-timed pulse', () => {
  const boardTimed = { pulseMode: 'board-timed', boardPulse: { register: 0x10, unitMs: 100 } } as const;

  it('writes the pulse time to the board register; the board switches off by itself', async () => {
    const { board, driver, events } = await setup({ ...boardTimed, pulseMs: 1500 }, { boardPulse: { register: 0x10, coil: 0, unitMs: 100 } });
    board.functions.length = 0;
    await Promise.all([driver.open(WHO), advance(1)]);
    expect(board.functions).toEqual([0x06, 0x01]); // no coil write: the board times it
    expect(board.coils[0]).toBe(true);
    await advance(1700);
    expect(board.coils[0]).toBe(false);
    expect(events.closed.at(-1)).toMatchObject({ cause: 'board-timed', openId: 1 });
    expect(board.functions.filter((f) => f === 0x05)).toEqual([]);
  });

  it('a board whose timer does not end the pulse: forced off after pulse + margin, with a fault', async () => {
    const { board, driver, events } = await setup(boardTimed, { boardPulse: { register: 0x10, coil: 0, unitMs: 100 } }, (b) => {
      b.ignoreBoardTimer = true;
    });
    await Promise.all([driver.open(WHO), advance(1)]);
    await advance(1500);
    expect(board.coils[0]).toBe(true);
    await advance(1000);
    expect(board.coils[0]).toBe(false);
    expect(events.fault.at(-1)).toMatchObject({ reasonKey: 'errors.device.gate.relayStuckOn', params: { relay: 1 } });
    expect(events.closed.at(-1)).toMatchObject({ cause: 'watchdog', openId: 1 });
  });

  it('refuses configurations that cannot work', () => {
    const t = new MockTransport();
    expect(() => new GateDriver({ transport: t, board: { kind: 'modbus', framing: 'rtu' }, relay: 0, pulseMode: 'board-timed' })).toThrow(
      expect.objectContaining({ code: 'INVALID', params: { name: 'boardPulse', value: 'missing' } }),
    );
    expect(() => new GateDriver({ transport: t, board: { kind: 'lcus' }, relay: 1, passageInput: 0 })).toThrow(expect.objectContaining({ code: 'INVALID' }));
    expect(() => new GateDriver({ transport: t, board: { kind: 'lcus' }, relay: 0 })).toThrow(expect.objectContaining({ code: 'INVALID' }));
  });
});

describe('gate driver, LCUS relay', () => {
  async function lcus() {
    vi.useFakeTimers();
    const t = new MockTransport({ description: 'lcus' });
    const driver = new GateDriver({ transport: t, board: { kind: 'lcus' }, relay: 1, pulseMs: 800, watchdogIntervalMs: 1000 });
    const closed: GateEvents['closed'][] = [];
    driver.on('closed', (c) => closed.push(c));
    await driver.start();
    return { t, driver, closed };
  }
  const hex = (t: MockTransport) => t.writes.map((w) => [...w].map((b) => b.toString(16).padStart(2, '0')).join(''));

  it('pulses with the 4-byte commands: off at start, on, off after the pulse', async () => {
    const { t, driver, closed } = await lcus();
    expect(hex(t)).toEqual(['a00100a1']);
    await driver.open(WHO);
    expect(hex(t).at(-1)).toBe('a00101a2');
    await advance(800);
    expect(hex(t).at(-1)).toBe('a00100a1');
    expect(closed.at(-1)).toMatchObject({ cause: 'pulse-end' });
    await driver.close();
  });

  it('repeats "off" on every watchdog tick while idle (it cannot read the relay back), and on close', async () => {
    const { t, driver } = await lcus();
    t.clearWrites();
    await advance(3000);
    expect(hex(t)).toEqual(['a00100a1', 'a00100a1', 'a00100a1']);
    await driver.open(WHO);
    t.clearWrites();
    await driver.close();
    expect(hex(t)).toEqual(['a00100a1']);
  });
});
