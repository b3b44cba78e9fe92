/**
 * Scheduling through the replica: every mutator runs with Replica.mutate on a real SQLite file,
 * so each test sees what a desk would: the rows, the outbox, and the refusals (each one checked
 * to leave every scheduling table and the outbox exactly as they were).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../../../core/errors';
import type { Actor } from '../../../core/mutator';
import type { Tx } from '../../../core/db-schema';
import type { BookingResult } from '../../../core/scheduling/booking.mutators';
import { previewBookingSeries } from '../../../core/scheduling/booking.mutators';
import { bookingOverlapQuery, customerOverlapQuery, sessionOverlapQuery } from '../../../core/scheduling/booking.queries';
import { previewCloseNow } from '../../../core/scheduling/site.mutators';
import { at, EVERY_DAY, weekly, WEEKDAYS } from '../../../core/scheduling/scheduling.fixtures';
import { HOUR_MS, MINUTE_MS } from '../../../core/scheduling/zoned-time';
import { openTestReplica } from '../testing';
import type { Replica } from './replica';

const SH = 'Asia/Shanghai';
const MON = '2026-11-23';
const TUE = '2026-11-24';
const SUN = '2026-11-29';
const t = (hhmm: string, date = MON) => at(date, hhmm, SH);

const open: Replica[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const TABLES = [
  'sites',
  'customers',
  'site_closures',
  'resources',
  'services',
  'class_sessions',
  'session_resources',
  'bookings',
  'booking_resources',
  'booking_events',
  'holds',
  'waitlist_entries',
  'outbox',
];

/** Every row of every table a scheduling mutator may write, in a stable order. */
function snapshot(r: Replica): Record<string, string[]> {
  return Object.fromEntries(TABLES.map((name) => [name, r.sqlite.prepare(`SELECT * FROM ${name}`).all().map((row) => JSON.stringify(row)).sort()]));
}

function count(r: Replica, sql: string, ...params: unknown[]): number {
  return (r.sqlite.prepare(`SELECT count(*) AS n FROM ${sql}`).get(...params) as { n: number }).n;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (AppError.is(e)) return e;
    throw e;
  }
  throw new Error('expected the mutation to be refused');
}

async function clinic() {
  const base = await openTestReplica();
  open.push(base.replica);
  const { replica, clock, ids, owner } = base;
  const siteId = (replica.sqlite.prepare('SELECT id FROM sites').get() as { id: string }).id;
  const frontDesk: Actor = { ...owner, role: 'front_desk', staffId: ids.newId() };
  const otherDesk: Actor = { ...owner, role: 'front_desk', staffId: ids.newId() };
  const manager: Actor = { ...owner, role: 'booking_manager', staffId: ids.newId() };
  const m = <R = unknown>(name: string, args: unknown, actor: Actor = owner) => replica.mutate<R>(name, args, actor);

  await m('site.updateSettings', { siteId, patch: { openingHours: weekly([1, 2, 3, 4, 5, 6], '09:00-18:00'), granularityMinutes: 15 } });
  const resource = async (kind: string, name: string, hours = weekly(WEEKDAYS, '09:00-17:00')) => {
    const id = ids.newId();
    await m('resource.create', { id, siteId, kind, name, schedule: { schedules: [{ ranges: hours }] } });
    return id;
  };
  const wang = await resource('practitioner', 'Dr Wang');
  const li = await resource('practitioner', 'Dr Li');
  const room1 = await resource('room', 'Room 1', weekly(EVERY_DAY, '00:00-24:00'));
  const room2 = await resource('room', 'Room 2', weekly(EVERY_DAY, '00:00-24:00'));
  const coach = await resource('coach', 'Coach Zhou');
  const studio = await resource('studio', 'Studio', weekly(EVERY_DAY, '00:00-24:00'));
  const consult = ids.newId();
  await m('service.create', {
    id: consult,
    siteId,
    name: 'Consultation',
    durationMinutes: 30,
    bufferAfterMinutes: 10,
    price: { amountMinor: 5000, currency: 'CNY' },
    resourceKinds: ['practitioner', 'room'],
  });
  const yoga = ids.newId();
  await m('service.create', {
    id: yoga,
    siteId,
    name: 'Yoga',
    durationMinutes: 60,
    seats: 3,
    price: { amountMinor: 8000, currency: 'CNY' },
    resourceKinds: ['coach', 'studio'],
  });
  const customer = async (name: string, phone: string) => {
    const id = ids.newId();
    await m('customer.create', { id, name, phone });
    return id;
  };
  const ann = await customer('Ann', '13700000001');
  const bob = await customer('Bob', '13700000002');
  const cat = await customer('Cat', '13700000003');
  const dan = await customer('Dan', '13700000004');
  // Monday 08:00 at the site.
  clock.set(t('08:00'));

  const book = (args: Record<string, unknown>, actor: Actor = frontDesk) =>
    m<BookingResult>('booking.create', { id: ids.newId(), serviceId: consult, customerId: ann, ...args }, actor);
  const session = async (start: number, rest: Record<string, unknown> = {}) => {
    const id = ids.newId();
    await m('classSession.create', { id, serviceId: yoga, start, coachId: coach, roomId: studio, ...rest });
    return id;
  };
  /** Refused with this code and key, and nothing at all written. */
  const refused = async (p: () => Promise<unknown>, code: string, key: string): Promise<AppError> => {
    const before = snapshot(replica);
    const err = await rejection(p());
    expect({ code: err.code, key: err.key }).toEqual({ code, key });
    expect(snapshot(replica)).toEqual(before);
    return err;
  };
  return { ...base, siteId, frontDesk, otherDesk, manager, m, wang, li, room1, room2, coach, studio, consult, yoga, ann, bob, cat, dan, book, session, refused };
}

type Clinic = Awaited<ReturnType<typeof clinic>>;

