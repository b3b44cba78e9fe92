/**
 * A simulated 2×20 customer/call display (CD5220 or Epson command set, VFD/LCD on a serial port or
 * behind a serial-to-Ethernet converter) on a pty or loopback TCP. It keeps the two lines the
 * glass would show (line-display-decoder.ts) and emits 'update' whenever they change.
 */
import { Emitter } from './emitter';
import { openEndpoint, type Endpoint, type EndpointAddress, type EndpointSpec } from './endpoint';
import { LineDisplayDecoder } from './line-display-decoder';

export interface DisplaySimOptions {
  /** How the cells are read back. Default 'gb18030'. */
  encoding?: 'ascii' | 'gb18030';
}

export interface DisplaySimEvents {
  /** The lines as shown, 20 columns each (trailing spaces kept). */
  update: { lines: [string, string] };
  unknown: { bytes: Uint8Array };
  connection: { peer: number; connected: boolean };
}

export class DisplaySim extends Emitter<DisplaySimEvents> {
  readonly #decoder: LineDisplayDecoder;
  #endpoint: Endpoint | undefined;

  constructor(options: DisplaySimOptions = {}) {
    super();
    this.#decoder = new LineDisplayDecoder({ encoding: options.encoding ?? 'gb18030' });
  }

  async listen(spec: EndpointSpec): Promise<EndpointAddress> {
    if (this.#endpoint !== undefined) throw new Error('the display simulator is already listening');
    this.#endpoint = await openEndpoint(spec, {
      data: (bytes) => {
        const result = this.#decoder.push(bytes);
        for (const u of result.unknown) this.emit('unknown', { bytes: u });
        if (result.changed) this.emit('update', { lines: this.#decoder.lines });
      },
      connect: (peer) => this.emit('connection', { peer: peer.id, connected: true }),
      disconnect: (peer) => this.emit('connection', { peer: peer.id, connected: false }),
    });
    return this.#endpoint.address;
  }

  get address(): EndpointAddress | undefined {
    return this.#endpoint?.address;
  }

  get lines(): [string, string] {
    return this.#decoder.lines;
  }

  async close(): Promise<void> {
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    await endpoint?.close();
  }
}
