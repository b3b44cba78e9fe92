/**
 * Inputs of the administration commands (server/admin), one schema each, shared by the CLI, the
 * tests and a later admin UI. Every message is an i18n key (core/i18n/messages.ts).
 */
import { z } from 'zod';
import { SetupOrganizationArgs, SiteInput } from '../../core/organization.mutators';
import { ROLES } from '../../core/permissions';
import { Login } from '../auth/staff-auth';
import { Password } from '../auth/passwords';

const Id = z.uuid({ message: 'errors.id.invalid' });
const StaffName = z.string({ message: 'errors.name.required' }).trim().min(1, 'errors.name.required').max(64, 'errors.name.tooLong');
const Role = z.enum(ROLES, { message: 'errors.staff.role' });

export const DAY_MS = 24 * 3600_000;
export const DEFAULT_CODE_TTL_MS = DAY_MS;
const MAX_CODE_TTL_MS = 7 * DAY_MS;

export const CreateOrganizationInput = z.object({
  name: SetupOrganizationArgs.shape.name,
  defaultCountry: z.string({ message: 'errors.country.invalid' }).trim().toUpperCase().pipe(SetupOrganizationArgs.shape.defaultCountry),
  sites: z.array(SiteInput.omit({ id: true }), { message: 'errors.site.required' }).min(1, 'errors.site.required').max(200, 'errors.site.tooMany'),
  owner: z.object({ name: StaffName, login: Login, password: Password }),
});
export type CreateOrganizationInput = z.input<typeof CreateOrganizationInput>;

export const CreateStaffInput = z.object({
  organizationId: Id,
  name: StaffName,
  login: Login,
  password: Password,
  role: Role,
  /** The one site they work at; null = every site of the organization. */
  siteId: Id.nullable().default(null),
});
export type CreateStaffInput = z.input<typeof CreateStaffInput>;

export const SetStaffActiveInput = z.object({
  organizationId: Id,
  staffId: Id,
  active: z.boolean(),
});
export type SetStaffActiveInput = z.input<typeof SetStaffActiveInput>;

export const CreateEnrollmentCodeInput = z.object({
  organizationId: Id,
  /** The name the desk gets (it may choose another when it enrolls). */
  name: z.string({ message: 'errors.name.required' }).trim().min(1, 'errors.name.required').max(64, 'errors.name.tooLong'),
  /** The sites the desk serves; null = every site the organization has when the code is made. */
  siteIds: z.array(Id).min(1, 'errors.site.required').max(200, 'errors.site.tooMany').nullable().default(null),
  /** Who made the code, for the record: a staff id, or the operator of the CLI. */
  createdBy: z.string().trim().min(1, 'errors.field.invalid').max(100, 'errors.field.invalid'),
  ttlMs: z.number().int('errors.enroll.ttl').min(60_000, 'errors.enroll.ttl').max(MAX_CODE_TTL_MS, 'errors.enroll.ttl').default(DEFAULT_CODE_TTL_MS),
});
export type CreateEnrollmentCodeInput = z.input<typeof CreateEnrollmentCodeInput>;

export const OrganizationRef = z.object({ organizationId: Id });
export type OrganizationRef = z.input<typeof OrganizationRef>;

export const DeviceRef = z.object({ organizationId: Id, deviceId: Id });
export type DeviceRef = z.input<typeof DeviceRef>;