describe('booking.create', () => {
  it('books an appointment with its resource blocks, history and outbox entry', async () => {
    const c = await clinic();
    const outbox = count(c.replica, 'outbox');
    const r = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    expect(r).toMatchObject({ status: 'confirmed', start: t('10:00'), end: t('10:30'), resourceIds: [c.wang, c.room1], warnings: [] });
    const row = c.replica.sqlite.prepare('SELECT status, source, price_minor, currency, buffer_after_minutes, version FROM bookings WHERE id = ?').get(r.id);
    expect(row).toEqual({ status: 'confirmed', source: 'desk', price_minor: 5000, currency: 'CNY', buffer_after_minutes: 10, version: 1 });
    // Blocked until 10:40: the 10 minutes of cleaning after the appointment.
    expect(c.replica.sqlite.prepare('SELECT resource_id, blocked_start, blocked_end, active FROM booking_resources WHERE booking_id = ? ORDER BY resource_id').all(r.id)).toEqual(
      [c.wang, c.room1].sort().map((id) => ({ resource_id: id, blocked_start: t('10:00'), blocked_end: t('10:40'), active: 1 })),
    );
    expect(count(c.replica, "booking_events WHERE booking_id = ? AND type = 'created'", r.id)).toBe(1);
    expect(count(c.replica, 'outbox')).toBe(outbox + 1);
  });

  it('tells the windows which tables changed, so calendars refresh', async () => {
    const c = await clinic();
    const seen: string[][] = [];
    c.replica.onChange((e) => seen.push(e.tables));
    await c.book({ start: t('10:00') });
    expect(seen[0]).toEqual(expect.arrayContaining(['bookings', 'booking_resources', 'holds', 'waitlist_entries']));
  });

  it('picks the first free practitioner and room when none are chosen, and online bookings wait for confirmation', async () => {
    const c = await clinic();
    await c.book({ start: t('10:00'), resourceIds: [c.li, c.room1] });
    const r = await c.book({ start: t('10:00'), customerId: c.bob, source: 'online' });
    // Name order: Dr Li before Dr Wang, Room 1 before Room 2; Dr Li and Room 1 are taken.
    expect(r.resourceIds).toEqual([c.wang, c.room2]);
    expect(r.status).toBe('pending');
  });

  type Case = [string, (c: Clinic) => Promise<unknown>, (c: Clinic) => Promise<unknown>, string, string];
  const nothing = async () => undefined;
  const cases: Case[] = [
    ['an overlap on a resource, buffers included', (c) => c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] }), (c) => c.book({ customerId: c.bob, start: t('10:30'), resourceIds: [c.wang, c.room2] }), 'CONFLICT', 'errors.booking.resourceBusy'],
    [
      'a live hold made at another desk',
      (c) => c.m('hold.create', { id: c.ids.newId(), siteId: c.siteId, target: { resourceIds: [c.wang], start: t('11:00'), end: t('11:30') } }, c.otherDesk),
      (c) => c.book({ start: t('11:00'), resourceIds: [c.wang, c.room1] }),
      'CONFLICT',
      'errors.booking.held',
    ],
    ['the customer already booked at an overlapping time', (c) => c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] }), (c) => c.book({ start: t('10:15'), resourceIds: [c.li, c.room2] }), 'CONFLICT', 'errors.booking.customerDoubleBooked'],
    ['a blacklisted customer, at the front desk', (c) => c.m('customer.setBlacklist', { id: c.ann, blacklisted: true, reason: 'unpaid' }, c.manager), (c) => c.book({ start: t('10:00') }), 'FORBIDDEN', 'errors.booking.customerBlacklisted'],
    [
      'a blacklisted customer, by a manager without a reason',
      (c) => c.m('customer.setBlacklist', { id: c.ann, blacklisted: true, reason: 'unpaid' }, c.manager),
      (c) => c.book({ start: t('10:00') }, c.manager),
      'INVALID',
      'errors.booking.overrideReasonRequired',
    ],
    ['less than the minimum notice', (c) => c.m('service.update', { id: c.consult, patch: { minNoticeMinutes: 180 } }), (c) => c.book({ start: t('10:00') }), 'CONFLICT', 'errors.booking.minNotice'],
    ['beyond the maximum advance', nothing, (c) => c.book({ start: t('10:00', '2027-03-03') }), 'CONFLICT', 'errors.booking.maxAdvance'],
    ['a time in the past', nothing, (c) => c.book({ start: t('07:00') }), 'CONFLICT', 'errors.booking.inPast'],
    ['outside the practitioner’s hours', nothing, (c) => c.book({ start: t('17:00'), resourceIds: [c.wang, c.room1] }), 'CONFLICT', 'errors.booking.outsideWorkingHours'],
    ['a Sunday, when the site is closed', nothing, (c) => c.book({ start: t('10:00', SUN), resourceIds: [c.wang, c.room1] }), 'CONFLICT', 'errors.booking.siteClosed'],
    ['a public holiday', (c) => c.m('site.setSpecialDay', { siteId: c.siteId, date: MON, kind: 'holiday', name: '公司年会' }), (c) => c.book({ start: t('10:00') }), 'CONFLICT', 'errors.booking.siteClosed'],
    [
      'an emergency closure',
      (c) => c.m('site.closeNow', { id: c.ids.newId(), siteId: c.siteId, end: t('12:00'), reason: 'Power cut' }, c.manager),
      (c) => c.book({ start: t('11:45'), resourceIds: [c.wang, c.room1] }),
      'CONFLICT',
      'errors.booking.siteClosed',
    ],
    ['resources of the wrong kinds', nothing, (c) => c.book({ start: t('10:00'), resourceIds: [c.wang, c.li] }), 'INVALID', 'errors.booking.resourceKinds'],
    ['a retired resource', (c) => c.m('resource.update', { id: c.wang, patch: { active: false } }), (c) => c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] }), 'CONFLICT', 'errors.resource.inactive'],
    ['a start off the 15-minute grid', nothing, (c) => c.book({ start: t('10:05') }), 'INVALID', 'errors.booking.offGrid'],
    ['a group class booked by time instead of by session', nothing, (c) => c.book({ serviceId: c.yoga, start: t('10:00') }), 'INVALID', 'errors.booking.groupNeedsSession'],
    ['nobody free', (c) => c.m('resource.update', { id: c.li, patch: { active: false } }).then(() => c.book({ customerId: c.bob, start: t('10:00') })), (c) => c.book({ start: t('10:15') }), 'CONFLICT', 'errors.booking.noFreeResource'],
  ];

  it.each(cases)('refuses %s and writes nothing', async (_label, prepare, attempt, code, key) => {
    const c = await clinic();
    await prepare(c);
    await c.refused(() => attempt(c), code, key);
  });

  it('books a double booking the user acknowledged, and says so', async () => {
    const c = await clinic();
    const first = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    const r = await c.book({ start: t('10:15'), resourceIds: [c.li, c.room2], acknowledgeCustomerOverlap: true });
    expect(r.warnings).toEqual([{ key: 'errors.booking.customerDoubleBooked', params: { bookingId: first.id, start: t('10:00'), end: t('10:30') } }]);
  });

  it('lets a booking manager book a blacklisted customer with a reason, and keeps it', async () => {
    const c = await clinic();
    await c.m('customer.setBlacklist', { id: c.ann, blacklisted: true, reason: 'unpaid' }, c.manager);
    const r = await c.book({ start: t('10:00'), overrideReason: 'Paid at the desk today' }, c.manager);
    expect(r.warnings.map((w) => w.key)).toEqual(['errors.booking.customerBlacklisted']);
    expect(c.replica.sqlite.prepare('SELECT override_reason FROM bookings WHERE id = ?').get(r.id)).toEqual({ override_reason: 'Paid at the desk today' });
  });

  it('opens a 调休 Sunday like the Monday it replaces, for the site and the rota', async () => {
    const c = await clinic();
    await c.refused(() => c.book({ start: t('10:00', SUN), resourceIds: [c.wang, c.room1] }), 'CONFLICT', 'errors.booking.siteClosed');
    await c.m('site.setSpecialDay', { siteId: c.siteId, date: SUN, kind: 'workday', worksLike: 1 });
    const r = await c.book({ start: t('10:00', SUN), resourceIds: [c.wang, c.room1] });
    expect(r.start).toBe(t('10:00', SUN));
  });

  it('refuses an action the role does not hold, and staff of another site', async () => {
    const c = await clinic();
    await c.refused(
      () => c.m('service.create', { id: c.ids.newId(), siteId: c.siteId, name: 'X', durationMinutes: 30, price: { amountMinor: 1, currency: 'CNY' }, resourceKinds: ['room'] }, c.frontDesk),
      'FORBIDDEN',
      'errors.forbidden',
    );
    const elsewhere = { ...c.frontDesk, siteId: c.ids.newId() };
    await c.refused(() => c.book({ start: t('10:00') }, elsewhere), 'FORBIDDEN', 'errors.site.forbidden');
  });
});

