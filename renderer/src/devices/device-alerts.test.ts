import { describe, expect, it } from 'vitest';
import { DeviceConfig } from '../../../core/devices/device-config';
import { deviceAlertsOf, summarize } from './device-alerts';
import type { DeviceHealth, DeviceView } from './device-types';

function device(name: string, health: Partial<DeviceHealth> & Pick<DeviceHealth, 'state'>, over: Partial<DeviceView> = {}): DeviceView {
  const config = DeviceConfig.parse({ kind: 'printer', name, transport: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 } });
  return {
    id: `id-${name}`,
    name,
    kind: 'printer',
    enabled: true,
    config,
    where: '/dev/ttyUSB0 @ 9600',
    health: { since: 0, ...health },
    waitingJobs: 0,
    uncertainJobs: 0,
    shown: null,
    lastScan: null,
    gateOpen: false,
    ...over,
  };
}

describe('device alerts', () => {
  it('is quiet when every device works, is connecting for the first time, or is switched off', () => {
    const alerts = deviceAlertsOf([
      device('A', { state: 'ready' }),
      device('B', { state: 'connecting' }),
      device('C', { state: 'disconnected' }),
      device('D', { state: 'disabled' }, { enabled: false }),
    ]);
    expect(alerts).toEqual([]);
    expect(summarize(alerts)).toEqual({ devices: 0, uncertainTickets: 0, severity: null });
  });

  it('lists faults first with their reason, then warnings and tickets to check', () => {
    const alerts = deviceAlertsOf([
      device('Near end', { state: 'warning', reasonKey: 'errors.device.printer.paperNearEnd', params: { device: 'Near end' } }),
      device('Unplugged', { state: 'disconnected', reasonKey: 'errors.device.disconnected', params: { device: 'Unplugged' } }, { uncertainJobs: 2 }),
      device('No paper', { state: 'fault', reasonKey: 'errors.device.printer.paperOut', params: { device: 'No paper' } }),
    ]);
    expect(alerts.map((a) => [a.type, a.name, a.severity])).toEqual([
      ['health', 'Unplugged', 'error'],
      ['health', 'No paper', 'error'],
      ['health', 'Near end', 'warning'],
      ['uncertain', 'Unplugged', 'warning'],
    ]);
    expect(alerts[1]).toMatchObject({ reasonKey: 'errors.device.printer.paperOut', params: { device: 'No paper' } });
    expect(summarize(alerts)).toEqual({ devices: 3, uncertainTickets: 2, severity: 'error' });
  });

  it('still asks about uncertain tickets of a printer that is switched off', () => {
    const alerts = deviceAlertsOf([device('Off', { state: 'disabled' }, { enabled: false, uncertainJobs: 1 })]);
    expect(summarize(alerts)).toEqual({ devices: 0, uncertainTickets: 1, severity: 'warning' });
  });
});
