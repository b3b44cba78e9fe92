/**
 * The Modbus master on the mock transport with fake timers: matching replies to requests (unit,
 * echo, transaction id), function 06 framed here, garbage and late replies, retries and bounds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeResponsePdu, encodeRtuFrame, encodeTcpFrame } from '../protocol/modbus.codec';
import { MockTransport } from '../transport/mock.transport';
import { settle } from './driver-test-support';
import { ModbusMaster } from './modbus-master';

afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

async function rig(framing: 'rtu' | 'tcp' = 'rtu') {
  vi.useFakeTimers();
  const t = new MockTransport({ description: 'board' });
  await t.open();
  const master = new ModbusMaster({ transport: t, framing, unit: 1, timeoutMs: 500, retries: 2 });
  t.onData((b) => master.push(b));
  return { t, master };
}

describe('Modbus master', () => {
  it('RTU function 06: the echo is the answer; an exception frame is a definite refusal', async () => {
    const { t, master } = await rig();
    t.respond((w) => w); // a board echoes a register write
    await Promise.all([master.writeRegister(0x0010, 15), advance(1)]);
    expect(t.writes[0]).toEqual(encodeRtuFrame(1, Uint8Array.of(0x06, 0x00, 0x10, 0x00, 0x0f)));
    t.respond(() => encodeRtuFrame(1, Uint8Array.of(0x86, 0x03)));
    const r = settle(master.writeRegister(0x0010, 15));
    await advance(1);
    expect(r.outcome).toMatchObject({ ok: false, error: { key: 'errors.device.modbus.illegalDataValue', params: { function: 6, code: 3 } } });
    expect(t.writes).toHaveLength(2); // not retried
  });

  it('finds the reply after garbage; replies from another unit are ignored and named after the retries', async () => {
    const { t, master } = await rig();
    const reply = encodeRtuFrame(1, encodeResponsePdu({ fn: 'readCoils', bits: [true, false] }));
    t.respond(() => [Uint8Array.of(0xff, 0x00, 0x13, 0x37), reply]);
    const [bits] = await Promise.all([master.readCoils(0, 2), advance(1)]);
    expect(bits).toEqual([true, false]);
    t.respond(() => encodeRtuFrame(2, encodeResponsePdu({ fn: 'readCoils', bits: [true, false] })));
    const r = settle(master.readCoils(0, 2));
    await advance(1600);
    expect(r.outcome).toMatchObject({ ok: false, error: { code: 'DEVICE_FAULT', key: 'errors.device.modbus.badResponse', params: { reason: 'unit address' } } });
    expect(t.writes).toHaveLength(4); // 1 + 3 attempts
  });

  it('a late reply to a timed-out request is not taken for the answer to a different one', async () => {
    const { t, master } = await rig();
    const first = settle(master.readCoils(0, 8));
    await advance(1600); // three silent attempts
    expect(first.outcome).toMatchObject({ ok: false, error: { code: 'DEVICE_TIMEOUT', key: 'errors.device.timeout' } });
    const second = settle(master.writeCoil(3, true));
    t.receive(encodeRtuFrame(1, encodeResponsePdu({ fn: 'readCoils', bits: new Array<boolean>(8).fill(true) }))); // the late one
    await advance(1);
    expect(second.outcome).toBeUndefined();
    t.receive(encodeRtuFrame(1, encodeResponsePdu({ fn: 'writeSingleCoil', address: 3, value: true })));
    await advance(1);
    expect(second.outcome).toEqual({ ok: true, value: undefined });
  });

  it('Modbus TCP: matched by transaction id', async () => {
    const { t, master } = await rig('tcp');
    t.respond((w) => {
      const tid = ((w[0] ?? 0) << 8) | (w[1] ?? 0);
      return [encodeTcpFrame((tid + 7) & 0xffff, 1, encodeResponsePdu({ fn: 'readDiscreteInputs', bits: [false] })), encodeTcpFrame(tid, 1, encodeResponsePdu({ fn: 'readDiscreteInputs', bits: [true] }))];
    });
    const [bits] = await Promise.all([master.readDiscreteInputs(4, 1), advance(1)]);
    expect(bits).toEqual([true]);
  });

  it('a lost link fails the pending request at once, not after its timeout', async () => {
    const { t, master } = await rig();
    const r = settle(master.readCoils(0, 1));
    await advance(10);
    master.reset(); // what a driver does when the transport reports the loss
    await advance(0);
    expect(r.outcome).toMatchObject({ ok: false, error: { key: 'errors.device.disconnected' } });
    t.disconnect();
    await expect(master.readCoils(0, 1)).rejects.toMatchObject({ key: 'errors.device.notConnected' });
  });
});
