/**
 * Desks (devices): enrolling one with a one-time code, and resolving the bearer token of every
 * request to the device, its organization and its sites.
 *
 * The token is looked up on EVERY request, never cached: a revoked device is cut off at its next
 * request, on every server instance at once. `last_seen_at` is written at most once a minute per
 * device, so a busy desk costs one indexed read per request and a write now and then.
 */
import { z } from 'zod';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { IdSource } from '../../core/ids';
import { parseOrThrow } from '../../core/validation';
import type { DeviceIdentity } from '../../sync/server/store';
import type { Store } from '../store/store';
import { enrollmentCodeHash, looksLikeToken, newDeviceToken, normalizeEnrollmentCode, sha256 } from './secrets';

/** How stale `last_seen_at` may get before a request writes it again. */
export const LAST_SEEN_EVERY_MS = 60_000;

export const DeviceName = z.string().trim().min(1, 'errors.name.required').max(64, 'errors.name.tooLong');

export const EnrollInput = z.object({
  code: z.string({ message: 'errors.enroll.codeFormat' }).max(64, 'errors.enroll.codeFormat'),
  /** Overrides the name the administrator gave the code. */
  name: DeviceName.optional(),
});
export type EnrollInput = z.input<typeof EnrollInput>;

export type { Enrolled } from '../../sync/identity';
import type { Enrolled } from '../../sync/identity';

export function deviceTokenHash(token: string): string {
  return sha256(token);
}

export function parseSiteIds(json: string): string[] {
  return JSON.parse(json) as string[];
}

/** The device a bearer token names, or null when it is missing, malformed, unknown or revoked. */
export async function resolveDevice(store: Store, clock: Clock, token: string | null | undefined): Promise<DeviceIdentity | null> {
  if (typeof token !== 'string' || !looksLikeToken(token)) return null;
  const row = await store.db
    .selectFrom('devices')
    .select(['id', 'organization_id', 'site_ids', 'revoked_at', 'last_seen_at'])
    .where('token_hash', '=', deviceTokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  const now = clock.now();
  if (row.last_seen_at === null || now - row.last_seen_at >= LAST_SEEN_EVERY_MS) {
    await store.db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', row.id).where('revoked_at', 'is', null).execute();
  }
  return { deviceId: row.id, organizationId: row.organization_id, siteIds: parseSiteIds(row.site_ids) };
}

/**
 * Redeems an enrollment code: makes the device and its token. The code is spent in the same
 * transaction by `UPDATE … WHERE used_at IS NULL`, so of two desks racing with one code exactly
 * one gets a device; the other's device row rolls back with its refusal.
 */
export async function enrollDevice(store: Store, deps: { clock: Clock; ids: IdSource }, raw: unknown): Promise<Enrolled> {
  const input = parseOrThrow(EnrollInput, raw);
  const canonical = normalizeEnrollmentCode(input.code);
  if (canonical === null) {
    throw new AppError('INVALID', 'errors.enroll.codeFormat', {}, [{ path: ['code'], key: 'errors.enroll.codeFormat' }]);
  }
  const codeHash = enrollmentCodeHash(canonical);
  const now = deps.clock.now();
  return store.db.transaction().execute(async (tx) => {
    const code = await tx.selectFrom('enrollment_codes').selectAll().where('code_hash', '=', codeHash).forUpdate().executeTakeFirst();
    if (!code) throw new AppError('UNAUTHORIZED', 'errors.enroll.codeUnknown');
    if (code.used_at !== null) throw new AppError('UNAUTHORIZED', 'errors.enroll.codeUsed');
    if (code.expires_at <= now) throw new AppError('UNAUTHORIZED', 'errors.enroll.codeExpired');

    const deviceId = deps.ids.newId();
    const token = newDeviceToken();
    await tx
      .insertInto('devices')
      .values({
        id: deviceId,
        organization_id: code.organization_id,
        name: input.name ?? code.name,
        site_ids: code.site_ids,
        token_hash: deviceTokenHash(token),
        created_at: now,
        revoked_at: null,
        last_seen_at: now,
      })
      .execute();
    const spent = await tx
      .updateTable('enrollment_codes')
      .set({ used_at: now, device_id: deviceId })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .returning('code_hash')
      .executeTakeFirst();
    if (!spent) throw new AppError('UNAUTHORIZED', 'errors.enroll.codeUsed');
    return { deviceId, token, organizationId: code.organization_id, siteIds: parseSiteIds(code.site_ids) };
  });
}