describe('bad input', () => {
  async function issueKeys(p: Promise<unknown>): Promise<string[]> {
    const e = await rejection(p);
    expect(e.code).toBe('INVALID');
    return e.issues.map((i) => `${i.path.join('.')}:${i.key}`);
  }

  it('is refused at the field: negative price, unknown zone, overlapping hours, holiday that is also a workday', async () => {
    const c = await clinic();
    const before = snapshot(c.replica);
    const service = { id: c.ids.newId(), siteId: c.siteId, name: 'X', durationMinutes: 30, resourceKinds: ['room'] };
    expect(await issueKeys(c.m('service.create', { ...service, price: { amountMinor: -100, currency: 'CNY' } }))).toEqual(['price.amountMinor:errors.service.price']);
    expect(await issueKeys(c.m('site.updateSettings', { siteId: c.siteId, patch: { timeZone: 'Mars/Olympus_Mons' } }))).toEqual(['patch.timeZone:errors.timeZone.unknown']);
    const overlapping = { schedules: [{ ranges: [...weekly([1], '09:00-12:00'), ...weekly([1], '11:00-14:00')] }] };
    expect(await issueKeys(c.m('resource.create', { id: c.ids.newId(), siteId: c.siteId, kind: 'room', name: 'R', schedule: overlapping }))).toEqual([
      'schedule.schedules.0.ranges.1:errors.schedule.overlap',
    ]);
    expect(
      await issueKeys(c.m('site.updateSettings', { siteId: c.siteId, patch: { holidays: [{ date: SUN }], workdayOverrides: [{ date: SUN, worksLike: 1 }] } })),
    ).toEqual(['workdayOverrides.0.date:errors.schedule.holidayWorkday']);
    expect(await issueKeys(c.m('booking.transition', { id: c.ids.newId(), to: 'cancelled', cancelledBy: 'customer' }))).toEqual(['reason:errors.booking.cancelReasonRequired']);
    expect(snapshot(c.replica)).toEqual(before);
  });

  it('refuses a hold that ends before it starts, or blocks longer than the overlap check can see', async () => {
    const c = await clinic();
    const hold = (start: number, end: number) => () => c.m('hold.create', { id: c.ids.newId(), siteId: c.siteId, target: { resourceIds: [c.room1], start, end } });
    await c.refused(hold(t('11:00'), t('10:00')), 'INVALID', 'errors.schedule.endBeforeStart');
    await c.refused(hold(t('10:00'), t('10:00') + 33 * HOUR_MS), 'INVALID', 'errors.booking.tooLong');
  });
});

