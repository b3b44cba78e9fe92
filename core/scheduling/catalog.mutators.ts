/**
 * What a site offers and with what: departments, resources (practitioners, coaches, rooms,
 * equipment, each with a working schedule) and services (duration, buffers, price, seats, the
 * kinds of resource a booking needs, notice and advance rules).
 *
 * Editing these never moves existing bookings: a booking keeps the duration and buffers it was
 * made with. What an edit leaves in conflict is returned instead: a resource's bookings that fall
 * outside its new working time, or that it can no longer take because it was deactivated.
 * Nothing is ever deleted; `active: false` retires a record and keeps its history readable.
 */
import type { Updateable } from 'kysely';
import { z } from 'zod';
import type { ResourcesTable, ServicesTable, Tx } from '../db-schema';
import { AppError } from '../errors';
import { Money } from '../money';
import { defineMutator } from '../mutator';
import { MAX_BLOCK_MS, SpanCalendar } from './booking-rules';
import { closuresNear, loadSite, sessionSeatsTaken } from './booking.queries';
import { ResourceKind, ServiceSpec } from './scheduling.schema';
import { ResourceHours, resourceInfoOf, type SiteRules } from './scheduling.model';

const Id = z.uuid({ message: 'errors.id.invalid' });
const Name = z.string().trim().min(1, 'errors.name.required').max(64, 'errors.name.tooLong');
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'errors.colour.invalid').nullable();
const Category = z.string().trim().max(64, 'errors.name.tooLong');
const Price = Money.refine((m) => m.amountMinor >= 0, { message: 'errors.service.price', path: ['amountMinor'] });

async function assertNewId(tx: Tx, table: 'departments' | 'resources' | 'services', id: string): Promise<void> {
  const dup = await tx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (dup) throw new AppError('CONFLICT', 'errors.id.taken', { id });
}

/** A department, when given, belongs to the same site as the record placed in it. */
async function assertDepartment(tx: Tx, organizationId: string, siteId: string, departmentId: string | null | undefined): Promise<void> {
  if (departmentId === null || departmentId === undefined) return;
  const d = await tx
    .selectFrom('departments')
    .select('site_id')
    .where('id', '=', departmentId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!d) throw new AppError('NOT_FOUND', 'errors.department.notFound', { id: departmentId }, [{ path: ['departmentId'], key: 'errors.department.notFound' }]);
  if (d.site_id !== siteId) throw new AppError('INVALID', 'errors.department.otherSite', {}, [{ path: ['departmentId'], key: 'errors.department.otherSite' }]);
}

// ---- departments --------------------------------------------------------------------------------

export const CreateDepartmentArgs = z.object({ id: Id, siteId: Id, name: Name, colour: Colour.default(null) });
export const UpdateDepartmentArgs = z.object({
  id: Id,
  patch: z.object({ name: Name.optional(), colour: Colour.optional(), active: z.boolean().optional() }),
});

export const createDepartment = defineMutator({
  name: 'department.create',
  version: 1,
  permission: 'schedule.manage',
  args: CreateDepartmentArgs,
  async apply(tx, args, ctx) {
    const site = await loadSite(tx, ctx.actor, args.siteId);
    await assertNewId(tx, 'departments', args.id);
    const now = ctx.clock.now();
    await tx
      .insertInto('departments')
      .values({ id: args.id, organization_id: site.organizationId, site_id: site.id, name: args.name, colour: args.colour, active: 1, created_at: now, updated_at: now })
      .execute();
    return { id: args.id };
  },
});

export const updateDepartment = defineMutator({
  name: 'department.update',
  version: 1,
  permission: 'schedule.manage',
  args: UpdateDepartmentArgs,
  async apply(tx, { id, patch }, ctx) {
    const row = await tx.selectFrom('departments').selectAll().where('id', '=', id).where('organization_id', '=', ctx.actor.organizationId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'errors.department.notFound', { id });
    await loadSite(tx, ctx.actor, row.site_id);
    await tx
      .updateTable('departments')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.colour !== undefined && { colour: patch.colour }),
        ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
        updated_at: ctx.clock.now(),
      })
      .where('id', '=', id)
      .execute();
    return { id };
  },
});

// ---- resources ----------------------------------------------------------------------------------

export const CreateResourceArgs = z.object({
  id: Id,
  siteId: Id,
  departmentId: Id.nullable().default(null),
  kind: ResourceKind,
  name: Name,
  /** People it holds at once (a room's size); null = not limited. */
  capacity: z.int({ message: 'errors.resource.capacity' }).min(1, 'errors.resource.capacity').max(1000, 'errors.resource.capacity').nullable().default(null),
  colour: Colour.default(null),
  active: z.boolean().default(true),
  schedule: ResourceHours.default({ schedules: [], dateOverrides: [], leave: [] }),
});
export type CreateResourceArgs = z.infer<typeof CreateResourceArgs>;

