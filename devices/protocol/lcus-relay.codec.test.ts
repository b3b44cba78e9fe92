import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { LcusFrameExtractor, encodeLcusCommand, type LcusCommand } from './lcus-relay.codec';
import { concatBytes, fromHex, toHex } from './hex';
import { chunkings } from './test-chunks';

// Source: [LCUS] the LCUS-1 USB relay module's documented protocol (seller/maker sheet "LC USB
// switch communication protocol", 9600 bps): data 1 start flag 0xA0, data 2 switch address
// (0x01 = first switch), data 3 operation (0x00 OFF, 0x01 ON), data 4 check code; examples
// "Open the USB switch: A0 01 01 A2", "Close the USB switch: A0 01 00 A1". The multi-channel
// boards document the same frame per channel, e.g. "open the second switch: A0 02 01 A3".

describe('LCUS relay', () => {
  it('channel 1 on and off are the documented frames', () => {
    expect(toHex(encodeLcusCommand({ channel: 1, on: true }))).toBe('A0 01 01 A2'); // [LCUS] open
    expect(toHex(encodeLcusCommand({ channel: 1, on: false }))).toBe('A0 01 00 A1'); // [LCUS] close
  });

  it('other channels: the checksum is the low byte of A0 + channel + state', () => {
    expect(toHex(encodeLcusCommand({ channel: 2, on: true }))).toBe('A0 02 01 A3'); // [LCUS] multi-channel sheet
    expect(toHex(encodeLcusCommand({ channel: 4, on: false }))).toBe('A0 04 00 A4');
    expect(toHex(encodeLcusCommand({ channel: 0x60, on: true }))).toBe('A0 60 01 01'); // wraps past FF
  });

  it('rejects channels outside 1..255', () => {
    expect(() => encodeLcusCommand({ channel: 0, on: true })).toThrow(AppError);
    expect(() => encodeLcusCommand({ channel: 256, on: true })).toThrow(AppError);
    expect(() => encodeLcusCommand({ channel: 1.5, on: true })).toThrow(AppError);
  });

  it('the simulator side decodes commands and resyncs after garbage and a bad checksum', () => {
    const x = new LcusFrameExtractor();
    expect(x.push(fromHex('00 FF A0 01 01 A3 A0 01 01 A2 A0 01'))).toEqual([
      { kind: 'dropped', reason: 'not-a-command', bytes: fromHex('00 FF') },
      { kind: 'dropped', reason: 'bad-checksum', bytes: fromHex('A0') },
      { kind: 'dropped', reason: 'not-a-command', bytes: fromHex('01 01 A3') },
      { kind: 'command', command: { channel: 1, on: true } },
    ]);
    expect(x.push(fromHex('00 A1'))).toEqual([{ kind: 'command', command: { channel: 1, on: false } }]);
  });

  it('round-trips any command sequence under any chunking', () => {
    const commands = fc.array(fc.record({ channel: fc.integer({ min: 1, max: 255 }), on: fc.boolean() }), { maxLength: 20 });
    const arb = commands.chain((cs: LcusCommand[]) => chunkings(concatBytes(cs.map(encodeLcusCommand))).map((chunks) => ({ cs, chunks })));
    fc.assert(
      fc.property(arb, ({ cs, chunks }) => {
        const x = new LcusFrameExtractor();
        expect(chunks.flatMap((c) => x.push(c))).toEqual(cs.map((command) => ({ kind: 'command', command })));
      }),
    );
  });
});
