/**
 * Scheduling settings of the site chosen in the header: its booking rules and opening hours,
 * holidays and special days (with planned and emergency closures), departments, resources with
 * their rotas, services, and the class timetable. Everything comes from one catalogue query and
 * stays live (the change subscription refetches it). What the actor's role may not change is
 * shown read-only. The open tab is kept in the URL's hash, so a reload stays on it.
 */
import { Alert, Button, Flex, Skeleton, Tabs, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { appErrorOf, messageOf } from '../host/app-error';
import { useDesk } from '../shell/desk-context';
import { DepartmentsTab } from './departments-tab';
import { ResourcesTab } from './resources-tab';
import { ServicesTab } from './services-tab';
import { SiteTab } from './site-tab';
import { SpecialDaysTab } from './special-days-tab';
import { TimetableTab } from './timetable-tab';
import { useCatalog, usePermissions } from './use-schedules';
import './schedules.css';

export const SCHEDULE_TABS = ['site', 'days', 'departments', 'resources', 'services', 'classes'] as const;
export type ScheduleTab = (typeof SCHEDULE_TABS)[number];

function tabOfHash(hash: string): ScheduleTab {
  const name = hash.replace(/^#/, '');
  return (SCHEDULE_TABS as readonly string[]).includes(name) ? (name as ScheduleTab) : 'site';
}

export function ScheduleSettingsPage() {
  const { t } = useTranslation();
  const { site } = useDesk();
  return (
    <div className="foyer-page" data-testid="schedule-settings">
      <Flex justify="space-between" align="center" gap={16} wrap className="foyer-page-head">
        <Typography.Title level={3} className="foyer-page-title">
          {t('schedules.title')}
        </Typography.Title>
        {site && <Typography.Text type="secondary">{t('schedules.forSite', { site: site.name, zone: site.timeZone })}</Typography.Text>}
      </Flex>
      {site ? <SiteSchedules key={site.id} siteId={site.id} /> : <Skeleton active />}
    </div>
  );
}

function SiteSchedules({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const catalog = useCatalog(siteId);
  const can = usePermissions();
  const [tab, setTab] = useState<ScheduleTab>(() => tabOfHash(window.location.hash));

  useEffect(() => {
    const onHash = () => setTab(tabOfHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const choose = (next: string) => {
    const name = tabOfHash(next);
    setTab(name);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#${name}`);
  };

  const presentKinds = useMemo(() => [...new Set((catalog.data?.resources ?? []).map((r) => r.kind))], [catalog.data]);

  if (catalog.isError && !catalog.data) {
    const error = appErrorOf(catalog.error);
    return (
      <Alert
        type="error"
        showIcon
        title={t('schedules.loadFailed')}
        description={messageOf(t, error.key, error.params)}
        action={<Button onClick={() => void catalog.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  if (catalog.isPending) return <Skeleton active />;
  const c = catalog.data;

  const label = (name: ScheduleTab) => <span data-testid={`schedules-tab-${name}`}>{t(`schedules.tab.${name}`)}</span>;
  return (
    <Tabs
      activeKey={tab}
      onChange={choose}
      destroyOnHidden
      items={[
        { key: 'site', label: label('site'), children: <SiteTab key={c.site.id} site={c.site} canManage={can.site} /> },
        { key: 'days', label: label('days'), children: <SpecialDaysTab site={c.site} canManage={can.site} canClose={can.close} /> },
        {
          key: 'departments',
          label: label('departments'),
          children: <DepartmentsTab siteId={c.site.id} departments={c.departments} resources={c.resources} services={c.services} canManage={can.schedule} />,
        },
        {
          key: 'resources',
          label: label('resources'),
          children: <ResourcesTab siteId={c.site.id} timeZone={c.site.timeZone} resources={c.resources} departments={c.departments} canManage={can.schedule} />,
        },
        {
          key: 'services',
          label: label('services'),
          children: <ServicesTab siteId={c.site.id} services={c.services} departments={c.departments} presentKinds={presentKinds} canManage={can.schedule} />,
        },
        {
          key: 'classes',
          label: label('classes'),
          children: <TimetableTab siteId={c.site.id} timeZone={c.site.timeZone} services={c.services} resources={c.resources} canManage={can.schedule} />,
        },
      ]}
    />
  );
}
