/**
 * The device form's values and their way to and from core's `DeviceConfig`: the form is flat (one
 * value per input, every kind's options kept while the kind is switched back and forth), the
 * config is nested by kind and transport. Checks are core's own schema, so the page says exactly
 * what the host would refuse, at the field the host would name.
 */
import type { z } from 'zod';
import type { BAUD_RATES } from '../../../core/devices/device-config';
import {
  DeviceConfig,
  DisplayOptions,
  GateOptions,
  PrinterOptions,
  ScannerOptions,
  type DeviceKind,
} from '../../../core/devices/device-config';
import type { FieldIssue } from '../../../core/errors';
import type { DeviceView } from './device-types';

export const DEVICE_FORM_FIELDS = [
  'kind',
  'name',
  'enabled',
  'transportType',
  'path',
  'baudRate',
  'parity',
  'host',
  'port',
  'columns',
  'codepage',
  'codec',
  'encoding',
  'board',
  'unit',
  'relay',
  'pulseMs',
  'passageInput',
  'duplicateWindowMs',
] as const;
export type DeviceFormField = (typeof DEVICE_FORM_FIELDS)[number];

type Printer = z.output<typeof PrinterOptions>;
type Display = z.output<typeof DisplayOptions>;
type Gate = z.output<typeof GateOptions>;

export type TransportType = 'serial' | 'tcp';
export type Parity = 'none' | 'even' | 'odd';
export const PARITIES: readonly Parity[] = ['none', 'even', 'odd'];
export const COLUMNS: readonly Printer['columns'][] = [32, 42, 48];
export const CODEPAGES: readonly Printer['codepage'][] = ['gb18030', 'gbk'];
export const DISPLAY_CODECS: readonly Display['codec'][] = ['cd5220', 'epson'];
export const DISPLAY_ENCODINGS: readonly Display['encoding'][] = ['ascii', 'gb18030'];
export const GATE_BOARDS: readonly Gate['board'][] = ['modbus', 'lcus'];

export interface DeviceFormValues {
  kind: DeviceKind;
  name: string;
  enabled: boolean;
  transportType: TransportType;
  path: string;
  baudRate: number;
  parity: Parity;
  host: string;
  /** Number inputs hold null while empty; the schema says what belongs there. */
  port: number | null;
  columns: number;
  codepage: Printer['codepage'];
  codec: Display['codec'];
  encoding: Display['encoding'];
  board: Gate['board'];
  unit: number | null;
  relay: number | null;
  pulseMs: number | null;
  /** Null: no passage sensor wired. */
  passageInput: number | null;
  duplicateWindowMs: number | null;
}

/** The usual network port of a kind: raw printing on 9100, Modbus TCP on 502. */
export function defaultPort(kind: DeviceKind): number | null {
  if (kind === 'printer') return 9100;
  if (kind === 'gate') return 502;
  return null;
}

const DEFAULT_BAUD: (typeof BAUD_RATES)[number] = 9600;

/** A new device: the schema's own defaults for every option. */
export function emptyFormValues(kind: DeviceKind = 'printer'): DeviceFormValues {
  const printer = PrinterOptions.parse({});
  const display = DisplayOptions.parse({});
  const gate = GateOptions.parse({});
  const scanner = ScannerOptions.parse({});
  return {
    kind,
    name: '',
    enabled: true,
    transportType: 'serial',
    path: '',
    baudRate: DEFAULT_BAUD,
    parity: 'none',
    host: '',
    port: defaultPort(kind),
    columns: printer.columns,
    codepage: printer.codepage,
    codec: display.codec,
    encoding: display.encoding,
    board: gate.board,
    unit: gate.unit,
    relay: gate.relay,
    pulseMs: gate.pulseMs,
    passageInput: gate.passageInput,
    duplicateWindowMs: scanner.duplicateWindowMs,
  };
}

/** The form for a configured device: its own values over the defaults of the other kinds. */
export function formValuesOf(device: Pick<DeviceView, 'config'>): DeviceFormValues {
  const c = device.config;
  const v = emptyFormValues(c.kind);
  v.name = c.name;
  v.enabled = c.enabled;
  if (c.transport.type === 'serial') {
    v.transportType = 'serial';
    v.path = c.transport.path;
    v.baudRate = c.transport.baudRate;
    v.parity = c.transport.parity;
  } else {
    v.transportType = 'tcp';
    v.host = c.transport.host;
    v.port = c.transport.port;
  }
  switch (c.kind) {
    case 'printer':
      v.columns = c.options.columns;
      v.codepage = c.options.codepage;
      break;
    case 'display':
      v.codec = c.options.codec;
      v.encoding = c.options.encoding;
      break;
    case 'gate':
      v.board = c.options.board;
      v.unit = c.options.unit;
      v.relay = c.options.relay;
      v.pulseMs = c.options.pulseMs;
      v.passageInput = c.options.passageInput;
      break;
    case 'scanner':
      v.duplicateWindowMs = c.options.duplicateWindowMs;
      break;
  }
  return v;
}

