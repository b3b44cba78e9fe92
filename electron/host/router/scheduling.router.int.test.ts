/**
 * The scheduling router through a tRPC caller on a real replica file: what the calendar receives
 * for a week (columns, working time to shade, bookings with their resources, sessions with seats
 * left), "find a slot" offering only slots that then book without a conflict, the booking drawer's
 * history after a reschedule, ids made by the host, and refusals arriving as AppErrors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/mutator';
import { at, weekly, WEEKDAYS, EVERY_DAY } from '../../../core/scheduling/scheduling.fixtures';
import { DeviceManager } from '../devices/device-manager';
import { DeviceStore } from '../devices/device-store';
import { DeskSync } from '../sync/desk-sync';
import { DeskSession } from '../auth/desk-session';
import type { Replica } from '../replica/replica';
import { openTestReplica } from '../testing';
import { appRouter } from './app.router';

const SH = 'Asia/Shanghai';
const MON = '2026-11-23';
const t = (hhmm: string, date = MON) => at(date, hhmm, SH);

const open: Replica[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function desk() {
  const base = await openTestReplica();
  open.push(base.replica);
  const { replica, clock, owner, ids } = base;
  // A desk working alone: its sync is never started.
  const sync = new DeskSync(replica, { clock, ids });
  const session = new DeskSession(replica, () => owner, () => clock.now());
  const devices = new DeviceManager({ store: new DeviceStore(replica.sqlite), newId: () => replica.newId(), now: () => replica.now(), organizationId: () => owner.organizationId });
  const caller = (actor: Actor = owner) => appRouter.createCaller({ replica, devices, sync, session, actor, authorized: true });
  const api = caller();
  const siteId = (replica.sqlite.prepare('SELECT id FROM sites').get() as { id: string }).id;
  await api.scheduling.mutate({ name: 'site.updateSettings', args: { siteId, patch: { openingHours: weekly([1, 2, 3, 4, 5, 6], '09:00-18:00'), granularityMinutes: 15 } } });
  const created = async (name: 'resource.create', args: Record<string, unknown>) => {
    await api.scheduling.mutate({ name, args: args as never });
    return (replica.sqlite.prepare('SELECT id FROM resources ORDER BY rowid DESC LIMIT 1').get() as { id: string }).id;
  };
  const wang = await created('resource.create', { siteId, kind: 'practitioner', name: 'Dr Wang', schedule: { schedules: [{ ranges: weekly(WEEKDAYS, '09:00-12:00') }] } });
  const room = await created('resource.create', { siteId, kind: 'room', name: 'Room 1', schedule: { schedules: [{ ranges: weekly(EVERY_DAY, '00:00-24:00') }] } });
  await api.scheduling.mutate({
    name: 'service.create',
    args: { siteId, name: 'Consultation', durationMinutes: 30, bufferAfterMinutes: 15, price: { amountMinor: 5000, currency: 'CNY' }, resourceKinds: ['practitioner', 'room'] },
  });
  const consult = (replica.sqlite.prepare('SELECT id FROM services').get() as { id: string }).id;
  const customer = (await api.customers.create({ name: '张三', phone: '13800138000' } as never)) as { id: string };
  clock.set(t('08:00'));
  return { ...base, api, caller, siteId, wang, room, consult, ann: customer.id };
}

describe('scheduling router', () => {
  it('gives the calendar its columns, working time, bookings with resources, and refuses a double booking in plain words', async () => {
    const d = await desk();
    const booked = (await d.api.scheduling.mutate({ name: 'booking.create', args: { serviceId: d.consult, customerId: d.ann, start: t('09:00') } })) as { id: string };
    expect(booked.id).toMatch(/^[0-9a-f-]{36}$/);

    const week = await d.api.scheduling.calendar({ siteId: d.siteId, from: MON, to: '2026-11-29' });
    expect(week.resources.map((r) => r.name).sort()).toEqual(['Dr Wang', 'Room 1']);
    const wang = week.resources.find((r) => r.id === d.wang)!;
    // Mon–Fri 09:00–12:00 only.
    expect(wang.working).toHaveLength(5);
    expect(wang.working[0]).toEqual({ start: t('09:00'), end: t('12:00') });
    expect(week.bookings).toHaveLength(1);
    expect(week.bookings[0]).toMatchObject({ id: booked.id, customerName: '张三', serviceName: 'Consultation', status: 'confirmed', bufferAfterMinutes: 15 });
    expect(week.bookings[0]!.resourceIds.sort()).toEqual([d.wang, d.room].sort());
    // Sunday is closed at the site.
    expect(week.siteOpen.some((o) => o.start >= t('00:00', '2026-11-29'))).toBe(false);

    // 09:30 falls in the first booking's buffer (09:30–09:45).
    await expect(
      d.api.scheduling.mutate({
        name: 'booking.create',
        args: { serviceId: d.consult, customerId: d.ann, start: t('09:30'), resourceIds: [d.wang, d.room], acknowledgeCustomerOverlap: true },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', cause: { key: 'errors.booking.resourceBusy' } });
    // Without a choice of resources, the desk looks for free ones and says there are none.
    await expect(
      d.api.scheduling.mutate({ name: 'booking.create', args: { serviceId: d.consult, customerId: d.ann, start: t('09:30'), acknowledgeCustomerOverlap: true } }),
    ).rejects.toMatchObject({ cause: { key: 'errors.booking.noFreeResource' } });
    expect(d.replica.sqlite.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 1 });
  });

  it('offers with "find a slot" only starts that then book without a conflict', async () => {
    const d = await desk();
    await d.api.scheduling.mutate({ name: 'booking.create', args: { serviceId: d.consult, customerId: d.ann, start: t('09:00') } });
    const slots = await d.api.scheduling.findSlots({ siteId: d.siteId, serviceId: d.consult, limit: 4 });
    // 09:00 is taken with its buffer until 09:45; the 15-minute grid gives 09:45 next.
    expect(slots.map((s) => s.start)).toEqual([t('09:45'), t('10:00'), t('10:15'), t('10:30')]);
    for (const s of slots.slice(0, 1)) {
      await expect(
        d.api.scheduling.mutate({ name: 'booking.create', args: { serviceId: d.consult, customerId: d.ann, start: s.start, resourceIds: s.resourceIds, acknowledgeCustomerOverlap: true } }),
      ).resolves.toMatchObject({ status: 'confirmed' });
    }
    const afternoon = await d.api.scheduling.findSlots({ siteId: d.siteId, serviceId: d.consult, partOfDay: 'afternoon', limit: 1 });
    // Dr Wang works mornings only: no afternoon slot in the next two weeks.
    expect(afternoon).toEqual([]);
  });

  it('keeps the history of a reschedule and a cancellation for the booking drawer', async () => {
    const d = await desk();
    const { id } = (await d.api.scheduling.mutate({ name: 'booking.create', args: { serviceId: d.consult, customerId: d.ann, start: t('09:00') } })) as { id: string };
    await d.api.scheduling.mutate({ name: 'booking.reschedule', args: { id, start: t('10:00'), reason: 'patient asked' } });
    await d.api.scheduling.mutate({ name: 'booking.transition', args: { id, to: 'cancelled', cancelledBy: 'customer', reason: 'feeling better' } });
    const detail = await d.api.scheduling.booking({ id });
    expect(detail).toMatchObject({ status: 'cancelled', start: t('10:00'), cancelReason: 'feeling better', cancelledBy: 'customer' });
    expect(detail.history.map((h) => h.type)).toEqual(['created', 'rescheduled', 'status']);
    expect(detail.history[1]).toMatchObject({ reason: 'patient asked' });
    expect((detail.history[1]!.before as { start: number }).start).toBe(t('09:00'));
  });

  it('previews a weekly series with its conflicts and saves it with host-made ids', async () => {
    const d = await desk();
    await d.api.scheduling.mutate({ name: 'booking.create', args: { serviceId: d.consult, customerId: d.ann, start: t('09:00', '2026-12-07') } });
    const preview = await d.api.scheduling.previewSeries({ serviceId: d.consult, customerId: d.ann, firstStart: t('09:00'), count: 4, acknowledgeCustomerOverlap: true });
    expect(preview.occurrences.map((o) => o.status)).toEqual(['ok', 'ok', 'conflict', 'ok']);
    await expect(d.api.scheduling.createSeries({ serviceId: d.consult, customerId: d.ann, firstStart: t('09:00'), count: 4, acknowledgeCustomerOverlap: true })).rejects.toBeTruthy();
    await d.api.scheduling.createSeries({ serviceId: d.consult, customerId: d.ann, firstStart: t('09:00'), count: 4, acknowledgeCustomerOverlap: true, skipConflicts: true });
    const series = d.replica.sqlite.prepare('SELECT count(*) AS n, count(DISTINCT series_id) AS s FROM bookings WHERE series_id IS NOT NULL').get();
    expect(series).toEqual({ n: 3, s: 1 });
  });

  it('lists the waitlist with an offer the host made the hold id for, and the booked entry on request', async () => {
    const d = await desk();
    const bob = (await d.api.customers.create({ name: '李四', phone: '13800138001' } as never)) as { id: string };
    const { id: entryId } = (await d.api.scheduling.mutate({ name: 'waitlist.add', args: { customerId: bob.id, serviceId: d.consult, urgent: true } })) as { id: string };
    const offered = (await d.api.scheduling.mutate({
      name: 'waitlist.offer',
      args: { id: entryId, target: { resourceIds: [d.wang, d.room], start: t('10:00'), end: t('10:30') } },
    })) as { holdId: string; expiresAt: number };
    expect(offered.holdId).toMatch(/^[0-9a-f-]{36}$/);

    const [entry] = await d.api.scheduling.waitlist({ siteId: d.siteId });
    expect(entry).toMatchObject({ id: entryId, customerName: '李四', serviceName: 'Consultation', status: 'offered', urgent: true, bookingId: null });
    expect(entry!.offer).toEqual({ holdId: offered.holdId, start: t('10:00'), end: t('10:30'), resourceIds: [d.wang, d.room], sessionId: null, expiresAt: offered.expiresAt });

    const booked = (await d.api.scheduling.mutate({
      name: 'booking.create',
      args: { serviceId: d.consult, customerId: bob.id, start: t('10:00'), resourceIds: [d.wang, d.room], holdId: offered.holdId },
    })) as { id: string };
    expect(await d.api.scheduling.waitlist({ siteId: d.siteId })).toEqual([]);
    const closed = await d.api.scheduling.waitlist({ siteId: d.siteId, statuses: ['booked', 'removed'] });
    expect(closed).toMatchObject([{ id: entryId, status: 'booked', bookingId: booked.id, offer: null }]);
  });

  it('refuses a calendar window longer than six weeks', async () => {
    const d = await desk();
    await expect(d.api.scheduling.calendar({ siteId: d.siteId, from: '2026-01-01', to: '2026-12-31' })).rejects.toMatchObject({ cause: { key: 'errors.calendar.rangeTooLong', params: { days: 42 } } });
  });
});
