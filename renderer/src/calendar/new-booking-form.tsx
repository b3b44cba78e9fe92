/**
 * A new booking in the drawer. Prefilled from where it was started (a range dragged on a
 * column: its time, that resource and the service that fits; a slot from "find a slot": its time,
 * service and resources). The host's mutators decide; a refusal is shown in words above the
 * buttons, and the two questions a booking may raise (the customer already booked then; a
 * blacklisted customer) are asked in a dialog and the booking retried with the answer.
 *
 * A weekly series shows every date with its verdict (scheduling.previewSeries) before anything is
 * saved; dates that cannot be booked are left out only when the receptionist says so.
 */
import { ThunderboltOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Col, DatePicker, Flex, Form, Input, InputNumber, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC, useTRPCClient } from '../host/trpc';
import { appointmentServices, completeResources, guessService, resourcesOfKind, timeOptions } from './booking-form-values';
import { OVERLAP_KEY } from './booking-confirmations';
import { useCalendarDesk } from './calendar-desk';
import { formatSpan, formatTime } from './calendar-format';
import { kindLabel } from './calendar-labels';
import { hhmm, instantOf, wallOf } from './calendar-time';
import { CustomerPicker } from './customer-picker';
import type { PickedCustomer } from './quick-register-modal';
import type { CatalogService, SeriesPreview } from './types';

const MINUTE_MS = 60_000;
const DATE_FORMAT = 'YYYY-MM-DD';

export interface BookingPrefill {
  /** The start (an instant); else `date` with no time. */
  start?: number;
  date?: string;
  /** Resources already chosen (of any kinds): the column the range was dragged on, a slot's. */
  resourceIds?: string[];
  serviceId?: string;
  /** The length of a dragged range, to pick the service that fits. */
  minutes?: number;
  customer?: PickedCustomer;
}

interface Values {
  customer: PickedCustomer | null;
  serviceId: string | undefined;
  resources: (string | null)[];
  date: Dayjs | null;
  time: number | undefined;
  notes: string;
  repeat: boolean;
  count: number;
  intervalWeeks: number;
}

/** For each kind of the service, the first of `ids` of that kind (each id used once). */
function resourcesFor(service: CatalogService | undefined, ids: readonly (string | null | undefined)[], kindOf: (id: string) => string | undefined): (string | null)[] {
  if (!service) return [];
  const left = ids.filter((id): id is string => !!id);
  return service.resourceKinds.map((kind) => {
    const i = left.findIndex((id) => kindOf(id) === kind);
    if (i < 0) return null;
    const [id] = left.splice(i, 1);
    return id ?? null;
  });
}

/** The counts in a createSeries result (the mutate procedures return `unknown`). */
function seriesCounts(result: unknown): { created: number; skipped: number } {
  const r = result as { created?: unknown; skipped?: unknown } | null;
  return { created: Array.isArray(r?.created) ? r.created.length : 0, skipped: Array.isArray(r?.skipped) ? r.skipped.length : 0 };
}

