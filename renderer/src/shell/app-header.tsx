import { Flex, Layout, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DeviceAlertsIndicator } from '../devices/device-alerts-indicator';
import type { LiveStatus } from '../host/use-live-updates';
import { ConnectionIndicator } from './connection-indicator';
import { useDesk } from './desk-context';
import { SessionMenu } from '../sync/session-menu';
import { SyncIndicator } from '../sync/sync-indicator';
import { LanguageSwitch } from './language-switch';
import { SitePicker } from './site-picker';

export function AppHeader({ live }: { live: LiveStatus }) {
  const { t } = useTranslation();
  const { info } = useDesk();
  const organization = info?.organization?.name;
  return (
    <Layout.Header className="foyer-header">
      <Flex align="center" gap={12} className="foyer-header-start">
        {info && (
          <Typography.Text strong ellipsis={{ tooltip: organization }} className="foyer-org" data-testid="organization-name">
            {organization ?? t('header.noOrganization')}
          </Typography.Text>
        )}
        <SitePicker />
      </Flex>
      <Flex align="center" gap={12} className="foyer-header-end">
        <ConnectionIndicator status={live} />
        <DeviceAlertsIndicator />
        <SyncIndicator />
        <LanguageSwitch />
        <SessionMenu />
      </Flex>
    </Layout.Header>
  );
}
