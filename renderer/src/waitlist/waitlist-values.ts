/**
 * The pure part of the waitlist screens: the entry form's values and the mutator arguments they
 * become (an edit sends only what changed), where a refusal's issues belong in the form, an entry's
 * state on screen (an offer whose hold ran out reads as waiting again, as core counts it), the
 * time an offer has left, and the free slots that suit an entry — found with the host's
 * `findSlots` and kept only when core's own waitlist matching (waitlist.ts) would pick the entry
 * for them, so "Find a slot" and the automatic offer agree.
 */
import dayjs, { type Dayjs } from 'dayjs';
import type { FieldIssue } from '../../../core/errors';
import type { Language } from '../../../core/i18n/messages';
import type { PartOfDay } from '../../../core/scheduling/availability';
import type { WaitlistOutcome } from '../../../core/scheduling/booking.writes';
import { waitlistCandidates } from '../../../core/scheduling/waitlist';
import { addDays, dayNumber, type IsoWeekday } from '../../../core/scheduling/zoned-time';
import type { LocalDate } from '../../../core/time';
import type { PickedCustomer } from '../calendar/quick-register-modal';
import type { CalendarSession, FindSlotsInput, FoundSlot, SchedulingMutation } from '../calendar/types';
import type { WaitlistEntry, WaitlistStatus } from './types';

const DATE_FORMAT = 'YYYY-MM-DD';

export const PARTS_OF_DAY: readonly PartOfDay[] = ['morning', 'afternoon', 'evening'];
export const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

type ArgsOf<N extends SchedulingMutation['name']> = Extract<SchedulingMutation, { name: N }>['args'];
export type AddWaitlistInput = ArgsOf<'waitlist.add'>;
export type WaitlistPatch = ArgsOf<'waitlist.update'>['patch'];
export type OfferTarget = ArgsOf<'waitlist.offer'>['target'];
export type BookOfferInput = ArgsOf<'booking.create'>;

export interface WaitlistFormValues {
  customer: PickedCustomer | null;
  serviceId: string | undefined;
  weekdays: IsoWeekday[];
  parts: PartOfDay[];
  /** null: any resource. */
  resourceId: string | null;
  dateFrom: Dayjs | null;
  dateTo: Dayjs | null;
  urgent: boolean;
  notes: string;
}

export const WAITLIST_FIELDS = ['customer', 'serviceId', 'weekdays', 'parts', 'resourceId', 'dateFrom', 'dateTo', 'urgent', 'notes'] as const;
export type WaitlistField = (typeof WAITLIST_FIELDS)[number];

export function emptyWaitlistValues(): WaitlistFormValues {
  return { customer: null, serviceId: undefined, weekdays: [], parts: [], resourceId: null, dateFrom: null, dateTo: null, urgent: false, notes: '' };
}

export function waitlistValuesOf(e: WaitlistEntry): WaitlistFormValues {
  return {
    customer: { id: e.customerId, name: e.customerName, phone: e.customerPhone },
    serviceId: e.serviceId,
    weekdays: WEEKDAYS.filter((d) => e.preferredWeekdays.includes(d)),
    parts: [...e.preferredPartsOfDay],
    resourceId: e.preferredResourceId,
    dateFrom: e.dateFrom === null ? null : dayjs(e.dateFrom),
    dateTo: e.dateTo === null ? null : dayjs(e.dateTo),
    urgent: e.urgent,
    notes: e.notes,
  };
}

interface Preferences {
  preferredWeekdays: IsoWeekday[];
  preferredPartsOfDay: PartOfDay[];
  preferredResourceId: string | null;
  dateFrom: LocalDate | null;
  dateTo: LocalDate | null;
  urgent: boolean;
  notes: string;
}

/** The preferences in a stable order (weekdays Monday first, parts through the day), notes trimmed. */
function preferencesOf(v: WaitlistFormValues): Preferences {
  return {
    preferredWeekdays: WEEKDAYS.filter((d) => v.weekdays.includes(d)),
    preferredPartsOfDay: PARTS_OF_DAY.filter((p) => v.parts.includes(p)),
    preferredResourceId: v.resourceId ?? null,
    dateFrom: v.dateFrom ? v.dateFrom.format(DATE_FORMAT) : null,
    dateTo: v.dateTo ? v.dateTo.format(DATE_FORMAT) : null,
    urgent: v.urgent,
    notes: (v.notes ?? '').trim(),
  };
}