describe('group sessions', () => {
  it('never sells more seats than the class has, and a freed seat can be taken again', async () => {
    const c = await clinic();
    const s = await c.session(t('16:00'));
    const seat = (customerId: string) => c.book({ serviceId: c.yoga, sessionId: s, customerId, start: undefined });
    const first = await seat(c.ann);
    await seat(c.bob);
    await seat(c.cat);
    const err = await c.refused(() => seat(c.dan), 'CONFLICT', 'errors.session.full');
    expect(err.params).toEqual({ seatsLeft: 0 });
    await c.refused(() => seat(c.ann), 'CONFLICT', 'errors.booking.alreadyInSession');
    await c.m('booking.transition', { id: first.id, to: 'cancelled', cancelledBy: 'customer', reason: 'Sick' }, c.frontDesk);
    expect((await seat(c.dan)).sessionId).toBe(s);
    expect(count(c.replica, "bookings WHERE session_id = ? AND status = 'confirmed'", s)).toBe(3);
  });

  it('counts live seat holds, and a party books several seats at once', async () => {
    const c = await clinic();
    const s = await c.session(t('16:00'));
    await c.m('hold.create', { id: c.ids.newId(), siteId: c.siteId, target: { sessionId: s, seats: 2 } }, c.otherDesk);
    await c.refused(() => c.book({ serviceId: c.yoga, sessionId: s, seats: 2 }), 'CONFLICT', 'errors.session.full');
    await c.book({ serviceId: c.yoga, sessionId: s, seats: 1 });
    c.clock.advance(15 * MINUTE_MS);
    // The hold ran out: its two seats are free again.
    await c.book({ serviceId: c.yoga, sessionId: s, seats: 2, customerId: c.bob });
  });

  it('refuses fewer seats than are booked, on the session and on the service it follows', async () => {
    const c = await clinic();
    const s = await c.session(t('16:00'));
    for (const customerId of [c.ann, c.bob, c.cat]) await c.book({ serviceId: c.yoga, sessionId: s, customerId });
    await c.refused(() => c.m('classSession.update', { id: s, patch: { seats: 2 } }), 'CONFLICT', 'errors.session.seatsBelowBooked');
    await c.refused(() => c.m('service.update', { id: c.yoga, patch: { seats: 2 } }), 'CONFLICT', 'errors.service.seatsBelowBooked');
    await c.m('classSession.update', { id: s, patch: { seats: 5 } });
    await c.m('service.update', { id: c.yoga, patch: { seats: 2 } });
    await c.book({ serviceId: c.yoga, sessionId: s, customerId: c.dan });
  });

  it('never offers more seats than the room holds', async () => {
    const c = await clinic();
    await c.m('resource.update', { id: c.studio, patch: { capacity: 2 } });
    await c.refused(() => c.session(t('16:00')), 'INVALID', 'errors.session.roomCapacity');
    await c.session(t('16:00'), { seats: 2 });
  });

  it('holds its coach and room, so nothing else can be booked on them', async () => {
    const c = await clinic();
    await c.session(t('16:00'));
    await c.refused(() => c.session(t('15:30')), 'CONFLICT', 'errors.booking.resourceBusy');
    await c.refused(() => c.session(t('16:30')), 'CONFLICT', 'errors.booking.outsideWorkingHours');
    await c.refused(() => c.session(t('10:00'), { coachId: c.wang }), 'INVALID', 'errors.booking.resourceKinds');
  });

  it('moves its bookings when it moves, and cancels them when it is cancelled', async () => {
    const c = await clinic();
    const s = await c.session(t('15:00'));
    const b = await c.book({ serviceId: c.yoga, sessionId: s });
    const moved = await c.m<{ movedBookings: string[] }>('classSession.update', { id: s, patch: { start: t('14:00') } });
    expect(moved.movedBookings).toEqual([b.id]);
    expect(c.replica.sqlite.prepare('SELECT start_at, end_at, version FROM bookings WHERE id = ?').get(b.id)).toEqual({ start_at: t('14:00'), end_at: t('15:00'), version: 2 });
    const cancelled = await c.m<{ cancelledBookings: { id: string }[] }>('classSession.cancel', { id: s, reason: 'Coach ill' });
    expect(cancelled.cancelledBookings.map((x) => x.id)).toEqual([b.id]);
    expect(c.replica.sqlite.prepare('SELECT status, cancelled_by, late_cancel FROM bookings WHERE id = ?').get(b.id)).toEqual({ status: 'cancelled', cancelled_by: 'staff', late_cancel: 0 });
    // The coach is free again.
    await c.session(t('14:00'));
  });
});

describe('the booking state machine', () => {
  const go = (c: Clinic, id: string, to: string, rest: Record<string, unknown> = {}) =>
    c.m<{ lateCancel: boolean }>('booking.transition', { id, to, ...rest }, c.frontDesk);

  it('follows confirmed → arrived → inService → completed, recording each step', async () => {
    const c = await clinic();
    const { id } = await c.book({ start: t('10:00') });
    for (const to of ['arrived', 'inService', 'completed']) await go(c, id, to);
    const events = c.replica.sqlite.prepare('SELECT version, type, from_status, to_status FROM booking_events WHERE booking_id = ? ORDER BY version').all(id);
    expect(events).toEqual([
      { version: 1, type: 'created', from_status: null, to_status: 'confirmed' },
      { version: 2, type: 'status', from_status: 'confirmed', to_status: 'arrived' },
      { version: 3, type: 'status', from_status: 'arrived', to_status: 'inService' },
      { version: 4, type: 'status', from_status: 'inService', to_status: 'completed' },
    ]);
    // A completed booking still holds its time on the calendar.
    expect(count(c.replica, 'booking_resources WHERE booking_id = ? AND active = 1', id)).toBe(2);
  });

  it('refuses illegal transitions and writes nothing', async () => {
    const c = await clinic();
    const { id } = await c.book({ start: t('10:00') });
    await c.refused(() => go(c, id, 'completed'), 'CONFLICT', 'errors.booking.illegalTransition');
    await c.refused(() => go(c, id, 'noShow'), 'CONFLICT', 'errors.booking.noShowTooEarly');
    await go(c, id, 'arrived');
    await c.refused(() => go(c, id, 'noShow'), 'CONFLICT', 'errors.booking.illegalTransition');
    await go(c, id, 'cancelled', { cancelledBy: 'customer', reason: 'Left' });
    for (const to of ['confirmed', 'arrived', 'completed', 'cancelled']) {
      await c.refused(() => go(c, id, to, { cancelledBy: 'staff', reason: 'again' }), 'CONFLICT', 'errors.booking.illegalTransition');
    }
  });

  it('flags a customer’s cancellation inside the late-cancel window, never the staff’s', async () => {
    const c = await clinic();
    const soon = await c.book({ start: t('10:00') });
    const later = await c.book({ start: t('10:00', TUE), customerId: c.bob });
    const staff = await c.book({ start: t('11:00'), customerId: c.cat });
    expect((await go(c, soon.id, 'cancelled', { cancelledBy: 'customer', reason: 'Busy' })).lateCancel).toBe(true);
    expect((await go(c, later.id, 'cancelled', { cancelledBy: 'customer', reason: 'Busy' })).lateCancel).toBe(false);
    expect((await go(c, staff.id, 'cancelled', { cancelledBy: 'staff', reason: 'Doctor ill' })).lateCancel).toBe(false);
    expect(c.replica.sqlite.prepare('SELECT late_cancel, cancel_reason, cancelled_by FROM bookings WHERE id = ?').get(soon.id)).toEqual({
      late_cancel: 1,
      cancel_reason: 'Busy',
      cancelled_by: 'customer',
    });
    // Cancelling frees the time: someone else can take it.
    await c.book({ start: t('10:00'), customerId: c.dan, resourceIds: soon.resourceIds });
  });

  it('marks no-shows once start + grace has passed, frees their time, and blacklists repeat offenders', async () => {
    const c = await clinic();
    await c.m('site.updateSettings', { siteId: c.siteId, patch: { noShowGraceMinutes: 15, blacklistAfterNoShows: 1 } });
    const late = await c.book({ start: t('09:00') });
    const here = await c.book({ start: t('09:00'), customerId: c.bob });
    const notYet = await c.book({ start: t('09:45'), customerId: c.cat });
    await go(c, here.id, 'arrived');
    c.clock.set(t('09:20'));
    const r = await c.m<{ marked: { id: string }[]; blacklisted: string[] }>('booking.markNoShows', { siteId: c.siteId }, c.frontDesk);
    expect(r.marked.map((x) => x.id)).toEqual([late.id]);
    expect(r.blacklisted).toEqual([c.ann]);
    const status = (id: string) => (c.replica.sqlite.prepare('SELECT status FROM bookings WHERE id = ?').get(id) as { status: string }).status;
    expect([status(late.id), status(here.id), status(notYet.id)]).toEqual(['noShow', 'arrived', 'confirmed']);
    expect(count(c.replica, 'booking_resources WHERE booking_id = ? AND active = 1', late.id)).toBe(0);
    expect(c.replica.sqlite.prepare('SELECT blacklisted, blacklist_reason FROM customers WHERE id = ?').get(c.ann)).toEqual({
      blacklisted: 1,
      blacklist_reason: 'errors.customer.blacklistedForNoShows',
    });
  });
});

