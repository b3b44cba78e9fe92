import { DisconnectOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../host/app-error';
import type { LiveStatus } from '../host/use-live-updates';

/** Shown only while live updates are down: lists on screen may then be stale. */
export function ConnectionIndicator({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  if (status.state === 'live') return null;
  const hint =
    status.state === 'failed' && status.error.key !== 'errors.hostUnreachable'
      ? messageOf(t, status.error.key, status.error.params)
      : t('connection.reconnectingHint');
  return (
    <Tooltip title={hint}>
      <Tag
        data-testid="connection-indicator"
        role="status"
        tabIndex={0}
        bordered={false}
        color="warning"
        icon={<DisconnectOutlined />}
        className="foyer-header-tag"
      >
        {t('connection.reconnecting')}
      </Tag>
    </Tooltip>
  );
}
