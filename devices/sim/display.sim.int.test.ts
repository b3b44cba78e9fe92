/**
 * The display simulator fed by the line-display codecs through the real transports: CD5220 over
 * a pty pair, Epson over loopback TCP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes } from '../protocol/hex';
import { createCd5220Codec, createEpsonDisplayCodec } from '../protocol/line-display.codec';
import { SerialTransport } from '../transport/serial.transport';
import { TcpTransport } from '../transport/tcp.transport';
import { DisplaySim } from './display.sim';
import { createPtyPair } from './pty-pair';
import { tempDir } from './test-support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const trimmed = (lines: readonly string[]) => lines.map((l) => l.trimEnd());

describe('display simulator', () => {
  it('CD5220 over a pty: keeps the two lines and emits an update per change', async () => {
    const dir = tempDir('foyer-display-');
    cleanups.push(dir.remove);
    const pair = await createPtyPair({ dir: dir.dir });
    cleanups.push(() => pair.close());
    const sim = new DisplaySim();
    await sim.listen({ serial: { path: pair.a } });
    cleanups.push(() => sim.close());
    const t = new SerialTransport({ path: pair.b, baudRate: 9600, listPorts: async () => [] });
    cleanups.push(() => t.close());
    await t.open();

    const codec = createCd5220Codec({ encoding: 'gb18030', align: 'center' });
    const shown = sim.next('update', 10_000, (u) => u.lines[1].includes('诊室'));
    await t.write(concatBytes([codec.init(), codec.show('请 A012 号', '到 3 号诊室')]));
    const update = await shown;
    expect(trimmed(update.lines)).toEqual(['     请 A012 号', '    到 3 号诊室']);
    const cleared = sim.next('update', 10_000, (u) => u.lines.every((l) => l.trim() === ''));
    await t.write(codec.clear());
    await cleared;
  });

  it('Epson over TCP', async () => {
    const sim = new DisplaySim({ encoding: 'gb18030' });
    const address = await sim.listen({ tcp: { port: 0 } });
    cleanups.push(() => sim.close());
    if (address.kind !== 'tcp') throw new Error('tcp');
    const t = new TcpTransport({ host: '127.0.0.1', port: address.port });
    cleanups.push(() => t.close());
    await t.open();
    const codec = createEpsonDisplayCodec({ encoding: 'gb18030' });
    const shown = sim.next('update', 10_000, (u) => u.lines[1].startsWith('A013'));
    await t.write(concatBytes([codec.init(), codec.show('欢迎光临 😀', 'A013 → 2号窗口')]));
    await shown;
    // the emoji needs four GB18030 bytes, which no display font has: the codec sends '?'
    expect(trimmed(sim.lines)).toEqual(['欢迎光临 ?', 'A013 → 2号窗口']);
  });
});