describe('booking.reschedule', () => {
  it('moves the booking and keeps every earlier version in its history', async () => {
    const c = await clinic();
    const b = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    await c.m('booking.reschedule', { id: b.id, start: t('11:00'), reason: 'Customer asked' }, c.frontDesk);
    const r = await c.m<BookingResult>('booking.reschedule', { id: b.id, start: t('14:00'), resourceIds: [c.li, c.room1] }, c.frontDesk);
    expect(r).toMatchObject({ start: t('14:00'), end: t('14:30'), resourceIds: [c.li, c.room1] });
    const events = c.replica.sqlite
      .prepare("SELECT version, before, after, reason FROM booking_events WHERE booking_id = ? AND type = 'rescheduled' ORDER BY version")
      .all(b.id) as { version: number; before: string; after: string; reason: string | null }[];
    expect(events.map((e) => ({ ...e, before: JSON.parse(e.before), after: JSON.parse(e.after) }))).toEqual([
      {
        version: 2,
        before: { start: t('10:00'), end: t('10:30'), resourceIds: [c.wang, c.room1], sessionId: null },
        after: { start: t('11:00'), end: t('11:30'), resourceIds: [c.wang, c.room1], sessionId: null },
        reason: 'Customer asked',
      },
      {
        version: 3,
        before: { start: t('11:00'), end: t('11:30'), resourceIds: [c.wang, c.room1], sessionId: null },
        after: { start: t('14:00'), end: t('14:30'), resourceIds: [c.li, c.room1], sessionId: null },
        reason: null,
      },
    ]);
    expect(c.replica.sqlite.prepare('SELECT resource_id FROM booking_resources WHERE booking_id = ? ORDER BY resource_id').all(b.id)).toEqual(
      [c.li, c.room1].sort().map((id) => ({ resource_id: id })),
    );
    // The old times are free again.
    await c.book({ start: t('10:00'), customerId: c.bob, resourceIds: [c.wang, c.room1] });
    await c.book({ start: t('11:00'), customerId: c.cat, resourceIds: [c.wang, c.room1] });
  });

  it('may move a booking by less than its length (it does not collide with itself)', async () => {
    const c = await clinic();
    const b = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    const r = await c.m<BookingResult & { waitlist: unknown }>('booking.reschedule', { id: b.id, start: t('10:15') }, c.frontDesk);
    expect(r.start).toBe(t('10:15'));
    expect(r.waitlist).toBeNull();
  });

  it('refuses a move into a conflict, or of a customer already here, and writes nothing', async () => {
    const c = await clinic();
    const b = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    await c.book({ start: t('11:00'), customerId: c.bob, resourceIds: [c.wang, c.room2] });
    await c.refused(() => c.m('booking.reschedule', { id: b.id, start: t('11:15') }, c.frontDesk), 'CONFLICT', 'errors.booking.resourceBusy');
    await c.m('booking.transition', { id: b.id, to: 'arrived' }, c.frontDesk);
    await c.refused(() => c.m('booking.reschedule', { id: b.id, start: t('15:00') }, c.frontDesk), 'CONFLICT', 'errors.booking.notReschedulable');
  });
});

describe('holds', () => {
  const hold = (c: Clinic, start: number, actor: Actor, customerId: string | null = null) =>
    c.m<{ id: string; expiresAt: number }>('hold.create', { id: c.ids.newId(), siteId: c.siteId, customerId, target: { resourceIds: [c.wang], start, end: start + 30 * MINUTE_MS } }, actor);

  it('block other bookings until they expire by themselves, judged by the clock', async () => {
    const c = await clinic();
    const h = await hold(c, t('10:00'), c.otherDesk);
    expect(h.expiresAt).toBe(t('08:15'));
    await c.refused(() => c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] }), 'CONFLICT', 'errors.booking.held');
    await c.refused(() => hold(c, t('10:15'), c.frontDesk), 'CONFLICT', 'errors.booking.held');
    c.clock.set(t('08:15'));
    await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    expect(count(c.replica, 'holds')).toBe(1);
    expect(await c.m('hold.purgeExpired', { siteId: c.siteId }, c.frontDesk)).toEqual({ purged: 1 });
    expect(count(c.replica, 'holds')).toBe(0);
  });

  it('free the slot at once when released, and releasing twice is harmless', async () => {
    const c = await clinic();
    const h = await hold(c, t('10:00'), c.otherDesk);
    expect(await c.m('hold.release', { id: h.id }, c.otherDesk)).toEqual({ id: h.id, released: true });
    expect(await c.m('hold.release', { id: h.id }, c.otherDesk)).toEqual({ id: h.id, released: false });
    await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
  });

  it('made for a customer serve nobody else, even when named', async () => {
    const c = await clinic();
    const h = await hold(c, t('10:00'), c.otherDesk, c.ann);
    await c.refused(() => c.book({ customerId: c.bob, start: t('10:00'), resourceIds: [c.wang, c.room1], holdId: h.id }), 'CONFLICT', 'errors.booking.held');
  });

  it('do not block their own customer, whose booking uses them up', async () => {
    const c = await clinic();
    await hold(c, t('10:00'), c.otherDesk, c.ann);
    await c.refused(() => c.book({ customerId: c.bob, start: t('10:00'), resourceIds: [c.wang, c.room1] }), 'CONFLICT', 'errors.booking.held');
    await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    expect(count(c.replica, 'holds')).toBe(0);
  });
});

