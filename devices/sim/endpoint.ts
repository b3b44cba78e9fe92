/**
 * Where a simulator listens: a loopback TCP server or one end of a pseudo-terminal opened with the
 * real serialport binding. Simulators see peers (one per TCP connection; the serial port is one
 * peer) and bytes; they answer the peer that asked or broadcast (Automatic Status Back, a scan).
 *
 * The serial endpoint deliberately does not use devices/transport: the transports are what the
 * simulators test, so the simulator side talks to serialport directly. When its port goes away
 * (the socat pair was killed; noticed by serialport or by the path watchdog of serial-ports.ts)
 * it reopens the same path every 200 ms until close(), so a test can recreate the pair and the
 * simulator is back.
 */
import net from 'node:net';
import { SerialPort } from 'serialport';
import { watchDevicePresence } from '../transport/serial-ports';

export type EndpointSpec = { tcp: { port?: number; host?: string } } | { serial: { path: string; baudRate?: number } };

export type EndpointAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'serial'; path: string };

export interface Peer {
  /** Distinct per TCP connection and per serial (re)open. */
  readonly id: number;
  write(bytes: Uint8Array): void;
}

export interface EndpointHandlers {
  data(bytes: Uint8Array, peer: Peer): void;
  connect?(peer: Peer): void;
  disconnect?(peer: Peer): void;
}

export interface Endpoint {
  readonly address: EndpointAddress;
  readonly peers: readonly Peer[];
  broadcast(bytes: Uint8Array): void;
  close(): Promise<void>;
}

export function describeAddress(address: EndpointAddress): string {
  return address.kind === 'tcp' ? `tcp ${address.host}:${address.port}` : `pty ${address.path}`;
}

export function openEndpoint(spec: EndpointSpec, handlers: EndpointHandlers): Promise<Endpoint> {
  return 'tcp' in spec ? openTcp(spec.tcp.port ?? 0, spec.tcp.host ?? '127.0.0.1', handlers) : openSerial(spec.serial.path, spec.serial.baudRate ?? 9600, handlers);
}

let nextPeerId = 1;

async function openTcp(port: number, host: string, handlers: EndpointHandlers): Promise<Endpoint> {
  const peers = new Map<net.Socket, Peer>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const peer: Peer = {
      id: nextPeerId++,
      write: (bytes) => {
        if (!socket.destroyed && socket.writable) socket.write(Buffer.from(bytes));
      },
    };
    peers.set(socket, peer);
    socket.on('data', (chunk: Buffer) => handlers.data(chunk, peer));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      peers.delete(socket);
      handlers.disconnect?.(peer);
    });
    handlers.connect?.(peer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address: EndpointAddress = { kind: 'tcp', host, port: typeof bound === 'object' && bound !== null ? bound.port : port };
  return {
    address,
    get peers() {
      return [...peers.values()];
    },
    broadcast: (bytes) => {
      for (const p of peers.values()) p.write(bytes);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of peers.keys()) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function openSerial(path: string, baudRate: number, handlers: EndpointHandlers): Promise<Endpoint> {
  let port: SerialPort | undefined;
  let peer: Peer | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () =>
    new Promise<void>((resolve, reject) => {
      const p = new SerialPort({ path, baudRate, autoOpen: false });
      p.on('error', () => undefined);
      p.open((err) => {
        if (err) {
          reject(err);
          return;
        }
        if (closed) {
          p.close();
          resolve();
          return;
        }
        const current: Peer = {
          id: nextPeerId++,
          write: (bytes) => {
            if (p.isOpen) p.write(Buffer.from(bytes));
          },
        };
        port = p;
        peer = current;
        const stopWatching = watchDevicePresence(path, () => p.close(), 500);
        p.on('data', (chunk: Buffer) => handlers.data(chunk, current));
        p.on('close', () => {
          stopWatching();
          if (port === p) {
            port = undefined;
            peer = undefined;
          }
          handlers.disconnect?.(current);
          if (!closed) scheduleReopen();
        });
        handlers.connect?.(current);
        resolve();
      });
    });

  const scheduleReopen = () => {
    retry = setTimeout(() => {
      retry = undefined;
      if (closed) return;
      open().catch(() => scheduleReopen());
    }, 200);
  };

  await open();
  return {
    address: { kind: 'serial', path },
    get peers() {
      return peer === undefined ? [] : [peer];
    },
    broadcast: (bytes) => peer?.write(bytes),
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        if (retry !== undefined) clearTimeout(retry);
        const p = port;
        port = undefined;
        peer = undefined;
        if (p === undefined || !p.isOpen) {
          resolve();
          return;
        }
        p.close(() => resolve());
      }),
  };
}
