/**
 * A simulated ESC/POS thermal printer on loopback TCP (a raw-port printer, default 9100) or on a
 * pseudo-terminal (a USB/serial printer).
 *
 * Received bytes go two ways, as in a real printer:
 * - Real-time requests `DLE EOT n` (n 1–4) are answered on reception, from the current conditions,
 *   to the connection that asked, also when the printer is offline. Like a real printer it scans
 *   for them in the raw stream, so the bytes 10 04 n inside other data (a bit image) are taken
 *   for a request too; ESC/POS documents that pitfall.
 * - Everything else enters the receive buffer, which the print engine processes (escpos-decoder)
 *   while the printer is online. Each cut is one ticket: an event, `tickets`, and with `outDir` a
 *   PNG and the ticket JSON.
 *
 * Offline (paper out, cover open, the `offline` condition) the engine stops and data stays in the
 * receive buffer; when the printer is back online it prints what was buffered. That is what real
 * printers do, and why a driver must not resend a job after a status says "offline" unless it
 * knows the job did not reach the printer: the buffered copy would print as well. The buffer is
 * bounded (`receiveBufferBytes`, default 64 KiB); beyond it bytes are dropped and reported (a real
 * printer raises BUSY instead, which TCP and the pty do not carry). A job already being printed
 * when the paper runs out continues after recovery from where it stopped. Near-end does not stop
 * printing.
 *
 * Automatic Status Back: `GS a n` (processed in order with the print data, as specified) enables
 * it; the printer then sends the 4-byte status at once and whenever an enabled item changes, to
 * every connection. `ESC @` disables it by default (`asbResetByInit`), as Bixolon and others
 * document; Epson keeps it on some models. Our ticket encoder starts every ticket with ESC @, so a
 * driver that relies on ASB must re-enable it after each ticket or poll with DLE EOT.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StatusRequest } from '../protocol/escpos-status.codec';
import { Emitter } from './emitter';
import { openEndpoint, type Endpoint, type EndpointAddress, type EndpointSpec, type Peer } from './endpoint';
import { EscPosDecoder, type DecodedTicket, type EscPosDecodeEvent } from './escpos-decoder';
import {
  PRINTER_CONDITIONS,
  asbFrame,
  asbItemChanged,
  isOnline,
  realtimeStatusByte,
  type PrinterCondition,
} from './printer-status';
import { renderTicketPng } from './ticket-png';

export interface PrinterSimOptions {
  /** Paper width in columns at 1×: 32 (58 mm) or 48 (80 mm; 42 on some). Default 48. */
  columns?: number;
  /** Where to write ticket-0001.png and ticket-0001.json per ticket. None by default. */
  outDir?: string;
  /** Default 65 536. */
  receiveBufferBytes?: number;
  /** Whether ESC @ disables Automatic Status Back. Default true. */
  asbResetByInit?: boolean;
  /** See EscPosDecoderOptions. Default false. */
  chineseModeAtInit?: boolean;
  /** Clock for ticket timestamps. Default Date.now. */
  now?: () => number;
}

export interface PrintedTicket extends DecodedTicket {
  /** 1, 2, 3 … in the order printed. */
  index: number;
  at: number;
  png?: string;
  json?: string;
}

export interface PrinterStatusEvent {
  conditions: PrinterCondition[];
  online: boolean;
}

export interface PrinterSimEvents {
  ticket: PrintedTicket;
  status: PrinterStatusEvent;
  'status-request': { n: StatusRequest; reply: number; peer: number };
  asb: { enabled: number; frame: Uint8Array };
  overflow: { droppedBytes: number };
  unknown: { bytes: Uint8Array };
  connection: { peer: number; connected: boolean };
}

/** Real-time command scanning state, per connection. */
interface PeerState {
  pending: number[];
}

export class PrinterSim extends Emitter<PrinterSimEvents> {
  readonly tickets: PrintedTicket[] = [];
  readonly #options: PrinterSimOptions;
  readonly #decoder: EscPosDecoder;
  readonly #capacity: number;
  readonly #now: () => number;
  #endpoint: Endpoint | undefined;
  #conditions = new Set<PrinterCondition>();
  #queue: Uint8Array[] = [];
  #queued = 0;
  #asb = 0;
  readonly #peers = new Map<number, PeerState>();

  constructor(options: PrinterSimOptions = {}) {
    super();
    this.#options = options;
    this.#decoder = new EscPosDecoder({ columns: options.columns ?? 48, chineseModeAtInit: options.chineseModeAtInit ?? false });
    this.#capacity = options.receiveBufferBytes ?? 65_536;
    this.#now = options.now ?? Date.now;
    if (options.outDir !== undefined) mkdirSync(options.outDir, { recursive: true });
  }