/**
 * The form as the schema's input: only what belongs to the chosen kind and transport. Values are
 * passed as they are (an emptied number is null) so the schema's message names the problem.
 */
export function configInputOf(v: Partial<DeviceFormValues>): Record<string, unknown> {
  const kind = v.kind ?? 'printer';
  const transport =
    (v.transportType ?? 'serial') === 'serial'
      ? { type: 'serial', path: v.path ?? '', baudRate: v.baudRate, parity: v.parity ?? 'none' }
      : { type: 'tcp', host: v.host ?? '', port: v.port ?? null };
  const options = (() => {
    switch (kind) {
      case 'printer':
        return { columns: v.columns, codepage: v.codepage };
      case 'display':
        return { codec: v.codec, encoding: v.encoding };
      case 'gate':
        return { board: v.board, unit: v.unit ?? null, relay: v.relay ?? null, pulseMs: v.pulseMs ?? null, passageInput: v.passageInput ?? null };
      case 'scanner':
        return { duplicateWindowMs: v.duplicateWindowMs ?? null };
    }
  })();
  return { kind, name: v.name ?? '', enabled: v.enabled ?? true, transport, options };
}

const TRANSPORT_FIELDS: Record<string, DeviceFormField> = {
  type: 'transportType',
  path: 'path',
  baudRate: 'baudRate',
  parity: 'parity',
  host: 'host',
  port: 'port',
};

const OPTION_FIELDS: Record<string, DeviceFormField> = {
  columns: 'columns',
  codepage: 'codepage',
  codec: 'codec',
  encoding: 'encoding',
  board: 'board',
  unit: 'unit',
  relay: 'relay',
  pulseMs: 'pulseMs',
  passageInput: 'passageInput',
  duplicateWindowMs: 'duplicateWindowMs',
};

/** The form field an issue belongs to. The host's issues of an update may arrive under `config.`. */
export function fieldOfIssue(issue: Pick<FieldIssue, 'path'>): DeviceFormField | null {
  const path = issue.path[0] === 'config' ? issue.path.slice(1) : issue.path;
  const [head, sub] = path;
  if (head === 'kind' || head === 'name' || head === 'enabled') return head;
  // The transport as a whole (an unknown type) is the connection choice.
  if (head === 'transport') return typeof sub === 'string' ? (TRANSPORT_FIELDS[sub] ?? 'transportType') : 'transportType';
  if (head === 'options' && typeof sub === 'string') return OPTION_FIELDS[sub] ?? null;
  return null;
}

/** The issues of one field, checked with core's `DeviceConfig` over the whole form. */
export function fieldIssues(field: DeviceFormField, values: Partial<DeviceFormValues>): FieldIssue[] {
  const r = DeviceConfig.safeParse(configInputOf(values));
  if (r.success) return [];
  return r.error.issues
    .map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), key: keyOf(i.message) }))
    .filter((i) => fieldOfIssue(i) === field);
}

function keyOf(message: string): string {
  return message.startsWith('errors.') ? message : 'errors.field.invalid';
}

/** Which inputs the form shows for a kind, a connection and (gates) a relay board. */
export function visibleFields(kind: DeviceKind, transportType: TransportType, board: Gate['board'] = 'modbus'): DeviceFormField[] {
  const connection: DeviceFormField[] = transportType === 'serial' ? ['path', 'baudRate', 'parity'] : ['host', 'port'];
  const options: Record<DeviceKind, DeviceFormField[]> = {
    printer: ['columns', 'codepage'],
    display: ['codec', 'encoding'],
    // An LCUS board has no Modbus address and no inputs.
    gate: board === 'lcus' ? ['board', 'relay', 'pulseMs'] : ['board', 'unit', 'relay', 'pulseMs', 'passageInput'],
    scanner: ['duplicateWindowMs'],
  };
  return ['kind', 'name', 'transportType', ...connection, ...options[kind], 'enabled'];
}

/**
 * What else changes when one value does: a scanner is always on a serial port; choosing the
 * network fills in the kind's usual port (kept if typed); an LCUS board is on USB serial, its
 * channels start at 1 and it has no sensor input.
 */
export function followUps(changed: Partial<DeviceFormValues>, all: DeviceFormValues): Partial<DeviceFormValues> {
  const out: Partial<DeviceFormValues> = {};
  if (changed.kind !== undefined && changed.kind === 'scanner' && all.transportType !== 'serial') out.transportType = 'serial';
  const kindChanged = changed.kind !== undefined;
  const toNetwork = changed.transportType === 'tcp';
  if (kindChanged || toNetwork) {
    const usual = [null, ...(['printer', 'display', 'gate', 'scanner'] as const).map(defaultPort)];
    if (usual.includes(all.port)) out.port = defaultPort(all.kind);
  }
  if (changed.board === 'lcus' && all.relay === 0) out.relay = 1;
  if (changed.board === 'lcus' && all.transportType !== 'serial') out.transportType = 'serial';
  if (changed.board === 'lcus' && all.passageInput !== null) out.passageInput = null;
  return out;
}
