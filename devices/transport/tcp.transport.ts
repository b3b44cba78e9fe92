/**
 * TCP transport over node:net: raw-port printers (9100, "JetDirect"), Modbus TCP gate controllers,
 * serial-to-Ethernet converters.
 *
 * - Connect is bounded by `connectTimeoutMs`; refused, unreachable and timed-out attempts get their
 *   own message keys (the receptionist's fix differs: wrong port vs. wrong address or power).
 * - Nagle is off (`setNoDelay`): a 3-byte status request must not wait for an ACK of the last job.
 * - TCP keepalive is on (`keepAliveMs` idle before the first probe) so a peer that vanished
 *   without a FIN (power cut, cable pulled) is eventually noticed on an idle connection. Node 20
 *   cannot set the probe interval or TCP_USER_TIMEOUT, so with Linux defaults that takes minutes:
 *   a driver that needs to know sooner polls the device's status with its own timeout.
 * - A write resolves when the socket has handed the bytes to the kernel, not when the device has
 *   read them. A device that stops reading (printer offline with a full buffer) shows up as a
 *   write that does not finish: after `writeTimeoutMs` it fails with DEVICE_TIMEOUT and the
 *   connection is dropped and re-made, so the next job starts on a clean stream.
 * - A peer that closes (many printers drop idle connections) is reconnected with backoff.
 */
import net from 'node:net';
import type { AppError } from '../../core/errors';
import { ReconnectingTransport, type Connector, type Link, type LinkEvents, type ReconnectOptions } from './reconnecting-transport';
import {
  closedError,
  connectionRefusedError,
  disconnectedError,
  errorText,
  openFailedError,
  unreachableError,
} from './transport';

export interface TcpTransportOptions extends ReconnectOptions {
  host: string;
  port: number;
  /** Idle time before the first keepalive probe. Default 10 000 ms. */
  keepAliveMs?: number;
  /** Bound of one write. Default 10 000 ms. */
  writeTimeoutMs?: number;
}

export class TcpTransport extends ReconnectingTransport {
  constructor(options: TcpTransportOptions) {
    super(new TcpConnector(options), options);
  }
}

/** Socket errors (err.code) to message keys. */
export function tcpConnectError(device: string, e: unknown): AppError {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return connectionRefusedError(device);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unreachableError(device);
    case 'ETIMEDOUT':
      return unreachableError(device, 'DEVICE_TIMEOUT');
    default:
      return openFailedError(device, errorText(e));
  }
}

class TcpConnector implements Connector {
  readonly description: string;
  readonly #options: TcpTransportOptions;

  constructor(options: TcpTransportOptions) {
    this.#options = options;
    this.description = options.host.includes(':') ? `[${options.host}]:${options.port}` : `${options.host}:${options.port}`;
  }

  isPermanent(): boolean {
    // A printer that is off, a name that does not resolve yet, a refused port: all may change.
    return false;
  }

  writeTimeoutMs(): number {
    return this.#options.writeTimeoutMs ?? 10_000;
  }

  connectTimeoutError(): AppError {
    return unreachableError(this.description, 'DEVICE_TIMEOUT');
  }

  connect(events: LinkEvents, signal: AbortSignal): Promise<Link> {
    const device = this.description;
    return new Promise<Link>((resolve, reject) => {
      if (signal.aborted) {
        reject(closedError(device));
        return;
      }
      const socket = net.connect({ host: this.#options.host, port: this.#options.port });
      let connected = false;
      let closing = false;
      let lastError: Error | undefined;
      const onAbort = () => {
        socket.destroy();
        if (!connected) reject(closedError(device));
      };
      signal.addEventListener('abort', onAbort, { once: true });

      socket.on('error', (e) => {
        lastError = e;
        if (!connected) {
          signal.removeEventListener('abort', onAbort);
          reject(tcpConnectError(device, e));
        }
      });

      socket.once('connect', () => {
        connected = true;
        signal.removeEventListener('abort', onAbort);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, this.#options.keepAliveMs ?? 10_000);
        socket.on('data', (chunk: Buffer) => events.data(chunk));
        socket.on('close', () => {
          if (closing) return;
          if (lastError === undefined) events.lost('peer-closed', disconnectedError(device));
          else events.lost('disconnected', disconnectedError(device));
        });
        resolve({
          write: (bytes) =>
            new Promise<void>((res, rej) => {
              if (socket.destroyed || !socket.writable) {
                rej(disconnectedError(device));
                return;
              }
              socket.write(Buffer.from(bytes), (e) => (e ? rej(disconnectedError(device)) : res()));
            }),
          close: () =>
            new Promise<void>((res) => {
              closing = true;
              if (socket.destroyed) {
                res();
                return;
              }
              // An orderly FIN, so bytes already handed to the kernel still reach the device; a peer
              // that does not answer with its own FIN is cut off after a second.
              const force = setTimeout(() => socket.destroy(), 1000);
              socket.once('close', () => {
                clearTimeout(force);
                res();
              });
              socket.end();
            }),
        });
      });
    });
  }
}
