/**
 * The transport seam: bytes in and out of one device, connect and reconnect. One contract, one
 * file per target (serial.transport.ts, tcp.transport.ts, and mock.transport.ts for driver tests).
 * Drivers see only this interface; they add framing (devices/protocol), timeouts per request and
 * retries of whole jobs.
 *
 * States:
 *   closed        not started, or close() was called (the only state close() leaves behind)
 *   connecting    open() is making its first attempt
 *   open          bytes flow
 *   reconnecting  the link was lost (unplugged, peer closed, write failed or timed out) or open()
 *                 failed for a reason that may go away; retrying with bounded backoff until it
 *                 is back or close() is called
 *   failed        open() failed for a reason retrying cannot fix (no permission, not a serial
 *                 device); open() may be called again once the cause is fixed
 *
 * Invariants every implementation keeps:
 * - Every call settles within a bounded time: open() within its connect timeout, write() within
 *   its write timeout (resolving when the bytes were handed to the OS, and for serial ports
 *   drained), close() within its close timeout. Failures are AppErrors with a DEVICE_* code.
 * - write() is never queued while not open: it rejects at once with errors.device.notConnected.
 *   Holding jobs until the device is back is the driver's business, because only the driver knows
 *   whether a job may still be sent (a queue ticket printed ten minutes late is worse than none).
 * - A write that failed or timed out leaves the device in an unknown state (some bytes may have
 *   gone out), so the transport drops the link and reconnects: the next job starts on a clean
 *   stream. Writes still waiting on that link fail with the same error.
 * - State-change events carry the reason and, for failures, the error.
 */
import { AppError } from '../../core/errors';

export type TransportState = 'closed' | 'connecting' | 'open' | 'reconnecting' | 'failed';

export type TransportChangeReason =
  /** open() was called. */
  | 'open-requested'
  /** An attempt (by open() or by the reconnect loop) succeeded. */
  | 'opened'
  /** The attempt made by open() failed. */
  | 'open-failed'
  /** The device went away: unplugged, powered off, connection reset. */
  | 'disconnected'
  /** The other end closed the connection in an orderly way (TCP FIN). */
  | 'peer-closed'
  | 'write-failed'
  | 'write-timeout'
  /** close() was called. */
  | 'closed';

export interface TransportStateChange {
  state: TransportState;
  previous: TransportState;
  reason: TransportChangeReason;
  /** What went wrong, when the reason is a failure. */
  error?: AppError;
}

export interface Transport {
  /** Human-readable address for logs and error messages: "/dev/ttyUSB0 9600 8N1", "192.168.1.50:9100". */
  readonly description: string;
  readonly state: TransportState;
  /** Resolves when open; rejects with the AppError of the first attempt (see the states above). */
  open(): Promise<void>;
  /** Resolves once the bytes were handed to the OS (and drained, for serial ports). */
  write(bytes: Uint8Array): Promise<void>;
  /** Bytes from the device, in order, chunked as they arrived. Returns an unsubscribe function. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  onStateChange(listener: (change: TransportStateChange) => void): () => void;
  /** Stops reconnecting, fails pending writes with errors.device.closed and releases the port. */
  close(): Promise<void>;
}

// ---- errors -------------------------------------------------------------------------------------

/** write() while not open. */
export function notConnectedError(device: string): AppError {
  return new AppError('DEVICE_FAULT', 'errors.device.notConnected', { device });
}

/** A write (or the drain after it) did not finish in time. */
export function timeoutError(device: string): AppError {
  return new AppError('DEVICE_TIMEOUT', 'errors.device.timeout', { device });
}

/** The device went away while in use. */
export function disconnectedError(device: string): AppError {
  return new AppError('DEVICE_FAULT', 'errors.device.disconnected', { device });
}

/** A pending call ended because close() was called. */
export function closedError(device: string): AppError {
  return new AppError('DEVICE_FAULT', 'errors.device.closed', { device });
}

/** An open or connect attempt failed for a reason without a more specific key. */
export function openFailedError(device: string, reason: string, code: 'DEVICE_FAULT' | 'DEVICE_TIMEOUT' = 'DEVICE_FAULT'): AppError {
  return new AppError(code, 'errors.device.openFailed', { device, reason });
}

/** The serial port (or USB adapter) is not there. */
export function notFoundError(device: string): AppError {
  return new AppError('DEVICE_FAULT', 'errors.device.notFound', { device });
}

/** Another program holds the serial port. */
export function portBusyError(device: string): AppError {
  return new AppError('DEVICE_FAULT', 'errors.device.portBusy', { device });
}

/** The OS refused access to the serial port (on Linux: the user is not in the dialout group). */
export function permissionDeniedError(device: string): AppError {
  return new AppError('DEVICE_FAULT', 'errors.device.permissionDenied', { device });
}

/** Nothing listens at that address and port (the device is on, but the port number is wrong or the service is off). */
export function connectionRefusedError(device: string): AppError {
  return new AppError('DEVICE_FAULT', 'errors.device.connectionRefused', { device });
}

/** No route to the device or no answer (wrong address, device off, cable out). */
export function unreachableError(device: string, code: 'DEVICE_FAULT' | 'DEVICE_TIMEOUT' = 'DEVICE_FAULT'): AppError {
  return new AppError(code, 'errors.device.unreachable', { device });
}

/** The message of whatever was thrown, for the `reason` parameter of errors.device.openFailed. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

// ---- listeners ----------------------------------------------------------------------------------

/**
 * A listener list whose emit never lets a listener's exception break the emitter's own state: the
 * exception is rethrown on a fresh microtask (as EventTarget reports listener errors), so it is
 * still seen and not swallowed.
 */
export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    // Wrapped so the same function may be added twice and removed independently.
    const entry = (value: T) => listener(value);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
