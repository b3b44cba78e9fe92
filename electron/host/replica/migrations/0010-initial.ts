/**
 * 0010: the first replica schema. Synced domain tables, the derived customer search index with
 * its work queue, the outbox, and a key-value `meta` table for desk identity.
 */
import type { Database } from 'better-sqlite3';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE organizations (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      default_country TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE sites (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('clinic', 'gym')),
      time_zone TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sites_by_org ON sites(organization_id);

    CREATE TABLE customers (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
      phone TEXT NOT NULL CHECK (phone GLOB '+[1-9]*'),
      national_id TEXT CHECK (national_id IS NULL OR length(national_id) = 18),
      birth_date TEXT CHECK (birth_date IS NULL OR birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unknown')),
      notes TEXT NOT NULL,
      tags TEXT NOT NULL CHECK (json_valid(tags) AND json_type(tags) = 'array'),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      created_by TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX customers_phone_per_org ON customers(organization_id, phone);
    CREATE INDEX customers_recent ON customers(organization_id, updated_at DESC);

    -- Every suffix of every search key of a customer (see core/customers/search-terms.ts). Derived
    -- data: maintained outside the mutation's transaction by the replica's indexer, which drains
    -- customer_search_queue. The queue row is written by trigger in the mutation's own transaction,
    -- so a crash before indexing leaves work to resume, never a silently missing customer.
    CREATE TABLE customer_search (
      term TEXT NOT NULL,
      customer_id TEXT NOT NULL,
      PRIMARY KEY (term, customer_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX customer_search_by_customer ON customer_search(customer_id);

    CREATE TABLE customer_search_queue (
      customer_id TEXT PRIMARY KEY
    ) STRICT;
    CREATE TRIGGER customers_search_ai AFTER INSERT ON customers BEGIN
      INSERT OR IGNORE INTO customer_search_queue (customer_id) VALUES (new.id);
    END;
    CREATE TRIGGER customers_search_au AFTER UPDATE OF name, phone, national_id ON customers BEGIN
      INSERT OR IGNORE INTO customer_search_queue (customer_id) VALUES (new.id);
    END;
    CREATE TRIGGER customers_search_ad AFTER DELETE ON customers BEGIN
      INSERT OR IGNORE INTO customer_search_queue (customer_id) VALUES (old.id);
    END;

    -- Mutations made on this desk and not yet acknowledged by the server. A row is written in the
    -- same transaction as the mutation's effects, so neither exists without the other.
    CREATE TABLE outbox (
      mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
      client_id TEXT NOT NULL,
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      args TEXT NOT NULL CHECK (json_valid(args)),
      actor TEXT NOT NULL CHECK (json_valid(actor)),
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
