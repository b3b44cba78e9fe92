/**
 * Finding serial ports and recognising a device when it comes back.
 *
 * Listing: serialport's Linux binding lists ports by running `udevadm info -e`. Minimal images,
 * containers and some kiosks have no udevadm (the spawn fails with ENOENT) or no udev database
 * (it succeeds but knows no USB serial device). So the list is the binding's answer plus a scan of
 * /dev/ttyUSB*, /dev/ttyACM* and /dev/ttyS* for nodes it did not mention, with what sysfs tells
 * about each: USB vendor id, product id, serial number and manufacturer from the USB device
 * above the tty, and the /dev/serial/by-id link as pnpId. If the binding fails, the scan alone
 * is the answer. The file system is injected so the scan is unit-tested without devices.
 *
 * Presence: `watchDevicePresence` notices that an open port's device went away by its path: the
 * node (or the link to it) disappears, or now names another device (st_rdev differs). serialport
 * normally reports a hang-up itself, but not always: when the tty hangs up while a read is in
 * flight (rather than parked in poll), the read returns 0 bytes, and @serialport/bindings-cpp
 * 13's unixRead retries zero-byte reads at once, forever, without reporting anything. Closing
 * the port ends that loop, so the transport closes it as soon as the watchdog sees the device gone.
 *
 * Recognising: a USB serial adapter may come back under another name after an unplug
 * (/dev/ttyUSB0 becomes /dev/ttyUSB1 while the old node is still held open). A device with a USB
 * serial number is found by vendor id + product id + serial number wherever it is now. Many
 * adapters (CH340 on most Chinese printers and relay boards) have no serial number, and two of
 * them cannot be told apart; those are found by their configured path, and refused when the
 * device now at that path is known to have another vendor or product id.
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SerialPort } from 'serialport';

export interface SerialPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  locationId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface DeviceIdentity {
  vendorId?: string | undefined;
  productId?: string | undefined;
  serialNumber?: string | undefined;
}

/** The part of the file system the scan reads. */
export interface DeviceFs {
  readdir(dir: string): Promise<string[]>;
  realpath(p: string): Promise<string>;
  readFile(p: string): Promise<string>;
}

export const nodeDeviceFs: DeviceFs = {
  readdir: (dir) => readdir(dir),
  realpath: (p) => realpath(p),
  readFile: (p) => readFile(p, 'utf8'),
};

const TTY_NAME = /^tty(USB|ACM|S)\d+$/;

/** /dev/ttyUSB*, /dev/ttyACM*, /dev/ttyS* with what /sys and /dev/serial/by-id say about each. */
export async function scanSerialDevices(fs: DeviceFs = nodeDeviceFs): Promise<SerialPortInfo[]> {
  const names = (await fs.readdir('/dev').catch(() => [] as string[])).filter((n) => TTY_NAME.test(n));
  names.sort(byKindAndNumber);
  const byId = await serialLinks(fs);
  const ports: SerialPortInfo[] = [];
  for (const name of names) {
    const info: SerialPortInfo = { path: `/dev/${name}` };
    const usb = await usbDeviceDir(fs, name);
    if (usb !== undefined) {
      info.vendorId = await readAttr(fs, usb, 'idVendor');
      info.productId = await readAttr(fs, usb, 'idProduct');
      info.serialNumber = await readAttr(fs, usb, 'serial');
      info.manufacturer = await readAttr(fs, usb, 'manufacturer');
    }
    const link = byId.get(info.path);
    if (link !== undefined) info.pnpId = link;
    ports.push(info);
  }
  return ports;
}

export interface ListSerialPortsOptions {
  /** The binding's list (udevadm on Linux). Default `SerialPort.list`. */
  list?: () => Promise<SerialPortInfo[]>;
  /** The /dev scan. Default `scanSerialDevices` on the real file system. */
  scan?: () => Promise<SerialPortInfo[]>;
}

/** The binding's list plus /dev nodes it missed; the scan alone when the binding fails. */
export async function listSerialPorts(options: ListSerialPortsOptions = {}): Promise<SerialPortInfo[]> {
  const list = options.list ?? (() => SerialPort.list());
  const scan = options.scan ?? (() => scanSerialDevices());
  let listed: SerialPortInfo[];
  try {
    listed = await list();
  } catch {
    return scan().catch(() => []);
  }
  const scanned = await scan().catch(() => [] as SerialPortInfo[]);
  const known = new Set(listed.map((p) => p.path));
  return [...listed, ...scanned.filter((p) => !known.has(p.path))];
}

export function identityOf(port: SerialPortInfo): DeviceIdentity {
  return { vendorId: port.vendorId, productId: port.productId, serialNumber: port.serialNumber };
}

/** Whether the identity names one device (vendor, product and a serial number). */
export function isUniqueIdentity(id: DeviceIdentity): boolean {
  return nonEmpty(id.vendorId) && nonEmpty(id.productId) && nonEmpty(id.serialNumber);
}

export type Located = { found: true; path: string } | { found: false; why: 'not-listed' | 'other-device' };

