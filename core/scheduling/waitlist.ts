/**
 * Who on the waitlist gets a slot that has just opened (a cancellation, a reschedule, a no-show).
 *
 * An entry matches when it is waiting (or its offer ran out), for the same service, by another
 * customer than the one who freed the slot, and the slot's local start (site zone) is within its
 * date range, on one of its weekdays and in one of its parts of the day (empty lists mean any),
 * with its preferred resource among the slot's. Candidates come urgent first, then oldest first,
 * then by id so the order is total and the same on every desk.
 */
import type { WaitlistStatus } from '../db-schema';
import type { LocalDate } from '../time';
import { PARTS_OF_DAY, type PartOfDay } from './availability';
import { instantToWall } from './zoned-time';

export interface WaitlistEntryInfo {
  id: string;
  customerId: string;
  serviceId: string;
  preferredWeekdays: readonly number[];
  preferredPartsOfDay: readonly PartOfDay[];
  preferredResourceId: string | null;
  dateFrom: LocalDate | null;
  dateTo: LocalDate | null;
  urgent: boolean;
  status: WaitlistStatus;
  /** While an offer is out: when its hold runs out. */
  offerExpiresAt: number | null;
  createdAt: number;
}

export interface OpenedSlot {
  serviceId: string;
  start: number;
  end: number;
  /** The resources (or a session's coach and room) the slot has. */
  resourceIds: readonly string[];
  /** The site's zone: preferences are local. */
  timeZone: string;
}

export interface CandidateOptions {
  /** With it, an entry whose offer expired by then counts as waiting. */
  now?: number;
  /** The customer who freed the slot. */
  excludeCustomerId?: string;
}

/** Whether an entry is waiting for an offer at `now`. */
export function isWaiting(e: WaitlistEntryInfo, now?: number): boolean {
  if (e.status === 'waiting') return true;
  return e.status === 'offered' && now !== undefined && e.offerExpiresAt !== null && e.offerExpiresAt <= now;
}

export function waitlistCandidates(slot: OpenedSlot, entries: readonly WaitlistEntryInfo[], opts: CandidateOptions = {}): WaitlistEntryInfo[] {
  const wall = instantToWall(slot.start, slot.timeZone);
  const matches = entries.filter((e) => {
    if (!isWaiting(e, opts.now) || e.serviceId !== slot.serviceId || e.customerId === opts.excludeCustomerId) return false;
    if (e.dateFrom !== null && wall.date < e.dateFrom) return false;
    if (e.dateTo !== null && wall.date > e.dateTo) return false;
    if (e.preferredWeekdays.length > 0 && !e.preferredWeekdays.includes(wall.weekday)) return false;
    if (e.preferredPartsOfDay.length > 0 && !e.preferredPartsOfDay.some((p) => inPart(wall.minutes, p))) return false;
    if (e.preferredResourceId !== null && !slot.resourceIds.includes(e.preferredResourceId)) return false;
    return true;
  });
  return matches.sort(
    (a, b) => Number(b.urgent) - Number(a.urgent) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function inPart(minutes: number, part: PartOfDay): boolean {
  const [from, to] = PARTS_OF_DAY[part];
  return minutes >= from && minutes < to;
}