  async listen(spec: EndpointSpec): Promise<EndpointAddress> {
    if (this.#endpoint !== undefined) throw new Error('the printer simulator is already listening');
    this.#endpoint = await openEndpoint(spec, {
      data: (bytes, peer) => this.#receive(bytes, peer),
      connect: (peer) => {
        this.#peers.set(peer.id, { pending: [] });
        this.emit('connection', { peer: peer.id, connected: true });
      },
      disconnect: (peer) => {
        this.#peers.delete(peer.id);
        this.emit('connection', { peer: peer.id, connected: false });
      },
    });
    return this.#endpoint.address;
  }

  get address(): EndpointAddress | undefined {
    return this.#endpoint?.address;
  }

  get conditions(): PrinterCondition[] {
    return PRINTER_CONDITIONS.filter((c) => this.#conditions.has(c));
  }

  get online(): boolean {
    return isOnline(this.#conditions);
  }

  /** Bytes waiting in the receive buffer (printer offline). */
  get buffered(): number {
    return this.#queued;
  }

  /** The enabled ASB items (GS a n), 0 when off. */
  get asbEnabled(): number {
    return this.#asb;
  }

  /** What was printed since the last cut, if anything. */
  pending(): DecodedTicket | undefined {
    return this.#decoder.pending();
  }

  /** Turns a condition on or off (paper-out, near-end, cover-open, offline). */
  set(condition: PrinterCondition, on = true): void {
    const next = new Set(this.#conditions);
    if (on) next.add(condition);
    else next.delete(condition);
    this.#change(next);
  }

  /** Replaces all conditions at once (an empty list is a healthy printer). */
  setConditions(conditions: readonly PrinterCondition[]): void {
    this.#change(new Set(conditions));
  }

  /** The reply this printer gives to DLE EOT n now. */
  statusByte(n: StatusRequest): number {
    return realtimeStatusByte(n, this.#conditions);
  }

  async close(): Promise<void> {
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    await endpoint?.close();
  }

  // ---- internals --------------------------------------------------------------------------------

  #receive(bytes: Uint8Array, peer: Peer): void {
    let state = this.#peers.get(peer.id);
    if (state === undefined) {
      state = { pending: [] };
      this.#peers.set(peer.id, state);
    }
    const data: number[] = [];
    for (const b of bytes) {
      const p = state.pending;
      if (p.length === 0) {
        if (b === 0x10) p.push(b);
        else data.push(b);
      } else if (p.length === 1) {
        if (b === 0x04) {
          p.push(b);
        } else {
          data.push(0x10);
          p.length = 0;
          if (b === 0x10) p.push(b);
          else data.push(b);
        }
      } else {
        p.length = 0;
        if (b >= 1 && b <= 4) this.#answer(b as StatusRequest, peer);
        else data.push(0x10, 0x04, b);
      }
    }
    if (data.length > 0) this.#enqueue(Uint8Array.from(data));
  }

  #answer(n: StatusRequest, peer: Peer): void {
    const reply = realtimeStatusByte(n, this.#conditions);
    peer.write(Uint8Array.of(reply));
    this.emit('status-request', { n, reply, peer: peer.id });
  }

  #enqueue(bytes: Uint8Array): void {
    const room = this.#capacity - this.#queued;
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, Math.max(0, room));
    if (kept.length < bytes.length) this.emit('overflow', { droppedBytes: bytes.length - kept.length });
    if (kept.length > 0) {
      this.#queue.push(kept);
      this.#queued += kept.length;
    }
    this.#pump();
  }

  /** Feeds the receive buffer to the print engine while online. */
  #pump(): void {
    while (this.online && this.#queue.length > 0) {
      const chunk = this.#queue.shift()!;
      this.#queued -= chunk.length;
      for (const event of this.#decoder.push(chunk)) this.#engine(event);
    }
  }

  #engine(event: EscPosDecodeEvent): void {
    switch (event.kind) {
      case 'ticket':
        this.#printed(event.ticket);
        break;
      case 'init':
        if (this.#options.asbResetByInit ?? true) this.#asb = 0;
        break;
      case 'asb':
        this.#asb = event.n & 0x0f;
        if (this.#asb !== 0) this.#sendAsb();
        break;
      case 'unknown':
        this.emit('unknown', { bytes: event.bytes });
        break;
    }
  }

  #printed(ticket: DecodedTicket): void {
    const index = this.tickets.length + 1;
    const printed: PrintedTicket = { ...ticket, index, at: this.#now() };
    const dir = this.#options.outDir;
    if (dir !== undefined) {
      const base = path.join(dir, `ticket-${String(index).padStart(4, '0')}`);
      printed.png = `${base}.png`;
      printed.json = `${base}.json`;
      writeFileSync(printed.png, renderTicketPng(ticket, this.#options.columns ?? 48));
      writeFileSync(printed.json, JSON.stringify(ticket, null, 2));
    }
    this.tickets.push(printed);
    this.emit('ticket', printed);
  }

  #change(next: Set<PrinterCondition>): void {
    const before = this.#conditions;
    if (before.size === next.size && [...next].every((c) => before.has(c))) return;
    this.#conditions = next;
    this.emit('status', { conditions: this.conditions, online: this.online });
    if (this.#asb !== 0 && asbItemChanged(this.#asb, before, next)) this.#sendAsb();
    this.#pump();
  }

  #sendAsb(): void {
    const frame = asbFrame(this.#conditions);
    this.#endpoint?.broadcast(frame);
    this.emit('asb', { enabled: this.#asb, frame });
  }
}
