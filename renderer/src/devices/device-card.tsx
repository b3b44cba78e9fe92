/**
 * One device on the Devices page: what and where it is, its health in words, and what can be done
 * with it. Test does what the device is for — a printer prints a test page (whose progress shows
 * here as it goes), a display shows a test message, a gate opens, a scanner waits for a code — so
 * staff see at once whether it works. Printers list their print queue, gates their recent audit.
 */
import { DeleteOutlined, EditOutlined, ExperimentOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Tag, Tooltip, Typography, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../common/format';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';
import { HealthBadge, JOB_COLOR, jobStateLabel } from './device-health';
import type { DeviceView, TestOutcome } from './device-types';
import { GateAudit } from './gate-audit';
import { PrintQueue, jobLabel } from './print-queue';
import { useInvalidateDevices } from './use-device-events';

const JOBS_LIMIT = 10;

interface Props {
  device: DeviceView;
  canManage: boolean;
  onEdit(device: DeviceView): void;
}

/** What the last Test press is waiting for, shown on the card until it is done. */
type Pending = { kind: 'print'; jobId: string } | { kind: 'scan'; after: { code: string; at: number } | null };

export function DeviceCard({ device: d, canManage, onEdit }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  const invalidate = useInvalidateDevices();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const test = useMutation(trpc.devices.test.mutationOptions());
  const openGate = useMutation(trpc.devices.openGate.mutationOptions());
  const remove = useMutation(trpc.devices.remove.mutationOptions());
  const jobs = useQuery({ ...trpc.devices.jobs.queryOptions({ deviceId: d.id, limit: JOBS_LIMIT }), enabled: d.kind === 'printer' });

  const fail = (e: unknown) => {
    const shape = appErrorOf(e);
    const text = messageOf(t, shape.key, shape.params);
    setError(text);
    void message.error(text);
  };

  const onTested = (outcome: TestOutcome) => {
    switch (outcome.kind) {
      case 'printing':
        setPending({ kind: 'print', jobId: outcome.job.id });
        void message.success(t('devices.test.printing', { device: d.name }));
        break;
      case 'shown':
        void message.success(t('devices.test.shown', { device: d.name, text: outcome.line1 }));
        break;
      case 'opened':
        void message.success(t('devices.gateOpened', { device: d.name }));
        break;
      case 'waiting-for-scan':
        setPending({ kind: 'scan', after: d.lastScan });
        break;
    }
  };

  const runTest = async () => {
    setError(null);
    setPending(null);
    try {
      onTested(await test.mutateAsync({ id: d.id }));
    } catch (e) {
      fail(e);
    } finally {
      invalidate();
    }
  };

  const runOpenGate = async () => {
    setError(null);
    try {
      await openGate.mutateAsync({ id: d.id });
      void message.success(t('devices.gateOpened', { device: d.name }));
    } catch (e) {
      fail(e);
    } finally {
      invalidate();
    }
  };

  const runRemove = async () => {
    try {
      await remove.mutateAsync({ id: d.id });
      void message.success(t('devices.removed', { name: d.name }));
    } catch (e) {
      fail(e);
    } finally {
      invalidate();
    }
  };

  const testJob = pending?.kind === 'print' ? jobs.data?.find((j) => j.id === pending.jobId) : undefined;
  const scanArrived = pending?.kind === 'scan' && d.lastScan !== null && (pending.after === null || d.lastScan.at !== pending.after.at);

  const items: DescriptionsProps['items'] = [
    { key: 'where', label: t('devices.field.where'), children: <span className="foyer-tabular">{d.where}</span> },
    { key: 'health', label: t('devices.field.health'), children: <HealthBadge health={d.health} /> },
  ];
  if (d.kind === 'printer') {
    items.push({
      key: 'queue',
      label: t('devices.field.queue'),
      children: (
        <Space size={8} data-testid="device-queue-counts">
          <span>{t('devices.waiting', { count: d.waitingJobs })}</span>
          {d.uncertainJobs > 0 && (
            <Tag color="warning" bordered={false}>
              {t('devices.uncertain', { count: d.uncertainJobs })}
            </Tag>
          )}
        </Space>
      ),
    });
  }
  if (d.kind === 'display') {
    items.push({
      key: 'shown',
      label: t('devices.field.shown'),
      children: d.shown ? (
        <span className="foyer-tabular">{[d.shown.line1, d.shown.line2].filter((l) => l !== '').join(' / ')}</span>
      ) : (
        <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
      ),
    });
  }
  if (d.kind === 'scanner') {
    items.push({
      key: 'lastScan',
      label: t('devices.field.lastScan'),
      children: d.lastScan ? (
        <Space size={8} data-testid="device-last-scan">
          <Typography.Text code copyable>
            {d.lastScan.code}
          </Typography.Text>
          <Typography.Text type="secondary">{formatDateTime(d.lastScan.at, language, timeZone)}</Typography.Text>
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('devices.noScan')}</Typography.Text>
      ),
    });
  }
  if (d.kind === 'gate') {
    items.push({
      key: 'gate',
      label: t('devices.field.gate'),
      children: (
        <Tag color={d.gateOpen ? 'processing' : 'default'} bordered={false} data-testid="gate-state">
          {d.gateOpen ? t('devices.gate.open') : t('devices.gate.closed')}
        </Tag>
      ),
    });
  }

  const actions = (
    <Space size={8} wrap>
      {d.kind === 'gate' && (
        <Button
          type="primary"
          icon={<UnlockOutlined />}
          loading={openGate.isPending}
          disabled={!d.enabled}
          onClick={() => void runOpenGate()}
          data-testid="gate-open"
        >
          {t('devices.action.openGate')}
        </Button>
      )}
      <Tooltip title={d.enabled ? t(`devices.test.help.${d.kind}`) : t('devices.test.disabled')}>
        <Button icon={<ExperimentOutlined />} loading={test.isPending} disabled={!d.enabled} onClick={() => void runTest()} data-testid="device-test">
          {t('devices.action.test')}
        </Button>
      </Tooltip>
      {canManage && (
        <>
          <Button icon={<EditOutlined />} onClick={() => onEdit(d)} data-testid="device-edit">
            {t('devices.action.edit')}
          </Button>
          <Popconfirm
            title={t('devices.remove.confirm', { name: d.name })}
            description={d.kind === 'printer' ? t('devices.remove.explainPrinter') : t('devices.remove.explain')}
            okText={t('devices.action.remove')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={runRemove}
          >
            <Button danger icon={<DeleteOutlined />} data-testid="device-remove">
              {t('devices.action.remove')}
            </Button>
          </Popconfirm>
        </>
      )}
    </Space>
  );

  return (
    <Card
      data-testid="device-row"
      data-device-name={d.name}
      data-device-id={d.id}
      data-device-kind={d.kind}
      title={
        <Space size={8}>
          <span>{d.name}</span>
          <Tag bordered={false}>{t(`devices.kind.${d.kind}`)}</Tag>
        </Space>
      }
      extra={actions}
      className="foyer-device-card"
    >
      <Descriptions column={1} size="small" items={items} styles={{ label: { width: 120 } }} />
      {pending?.kind === 'print' && (
        <Alert
          className="foyer-device-note"
          type={testJob?.state === 'confirmed' ? 'success' : testJob && ['failed', 'cancelled', 'uncertain', 'held'].includes(testJob.state) ? 'warning' : 'info'}
          showIcon
          closable={{ onClose: () => setPending(null) }}
          data-testid="device-test-progress"
          title={
            <Space size={8}>
              <span>{t('devices.test.progress', { job: jobLabel(t, 'test-page') })}</span>
              {testJob && (
                <Tag color={JOB_COLOR[testJob.state]} bordered={false}>
                  {jobStateLabel(t, testJob.state)}
                </Tag>
              )}
            </Space>
          }
        />
      )}
      {pending?.kind === 'scan' && (
        <Alert
          className="foyer-device-note"
          type={scanArrived ? 'success' : 'info'}
          showIcon
          closable={{ onClose: () => setPending(null) }}
          data-testid="device-test-progress"
          title={scanArrived && d.lastScan ? t('devices.test.scanned', { code: d.lastScan.code }) : t('devices.test.scanNow', { device: d.name })}
        />
      )}
      {error && (
        <Alert
          className="foyer-device-note"
          type="error"
          showIcon
          closable={{ onClose: () => setError(null) }}
          title={error}
          data-testid="device-error"
        />
      )}
      {d.kind === 'printer' && (
        <section className="foyer-device-section" aria-label={t('devices.queue.title')}>
          <Typography.Title level={5}>{t('devices.queue.title')}</Typography.Title>
          <PrintQueue jobs={jobs.data} loading={jobs.isPending} />
        </section>
      )}
      {d.kind === 'gate' && (
        <section className="foyer-device-section" aria-label={t('devices.audit.title')}>
          <Typography.Title level={5}>{t('devices.audit.title')}</Typography.Title>
          <GateAudit deviceId={d.id} />
        </section>
      )}
    </Card>
  );
}
