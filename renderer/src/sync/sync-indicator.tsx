/**
 * The header's sync state, always visible (ARCHITECTURE.md: "outbox health is always visible"):
 * online, syncing, offline since when, update Foyer, desk not recognized, or works alone; how many
 * changes wait to be sent and how old the oldest is; and the open conflicts as a badge that leads
 * to the inbox. A click opens the details: the server, the last sync, the last problem in plain
 * words, a first sync's progress, and "Sync now".
 */
import {
  CheckCircleOutlined,
  CloudServerOutlined,
  CloudUploadOutlined,
  DisconnectOutlined,
  ExclamationCircleOutlined,
  StopOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Badge, Button, Descriptions, Flex, Popover, Progress, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import { useRouter } from '../routing/router';
import { paths } from '../routing/routes';
import { useDesk } from '../shell/desk-context';
import { useSyncStatus } from './sync-status-context';
import { durationText, momentText, syncHint, syncLabel, syncViewOf, TONE_COLOURS, type DeskSyncStatus, type SyncKind, type SyncView } from './sync-status';

const ICONS: Record<SyncKind, ReactNode> = {
  alone: <CloudServerOutlined />,
  connecting: <SyncOutlined spin />,
  online: <CheckCircleOutlined />,
  syncing: <SyncOutlined spin />,
  offline: <DisconnectOutlined />,
  upgradeRequired: <ExclamationCircleOutlined />,
  unauthorized: <StopOutlined />,
};

export function SyncIndicator() {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const status = useSyncStatus();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  // Ages ("oldest 12 min") move on by themselves.
  const now = useNow(30_000);
  if (!status) return null;
  const view = syncViewOf(status);
  const timeOf = (instant: number) => momentText(instant, now, language, timeZone);
  const waiting = view.kind !== 'alone' && view.pending > 0;

  return (
    <Flex align="center" gap={8}>
      <Popover
        title={t('sync.details.title')}
        content={<SyncDetails status={status} view={view} now={now} timeOf={timeOf} />}
        trigger="click"
        placement="bottomRight"
      >
        <Flex align="center" gap={4} role="button" tabIndex={0} className="foyer-sync-trigger" aria-label={t('sync.details.title')}>
          <Tag
            data-testid="sync-indicator"
            data-kind={view.kind}
            data-pending={view.pending}
            data-live={view.live ? 'true' : 'false'}
            role="status"
            bordered={false}
            color={TONE_COLOURS[view.tone]}
            icon={ICONS[view.kind]}
            className="foyer-header-tag"
          >
            {syncLabel(t, view, timeOf)}
          </Tag>
          {waiting && (
            <Tag data-testid="sync-pending" bordered={false} color="processing" icon={<CloudUploadOutlined />} className="foyer-header-tag foyer-tabular">
              {t('outbox.pending', { count: view.pending })}
              {view.oldestPendingAt !== null && ` · ${t('sync.pendingSince', { age: durationText(t, now - view.oldestPendingAt) })}`}
            </Tag>
          )}
        </Flex>
      </Popover>
      {view.openConflicts > 0 && (
        <Badge count={view.openConflicts} size="small">
          <Button
            size="small"
            danger
            icon={<ExclamationCircleOutlined />}
            onClick={() => navigate(paths.syncConflicts())}
            title={t('sync.conflictsBadge', { count: view.openConflicts })}
            data-testid="sync-conflicts-badge"
            data-count={view.openConflicts}
          >
            {t('sync.conflicts.short')}
          </Button>
        </Badge>
      )}
    </Flex>
  );
}

function SyncDetails({ status, view, now, timeOf }: { status: DeskSyncStatus; view: SyncView; now: number; timeOf(instant: number): string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const { navigate } = useRouter();
  const syncNow = useMutation(trpc.sync.syncNow.mutationOptions());

  const onSyncNow = async () => {
    try {
      const after = syncViewOf(await syncNow.mutateAsync());
      if (after.error) void message.warning(messageOf(t, after.error.key, after.error.params));
      else void message.success(t('sync.syncNow.done'));
    } catch (e) {
      const error = appErrorOf(e);
      void message.error(messageOf(t, error.key, error.params));
    }
  };

  const items = [
    status.serverUrl !== null && { key: 'server', label: t('sync.details.server'), children: <Typography.Text copyable>{status.serverUrl}</Typography.Text> },
    view.canSync && {
      key: 'lastSynced',
      label: t('sync.details.lastSynced'),
      children: status.lastSyncedAt === null ? t('sync.details.never') : timeOf(status.lastSyncedAt),
    },
    {
      key: 'waiting',
      label: t('sync.details.waiting'),
      children: (
        <span data-testid="sync-details-waiting">
          {view.pending === 0
            ? t('sync.details.nothingWaiting')
            : view.kind === 'alone'
              ? t('sync.details.keptHere', { count: view.pending })
              : t('outbox.pending', { count: view.pending })}
          {view.kind !== 'alone' && view.oldestPendingAt !== null && (
            <>
              <br />
              {t('sync.details.oldest', { time: timeOf(view.oldestPendingAt), age: durationText(t, now - view.oldestPendingAt) })}
            </>
          )}
        </span>
      ),
    },
    view.error && {
      key: 'error',
      label: t('sync.details.lastError'),
      children: <span data-testid="sync-details-error">{messageOf(t, view.error.key, view.error.params)}</span>,
    },
  ].filter((i) => i !== false && i !== null);

  return (
    <Flex vertical gap={12} className="foyer-sync-details" data-testid="sync-details">
      <Typography.Text>{syncHint(t, view)}</Typography.Text>
      {view.since !== null && <Typography.Text strong>{t('sync.details.offlineFor', { duration: durationText(t, now - view.since) })}</Typography.Text>}
      {view.percent !== null && status.progress && (
        <div data-testid="sync-progress">
          <Typography.Text type="secondary">{t('sync.details.firstSync', { received: status.progress.received, total: status.progress.total })}</Typography.Text>
          <Progress percent={view.percent} size="small" />
        </div>
      )}
      <Descriptions size="small" column={1} items={items} />
      {view.kind !== 'alone' && <Typography.Text type="secondary">{t('outbox.explain')}</Typography.Text>}
      {view.openConflicts > 0 && (
        <Flex vertical align="start" gap={2}>
          <Typography.Text type="danger">{t('sync.details.conflicts', { count: view.openConflicts })}</Typography.Text>
          <Button type="link" className="foyer-alerts-link" onClick={() => navigate(paths.syncConflicts())} data-testid="sync-open-inbox">
            {t('sync.openInbox')}
          </Button>
        </Flex>
      )}
      {view.canSync && (
        <Button type="primary" icon={<SyncOutlined />} loading={syncNow.isPending} onClick={() => void onSyncNow()} data-testid="sync-now">
          {t('sync.syncNow')}
        </Button>
      )}
    </Flex>
  );
}