/**
 * Where the device is now. `configured` is the path the user chose, `configuredReal` the node it
 * resolves to now (undefined when it does not exist). With a unique identity the list decides;
 * otherwise the configured path, unless the list shows another vendor/product there.
 */
export function locateDevice(
  ports: readonly SerialPortInfo[],
  configured: string,
  configuredReal: string | undefined,
  identity: DeviceIdentity | undefined,
): Located {
  const at = (p: SerialPortInfo) => p.path === configured || (configuredReal !== undefined && p.path === configuredReal);
  if (identity !== undefined && isUniqueIdentity(identity)) {
    const match = ports.find((p) => sameIdentity(identityOf(p), identity));
    if (match === undefined) return { found: false, why: 'not-listed' };
    // Keep a stable configured path (a /dev/serial/by-id link) when it points at the device.
    return { found: true, path: at(match) ? configured : match.path };
  }
  const there = ports.find(at);
  if (there !== undefined && identity !== undefined && conflicts(identityOf(there), identity)) {
    return { found: false, why: 'other-device' };
  }
  return { found: true, path: configured };
}

/** The identity of the device at the path, from the list (undefined when the list does not know it). */
export function identityAt(ports: readonly SerialPortInfo[], configured: string, configuredReal: string | undefined): DeviceIdentity | undefined {
  const port = ports.find((p) => p.path === configured || p.path === configuredReal);
  if (port === undefined) return undefined;
  const id = identityOf(port);
  return nonEmpty(id.vendorId) || nonEmpty(id.productId) || nonEmpty(id.serialNumber) ? id : undefined;
}

function sameIdentity(a: DeviceIdentity, b: DeviceIdentity): boolean {
  return same(a.vendorId, b.vendorId) && same(a.productId, b.productId) && same(a.serialNumber, b.serialNumber);
}

/** Both sides know the vendor or product id, and they differ. */
function conflicts(a: DeviceIdentity, b: DeviceIdentity): boolean {
  const differs = (x: string | undefined, y: string | undefined) => nonEmpty(x) && nonEmpty(y) && !same(x, y);
  return differs(a.vendorId, b.vendorId) || differs(a.productId, b.productId);
}

function same(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
}

function nonEmpty(s: string | undefined): s is string {
  return s !== undefined && s.trim() !== '';
}

/** ttyACM before ttyS before ttyUSB, then by number (ttyUSB2 before ttyUSB10). */
function byKindAndNumber(a: string, b: string): number {
  const [, ka = '', na = '0'] = /^tty([A-Z]+)(\d+)$/.exec(a) ?? [];
  const [, kb = '', nb = '0'] = /^tty([A-Z]+)(\d+)$/.exec(b) ?? [];
  return ka === kb ? Number(na) - Number(nb) : ka < kb ? -1 : 1;
}

/** The USB device directory above /sys/class/tty/<name>/device (the one with idVendor), if any. */
async function usbDeviceDir(fs: DeviceFs, name: string): Promise<string | undefined> {
  let dir: string;
  try {
    dir = await fs.realpath(`/sys/class/tty/${name}/device`);
  } catch {
    return undefined;
  }
  // ttyACM: the interface is `device`, the USB device one up; ttyUSB: one more level.
  for (let i = 0; i < 4 && dir !== '/' && dir !== '/sys'; i++) {
    if ((await readAttr(fs, dir, 'idVendor')) !== undefined) return dir;
    dir = path.dirname(dir);
  }
  return undefined;
}

async function readAttr(fs: DeviceFs, dir: string, attr: string): Promise<string | undefined> {
  try {
    const value = (await fs.readFile(`${dir}/${attr}`)).trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/** /dev/ttyUSB0 → "usb-1a86_USB_Serial-if00-port0" from /dev/serial/by-id. */
async function serialLinks(fs: DeviceFs): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  const dir = '/dev/serial/by-id';
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const target = await fs.realpath(`${dir}/${name}`).catch(() => undefined);
    if (target !== undefined) links.set(target, name);
  }
  return links;
}

/**
 * Calls `onGone` once when `path` stops existing or names another device than when the watch
 * started. Polls with `stat` every `everyMs`; returns a function that stops watching.
 */
export function watchDevicePresence(path: string, onGone: () => void, everyMs = 1000): () => void {
  let stopped = false;
  let rdev: number | undefined;
  let checking = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  const gone = () => {
    if (stopped) return;
    stop();
    onGone();
  };
  void stat(path).then(
    (s) => {
      rdev = s.rdev;
    },
    () => undefined,
  );
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    stat(path).then(
      (s) => {
        checking = false;
        if (rdev !== undefined && s.rdev !== rdev) gone();
      },
      (e: unknown) => {
        checking = false;
        const code = (e as { code?: unknown } | null)?.code;
        if (code === 'ENOENT' || code === 'ENOTDIR') gone();
      },
    );
  }, everyMs);
  // The open port keeps the process alive; the watchdog need not.
  timer.unref();
  return stop;
}
