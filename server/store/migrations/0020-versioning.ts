/**
 * 0020: versions, for pulls (sync/protocol.ts).
 *
 * - `change_version` is the server's one change sequence. tx_version() gives a transaction ONE
 *   version: nextval on its first call, kept in the transaction-local setting foyer.tx_version
 *   (after a transaction the setting reads '' in that session, hence "'' = not set yet").
 * - Every top-level synced table gets `row_version`, set on insert and update by trigger, and an
 *   index (organization_id, row_version) for "what changed since": so a pull of one version is the
 *   whole transaction, never half of it.
 * - A child row's insert, update or delete moves its parent's row_version (the parent travels with
 *   all its children).
 * - A deleted top-level row leaves a tombstone with the deleting transaction's version; a row that
 *   comes back under the same id takes its tombstone away.
 * - org_versions: one row per organization, locked by every write transaction of that organization
 *   (Store.writeTx) before it takes a version. Writes of one organization therefore take their
 *   versions in commit order, which is what lets a pull trust "nothing below my version is still
 *   to come" for that organization. Its `version` is the latest one the organization committed.
 *   writeTx names the organization it locked in the transaction-local setting foyer.write_org, and
 *   the triggers refuse a versioned write of any other organization (SQLSTATE FY001): a write
 *   outside writeTx, or into another organization, would break that order silently.
 *
 * The tables are listed here rather than imported from sync/tables.ts: a shipped migration never
 * changes, and a test checks the list against sync/tables.ts.
 */

/** [table, column naming the organization, column naming the site or null]. */
const TOP_LEVEL: readonly (readonly [string, string, string | null])[] = [
  ['organizations', 'id', null],
  ['sites', 'organization_id', 'id'],
  ['customers', 'organization_id', null],
  ['site_closures', 'organization_id', 'site_id'],
  ['departments', 'organization_id', 'site_id'],
  ['resources', 'organization_id', 'site_id'],
  ['services', 'organization_id', 'site_id'],
  ['class_sessions', 'organization_id', 'site_id'],
  ['bookings', 'organization_id', 'site_id'],
  ['holds', 'organization_id', 'site_id'],
  ['waitlist_entries', 'organization_id', 'site_id'],
];

/** [child table, parent table, column naming the parent]. */
const CHILDREN: readonly (readonly [string, string, string])[] = [
  ['session_resources', 'class_sessions', 'session_id'],
  ['booking_resources', 'bookings', 'booking_id'],
  ['booking_events', 'bookings', 'booking_id'],
];

function versioned(table: string, orgColumn: string, siteColumn: string | null): string {
  const tombstoneArgs = siteColumn ? `'${orgColumn}', '${siteColumn}'` : `'${orgColumn}'`;
  return `
ALTER TABLE ${table} ADD COLUMN row_version BIGINT NOT NULL;
CREATE INDEX ${table}_by_version ON ${table}(${orgColumn}, row_version);
CREATE TRIGGER ${table}_row_version BEFORE INSERT OR UPDATE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${orgColumn === 'id' ? 'set_organization_row_version' : 'set_row_version'}();
CREATE TRIGGER ${table}_tombstone AFTER DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION write_tombstone(${tombstoneArgs});
`;
}

function child(table: string, parent: string, column: string): string {
  return `
CREATE FUNCTION ${table}_touch_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    UPDATE ${parent} SET row_version = tx_version() WHERE id = NEW.${column} AND row_version <> tx_version();
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.${column} IS DISTINCT FROM NEW.${column}) THEN
    UPDATE ${parent} SET row_version = tx_version() WHERE id = OLD.${column} AND row_version <> tx_version();
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER ${table}_touch_parent AFTER INSERT OR UPDATE OR DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${table}_touch_parent();
`;
}

export const sql = `
CREATE SEQUENCE change_version AS BIGINT;

CREATE FUNCTION tx_version() RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v TEXT := current_setting('foyer.tx_version', true);
BEGIN
  IF v IS NULL OR v = '' THEN
    v := nextval('change_version')::TEXT;
    PERFORM set_config('foyer.tx_version', v, true);
  END IF;
  RETURN v::BIGINT;
END
$$;

CREATE TABLE tombstones (
  table_name TEXT COLLATE "C" NOT NULL,
  row_id TEXT COLLATE "C" NOT NULL,
  organization_id TEXT COLLATE "C" NOT NULL,
  site_id TEXT COLLATE "C",
  row_version BIGINT NOT NULL,
  PRIMARY KEY (table_name, row_id)
);
CREATE INDEX tombstones_by_version ON tombstones(organization_id, row_version);

CREATE TABLE org_versions (
  organization_id TEXT COLLATE "C" PRIMARY KEY,
  version BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION check_write_org(org TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF org IS DISTINCT FROM nullif(current_setting('foyer.write_org', true), '') THEN
    RAISE EXCEPTION 'a write of organization % outside its Store.writeTx (this one holds %)', org,
      coalesce(nullif(current_setting('foyer.write_org', true), ''), 'none') USING ERRCODE = 'FY001';
  END IF;
END
$$;

-- The version of a row a trigger is writing: checks the organization lock, and an insert takes
-- away the tombstone of an earlier row with the same id.
CREATE FUNCTION stamp_row(org TEXT, tbl TEXT, op TEXT, id TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
BEGIN
  PERFORM check_write_org(org);
  IF op = 'INSERT' THEN
    DELETE FROM tombstones WHERE table_name = tbl AND row_id = id;
  END IF;
  RETURN tx_version();
END
$$;

CREATE FUNCTION set_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_version := stamp_row(NEW.organization_id, TG_TABLE_NAME, TG_OP, NEW.id);
  RETURN NEW;
END
$$;

-- The same for organizations, whose own id names the organization.
CREATE FUNCTION set_organization_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_version := stamp_row(NEW.id, TG_TABLE_NAME, TG_OP, NEW.id);
  RETURN NEW;
END
$$;

-- Arguments: the column naming the organization, then (optional) the one naming the site.
CREATE FUNCTION write_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r JSONB := to_jsonb(OLD);
BEGIN
  PERFORM check_write_org(r ->> TG_ARGV[0]);
  INSERT INTO tombstones (table_name, row_id, organization_id, site_id, row_version)
  VALUES (TG_TABLE_NAME, OLD.id, r ->> TG_ARGV[0], CASE WHEN TG_NARGS > 1 THEN r ->> TG_ARGV[1] END, tx_version())
  ON CONFLICT (table_name, row_id) DO UPDATE
    SET organization_id = EXCLUDED.organization_id, site_id = EXCLUDED.site_id, row_version = EXCLUDED.row_version;
  RETURN NULL;
END
$$;
${TOP_LEVEL.map(([t, org, site]) => versioned(t, org, site)).join('')}
${CHILDREN.map(([t, parent, column]) => child(t, parent, column)).join('')}
`;
