/**
 * Serial transport over `serialport` 13 (RS-232, USB serial adapters, USB CDC devices).
 *
 * Each connection is a fresh `SerialPort` (autoOpen off), so a stream that errored (serialport
 * destroys the stream on a write error) is never reused. A write resolves after `port.drain`,
 * i.e. when the OS has transmitted it (tcdrain), which on a real UART is what makes "the bytes
 * left" true; it is bounded by `writeTimeoutMs` plus twice the line time of the bytes at the baud
 * rate. The port is opened with serialport's exclusive lock, so a second program (or a second
 * transport) gets errors.device.portBusy instead of interleaving bytes.
 *
 * Loss: serialport closes the port itself and emits 'close' with a DisconnectedError when a read
 * or write fails (USB unplug: EIO/ENXIO; a pty whose other side went away: EBADF). Any 'close' not
 * asked for is a loss. A watchdog also checks the port's path every second, because serialport
 * misses a hang-up that happens during a read (see watchDevicePresence). Reconnect attempts first find the device (serial-ports.ts): by USB vendor,
 * product and serial number when it has them (so /dev/ttyUSB0 coming back as /dev/ttyUSB1 is
 * followed), else by the configured path. `currentPath` says where it is now.
 *
 * Limits worth knowing:
 * - On a pseudo-terminal (socat, the simulators) baud rate, parity and stop bits are accepted and
 *   ignored, so a wrong baud rate cannot be detected there; on a real port a wrong rate shows up
 *   as garbage or silence, which is the driver's timeout to report.
 * - tcdrain runs on a libuv thread and cannot be interrupted. With hardware flow control and a
 *   device that never raises CTS it can hold that thread until the port is closed. The write still
 *   fails in bounded time (the timeout) and the port is closed and reopened.
 */
import { realpath } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { AppError } from '../../core/errors';
import { ReconnectingTransport, type Connector, type Link, type LinkEvents, type ReconnectOptions } from './reconnecting-transport';
import {
  identityAt,
  listSerialPorts,
  locateDevice,
  watchDevicePresence,
  type DeviceIdentity,
  type SerialPortInfo,
} from './serial-ports';
import {
  closedError,
  disconnectedError,
  errorText,
  notFoundError,
  openFailedError,
  permissionDeniedError,
  portBusyError,
  timeoutError,
} from './transport';
import { withTimeout } from './with-timeout';

export type SerialParity = 'none' | 'even' | 'odd' | 'mark' | 'space';

export interface SerialTransportOptions extends ReconnectOptions {
  path: string;
  baudRate: number;
  /** Default 8. */
  dataBits?: 5 | 6 | 7 | 8;
  /** Default 'none'. */
  parity?: SerialParity;
  /** Default 1. */
  stopBits?: 1 | 1.5 | 2;
  /** RTS/CTS hardware flow control. Default off. */
  rtscts?: boolean;
  /** Allowance for a write on top of its line time. Default 3000 ms. */
  writeTimeoutMs?: number;
  /** Port listing used to recognise the device on reconnect (injected in tests). */
  listPorts?: () => Promise<SerialPortInfo[]>;
  /** Bound of one listing. Default 3000 ms. */
  listTimeoutMs?: number;
  /** How often an open port's path is checked for the device having gone (see serial-ports.ts). Default 1000 ms. */
  presenceCheckMs?: number;
}

export class SerialTransport extends ReconnectingTransport {
  readonly #connector: SerialConnector;

  constructor(options: SerialTransportOptions) {
    const connector = new SerialConnector(options);
    super(connector, options);
    this.#connector = connector;
  }

  /** The path of the open port (differs from the configured one after a re-enumeration). */
  get currentPath(): string | undefined {
    return this.#connector.currentPath;
  }

  /** USB identity learned at the first open, when the port list knows the device. */
  get identity(): DeviceIdentity | undefined {
    return this.#connector.identity;
  }
}

export function describeSerial(options: Pick<SerialTransportOptions, 'path' | 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>): string {
  const parity = (options.parity ?? 'none').charAt(0).toUpperCase();
  return `${options.path} ${options.baudRate} ${options.dataBits ?? 8}${parity}${options.stopBits ?? 1}`;
}

/** serialport reports open failures as messages only ("Error: No such file or directory, cannot open …"). */
export function serialOpenError(device: string, e: unknown): AppError {
  const message = errorText(e);
  if (/No such file|ENOENT/i.test(message)) return notFoundError(device);
  if (/Permission denied|EACCES|EPERM/i.test(message)) return permissionDeniedError(device);
  if (/Cannot lock port|Resource busy|EBUSY|Resource temporarily unavailable/i.test(message)) return portBusyError(device);
  return openFailedError(device, message.replace(/^Error:?\s*/, ''));
}