/** A new entry's arguments; null while the customer or the service is missing. */
export function addArgsOf(v: WaitlistFormValues): AddWaitlistInput | null {
  if (!v.customer || !v.serviceId) return null;
  return { customerId: v.customer.id, serviceId: v.serviceId, ...preferencesOf(v) };
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** What an edit changes, field by field (an empty patch means nothing changed). */
export function patchOf(e: WaitlistEntry, v: WaitlistFormValues): WaitlistPatch {
  const p = preferencesOf(v);
  const patch: WaitlistPatch = {};
  if (!sameList(p.preferredWeekdays, e.preferredWeekdays)) patch.preferredWeekdays = p.preferredWeekdays;
  if (!sameList(p.preferredPartsOfDay, e.preferredPartsOfDay)) patch.preferredPartsOfDay = p.preferredPartsOfDay;
  if (p.preferredResourceId !== e.preferredResourceId) patch.preferredResourceId = p.preferredResourceId;
  if (p.dateFrom !== e.dateFrom) patch.dateFrom = p.dateFrom;
  if (p.dateTo !== e.dateTo) patch.dateTo = p.dateTo;
  if (p.urgent !== e.urgent) patch.urgent = p.urgent;
  if (p.notes !== e.notes) patch.notes = p.notes;
  return patch;
}

const FIELD_OF_ARG: Readonly<Record<string, WaitlistField>> = {
  customerId: 'customer',
  serviceId: 'serviceId',
  preferredWeekdays: 'weekdays',
  preferredPartsOfDay: 'parts',
  preferredResourceId: 'resourceId',
  dateFrom: 'dateFrom',
  dateTo: 'dateTo',
  urgent: 'urgent',
  notes: 'notes',
};

/** The form field a mutator's issue belongs to (an update's arrive under `patch.`). */
export function fieldOfIssue(issue: FieldIssue): WaitlistField | null {
  const path = issue.path[0] === 'patch' ? issue.path.slice(1) : issue.path;
  const head = path[0];
  return typeof head === 'string' ? (FIELD_OF_ARG[head] ?? null) : null;
}

/** What the desk shows: `lapsed` is an offer whose hold ran out (the entry waits again). */
export type EntryState = 'waiting' | 'offered' | 'lapsed' | 'booked' | 'removed';

export function entryState(e: Pick<WaitlistEntry, 'status' | 'offerExpiresAt'>, now: number): EntryState {
  if (e.status !== 'offered') return e.status;
  return e.offerExpiresAt !== null && e.offerExpiresAt <= now ? 'lapsed' : 'offered';
}

/** Whether an offer can be made for the entry now (core's isWaiting). */
export function canOffer(e: Pick<WaitlistEntry, 'status' | 'offerExpiresAt'>, now: number): boolean {
  const state = entryState(e, now);
  return state === 'waiting' || state === 'lapsed';
}

/** Time left as "m:ss", or "h:mm:ss" from an hour; "0:00" once it has run out. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export const WAITLIST_FILTERS = ['open', 'booked', 'removed', 'all'] as const;
export type WaitlistFilter = (typeof WAITLIST_FILTERS)[number];

export function statusesOf(filter: WaitlistFilter): WaitlistStatus[] {
  if (filter === 'open') return ['waiting', 'offered'];
  if (filter === 'all') return ['waiting', 'offered', 'booked', 'removed'];
  return [filter];
}

/** "Mon" / "周一" for an ISO weekday (1 = Monday). */
export function weekdayName(weekday: number, language: Language): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, weekday));
}

/** How far ahead "Find a slot" looks when the entry has no end date, and at most. */
export const SLOT_SEARCH_DAYS = 28;
const MAX_SEARCH_DAYS = 42;

/**
 * The host search for an entry: from its first date (not before today) to its last (or four
 * weeks), with its resource and, when it names exactly one, its part of the day; null when its
 * dates are over. The other preferences are applied to the answer (slotsForEntry).
 */
export function findSlotsInputOf(e: WaitlistEntry, siteId: string, today: LocalDate): FindSlotsInput | null {
  const from = e.dateFrom !== null && e.dateFrom > today ? e.dateFrom : today;
  const last = e.dateTo ?? addDays(from, SLOT_SEARCH_DAYS - 1);
  if (last < from) return null;
  const days = Math.min(MAX_SEARCH_DAYS, dayNumber(last) - dayNumber(from) + 1);
  const [onlyPart] = e.preferredPartsOfDay;
  return {
    siteId,
    serviceId: e.serviceId,
    from,
    days,
    limit: 50,
    ...(e.preferredResourceId === null ? {} : { resourceId: e.preferredResourceId }),
    ...(e.preferredPartsOfDay.length === 1 && onlyPart ? { partOfDay: onlyPart } : {}),
  };
}

