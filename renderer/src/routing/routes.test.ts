import { describe, expect, it } from 'vitest';
import { parseRoute, paths } from './routes';

describe('parseRoute', () => {
  it('reads the customer list and a customer card', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' });
    expect(parseRoute('/customers')).toEqual({ name: 'customers', customerId: null });
    expect(parseRoute('/customers/')).toEqual({ name: 'customers', customerId: null });
    expect(parseRoute('/customers/0194a-b')).toEqual({ name: 'customers', customerId: '0194a-b' });
  });

  it('round-trips ids through paths', () => {
    const id = 'a b/c';
    expect(parseRoute(paths.customer(id))).toEqual({ name: 'customers', customerId: id });
  });

  it('reads the devices page', () => {
    expect(parseRoute('/devices')).toEqual({ name: 'devices' });
    expect(parseRoute('/devices/')).toEqual({ name: 'devices' });
    expect(parseRoute(paths.devices())).toEqual({ name: 'devices' });
  });

  it('reads the calendar and the scheduling settings', () => {
    expect(parseRoute(paths.calendar())).toEqual({ name: 'calendar' });
    expect(parseRoute(paths.scheduleSettings())).toEqual({ name: 'scheduleSettings' });
    expect(parseRoute('/settings')).toEqual({ name: 'notFound', path: '/settings' });
  });

  it('reads the waitlist', () => {
    expect(parseRoute(paths.waitlist())).toEqual({ name: 'waitlist' });
    expect(parseRoute('/waitlist/')).toEqual({ name: 'waitlist' });
    expect(parseRoute('/waitlist/x')).toEqual({ name: 'notFound', path: '/waitlist/x' });
  });

  it('reads the conflict inbox', () => {
    expect(parseRoute(paths.syncConflicts())).toEqual({ name: 'syncConflicts' });
    expect(parseRoute('/sync/conflicts/')).toEqual({ name: 'syncConflicts' });
    expect(parseRoute('/sync')).toEqual({ name: 'notFound', path: '/sync' });
    expect(parseRoute('/sync/conflicts/1')).toEqual({ name: 'notFound', path: '/sync/conflicts/1' });
  });

  it('does not guess at unknown paths', () => {
    expect(parseRoute('/calendar/x')).toEqual({ name: 'notFound', path: '/calendar/x' });
    expect(parseRoute('/devices/x')).toEqual({ name: 'notFound', path: '/devices/x' });
    expect(parseRoute('/customers/1/2')).toEqual({ name: 'notFound', path: '/customers/1/2' });
    expect(parseRoute('/customers/%E0%A4%A')).toEqual({ name: 'notFound', path: '/customers/%E0%A4%A' });
  });
});
