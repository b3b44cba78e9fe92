/**
 * The window's frame: the sections on the left, the desk (organization, site, sync state,
 * language) on top, and the current page. It also keeps the window live (change subscription)
 * and its title in step with the page.
 */
import { Layout } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CustomersPage } from '../customers/customers-page';
import { useLiveUpdates } from '../host/use-live-updates';
import { useRouter } from '../routing/router';
import { paths } from '../routing/routes';
import { AppHeader } from './app-header';
import { NavSidebar } from './nav-sidebar';
import { NotFoundPage } from './not-found-page';

export function AppShell() {
  const { t } = useTranslation();
  const { route, navigate } = useRouter();
  const live = useLiveUpdates();

  // The front desk is the start page once it exists; until then it is the customer list.
  useEffect(() => {
    if (route.name === 'home') navigate(paths.customers(), { replace: true });
  }, [route.name, navigate]);

  const page = route.name === 'notFound' ? t('notFound.title') : t('nav.customers');
  useEffect(() => {
    document.title = t('app.documentTitle', { page });
  }, [t, page]);

  return (
    <Layout className="foyer-root">
      <NavSidebar />
      <Layout>
        <AppHeader live={live} />
        <Layout.Content className="foyer-content">
          {route.name === 'customers' && <CustomersPage customerId={route.customerId} />}
          {route.name === 'notFound' && <NotFoundPage />}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
