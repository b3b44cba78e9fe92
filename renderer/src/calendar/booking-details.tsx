/**
 * An existing booking in the drawer: what, who, when and where; the status actions the state
 * machine allows from its status (core's BOOKING_TRANSITIONS, so the desk never offers a move the
 * mutator would refuse for being illegal); cancellation with who asked and why (the result says
 * whether it was late); reschedule; and the booking's history. Live: a change made anywhere shows.
 * When a change frees the booking's slot (cancel, no-show, reschedule), the waitlist customers
 * who want it are listed with "Offer this slot", and an automatic offer is named.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Col, DatePicker, Descriptions, Empty, Flex, Form, Input, Radio, Row, Select, Skeleton, Space, Tag, Timeline, Typography, type DescriptionsProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../core/i18n/messages';
import type { WaitlistOutcome } from '../../../core/scheduling/booking.writes';
import { formatPhone } from '../../../core/customers/phone';
import { BOOKING_TRANSITIONS } from '../../../core/scheduling/booking-state';
import type { BookingStatus } from '../../../core/scheduling/schedule';
import { formatDateTime } from '../common/format';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { resourcesOfKind, timeOptions } from './booking-form-values';
import { useCalendarDesk } from './calendar-desk';
import { STATUS_TAG_COLOURS } from './calendar-colours';
import { isMovable } from './calendar-events';
import { formatMoment, formatSpan } from './calendar-format';
import { actionLabel, isBookingStatus, kindLabel, statusLabel } from './calendar-labels';
import { instantOf, wallOf } from './calendar-time';
import type { BookingDetail } from './types';
import { WaitlistCandidates } from '../waitlist/waitlist-candidates';
import { freedSlotOf, waitlistOutcomeOf, type OfferSlot } from '../waitlist/waitlist-values';

const DATE_FORMAT = 'YYYY-MM-DD';

type Panel = 'none' | 'cancel' | 'reschedule';

/** A slot the last change freed, with the waitlist's answer to it. */
interface Opened {
  outcome: WaitlistOutcome;
  slot: OfferSlot;
}

/** What the drawer shows after a change that may have freed the booking as it was (`before`). */
function openedBy(result: unknown, before: BookingDetail): Opened | null {
  const outcome = waitlistOutcomeOf(result);
  return outcome ? { outcome, slot: freedSlotOf(before) } : null;
}