describe('weekly series', () => {
  it('previews each occurrence (ok, conflict, closed) and refuses to save a series with conflicts', async () => {
    const c = await clinic();
    // Week 2 clashes with Bob's booking on Dr Wang; week 3 is a holiday.
    await c.book({ start: t('10:15', '2026-11-30'), customerId: c.bob, resourceIds: [c.wang, c.room2] });
    await c.m('site.setSpecialDay', { siteId: c.siteId, date: '2026-12-07', kind: 'holiday' });
    const base = { serviceId: c.consult, customerId: c.ann, firstStart: t('10:00'), resourceIds: [c.wang, c.room1] };
    const preview = await previewBookingSeries(c.replica.db as unknown as Tx, { actor: c.frontDesk, clock: c.clock }, { ...base, count: 4, intervalWeeks: 1, acknowledgeCustomerOverlap: false });
    expect(preview.occurrences.map((o) => [o.status, o.reason?.key ?? null])).toEqual([
      ['ok', null],
      ['conflict', 'errors.booking.resourceBusy'],
      ['closed', 'errors.booking.siteClosed'],
      ['ok', null],
    ]);
    const ids = [c.ids.newId(), c.ids.newId(), c.ids.newId(), c.ids.newId()];
    const seriesId = c.ids.newId();
    const err = await c.refused(() => c.m('booking.createSeries', { ...base, seriesId, ids }, c.frontDesk), 'CONFLICT', 'errors.series.conflicts');
    expect(err.issues).toEqual([
      { path: ['occurrences', 1], key: 'errors.booking.resourceBusy', params: { resource: 'Dr Wang' } },
      { path: ['occurrences', 2], key: 'errors.booking.siteClosed', params: {} },
    ]);
    const saved = await c.m<{ created: { id: string; start: number }[]; skipped: { index: number }[] }>(
      'booking.createSeries',
      { ...base, seriesId, ids, skipConflicts: true },
      c.frontDesk,
    );
    expect(saved.created.map((o) => o.id)).toEqual([ids[0], ids[3]]);
    expect(saved.created.map((o) => o.start)).toEqual([t('10:00'), t('10:00', '2026-12-14')]);
    expect(saved.skipped.map((o) => o.index)).toEqual([1, 2]);
    expect(count(c.replica, 'bookings WHERE series_id = ?', seriesId)).toBe(2);
  });
});

describe('the waitlist', () => {
  async function waitlisted(c: Clinic) {
    const entry = async (customerId: string, rest: Record<string, unknown> = {}) => {
      const id = c.ids.newId();
      await c.m('waitlist.add', { id, customerId, serviceId: c.consult, ...rest }, c.frontDesk);
      c.clock.advance(1000);
      return id;
    };
    const cats = await entry(c.cat, { preferredPartsOfDay: ['afternoon'] });
    const bobs = await entry(c.bob);
    const dans = await entry(c.dan, { urgent: true, preferredResourceId: c.wang });
    return { cats, bobs, dans };
  }

  it('lists the matching candidates, urgent first then oldest, when a booking is cancelled', async () => {
    const c = await clinic();
    const b = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    const e = await waitlisted(c);
    const r = await c.m<{ waitlist: { candidates: { entryId: string }[]; offered: unknown } }>(
      'booking.transition',
      { id: b.id, to: 'cancelled', cancelledBy: 'customer', reason: 'Travel' },
      c.frontDesk,
    );
    expect(r.waitlist.candidates.map((x) => x.entryId)).toEqual([e.dans, e.bobs]);
    expect(r.waitlist.offered).toBeNull();
  });

  it('with auto-offer on, holds the freed slot for the first candidate until it is booked', async () => {
    const c = await clinic();
    await c.m('site.updateSettings', { siteId: c.siteId, patch: { waitlistAutoOffer: true, holdMinutes: 20 } });
    const b = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    const e = await waitlisted(c);
    const r = await c.m<{ waitlist: { offered: { entryId: string; holdId: string; expiresAt: number } } }>(
      'booking.transition',
      { id: b.id, to: 'cancelled', cancelledBy: 'staff', reason: 'Doctor ill' },
      c.frontDesk,
    );
    const offer = r.waitlist.offered;
    expect(offer).toMatchObject({ entryId: e.dans, customerId: c.dan, expiresAt: c.clock.now() + 20 * MINUTE_MS });
    expect(c.replica.sqlite.prepare('SELECT status, offered_hold_id FROM waitlist_entries WHERE id = ?').get(e.dans)).toEqual({ status: 'offered', offered_hold_id: offer.holdId });
    // Nobody else gets the slot while the offer stands.
    await c.refused(() => c.book({ customerId: c.bob, start: t('10:00'), resourceIds: [c.wang, c.room1] }), 'CONFLICT', 'errors.booking.held');
    await c.book({ customerId: c.dan, start: t('10:00'), resourceIds: [c.wang, c.room1], holdId: offer.holdId });
    expect(c.replica.sqlite.prepare('SELECT status FROM waitlist_entries WHERE id = ?').get(e.dans)).toEqual({ status: 'booked' });
    expect(count(c.replica, 'holds')).toBe(0);
  });

  it('puts an entry back to waiting when its offer runs out', async () => {
    const c = await clinic();
    const e = await waitlisted(c);
    const holdId = c.ids.newId();
    await c.m('waitlist.offer', { id: e.bobs, holdId, target: { resourceIds: [c.li, c.room2], start: t('15:00'), end: t('15:30') } }, c.frontDesk);
    await c.refused(() => c.m('waitlist.offer', { id: e.bobs, holdId: c.ids.newId(), target: { resourceIds: [c.li], start: t('16:00'), end: t('16:30') } }, c.frontDesk), 'CONFLICT', 'errors.waitlist.notWaiting');
    c.clock.advance(15 * MINUTE_MS);
    await c.m('hold.purgeExpired', { siteId: c.siteId }, c.frontDesk);
    expect(c.replica.sqlite.prepare('SELECT status, offered_hold_id FROM waitlist_entries WHERE id = ?').get(e.bobs)).toEqual({ status: 'waiting', offered_hold_id: null });
    await c.m('waitlist.remove', { id: e.bobs }, c.frontDesk);
    expect(c.replica.sqlite.prepare('SELECT status FROM waitlist_entries WHERE id = ?').get(e.bobs)).toEqual({ status: 'removed' });
  });

  it('offers the slot a reschedule frees, and the seat a no-show leaves', async () => {
    const c = await clinic();
    const b = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    const e = await waitlisted(c);
    const r = await c.m<{ waitlist: { candidates: { entryId: string }[] } }>('booking.reschedule', { id: b.id, start: t('14:00') }, c.frontDesk);
    expect(r.waitlist.candidates.map((x) => x.entryId)).toEqual([e.dans, e.bobs]);
    c.clock.set(t('14:20'));
    const n = await c.m<{ marked: { waitlist: { candidates: { entryId: string }[] } }[] }>('booking.markNoShows', { siteId: c.siteId }, c.frontDesk);
    expect(n.marked[0]!.waitlist.candidates.map((x) => x.entryId)).toEqual([e.dans, e.cats, e.bobs]);
  });
});

