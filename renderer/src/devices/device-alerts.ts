/**
 * What the status bar warns about: devices that do not work or need attention soon, and tickets
 * that may not have printed (staff must check the printer). A device that is switched off, or still
 * connecting for the first time (disconnected without a reason: not started yet), is no alert.
 */
import type { MessageParams } from '../../../core/errors';
import type { DeviceView } from './device-types';

export type DeviceAlert =
  | {
      type: 'health';
      deviceId: string;
      name: string;
      severity: 'error' | 'warning';
      state: 'fault' | 'disconnected' | 'warning';
      reasonKey: string | null;
      params: MessageParams;
    }
  | { type: 'uncertain'; deviceId: string; name: string; severity: 'warning'; count: number };

export function deviceAlertsOf(devices: readonly DeviceView[]): DeviceAlert[] {
  const out: DeviceAlert[] = [];
  for (const d of devices) {
    if (!d.enabled) continue;
    const h = d.health;
    const state = h.state === 'fault' || h.state === 'warning' || (h.state === 'disconnected' && h.reasonKey !== undefined) ? h.state : null;
    if (state !== null) {
      out.push({
        type: 'health',
        deviceId: d.id,
        name: d.name,
        severity: state === 'warning' ? 'warning' : 'error',
        state,
        reasonKey: h.reasonKey ?? null,
        params: h.params ?? { device: d.name },
      });
    }
  }
  // Tickets to check are listed for a device also when it is switched off: they still wait for staff.
  for (const d of devices) {
    if (d.uncertainJobs > 0) out.push({ type: 'uncertain', deviceId: d.id, name: d.name, severity: 'warning', count: d.uncertainJobs });
  }
  return out.sort((a, b) => rank(a) - rank(b));
}

function rank(a: DeviceAlert): number {
  return a.severity === 'error' ? 0 : 1;
}

export interface AlertSummary {
  /** Devices in fault, disconnected or warning. */
  devices: number;
  /** Tickets that may not have printed. */
  uncertainTickets: number;
  severity: 'error' | 'warning' | null;
}

export function summarize(alerts: readonly DeviceAlert[]): AlertSummary {
  const devices = alerts.filter((a) => a.type === 'health').length;
  const uncertainTickets = alerts.reduce((n, a) => n + (a.type === 'uncertain' ? a.count : 0), 0);
  const severity = alerts.some((a) => a.severity === 'error') ? 'error' : alerts.length > 0 ? 'warning' : null;
  return { devices, uncertainTickets, severity };
}
