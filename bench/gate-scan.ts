/**
 * gate-scan: a member code scanned at the gate's scanner to the relay command written
 * (issue 5: p99 under 20 ms, on pty pairs with the simulators).
 *
 * Rig (as devices/drivers/*.int.test.ts wire it): two socat pty pairs.
 *   ScannerSim ──pty──► ScannerDriver (SerialTransport, 9600 8N1, CR suffix)
 *                          │ 'scan' → gate.open({ reason: 'member-checkin', by: code })
 *   GateSim ◄──pty── GateDriver (SerialTransport, 9600 8N1, Modbus RTU, unit 1, relay 0)
 * Everything runs in this one process, with the real serialport bindings on both ends of both
 * pairs. The handler opens the gate straight away: the host's membership check is not in it.
 *
 * What is timed (performance.now, one clock): from the scanner simulator's 'scan' event, emitted
 * right after it handed the code's bytes to its port, to the gate simulator's 'coil' event for
 * coil 0 switching on, which it emits when it has received and applied the "write single coil"
 * request (its clock is set to performance.now). So a sample covers: pty, serialport read on the
 * host end, LineFramer and duplicate check, the handler, GateDriver.open's lock, the Modbus RTU
 * frame, serialport write and drain, pty, the simulator's RTU frame extractor. Also reported,
 * without target: to open() resolving (the coil read back on, function 01 round trip).
 *
 * A pty moves bytes at memory speed whatever the baud rate, so neither figure contains the time
 * the bytes take on a real 9600-baud line; the note gives it (see BENCHMARKS.md).
 *
 * Spacing: every scan is a distinct code (duplicate suppression never applies), the pulse is
 * 40 ms, and the next scan is sent only after the driver reported the pulse closed and 30 ms more
 * passed, so each sample starts with the relay off and no request of the previous one in flight.
 * The driver's watchdog keeps its production interval (it reads the coils every second), so a scan
 * may wait behind a watchdog read, as it would at a real gate. 30 warm-up scans, then 400 timed.
 */
import { GateDriver } from '../devices/drivers/gate.driver';
import { ScannerDriver } from '../devices/drivers/scanner.driver';
import { GateSim } from '../devices/sim/gate.sim';
import { ScannerSim } from '../devices/sim/scanner.sim';
import { Rig, serialTransport, sleep, wireMs } from './lib/devices';
import { roundSig, summarize } from './lib/stats';
import type { Benchmark, Figure, Log } from './lib/types';

const WARMUP = 30;
const SAMPLES = 400;
const PULSE_MS = 40;
const GAP_MS = 30;
const BAUD = 9600;
const SAMPLE_TIMEOUT_MS = 5_000;

/** A member card code: distinct per scan. */
const memberCode = (n: number) => `M${String(20_260_000 + n)}`;

interface Sample {
  /** Scanner simulator wrote the code → ScannerDriver emitted it. */
  toDriver: number;
  /** → the gate simulator received the coil-on write (the figure). */
  toCoil: number;
  /** → open() resolved (coil read back on). */
  toOpened: number;
  /** A watchdog read reached the gate between the scan and the coil-on write. */
  behindRead: boolean;
}

