/**
 * This desk's devices for the UI: the Devices page (configure, health, Test), the print queue
 * (reprint or dismiss a ticket that may not have printed), the gate's audit, and a live event
 * stream the status bar and the page turn into refetches. Configuration needs 'device.manage'
 * (admin and up); using a device needs 'device.use' (every role).
 */
import { EventEmitter, on } from 'node:events';
import { z } from 'zod';
import type { DeviceConfigInput } from '../../../core/devices/device-config';
import { AppError } from '../../../core/errors';
import type { Actor } from '../../../core/mutator';
import { can, type Permission } from '../../../core/permissions';
import { listSerialPorts, withTimeout } from '../../../devices/transport';
import type { DeviceEvent } from '../devices/device-manager';
import { deskProcedure, router, validatedByMutator } from './trpc';

function allowed(actor: Actor, permission: Permission): { staffId: string } {
  if (!can(actor.role, permission)) throw new AppError('FORBIDDEN', 'errors.forbidden', { permission });
  return { staffId: actor.staffId };
}

const Id = z.object({ id: z.string().min(1).max(64) });
const JobId = z.object({ jobId: z.string().min(1).max(64) });

export const devicesRouter = router({
  list: deskProcedure.query(({ ctx }) => ctx.devices.list()),

  /** Serial ports on this machine (USB adapters, built-in ports), for the port picker. */
  ports: deskProcedure.query(async () => {
    const ports = await withTimeout(listSerialPorts(), 5000, () => new AppError('DEVICE_TIMEOUT', 'errors.device.listTimeout'));
    return ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null, vendorId: p.vendorId ?? null, productId: p.productId ?? null }));
  }),

  add: deskProcedure.input(validatedByMutator<DeviceConfigInput>()).mutation(({ ctx, input }) => {
    allowed(ctx.actor, 'device.manage');
    return ctx.devices.add(input);
  }),

  update: deskProcedure
    .input(validatedByMutator<{ id: string; config: DeviceConfigInput }>())
    .mutation(({ ctx, input }) => {
      allowed(ctx.actor, 'device.manage');
      const { id, config } = z.object({ id: z.string().min(1), config: z.unknown() }).parse(input);
      return ctx.devices.update(id, config as DeviceConfigInput);
    }),

  remove: deskProcedure.input(Id).mutation(({ ctx, input }) => ctx.devices.remove(input.id, allowed(ctx.actor, 'device.manage'))),

  test: deskProcedure.input(Id).mutation(({ ctx, input }) => ctx.devices.test(input.id, allowed(ctx.actor, 'device.use'))),

  openGate: deskProcedure.input(Id).mutation(({ ctx, input }) =>
    ctx.devices.openGate(input.id, { reason: 'staff-button', by: allowed(ctx.actor, 'device.use').staffId }),
  ),

  jobs: deskProcedure
    .input(z.object({ deviceId: z.string().min(1), limit: z.number().int().min(1).max(200).default(30) }))
    .query(({ ctx, input }) => ctx.devices.jobs(input.deviceId, input.limit)),

  reprint: deskProcedure.input(JobId).mutation(({ ctx, input }) => ctx.devices.reprint(input.jobId, allowed(ctx.actor, 'device.use'))),
  dismiss: deskProcedure.input(JobId).mutation(({ ctx, input }) => ctx.devices.dismiss(input.jobId, allowed(ctx.actor, 'device.use'))),
  cancelJob: deskProcedure.input(JobId).mutation(({ ctx, input }) => ctx.devices.cancelJob(input.jobId, allowed(ctx.actor, 'device.use'))),

  audit: deskProcedure
    .input(z.object({ deviceId: z.string().min(1), limit: z.number().int().min(1).max(200).default(30) }))
    .query(({ ctx, input }) => ctx.devices.audit(input.deviceId, input.limit)),

  /** Health changes, job progress, audit entries and scans as they happen. */
  onEvent: deskProcedure.subscription(async function* ({ ctx, signal }) {
    const emitter = new EventEmitter();
    const off = ctx.devices.on((e) => emitter.emit('event', e));
    try {
      for await (const [e] of on(emitter, 'event', { signal })) yield e as DeviceEvent;
    } catch (e) {
      if (!signal?.aborted) throw e;
    } finally {
      off();
    }
  }),
});
