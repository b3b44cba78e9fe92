/**
 * `foyer simulate` as a user runs it: it says where it listens, prints events in words and obeys
 * commands typed on stdin, on TCP and on a pty pair it creates itself.
 */
import ModbusRTU from 'modbus-serial';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTicket } from '../protocol/escpos.codec';
import { encodeStatusRequest } from '../protocol/escpos-status.codec';
import { createCd5220Codec } from '../protocol/line-display.codec';
import { TcpTransport } from '../transport/tcp.transport';
import { runSimulateCli } from './cli';
import { collectData, sleep, tempDir } from './test-support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function start(argv: string[]) {
  const stdin = new PassThrough();
  let stdout = '';
  let stderr = '';
  const abort = new AbortController();
  const exit = runSimulateCli(argv, {
    stdin,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    signal: abort.signal,
  });
  cleanups.push(async () => {
    abort.abort();
    await exit;
  });
  return {
    exit,
    type: (line: string) => stdin.write(line + '\n'),
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = stdout.match(pattern);
        if (m !== null) return m;
        if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${stdout}\n${stderr}`);
        await sleep(10);
      }
    },
  };
}

async function tcp(port: number): Promise<TcpTransport> {
  const t = new TcpTransport({ host: '127.0.0.1', port });
  cleanups.push(() => t.close());
  await t.open();
  return t;
}

describe('foyer simulate', () => {
  it('printer on TCP: prints tickets as text with their PNG, obeys paper-out, quits', async () => {
    const out = tempDir('foyer-cli-');
    cleanups.push(out.remove);
    const cli = start(['simulate', 'printer', '--tcp', '0', '--out', out.dir, '--columns', '32']);
    const port = Number((await cli.waitFor(/listening on tcp 127\.0\.0\.1:(\d+)/))[1]);
    const t = await tcp(port);
    await t.write(
      encodeTicket(
        { siteName: '阳光诊所', number: 'A012', serviceName: '内科', waitingAhead: 0, issuedAt: '09:30', qr: 'HTTPS://Q.EXAMPLE/A012', lang: 'zh-CN' },
        { columns: 32, codepage: 'gb18030' },
      ),
    );
    await cli.waitFor(/ticket #1 \(full cut\) → .*ticket-0001\.png/);
    expect(cli.stdout).toContain('阳光诊所');
    expect(cli.stdout).toContain('[QR M, module 6] HTTPS://Q.EXAMPLE/A012');
    expect(existsSync(`${out.dir}/ticket-0001.png`)).toBe(true);

    cli.type('paper-out');
    await cli.waitFor(/status: OFFLINE \(paper-out\)/);
    const data = collectData(t);
    await t.write(encodeStatusRequest(4));
    expect(await data.waitFor((b) => b.length > 0)).toEqual([0x7e]);
    cli.type('status');
    await cli.waitFor(/OFFLINE \(paper-out\); DLE EOT 1–4: 1A 32 12 7E; 1 tickets printed/);
    cli.type('paper-ok');
    await cli.waitFor(/status: online/);
    cli.type('jump');
    await cli.waitFor(/unknown command "jump"/);
    cli.type('quit');
    expect(await cli.exit).toBe(0);
    expect(cli.stdout).toContain('printer simulator stopped');
  });

  it('gate on a pty pair it creates: Modbus RTU for the app, pass and fault from stdin', async () => {
    const dir = tempDir('foyer-cli-gate-');
    cleanups.push(dir.remove);
    const cli = start(['gate', '--pty-pair', dir.dir, '--coils', '4', '--inputs', '2']);
    await cli.waitFor(new RegExp(`connect the app to ${dir.dir}/gate`));
    expect(cli.stdout).toMatch(/listening on pty .*gate-sim \(Modbus RTU unit 1, 4 relays, 2 sensors\)/);
    const client = new ModbusRTU();
    cleanups.push(() => new Promise<void>((r) => (client.isOpen ? client.close(() => r()) : r())));
    await client.connectRTUBuffered(`${dir.dir}/gate`, { baudRate: 9600 });
    client.setID(1);
    client.setTimeout(2000);
    await client.writeCoil(0, true);
    await cli.waitFor(/relay 1 ON/);
    await client.writeCoil(0, false);
    await cli.waitFor(/relay 1 off after \d+ ms/);
    cli.type('pass 2 500');
    await cli.waitFor(/sensor 2 HIGH/);
    expect((await client.readDiscreteInputs(0, 2)).data.slice(0, 2)).toEqual([false, true]);
    cli.type('fault exception 4');
    await cli.waitFor(/fault: exception 4/);
    await expect(client.readCoils(0, 4)).rejects.toMatchObject({ modbusCode: 4 });
    cli.type('quit');
    expect(await cli.exit).toBe(0);
    expect(existsSync(`${dir.dir}/gate`)).toBe(false);
  });

  it('scanner and display on TCP', async () => {
    const scanner = start(['scanner', '--tcp', '0', '--suffix', 'CRLF']);
    const scanPort = Number((await scanner.waitFor(/listening on tcp 127\.0\.0\.1:(\d+)/))[1]);
    const t = await tcp(scanPort);
    await scanner.waitFor(/connection \d+ opened/);
    const data = collectData(t);
    scanner.type('scan 6901234567892');
    expect(await data.waitFor((b) => b.length >= 15)).toEqual([...Buffer.from('6901234567892\r\n')]);
    await scanner.waitFor(/scanned "6901234567892"/);

    const display = start(['display', '--tcp', '0']);
    const displayPort = Number((await display.waitFor(/listening on tcp 127\.0\.0\.1:(\d+)/))[1]);
    const d = await tcp(displayPort);
    const codec = createCd5220Codec({ encoding: 'gb18030' });
    await d.write(codec.show('请 A012 号', '到 3 号诊室'));
    await display.waitFor(/┃到 3 号诊室 {9}┃/);
  });

  it('explains its usage', async () => {
    const bad = start(['toaster']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr).toContain('usage: foyer simulate');
    const conflicting = start(['printer', '--tcp', '1', '--pty', '/tmp/x']);
    expect(await conflicting.exit).toBe(2);
    const wrongValue = start(['gate', '--mode', 'zigbee']);
    expect(await wrongValue.exit).toBe(2);
    expect(wrongValue.stderr).toContain('--mode must be one of modbus, lcus');
    const help = start(['--help']);
    expect(await help.exit).toBe(0);
    expect(help.stdout).toContain('--pty-pair DIR');
  });
});
