/**
 * Which tables sync, and how. The desk's replica and the server's store hold the same shapes
 * (core/db-schema.ts); this list is what the server versions and sends, and what the desk rebases.
 *
 * - A top-level table has an `id` key and an `organization_id`; with a `site_id` column it is also
 *   scoped by site (a desk enrolled for some sites of an organization sees only theirs).
 * - A child table belongs to one row of its parent (a booking's resources and history, a
 *   session's resources). It travels with its parent: whenever a child row changes, the parent's
 *   version moves, and a pulled parent arrives with its complete set of children, which replace
 *   the desk's. So child tables need neither their own scope columns nor tombstones.
 * - A deleted top-level row (a released hold, a removed closure) leaves a tombstone on the server.
 *
 * The order is the order of foreign keys: a parent before its children, a referenced table before
 * the tables that reference it. Rows are written in this order and deleted in reverse.
 */
export interface TopTable {
  name: string;
  /** The column naming the site, when rows belong to one site. */
  siteColumn: 'site_id' | 'id' | null;
  children: readonly ChildTable[];
}

export interface ChildTable {
  name: string;
  /** The column pointing at the parent's id. */
  parentColumn: string;
  /** The columns that identify a child row among its parent's. */
  key: readonly string[];
}

export const SYNCED_TABLES: readonly TopTable[] = [
  { name: 'organizations', siteColumn: null, children: [] },
  { name: 'sites', siteColumn: 'id', children: [] },
  { name: 'customers', siteColumn: null, children: [] },
  { name: 'site_closures', siteColumn: 'site_id', children: [] },
  { name: 'departments', siteColumn: 'site_id', children: [] },
  { name: 'resources', siteColumn: 'site_id', children: [] },
  { name: 'services', siteColumn: 'site_id', children: [] },
  {
    name: 'class_sessions',
    siteColumn: 'site_id',
    children: [{ name: 'session_resources', parentColumn: 'session_id', key: ['session_id', 'resource_id'] }],
  },
  {
    name: 'bookings',
    siteColumn: 'site_id',
    children: [
      { name: 'booking_resources', parentColumn: 'booking_id', key: ['booking_id', 'resource_id'] },
      { name: 'booking_events', parentColumn: 'booking_id', key: ['id'] },
    ],
  },
  { name: 'holds', siteColumn: 'site_id', children: [] },
  { name: 'waitlist_entries', siteColumn: 'site_id', children: [] },
];

export const SYNCED_TABLE_NAMES: readonly string[] = SYNCED_TABLES.map((t) => t.name);

export const CHILD_TABLES: readonly (ChildTable & { parent: string })[] = SYNCED_TABLES.flatMap((t) =>
  t.children.map((c) => ({ ...c, parent: t.name })),
);

/** Every table whose rows sync, parents and children, in foreign-key order. */
export const ALL_SYNCED_TABLES: readonly string[] = SYNCED_TABLES.flatMap((t) => [t.name, ...t.children.map((c) => c.name)]);

export function topTable(name: string): TopTable | undefined {
  return SYNCED_TABLES.find((t) => t.name === name);
}
