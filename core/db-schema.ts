/**
 * The synced tables as the domain sees them, for Kysely. The same shapes exist in the desk's SQLite
 * replica and (with the sync issue) in the server's Postgres, so a mutator's `apply` compiles to
 * both dialects. Portable column types only: text, integer (epoch ms, 0/1 flags), JSON as text.
 */
import type { Generated, Kysely, Transaction } from 'kysely';

export interface OrganizationsTable {
  id: string;
  name: string;
  default_country: string;
  created_at: number;
}

export interface SitesTable {
  id: string;
  organization_id: string;
  name: string;
  kind: 'clinic' | 'gym';
  time_zone: string;
  created_at: number;
  // Scheduling settings (migration 0030). The store fills the defaults, so a new site can be
  // inserted without them; core/scheduling/scheduling.model.ts reads them into SiteRules.
  /** Slot starts lie on this local grid: 5, 10, 15, 30 or 60 minutes. */
  granularity_minutes: Generated<number>;
  /**
   * JSON `{ openingHours, closures, holidays, workdayOverrides, dateOverrides }` as in SiteSchedule
   * (date-level rules; emergency closures by the hour are rows of site_closures).
   */
  schedule: Generated<string>;
  /** How long a hold (online checkout, waitlist offer) keeps its slot. */
  hold_minutes: Generated<number>;
  /** A customer cancellation less than this many hours before the start is a late cancellation. */
  late_cancel_hours: Generated<number>;
  /** A booking not arrived this many minutes after its start becomes a no-show. */
  no_show_grace_minutes: Generated<number>;
  /** 0/1: a freed slot is held for the first waitlist candidate at once. */
  waitlist_auto_offer: Generated<number>;
  /** After this many no-shows a customer is blacklisted automatically; null = never. */
  blacklist_after_no_shows: Generated<number | null>;
}

export interface CustomersTable {
  id: string;
  organization_id: string;
  name: string;
  /** E.164, e.g. +8613812345678; unique per organization. */
  phone: string;
  national_id: string | null;
  birth_date: string | null;
  gender: 'female' | 'male' | 'other' | 'unknown';
  notes: string;
  /** JSON array of strings. */
  tags: string;
  created_at: number;
  updated_at: number;
  created_by: string;
  /** 0/1: bookings for this customer need the 'booking.overrideBlacklist' permission and a reason. */
  blacklisted: number;
  blacklist_reason: string | null;
}

/** An emergency closure by the hour (power cut, burst pipe), recorded by site.closeNow. */
export interface SiteClosuresTable {
  id: string;
  organization_id: string;
  site_id: string;
  start_at: number;
  end_at: number;
  reason: string;
  created_by: string;
  created_at: number;
}

