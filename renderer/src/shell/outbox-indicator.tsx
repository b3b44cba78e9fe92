/**
 * How many changes made on this desk have not reached the cloud yet. Always visible, so a desk
 * that has been offline for a while is noticed (see ARCHITECTURE.md, "outbox health").
 */
import { CheckCircleOutlined, CloudUploadOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../common/format';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from './desk-context';

export function OutboxIndicator() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { info, timeZone } = useDesk();
  if (!info) return null;
  const { pending, oldestCreatedAt } = info.outbox;
  const tip = (
    <>
      {t('outbox.explain')}
      {oldestCreatedAt !== null && (
        <>
          <br />
          {t('outbox.oldest', { time: formatDateTime(oldestCreatedAt, language, timeZone) })}
        </>
      )}
    </>
  );
  return (
    <Tooltip title={tip}>
      <Tag
        data-testid="outbox-indicator"
        role="status"
        tabIndex={0}
        bordered={false}
        color={pending > 0 ? 'processing' : 'success'}
        icon={pending > 0 ? <CloudUploadOutlined /> : <CheckCircleOutlined />}
        className="foyer-header-tag"
      >
        {pending > 0 ? t('outbox.pending', { count: pending }) : t('outbox.synced')}
      </Tag>
    </Tooltip>
  );
}