export function BookingDetails({ bookingId, onClose }: { bookingId: string; onClose(): void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const query = useQuery(trpc.scheduling.booking.queryOptions({ id: bookingId }));
  if (query.isPending) return <Skeleton active />;
  if (query.isError) {
    const shape = appErrorOf(query.error);
    if (shape.code === 'NOT_FOUND') return <Empty description={messageOf(t, shape.key, shape.params)} />;
    return <Alert type="error" showIcon title={messageOf(t, shape.key, shape.params)} action={<Button onClick={() => void query.refetch()}>{t('common.retry')}</Button>} />;
  }
  return <Details booking={query.data} onClose={onClose} />;
}

function Details({ booking: b, onClose }: { booking: BookingDetail; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const desk = useCalendarDesk();
  const { language, timeZone } = desk;
  const [panel, setPanel] = useState<Panel>('none');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const status: BookingStatus | null = isBookingStatus(b.status) ? b.status : null;
  const next = status ? BOOKING_TRANSITIONS[status] : [];
  const none = t('common.empty');

  const transition = async (to: Exclude<BookingStatus, 'pending' | 'cancelled'>) => {
    if (busy) return;
    setBusy(to);
    setError(null);
    try {
      const outcome = await desk.write(() => desk.mutate({ name: 'booking.transition', args: { id: b.id, to } }));
      if (outcome.ok) {
        void message.success(t('calendar.statusChanged', { status: statusLabel(t, to) }));
        setOpened(openedBy(outcome.value, b));
      } else if (outcome.error) setError(messageOf(t, outcome.error.key, outcome.error.params));
    } finally {
      setBusy(null);
    }
  };

  /** A panel's change is done (or given up: no result); the slot it freed, if any, is shown. */
  const close = (result?: unknown) => {
    setPanel('none');
    if (result !== undefined) setOpened(openedBy(result, b));
  };

  const items: DescriptionsProps['items'] = [
    {
      key: 'status',
      label: t('calendar.field.status'),
      children: (
        <Space size={4} wrap>
          <Tag color={status ? STATUS_TAG_COLOURS[status] : 'default'} data-testid="booking-status" data-status={b.status}>
            {statusLabel(t, b.status)}
          </Tag>
          {b.lateCancel && (
            <Tag color="volcano" data-testid="booking-late-cancel">
              {t('calendar.lateCancel')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      key: 'customer',
      label: t('calendar.field.customer'),
      children: (
        <Space size={6} wrap>
          <span>{b.customerName}</span>
          <Typography.Text type="secondary" className="foyer-tabular">
            {formatPhone(b.customerPhone)}
          </Typography.Text>
          {b.customerBlacklisted && <Tag color="red">{t('calendar.blacklisted')}</Tag>}
        </Space>
      ),
    },
    { key: 'service', label: t('calendar.field.service'), children: b.serviceName },
    { key: 'when', label: t('calendar.field.when'), children: <span data-testid="booking-when">{formatSpan(b.start, b.end, language, timeZone)}</span> },
    { key: 'resources', label: t('calendar.field.resources'), children: b.resources.length === 0 ? none : b.resources.map((r) => r.name).join(' · ') },
    { key: 'source', label: t('calendar.field.source'), children: t(`calendar.source.${b.source === 'online' ? 'online' : b.source === 'walkIn' ? 'walkIn' : 'desk'}`) },
    ...(b.seriesId ? [{ key: 'series', label: t('calendar.field.series'), children: t('calendar.inSeries') }] : []),
    ...(b.notes ? [{ key: 'notes', label: t('calendar.field.notes'), children: <span className="foyer-notes">{b.notes}</span> }] : []),
    ...(b.cancelReason
      ? [
          {
            key: 'cancel',
            label: t('calendar.field.cancelReason'),
            children: `${b.cancelReason}${b.cancelledBy ? ` (${t(b.cancelledBy === 'customer' ? 'calendar.cancel.byCustomer' : 'calendar.cancel.byStaff')})` : ''}`,
          },
        ]
      : []),
    ...(b.overrideReason ? [{ key: 'override', label: t('calendar.field.overrideReason'), children: b.overrideReason }] : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Descriptions column={1} size="small" bordered items={items} />

      {desk.canWrite && (next.length > 0 || isMovable(b)) && (
        <Flex gap={8} wrap data-testid="booking-actions">
          {next
            .filter((to): to is Exclude<BookingStatus, 'pending' | 'cancelled'> => to !== 'cancelled' && to !== 'pending')
            .map((to) => (
              <Button key={to} type={to === next[0] ? 'primary' : 'default'} loading={busy === to} onClick={() => void transition(to)} data-testid={`booking-action-${to}`}>
                {actionLabel(t, to)}
              </Button>
            ))}
          {isMovable(b) && (
            <Button onClick={() => setPanel(panel === 'reschedule' ? 'none' : 'reschedule')} data-testid="booking-reschedule">
              {t('calendar.reschedule')}
            </Button>
          )}
          {next.includes('cancelled') && (
            <Button danger onClick={() => setPanel(panel === 'cancel' ? 'none' : 'cancel')} data-testid="booking-action-cancelled">
              {actionLabel(t, 'cancelled')}
            </Button>
          )}
        </Flex>
      )}

      {error && <Alert type="error" showIcon title={error} data-testid="booking-error" role="alert" />}
      {panel === 'cancel' && <CancelForm booking={b} onDone={close} />}
      {panel === 'reschedule' && <RescheduleForm booking={b} onDone={close} />}
      {opened && <WaitlistCandidates outcome={opened.outcome} slot={opened.slot} />}

      <div>
        <Typography.Title level={5}>{t('calendar.history')}</Typography.Title>
        <Timeline
          data-testid="booking-history"
          items={b.history.map((h) => ({
            key: h.version,
            content: (
              <Flex vertical gap={2}>
                <Typography.Text>{historyText(t, h, language, timeZone)}</Typography.Text>
                {h.reason && <Typography.Text type="secondary">{h.reason}</Typography.Text>}
                <Typography.Text type="secondary" className="foyer-hint">
                  {formatDateTime(h.at, language, timeZone)}
                </Typography.Text>
              </Flex>
            ),
          }))}
        />
      </div>
      <Flex justify="end">
        <Button onClick={onClose}>{t('common.close')}</Button>
      </Flex>
    </Flex>
  );
}

function startOf(v: unknown): number | null {
  return typeof v === 'object' && v !== null && 'start' in v && typeof v.start === 'number' ? v.start : null;
}

function historyText(t: TFunction, h: BookingDetail['history'][number], language: Language, timeZone: string): string {
  if (h.type === 'created') return t('calendar.history.created', { status: statusLabel(t, h.toStatus ?? '') });
  if (h.type === 'rescheduled') {
    const from = startOf(h.before);
    const to = startOf(h.after);
    return from !== null && to !== null
      ? t('calendar.history.rescheduled', { from: formatMoment(from, language, timeZone), to: formatMoment(to, language, timeZone) })
      : t('calendar.history.rescheduledPlain');
  }
  if (h.type === 'status') return t('calendar.history.status', { from: statusLabel(t, h.fromStatus ?? ''), to: statusLabel(t, h.toStatus ?? '') });
  return h.type;
}

interface CancelValues {
  cancelledBy: 'customer' | 'staff';
  reason: string;
}

function CancelForm({ booking, onDone }: { booking: BookingDetail; onDone(result?: unknown): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const desk = useCalendarDesk();
  const [form] = Form.useForm<CancelValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const cancel = async (v: CancelValues) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await desk.write(() =>
        desk.mutate({ name: 'booking.transition', args: { id: booking.id, to: 'cancelled', cancelledBy: v.cancelledBy, reason: v.reason.trim() } }),
      );
      if (!outcome.ok) {
        if (outcome.error) setError(messageOf(t, outcome.error.key, outcome.error.params));
        return;
      }
      const result = outcome.value as { lateCancel?: unknown };
      if (result.lateCancel === true) void message.warning(t('calendar.cancel.doneLate'));
      else void message.success(t('calendar.cancel.done'));
      onDone(outcome.value);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<CancelValues> form={form} layout="vertical" initialValues={{ cancelledBy: 'customer', reason: '' }} onFinish={(v) => void cancel(v)} className="foyer-inline-panel" data-testid="booking-cancel-form">
      <Form.Item name="cancelledBy" label={t('calendar.cancel.by')}>
        <Radio.Group
          data-testid="booking-cancel-by"
          options={[
            { value: 'customer', label: t('calendar.cancel.byCustomer') },
            { value: 'staff', label: t('calendar.cancel.byStaff') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('calendar.cancel.reason')}
        rules={[{ required: true, whitespace: true, message: messageOf(t, 'errors.booking.cancelReasonRequired') }]}
        extra={t('calendar.cancel.lateHint', { hours: desk.catalog?.site.lateCancelHours ?? 24 })}
      >
        <Input data-testid="booking-cancel-reason" maxLength={200} autoFocus />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} className="foyer-form-alert" role="alert" />}
      <Flex justify="end" gap={8}>
        <Button onClick={() => onDone()}>{t('calendar.cancel.keep')}</Button>
        <Button danger type="primary" htmlType="submit" loading={busy} data-testid="booking-cancel-confirm">
          {t('calendar.cancel.confirm')}
        </Button>
      </Flex>
    </Form>
  );
}

interface RescheduleValues {
  date: Dayjs;
  time: number;
  resources: (string | null)[];
  reason: string;
}

function RescheduleForm({ booking: b, onDone }: { booking: BookingDetail; onDone(result?: unknown): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const desk = useCalendarDesk();
  const { timeZone, language, catalog } = desk;
  const [form] = Form.useForm<RescheduleValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kinds = catalog?.services.find((s) => s.id === b.serviceId)?.resourceKinds ?? b.resources.map((r) => r.kind);
  const left = [...b.resources];
  const current = kinds.map((kind) => {
    const i = left.findIndex((r) => r.kind === kind);
    return i < 0 ? null : (left.splice(i, 1)[0]?.id ?? null);
  });
  const wall = wallOf(b.start, timeZone);
  const duration = b.end - b.start;

  const save = async (v: RescheduleValues) => {
    if (busy) return;
    const start = instantOf(v.date.format(DATE_FORMAT), v.time, timeZone);
    const chosen = kinds.map((_, i) => v.resources?.[i] ?? current[i] ?? null);
    const resourceIds = chosen.every((id): id is string => !!id) ? chosen : undefined;
    setBusy(true);
    setError(null);
    try {
      const reason = v.reason?.trim();
      const outcome = await desk.write((extras) =>
        desk.mutate({
          name: 'booking.reschedule',
          args: { id: b.id, start, ...(resourceIds ? { resourceIds } : {}), ...(reason ? { reason } : {}), ...(extras.acknowledgeCustomerOverlap ? { acknowledgeCustomerOverlap: true } : {}) },
        }),
      );
      if (outcome.ok) {
        void message.success(t('calendar.rescheduled', { time: formatSpan(start, start + duration, language, timeZone) }));
        onDone(outcome.value);
      } else if (outcome.error) setError(messageOf(t, outcome.error.key, outcome.error.params));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<RescheduleValues>
      form={form}
      layout="vertical"
      initialValues={{ date: dayjs(wall.date), time: wall.minutes, resources: current, reason: '' }}
      onFinish={(v) => void save(v)}
      className="foyer-inline-panel"
      data-testid="booking-reschedule-form"
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="date" label={t('calendar.field.date')} rules={[{ required: true, message: t('calendar.validation.date') }]}>
            <DatePicker data-testid="reschedule-date" format={DATE_FORMAT} allowClear={false} className="foyer-full-width" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="time" label={t('calendar.field.time')} rules={[{ required: true, message: t('calendar.validation.time') }]}>
            <Select data-testid="reschedule-time" showSearch={{ optionFilterProp: 'label' }} options={timeOptions(desk.granularityMinutes)} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        {kinds.map((kind, i) => (
          <Col span={12} key={`${kind}-${i}`}>
            <Form.Item name={['resources', i]} label={kindLabel(t, kind)}>
              <Select options={resourcesOfKind(catalog?.resources ?? [], kind).map((r) => ({ value: r.id, label: r.name }))} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.Item name="reason" label={t('calendar.reschedule.reason')}>
        <Input maxLength={200} />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} className="foyer-form-alert" role="alert" />}
      <Flex justify="end" gap={8}>
        <Button onClick={() => onDone()}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="booking-reschedule-save">
          {t('calendar.reschedule.save')}
        </Button>
      </Flex>
    </Form>
  );
}
