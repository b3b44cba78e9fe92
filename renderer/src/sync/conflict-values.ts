/**
 * How an entry of the conflict inbox reads: what the refused change was ("Booking: Ann ·
 * Consultation · Tue, Nov 24, 2026 09:00 · Dr. Li", "New customer: Cai"), who made it, and each
 * alternative as a button's words ("Book 09:30 with Dr. Li", with the date when it is another day
 * than the one asked for). Times read in the zone of the booking's site.
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { TFunction } from 'i18next';
import type { Language } from '../../../core/i18n/messages';
import type { HostRouter } from '../../../electron/host/router/app.router';
import { formatDay, formatMoment, formatTime } from '../calendar/calendar-format';

export type ConflictEntry = inferRouterOutputs<HostRouter>['sync']['conflicts'][number];
export type ConflictSlot = ConflictEntry['alternatives'][number];

export interface Place {
  language: Language;
  timeZone: string;
}

const KNOWN_CHANGES = ['booking.create', 'booking.walkIn', 'booking.reschedule', 'booking.createSeries', 'customer.create', 'customer.update'] as const;
type KnownChange = (typeof KNOWN_CHANGES)[number];

function isKnownChange(name: string): name is KnownChange {
  return (KNOWN_CHANGES as readonly string[]).includes(name);
}

/** "Booking", "New customer", … or, for a change this UI has no word for, its name. */
export function changeKindText(t: TFunction, name: string): string {
  return isKnownChange(name) ? t(`sync.change.${name}`) : t('sync.change.other', { name });
}

function stringAt(v: unknown, key: string): string | null {
  if (typeof v !== 'object' || v === null || !(key in v)) return null;
  const s = (v as Record<string, unknown>)[key];
  return typeof s === 'string' && s.trim() !== '' ? s : null;
}

/** What the change was, in one line. */
export function conflictSummary(t: TFunction, e: Pick<ConflictEntry, 'name' | 'args' | 'booking'>, place: Place): string {
  const parts: string[] = [];
  if (e.booking) {
    parts.push(e.booking.customerName ?? t('sync.conflicts.someone'));
    parts.push(e.booking.serviceName ?? t('sync.conflicts.someService'));
    if (e.booking.start !== null) parts.push(formatMoment(e.booking.start, place.language, place.timeZone));
    if (e.booking.resourceNames.length > 0) parts.push(e.booking.resourceNames.join(', '));
  } else {
    // A customer's change names the customer (a new one's name, or the name an edit set).
    const name = stringAt(e.args, 'name') ?? stringAt(e.args.patch, 'name');
    if (name) parts.push(name);
  }
  const kind = changeKindText(t, e.name);
  return parts.length === 0 ? kind : t('sync.conflicts.summary', { kind, what: parts.join(' · ') });
}

/** Who made the change: "you" for the one signed in here, otherwise the end of their id. */
export function madeByText(t: TFunction, staffId: string, me: string | null): string {
  return staffId === me ? t('sync.conflicts.you') : t('sync.conflicts.staff', { id: staffId.slice(-4) });
}

/**
 * An alternative's button: the time alone when it is on the day that was asked for, else with its
 * date; and with whom, by name (an id this desk has no name for is left out).
 */
export function alternativeLabel(t: TFunction, slot: Pick<ConflictSlot, 'start' | 'resourceIds'>, wanted: number | null, place: Place, nameOf: (id: string) => string | null): string {
  const { language, timeZone } = place;
  const sameDay = wanted !== null && formatDay(slot.start, language, timeZone) === formatDay(wanted, language, timeZone);
  const time = sameDay ? formatTime(slot.start, language, timeZone) : formatMoment(slot.start, language, timeZone);
  const names = slot.resourceIds.map(nameOf).filter((n): n is string => n !== null);
  return names.length > 0 ? t('sync.conflicts.book', { time, names: names.join(', ') }) : t('sync.conflicts.bookAt', { time });
}

/** Names of the resources a conflict knows: the ones it asked for, by position in its arguments. */
export function namesFromEntry(e: Pick<ConflictEntry, 'args' | 'booking'>): Map<string, string> {
  const ids = Array.isArray(e.args.resourceIds) ? e.args.resourceIds : [];
  const names = e.booking?.resourceNames ?? [];
  const out = new Map<string, string>();
  ids.forEach((id, i) => {
    const name = names[i];
    if (typeof id === 'string' && name !== undefined && name !== id) out.set(id, name);
  });
  return out;
}
