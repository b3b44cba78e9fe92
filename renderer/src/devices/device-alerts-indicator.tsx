/**
 * The status bar's device alert: how many devices do not work or need attention, and how many
 * tickets may not have printed, with the reasons in a popover and a way to the Devices page.
 * Hidden while every device works, so when it shows, it matters.
 */
import { WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, List, Popover, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../host/trpc';
import { useRouter } from '../routing/router';
import { paths } from '../routing/routes';
import { deviceAlertsOf, summarize, type DeviceAlert } from './device-alerts';
import { HEALTH_COLOR, healthLabel, reasonText } from './device-health';

export function DeviceAlertsIndicator() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { navigate } = useRouter();
  const devices = useQuery(trpc.devices.list.queryOptions());
  const alerts = deviceAlertsOf(devices.data ?? []);
  const summary = summarize(alerts);
  if (summary.severity === null) return null;

  const parts = [
    summary.devices > 0 ? t('deviceAlerts.devices', { count: summary.devices }) : null,
    summary.uncertainTickets > 0 ? t('deviceAlerts.tickets', { count: summary.uncertainTickets }) : null,
  ].filter((p) => p !== null);

  const content = (
    <div className="foyer-alerts-popover" data-testid="device-alerts-list">
      <List<DeviceAlert>
        size="small"
        dataSource={alerts}
        rowKey={(a) => `${a.type}-${a.deviceId}`}
        renderItem={(a) => (
          <List.Item>
            {a.type === 'health' ? (
              <Flex vertical gap={2}>
                <Space size={8}>
                  <Typography.Text strong>{a.name}</Typography.Text>
                  <Tag color={HEALTH_COLOR[a.state]} bordered={false}>
                    {healthLabel(t, a.state)}
                  </Tag>
                </Space>
                {a.reasonKey && <Typography.Text>{reasonText(t, a.reasonKey, a.params)}</Typography.Text>}
              </Flex>
            ) : (
              <Flex vertical gap={2}>
                <Typography.Text strong>{a.name}</Typography.Text>
                <Typography.Text>{t('deviceAlerts.uncertain', { count: a.count })}</Typography.Text>
              </Flex>
            )}
          </List.Item>
        )}
      />
      <Button type="link" className="foyer-alerts-link" onClick={() => navigate(paths.devices())} data-testid="device-alerts-open">
        {t('deviceAlerts.open')}
      </Button>
    </div>
  );

  return (
    <Popover title={t('deviceAlerts.title')} content={content} trigger={['hover', 'click']} placement="bottomRight">
      <Tag
        data-testid="device-alerts"
        role="status"
        tabIndex={0}
        bordered={false}
        color={summary.severity}
        icon={<WarningOutlined />}
        className="foyer-header-tag foyer-alerts-tag"
      >
        {parts.join(' · ')}
      </Tag>
    </Popover>
  );
}
