/**
 * How a desk's devices are configured: what the Devices page edits, what the host's device manager
 * stores (desk-local, not synced: a printer belongs to the desk it is plugged into) and turns into a
 * transport and a driver. Pure schemas so the page checks a form with the very rules the host
 * applies; messages are i18n keys.
 *
 * One shape per kind (printer, display, gate, scanner) with its transport (a serial port, or a TCP
 * address for network printers and Modbus TCP boards) and its options. Cross-field rules:
 *   - an LCUS relay board is a USB serial device: it has no TCP transport;
 *   - a scanner is a serial device (a keyboard-wedge scanner needs no configuration at all).
 */
import { z } from 'zod';

export const DEVICE_KINDS = ['printer', 'display', 'gate', 'scanner'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Baud rates a serial device may use; receipt printers ship at 9600, 19200 or 115200. */
export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400] as const;

const DeviceName = z
  .string({ message: 'errors.name.required' })
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'errors.name.required').max(40, 'errors.deviceConfig.nameTooLong'));

const SerialPath = z
  .string({ message: 'errors.deviceConfig.pathRequired' })
  .trim()
  .min(1, 'errors.deviceConfig.pathRequired')
  .max(255, 'errors.deviceConfig.pathInvalid')
  // A device node (/dev/ttyUSB0, /dev/serial/by-id/…, a socat link) or a Windows COM port.
  .regex(/^(\/[^\0]+|COM[1-9][0-9]{0,2})$/i, 'errors.deviceConfig.pathInvalid');

const Host = z
  .string({ message: 'errors.deviceConfig.hostRequired' })
  .trim()
  .min(1, 'errors.deviceConfig.hostRequired')
  .max(253, 'errors.deviceConfig.hostInvalid')
  // An IPv4 address or a DNS name (labels of letters, digits and hyphens); IPv6 literals too.
  .regex(/^(([0-9]{1,3}\.){3}[0-9]{1,3}|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+)$/, 'errors.deviceConfig.hostInvalid')
  .refine((h) => !/^([0-9]{1,3}\.){3}[0-9]{1,3}$/.test(h) || h.split('.').every((o) => Number(o) <= 255), 'errors.deviceConfig.hostInvalid');

export const SerialTransportConfig = z.object({
  type: z.literal('serial'),
  path: SerialPath,
  baudRate: z.literal(BAUD_RATES, { message: 'errors.deviceConfig.baudRate' }),
  parity: z.enum(['none', 'even', 'odd'], { message: 'errors.field.invalid' }).default('none'),
});
export type SerialTransportConfig = z.infer<typeof SerialTransportConfig>;

export const TcpTransportConfig = z.object({
  type: z.literal('tcp'),
  host: Host,
  port: z.int({ message: 'errors.deviceConfig.port' }).min(1, 'errors.deviceConfig.port').max(65_535, 'errors.deviceConfig.port'),
});
export type TcpTransportConfig = z.infer<typeof TcpTransportConfig>;

export const TransportConfig = z.discriminatedUnion('type', [SerialTransportConfig, TcpTransportConfig], {
  message: 'errors.deviceConfig.transport',
});
export type TransportConfig = z.infer<typeof TransportConfig>;

export const PrinterOptions = z.object({
  /** Characters per line at normal size: 32 (58 mm paper), 42 or 48 (80 mm). */
  columns: z.literal([32, 42, 48], { message: 'errors.deviceConfig.columns' }).default(48),
  codepage: z.enum(['gb18030', 'gbk'], { message: 'errors.field.invalid' }).default('gb18030'),
});

export const DisplayOptions = z.object({
  /** The command set: CD5220 (most pole displays) or Epson's ESC/POS display commands. */
  codec: z.enum(['cd5220', 'epson'], { message: 'errors.deviceConfig.displayCodec' }).default('cd5220'),
  encoding: z.enum(['ascii', 'gb18030'], { message: 'errors.field.invalid' }).default('ascii'),
});

const Relay = z.int({ message: 'errors.deviceConfig.relay' }).min(0, 'errors.deviceConfig.relay').max(255, 'errors.deviceConfig.relay');

export const GateOptions = z.object({
  board: z.enum(['modbus', 'lcus'], { message: 'errors.deviceConfig.board' }).default('modbus'),
  /** Modbus unit (slave) address. */
  unit: z.int({ message: 'errors.deviceConfig.unit' }).min(1, 'errors.deviceConfig.unit').max(247, 'errors.deviceConfig.unit').default(1),
  /** Modbus coil address (0-based) or LCUS channel (1-based). */
  relay: Relay.default(0),
  pulseMs: z.int({ message: 'errors.deviceConfig.pulseMs' }).min(100, 'errors.deviceConfig.pulseMs').max(10_000, 'errors.deviceConfig.pulseMs').default(1000),
  /** Discrete input (0-based) of the passage sensor, where wired. */
  passageInput: Relay.nullable().default(null),
});

export const ScannerOptions = z.object({
  /** A second read of the same code within this time is ignored (a code held under the scanner). */
  duplicateWindowMs: z.int({ message: 'errors.field.invalid' }).min(0, 'errors.field.invalid').max(10_000, 'errors.field.invalid').default(1500),
});

const Common = { name: DeviceName, enabled: z.boolean().default(true) };

export const DeviceConfig = z
  .discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('printer'), ...Common, transport: TransportConfig, options: PrinterOptions.prefault({}) }),
      z.object({ kind: z.literal('display'), ...Common, transport: TransportConfig, options: DisplayOptions.prefault({}) }),
      z.object({ kind: z.literal('gate'), ...Common, transport: TransportConfig, options: GateOptions.prefault({}) }),
      z.object({ kind: z.literal('scanner'), ...Common, transport: SerialTransportConfig, options: ScannerOptions.prefault({}) }),
    ],
    { message: 'errors.deviceConfig.kind' },
  )
  .superRefine((d, ctx) => {
    if (d.kind === 'gate' && d.options.board === 'lcus') {
      if (d.transport.type !== 'serial') {
        ctx.addIssue({ code: 'custom', path: ['transport', 'type'], message: 'errors.deviceConfig.lcusSerialOnly' });
      }
      if (d.options.relay < 1) ctx.addIssue({ code: 'custom', path: ['options', 'relay'], message: 'errors.deviceConfig.lcusChannel' });
      if (d.options.passageInput !== null) {
        ctx.addIssue({ code: 'custom', path: ['options', 'passageInput'], message: 'errors.deviceConfig.lcusNoInputs' });
      }
    }
  });
export type DeviceConfig = z.infer<typeof DeviceConfig>;
export type DeviceConfigInput = z.input<typeof DeviceConfig>;

/** Where a device is, in a few characters for lists and messages: "/dev/ttyUSB0 @ 9600", "192.168.1.20:9100". */
export function describeTransport(t: TransportConfig): string {
  return t.type === 'serial' ? `${t.path} @ ${t.baudRate}` : `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}
