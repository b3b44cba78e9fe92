/**
 * The day as a list: every booking of the date in start order (class seats too), with the next
 * step one click away (confirm, check in, start, complete). Cancelling asks for a reason, so it
 * opens the booking; a row opens the booking as well.
 */
import { Button, Flex, Table, Tag, Typography, type TableProps } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../core/customers/phone';
import { BOOKING_TRANSITIONS } from '../../../core/scheduling/booking-state';
import type { BookingStatus } from '../../../core/scheduling/schedule';
import { useCalendarDesk } from './calendar-desk';
import { STATUS_TAG_COLOURS } from './calendar-colours';
import { formatTime } from './calendar-format';
import { actionLabel, isBookingStatus, statusLabel } from './calendar-labels';
import type { CalendarBooking } from './types';

type QuickStatus = Exclude<BookingStatus, 'pending' | 'cancelled' | 'noShow'>;
const QUICK: readonly QuickStatus[] = ['confirmed', 'arrived', 'inService', 'completed'];

interface Props {
  bookings: readonly CalendarBooking[];
  resourceName(id: string): string;
  loading: boolean;
  busy: string | null;
  onOpen(b: CalendarBooking): void;
  onTransition(b: CalendarBooking, to: QuickStatus): void;
}

export function BookingList({ bookings, resourceName, loading, busy, onOpen, onTransition }: Props) {
  const { t } = useTranslation();
  const { language, timeZone, canWrite } = useCalendarDesk();

  const columns: TableProps<CalendarBooking>['columns'] = [
    {
      key: 'time',
      title: t('calendar.field.time'),
      width: 120,
      render: (_, b) => <span className="foyer-tabular">{`${formatTime(b.start, language, timeZone)}–${formatTime(b.end, language, timeZone)}`}</span>,
    },
    {
      key: 'customer',
      title: t('calendar.field.customer'),
      render: (_, b) => (
        <Flex vertical>
          <span>{b.customerName}</span>
          <Typography.Text type="secondary" className="foyer-tabular">
            {formatPhone(b.customerPhone)}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'service', title: t('calendar.field.service'), dataIndex: 'serviceName' },
    { key: 'resources', title: t('calendar.field.resources'), render: (_, b) => b.resourceIds.map(resourceName).join(' · ') || t('common.empty') },
    {
      key: 'status',
      title: t('calendar.field.status'),
      width: 130,
      render: (_, b) => (
        <Flex gap={4} wrap>
          <Tag color={isBookingStatus(b.status) ? STATUS_TAG_COLOURS[b.status] : 'default'}>{statusLabel(t, b.status)}</Tag>
          {b.lateCancel && <Tag color="volcano">{t('calendar.lateCancel')}</Tag>}
        </Flex>
      ),
    },
    {
      key: 'actions',
      title: t('calendar.list.next'),
      render: (_, b) => {
        if (!canWrite || !isBookingStatus(b.status)) return null;
        const next = BOOKING_TRANSITIONS[b.status].filter((s): s is QuickStatus => (QUICK as readonly string[]).includes(s));
        return (
          <Flex gap={4} wrap>
            {next.map((to) => (
              <Button
                key={to}
                size="small"
                loading={busy === `${b.id}:${to}`}
                data-testid={`booking-action-${to}`}
                onClick={(e) => {
                  e.stopPropagation();
                  onTransition(b, to);
                }}
              >
                {actionLabel(t, to)}
              </Button>
            ))}
          </Flex>
        );
      },
    },
  ];

  return (
    <Table<CalendarBooking>
      data-testid="booking-list"
      aria-label={t('calendar.list.label')}
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={[...bookings]}
      loading={loading}
      pagination={false}
      locale={{ emptyText: t('calendar.list.empty') }}
      onRow={(b) =>
        ({
          'data-testid': 'booking-row',
          'data-booking-id': b.id,
          'data-status': b.status,
          tabIndex: 0,
          className: 'foyer-row',
          onClick: () => onOpen(b),
          onKeyDown: (e) => {
            if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
              e.preventDefault();
              onOpen(b);
            }
          },
        }) as HTMLAttributes<HTMLElement>
      }
    />
  );
}