/** The window of a class search (the calendar's), as findSlotsInputOf bounds it. */
export function sessionWindowOf(input: FindSlotsInput): { from: LocalDate; to: LocalDate } {
  const from = input.from!;
  return { from, to: addDays(from, (input.days ?? SLOT_SEARCH_DAYS) - 1) };
}

function suits(e: WaitlistEntry, slot: { start: number; end: number; resourceIds: readonly string[] }, timeZone: string): boolean {
  return waitlistCandidates({ serviceId: e.serviceId, ...slot, timeZone }, [{ ...e, status: 'waiting' }]).length > 0;
}

/** The found slots that suit the entry's weekdays, parts of the day and dates, first `limit`. */
export function slotsForEntry(slots: readonly FoundSlot[], e: WaitlistEntry, timeZone: string, limit: number): FoundSlot[] {
  return slots.filter((s) => suits(e, s, timeZone)).slice(0, limit);
}

/** For a class: its coming sessions with a seat free that suit the entry, first `limit`. */
export function sessionsForEntry(sessions: readonly CalendarSession[], e: WaitlistEntry, timeZone: string, now: number, limit: number): CalendarSession[] {
  return sessions
    .filter(
      (s) =>
        s.serviceId === e.serviceId &&
        s.status === 'scheduled' &&
        s.start > now &&
        s.taken < s.capacity &&
        suits(e, { start: s.start, end: s.end, resourceIds: [s.coachId, ...(s.roomId === null ? [] : [s.roomId])] }, timeZone),
    )
    .sort((a, b) => a.start - b.start)
    .slice(0, limit);
}

/** The booking that completes an entry's offer (through its hold); null without a live offer. */
export function bookOfferArgsOf(e: WaitlistEntry): BookOfferInput | null {
  const o = e.offer;
  if (e.status !== 'offered' || o === null) return null;
  const base = { serviceId: e.serviceId, customerId: e.customerId, holdId: o.holdId };
  return o.sessionId !== null ? { ...base, sessionId: o.sessionId } : { ...base, start: o.start, resourceIds: o.resourceIds };
}

/** A slot to offer: what the hold takes, and its time to show. */
export interface OfferSlot {
  target: OfferTarget;
  start: number;
  end: number;
}

/** The slot a booking took, to offer when it frees: its session's seat, or its resources and time. */
export function freedSlotOf(b: { start: number; end: number; resourceIds: readonly string[]; sessionId: string | null }): OfferSlot {
  const target = b.sessionId !== null ? { sessionId: b.sessionId } : { resourceIds: [...b.resourceIds], start: b.start, end: b.end };
  return { target, start: b.start, end: b.end };
}

/**
 * Whether an entry's open offer holds this appointment slot (then nobody else can be offered it).
 * A class seat is never taken this way: the class may have other seats, and the host counts them.
 */
export function holdsSlot(e: WaitlistEntry, slot: OfferSlot, now: number): boolean {
  const o = e.offer;
  const t = slot.target;
  if (entryState(e, now) !== 'offered' || o === null || t.sessionId !== undefined || o.sessionId !== null) return false;
  return o.start === t.start && (t.resourceIds ?? []).every((id) => o.resourceIds.includes(id));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The waitlist part of a booking mutator's answer (cancel, no-show, reschedule): checked, since
 * `mutate` answers `unknown`. null when the answer has none (nothing opened, or no one matched).
 */
export function waitlistOutcomeOf(result: unknown): WaitlistOutcome | null {
  if (!isRecord(result) || !isRecord(result.waitlist)) return null;
  const { candidates, offered } = result.waitlist;
  if (!Array.isArray(candidates)) return null;
  const list = candidates.filter(
    (c): c is WaitlistOutcome['candidates'][number] =>
      isRecord(c) && typeof c.entryId === 'string' && typeof c.customerId === 'string' && typeof c.urgent === 'boolean' && typeof c.createdAt === 'number',
  );
  const auto =
    isRecord(offered) && typeof offered.entryId === 'string' && typeof offered.customerId === 'string' && typeof offered.holdId === 'string' && typeof offered.expiresAt === 'number'
      ? { entryId: offered.entryId, customerId: offered.customerId, holdId: offered.holdId, expiresAt: offered.expiresAt }
      : null;
  return list.length === 0 ? null : { candidates: list, offered: auto };
}

