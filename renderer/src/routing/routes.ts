/**
 * The app's URLs. The path says what is on screen, so a reload, the back button and a second
 * window opened on the same URL all show the same thing.
 *
 *   /                  → the start section (Customers, until the front desk is built)
 *   /customers         → the customer list
 *   /customers/:id     → the list with that customer's card open
 *   /devices           → this desk's printers, displays, gates and scanners
 *   /calendar          → the booking calendar (date and view in the query string)
 *   /waitlist          → the site's waitlist: who wants a time sooner, and offers of freed slots
 *   /settings/scheduling → site hours, holidays, resources and their rotas, services
 *   /sync/conflicts    → the changes of this desk the server refused (the conflict inbox)
 */
export type Route =
  | { name: 'home' }
  | { name: 'customers'; customerId: string | null }
  | { name: 'devices' }
  | { name: 'calendar' }
  | { name: 'waitlist' }
  | { name: 'scheduleSettings' }
  | { name: 'syncConflicts' }
  | { name: 'notFound'; path: string };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'customers') {
    if (parts.length === 1) return { name: 'customers', customerId: null };
    if (parts.length === 2 && parts[1]) {
      try {
        return { name: 'customers', customerId: decodeURIComponent(parts[1]) };
      } catch {
        return { name: 'notFound', path: pathname };
      }
    }
  }
  if (parts[0] === 'devices' && parts.length === 1) return { name: 'devices' };
  if (parts[0] === 'calendar' && parts.length === 1) return { name: 'calendar' };
  if (parts[0] === 'waitlist' && parts.length === 1) return { name: 'waitlist' };
  if (parts[0] === 'settings' && parts[1] === 'scheduling' && parts.length === 2) return { name: 'scheduleSettings' };
  if (parts[0] === 'sync' && parts[1] === 'conflicts' && parts.length === 2) return { name: 'syncConflicts' };
  return { name: 'notFound', path: pathname };
}

export const paths = {
  customers: () => '/customers',
  customer: (id: string) => `/customers/${encodeURIComponent(id)}`,
  devices: () => '/devices',
  calendar: () => '/calendar',
  waitlist: () => '/waitlist',
  scheduleSettings: () => '/settings/scheduling',
  syncConflicts: () => '/sync/conflicts',
};
