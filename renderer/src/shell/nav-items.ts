/**
 * The product's sections, in the order the sidebar shows them. Only sections with a `path` are
 * built; the others are shown disabled and marked as coming later, never as placeholder pages.
 */
import type { TextKey } from '../i18n/resources';
import { paths } from '../routing/routes';

export type SectionId =
  | 'frontDesk'
  | 'calendar'
  | 'waitlist'
  | 'queue'
  | 'customers'
  | 'memberships'
  | 'devices'
  | 'reports'
  | 'settings';

export interface NavSection {
  id: SectionId;
  label: TextKey;
  /** Where the section lives; null while it is not built yet. */
  path: string | null;
}

export const NAV_SECTIONS: readonly NavSection[] = [
  { id: 'frontDesk', label: 'nav.frontDesk', path: null },
  { id: 'calendar', label: 'nav.calendar', path: paths.calendar() },
  { id: 'waitlist', label: 'nav.waitlist', path: paths.waitlist() },
  { id: 'queue', label: 'nav.queue', path: null },
  { id: 'customers', label: 'nav.customers', path: paths.customers() },
  { id: 'memberships', label: 'nav.memberships', path: null },
  { id: 'devices', label: 'nav.devices', path: paths.devices() },
  { id: 'reports', label: 'nav.reports', path: null },
  { id: 'settings', label: 'nav.settings', path: paths.scheduleSettings() },
];
