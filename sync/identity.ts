/**
 * What the server's /api answers a desk about identity, shared by both ends: an enrolment (the
 * desk's device id and bearer token) and a signed-in member of staff.
 */
import type { Role } from '../core/permissions';

export interface Enrolled {
  deviceId: string;
  /** The desk's bearer token: shown this once, stored on the server only as a hash. */
  token: string;
  organizationId: string;
  siteIds: string[];
}

export interface StaffProfile {
  staffId: string;
  name: string;
  role: Role;
  siteId: string | null;
  organizationId: string;
}
