/**
 * 0010: the synced domain tables, as the desk's replica has them after its migration 0030
 * (electron/host/replica/migrations): the same column names, NOT NULLs, defaults, keys, foreign
 * keys and checks, so core's mutators run unchanged on both. A parity test compares the columns.
 *
 * Translation from SQLite:
 * - instants (epoch ms) and money are BIGINT; counts, minutes and 0/1 flags stay INTEGER (not
 *   BOOLEAN: the mutators write 0 and 1);
 * - every text column is COLLATE "C": byte order, like SQLite's BINARY, so an ORDER BY name picks
 *   the same row on the server as on the desk whatever the database's locale;
 * - json_valid(x) becomes the cast x::json (an invalid value fails the cast, SQLSTATE 22P02, rather
 *   than the CHECK); json_type(x) = 'array' becomes json_typeof(x::json) = 'array';
 * - GLOB becomes a ~ regular expression, length() char_length().
 *
 * On top of the replica, the exclusion constraints ARCHITECTURE.md promises: no two active blocks
 * of one resource overlap, within booking_resources and within session_resources (the btree_gist
 * extension gives gist its `=` on text; the store loads it before migrating). A session against a
 * booking is across two tables, which a constraint cannot see: the organization's write lock
 * (Store.writeTx) serializes the mutators, and they check both tables.
 *
 * SQL valid on PostgreSQL 15 (servers) and 18 (PGlite).
 */

const OPEN_ALL_WEEK = JSON.stringify({
  openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 0, end: 1440 })),
  closures: [],
  holidays: [],
  workdayOverrides: [],
  dateOverrides: [],
});