export const UpdateResourceArgs = z.object({
  id: Id,
  patch: z.object({
    departmentId: Id.nullable().optional(),
    name: Name.optional(),
    capacity: z.int({ message: 'errors.resource.capacity' }).min(1, 'errors.resource.capacity').max(1000, 'errors.resource.capacity').nullable().optional(),
    colour: Colour.optional(),
    active: z.boolean().optional(),
    /** The whole working schedule: weekly patterns (effective dates, alternate weeks), date overrides, leave. */
    schedule: ResourceHours.optional(),
  }),
});
export type UpdateResourceArgs = z.infer<typeof UpdateResourceArgs>;

/** A booking or session a resource edit left without its resource: to be moved by staff. */
export interface StrandedBooking {
  id: string;
  kind: 'booking' | 'session';
  start: number;
  end: number;
}

/**
 * Upcoming bookings and sessions of a resource that it can no longer take: all of them when it
 * is inactive, else those outside its working time. Reads the resource's blocks from now on
 * through the overlap index.
 */
async function strandedBy(tx: Tx, site: SiteRules, row: ResourcesTable, now: number): Promise<StrandedBooking[]> {
  const resource = resourceInfoOf(row);
  const bookings = await tx
    .selectFrom('booking_resources as br')
    .innerJoin('bookings as b', 'b.id', 'br.booking_id')
    .select(['b.id', 'b.start_at', 'b.end_at', 'br.blocked_start', 'br.blocked_end'])
    .where('br.resource_id', '=', row.id)
    .where('br.active', '=', 1)
    .where('br.blocked_start', '>', now - MAX_BLOCK_MS)
    .where('br.blocked_end', '>', now)
    .where('b.status', 'in', ['pending', 'confirmed'])
    .orderBy('br.blocked_start')
    .limit(1000)
    .execute();
  const sessions = await tx
    .selectFrom('session_resources as sr')
    .innerJoin('class_sessions as s', 's.id', 'sr.session_id')
    .select(['s.id', 's.start_at', 's.end_at', 'sr.blocked_start', 'sr.blocked_end'])
    .where('sr.resource_id', '=', row.id)
    .where('sr.active', '=', 1)
    .where('sr.blocked_start', '>', now - MAX_BLOCK_MS)
    .where('sr.blocked_end', '>', now)
    .orderBy('sr.blocked_start')
    .limit(1000)
    .execute();
  const out: StrandedBooking[] = [];
  for (const [kind, rows] of [['booking', bookings], ['session', sessions]] as const) {
    for (const r of rows) {
      const blocked = { start: r.blocked_start, end: r.blocked_end };
      if (resource.active) {
        const closures = await closuresNear(tx, site.id, blocked);
        if (new SpanCalendar(site, closures, blocked).works(resource)) continue;
      }
      out.push({ id: r.id, kind, start: r.start_at, end: r.end_at });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export const createResource = defineMutator({
  name: 'resource.create',
  version: 1,
  permission: 'schedule.manage',
  args: CreateResourceArgs,
  async apply(tx, args, ctx) {
    const site = await loadSite(tx, ctx.actor, args.siteId);
    await assertNewId(tx, 'resources', args.id);
    await assertDepartment(tx, site.organizationId, site.id, args.departmentId);
    const now = ctx.clock.now();
    await tx
      .insertInto('resources')
      .values({
        id: args.id,
        organization_id: site.organizationId,
        site_id: site.id,
        department_id: args.departmentId,
        kind: args.kind,
        name: args.name,
        capacity: args.capacity,
        colour: args.colour,
        active: args.active ? 1 : 0,
        schedule: JSON.stringify(args.schedule),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id: args.id };
  },
});

export const updateResource = defineMutator({
  name: 'resource.update',
  version: 1,
  permission: 'schedule.manage',
  args: UpdateResourceArgs,
  async apply(tx, { id, patch }, ctx): Promise<{ id: string; stranded: StrandedBooking[] }> {
    const row = await tx.selectFrom('resources').selectAll().where('id', '=', id).where('organization_id', '=', ctx.actor.organizationId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'errors.resource.notFound', { id });
    const site = await loadSite(tx, ctx.actor, row.site_id);
    if (patch.departmentId !== undefined) await assertDepartment(tx, site.organizationId, site.id, patch.departmentId);
    const next: Updateable<ResourcesTable> = { updated_at: ctx.clock.now() };
    if (patch.departmentId !== undefined) next.department_id = patch.departmentId;
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.capacity !== undefined) next.capacity = patch.capacity;
    if (patch.colour !== undefined) next.colour = patch.colour;
    if (patch.active !== undefined) next.active = patch.active ? 1 : 0;
    if (patch.schedule !== undefined) next.schedule = JSON.stringify(patch.schedule);
    await tx.updateTable('resources').set(next).where('id', '=', id).execute();
    const changed = { ...row, ...next } as ResourcesTable;
    const stranded = patch.schedule !== undefined || patch.active === false ? await strandedBy(tx, site, changed, ctx.clock.now()) : [];
    return { id, stranded };
  },
});

// ---- services -----------------------------------------------------------------------------------

export const CreateServiceArgs = ServiceSpec.extend({
  id: Id,
  siteId: Id,
  departmentId: Id.nullable().default(null),
  category: Category.default(''),
  name: Name,
  price: Price,
  colour: Colour.default(null),
  active: z.boolean().default(true),
});
export type CreateServiceArgs = z.infer<typeof CreateServiceArgs>;

const spec = ServiceSpec.shape;
export const UpdateServiceArgs = z.object({
  id: Id,
  // Written out without defaults: in a patch an absent field means "unchanged".
  patch: z.object({
    departmentId: Id.nullable().optional(),
    category: Category.optional(),
    name: Name.optional(),
    price: Price.optional(),
    colour: Colour.optional(),
    active: z.boolean().optional(),
    durationMinutes: spec.durationMinutes.optional(),
    bufferBeforeMinutes: spec.bufferBeforeMinutes.unwrap().optional(),
    bufferAfterMinutes: spec.bufferAfterMinutes.unwrap().optional(),
    seats: spec.seats.unwrap().optional(),
    resourceKinds: spec.resourceKinds.optional(),
    minNoticeMinutes: spec.minNoticeMinutes.unwrap().optional(),
    maxAdvanceDays: spec.maxAdvanceDays.unwrap().optional(),
  }),
});
export type UpdateServiceArgs = z.infer<typeof UpdateServiceArgs>;

export const createService = defineMutator({
  name: 'service.create',
  version: 1,
  permission: 'schedule.manage',
  args: CreateServiceArgs,
  async apply(tx, args, ctx) {
    const site = await loadSite(tx, ctx.actor, args.siteId);
    await assertNewId(tx, 'services', args.id);
    await assertDepartment(tx, site.organizationId, site.id, args.departmentId);
    const now = ctx.clock.now();
    await tx
      .insertInto('services')
      .values({
        id: args.id,
        organization_id: site.organizationId,
        site_id: site.id,
        department_id: args.departmentId,
        category: args.category,
        name: args.name,
        duration_minutes: args.durationMinutes,
        buffer_before_minutes: args.bufferBeforeMinutes,
        buffer_after_minutes: args.bufferAfterMinutes,
        price_minor: args.price.amountMinor,
        currency: args.price.currency,
        seats: args.seats,
        resource_kinds: JSON.stringify(args.resourceKinds),
        min_notice_minutes: args.minNoticeMinutes,
        max_advance_days: args.maxAdvanceDays,
        colour: args.colour,
        active: args.active ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id: args.id };
  },
});

export const updateService = defineMutator({
  name: 'service.update',
  version: 1,
  permission: 'schedule.manage',
  args: UpdateServiceArgs,
  async apply(tx, { id, patch }, ctx) {
    const row = await tx.selectFrom('services').selectAll().where('id', '=', id).where('organization_id', '=', ctx.actor.organizationId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'errors.service.notFound', { id });
    const site = await loadSite(tx, ctx.actor, row.site_id);
    if (patch.departmentId !== undefined) await assertDepartment(tx, site.organizationId, site.id, patch.departmentId);
    const now = ctx.clock.now();
    if (patch.seats !== undefined && patch.seats < row.seats) {
      // Upcoming sessions that follow the service's seats must still hold everyone booked.
      const sessions = await tx
        .selectFrom('class_sessions')
        .select('id')
        .where('service_id', '=', id)
        .where('status', '=', 'scheduled')
        .where('seats', 'is', null)
        .where('end_at', '>', now)
        .execute();
      for (const s of sessions) {
        const { booked } = await sessionSeatsTaken(tx, s.id, now);
        if (booked > patch.seats) {
          throw new AppError('CONFLICT', 'errors.service.seatsBelowBooked', { booked, sessionId: s.id }, [
            { path: ['patch', 'seats'], key: 'errors.service.seatsBelowBooked', params: { booked } },
          ]);
        }
      }
    }
    const next: Updateable<ServicesTable> = { updated_at: now };
    if (patch.departmentId !== undefined) next.department_id = patch.departmentId;
    if (patch.category !== undefined) next.category = patch.category;
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.price !== undefined) {
      next.price_minor = patch.price.amountMinor;
      next.currency = patch.price.currency;
    }
    if (patch.colour !== undefined) next.colour = patch.colour;
    if (patch.active !== undefined) next.active = patch.active ? 1 : 0;
    if (patch.durationMinutes !== undefined) next.duration_minutes = patch.durationMinutes;
    if (patch.bufferBeforeMinutes !== undefined) next.buffer_before_minutes = patch.bufferBeforeMinutes;
    if (patch.bufferAfterMinutes !== undefined) next.buffer_after_minutes = patch.bufferAfterMinutes;
    if (patch.seats !== undefined) next.seats = patch.seats;
    if (patch.resourceKinds !== undefined) next.resource_kinds = JSON.stringify(patch.resourceKinds);
    if (patch.minNoticeMinutes !== undefined) next.min_notice_minutes = patch.minNoticeMinutes;
    if (patch.maxAdvanceDays !== undefined) next.max_advance_days = patch.maxAdvanceDays;
    await tx.updateTable('services').set(next).where('id', '=', id).execute();
    return { id };
  },
});

export const CATALOG_MUTATORS = [createDepartment, updateDepartment, createResource, updateResource, createService, updateService] as const;
