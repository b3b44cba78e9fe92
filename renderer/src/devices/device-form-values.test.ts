import { describe, expect, it } from 'vitest';
import { DeviceConfig } from '../../../core/devices/device-config';
import {
  configInputOf,
  emptyFormValues,
  fieldIssues,
  fieldOfIssue,
  followUps,
  formValuesOf,
  visibleFields,
  type DeviceFormValues,
} from './device-form-values';

const printer = (over: Partial<DeviceFormValues> = {}): DeviceFormValues => ({
  ...emptyFormValues('printer'),
  name: 'Front printer',
  path: '/dev/ttyUSB0',
  baudRate: 115200,
  ...over,
});

describe('device form values', () => {
  it('turns a filled-in printer form into the config core accepts', () => {
    const config = DeviceConfig.parse(configInputOf(printer()));
    expect(config).toEqual({
      kind: 'printer',
      name: 'Front printer',
      enabled: true,
      transport: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 115200, parity: 'none' },
      options: { columns: 48, codepage: 'gb18030' },
    });
  });

  it('round-trips a stored gate on the network through the form', () => {
    const stored = DeviceConfig.parse({
      kind: 'gate',
      name: 'Turnstile',
      transport: { type: 'tcp', host: '192.168.1.20', port: 502 },
      options: { relay: 2, pulseMs: 300, passageInput: 1 },
    });
    const values = formValuesOf({ config: stored });
    expect(values).toMatchObject({ transportType: 'tcp', host: '192.168.1.20', port: 502, relay: 2, pulseMs: 300, passageInput: 1, unit: 1 });
    expect(DeviceConfig.parse(configInputOf(values))).toEqual(stored);
  });

  it('starts a new device with the schema defaults and the usual network port', () => {
    expect(emptyFormValues('gate')).toMatchObject({ port: 502, board: 'modbus', unit: 1, relay: 0, pulseMs: 1000, passageInput: null, baudRate: 9600 });
    expect(emptyFormValues('printer').port).toBe(9100);
  });

  it("names each field's problem with core's message key", () => {
    expect(fieldIssues('name', printer({ name: '  ' })).map((i) => i.key)).toEqual(['errors.name.required']);
    expect(fieldIssues('path', printer({ path: 'ttyUSB0' })).map((i) => i.key)).toEqual(['errors.deviceConfig.pathInvalid']);
    expect(fieldIssues('host', printer({ transportType: 'tcp', host: '300.1.1.1' })).map((i) => i.key)).toEqual(['errors.deviceConfig.hostInvalid']);
    expect(fieldIssues('port', printer({ transportType: 'tcp', host: '10.0.0.9', port: null })).map((i) => i.key)).toEqual(['errors.deviceConfig.port']);
    expect(fieldIssues('pulseMs', { ...emptyFormValues('gate'), name: 'G', path: '/dev/ttyS0', pulseMs: 50 }).map((i) => i.key)).toEqual([
      'errors.deviceConfig.pulseMs',
    ]);
    // A field's check is not held back by another field's problem.
    expect(fieldIssues('path', printer({ name: '' }))).toEqual([]);
  });

  it('maps issue paths (also the host\'s, under config.) to form fields', () => {
    expect(fieldOfIssue({ path: ['transport', 'path'] })).toBe('path');
    expect(fieldOfIssue({ path: ['transport'] })).toBe('transportType');
    expect(fieldOfIssue({ path: ['config', 'options', 'relay'] })).toBe('relay');
    expect(fieldOfIssue({ path: ['name'] })).toBe('name');
    expect(fieldOfIssue({ path: ['somethingElse'] })).toBeNull();
  });

  it('shows the inputs of the chosen kind and connection only', () => {
    expect(visibleFields('printer', 'serial')).toEqual(['kind', 'name', 'transportType', 'path', 'baudRate', 'parity', 'columns', 'codepage', 'enabled']);
    expect(visibleFields('gate', 'tcp')).toEqual(['kind', 'name', 'transportType', 'host', 'port', 'board', 'unit', 'relay', 'pulseMs', 'passageInput', 'enabled']);
    expect(visibleFields('gate', 'serial', 'lcus')).toEqual(['kind', 'name', 'transportType', 'path', 'baudRate', 'parity', 'board', 'relay', 'pulseMs', 'enabled']);
  });

  it('fills in the usual port, keeps a typed one, and keeps scanners and LCUS boards on serial', () => {
    const v = printer({ kind: 'gate', port: 9100 });
    expect(followUps({ kind: 'gate' }, v)).toEqual({ port: 502 });
    expect(followUps({ kind: 'gate' }, { ...v, port: 8899 })).toEqual({});
    expect(followUps({ transportType: 'tcp' }, { ...v, transportType: 'tcp', port: null })).toEqual({ port: 502 });
    expect(followUps({ kind: 'scanner' }, { ...v, kind: 'scanner', transportType: 'tcp' })).toMatchObject({ transportType: 'serial' });
    expect(followUps({ board: 'lcus' }, { ...v, board: 'lcus', relay: 0, transportType: 'tcp', passageInput: 3 })).toEqual({
      relay: 1,
      transportType: 'serial',
      passageInput: null,
    });
  });
});
