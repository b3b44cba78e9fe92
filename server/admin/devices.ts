/**
 * Administration of desks: enrollment codes for new ones, the list of enrolled ones, revocation.
 *
 * A code is shown once, when made, and kept only as a hash. Its sites are fixed when it is made: a
 * code for "every site" names the sites the organization has then (the devices table keeps an
 * explicit list). Revocation takes effect at the device's next request on every instance, since
 * each request resolves its token afresh (server/auth/devices.ts).
 */
import { AppError } from '../../core/errors';
import { parseOrThrow } from '../../core/validation';
import { parseSiteIds } from '../auth/devices';
import { enrollmentCodeHash, newEnrollmentCode, normalizeEnrollmentCode } from '../auth/secrets';
import { CreateEnrollmentCodeInput, DeviceRef, OrganizationRef } from './admin.schema';
import { isUniqueViolation, requireOrganization, type AdminDeps } from './organizations';

export interface EnrollmentCode {
  /** Shown to the administrator this once, as XXXXX-XXXXX. */
  code: string;
  organizationId: string;
  name: string;
  siteIds: string[];
  expiresAt: number;
}

export interface DeviceSummary {
  id: string;
  name: string;
  siteIds: string[];
  createdAt: number;
  revokedAt: number | null;
  lastSeenAt: number | null;
}

/** A fresh code colliding with a stored one is a 1-in-2^49 event; a few tries are plenty. */
const CODE_ATTEMPTS = 3;

export async function createEnrollmentCode(deps: Pick<AdminDeps, 'store' | 'clock'>, raw: unknown): Promise<EnrollmentCode> {
  const input = parseOrThrow(CreateEnrollmentCodeInput, raw);
  const db = deps.store.db;
  await requireOrganization(db, input.organizationId);
  const sites = await db.selectFrom('sites').select('id').where('organization_id', '=', input.organizationId).orderBy('created_at').orderBy('id').execute();
  const own = new Set(sites.map((s) => s.id));
  const siteIds = input.siteIds ?? sites.map((s) => s.id);
  siteIds.forEach((id, i) => {
    if (!own.has(id)) throw new AppError('NOT_FOUND', 'errors.site.notFound', { id }, [{ path: ['siteIds', i], key: 'errors.site.notFound' }]);
  });
  if (siteIds.length === 0) throw new AppError('INVALID', 'errors.site.required', {}, [{ path: ['siteIds'], key: 'errors.site.required' }]);

  const now = deps.clock.now();
  const expiresAt = now + input.ttlMs;
  for (let attempt = 1; ; attempt++) {
    const code = newEnrollmentCode();
    try {
      await db
        .insertInto('enrollment_codes')
        .values({
          code_hash: enrollmentCodeHash(normalizeEnrollmentCode(code)!),
          organization_id: input.organizationId,
          name: input.name,
          site_ids: JSON.stringify(siteIds),
          created_by: input.createdBy,
          created_at: now,
          expires_at: expiresAt,
          used_at: null,
          device_id: null,
        })
        .execute();
      return { code, organizationId: input.organizationId, name: input.name, siteIds, expiresAt };
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= CODE_ATTEMPTS) throw e;
    }
  }
}

export async function listDevices(deps: Pick<AdminDeps, 'store'>, raw: unknown): Promise<DeviceSummary[]> {
  const { organizationId } = parseOrThrow(OrganizationRef, raw);
  await requireOrganization(deps.store.db, organizationId);
  const rows = await deps.store.db
    .selectFrom('devices')
    .select(['id', 'name', 'site_ids', 'created_at', 'revoked_at', 'last_seen_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    siteIds: parseSiteIds(r.site_ids),
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastSeenAt: r.last_seen_at,
  }));
}

/** Revokes a desk's token for good (enrolling again gives a new device). Revoking twice is a no-op. */
export async function revokeDevice(deps: Pick<AdminDeps, 'store' | 'clock'>, raw: unknown): Promise<{ revokedAt: number }> {
  const { organizationId, deviceId } = parseOrThrow(DeviceRef, raw);
  const db = deps.store.db;
  const now = deps.clock.now();
  const revoked = await db
    .updateTable('devices')
    .set({ revoked_at: now })
    .where('id', '=', deviceId)
    .where('organization_id', '=', organizationId)
    .where('revoked_at', 'is', null)
    .returning('revoked_at')
    .executeTakeFirst();
  if (revoked?.revoked_at != null) return { revokedAt: revoked.revoked_at };
  const row = await db.selectFrom('devices').select('revoked_at').where('id', '=', deviceId).where('organization_id', '=', organizationId).executeTakeFirst();
  if (!row || row.revoked_at === null) throw new AppError('NOT_FOUND', 'errors.enroll.deviceNotFound', { id: deviceId });
  return { revokedAt: row.revoked_at };
}
