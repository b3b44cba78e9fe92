/**
 * `foyer simulate printer|display|gate|scanner`: runs one device simulator until `quit` (or
 * SIGINT/SIGTERM), prints where it listens and every event in plain words, and reads commands from
 * stdin to change the device's state (paper out, a person passing the gate, a scan). End of stdin
 * does not stop it, so it can run in the background with stdin closed.
 *
 *   --tcp PORT        loopback TCP (defaults: printer 9100, display 9200, gate 1502, scanner 9300)
 *   --host HOST       address to listen on (default 127.0.0.1; 0.0.0.0 for other machines)
 *   --pty PATH        one end of a pty pair you made (socat); the app opens the other end
 *   --pty-pair DIR    make the pair: DIR/<device>-sim for the simulator, DIR/<device> for the app
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { toHex } from '../protocol/hex';
import { describeAddress, type EndpointSpec } from './endpoint';
import { ticketText } from './escpos-decoder';
import { DisplaySim } from './display.sim';
import { GateSim, type GateFault } from './gate.sim';
import { PrinterSim } from './printer.sim';
import type { PrinterCondition } from './printer-status';
import { createPtyPair, type PtyPair } from './pty-pair';
import { ScannerSim, type ScannerSuffix } from './scanner.sim';

export interface SimulateCliIo {
  /** Commands, one per line. Default process.stdin. */
  stdin?: Readable;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** Stops the simulator like `quit`. */
  signal?: AbortSignal;
}

const DEVICES = ['printer', 'display', 'gate', 'scanner'] as const;
type Device = (typeof DEVICES)[number];

const DEFAULT_PORTS: Record<Device, number> = { printer: 9100, display: 9200, gate: 1502, scanner: 9300 };

const USAGE = `usage: foyer simulate <printer|display|gate|scanner> [--tcp PORT | --pty PATH | --pty-pair DIR] [options]

  --tcp PORT        listen on loopback TCP (default port: printer 9100, display 9200, gate 1502, scanner 9300)
  --host HOST       TCP address to listen on (default 127.0.0.1)
  --pty PATH        open PATH, one end of a pseudo-terminal pair (socat); the app opens the other end
  --pty-pair DIR    create the pair with socat: DIR/<device>-sim (simulator) and DIR/<device> (app)
  --verbose         also print status requests and every Modbus request
printer:  --out DIR (PNG + JSON per ticket)  --columns 32|42|48 (default 48)
gate:     --mode modbus|lcus (default modbus)  --unit N (1)  --coils N (8)  --inputs N (8)  --framing rtu|tcp
scanner:  --suffix CR|LF|CRLF (CR)  --interval MS (100)  --encoding utf8|gb18030
display:  --encoding ascii|gb18030 (gb18030)

Type "help" while it runs for its commands.`;

const COMMANDS: Record<Device, string> = {
  printer:
    'paper-out | paper-ok | near-end | cover-open | cover-closed | offline | online | status | help | quit\n' +
    '  (offline, paper out and cover open stop printing; data is kept and printed when back online)',
  display: 'show | help | quit',
  gate:
    'pass [SENSOR] [MS] | on RELAY | off RELAY | fault none|silent|bad-crc|exception CODE|slow MS | status | help | quit\n' +
    '  (relays and sensors are numbered from 1; relay 1 is coil address 0)',
  scanner: 'scan CODE | help | quit',
};

