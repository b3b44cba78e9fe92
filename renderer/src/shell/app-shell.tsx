/**
 * The window's frame: the sections on the left, the desk (organization, site, sync state, device
 * alerts, language) on top, and the current page. It also keeps the window live (the change and
 * device event subscriptions) and its title in step with the page.
 */
import { Layout, Skeleton } from 'antd';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeviceEvents } from '../devices/use-device-events';
import { useLiveUpdates } from '../host/use-live-updates';
import { useRouter } from '../routing/router';
import { paths } from '../routing/routes';
import { AppHeader } from './app-header';
import { NavSidebar } from './nav-sidebar';
import { NotFoundPage } from './not-found-page';
import { calendarPage, customersPage, devicesPage, scheduleSettingsPage, syncConflictsPage, waitlistPage } from './pages';

// Each page is its own chunk (pages.tsx).
const { Component: CustomersPage } = customersPage;
const { Component: DevicesPage } = devicesPage;
const { Component: CalendarPage } = calendarPage;
const { Component: ScheduleSettingsPage } = scheduleSettingsPage;
const { Component: WaitlistPage } = waitlistPage;
const { Component: SyncConflictsPage } = syncConflictsPage;

export function AppShell() {
  const { t } = useTranslation();
  const { route, navigate } = useRouter();
  const live = useLiveUpdates();
  useDeviceEvents();

  // The front desk is the start page once it exists; until then it is the customer list.
  useEffect(() => {
    if (route.name === 'home') navigate(paths.customers(), { replace: true });
  }, [route.name, navigate]);

  const page =
    route.name === 'notFound'
      ? t('notFound.title')
      : route.name === 'devices'
        ? t('nav.devices')
        : route.name === 'calendar'
          ? t('nav.calendar')
          : route.name === 'waitlist'
            ? t('nav.waitlist')
            : route.name === 'scheduleSettings'
              ? t('nav.settings')
              : route.name === 'syncConflicts'
                ? t('sync.conflicts.title')
                : t('nav.customers');
  useEffect(() => {
    document.title = t('app.documentTitle', { page });
  }, [t, page]);

  return (
    <Layout className="foyer-root">
      <NavSidebar />
      <Layout>
        <AppHeader live={live} />
        <Layout.Content className="foyer-content">
          <Suspense fallback={<Skeleton active className="foyer-page" />}>
            {route.name === 'customers' && <CustomersPage customerId={route.customerId} />}
            {route.name === 'devices' && <DevicesPage />}
            {route.name === 'calendar' && <CalendarPage />}
            {route.name === 'waitlist' && <WaitlistPage />}
            {route.name === 'scheduleSettings' && <ScheduleSettingsPage />}
            {route.name === 'syncConflicts' && <SyncConflictsPage />}
            {route.name === 'notFound' && <NotFoundPage />}
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
