/**
 * The sidebar: every section of the product, with the ones not built yet disabled and labelled
 * "Soon" (a tooltip says they come in a later release).
 */
import {
  BarChartOutlined,
  CalendarOutlined,
  HourglassOutlined,
  IdcardOutlined,
  LoginOutlined,
  PrinterOutlined,
  SettingOutlined,
  SoundOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Layout, Menu, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useRouter } from '../routing/router';
import type { Route } from '../routing/routes';
import { NAV_SECTIONS, type SectionId } from './nav-items';

const ICONS: Record<SectionId, ReactNode> = {
  frontDesk: <LoginOutlined />,
  calendar: <CalendarOutlined />,
  waitlist: <HourglassOutlined />,
  queue: <SoundOutlined />,
  customers: <TeamOutlined />,
  memberships: <IdcardOutlined />,
  devices: <PrinterOutlined />,
  reports: <BarChartOutlined />,
  settings: <SettingOutlined />,
};

function sectionOf(route: Route): SectionId | null {
  if (route.name === 'customers') return 'customers';
  if (route.name === 'devices') return 'devices';
  if (route.name === 'calendar') return 'calendar';
  if (route.name === 'waitlist') return 'waitlist';
  if (route.name === 'scheduleSettings') return 'settings';
  return null;
}

export function NavSidebar() {
  const { t } = useTranslation();
  const { route, navigate } = useRouter();
  const [collapsed, setCollapsed] = useState(false);
  const current = sectionOf(route);

  const items: MenuProps['items'] = NAV_SECTIONS.map((s) => {
    const label = t(s.label);
    if (s.path !== null) {
      return { key: s.id, icon: ICONS[s.id], label, 'data-testid': `nav-${s.id}` };
    }
    return {
      key: s.id,
      icon: ICONS[s.id],
      disabled: true,
      'data-testid': `nav-${s.id}`,
      // Collapsed, the menu shows the label as its own tooltip, so it carries the note itself.
      label: collapsed ? (
        t('nav.soonLabel', { label })
      ) : (
        <Tooltip title={t('nav.comingLater')} placement="right">
          <span className="foyer-nav-soon">
            <span>{label}</span>
            <Tag bordered={false} className="foyer-nav-soon-tag">
              {t('nav.soon')}
            </Tag>
          </span>
        </Tooltip>
      ),
    };
  });

  const onClick: MenuProps['onClick'] = ({ key }) => {
    const target = NAV_SECTIONS.find((s) => s.id === key);
    if (target?.path) navigate(target.path);
  };

  return (
    <Layout.Sider
      className="foyer-sider"
      theme="light"
      width={216}
      collapsible
      collapsed={collapsed}
      onCollapse={setCollapsed}
      breakpoint="lg"
    >
      <div className="foyer-brand">
        <span className="foyer-brand-mark" aria-hidden>
          F
        </span>
        {!collapsed && <Typography.Text strong>{t('app.name')}</Typography.Text>}
      </div>
      <nav aria-label={t('nav.label')}>
        <Menu mode="inline" items={items} selectedKeys={current ? [current] : []} onClick={onClick} />
      </nav>
    </Layout.Sider>
  );
}
