/**
 * The Devices page: the printers, displays, gates and scanners plugged into this desk, each with
 * its health in words and a Test button, the forms to add and configure them, the print queue and
 * the gate's audit. Everything on it is live (device events refetch it). A USB scanner that types
 * like a keyboard needs no configuration; scanning anywhere on this page shows its code under
 * "Last scan (keyboard)", so staff can check it too.
 */
import { PlusOutlined, ScanOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Skeleton, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../core/permissions';
import { formatDateTime } from '../common/format';
import { useKeyboardWedge } from '../common/use-keyboard-wedge';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';
import { DeviceCard } from './device-card';
import { DeviceFormModal, type DeviceFormTarget } from './device-form-modal';

export function DevicesPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { info } = useDesk();
  const devices = useQuery(trpc.devices.list.queryOptions());
  const [formTarget, setFormTarget] = useState<DeviceFormTarget | null>(null);
  const canManage = info !== undefined && can(info.actor.role, 'device.manage');

  return (
    <div className="foyer-page">
      <Flex justify="space-between" align="center" gap={16} wrap className="foyer-page-head">
        <Typography.Title level={3} className="foyer-page-title">
          {t('nav.devices')}
        </Typography.Title>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: 'create' })} data-testid="devices-add">
            {t('devices.add')}
          </Button>
        )}
      </Flex>

      <Flex vertical gap={16}>
        {devices.isError && !devices.data ? (
          <Alert
            type="error"
            showIcon
            title={t('devices.loadFailed')}
            description={messageOf(t, appErrorOf(devices.error).key, appErrorOf(devices.error).params)}
            action={<Button onClick={() => void devices.refetch()}>{t('common.retry')}</Button>}
          />
        ) : devices.isPending ? (
          <Skeleton active />
        ) : devices.data.length === 0 ? (
          <Card>
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('devices.empty')} data-testid="devices-empty" />
          </Card>
        ) : (
          devices.data.map((d) => <DeviceCard key={d.id} device={d} canManage={canManage} onEdit={(device) => setFormTarget({ mode: 'edit', device })} />)
        )}
        <KeyboardScannerCard paused={formTarget !== null} />
      </Flex>

      <DeviceFormModal target={formTarget} onClose={() => setFormTarget(null)} />
    </div>
  );
}

/** Shows what a keyboard-wedge scanner typed, while the page is on top (not while a form is open). */
function KeyboardScannerCard({ paused }: { paused: boolean }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  const [last, setLast] = useState<{ code: string; at: number } | null>(null);
  const onScan = useCallback((code: string) => setLast({ code, at: Date.now() }), []);
  useKeyboardWedge(onScan, { enabled: !paused });

  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          <ScanOutlined />
          <span>{t('devices.wedge.title')}</span>
        </Space>
      }
      data-testid="keyboard-scanner"
    >
      <Typography.Paragraph type="secondary" className="foyer-wedge-hint">
        {t('devices.wedge.hint')}
      </Typography.Paragraph>
      <Space size={8} wrap aria-live="polite">
        <Typography.Text strong>{t('devices.wedge.last')}</Typography.Text>
        {last ? (
          <>
            <Typography.Text code copyable data-testid="keyboard-last-scan">
              {last.code}
            </Typography.Text>
            <Typography.Text type="secondary">{formatDateTime(last.at, language, timeZone)}</Typography.Text>
          </>
        ) : (
          <Typography.Text type="secondary">{t('devices.wedge.none')}</Typography.Text>
        )}
      </Space>
    </Card>
  );
}
