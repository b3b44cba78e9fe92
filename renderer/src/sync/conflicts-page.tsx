/**
 * The conflict inbox (/sync/conflicts): every change of this desk the server refused, newest
 * first, with who made it and when, the reason in plain words, what it was (customer, service,
 * time in the site's zone, resources) and, for a booking, the next free alternatives as buttons
 * ("Book 09:30 with Dr. Li") that book it there and close the conflict. "Dismiss" closes one that
 * was dealt with otherwise; closed ones stay readable behind "Show resolved".
 *
 * Live: a refusal that a pull brings, or a conflict closed in another window, moves the open count
 * in the sync status (sync-status-context.tsx); a booking made elsewhere that takes an alternative
 * is a change event (host/use-live-updates.ts). Both refetch the list.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../core/permissions';
import { LoadFailed } from '../common/load-failed';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf, placeError } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';
import { alternativeLabel, conflictSummary, madeByText, namesFromEntry, type ConflictEntry, type ConflictSlot, type Place } from './conflict-values';
import { momentText } from './sync-status';

const RESOLUTION_COLOURS = { open: 'warning', rebooked: 'success', dismissed: 'default' } as const;

export function SyncConflictsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [showResolved, setShowResolved] = useState(false);
  const list = useQuery({ ...trpc.sync.conflicts.queryOptions({ includeResolved: showResolved }), placeholderData: keepPreviousData });
  const loadError = list.isError && !list.data ? appErrorOf(list.error) : null;
  const entries = list.data ?? [];
  const open = entries.filter((e) => e.resolution === null);
  const resolved = entries.filter((e) => e.resolution !== null);

  return (
    <div className="foyer-page" data-testid="sync-conflicts" data-loading={list.isFetching ? 'true' : 'false'}>
      <Flex justify="space-between" align="center" gap={12} wrap className="foyer-page-head">
        <Typography.Title level={3} className="foyer-page-title">
          {t('sync.conflicts.title')}
        </Typography.Title>
        <Space size={8}>
          <Switch checked={showResolved} onChange={setShowResolved} data-testid="sync-conflicts-show-resolved" aria-label={t('sync.conflicts.showResolved')} />
          <Typography.Text>{t('sync.conflicts.showResolved')}</Typography.Text>
        </Space>
      </Flex>
      <Typography.Paragraph type="secondary">{t('sync.conflicts.intro')}</Typography.Paragraph>

      {loadError ? (
        <LoadFailed title={t('sync.conflicts.loadFailed')} error={loadError} onRetry={() => void list.refetch()} testId="sync-conflicts-error" />
      ) : list.isPending ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          {open.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sync.conflicts.empty')} data-testid="sync-conflicts-empty" />}
          {open.map((e) => (
            <ConflictCard key={e.mutationId} entry={e} />
          ))}
          {showResolved && resolved.length > 0 && (
            <>
              <Typography.Title level={5}>{t('sync.conflicts.resolvedHeading')}</Typography.Title>
              {resolved.map((e) => (
                <ConflictCard key={e.mutationId} entry={e} />
              ))}
            </>
          )}
        </Flex>
      )}
    </div>
  );
}

function ConflictCard({ entry }: { entry: ConflictEntry }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { language } = useLanguage();
  const { info, timeZone: deskZone } = useDesk();
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const siteId = entry.booking?.siteId ?? null;
  const place: Place = { language, timeZone: info?.sites.find((s) => s.id === siteId)?.timeZone ?? deskZone };
  const catalog = useQuery({ ...trpc.scheduling.catalog.queryOptions({ siteId: siteId ?? '' }), enabled: siteId !== null && entry.alternatives.length > 0 });
  const known = namesFromEntry(entry);
  const nameOf = (id: string) => catalog.data?.resources.find((r) => r.id === id)?.name ?? known.get(id) ?? null;
  const rebook = useMutation(trpc.sync.rebook.mutationOptions());
  const dismiss = useMutation(trpc.sync.dismiss.mutationOptions());
  const open = entry.resolution === null;
  const canBook = info ? can(info.actor.role, 'booking.write') : false;
  const busy = rebook.isPending || dismiss.isPending;

  const run = async (work: () => Promise<unknown>, said: string) => {
    setError(null);
    try {
      await work();
      void message.success(said);
      await queryClient.invalidateQueries({ queryKey: trpc.sync.conflicts.pathKey() });
    } catch (e) {
      setError(placeError(t, appErrorOf(e), () => null).general);
    }
  };

  const onRebook = (slot: ConflictSlot) =>
    run(
      () => rebook.mutateAsync({ mutationId: entry.mutationId, start: slot.start, resourceIds: slot.resourceIds }),
      t('sync.conflicts.rebooked', { customer: entry.booking?.customerName ?? t('sync.conflicts.someone'), time: momentText(slot.start, now, language, place.timeZone) }),
    );
  const onDismiss = () => run(() => dismiss.mutateAsync({ mutationId: entry.mutationId }), t('sync.conflicts.dismissed'));

  const resolution = entry.resolution ?? 'open';
  return (
    <Card size="small" data-testid="sync-conflict" data-mutation-id={entry.mutationId} data-resolution={resolution}>
      <Flex vertical gap={8}>
        <Flex justify="space-between" align="start" gap={12}>
          <Typography.Text strong data-testid="sync-conflict-summary">
            {conflictSummary(t, entry, place)}
          </Typography.Text>
          <Tag color={RESOLUTION_COLOURS[resolution]} bordered={false} data-testid="sync-conflict-resolution">
            {t(`sync.conflicts.resolution.${resolution}`)}
          </Tag>
        </Flex>
        <Typography.Text type="secondary" className="foyer-tabular" data-testid="sync-conflict-made">
          {t('sync.conflicts.madeBy', {
            who: madeByText(t, entry.staffId, info?.actor.staffId ?? null),
            time: momentText(entry.madeAt, now, language, place.timeZone),
            refused: momentText(entry.rejectedAt, now, language, place.timeZone),
          })}
        </Typography.Text>
        <Alert type={open ? 'warning' : 'info'} showIcon title={messageOf(t, entry.error.key, entry.error.params)} data-testid="sync-conflict-reason" />
        {open && entry.booking && canBook && (
          <Flex align="center" gap={8} wrap data-testid="sync-conflict-alternatives">
            {entry.alternatives.length === 0 ? (
              <Typography.Text type="secondary">{t('sync.conflicts.noAlternatives')}</Typography.Text>
            ) : (
              <>
                <Typography.Text>{t('sync.conflicts.alternatives')}</Typography.Text>
                {entry.alternatives.map((slot) => (
                  <Button
                    key={`${slot.start}/${slot.resourceIds.join()}`}
                    disabled={busy}
                    onClick={() => void onRebook(slot)}
                    data-testid="sync-conflict-rebook"
                    data-start={slot.start}
                  >
                    {alternativeLabel(t, slot, entry.booking?.start ?? null, place, nameOf)}
                  </Button>
                ))}
              </>
            )}
          </Flex>
        )}
        {error && <Alert type="error" showIcon title={error} role="alert" data-testid="sync-conflict-error" />}
        {open && (
          <Flex justify="end">
            <Button type="text" loading={dismiss.isPending} disabled={busy} onClick={() => void onDismiss()} data-testid="sync-conflict-dismiss">
              {t('sync.conflicts.dismiss')}
            </Button>
          </Flex>
        )}
      </Flex>
    </Card>
  );
}
