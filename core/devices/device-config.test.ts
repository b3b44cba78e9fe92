/**
 * The device settings form's rules: what a receptionist gets wrong (a COM port typed as "usb", a
 * printer IP with a typo, an LCUS board on the network) is refused with the key the form shows at
 * that field; defaults fill what the form leaves out.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { errorMessages } from '../i18n/messages';
import { parseOrThrow } from '../validation';
import { DeviceConfig, describeTransport } from './device-config';

function issues(input: unknown): { path: string; key: string }[] {
  try {
    parseOrThrow(DeviceConfig, input);
  } catch (e) {
    if (!AppError.is(e)) throw e;
    return e.issues.map((i) => ({ path: i.path.join('.'), key: i.key }));
  }
  throw new Error('expected the input to be refused');
}

describe('device configuration', () => {
  it('fills the defaults of a printer on a serial port', () => {
    const d = parseOrThrow(DeviceConfig, { kind: 'printer', name: '  Front   printer ', transport: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 } });
    expect(d).toEqual({
      kind: 'printer',
      name: 'Front printer',
      enabled: true,
      transport: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 115200, parity: 'none' },
      options: { columns: 48, codepage: 'gb18030' },
    });
    expect(describeTransport(d.transport)).toBe('/dev/ttyUSB0 @ 115200');
  });

  it('accepts a Modbus TCP gate and a Windows COM port scanner', () => {
    const gate = parseOrThrow(DeviceConfig, { kind: 'gate', name: 'Turnstile', transport: { type: 'tcp', host: '192.168.1.20', port: 502 }, options: { relay: 2, passageInput: 0 } });
    expect(gate.kind === 'gate' && gate.options).toEqual({ board: 'modbus', unit: 1, relay: 2, pulseMs: 1000, passageInput: 0 });
    expect(describeTransport(gate.transport)).toBe('192.168.1.20:502');
    const scanner = parseOrThrow(DeviceConfig, { kind: 'scanner', name: 'Scanner', transport: { type: 'serial', path: 'COM3', baudRate: 9600 } });
    expect(scanner.kind).toBe('scanner');
  });

  it.each([
    [{ kind: 'printer', name: '', transport: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 } }, 'name', 'errors.name.required'],
    [{ kind: 'printer', name: 'P', transport: { type: 'serial', path: 'usb', baudRate: 9600 } }, 'transport.path', 'errors.deviceConfig.pathInvalid'],
    [{ kind: 'printer', name: 'P', transport: { type: 'serial', path: '/dev/ttyS0', baudRate: 9601 } }, 'transport.baudRate', 'errors.deviceConfig.baudRate'],
    [{ kind: 'printer', name: 'P', transport: { type: 'tcp', host: '192.168.1.300', port: 9100 } }, 'transport.host', 'errors.deviceConfig.hostInvalid'],
    [{ kind: 'printer', name: 'P', transport: { type: 'tcp', host: 'printer.local', port: 70000 } }, 'transport.port', 'errors.deviceConfig.port'],
    [{ kind: 'printer', name: 'P', transport: { type: 'tcp', host: 'bad host', port: 9100 } }, 'transport.host', 'errors.deviceConfig.hostInvalid'],
    [{ kind: 'printer', name: 'P', transport: { type: 'tcp', host: 'p', port: 9100 }, options: { columns: 40 } }, 'options.columns', 'errors.deviceConfig.columns'],
    [{ kind: 'gate', name: 'G', transport: { type: 'tcp', host: '10.0.0.5', port: 502 }, options: { pulseMs: 50 } }, 'options.pulseMs', 'errors.deviceConfig.pulseMs'],
    [{ kind: 'gate', name: 'G', transport: { type: 'tcp', host: '10.0.0.5', port: 502 }, options: { unit: 0 } }, 'options.unit', 'errors.deviceConfig.unit'],
    [{ kind: 'gate', name: 'G', transport: { type: 'tcp', host: '10.0.0.5', port: 502 }, options: { board: 'lcus', relay: 1 } }, 'transport.type', 'errors.deviceConfig.lcusSerialOnly'],
    [{ kind: 'gate', name: 'G', transport: { type: 'serial', path: '/dev/ttyUSB1', baudRate: 9600 }, options: { board: 'lcus', relay: 0 } }, 'options.relay', 'errors.deviceConfig.lcusChannel'],
    [{ kind: 'scanner', name: 'S', transport: { type: 'tcp', host: '10.0.0.5', port: 23 } }, 'transport.type', 'errors.field.invalid'],
    [{ kind: 'toaster', name: 'T', transport: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 } }, 'kind', 'errors.deviceConfig.kind'],
  ])('refuses %j at %s with %s', (input, path, key) => {
    expect(issues(input)).toContainEqual({ path, key });
  });

  it('has a message in both languages for every key it can produce', () => {
    const keys = ['nameTooLong', 'pathRequired', 'pathInvalid', 'hostRequired', 'hostInvalid', 'baudRate', 'port', 'transport', 'columns', 'displayCodec', 'board', 'unit', 'relay', 'pulseMs', 'kind', 'lcusSerialOnly', 'lcusChannel', 'lcusNoInputs'];
    for (const k of keys) {
      expect(errorMessages.en).toHaveProperty([`errors.deviceConfig.${k}`]);
      expect(errorMessages['zh-CN']).toHaveProperty([`errors.deviceConfig.${k}`]);
    }
  });
});