class SerialConnector implements Connector {
  readonly description: string;
  readonly #options: SerialTransportOptions;
  readonly #listPorts: () => Promise<SerialPortInfo[]>;
  readonly #listTimeoutMs: number;
  readonly #bitsPerChar: number;
  identity: DeviceIdentity | undefined;
  currentPath: string | undefined;

  constructor(options: SerialTransportOptions) {
    this.#options = options;
    this.description = describeSerial(options);
    this.#listPorts = options.listPorts ?? (() => listSerialPorts());
    this.#listTimeoutMs = options.listTimeoutMs ?? 3000;
    // start bit + data bits + parity bit + stop bits
    this.#bitsPerChar = 1 + (options.dataBits ?? 8) + ((options.parity ?? 'none') === 'none' ? 0 : 1) + (options.stopBits ?? 1);
  }

  isPermanent(error: AppError): boolean {
    if (error.key === 'errors.device.permissionDenied') return true;
    // Not a terminal at all (a regular file, a directory): retrying cannot help.
    return error.key === 'errors.device.openFailed' && /Inappropriate ioctl|Not a typewriter|ENOTTY/i.test(String(error.params.reason));
  }

  writeTimeoutMs(byteCount: number): number {
    const lineMs = (byteCount * this.#bitsPerChar * 1000) / this.#options.baudRate;
    return (this.#options.writeTimeoutMs ?? 3000) + Math.ceil(2 * lineMs);
  }

  connectTimeoutError(): AppError {
    return timeoutError(this.description);
  }

  async connect(events: LinkEvents, signal: AbortSignal): Promise<Link> {
    const configured = this.#options.path;
    const configuredReal = await realpath(configured).catch(() => undefined);
    // Listed before opening, not after: bytes a device sends right after the open must not
    // arrive while the transport is still busy learning who it is.
    const ports = await this.#list();
    let portPath = configured;
    if (this.identity !== undefined && ports !== undefined) {
      const located = locateDevice(ports, configured, configuredReal, this.identity);
      if (!located.found) throw notFoundError(this.description);
      portPath = located.path;
    }
    if (signal.aborted) throw closedError(this.description);
    const link = await this.#open(portPath, events, signal);
    this.currentPath = portPath;
    if (this.identity === undefined && ports !== undefined) {
      this.identity = identityAt(ports, portPath, portPath === configured ? configuredReal : await realpath(portPath).catch(() => undefined));
    }
    return link;
  }

  async #list(): Promise<SerialPortInfo[] | undefined> {
    return withTimeout(this.#listPorts(), this.#listTimeoutMs, () => new Error('listing timed out')).catch(() => undefined);
  }

  #open(portPath: string, events: LinkEvents, signal: AbortSignal): Promise<Link> {
    const o = this.#options;
    const device = this.description;
    const port = new SerialPort({
      path: portPath,
      baudRate: o.baudRate,
      dataBits: o.dataBits ?? 8,
      parity: o.parity ?? 'none',
      stopBits: o.stopBits ?? 1,
      rtscts: o.rtscts ?? false,
      autoOpen: false,
    });
    let closing = false;
    let stopWatching = () => undefined as void;
    // serialport emits 'error' for failures nobody is called back about (a write cancelled by
    // close); without a listener Node would crash the process. Losses arrive as 'close'.
    port.on('error', () => undefined);

    const link: Link = {
      write: (bytes) =>
        new Promise<void>((resolve, reject) => {
          port.write(Buffer.from(bytes), (writeError) => {
            if (writeError) {
              reject(disconnectedError(device));
              return;
            }
            port.drain((drainError) => (drainError ? reject(disconnectedError(device)) : resolve()));
          });
        }),
      close: () =>
        new Promise<void>((resolve) => {
          closing = true;
          stopWatching();
          if (!port.isOpen) {
            resolve();
            return;
          }
          port.close(() => resolve());
        }),
    };

    return new Promise<Link>((resolve, reject) => {
      port.open((openError) => {
        if (openError) {
          reject(serialOpenError(device, openError));
          return;
        }
        if (signal.aborted) {
          void link.close();
          reject(closedError(device));
          return;
        }
        port.on('data', (chunk: Buffer) => events.data(chunk));
        port.on('close', () => {
          stopWatching();
          if (!closing) events.lost('disconnected', disconnectedError(device));
        });
        stopWatching = watchDevicePresence(
          portPath,
          () => {
            if (!closing) events.lost('disconnected', disconnectedError(device));
          },
          o.presenceCheckMs ?? 1000,
        );
        resolve(link);
      });
    });
  }
}
