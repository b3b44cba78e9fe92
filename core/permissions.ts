/**
 * Roles and the permission matrix. Roles are ordered owner > admin > booking manager > provider >
 * front desk; each permission names the lowest role that holds it. The desk UI hides what a role
 * cannot do, and the mutator runner (desk and server alike) refuses it.
 */
export const ROLES = ['owner', 'admin', 'booking_manager', 'provider', 'front_desk'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'customer.read': 'front_desk',
  'customer.write': 'front_desk',
  'organization.setup': 'owner',
  /** Site settings: opening hours, holidays, 调休 days, booking grid, hold and no-show rules. */
  'site.manage': 'admin',
  /** Close a site now for a few hours (power cut, burst pipe): whoever runs the desk that day. */
  'site.close': 'booking_manager',
  /** Departments, resources and their rotas, services, group class sessions. */
  'schedule.manage': 'admin',
  /** Book, reschedule, check in, cancel; walk-ins, holds, series. */
  'booking.write': 'front_desk',
  /** Book a blacklisted customer anyway, with a stated reason. */
  'booking.overrideBlacklist': 'booking_manager',
  /** Put a customer on the blacklist or take them off it. */
  'customer.blacklist': 'booking_manager',
  'waitlist.write': 'front_desk',
  /** Add, change and remove this desk's printers, displays, gates and scanners. */
  'device.manage': 'admin',
  /** Print, test a device, reprint or dismiss a ticket, open a gate by hand. */
  'device.use': 'front_desk',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

function rank(r: Role): number {
  return ROLES.length - ROLES.indexOf(r);
}

export function can(role: Role, permission: Permission): boolean {
  return rank(role) >= rank(PERMISSIONS[permission]);
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
