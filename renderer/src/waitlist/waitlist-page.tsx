/**
 * The site's waitlist: who wants a time sooner than the calendar allows, urgent first and then
 * oldest (core's order, the order freed slots are offered in). Open entries by default; booked and
 * removed ones on request. An entry can be edited or removed; for a waiting one "Find a slot"
 * lists free times that suit its wishes, to offer one (a hold for the customer); an offered one
 * shows the time its hold has left, and can be booked through the hold or withdrawn. Live: an
 * offer made or booked on another desk, or by a cancellation, shows at once.
 */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Flex, Popconfirm, Segmented, Skeleton, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../core/customers/phone';
import { SiteDeskProvider, useCalendarDesk } from '../calendar/calendar-desk';
import { formatSpan } from '../calendar/calendar-format';
import { formatDateTime } from '../common/format';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useDesk } from '../shell/desk-context';
import type { WaitlistEntry } from './types';
import { WaitlistFormModal, type WaitlistFormTarget } from './waitlist-form-modal';
import { EntryStateTag, UrgentTag, wishesText } from './waitlist-labels';
import { WaitlistSlotsDrawer } from './waitlist-slots-drawer';
import { useWaitlistActions } from './use-waitlist-actions';
import { canOffer, entryState, statusesOf, WAITLIST_FILTERS, type WaitlistFilter } from './waitlist-values';

export function WaitlistPage() {
  const { t } = useTranslation();
  const { info, site } = useDesk();
  if (!info) return <Skeleton active className="foyer-page" />;
  if (!site) return <Empty className="foyer-page" description={t('header.noOrganization')} />;
  return (
    <SiteDeskProvider key={site.id} site={site} role={info.actor.role}>
      <WaitlistScreen />
    </SiteDeskProvider>
  );
}

function WaitlistScreen() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const desk = useCalendarDesk();
  const { siteId, catalog, language, timeZone } = desk;
  const [filter, setFilter] = useState<WaitlistFilter>('open');
  const [formTarget, setFormTarget] = useState<WaitlistFormTarget | null>(null);
  const [finding, setFinding] = useState<WaitlistEntry | null>(null);
  const actions = useWaitlistActions();
  // Offers count down by the second.
  const now = useNow(1_000);
  const list = useQuery({ ...trpc.scheduling.waitlist.queryOptions({ siteId, statuses: statusesOf(filter) }), placeholderData: keepPreviousData });
  const nameOf = (id: string) => catalog?.resources.find((r) => r.id === id)?.name ?? id;
  const loadError = list.isError && !list.data ? appErrorOf(list.error) : null;

  const actionsOf = (e: WaitlistEntry) => {
    const state = entryState(e, now);
    if (!desk.canWrite || state === 'booked' || state === 'removed') return null;
    const busy = (action: string) => actions.busy === `${action}:${e.id}`;
    return (
      <Space size={4} wrap>
        {state === 'offered' && e.offer && (
          <>
            <Button type="primary" size="small" loading={busy('book')} onClick={() => void actions.book(e)} data-testid="waitlist-book">
              {t('waitlist.action.book')}
            </Button>
            <Button size="small" loading={busy('withdraw')} onClick={() => void actions.withdraw(e)} data-testid="waitlist-withdraw">
              {t('waitlist.action.withdraw')}
            </Button>
          </>
        )}
        {canOffer(e, now) && (
          <Button size="small" onClick={() => setFinding(e)} data-testid="waitlist-find-slot">
            {t('waitlist.action.findSlot')}
          </Button>
        )}
        <Button size="small" type="text" onClick={() => setFormTarget({ mode: 'edit', entry: e })} data-testid="waitlist-edit">
          {t('waitlist.action.edit')}
        </Button>
        <Popconfirm
          title={t('waitlist.remove.confirm', { name: e.customerName })}
          okText={t('waitlist.action.remove')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true, ...({ 'data-testid': 'waitlist-remove-confirm' } as Record<string, string>) }}
          onConfirm={() => actions.remove(e)}
        >
          <Button size="small" type="text" danger loading={busy('remove')} data-testid="waitlist-remove">
            {t('waitlist.action.remove')}
          </Button>
        </Popconfirm>
      </Space>
    );
  };

  return (
    <div className="foyer-page" data-testid="waitlist" data-loading={list.isFetching ? 'true' : 'false'}>
      <Flex justify="space-between" align="center" gap={12} wrap className="foyer-page-head">
        <Typography.Title level={3} className="foyer-page-title">
          {t('waitlist.title')}
        </Typography.Title>
        <Flex align="center" gap={8} wrap>
          <Segmented<WaitlistFilter>
            value={filter}
            onChange={setFilter}
            aria-label={t('waitlist.filter.label')}
            options={WAITLIST_FILTERS.map((f) => ({ value: f, label: <span data-testid={`waitlist-filter-${f}`}>{t(`waitlist.filter.${f}`)}</span> }))}
          />
          {desk.canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: 'add' })} data-testid="waitlist-add">
              {t('waitlist.add')}
            </Button>
          )}
        </Flex>
      </Flex>

      {actions.error && <Alert type="error" showIcon title={actions.error} role="alert" data-testid="waitlist-error" className="foyer-form-alert" />}
      {loadError ? (
        <Alert
          type="error"
          showIcon
          title={t('waitlist.loadFailed')}
          description={messageOf(t, loadError.key, loadError.params)}
          action={<Button onClick={() => void list.refetch()}>{t('common.retry')}</Button>}
          data-testid="waitlist-error"
        />
      ) : (
        <Table<WaitlistEntry>
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={list.data ?? []}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('waitlist.empty')} /> }}
          onRow={(e) => ({ 'data-testid': 'waitlist-row', 'data-entry-id': e.id, 'data-state': entryState(e, now) }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'customer',
              title: t('waitlist.column.customer'),
              render: (_, e) => (
                <Flex vertical gap={2}>
                  <Space size={6} wrap>
                    <Typography.Text strong>{e.customerName}</Typography.Text>
                    {e.urgent && <UrgentTag />}
                  </Space>
                  <Typography.Text type="secondary" className="foyer-tabular">
                    {formatPhone(e.customerPhone)}
                  </Typography.Text>
                </Flex>
              ),
            },
            { key: 'service', title: t('waitlist.column.service'), dataIndex: 'serviceName' },
            {
              key: 'wishes',
              title: t('waitlist.column.wishes'),
              render: (_, e) => (
                <Flex vertical gap={2}>
                  <span>{wishesText(t, e, language, nameOf)}</span>
                  {e.notes && (
                    <Typography.Text type="secondary" className="foyer-notes">
                      {e.notes}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            {
              key: 'status',
              title: t('waitlist.column.status'),
              render: (_, e) => (
                <Flex vertical gap={2} align="start">
                  <EntryStateTag entry={e} now={now} />
                  {e.offer && entryState(e, now) === 'offered' && (
                    <Typography.Text type="secondary" data-testid="waitlist-held">
                      {t('waitlist.held', { time: formatSpan(e.offer.start, e.offer.end, language, timeZone) })}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            { key: 'added', title: t('waitlist.column.added'), render: (_, e) => <span className="foyer-tabular">{formatDateTime(e.createdAt, language, timeZone)}</span> },
            { key: 'actions', title: '', align: 'right', render: (_, e) => actionsOf(e) },
          ]}
        />
      )}

      <WaitlistFormModal target={formTarget} onClose={() => setFormTarget(null)} />
      <WaitlistSlotsDrawer entry={finding} onClose={() => setFinding(null)} />
    </div>
  );
}
