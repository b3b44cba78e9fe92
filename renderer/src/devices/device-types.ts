/**
 * The shapes the Devices page gets from the host, named from the router's own types (the renderer
 * imports only the router's type, never the host's device layer).
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { HostRouter } from '../../../electron/host/router/app.router';

type Devices = inferRouterOutputs<HostRouter>['devices'];

export type DeviceView = Devices['list'][number];
export type DeviceHealth = DeviceView['health'];
export type HealthState = DeviceHealth['state'];
export type PrintJob = Devices['jobs'][number];
export type JobState = PrintJob['state'];
export type AuditEntry = Devices['audit'][number];
export type TestOutcome = Devices['test'];
export type SerialPortInfo = Devices['ports'][number];

export const HEALTH_STATES = ['ready', 'connecting', 'warning', 'fault', 'disconnected', 'disabled'] as const satisfies readonly HealthState[];
export const JOB_STATES = ['queued', 'held', 'sending', 'written', 'confirmed', 'uncertain', 'failed', 'cancelled'] as const satisfies readonly JobState[];
