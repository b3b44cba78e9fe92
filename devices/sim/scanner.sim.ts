/**
 * A simulated serial barcode/QR scanner (USB-COM or RS-232 mode, or behind a serial-to-Ethernet
 * converter) on a pty or loopback TCP: each scan is the code's bytes and the configured suffix
 * (CR, LF or CR LF), sent to whoever is connected. Scans are queued and sent one per `intervalMs`,
 * the rate of a person scanning; `scan()` resolves when its code was written.
 *
 * On TCP the simulator is the server (as converters are), and a scan with nobody connected is
 * lost, as with a real scanner whose host is not listening.
 */
import iconv from 'iconv-lite';
import { Emitter } from './emitter';
import { openEndpoint, type Endpoint, type EndpointAddress, type EndpointSpec } from './endpoint';

export type ScannerSuffix = 'CR' | 'LF' | 'CRLF' | 'none';

export interface ScannerSimOptions {
  /** Default 'CR' (the factory setting of most scanners). */
  suffix?: ScannerSuffix;
  /** Output encoding. Default 'utf8'; Chinese scanners in GBK mode send 'gb18030'. */
  encoding?: 'utf8' | 'gb18030';
  /** Gap between two scans. Default 100 ms. */
  intervalMs?: number;
  /** Prefix sent before each code (an AIM identifier such as "]Q1"). Default none. */
  prefix?: string;
}

export interface ScannerSimEvents {
  scan: { code: string; bytes: Uint8Array; delivered: boolean };
  connection: { peer: number; connected: boolean };
}

const SUFFIX: Record<ScannerSuffix, number[]> = { CR: [0x0d], LF: [0x0a], CRLF: [0x0d, 0x0a], none: [] };

export class ScannerSim extends Emitter<ScannerSimEvents> {
  readonly #options: ScannerSimOptions;
  #endpoint: Endpoint | undefined;
  #queue: { code: string; done: () => void }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSent = -Infinity;

  constructor(options: ScannerSimOptions = {}) {
    super();
    this.#options = options;
  }

  async listen(spec: EndpointSpec): Promise<EndpointAddress> {
    if (this.#endpoint !== undefined) throw new Error('the scanner simulator is already listening');
    this.#endpoint = await openEndpoint(spec, {
      data: () => undefined,
      connect: (peer) => this.emit('connection', { peer: peer.id, connected: true }),
      disconnect: (peer) => this.emit('connection', { peer: peer.id, connected: false }),
    });
    return this.#endpoint.address;
  }

  get address(): EndpointAddress | undefined {
    return this.#endpoint?.address;
  }

  /** The bytes a scan of `code` sends. */
  encode(code: string): Uint8Array {
    const text = (this.#options.prefix ?? '') + code;
    const body = iconv.encode(text, this.#options.encoding ?? 'utf8');
    return Uint8Array.from([...body, ...SUFFIX[this.#options.suffix ?? 'CR']]);
  }

  /** Queues a scan; resolves once it was written (or dropped because the simulator closed). */
  scan(code: string): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#queue.push({ code, done: resolve });
      this.#schedule();
    });
  }

  async scanAll(codes: readonly string[]): Promise<void> {
    await Promise.all(codes.map((c) => this.scan(c)));
  }

  async close(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const q of this.#queue.splice(0)) q.done();
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    await endpoint?.close();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    const interval = this.#options.intervalMs ?? 100;
    const wait = Math.max(0, this.#lastSent + interval - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const next = this.#queue.shift();
      if (next === undefined) return;
      const bytes = this.encode(next.code);
      const delivered = (this.#endpoint?.peers.length ?? 0) > 0;
      this.#endpoint?.broadcast(bytes);
      this.#lastSent = performance.now();
      this.emit('scan', { code: next.code, bytes, delivered });
      next.done();
      this.#schedule();
    }, wait);
  }
}