export interface DepartmentsTable {
  id: string;
  organization_id: string;
  site_id: string;
  name: string;
  colour: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface ResourcesTable {
  id: string;
  organization_id: string;
  site_id: string;
  department_id: string | null;
  /** ResourceKind: 'practitioner', 'coach', 'room', 'equipment', … */
  kind: string;
  name: string;
  /** People it holds at once (a room's size); null = not limited. */
  capacity: number | null;
  colour: string | null;
  active: number;
  /** JSON `{ schedules, dateOverrides, leave }` as in ResourceSchedule. */
  schedule: string;
  created_at: number;
  updated_at: number;
}

export interface ServicesTable {
  id: string;
  organization_id: string;
  site_id: string;
  department_id: string | null;
  category: string;
  name: string;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  price_minor: number;
  currency: string;
  /** 1 = a private appointment; more = a group class with this many seats per session. */
  seats: number;
  /** JSON array of ResourceKind, one entry per resource a booking holds. */
  resource_kinds: string;
  min_notice_minutes: number;
  max_advance_days: number;
  colour: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

export type ClassSessionStatus = 'scheduled' | 'cancelled';

export interface ClassSessionsTable {
  id: string;
  organization_id: string;
  site_id: string;
  service_id: string;
  start_at: number;
  end_at: number;
  coach_resource_id: string;
  room_resource_id: string | null;
  /** Seats of this session; null = the service's seats (an edit of the service applies). */
  seats: number | null;
  status: ClassSessionStatus;
  cancel_reason: string | null;
  /** The service's buffers when the session was scheduled. */
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** The time a scheduled session holds each of its resources, like booking_resources. */
export interface SessionResourcesTable {
  session_id: string;
  resource_id: string;
  blocked_start: number;
  blocked_end: number;
  active: number;
}

export type BookingSource = 'desk' | 'online' | 'walkIn';
export type CancelledBy = 'customer' | 'staff';

export interface BookingsTable {
  id: string;
  organization_id: string;
  site_id: string;
  service_id: string;
  customer_id: string;
  start_at: number;
  end_at: number;
  /** The service's buffers when booked: editing the service later does not move this booking. */
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  /** BookingStatus (core/scheduling/schedule.ts). */
  status: string;
  source: BookingSource;
  notes: string;
  price_minor: number;
  currency: string;
  series_id: string | null;
  session_id: string | null;
  /** Seats taken in the session (party size). */
  seats: number;
  cancel_reason: string | null;
  cancelled_by: CancelledBy | null;
  /** 0/1: cancelled by the customer inside the site's late-cancel window. */
  late_cancel: number;
  /** Why a blacklisted customer was booked anyway. */
  override_reason: string | null;
  /** Counts changes; booking_events holds what each one was. */
  version: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** The time a booking holds each of its resources, buffers included; what the overlap check reads. */
export interface BookingResourcesTable {
  booking_id: string;
  resource_id: string;
  blocked_start: number;
  blocked_end: number;
  /** 0/1: 0 once the booking is cancelled or a no-show. */
  active: number;
}

export type BookingEventType = 'created' | 'rescheduled' | 'status';

export interface BookingEventsTable {
  id: string;
  organization_id: string;
  booking_id: string;
  /** The booking's version after this event. */
  version: number;
  type: BookingEventType;
  from_status: string | null;
  to_status: string | null;
  /** JSON `{ start, end, resourceIds, sessionId }` before and after the change. */
  before: string | null;
  after: string | null;
  reason: string | null;
  actor_staff_id: string;
  at: number;
}

export type HoldPurpose = 'checkout' | 'manual' | 'waitlistOffer';

export interface HoldsTable {
  id: string;
  organization_id: string;
  site_id: string;
  service_id: string | null;
  /** A hold on seats of a group session instead of on resources. */
  session_id: string | null;
  seats: number;
  /** JSON array of resource ids. */
  resource_ids: string;
  start_at: number;
  end_at: number;
  /** start/end widened by the service's buffers: the time the hold blocks. */
  blocked_start: number;
  blocked_end: number;
  /** The hold blocks while now < expires_at; after that it is as if it did not exist. */
  expires_at: number;
  created_by: string;
  customer_id: string | null;
  purpose: HoldPurpose;
  waitlist_entry_id: string | null;
  created_at: number;
}

export type WaitlistStatus = 'waiting' | 'offered' | 'booked' | 'removed';

export interface WaitlistEntriesTable {
  id: string;
  organization_id: string;
  site_id: string;
  customer_id: string;
  service_id: string;
  /** JSON array of ISO weekdays 1–7; empty = any day. */
  preferred_weekdays: string;
  /** JSON array of 'morning' | 'afternoon' | 'evening'; empty = any time. */
  preferred_parts_of_day: string;
  preferred_resource_id: string | null;
  date_from: string | null;
  date_to: string | null;
  urgent: number;
  status: WaitlistStatus;
  offered_hold_id: string | null;
  /** When the offer's hold runs out; an entry offered past this is waiting again. */
  offer_expires_at: number | null;
  offered_booking_id: string | null;
  notes: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface DomainTables {
  organizations: OrganizationsTable;
  sites: SitesTable;
  customers: CustomersTable;
  site_closures: SiteClosuresTable;
  departments: DepartmentsTable;
  resources: ResourcesTable;
  services: ServicesTable;
  class_sessions: ClassSessionsTable;
  session_resources: SessionResourcesTable;
  bookings: BookingsTable;
  booking_resources: BookingResourcesTable;
  booking_events: BookingEventsTable;
  holds: HoldsTable;
  waitlist_entries: WaitlistEntriesTable;
}

/** What a mutator may touch: the domain tables inside one transaction. */
export type Tx = Transaction<DomainTables> | Kysely<DomainTables>;