describe('closing the site now', () => {
  it('lists the bookings it hits, before and after confirming, and refuses new ones then', async () => {
    const c = await clinic();
    const a = await c.book({ start: t('10:00'), resourceIds: [c.wang, c.room1] });
    const b = await c.book({ start: t('13:00'), customerId: c.bob });
    await c.book({ start: t('15:00'), customerId: c.cat });
    const cancelled = await c.book({ start: t('11:00'), customerId: c.dan });
    await c.m('booking.transition', { id: cancelled.id, to: 'cancelled', cancelledBy: 'customer', reason: 'x' }, c.frontDesk);
    c.clock.set(t('09:30'));
    const preview = await previewCloseNow(c.replica.db as unknown as Tx, { actor: c.manager, clock: c.clock }, { siteId: c.siteId, end: t('14:00') });
    expect(preview.map((x) => [x.id, x.customerName])).toEqual([
      [a.id, 'Ann'],
      [b.id, 'Bob'],
    ]);
    const closureId = c.ids.newId();
    const r = await c.m<{ affected: { id: string; customerPhone: string }[] }>('site.closeNow', { id: closureId, siteId: c.siteId, end: t('14:00'), reason: 'Power cut' }, c.manager);
    expect(r.affected).toEqual(preview);
    expect(r.affected[0]!.customerPhone).toBe('+8613700000001');
    await c.refused(() => c.m('site.closeNow', { id: c.ids.newId(), siteId: c.siteId, end: t('14:00'), reason: 'x' }, c.frontDesk), 'FORBIDDEN', 'errors.forbidden');
    await c.refused(() => c.book({ start: t('12:00'), customerId: c.dan }), 'CONFLICT', 'errors.booking.siteClosed');
    c.clock.set(t('11:00'));
    await c.m('site.reopen', { id: closureId }, c.manager);
    await c.book({ start: t('12:00'), customerId: c.dan });
  });

  it('tells which bookings a new holiday or closure leaves outside open time', async () => {
    const c = await clinic();
    const a = await c.book({ start: t('10:00', TUE) });
    const r = await c.m<{ affected: { id: string }[] }>('site.setSpecialDay', { siteId: c.siteId, date: TUE, kind: 'hours', ranges: [{ start: 13 * 60, end: 18 * 60 }] });
    expect(r.affected.map((x) => x.id)).toEqual([a.id]);
    const closure = await c.m<{ affected: { id: string }[] }>('site.addClosure', { siteId: c.siteId, closure: { from: MON, to: TUE, reason: 'Renovation' } });
    expect(closure.affected.map((x) => x.id)).toEqual([a.id]);
    expect(await c.m('site.removeClosure', { siteId: c.siteId, from: MON, to: TUE })).toEqual({ removed: 1 });
  });
});

describe('walk-ins', () => {
  it('start now with the customer arrived, on the first free practitioner', async () => {
    const c = await clinic();
    await c.book({ start: t('10:00'), customerId: c.bob, resourceIds: [c.li, c.room1] });
    c.clock.set(t('10:07') + 12_345);
    const r = await c.m<BookingResult>('booking.walkIn', { id: c.ids.newId(), serviceId: c.consult, customerId: c.ann }, c.frontDesk);
    expect(r).toMatchObject({ status: 'arrived', start: t('10:07'), end: t('10:37'), resourceIds: [c.wang, c.room2] });
    expect(c.replica.sqlite.prepare('SELECT source FROM bookings WHERE id = ?').get(r.id)).toEqual({ source: 'walkIn' });
  });

  it('ignore notice rules but not working hours', async () => {
    const c = await clinic();
    await c.m('service.update', { id: c.consult, patch: { minNoticeMinutes: 600 } });
    c.clock.set(t('10:00'));
    await c.m('booking.walkIn', { id: c.ids.newId(), serviceId: c.consult, customerId: c.ann }, c.frontDesk);
    c.clock.set(t('16:45'));
    await c.refused(() => c.m('booking.walkIn', { id: c.ids.newId(), serviceId: c.consult, customerId: c.bob }, c.frontDesk), 'CONFLICT', 'errors.booking.noFreeResource');
  });
});

describe('resources', () => {
  it('report the bookings their new leave strands', async () => {
    const c = await clinic();
    const a = await c.book({ start: t('10:00', TUE), resourceIds: [c.wang, c.room1] });
    await c.book({ start: t('10:00', '2026-11-26'), customerId: c.bob, resourceIds: [c.wang, c.room1] });
    const r = await c.m<{ stranded: { id: string }[] }>('resource.update', {
      id: c.wang,
      patch: { schedule: { schedules: [{ ranges: weekly(WEEKDAYS, '09:00-17:00') }], leave: [{ start: t('00:00', TUE), end: t('00:00', '2026-11-25') }] } },
    });
    expect(r.stranded.map((x) => x.id)).toEqual([a.id]);
    await c.refused(() => c.book({ customerId: c.cat, start: t('14:00', TUE), resourceIds: [c.wang, c.room2] }), 'CONFLICT', 'errors.booking.outsideWorkingHours');
  });
});

describe('departments', () => {
  it('group resources and services of their site, and unknown ones are refused', async () => {
    const c = await clinic();
    const dept = c.ids.newId();
    await c.m('department.create', { id: dept, siteId: c.siteId, name: '口腔科', colour: '#1677ff' });
    await c.m('resource.update', { id: c.wang, patch: { departmentId: dept } });
    await c.m('service.update', { id: c.consult, patch: { departmentId: dept, category: '初诊' } });
    await c.m('department.update', { id: dept, patch: { name: '口腔一科' } });
    expect(c.replica.sqlite.prepare('SELECT d.name FROM resources r JOIN departments d ON d.id = r.department_id WHERE r.id = ?').get(c.wang)).toEqual({ name: '口腔一科' });
    await c.refused(() => c.m('resource.update', { id: c.li, patch: { departmentId: c.ids.newId() } }), 'NOT_FOUND', 'errors.department.notFound');
    await c.refused(() => c.m('department.create', { id: dept, siteId: c.siteId, name: 'Again' }), 'CONFLICT', 'errors.id.taken');
  });
});