const bench: Benchmark = {
  name: 'gate-scan',
  async run(log: Log) {
    const rig = new Rig();
    try {
      const scanPair = await rig.ptyPair('scanner');
      const gatePair = await rig.ptyPair('gate');

      const scannerSim = new ScannerSim({ suffix: 'CR', intervalMs: 0 });
      await scannerSim.listen({ serial: { path: scanPair.a, baudRate: BAUD } });
      rig.defer(() => scannerSim.close());
      const gateSim = new GateSim({ now: () => performance.now() });
      await gateSim.listen({ serial: { path: gatePair.a, baudRate: BAUD } });
      rig.defer(() => gateSim.close());

      const scanner = new ScannerDriver({ transport: serialTransport(scanPair.b, BAUD) });
      rig.defer(() => scanner.close());
      const gate = new GateDriver({
        transport: serialTransport(gatePair.b, BAUD),
        board: { kind: 'modbus', framing: 'rtu' },
        relay: 0,
        pulseMs: PULSE_MS,
      });
      rig.defer(() => gate.close());
      const gateStatus = await gate.start();
      const scannerStatus = await scanner.start();
      if (gateStatus.state !== 'ready' || scannerStatus.state !== 'ready') {
        throw new Error(`drivers not ready: gate ${gateStatus.state}, scanner ${scannerStatus.state}`);
      }

      // --- the timestamps, all taken synchronously in the emitters' listeners
      let current:
        | { code: string; written?: number; driver?: number; coil?: number; opened?: number; closed?: boolean; behindRead?: boolean; error?: unknown; wake?: () => void }
        | undefined;
      scannerSim.on('scan', (s) => {
        if (current?.code === s.code) current.written = performance.now();
      });
      // The desk's handler: a code from the gate's scanner opens the gate.
      scanner.on('scan', ({ code }) => {
        const t = performance.now();
        const c = current;
        if (c?.code === code) c.driver = t;
        gate.open({ reason: 'member-checkin', by: code }).then(
          () => {
            if (c?.code !== code) return;
            c.opened = performance.now();
            c.wake?.();
          },
          (error: unknown) => {
            if (c?.code !== code) return;
            c.error = error;
            c.wake?.();
          },
        );
      });
      let coilOns = 0;
      gateSim.on('coil', (change) => {
        if (change.coil !== 0 || !change.on) return;
        coilOns++;
        if (current !== undefined && current.coil === undefined) current.coil = change.at;
      });
      // A watchdog read (function 01) reaching the gate between the scan and its coil-on write: the
      // open waited behind it (the driver runs one Modbus request at a time).
      gateSim.on('request', (r) => {
        if (r.request.fn === 'readCoils' && current?.written !== undefined && current.coil === undefined) current.behindRead = true;
      });
      gate.on('closed', (c) => {
        if (c.relay === 0 && current !== undefined) {
          current.closed = true;
          current.wake?.();
        }
      });
      let duplicates = 0;
      scanner.on('duplicate', () => duplicates++);

      const samples: Sample[] = [];
      for (let i = 0; i < WARMUP + SAMPLES; i++) {
        const c: NonNullable<typeof current> = { code: memberCode(i) };
        current = c;
        const done = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`scan ${c.code}: no open and close within ${SAMPLE_TIMEOUT_MS} ms`)), SAMPLE_TIMEOUT_MS);
          c.wake = () => {
            if (c.error !== undefined || (c.opened !== undefined && c.closed === true)) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
        void scannerSim.scan(c.code);
        await done;
        if (c.error !== undefined) throw new Error(`scan ${c.code}: open failed: ${String((c.error as Error).message ?? c.error)}`);
        if (c.written === undefined || c.driver === undefined || c.coil === undefined || c.opened === undefined) {
          throw new Error(`scan ${c.code}: missing a timestamp (${JSON.stringify(c)})`);
        }
        if (i >= WARMUP) samples.push({ toDriver: c.driver - c.written, toCoil: c.coil - c.written, toOpened: c.opened - c.written, behindRead: c.behindRead === true });
        current = undefined;
        await sleep(GAP_MS);
      }
      if (coilOns !== WARMUP + SAMPLES) throw new Error(`expected ${WARMUP + SAMPLES} coil-on writes at the gate, saw ${coilOns}`);
      if (duplicates !== 0) throw new Error(`${duplicates} scans were suppressed as duplicates`);
      const pulses = gateSim.pulses(0);
      if (pulses.length !== WARMUP + SAMPLES || pulses.some((p) => p.end === undefined)) throw new Error(`expected ${WARMUP + SAMPLES} ended pulses, saw ${pulses.length}`);

      const coil = summarize(samples.map((s) => s.toCoil));
      const opened = summarize(samples.map((s) => s.toOpened));
      const driver = summarize(samples.map((s) => s.toDriver));
      log(`scan → ScannerDriver 'scan':      p50 ${driver.p50.toFixed(3)} ms  p99 ${driver.p99.toFixed(3)} ms  max ${driver.max.toFixed(3)} ms`);
      log(`scan → coil-on at the gate:       p50 ${coil.p50.toFixed(3)} ms  p99 ${coil.p99.toFixed(3)} ms  max ${coil.max.toFixed(3)} ms  (n=${coil.samples})`);
      const slowest = [...samples].sort((a, b) => b.toCoil - a.toCoil).slice(0, 5);
      const behind = samples.filter((s) => s.behindRead);
      log(
        `slowest 5 (scan → driver + driver → coil): ${slowest.map((s) => `${s.toDriver.toFixed(1)} + ${(s.toCoil - s.toDriver).toFixed(1)}${s.behindRead ? ' (behind a watchdog read)' : ''}`).join(', ')} ms; ` +
          `${behind.length} of ${samples.length} scans came during a watchdog read` +
          (behind.length > 0 ? ` (their median ${summarize(behind.map((s) => s.toCoil)).p50.toFixed(2)} ms)` : ''),
      );
      log(`scan → open() resolved (read back): p50 ${opened.p50.toFixed(3)} ms  p99 ${opened.p99.toFixed(3)} ms  max ${opened.max.toFixed(3)} ms`);

      // What a real 9600-baud line adds (not in the pty figures): the scan (code + CR) and the
      // Modbus "write single coil" request (8 bytes) plus the 3.5-character silence that ends an
      // RTU frame. open() then also waits for the board's echo (8), and reads the coil back:
      // request (8) and reply (6), each frame with its silence.
      const codeBytes = scannerSim.encode(memberCode(0)).length;
      const wireCoil = wireMs(codeBytes, BAUD) + wireMs(8 + 3.5, BAUD);
      const wireOpened = wireCoil + wireMs(8 + 3.5 + 8 + 3.5 + 6 + 3.5, BAUD);
      log(`wire time at ${BAUD} 8N1, not in the figures: scan ${codeBytes} B + write-coil 8 B + 3.5-char gap = ${wireCoil.toFixed(1)} ms; to open() resolving (echo, read-back) ${wireOpened.toFixed(1)} ms`);

      const wireNote =
        `pty pairs do not throttle to the baud rate: on real 9600-baud lines the scan (${codeBytes} B) and the ` +
        `write-coil request (8 B + 3.5-char gap) add ${roundSig(wireCoil)} ms (${roundSig(wireOpened)} ms to open() resolving, with the board's echo and the read-back), not included`;
      const figures: Figure[] = [
        {
          name: 'gate-scan',
          unit: 'ms',
          p50: roundSig(coil.p50),
          p99: roundSig(coil.p99),
          target: { p99: 20 },
          samples: coil.samples,
          note: `scan written by the scanner simulator → coil-on write received by the gate simulator; scan → ScannerDriver p50 ${roundSig(driver.p50)} / p99 ${roundSig(driver.p99)} ms; ${wireNote}`,
        },
        {
          name: 'gate-scan-opened',
          unit: 'ms',
          p50: roundSig(opened.p50),
          p99: roundSig(opened.p99),
          target: {},
          samples: opened.samples,
          note: 'scan written → GateDriver.open() resolved (coil read back on)',
        },
      ];
      return figures;
    } finally {
      await rig.close();
    }
  },
};
export default bench;
