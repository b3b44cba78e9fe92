/**
 * 0030: the tables only the server has.
 *
 *   staff             who signs in, with a password hash and a role (core/permissions.ts ROLES); a
 *                     null site_id means every site. Versioned like a synced table (row_version,
 *                     tombstones) so desks can pull a staff directory, without the hashes.
 *   devices           enrolled desks; only a hash of each bearer token is kept.
 *   enrollment_codes  one-time codes (hashed) an admin hands to a new desk.
 *   sync_clients      one row per replica (client id): the last of its mutations processed.
 *   mutation_log      every processed mutation, applied or rejected, keyed (client_id, mutation_id):
 *                     a mutation is applied exactly once, and rejections go back to their desk.
 */

const ROLES = ['owner', 'admin', 'booking_manager', 'provider', 'front_desk'];

export const sql = `
CREATE TABLE staff (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  name TEXT COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  login TEXT COLLATE "C" NOT NULL CHECK (char_length(login) BETWEEN 1 AND 64),
  password_hash TEXT COLLATE "C" NOT NULL,
  role TEXT COLLATE "C" NOT NULL CHECK (role IN (${ROLES.map((r) => `'${r}'`).join(', ')})),
  site_id TEXT COLLATE "C" REFERENCES sites(id),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  row_version BIGINT NOT NULL
);
CREATE UNIQUE INDEX staff_login_per_org ON staff(organization_id, login);
CREATE INDEX staff_by_version ON staff(organization_id, row_version);
CREATE TRIGGER staff_row_version BEFORE INSERT OR UPDATE ON staff
  FOR EACH ROW EXECUTE FUNCTION set_row_version();
CREATE TRIGGER staff_tombstone AFTER DELETE ON staff
  FOR EACH ROW EXECUTE FUNCTION write_tombstone('organization_id', 'site_id');

CREATE TABLE devices (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  name TEXT COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  site_ids TEXT COLLATE "C" NOT NULL CHECK (json_typeof(site_ids::json) = 'array'),
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_seen_at BIGINT
);
CREATE INDEX devices_by_org ON devices(organization_id);

CREATE TABLE enrollment_codes (
  code_hash TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  name TEXT COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  site_ids TEXT COLLATE "C" NOT NULL CHECK (json_typeof(site_ids::json) = 'array'),
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL CHECK (expires_at > created_at),
  used_at BIGINT,
  device_id TEXT COLLATE "C" REFERENCES devices(id),
  CHECK ((used_at IS NULL) = (device_id IS NULL))
);
CREATE INDEX enrollment_codes_by_org ON enrollment_codes(organization_id);

CREATE TABLE sync_clients (
  client_id TEXT COLLATE "C" PRIMARY KEY,
  device_id TEXT COLLATE "C" NOT NULL REFERENCES devices(id),
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  last_mutation_id BIGINT NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sync_clients_by_device ON sync_clients(device_id);

CREATE TABLE mutation_log (
  client_id TEXT COLLATE "C" NOT NULL REFERENCES sync_clients(client_id),
  mutation_id BIGINT NOT NULL CHECK (mutation_id >= 1),
  name TEXT COLLATE "C" NOT NULL,
  version INTEGER NOT NULL,
  args TEXT COLLATE "C" NOT NULL CHECK (args::json IS NOT NULL),
  staff_id TEXT COLLATE "C" NOT NULL,
  outcome TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('applied', 'rejected')),
  error TEXT COLLATE "C" CHECK (error IS NULL OR error::json IS NOT NULL),
  desk_created_at BIGINT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, mutation_id),
  CHECK ((outcome = 'rejected') = (error IS NOT NULL))
);
`;