export async function runSimulateCli(argv: string[], io: SimulateCliIo = {}): Promise<number> {
  const out = (s: string) => void (io.stdout ?? process.stdout).write(s + '\n');
  const err = (s: string) => void (io.stderr ?? process.stderr).write(s + '\n');
  const args = argv[0] === 'simulate' ? argv.slice(1) : argv;

  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        tcp: { type: 'string' },
        host: { type: 'string' },
        pty: { type: 'string' },
        'pty-pair': { type: 'string' },
        mode: { type: 'string' },
        framing: { type: 'string' },
        out: { type: 'string' },
        columns: { type: 'string' },
        unit: { type: 'string' },
        coils: { type: 'string' },
        inputs: { type: 'string' },
        suffix: { type: 'string' },
        interval: { type: 'string' },
        encoding: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  if (o.help === true) {
    out(USAGE);
    return 0;
  }
  const device = positionals[0] as Device | undefined;
  if (device === undefined || !DEVICES.includes(device) || positionals.length > 1) {
    err(USAGE);
    return 2;
  }
  const where = [o.tcp, o.pty, o['pty-pair']].filter((v) => v !== undefined);
  if (where.length > 1) {
    err('choose one of --tcp, --pty and --pty-pair');
    return 2;
  }
  const problems: string[] = [];
  const int = (name: string, value: string | undefined, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) problems.push(`--${name} must be one of ${allowed.join(', ')}`);
    return value as T;
  };
  const port = int('tcp', o.tcp, DEFAULT_PORTS[device], 0, 65535);
  const columns = int('columns', o.columns, 48, 16, 96);
  const unit = int('unit', o.unit, 1, 1, 247);
  const coils = int('coils', o.coils, 8, 1, 2000);
  const inputs = int('inputs', o.inputs, 8, 1, 2000);
  const interval = int('interval', o.interval, 100, 0, 3_600_000);
  const mode = oneOf('mode', o.mode, ['modbus', 'lcus'] as const, 'modbus');
  const framing = o.framing === undefined ? undefined : oneOf('framing', o.framing, ['rtu', 'tcp'] as const, 'rtu');
  const suffix = oneOf('suffix', o.suffix, ['CR', 'LF', 'CRLF', 'none'] as const satisfies readonly ScannerSuffix[], 'CR');
  const scanEncoding = oneOf('encoding', device === 'scanner' ? o.encoding : undefined, ['utf8', 'gb18030'] as const, 'utf8');
  const displayEncoding = oneOf('encoding', device === 'display' ? o.encoding : undefined, ['ascii', 'gb18030'] as const, 'gb18030');
  if (problems.length > 0) {
    err(problems.join('\n'));
    return 2;
  }
  const verbose = o.verbose === true;

  let pair: PtyPair | undefined;
  let spec: EndpointSpec;
  try {
    if (o['pty-pair'] !== undefined) {
      pair = await createPtyPair({ dir: o['pty-pair'], names: [`${device}-sim`, device] });
      spec = { serial: { path: pair.a } };
    } else if (o.pty !== undefined) {
      spec = { serial: { path: o.pty } };
    } else {
      spec = { tcp: { port, host: o.host ?? '127.0.0.1' } };
    }
  } catch (e) {
    err(`cannot create the pty pair: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  let handle: (words: string[]) => string | undefined;
  let close: () => Promise<void>;
  let listening: string;
  try {
    switch (device) {
      case 'printer': {
        const sim = new PrinterSim({ columns, ...(o.out !== undefined ? { outDir: o.out } : {}) });
        sim.on('ticket', (t) => {
          out(`ticket #${t.index} (${t.cut} cut)${t.png !== undefined ? ` → ${t.png}` : ''}`);
          out(indent(ticketText(t, columns)));
        });
        sim.on('status', (s) => out(`status: ${s.online ? 'online' : 'OFFLINE'}${s.conditions.length > 0 ? ` (${s.conditions.join(', ')})` : ''}`));
        sim.on('asb', (a) => out(`automatic status back: ${toHex(a.frame)}`));
        sim.on('overflow', (e) => out(`receive buffer full: dropped ${e.droppedBytes} bytes`));
        sim.on('unknown', (e) => out(`unknown command: ${toHex(e.bytes)}`));
        sim.on('connection', (c) => out(`connection ${c.peer} ${c.connected ? 'opened' : 'closed'}`));
        if (verbose) sim.on('status-request', (r) => out(`DLE EOT ${r.n} → ${toHex([r.reply])}`));
        const address = await sim.listen(spec);
        listening = describeAddress(address);
        close = () => sim.close();
        handle = (w) => printerCommand(sim, w);
        break;
      }
      case 'display': {
        const sim = new DisplaySim({ encoding: displayEncoding });
        sim.on('update', (u) => out(displayText(u.lines)));
        sim.on('unknown', (e) => out(`unknown command: ${toHex(e.bytes)}`));
        sim.on('connection', (c) => out(`connection ${c.peer} ${c.connected ? 'opened' : 'closed'}`));
        listening = describeAddress(await sim.listen(spec));
        close = () => sim.close();
        handle = (w) => (w[0] === 'show' ? displayText(sim.lines) : undefined);
        break;
      }
      case 'gate': {
        const sim = new GateSim({ mode, unit, coils, inputs, ...(framing !== undefined ? { framing } : {}) });
        const onSince = new Map<number, number>();
        sim.on('coil', (c) => {
          if (c.on) {
            onSince.set(c.coil, c.at);
            out(`relay ${c.coil + 1} ON`);
          } else {
            const since = onSince.get(c.coil);
            out(`relay ${c.coil + 1} off${since !== undefined ? ` after ${Math.round(c.at - since)} ms` : ''}`);
          }
        });
        sim.on('input', (i) => out(`sensor ${i.input + 1} ${i.on ? 'HIGH' : 'low'}`));
        sim.on('dropped', (d) => out(`dropped ${d.bytes.length} bytes (${d.reason}): ${toHex(d.bytes.subarray(0, 32))}`));
        sim.on('connection', (c) => out(`connection ${c.peer} ${c.connected ? 'opened' : 'closed'}`));
        if (verbose) sim.on('request', (r) => out(`request ${JSON.stringify(r.request)} (unit ${r.unit})`));
        listening = `${describeAddress(await sim.listen(spec))} (${mode === 'lcus' ? 'LCUS relay' : `Modbus ${sim.framing.toUpperCase()} unit ${unit}`}, ${coils} relays, ${inputs} sensors)`;
        close = () => sim.close();
        handle = (w) => gateCommand(sim, w);
        break;
      }
      case 'scanner': {
        const sim = new ScannerSim({ suffix, intervalMs: interval, encoding: scanEncoding });
        sim.on('scan', (s) => out(`scanned "${s.code}" ${s.delivered ? '' : '(nobody connected, lost) '}[${toHex(s.bytes)}]`));
        sim.on('connection', (c) => out(`connection ${c.peer} ${c.connected ? 'opened' : 'closed'}`));
        listening = describeAddress(await sim.listen(spec));
        close = () => sim.close();
        handle = (w) => {
          if (w[0] !== 'scan' || w.length < 2) return undefined;
          void sim.scan(w.slice(1).join(' '));
          return '';
        };
        break;
      }
    }
  } catch (e) {
    await pair?.close();
    err(`cannot start the ${device} simulator: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  out(`foyer simulate ${device}: listening on ${listening}`);
  if (pair !== undefined) out(`connect the app to ${pair.b}`);
  out(`commands: ${COMMANDS[device]}`);

  const stdin = io.stdin ?? process.stdin;
  const lines = readline.createInterface({ input: stdin, terminal: false });
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const stop = () => resolveStopped();
  io.signal?.addEventListener('abort', stop, { once: true });
  if (io.signal?.aborted === true) stop();
  if (io.stdin === undefined) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  lines.on('line', (line) => {
    const words = line.trim().split(/\s+/).filter((x) => x !== '');
    if (words.length === 0) return;
    if (words[0] === 'quit' || words[0] === 'exit') {
      stop();
      return;
    }
    if (words[0] === 'help') {
      out(`commands: ${COMMANDS[device]}`);
      return;
    }
    const reply = handle(words);
    if (reply === undefined) out(`unknown command "${line.trim()}"; commands: ${COMMANDS[device]}`);
    else if (reply !== '') out(reply);
  });
  await stopped;
  io.signal?.removeEventListener('abort', stop);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  lines.close();
  await close();
  await pair?.close();
  out(`${device} simulator stopped`);
  return 0;
}

function printerCommand(sim: PrinterSim, w: string[]): string | undefined {
  const set = (c: PrinterCondition, on: boolean) => {
    sim.set(c, on);
    return '';
  };
  switch (w[0]) {
    case 'paper-out':
      return set('paper-out', true);
    case 'paper-ok':
      sim.set('paper-out', false);
      return set('near-end', false);
    case 'near-end':
      return set('near-end', true);
    case 'cover-open':
      return set('cover-open', true);
    case 'cover-closed':
      return set('cover-open', false);
    case 'offline':
      return set('offline', true);
    case 'online':
      return set('offline', false);
    case 'status':
      return (
        `${sim.online ? 'online' : 'OFFLINE'}${sim.conditions.length > 0 ? ` (${sim.conditions.join(', ')})` : ''}; ` +
        `DLE EOT 1–4: ${toHex([1, 2, 3, 4].map((n) => sim.statusByte(n as 1)))}; ${sim.tickets.length} tickets printed; ` +
        `${sim.buffered} bytes waiting; ASB ${sim.asbEnabled === 0 ? 'off' : `on (${sim.asbEnabled})`}`
      );
    default:
      return undefined;
  }
}

function gateCommand(sim: GateSim, w: string[]): string | undefined {
  const num = (s: string | undefined, fallback: number) => (s === undefined ? fallback : Number(s));
  switch (w[0]) {
    case 'pass': {
      const sensor = num(w[1], 1);
      const ms = num(w[2], 300);
      if (!Number.isInteger(sensor) || sensor < 1 || sensor > sim.inputs.length || !(ms >= 0)) return `usage: pass [1–${sim.inputs.length}] [MS]`;
      void sim.pass({ input: sensor - 1, durationMs: ms });
      return '';
    }
    case 'on':
    case 'off': {
      const relay = num(w[1], Number.NaN);
      if (!Number.isInteger(relay) || relay < 1 || relay > sim.coils.length) return `usage: ${w[0]} 1–${sim.coils.length}`;
      sim.setCoil(relay - 1, w[0] === 'on');
      return '';
    }
    case 'fault': {
      const fault = parseFault(w.slice(1));
      if (fault === undefined) return 'usage: fault none|silent|bad-crc|exception CODE|slow MS';
      sim.fault = fault;
      return `fault: ${w.slice(1).join(' ')}`;
    }
    case 'status':
      return (
        `relays ${sim.coils.map((c) => (c ? '1' : '0')).join('')}, sensors ${sim.inputs.map((c) => (c ? '1' : '0')).join('')}, ` +
        `fault ${sim.fault.kind}`
      );
    default:
      return undefined;
  }
}

function parseFault(w: string[]): GateFault | undefined {
  switch (w[0]) {
    case 'none':
    case 'silent':
    case 'bad-crc':
      return { kind: w[0] };
    case 'exception': {
      const code = Number(w[1] ?? 4);
      return Number.isInteger(code) && code >= 1 && code <= 255 ? { kind: 'exception', code } : undefined;
    }
    case 'slow': {
      const delayMs = Number(w[1] ?? 1000);
      return Number.isFinite(delayMs) && delayMs >= 0 ? { kind: 'slow', delayMs } : undefined;
    }
    default:
      return undefined;
  }
}

function displayText(lines: readonly [string, string]): string {
  return `display ┃${lines[0]}┃\n        ┃${lines[1]}┃`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
