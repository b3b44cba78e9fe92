/**
 * Reads of customers from the replica. Search uses the suffix index (see
 * core/customers/search-terms.ts): one range scan collects candidate ids, which are then ranked
 * the way a receptionist expects and cut to the page size.
 */
import { sql } from 'kysely';
import type { Customer, Gender } from '../../../core/customers/customer.schema';
import type { CustomersTable } from '../../../core/db-schema';
import { matchRank, normalizeQuery } from '../../../core/customers/search-terms';
import type { Replica } from './replica';

/** Candidates read from the index before ranking: enough that the best `limit` are among them. */
const CANDIDATES = 200;

export function toCustomer(r: CustomersTable): Customer {
  return {
    id: r.id,
    organizationId: r.organization_id,
    name: r.name,
    phone: r.phone,
    nationalId: r.national_id,
    birthDate: r.birth_date,
    gender: r.gender as Gender,
    notes: r.notes,
    tags: JSON.parse(r.tags) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function searchCustomers(
  replica: Replica,
  organizationId: string,
  query: string,
  limit = 50,
): Promise<{ items: Customer[]; query: string }> {
  const q = normalizeQuery(query);
  if (q === '') {
    const rows = await replica.db
      .selectFrom('customers')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('updated_at', 'desc')
      .limit(limit)
      .execute();
    return { items: rows.map(toCustomer), query: q };
  }
  await replica.flushSearchIndex();
  // Upper bound of the prefix range: the query followed by the highest code point.
  const upper = q + '\u{10FFFF}';
  // CROSS JOIN fixes the loop order: the (at most CANDIDATES) index hits drive primary-key
  // lookups of customers. Left to itself, SQLite scans every customer of the organization and
  // probes the hits, which costs tens of milliseconds at 100,000 customers.
  const { rows } = await sql<CustomersTable>`
    SELECT c.* FROM (
      SELECT DISTINCT customer_id FROM customer_search WHERE term >= ${q} AND term < ${upper} LIMIT ${CANDIDATES}
    ) AS hit CROSS JOIN customers AS c ON c.id = hit.customer_id
    WHERE c.organization_id = ${organizationId}`.execute(replica.db);
  const ranked = rows
    .map((r) => ({ r, rank: matchRank({ name: r.name, phone: r.phone, nationalId: r.national_id }, q) }))
    .sort((a, b) => a.rank - b.rank || a.r.name.localeCompare(b.r.name, 'zh-CN'))
    .slice(0, limit)
    .map((x) => toCustomer(x.r));
  return { items: ranked, query: q };
}

export async function getCustomer(replica: Replica, organizationId: string, id: string): Promise<Customer | null> {
  const r = await replica.db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return r ? toCustomer(r) : null;
}

export async function countCustomers(replica: Replica, organizationId: string): Promise<number> {
  const r = await replica.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