export const sql = `
CREATE TABLE organizations (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  default_country TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE sites (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  name TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('clinic', 'gym')),
  time_zone TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  granularity_minutes INTEGER NOT NULL DEFAULT 15 CHECK (granularity_minutes IN (5, 10, 15, 30, 60)),
  schedule TEXT COLLATE "C" NOT NULL DEFAULT '${OPEN_ALL_WEEK}' CHECK (schedule::json IS NOT NULL),
  hold_minutes INTEGER NOT NULL DEFAULT 15 CHECK (hold_minutes BETWEEN 1 AND 1440),
  late_cancel_hours INTEGER NOT NULL DEFAULT 24 CHECK (late_cancel_hours BETWEEN 0 AND 720),
  no_show_grace_minutes INTEGER NOT NULL DEFAULT 15 CHECK (no_show_grace_minutes BETWEEN 0 AND 1440),
  waitlist_auto_offer INTEGER NOT NULL DEFAULT 0 CHECK (waitlist_auto_offer IN (0, 1)),
  blacklist_after_no_shows INTEGER CHECK (blacklist_after_no_shows IS NULL OR blacklist_after_no_shows >= 1)
);
CREATE INDEX sites_by_org ON sites(organization_id);

CREATE TABLE customers (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  name TEXT COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  phone TEXT COLLATE "C" NOT NULL CHECK (phone ~ '^[+][1-9]'),
  national_id TEXT COLLATE "C" CHECK (national_id IS NULL OR char_length(national_id) = 18),
  birth_date TEXT COLLATE "C" CHECK (birth_date IS NULL OR birth_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  gender TEXT COLLATE "C" NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unknown')),
  notes TEXT COLLATE "C" NOT NULL,
  tags TEXT COLLATE "C" NOT NULL CHECK (json_typeof(tags::json) = 'array'),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  blacklisted INTEGER NOT NULL DEFAULT 0 CHECK (blacklisted IN (0, 1)),
  blacklist_reason TEXT COLLATE "C"
);
CREATE UNIQUE INDEX customers_phone_per_org ON customers(organization_id, phone);
CREATE INDEX customers_recent ON customers(organization_id, updated_at DESC);

CREATE TABLE site_closures (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL CHECK (end_at > start_at),
  reason TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX site_closures_by_site ON site_closures(site_id, start_at);

CREATE TABLE departments (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  name TEXT COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  colour TEXT COLLATE "C",
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX departments_by_site ON departments(site_id);

CREATE TABLE resources (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  department_id TEXT COLLATE "C" REFERENCES departments(id),
  kind TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  capacity INTEGER CHECK (capacity IS NULL OR capacity >= 1),
  colour TEXT COLLATE "C",
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  schedule TEXT COLLATE "C" NOT NULL CHECK (schedule::json IS NOT NULL),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX resources_by_site ON resources(site_id, kind);

CREATE TABLE services (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  department_id TEXT COLLATE "C" REFERENCES departments(id),
  category TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
  buffer_before_minutes INTEGER NOT NULL CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  buffer_after_minutes INTEGER NOT NULL CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
  currency TEXT COLLATE "C" NOT NULL,
  seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 500),
  resource_kinds TEXT COLLATE "C" NOT NULL CHECK (json_typeof(resource_kinds::json) = 'array'),
  min_notice_minutes INTEGER NOT NULL CHECK (min_notice_minutes >= 0),
  max_advance_days INTEGER NOT NULL CHECK (max_advance_days >= 1),
  colour TEXT COLLATE "C",
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX services_by_site ON services(site_id);

CREATE TABLE class_sessions (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  service_id TEXT COLLATE "C" NOT NULL REFERENCES services(id),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL CHECK (end_at > start_at),
  coach_resource_id TEXT COLLATE "C" NOT NULL REFERENCES resources(id),
  room_resource_id TEXT COLLATE "C" REFERENCES resources(id),
  seats INTEGER CHECK (seats IS NULL OR seats BETWEEN 1 AND 500),
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
  cancel_reason TEXT COLLATE "C",
  buffer_before_minutes INTEGER NOT NULL,
  buffer_after_minutes INTEGER NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX class_sessions_by_site ON class_sessions(site_id, start_at);
CREATE INDEX class_sessions_by_service ON class_sessions(service_id, start_at);

CREATE TABLE session_resources (
  session_id TEXT COLLATE "C" NOT NULL REFERENCES class_sessions(id),
  resource_id TEXT COLLATE "C" NOT NULL REFERENCES resources(id),
  blocked_start BIGINT NOT NULL,
  blocked_end BIGINT NOT NULL CHECK (blocked_end > blocked_start AND blocked_end - blocked_start <= 115200000),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  PRIMARY KEY (session_id, resource_id),
  CONSTRAINT session_resources_no_overlap
    EXCLUDE USING gist (resource_id WITH =, int8range(blocked_start, blocked_end) WITH &&) WHERE (active = 1)
);
CREATE INDEX session_resources_overlap ON session_resources(resource_id, active, blocked_start);

CREATE TABLE bookings (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  service_id TEXT COLLATE "C" NOT NULL REFERENCES services(id),
  customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL CHECK (end_at > start_at),
  buffer_before_minutes INTEGER NOT NULL,
  buffer_after_minutes INTEGER NOT NULL,
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('pending', 'confirmed', 'arrived', 'inService', 'completed', 'cancelled', 'noShow')),
  source TEXT COLLATE "C" NOT NULL CHECK (source IN ('desk', 'online', 'walkIn')),
  notes TEXT COLLATE "C" NOT NULL,
  price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
  currency TEXT COLLATE "C" NOT NULL,
  series_id TEXT COLLATE "C",
  session_id TEXT COLLATE "C" REFERENCES class_sessions(id),
  seats INTEGER NOT NULL CHECK (seats >= 1),
  cancel_reason TEXT COLLATE "C",
  cancelled_by TEXT COLLATE "C" CHECK (cancelled_by IS NULL OR cancelled_by IN ('customer', 'staff')),
  late_cancel INTEGER NOT NULL CHECK (late_cancel IN (0, 1)),
  override_reason TEXT COLLATE "C",
  version INTEGER NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX bookings_by_site ON bookings(site_id, start_at);
CREATE INDEX bookings_by_site_status ON bookings(site_id, status, start_at);
CREATE INDEX bookings_by_customer ON bookings(customer_id, start_at);
CREATE INDEX bookings_by_session ON bookings(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX bookings_by_series ON bookings(series_id) WHERE series_id IS NOT NULL;

CREATE TABLE booking_resources (
  booking_id TEXT COLLATE "C" NOT NULL REFERENCES bookings(id),
  resource_id TEXT COLLATE "C" NOT NULL REFERENCES resources(id),
  blocked_start BIGINT NOT NULL,
  blocked_end BIGINT NOT NULL CHECK (blocked_end > blocked_start AND blocked_end - blocked_start <= 115200000),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  PRIMARY KEY (booking_id, resource_id),
  CONSTRAINT booking_resources_no_overlap
    EXCLUDE USING gist (resource_id WITH =, int8range(blocked_start, blocked_end) WITH &&) WHERE (active = 1)
);
CREATE INDEX booking_resources_overlap ON booking_resources(resource_id, active, blocked_start);

CREATE TABLE booking_events (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  booking_id TEXT COLLATE "C" NOT NULL REFERENCES bookings(id),
  version INTEGER NOT NULL,
  type TEXT COLLATE "C" NOT NULL CHECK (type IN ('created', 'rescheduled', 'status')),
  from_status TEXT COLLATE "C",
  to_status TEXT COLLATE "C",
  before TEXT COLLATE "C" CHECK (before IS NULL OR before::json IS NOT NULL),
  after TEXT COLLATE "C" CHECK (after IS NULL OR after::json IS NOT NULL),
  reason TEXT COLLATE "C",
  actor_staff_id TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX booking_events_by_booking ON booking_events(booking_id, version);

CREATE TABLE holds (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  service_id TEXT COLLATE "C" REFERENCES services(id),
  session_id TEXT COLLATE "C" REFERENCES class_sessions(id),
  seats INTEGER NOT NULL CHECK (seats >= 1),
  resource_ids TEXT COLLATE "C" NOT NULL CHECK (json_typeof(resource_ids::json) = 'array'),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL CHECK (end_at > start_at),
  blocked_start BIGINT NOT NULL,
  blocked_end BIGINT NOT NULL CHECK (blocked_end > blocked_start AND blocked_end - blocked_start <= 115200000),
  expires_at BIGINT NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  customer_id TEXT COLLATE "C" REFERENCES customers(id),
  purpose TEXT COLLATE "C" NOT NULL CHECK (purpose IN ('checkout', 'manual', 'waitlistOffer')),
  waitlist_entry_id TEXT COLLATE "C",
  created_at BIGINT NOT NULL
);
CREATE INDEX holds_live ON holds(site_id, expires_at);
CREATE INDEX holds_by_session ON holds(session_id) WHERE session_id IS NOT NULL;

CREATE TABLE waitlist_entries (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id),
  customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
  service_id TEXT COLLATE "C" NOT NULL REFERENCES services(id),
  preferred_weekdays TEXT COLLATE "C" NOT NULL CHECK (preferred_weekdays::json IS NOT NULL),
  preferred_parts_of_day TEXT COLLATE "C" NOT NULL CHECK (preferred_parts_of_day::json IS NOT NULL),
  preferred_resource_id TEXT COLLATE "C" REFERENCES resources(id),
  date_from TEXT COLLATE "C",
  date_to TEXT COLLATE "C",
  urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'removed')),
  offered_hold_id TEXT COLLATE "C",
  offer_expires_at BIGINT,
  offered_booking_id TEXT COLLATE "C",
  notes TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX waitlist_by_service ON waitlist_entries(site_id, service_id, status);
CREATE INDEX waitlist_by_customer ON waitlist_entries(customer_id);
`;
