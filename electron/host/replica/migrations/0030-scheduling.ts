/**
 * 0030: scheduling. Site settings and the customer blacklist on existing tables; departments,
 * resources, services, group sessions, bookings with their resource blocks and history, holds,
 * the waitlist and emergency closures.
 *
 * The overlap check (core/scheduling/booking.queries.ts) reads booking_resources and
 * session_resources by `(resource_id, active, blocked_start)` with blocked_start bounded on both
 * sides, which SQLite runs as an index range scan. That bound is only correct while no block is
 * longer than MAX_BLOCK_MS (32 h: a 24-hour service plus two 4-hour buffers), hence the CHECKs.
 * The server's Postgres adds an exclusion constraint on top (ARCHITECTURE.md).
 *
 * A new site opens every day around the clock until its hours are set: the resources' working
 * hours are what limits bookings, so a fresh site is never silently unbookable.
 */
import type { Database } from 'better-sqlite3';

const OPEN_ALL_WEEK = JSON.stringify({
  openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 0, end: 1440 })),
  closures: [],
  holidays: [],
  workdayOverrides: [],
  dateOverrides: [],
});

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE sites ADD COLUMN granularity_minutes INTEGER NOT NULL DEFAULT 15
      CHECK (granularity_minutes IN (5, 10, 15, 30, 60));
    ALTER TABLE sites ADD COLUMN schedule TEXT NOT NULL DEFAULT '${OPEN_ALL_WEEK}' CHECK (json_valid(schedule));
    ALTER TABLE sites ADD COLUMN hold_minutes INTEGER NOT NULL DEFAULT 15 CHECK (hold_minutes BETWEEN 1 AND 1440);
    ALTER TABLE sites ADD COLUMN late_cancel_hours INTEGER NOT NULL DEFAULT 24 CHECK (late_cancel_hours BETWEEN 0 AND 720);
    ALTER TABLE sites ADD COLUMN no_show_grace_minutes INTEGER NOT NULL DEFAULT 15 CHECK (no_show_grace_minutes BETWEEN 0 AND 1440);
    ALTER TABLE sites ADD COLUMN waitlist_auto_offer INTEGER NOT NULL DEFAULT 0 CHECK (waitlist_auto_offer IN (0, 1));
    ALTER TABLE sites ADD COLUMN blacklist_after_no_shows INTEGER CHECK (blacklist_after_no_shows IS NULL OR blacklist_after_no_shows >= 1);

    ALTER TABLE customers ADD COLUMN blacklisted INTEGER NOT NULL DEFAULT 0 CHECK (blacklisted IN (0, 1));
    ALTER TABLE customers ADD COLUMN blacklist_reason TEXT;

    CREATE TABLE site_closures (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      start_at INTEGER NOT NULL,
      end_at INTEGER NOT NULL CHECK (end_at > start_at),
      reason TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX site_closures_by_site ON site_closures(site_id, start_at);

    CREATE TABLE departments (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
      colour TEXT,
      active INTEGER NOT NULL CHECK (active IN (0, 1)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX departments_by_site ON departments(site_id);

    CREATE TABLE resources (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      department_id TEXT REFERENCES departments(id),
      kind TEXT NOT NULL,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
      capacity INTEGER CHECK (capacity IS NULL OR capacity >= 1),
      colour TEXT,
      active INTEGER NOT NULL CHECK (active IN (0, 1)),
      schedule TEXT NOT NULL CHECK (json_valid(schedule)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX resources_by_site ON resources(site_id, kind);

    CREATE TABLE services (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      department_id TEXT REFERENCES departments(id),
      category TEXT NOT NULL,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
      duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
      buffer_before_minutes INTEGER NOT NULL CHECK (buffer_before_minutes BETWEEN 0 AND 240),
      buffer_after_minutes INTEGER NOT NULL CHECK (buffer_after_minutes BETWEEN 0 AND 240),
      price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
      currency TEXT NOT NULL,
      seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 500),
      resource_kinds TEXT NOT NULL CHECK (json_valid(resource_kinds) AND json_type(resource_kinds) = 'array'),
      min_notice_minutes INTEGER NOT NULL CHECK (min_notice_minutes >= 0),
      max_advance_days INTEGER NOT NULL CHECK (max_advance_days >= 1),
      colour TEXT,
      active INTEGER NOT NULL CHECK (active IN (0, 1)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX services_by_site ON services(site_id);

    CREATE TABLE class_sessions (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      service_id TEXT NOT NULL REFERENCES services(id),
      start_at INTEGER NOT NULL,
      end_at INTEGER NOT NULL CHECK (end_at > start_at),
      coach_resource_id TEXT NOT NULL REFERENCES resources(id),
      room_resource_id TEXT REFERENCES resources(id),
      seats INTEGER CHECK (seats IS NULL OR seats BETWEEN 1 AND 500),
      status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
      cancel_reason TEXT,
      buffer_before_minutes INTEGER NOT NULL,
      buffer_after_minutes INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX class_sessions_by_site ON class_sessions(site_id, start_at);
    CREATE INDEX class_sessions_by_service ON class_sessions(service_id, start_at);

    CREATE TABLE session_resources (
      session_id TEXT NOT NULL REFERENCES class_sessions(id),
      resource_id TEXT NOT NULL REFERENCES resources(id),
      blocked_start INTEGER NOT NULL,
      blocked_end INTEGER NOT NULL CHECK (blocked_end > blocked_start AND blocked_end - blocked_start <= 115200000),
      active INTEGER NOT NULL CHECK (active IN (0, 1)),
      PRIMARY KEY (session_id, resource_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX session_resources_overlap ON session_resources(resource_id, active, blocked_start);

    CREATE TABLE bookings (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      service_id TEXT NOT NULL REFERENCES services(id),
      customer_id TEXT NOT NULL REFERENCES customers(id),
      start_at INTEGER NOT NULL,
      end_at INTEGER NOT NULL CHECK (end_at > start_at),
      buffer_before_minutes INTEGER NOT NULL,
      buffer_after_minutes INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'arrived', 'inService', 'completed', 'cancelled', 'noShow')),
      source TEXT NOT NULL CHECK (source IN ('desk', 'online', 'walkIn')),
      notes TEXT NOT NULL,
      price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
      currency TEXT NOT NULL,
      series_id TEXT,
      session_id TEXT REFERENCES class_sessions(id),
      seats INTEGER NOT NULL CHECK (seats >= 1),
      cancel_reason TEXT,
      cancelled_by TEXT CHECK (cancelled_by IS NULL OR cancelled_by IN ('customer', 'staff')),
      late_cancel INTEGER NOT NULL CHECK (late_cancel IN (0, 1)),
      override_reason TEXT,
      version INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    -- Calendars and no-show sweeps read a site's bookings by time; the customer index serves the
    -- double-booking check (a bounded range on start_at); seats are counted per session.
    CREATE INDEX bookings_by_site ON bookings(site_id, start_at);
    CREATE INDEX bookings_by_site_status ON bookings(site_id, status, start_at);
    CREATE INDEX bookings_by_customer ON bookings(customer_id, start_at);
    CREATE INDEX bookings_by_session ON bookings(session_id) WHERE session_id IS NOT NULL;
    CREATE INDEX bookings_by_series ON bookings(series_id) WHERE series_id IS NOT NULL;

    CREATE TABLE booking_resources (
      booking_id TEXT NOT NULL REFERENCES bookings(id),
      resource_id TEXT NOT NULL REFERENCES resources(id),
      blocked_start INTEGER NOT NULL,
      blocked_end INTEGER NOT NULL CHECK (blocked_end > blocked_start AND blocked_end - blocked_start <= 115200000),
      active INTEGER NOT NULL CHECK (active IN (0, 1)),
      PRIMARY KEY (booking_id, resource_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX booking_resources_overlap ON booking_resources(resource_id, active, blocked_start);

    CREATE TABLE booking_events (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      booking_id TEXT NOT NULL REFERENCES bookings(id),
      version INTEGER NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('created', 'rescheduled', 'status')),
      from_status TEXT,
      to_status TEXT,
      before TEXT CHECK (before IS NULL OR json_valid(before)),
      after TEXT CHECK (after IS NULL OR json_valid(after)),
      reason TEXT,
      actor_staff_id TEXT NOT NULL,
      at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX booking_events_by_booking ON booking_events(booking_id, version);

    CREATE TABLE holds (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      service_id TEXT REFERENCES services(id),
      session_id TEXT REFERENCES class_sessions(id),
      seats INTEGER NOT NULL CHECK (seats >= 1),
      resource_ids TEXT NOT NULL CHECK (json_valid(resource_ids) AND json_type(resource_ids) = 'array'),
      start_at INTEGER NOT NULL,
      end_at INTEGER NOT NULL CHECK (end_at > start_at),
      blocked_start INTEGER NOT NULL,
      blocked_end INTEGER NOT NULL CHECK (blocked_end > blocked_start AND blocked_end - blocked_start <= 115200000),
      expires_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      customer_id TEXT REFERENCES customers(id),
      purpose TEXT NOT NULL CHECK (purpose IN ('checkout', 'manual', 'waitlistOffer')),
      waitlist_entry_id TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;
    -- Live holds are few (they last minutes and are purged); the checks read them by expiry.
    CREATE INDEX holds_live ON holds(site_id, expires_at);
    CREATE INDEX holds_by_session ON holds(session_id) WHERE session_id IS NOT NULL;

    CREATE TABLE waitlist_entries (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      site_id TEXT NOT NULL REFERENCES sites(id),
      customer_id TEXT NOT NULL REFERENCES customers(id),
      service_id TEXT NOT NULL REFERENCES services(id),
      preferred_weekdays TEXT NOT NULL CHECK (json_valid(preferred_weekdays)),
      preferred_parts_of_day TEXT NOT NULL CHECK (json_valid(preferred_parts_of_day)),
      preferred_resource_id TEXT REFERENCES resources(id),
      date_from TEXT,
      date_to TEXT,
      urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
      status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'removed')),
      offered_hold_id TEXT,
      offer_expires_at INTEGER,
      offered_booking_id TEXT,
      notes TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX waitlist_by_service ON waitlist_entries(site_id, service_id, status);
    CREATE INDEX waitlist_by_customer ON waitlist_entries(customer_id);
  `);
}
