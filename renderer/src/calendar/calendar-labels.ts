/** Words for the calendar's codes: booking statuses, resource kinds, history entries. */
import type { TFunction } from 'i18next';
import { BOOKING_STATUSES, type BookingStatus } from '../../../core/scheduling/schedule';
import { isTextKey } from '../i18n/resources';

export function isBookingStatus(s: string): s is BookingStatus {
  return (BOOKING_STATUSES as readonly string[]).includes(s);
}

export function statusLabel(t: TFunction, status: string): string {
  return isBookingStatus(status) ? t(`calendar.status.${status}`) : status;
}

/** The verb on the button that moves a booking to a status ("Check in" for arrived). */
export function actionLabel(t: TFunction, to: Exclude<BookingStatus, 'pending'>): string {
  return t(`calendar.action.${to}`);
}

/** Resource kinds are free words set up per site; the common ones have texts, others show as typed. */
export function kindLabel(t: TFunction, kind: string): string {
  const key = `calendar.kind.${kind}`;
  return isTextKey(key) ? t(key) : kind;
}
