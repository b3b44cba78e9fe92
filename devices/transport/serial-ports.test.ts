import { mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  identityAt,
  listSerialPorts,
  locateDevice,
  scanSerialDevices,
  watchDevicePresence,
  type DeviceFs,
  type SerialPortInfo,
} from './serial-ports';
import { serialOpenError } from './serial.transport';

/** A fake /dev and /sys: a CH340 printer on ttyUSB0 (no serial number), an FTDI relay board on ttyUSB1, a CDC scanner on ttyACM0, a UART on ttyS0. */
function fakeFs(): DeviceFs {
  const dirs: Record<string, string[]> = {
    '/dev': ['null', 'tty', 'tty0', 'ttyS0', 'ttyS1', 'ttyUSB1', 'ttyUSB0', 'ttyUSB10', 'ttyACM0', 'pts', 'ttyprintk'],
    '/dev/serial/by-id': ['usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', 'usb-1a86_USB_Serial-if00-port0'],
  };
  const links: Record<string, string> = {
    '/sys/class/tty/ttyUSB0/device': '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/ttyUSB0',
    '/sys/class/tty/ttyUSB1/device': '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB1',
    '/sys/class/tty/ttyACM0/device': '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0',
    '/sys/class/tty/ttyS0/device': '/sys/devices/pnp0/00:05',
    '/sys/class/tty/ttyS1/device': '/sys/devices/platform/serial8250',
    '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0': '/dev/ttyUSB1',
    '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0': '/dev/ttyUSB0',
  };
  const files: Record<string, string> = {
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/idVendor': '1a86\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/idProduct': '7523\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/idVendor': '0403\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/idProduct': '6001\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/serial': 'A50285BI\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/manufacturer': 'FTDI\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/idVendor': '0c2e\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/idProduct': '0b61\n',
    '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/serial': '\n',
  };
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: 'ENOENT' });
  return {
    readdir: async (dir) => {
      const d = dirs[dir];
      if (d === undefined) throw enoent(dir);
      return d;
    },
    realpath: async (p) => {
      const l = links[p];
      if (l === undefined) throw enoent(p);
      return l;
    },
    readFile: async (p) => {
      const f = files[p];
      if (f === undefined) throw enoent(p);
      return f;
    },
  };
}

