/**
 * LCUS-type USB relay boards (LCUS-1, -2, -4, -8: a CH340 USB serial chip and a small MCU,
 * 9600 8N1), used to pulse a door or turnstile contact.
 *
 * Each command is 4 bytes: A0 (start), channel (1 = first relay), state (00 off, 01 on), and a
 * checksum that is the low byte of the sum of the first three. The documented on/off commands
 * get no reply, so a driver cannot confirm a switch; it can only re-send (the commands are
 * idempotent).
 *
 * `LcusFrameExtractor` is for the simulator: it cuts commands out of the received bytes and
 * resyncs on the next A0 after garbage or a bad checksum.
 */
import { AppError } from '../../core/errors';

const START = 0xa0;

export interface LcusCommand {
  channel: number;
  on: boolean;
}

export function encodeLcusCommand(command: LcusCommand): Uint8Array {
  const { channel, on } = command;
  if (!Number.isInteger(channel) || channel < 1 || channel > 0xff) {
    throw new AppError('INVALID', 'errors.device.invalidArgument', { name: 'channel', value: channel });
  }
  const state = on ? 0x01 : 0x00;
  return Uint8Array.of(START, channel, state, (START + channel + state) & 0xff);
}

export type LcusEvent =
  | { kind: 'command'; command: LcusCommand }
  | { kind: 'dropped'; reason: 'not-a-command' | 'bad-checksum'; bytes: Uint8Array };

export class LcusFrameExtractor {
  #buffer: number[] = [];

  push(chunk: Uint8Array): LcusEvent[] {
    const events: LcusEvent[] = [];
    const drop = (reason: 'not-a-command' | 'bad-checksum', n: number) => {
      const bytes = this.#buffer.splice(0, n);
      const last = events[events.length - 1];
      if (last?.kind === 'dropped' && last.reason === reason) last.bytes = Uint8Array.of(...last.bytes, ...bytes);
      else events.push({ kind: 'dropped', reason, bytes: Uint8Array.from(bytes) });
    };
    this.#buffer.push(...chunk);
    while (this.#buffer.length > 0) {
      const [start, channel = 0, state = 0, sum] = this.#buffer;
      if (start !== START) {
        drop('not-a-command', 1);
        continue;
      }
      if (sum === undefined) break;
      if (channel === 0 || state > 1 || sum !== ((START + channel + state) & 0xff)) {
        drop('bad-checksum', 1);
        continue;
      }
      this.#buffer.splice(0, 4);
      events.push({ kind: 'command', command: { channel, on: state === 1 } });
    }
    return events;
  }
}