describe('scale', () => {
  function plan(c: Clinic, q: { compile(): { sql: string; parameters: readonly unknown[] } }): string {
    const { sql, parameters } = q.compile();
    return (c.replica.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((r) => r.detail).join('\n');
  }

  it('checks overlaps with an index range scan, fast with 100,000 bookings', async () => {
    const c = await clinic();
    const db = c.replica.db as unknown as Tx;
    const near = { start: t('10:00'), end: t('10:40') };
    // Bounded on both sides of blocked_start: a SEARCH, never a SCAN of the table.
    expect(plan(c, bookingOverlapQuery(db, [c.wang, c.room1], near))).toMatch(
      /SEARCH booking_resources USING (COVERING )?INDEX booking_resources_overlap \(resource_id=\? AND active=\? AND blocked_start>\? AND blocked_start<\?\)/,
    );
    expect(plan(c, sessionOverlapQuery(db, [c.coach], near))).toMatch(/SEARCH session_resources USING (COVERING )?INDEX session_resources_overlap/);

    // 100,000 past and future bookings over four years on the two practitioners and rooms.
    const insertBooking = c.replica.sqlite.prepare(
      `INSERT INTO bookings (id, organization_id, site_id, service_id, customer_id, start_at, end_at, buffer_before_minutes, buffer_after_minutes, status, source, notes, price_minor, currency, seats, late_cancel, version, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, 10, 'confirmed', 'desk', '', 5000, 'CNY', 1, 0, 1, 'seed', 0, 0)`,
    );
    const insertBlock = c.replica.sqlite.prepare('INSERT INTO booking_resources (booking_id, resource_id, blocked_start, blocked_end, active) VALUES (?, ?, ?, ?, 1)');
    const from = t('00:00', '2025-01-01');
    const pairs = [[c.wang, c.room1], [c.li, c.room2]] as const;
    c.replica.sqlite.transaction(() => {
      for (let i = 0; i < 100_000; i++) {
        const start = from + Math.floor(i / 2) * 40 * MINUTE_MS;
        if (start >= t('00:00') && start < t('00:00', '2026-11-30')) continue;
        const id = `seed-${i}`;
        const customers = [c.bob, c.cat, c.dan];
        insertBooking.run(id, c.organizationId, c.siteId, c.consult, customers[i % 3], start, start + 30 * MINUTE_MS);
        for (const r of pairs[i % 2]!) insertBlock.run(id, r, start, start + 40 * MINUTE_MS);
      }
    })();
    c.replica.sqlite.exec('ANALYZE');
    // The store itself refuses a block the bounded overlap query could miss.
    expect(() => insertBlock.run('seed-0', c.coach, from, from + 32 * HOUR_MS + 1)).toThrow(/CHECK constraint failed/);
    expect(count(c.replica, 'booking_resources')).toBeGreaterThan(190_000);
    expect(plan(c, bookingOverlapQuery(db, [c.wang, c.room1], near))).toMatch(/SEARCH booking_resources USING (COVERING )?INDEX booking_resources_overlap/);
    expect(plan(c, customerOverlapQuery(db, c.ann, near))).toMatch(/SEARCH bookings USING INDEX bookings_by_customer \(customer_id=\? AND start_at>\? AND start_at<\?\)/);

    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await c.book({ start: t('09:00') + i * 60 * MINUTE_MS * 24, customerId: c.ann }).catch(() => undefined);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // The bound is loose (slow CI machines); a full scan of 200,000 blocks costs far more.
    expect(times[10]!).toBeLessThan(25);
  });
});

describe('no double booking, whatever happens', () => {
  it('keeps every resource free of overlapping active bookings after any sequence of creates, reschedules and cancels', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), who: fc.nat(3), doctor: fc.nat(1), room: fc.nat(1), slot: fc.nat(15), pick: fc.boolean() }),
      fc.record({ kind: fc.constant('reschedule' as const), which: fc.nat(20), slot: fc.nat(15), doctor: fc.nat(1), room: fc.nat(1), keep: fc.boolean() }),
      fc.record({ kind: fc.constant('cancel' as const), which: fc.nat(20) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const c = await clinic();
        const doctors = [c.wang, c.li];
        const rooms = [c.room1, c.room2];
        const customers = [c.ann, c.bob, c.cat, c.dan];
        const made: string[] = [];
        const at = (slot: number) => t('09:00') + slot * 15 * MINUTE_MS;
        for (const o of ops) {
          let p: Promise<unknown>;
          if (o.kind === 'create') {
            const id = c.ids.newId();
            p = c.m('booking.create', {
              id,
              serviceId: c.consult,
              customerId: customers[o.who]!,
              start: at(o.slot),
              acknowledgeCustomerOverlap: true,
              ...(o.pick ? {} : { resourceIds: [doctors[o.doctor]!, rooms[o.room]!] }),
            }, c.frontDesk).then(() => made.push(id));
          } else if (made.length === 0) {
            continue;
          } else if (o.kind === 'reschedule') {
            const id = made[o.which % made.length]!;
            p = c.m('booking.reschedule', { id, start: at(o.slot), acknowledgeCustomerOverlap: true, ...(o.keep ? {} : { resourceIds: [doctors[o.doctor]!, rooms[o.room]!] }) }, c.frontDesk);
          } else {
            p = c.m('booking.transition', { id: made[o.which % made.length]!, to: 'cancelled', cancelledBy: 'staff', reason: 'test' }, c.frontDesk);
          }
          // A refusal must be a rule (CONFLICT), never a crash or a constraint failure.
          await p.catch((e: unknown) => {
            if (!AppError.is(e) || e.code !== 'CONFLICT') throw e;
          });
          const overlaps = count(
            c.replica,
            `booking_resources a JOIN booking_resources b ON a.resource_id = b.resource_id AND a.booking_id < b.booking_id
             WHERE a.active = 1 AND b.active = 1 AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end`,
          );
          expect(overlaps).toBe(0);
          // The blocks are active exactly while their booking is.
          expect(count(c.replica, "booking_resources br JOIN bookings b ON b.id = br.booking_id WHERE br.active = (b.status = 'cancelled')")).toBe(0);
        }
        await c.replica.close();
        open.splice(open.indexOf(c.replica), 1);
      }),
      { numRuns: 30 },
    );
  });
});