export function NewBookingForm({ prefill, onDone }: { prefill: BookingPrefill; onDone(): void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { message } = App.useApp();
  const desk = useCalendarDesk();
  const { catalog, timeZone, language } = desk;
  const now = useNow(15_000);
  const services = appointmentServices(catalog?.services ?? []);
  const kindOf = (id: string) => catalog?.resources.find((r) => r.id === id)?.kind;

  const initial = (): Values => {
    const wall = prefill.start === undefined ? null : wallOf(prefill.start, timeZone);
    const firstKind = prefill.resourceIds?.[0] === undefined ? null : (kindOf(prefill.resourceIds[0]) ?? null);
    const service = services.find((s) => s.id === prefill.serviceId) ?? guessService(services, firstKind, prefill.minutes ?? null) ?? undefined;
    const date = wall?.date ?? prefill.date ?? null;
    return {
      customer: prefill.customer ?? null,
      serviceId: service?.id,
      resources: resourcesFor(service, prefill.resourceIds ?? [], kindOf),
      date: date === null ? null : dayjs(date),
      time: wall?.minutes,
      notes: '',
      repeat: false,
      count: 4,
      intervalWeeks: 1,
    };
  };

  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'walkIn' | 'preview' | null>(null);
  const [preview, setPreview] = useState<SeriesPreview | null>(null);
  const [skipConflicts, setSkipConflicts] = useState(false);
  const [acknowledgeOverlap, setAcknowledgeOverlap] = useState(false);

  const serviceId = Form.useWatch('serviceId', form);
  const repeat = Form.useWatch('repeat', form) ?? false;
  const dateValue = Form.useWatch('date', form);
  const time = Form.useWatch('time', form);
  const service = services.find((s) => s.id === serviceId);
  const date = dateValue ? dateValue.format(DATE_FORMAT) : null;

  // The day's calendar (usually already cached by the page), to fill in resources left open.
  const day = useQuery({ ...trpc.scheduling.calendar.queryOptions({ siteId: desk.siteId, from: date ?? '', to: date ?? '' }), enabled: date !== null });

  const onValuesChange = (changed: Partial<Values>, all: Values) => {
    setError(null);
    setPreview(null);
    if ('serviceId' in changed) {
      const next = services.find((s) => s.id === changed.serviceId);
      form.setFieldValue('resources', resourcesFor(next, [...(all.resources ?? []), ...(prefill.resourceIds ?? [])], kindOf));
    }
  };

  const planned = (v: Values) => {
    const svc = services.find((s) => s.id === v.serviceId)!;
    const start = instantOf(v.date!.format(DATE_FORMAT), v.time!, timeZone);
    const span = { start, end: start + svc.durationMinutes * MINUTE_MS, bufferBeforeMinutes: svc.bufferBeforeMinutes, bufferAfterMinutes: svc.bufferAfterMinutes };
    const resourceIds = completeResources(svc.resourceKinds, v.resources ?? [], span, day.data);
    return { svc, start, resourceIds };
  };

  const fail = (key: string, params?: Record<string, string | number>) => setError(messageOf(t, key, params));

  const save = async () => {
    if (busy) return;
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const customer = v.customer!;
    const { svc, start, resourceIds } = planned(v);
    const resources = resourceIds ? { resourceIds } : {};
    setError(null);
    setBusy('save');
    try {
      if (!v.repeat) {
        const outcome = await desk.write((extras) =>
          desk.mutate({ name: 'booking.create', args: { serviceId: svc.id, customerId: customer.id, start, ...resources, notes: v.notes ?? '', ...extras } }),
        );
        if (outcome.ok) {
          void message.success(t('calendar.saved.booking', { name: customer.name, time: formatSpan(start, start + svc.durationMinutes * MINUTE_MS, language, timeZone) }));
          onDone();
        } else if (outcome.error) fail(outcome.error.key, outcome.error.params);
        return;
      }
      if (!preview) return;
      const outcome = await desk.write((extras) =>
        client.scheduling.createSeries.mutate({
          serviceId: svc.id,
          customerId: customer.id,
          firstStart: start,
          count: v.count,
          intervalWeeks: v.intervalWeeks,
          ...resources,
          notes: v.notes ?? '',
          skipConflicts,
          acknowledgeCustomerOverlap: acknowledgeOverlap || extras.acknowledgeCustomerOverlap === true,
          ...(extras.overrideReason === undefined ? {} : { overrideReason: extras.overrideReason }),
        }),
      );
      if (outcome.ok) {
        const { created, skipped } = seriesCounts(outcome.value);
        void message.success(t('calendar.saved.series', { count: created, skipped }));
        onDone();
      } else if (outcome.error) fail(outcome.error.key, outcome.error.params);
    } finally {
      setBusy(null);
    }
  };

  const showPreview = async (acknowledge = acknowledgeOverlap) => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const { svc, start, resourceIds } = planned(v);
    setBusy('preview');
    setError(null);
    try {
      const result = await client.scheduling.previewSeries.query({
        serviceId: svc.id,
        customerId: v.customer!.id,
        firstStart: start,
        count: v.count,
        intervalWeeks: v.intervalWeeks,
        ...(resourceIds ? { resourceIds } : {}),
        acknowledgeCustomerOverlap: acknowledge,
      });
      setPreview(result);
      setSkipConflicts(false);
    } catch (e) {
      const shape = appErrorOf(e);
      fail(shape.key, shape.params);
    } finally {
      setBusy(null);
    }
  };

  const walkIn = async () => {
    if (busy) return;
    let v: Pick<Values, 'customer' | 'serviceId' | 'resources' | 'notes'>;
    try {
      v = await form.validateFields(['customer', 'serviceId', 'resources', 'notes']);
    } catch {
      return;
    }
    const svc = services.find((s) => s.id === v.serviceId)!;
    const chosen = (v.resources ?? []).filter((id): id is string => !!id);
    const resources = chosen.length === svc.resourceKinds.length ? { resourceIds: chosen } : {};
    setError(null);
    setBusy('walkIn');
    try {
      const outcome = await desk.write((extras) =>
        desk.mutate({ name: 'booking.walkIn', args: { serviceId: svc.id, customerId: v.customer!.id, ...resources, notes: v.notes ?? '', ...extras } }),
      );
      if (outcome.ok) {
        void message.success(t('calendar.saved.walkIn', { name: v.customer!.name }));
        onDone();
      } else if (outcome.error) fail(outcome.error.key, outcome.error.params);
    } finally {
      setBusy(null);
    }
  };

  const times = timeOptions(desk.granularityMinutes);
  const conflicts = preview?.occurrences.filter((o) => o.status !== 'ok') ?? [];
  const overlapConflicts = conflicts.filter((o) => o.reason?.key === OVERLAP_KEY).length;
  const endHint = service && time !== undefined && time !== null ? t('calendar.form.until', { time: hhmm(Math.min(1440, time + service.durationMinutes)) }) : null;

  return (
    <Form<Values> form={form} layout="vertical" initialValues={initial()} onValuesChange={onValuesChange} onFinish={() => void save()} requiredMark>
      <Form.Item name="customer" label={t('calendar.field.customer')} rules={[{ required: true, message: t('calendar.validation.customer') }]}>
        <CustomerPicker autoFocus />
      </Form.Item>
      <Form.Item name="serviceId" label={t('calendar.field.service')} rules={[{ required: true, message: t('calendar.validation.service') }]}>
        <Select
          data-testid="booking-service"
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('calendar.form.servicePlaceholder')}
          options={services.map((s) => ({ value: s.id, label: s.name, title: t('calendar.form.serviceMinutes', { minutes: s.durationMinutes }) }))}
          notFoundContent={t('calendar.form.noServices')}
        />
      </Form.Item>
      {service && service.resourceKinds.length > 0 && (
        <Row gutter={12}>
          {service.resourceKinds.map((kind, i) => (
            <Col span={12} key={`${kind}-${i}`}>
              <Form.Item name={['resources', i]} label={kindLabel(t, kind)}>
                <Select
                  data-testid={`booking-resource-${kind}`}
                  allowClear
                  placeholder={t('calendar.form.anyFree')}
                  options={resourcesOfKind(catalog?.resources ?? [], kind).map((r) => ({ value: r.id, label: r.name }))}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
      )}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="date" label={t('calendar.field.date')} rules={[{ required: true, message: t('calendar.validation.date') }]}>
            <DatePicker data-testid="booking-date" format={DATE_FORMAT} allowClear={false} className="foyer-full-width" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="time"
            label={t('calendar.field.time')}
            rules={[{ required: true, message: t('calendar.validation.time') }]}
            extra={endHint}
          >
            <Select data-testid="booking-time" showSearch={{ optionFilterProp: 'label' }} options={times} placeholder="09:00" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="notes" label={t('calendar.field.notes')}>
        <Input.TextArea data-testid="booking-notes" autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
      </Form.Item>

      <Flex align="center" gap={12} wrap className="foyer-series-head">
        <Form.Item name="repeat" valuePropName="checked" noStyle>
          <Switch data-testid="booking-repeat" aria-label={t('calendar.series.repeat')} />
        </Form.Item>
        <Typography.Text>{t('calendar.series.repeat')}</Typography.Text>
        {repeat && (
          <>
            <Form.Item name="count" noStyle>
              <InputNumber data-testid="booking-series-count" min={2} max={52} aria-label={t('calendar.series.count')} suffix={t('calendar.series.times')} />
            </Form.Item>
            <Form.Item name="intervalWeeks" noStyle>
              <Select
                data-testid="booking-series-interval"
                aria-label={t('calendar.series.interval')}
                options={[1, 2, 3, 4].map((n) => ({ value: n, label: t('calendar.series.everyWeeks', { count: n }) }))}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
          </>
        )}
      </Flex>

      {repeat && preview && (
        <div className="foyer-series-preview" data-testid="booking-series-preview">
          <Table
            size="small"
            rowKey="index"
            pagination={false}
            dataSource={preview.occurrences}
            columns={[
              { key: 'when', title: t('calendar.series.when'), render: (_, o) => formatSpan(o.start, o.end, language, timeZone) },
              {
                key: 'verdict',
                title: t('calendar.series.verdict'),
                render: (_, o) =>
                  o.status === 'ok' ? (
                    <Tag color="green">{t('calendar.series.ok')}</Tag>
                  ) : (
                    <Flex vertical gap={2}>
                      <Tag color={o.status === 'closed' ? 'default' : 'red'}>{o.status === 'closed' ? t('calendar.series.closed') : t('calendar.series.conflict')}</Tag>
                      {o.reason && <Typography.Text type="secondary">{messageOf(t, o.reason.key, o.reason.params)}</Typography.Text>}
                    </Flex>
                  ),
              },
            ]}
          />
          {overlapConflicts > 0 && (
            <Checkbox
              checked={acknowledgeOverlap}
              onChange={(e) => {
                setAcknowledgeOverlap(e.target.checked);
                void showPreview(e.target.checked);
              }}
            >
              {t('calendar.series.acknowledgeOverlap', { count: overlapConflicts })}
            </Checkbox>
          )}
          {conflicts.length > 0 && (
            <Checkbox data-testid="booking-series-skip" checked={skipConflicts} onChange={(e) => setSkipConflicts(e.target.checked)}>
              {t('calendar.series.skip', { count: conflicts.length })}
            </Checkbox>
          )}
        </div>
      )}

      {error && <Alert type="error" showIcon title={error} className="foyer-form-alert" data-testid="booking-error" role="alert" />}

      <Flex justify="space-between" gap={8} wrap>
        <Button icon={<ThunderboltOutlined />} onClick={() => void walkIn()} loading={busy === 'walkIn'} disabled={!desk.canWrite} data-testid="booking-walkin" title={t('calendar.form.walkInHint')}>
          {t('calendar.form.walkIn', { time: formatTime(now, language, timeZone) })}
        </Button>
        <Flex gap={8}>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
          {repeat && (
            <Button onClick={() => void showPreview()} loading={busy === 'preview'} data-testid="booking-series-check">
              {t('calendar.series.preview')}
            </Button>
          )}
          <Button
            type="primary"
            htmlType="submit"
            loading={busy === 'save'}
            disabled={!desk.canWrite || (repeat && (!preview || (conflicts.length > 0 && !skipConflicts) || conflicts.length === preview.occurrences.length))}
            data-testid="booking-save"
          >
            {repeat && preview ? t('calendar.series.save', { count: preview.occurrences.length - conflicts.length }) : t('common.save')}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
