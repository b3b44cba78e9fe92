/**
 * The booking state machine.
 *
 *   pending ──► confirmed ──► arrived ──► inService ──► completed
 *      │            │            │  └──────────────────────▲
 *      │            │            └──► cancelled
 *      ├──► arrived └──► cancelled, noShow
 *      └──► cancelled, noShow
 *
 * - pending → arrived: a customer whose unconfirmed booking nobody got round to confirming still
 *   checks in; the desk must not have to confirm first.
 * - arrived → completed: a gym class or a quick service has no separate "in service" step.
 * - arrived → cancelled: the customer left before being seen.
 * - completed, cancelled and noShow are final. A no-show who turns up late is a walk-in: the
 *   freed time may already be offered to the waitlist.
 */
import { BLOCKING_STATUSES, type BookingStatus } from './schedule';
import { HOUR_MS, MINUTE_MS } from './zoned-time';

export const BOOKING_TRANSITIONS: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  pending: ['confirmed', 'arrived', 'cancelled', 'noShow'],
  confirmed: ['arrived', 'cancelled', 'noShow'],
  arrived: ['inService', 'completed', 'cancelled'],
  inService: ['completed'],
  completed: [],
  cancelled: [],
  noShow: [],
};

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return BOOKING_TRANSITIONS[from].includes(to);
}

/** Whether a booking in this status holds its resources (and a seat in its session). */
export function isActiveStatus(status: BookingStatus): boolean {
  return BLOCKING_STATUSES.has(status);
}

/** Statuses in which the time of a booking may still be moved: the customer has not come yet. */
export const RESCHEDULABLE_STATUSES: readonly BookingStatus[] = ['pending', 'confirmed'];

/** Statuses a no-show sweep looks at: nobody has checked the customer in. */
export const AWAITING_ARRIVAL: readonly BookingStatus[] = ['pending', 'confirmed'];

/**
 * A customer's cancellation is late when it comes less than `lateCancelHours` before the start
 * (or after it). Staff cancellations are never late: the flag is about the customer's conduct
 * (penalties, deposits), and a clinic cancelling its own slot is not the customer's doing.
 */
export function isLateCancellation(start: number, now: number, lateCancelHours: number, by: 'customer' | 'staff'): boolean {
  return by === 'customer' && start - now < lateCancelHours * HOUR_MS;
}

/** A booking still awaiting arrival becomes a no-show once its start plus the grace has passed. */
export function isNoShowDue(status: BookingStatus, start: number, now: number, graceMinutes: number): boolean {
  return AWAITING_ARRIVAL.includes(status) && start + graceMinutes * MINUTE_MS <= now;
}