const udevadmMissing = () => Promise.reject(Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' }));

describe('listing serial ports without udevadm', () => {
  it('falls back to scanning /dev with USB ids, serial numbers and by-id links from sysfs', async () => {
    const fs = fakeFs();
    const ports = await listSerialPorts({ list: udevadmMissing, scan: () => scanSerialDevices(fs) });
    expect(ports.map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyS0', '/dev/ttyS1', '/dev/ttyUSB0', '/dev/ttyUSB1', '/dev/ttyUSB10']);
    expect(ports.find((p) => p.path === '/dev/ttyUSB0')).toEqual({
      path: '/dev/ttyUSB0',
      vendorId: '1a86',
      productId: '7523',
      serialNumber: undefined,
      manufacturer: undefined,
      pnpId: 'usb-1a86_USB_Serial-if00-port0',
    });
    expect(ports.find((p) => p.path === '/dev/ttyUSB1')).toMatchObject({
      vendorId: '0403',
      productId: '6001',
      serialNumber: 'A50285BI',
      manufacturer: 'FTDI',
      pnpId: 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
    });
    // ttyACM: the USB device is one level above the interface; an empty serial file is no serial.
    expect(ports.find((p) => p.path === '/dev/ttyACM0')).toMatchObject({ vendorId: '0c2e', productId: '0b61', serialNumber: undefined });
    expect(ports.find((p) => p.path === '/dev/ttyS0')).toEqual({ path: '/dev/ttyS0' });
    // ttyUSB10 has no sysfs entry at all: listed with its path only.
    expect(ports.find((p) => p.path === '/dev/ttyUSB10')).toEqual({ path: '/dev/ttyUSB10' });
  });

  it('keeps the binding list and adds the /dev nodes it missed (udev without a database)', async () => {
    const listed: SerialPortInfo[] = [{ path: '/dev/ttyS0', manufacturer: 'udev says so' }];
    const ports = await listSerialPorts({ list: async () => listed, scan: () => scanSerialDevices(fakeFs()) });
    expect(ports[0]).toEqual({ path: '/dev/ttyS0', manufacturer: 'udev says so' });
    expect(ports.map((p) => p.path)).toContain('/dev/ttyUSB1');
    expect(ports.filter((p) => p.path === '/dev/ttyS0')).toHaveLength(1);
  });

  it('answers an empty list, not an error, when neither works', async () => {
    expect(await listSerialPorts({ list: udevadmMissing, scan: () => Promise.reject(new Error('no /dev')) })).toEqual([]);
    const emptyFs: DeviceFs = { readdir: () => Promise.reject(new Error('x')), realpath: () => Promise.reject(new Error('x')), readFile: () => Promise.reject(new Error('x')) };
    expect(await scanSerialDevices(emptyFs)).toEqual([]);
  });

  it('works on this machine whatever it has', async () => {
    const ports = await listSerialPorts();
    expect(Array.isArray(ports)).toBe(true);
  });
});

describe('finding the device again after a replug', () => {
  const ftdi = { vendorId: '0403', productId: '6001', serialNumber: 'A50285BI' };
  const ch340 = { vendorId: '1a86', productId: '7523', serialNumber: undefined };

  it('follows a device with a serial number to its new path', () => {
    const ports: SerialPortInfo[] = [{ path: '/dev/ttyUSB0', ...ch340 }, { path: '/dev/ttyUSB2', ...ftdi }];
    expect(locateDevice(ports, '/dev/ttyUSB1', undefined, ftdi)).toEqual({ found: true, path: '/dev/ttyUSB2' });
    // ids compare case-insensitively (udev and sysfs differ in case on some systems)
    expect(locateDevice(ports, '/dev/ttyUSB1', undefined, { ...ftdi, vendorId: '0403'.toUpperCase(), serialNumber: 'a50285bi' })).toEqual({
      found: true,
      path: '/dev/ttyUSB2',
    });
  });

  it('keeps a configured by-id link when it points at the device', () => {
    const ports: SerialPortInfo[] = [{ path: '/dev/ttyUSB2', ...ftdi }];
    const link = '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0';
    expect(locateDevice(ports, link, '/dev/ttyUSB2', ftdi)).toEqual({ found: true, path: link });
  });

  it('reports a device with a serial number as absent until it is listed again', () => {
    expect(locateDevice([{ path: '/dev/ttyUSB0', ...ch340 }], '/dev/ttyUSB1', undefined, ftdi)).toEqual({ found: false, why: 'not-listed' });
  });

  it('uses the configured path for devices without a serial number, but not when another device took it', () => {
    expect(locateDevice([], '/dev/ttyUSB0', undefined, ch340)).toEqual({ found: true, path: '/dev/ttyUSB0' });
    expect(locateDevice([{ path: '/dev/ttyUSB0', ...ch340 }], '/dev/ttyUSB0', '/dev/ttyUSB0', ch340)).toEqual({ found: true, path: '/dev/ttyUSB0' });
    expect(locateDevice([{ path: '/dev/ttyUSB0', vendorId: '067b', productId: '2303' }], '/dev/ttyUSB0', '/dev/ttyUSB0', ch340)).toEqual({
      found: false,
      why: 'other-device',
    });
    // A pseudo-terminal or a port the list does not know: by path.
    expect(locateDevice([], '/tmp/sim/printer', '/dev/pts/4', undefined)).toEqual({ found: true, path: '/tmp/sim/printer' });
  });

  it('learns the identity of the device at a path, through a symlink', () => {
    const ports: SerialPortInfo[] = [{ path: '/dev/ttyUSB1', ...ftdi }, { path: '/dev/ttyS0' }];
    expect(identityAt(ports, '/dev/serial/by-id/x', '/dev/ttyUSB1')).toEqual(ftdi);
    expect(identityAt(ports, '/dev/ttyS0', '/dev/ttyS0')).toBeUndefined();
    expect(identityAt(ports, '/tmp/x/b', '/dev/pts/3')).toBeUndefined();
  });
});

describe('serial open errors', () => {
  it('map serialport messages to keys a receptionist can act on', () => {
    const d = '/dev/ttyUSB0 9600 8N1';
    expect(serialOpenError(d, new Error('Error: No such file or directory, cannot open /dev/ttyUSB0')).key).toBe('errors.device.notFound');
    expect(serialOpenError(d, new Error('Error: Permission denied, cannot open /dev/ttyUSB0')).key).toBe('errors.device.permissionDenied');
    expect(serialOpenError(d, new Error('Error Resource temporarily unavailable Cannot lock port')).key).toBe('errors.device.portBusy');
    const other = serialOpenError(d, new Error('Error: Inappropriate ioctl for device setting custom baud rate of 9600'));
    expect(other.key).toBe('errors.device.openFailed');
    expect(other.code).toBe('DEVICE_FAULT');
    expect(other.params).toEqual({ device: d, reason: 'Inappropriate ioctl for device setting custom baud rate of 9600' });
  });
});

describe('device presence watchdog', () => {
  const until = async (cond: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };

  it('notices the device node disappearing, and a path that now names another device', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-presence-'));
    try {
      // A link to a character device, as /dev/serial/by-id or a socat link is.
      const link = path.join(dir, 'port');
      symlinkSync('/dev/null', link);
      let gone = 0;
      const stop = watchDevicePresence(link, () => gone++, 20);
      await new Promise((r) => setTimeout(r, 100));
      expect(gone).toBe(0);
      unlinkSync(link);
      await until(() => gone > 0);
      expect(gone).toBe(1);
      stop();

      symlinkSync('/dev/null', link);
      let replaced = 0;
      const stop2 = watchDevicePresence(link, () => replaced++, 20);
      await new Promise((r) => setTimeout(r, 100));
      // same path, atomically another device (different st_rdev): never ENOENT in between
      symlinkSync('/dev/zero', `${link}.new`);
      renameSync(`${link}.new`, link);
      await until(() => replaced > 0);
      expect(replaced).toBe(1);
      stop2();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
