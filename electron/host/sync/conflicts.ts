/**
 * The conflict inbox: every change of this desk the server rejected, with who made it, the reason
 * (an AppError shape the UI words in the user's language), what it was about (customer, service,
 * time, resources, by name), and for a booking the next free alternatives, so staff can rebook in
 * one click or dismiss it. The inbox is this desk's own (sync_conflicts is not synced).
 */
import type { Kysely } from 'kysely';
import type { AppErrorShape } from '../../../core/errors';
import type { Actor } from '../../../core/mutator';
import type { Slot } from '../../../core/scheduling/availability';
import { localDateOf } from '../../../core/time';
import { AppError } from '../../../core/errors';
import type { Replica, ReplicaTables } from '../replica/replica';
import { findSlots } from '../replica/scheduling.queries';

export interface ConflictEntry {
  mutationId: number;
  name: string;
  args: Record<string, unknown>;
  staffId: string;
  error: AppErrorShape;
  madeAt: number;
  rejectedAt: number;
  resolution: 'rebooked' | 'dismissed' | null;
  /** What the change was about, by name, when it concerned a booking. */
  booking: { customerName: string | null; serviceId: string; serviceName: string | null; siteId: string | null; start: number | null; resourceNames: string[] } | null;
  /** For a booking: the next free slots for the same service (the same resources first). */
  alternatives: Slot[];
}

interface ConflictRow {
  mutation_id: number;
  name: string;
  args: string;
  actor: string;
  error: string;
  made_at: number;
  rejected_at: number;
  resolution: 'rebooked' | 'dismissed' | null;
}

const BOOKING_MUTATIONS = new Set(['booking.create', 'booking.walkIn', 'booking.reschedule', 'booking.createSeries']);
const ALTERNATIVES = 3;

export async function conflictInbox(replica: Replica, actor: Actor, opts: { now: number; includeResolved?: boolean; limit?: number }): Promise<ConflictEntry[]> {
  const rows = replica.sqlite
    .prepare<[number, number], ConflictRow>(
      `SELECT ${COLUMNS} FROM sync_conflicts
       WHERE (? = 1 OR resolution IS NULL) ORDER BY rejected_at DESC, mutation_id DESC LIMIT ?`,
    )
    .all(opts.includeResolved ? 1 : 0, opts.limit ?? 200);
  const out: ConflictEntry[] = [];
  for (const r of rows) out.push(await entryOf(replica, actor, r, opts.now));
  return out;
}

/** One conflict, with its alternatives while it is open; null when there is no such conflict. */
export async function conflictEntry(replica: Replica, actor: Actor, mutationId: number, now: number): Promise<ConflictEntry | null> {
  const row = replica.sqlite.prepare<[number], ConflictRow>(`SELECT ${COLUMNS} FROM sync_conflicts WHERE mutation_id = ?`).get(mutationId);
  return row ? entryOf(replica, actor, row, now) : null;
}

const COLUMNS = 'mutation_id, name, args, actor, error, made_at, rejected_at, resolution';

async function entryOf(replica: Replica, actor: Actor, r: ConflictRow, now: number): Promise<ConflictEntry> {
  const args = JSON.parse(r.args) as Record<string, unknown>;
  const entry: ConflictEntry = {
    mutationId: r.mutation_id,
    name: r.name,
    args,
    staffId: (JSON.parse(r.actor) as Actor).staffId,
    error: JSON.parse(r.error) as AppErrorShape,
    madeAt: r.made_at,
    rejectedAt: r.rejected_at,
    resolution: r.resolution,
    booking: null,
    alternatives: [],
  };
  if (BOOKING_MUTATIONS.has(r.name)) {
    entry.booking = await describeBooking(replica, args);
    if (r.resolution === null && entry.booking?.siteId) entry.alternatives = await alternativesFor(replica.db, actor, entry.booking, args, now);
  }
  return entry;
}

export function openConflictCount(replica: Replica): number {
  return (replica.sqlite.prepare('SELECT count(*) AS n FROM sync_conflicts WHERE resolution IS NULL').get() as { n: number }).n;
}

