/**
 * A printer's recent print jobs, newest first, live: each job's state, why it waits or failed, and
 * what staff can do. A ticket that may not have printed ("Check printer") is never printed again by
 * itself — two people could get the same number — so staff look at the printer and either Reprint
 * it or Mark it as printed. A job still waiting can be cancelled.
 */
import { useMutation } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Table, Tag, Typography, type TableProps } from 'antd';
import type { TFunction } from 'i18next';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRecent } from '../common/format';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';
import { JOB_COLOR, jobStateLabel, reasonText } from './device-health';
import type { PrintJob } from './device-types';
import { useInvalidateDevices } from './use-device-events';

/** The label the host gives the Test button's page. */
const TEST_PAGE_LABEL = 'test-page';

export function jobLabel(t: TFunction, label: string): string {
  return label === TEST_PAGE_LABEL ? t('devices.job.testPage') : label;
}

type RowProps = HTMLAttributes<HTMLElement> & { 'data-testid': string; 'data-job-state': string; 'data-job-id': string };

interface Props {
  jobs: PrintJob[] | undefined;
  loading: boolean;
}

export function PrintQueue({ jobs, loading }: Props) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  const now = useNow();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const invalidate = useInvalidateDevices();
  const reprint = useMutation(trpc.devices.reprint.mutationOptions());
  const dismiss = useMutation(trpc.devices.dismiss.mutationOptions());
  const cancel = useMutation(trpc.devices.cancelJob.mutationOptions());

  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      void message.success(done);
    } catch (e) {
      const shape = appErrorOf(e);
      void message.error(messageOf(t, shape.key, shape.params));
    } finally {
      invalidate();
    }
  };

  const columns: TableProps<PrintJob>['columns'] = [
    { key: 'label', title: t('devices.queue.column.ticket'), dataIndex: 'label', width: 140, render: (l: string) => jobLabel(t, l) },
    {
      key: 'state',
      title: t('devices.queue.column.state'),
      dataIndex: 'state',
      width: 130,
      render: (s: PrintJob['state']) => (
        <Tag color={JOB_COLOR[s]} bordered={false} data-testid="job-state">
          {jobStateLabel(t, s)}
        </Tag>
      ),
    },
    {
      key: 'reason',
      title: t('devices.queue.column.details'),
      render: (_: unknown, j: PrintJob) => {
        const params = j.params ? { ...j.params, ...(typeof j.params.job === 'string' ? { job: jobLabel(t, j.params.job) } : {}) } : null;
        const text = reasonText(t, j.reasonKey, params);
        return text ? <Typography.Text type={j.state === 'cancelled' || j.state === 'confirmed' ? 'secondary' : 'warning'}>{text}</Typography.Text> : null;
      },
    },
    {
      key: 'time',
      title: t('devices.queue.column.time'),
      dataIndex: 'createdAt',
      width: 130,
      render: (at: number) => (
        <span className="foyer-tabular">{formatRecent(at, now, language, timeZone, (time) => t('common.todayAt', { time }))}</span>
      ),
    },
    {
      key: 'actions',
      title: '',
      width: 220,
      align: 'end',
      render: (_: unknown, j: PrintJob) => {
        const label = jobLabel(t, j.label);
        if (j.state === 'uncertain') {
          return (
            <Space size={4} wrap>
              <Popconfirm
                title={t('devices.job.reprintConfirm', { job: label })}
                okText={t('devices.job.reprint')}
                cancelText={t('common.cancel')}
                onConfirm={() => act(() => reprint.mutateAsync({ jobId: j.id }), t('devices.job.reprinted', { job: label }))}
              >
                <Button size="small" type="primary" data-testid="job-reprint">
                  {t('devices.job.reprint')}
                </Button>
              </Popconfirm>
              <Button
                size="small"
                data-testid="job-dismiss"
                onClick={() => void act(() => dismiss.mutateAsync({ jobId: j.id }), t('devices.job.dismissed', { job: label }))}
              >
                {t('devices.job.dismiss')}
              </Button>
            </Space>
          );
        }
        if (j.state === 'queued' || j.state === 'held') {
          return (
            <Button
              size="small"
              data-testid="job-cancel"
              onClick={() => void act(() => cancel.mutateAsync({ jobId: j.id }), t('devices.job.cancelled', { job: label }))}
            >
              {t('devices.job.cancel')}
            </Button>
          );
        }
        return null;
      },
    },
  ];

  return (
    <Table<PrintJob>
      data-testid="print-queue"
      aria-label={t('devices.queue.title')}
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={jobs ?? []}
      loading={loading}
      pagination={false}
      onRow={(j): RowProps => ({ 'data-testid': 'job-row', 'data-job-state': j.state, 'data-job-id': j.id })}
      locale={{ emptyText: t('devices.queue.empty') }}
    />
  );
}
