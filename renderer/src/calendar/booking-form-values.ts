/**
 * The pure part of the booking drawer: the times a receptionist can pick (the site's grid), which
 * service a dragged range most likely means, and the resources to send when only some were
 * chosen (a doctor picked from the column, the room left to the desk).
 */
import { BLOCKING_STATUSES, type BookingStatus } from '../../../core/scheduling/schedule';
import { hhmm } from './calendar-time';
import type { CalendarData, CatalogResource, CatalogService } from './types';

const MINUTE_MS = 60_000;

/** Start times on the site's grid: 00:00, 00:15, … (minutes after midnight). */
export function timeOptions(granularityMinutes: number): { value: number; label: string }[] {
  const step = granularityMinutes > 0 ? granularityMinutes : 15;
  const out: { value: number; label: string }[] = [];
  for (let m = 0; m < 1440; m += step) out.push({ value: m, label: hhmm(m) });
  return out;
}

/** Services a time can be booked for: active appointments (group classes are booked into a session). */
export function appointmentServices(services: readonly CatalogService[]): CatalogService[] {
  return services.filter((s) => s.active && s.seats === 1);
}

/** Active resources of a kind, for a service's resource choice. */
export function resourcesOfKind(resources: readonly CatalogResource[], kind: string): CatalogResource[] {
  return resources.filter((r) => r.active && r.kind === kind);
}

/**
 * The service a range dragged on a resource's column most likely means: among the appointment
 * services that need that kind of resource, the one whose length matches the range, else the
 * only one. null when it is not clear.
 */
export function guessService(services: readonly CatalogService[], resourceKind: string | null, minutes: number | null): CatalogService | null {
  const fitting = appointmentServices(services).filter((s) => resourceKind === null || s.resourceKinds.includes(resourceKind));
  const exact = minutes === null ? [] : fitting.filter((s) => s.durationMinutes === minutes);
  if (exact.length === 1) return exact[0]!;
  return fitting.length === 1 ? fitting[0]! : null;
}

export interface PlannedSpan {
  start: number;
  end: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/**
 * The resources to send for a booking, one per kind of the service, in its order:
 * - none chosen: undefined, and the desk picks the first free ones;
 * - all chosen: those;
 * - some chosen: the others filled with the first resource of their kind that works then and is
 *   free in the calendar window (buffers included), else the first of the kind, so the refusal
 *   names a resource instead of dropping the receptionist's choice.
 */
export function completeResources(
  kinds: readonly string[],
  chosen: readonly (string | null | undefined)[],
  span: PlannedSpan,
  window: Pick<CalendarData, 'resources' | 'bookings' | 'sessions'> | undefined,
): string[] | undefined {
  if (chosen.every((c) => !c)) return undefined;
  if (kinds.every((_, i) => chosen[i])) return kinds.map((_, i) => chosen[i]!);
  const blocked = { start: span.start - span.bufferBeforeMinutes * MINUTE_MS, end: span.end + span.bufferAfterMinutes * MINUTE_MS };
  const overlaps = (s: number, e: number) => s < blocked.end && blocked.start < e;
  const taken = new Set(chosen.filter((c): c is string => !!c));
  return kinds.map((kind, i) => {
    const given = chosen[i];
    if (given) return given;
    const candidates = (window?.resources ?? []).filter((r) => r.kind === kind && !taken.has(r.id));
    const free = candidates.find(
      (r) =>
        r.working.some((w) => w.start <= blocked.start && w.end >= blocked.end) &&
        !(window?.bookings ?? []).some(
          (b) =>
            BLOCKING_STATUSES.has(b.status as BookingStatus) &&
            b.resourceIds.includes(r.id) &&
            overlaps(b.start - b.bufferBeforeMinutes * MINUTE_MS, b.end + b.bufferAfterMinutes * MINUTE_MS),
        ) &&
        !(window?.sessions ?? []).some((s) => s.status === 'scheduled' && (s.coachId === r.id || s.roomId === r.id) && overlaps(s.start, s.end)),
    );
    const pick = free ?? candidates[0];
    if (pick) taken.add(pick.id);
    return pick?.id ?? '';
  }).filter((id) => id !== '');
}