/** Marks a conflict dealt with; refuses one that is unknown or already resolved. */
export function resolveConflict(replica: Replica, mutationId: number, resolution: 'rebooked' | 'dismissed', actor: Actor, now: number): void {
  const r = replica.sqlite
    .prepare('UPDATE sync_conflicts SET resolution = ?, resolved_by = ?, resolved_at = ? WHERE mutation_id = ? AND resolution IS NULL')
    .run(resolution, actor.staffId, now, mutationId);
  if (r.changes === 0) throw new AppError('NOT_FOUND', 'errors.sync.conflictGone', { id: mutationId });
}

async function describeBooking(replica: Replica, args: Record<string, unknown>): Promise<ConflictEntry['booking']> {
  const db = replica.sqlite;
  let serviceId = typeof args.serviceId === 'string' ? args.serviceId : null;
  let customerId = typeof args.customerId === 'string' ? args.customerId : null;
  let resourceIds = Array.isArray(args.resourceIds) ? (args.resourceIds as string[]) : [];
  const start = typeof args.start === 'number' ? args.start : null;
  if (!serviceId && typeof args.id === 'string') {
    // A reschedule names the booking: take the rest from it.
    const b = db.prepare<[string], { service_id: string; customer_id: string }>('SELECT service_id, customer_id FROM bookings WHERE id = ?').get(args.id);
    if (!b) return null;
    serviceId = b.service_id;
    customerId = b.customer_id;
    if (resourceIds.length === 0) resourceIds = (db.prepare<[string], { resource_id: string }>('SELECT resource_id FROM booking_resources WHERE booking_id = ?').all(args.id)).map((x) => x.resource_id);
  }
  if (!serviceId) return null;
  const service = db.prepare<[string], { name: string; site_id: string }>('SELECT name, site_id FROM services WHERE id = ?').get(serviceId);
  const customer = customerId ? db.prepare<[string], { name: string }>('SELECT name FROM customers WHERE id = ?').get(customerId) : undefined;
  const name = db.prepare<[string], { name: string }>('SELECT name FROM resources WHERE id = ?');
  return {
    customerName: customer?.name ?? null,
    serviceId,
    serviceName: service?.name ?? null,
    siteId: service?.site_id ?? null,
    start,
    resourceNames: resourceIds.map((id) => name.get(id)?.name ?? id),
  };
}

async function alternativesFor(db: Kysely<ReplicaTables>, actor: Actor, b: NonNullable<ConflictEntry['booking']>, args: Record<string, unknown>, now: number): Promise<Slot[]> {
  const siteId = b.siteId!;
  const tz = (await db.selectFrom('sites').select('time_zone').where('id', '=', siteId).executeTakeFirst())?.time_zone;
  if (!tz) return [];
  const from = localDateOf(Math.max(now, b.start ?? now), tz);
  const wanted = Array.isArray(args.resourceIds) ? (args.resourceIds as string[])[0] : undefined;
  // The next free slots from the time asked for (same resource first), then the closest earlier.
  const wantedStart = b.start ?? now;
  const closest = (slots: Slot[]) =>
    [...slots].sort((x, y) => {
      const after = Number(y.start >= wantedStart) - Number(x.start >= wantedStart);
      return after || (x.start >= wantedStart ? x.start - y.start : y.start - x.start);
    });
  try {
    const base = { siteId, serviceId: b.serviceId, from, days: 14, limit: 20, now };
    const same = wanted ? closest(await findSlots(db, actor, { ...base, resourceId: wanted })).slice(0, ALTERNATIVES) : [];
    if (same.length >= ALTERNATIVES) return same;
    const seen = new Set(same.map((s) => `${s.start}/${s.resourceIds.join()}`));
    const any = closest(await findSlots(db, actor, base)).filter((s) => !seen.has(`${s.start}/${s.resourceIds.join()}`));
    return [...same, ...any].slice(0, ALTERNATIVES);
  } catch (e) {
    // The service or site is gone or not this staff member's: no alternatives to offer.
    if (AppError.is(e)) return [];
    throw e;
  }
}
