/**
 * A group class session: its time, coach and room, seats taken and left, who is booked
 * (scheduling.roster), and booking someone into it. The seat count comes from the calendar window,
 * which refreshes on every change, so two desks selling the last seat see it go at once; the
 * mutator counts seats in its own transaction, so only one of them gets it. Booking a full class
 * is not greyed out: the desk tries, and the mutator's refusal says why in words.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Empty, Flex, InputNumber, Skeleton, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../core/customers/phone';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useCalendarDesk } from './calendar-desk';
import { STATUS_TAG_COLOURS } from './calendar-colours';
import { seatsLeft } from './calendar-events';
import { formatSpan } from './calendar-format';
import { isBookingStatus, statusLabel } from './calendar-labels';
import { CustomerPicker } from './customer-picker';
import type { PickedCustomer } from './quick-register-modal';
import type { CalendarSession, RosterEntry } from './types';

interface Props {
  session: CalendarSession | null;
  onClose(): void;
  onOpenBooking(bookingId: string, title: string): void;
}

export function SessionDrawer({ session, onClose, onOpenBooking }: Props) {
  const { t } = useTranslation();
  return (
    <Drawer open={session !== null} onClose={onClose} size={560} destroyOnHidden title={session?.serviceName ?? t('calendar.session.title')} data-testid="session-drawer">
      {session && <SessionPanel key={session.id} session={session} onOpenBooking={onOpenBooking} />}
    </Drawer>
  );
}

function SessionPanel({ session: s, onOpenBooking }: { session: CalendarSession; onOpenBooking: Props['onOpenBooking'] }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const desk = useCalendarDesk();
  const { language, timeZone, catalog } = desk;
  const roster = useQuery(trpc.scheduling.roster.queryOptions({ sessionId: s.id }));
  const [customer, setCustomer] = useState<PickedCustomer | null>(null);
  const [seats, setSeats] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const left = seatsLeft(s);
  const nameOf = (id: string | null) => (id === null ? t('common.empty') : (catalog?.resources.find((r) => r.id === id)?.name ?? t('common.empty')));
  const cancelled = s.status === 'cancelled';

  const book = async () => {
    if (!customer || busy) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await desk.write((extras) =>
        desk.mutate({ name: 'booking.create', args: { serviceId: s.serviceId, customerId: customer.id, sessionId: s.id, seats, ...extras } }),
      );
      if (outcome.ok) {
        void message.success(t('calendar.session.booked', { name: customer.name }));
        setCustomer(null);
        setSeats(1);
      } else if (outcome.error) setError(messageOf(t, outcome.error.key, outcome.error.params));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'when', label: t('calendar.field.when'), children: formatSpan(s.start, s.end, language, timeZone) },
          { key: 'coach', label: t('calendar.session.coach'), children: nameOf(s.coachId) },
          { key: 'room', label: t('calendar.session.room'), children: nameOf(s.roomId) },
          {
            key: 'seats',
            label: t('calendar.session.seats'),
            children: (
              <Flex gap={8} align="center">
                <span className="foyer-tabular">{t('calendar.session.taken', { taken: s.taken, capacity: s.capacity })}</span>
                {cancelled ? (
                  <Tag>{t('calendar.session.cancelled')}</Tag>
                ) : (
                  <Tag color={left === 0 ? 'red' : 'green'} data-testid="session-seats-left" data-left={left}>
                    {left === 0 ? t('calendar.session.full') : t('calendar.session.left', { count: left })}
                  </Tag>
                )}
              </Flex>
            ),
          },
        ]}
      />

      <div>
        <Typography.Title level={5}>{t('calendar.session.roster')}</Typography.Title>
        {roster.isPending ? (
          <Skeleton active />
        ) : roster.isError ? (
          <Alert type="error" showIcon title={messageOf(t, appErrorOf(roster.error).key, appErrorOf(roster.error).params)} />
        ) : roster.data.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar.session.nobody')} />
        ) : (
          <Table<RosterEntry>
            size="small"
            rowKey="bookingId"
            pagination={false}
            dataSource={roster.data}
            onRow={(r) => ({ 'data-testid': 'roster-row', className: 'foyer-row', onClick: () => onOpenBooking(r.bookingId, r.customerName) }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { key: 'name', title: t('customers.column.name'), dataIndex: 'customerName' },
              { key: 'phone', title: t('customers.column.phone'), dataIndex: 'customerPhone', render: (p: string) => <span className="foyer-tabular">{formatPhone(p)}</span> },
              { key: 'seats', title: t('calendar.session.seatsColumn'), dataIndex: 'seats', width: 70 },
              {
                key: 'status',
                title: t('calendar.field.status'),
                dataIndex: 'status',
                render: (st: string) => <Tag color={isBookingStatus(st) ? STATUS_TAG_COLOURS[st] : 'default'}>{statusLabel(t, st)}</Tag>,
              },
            ]}
          />
        )}
      </div>

      {desk.canWrite && !cancelled && (
        <div className="foyer-inline-panel">
          <Typography.Title level={5}>{t('calendar.session.bookInto')}</Typography.Title>
          <Flex vertical gap={8}>
            <CustomerPicker value={customer} onChange={setCustomer} testId="session-customer-search" />
            <Flex gap={8} align="center" justify="space-between">
              <InputNumber min={1} max={50} value={seats} onChange={(v) => setSeats(v ?? 1)} aria-label={t('calendar.session.seatsColumn')} prefix={t('calendar.session.seatsColumn')} />
              <Button type="primary" disabled={!customer} loading={busy} onClick={() => void book()} data-testid="session-book">
                {t('calendar.session.book')}
              </Button>
            </Flex>
            {error && <Alert type="error" showIcon title={error} role="alert" data-testid="session-error" />}
          </Flex>
        </div>
      )}
    </Flex>
  );
}
