/**
 * "Find a slot": a service and the customer's wishes (a resource, a part of the day, from a date)
 * in; the next free starts out, from the same engine and busy data the booking mutator checks
 * (scheduling.findSlots), so an offered slot books unless someone takes it first. One click opens
 * the booking drawer with the slot filled in; the calendar goes to its day.
 */
import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Drawer, Empty, Flex, Form, List, Segmented, Select, Skeleton, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { appointmentServices, resourcesOfKind } from './booking-form-values';
import { useCalendarDesk } from './calendar-desk';
import { formatSpan } from './calendar-format';
import type { FindSlotsInput, FoundSlot } from './types';

const DATE_FORMAT = 'YYYY-MM-DD';
const PARTS = ['any', 'morning', 'afternoon', 'evening'] as const;
type Part = (typeof PARTS)[number];

interface Values {
  serviceId: string | undefined;
  resourceId: string | undefined;
  partOfDay: Part;
  from: Dayjs;
}

interface Props {
  open: boolean;
  /** Where the search starts by default: the calendar's date. */
  date: string;
  onClose(): void;
  onPick(slot: FoundSlot, serviceId: string): void;
}

export function FindSlotDrawer({ open, date, onClose, onPick }: Props) {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} size={480} destroyOnHidden focusable={{ trap: false, focusTriggerAfterClose: false }} title={t('calendar.findSlot.title')} data-testid="find-slot">
      {open && <FindSlot date={date} onPick={onPick} />}
    </Drawer>
  );
}

function FindSlot({ date, onPick }: { date: string; onPick: Props['onPick'] }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const desk = useCalendarDesk();
  const { catalog, language, timeZone } = desk;
  const [form] = Form.useForm<Values>();
  const [input, setInput] = useState<FindSlotsInput | null>(null);
  const services = appointmentServices(catalog?.services ?? []);
  const serviceId = Form.useWatch('serviceId', form);
  const service = services.find((s) => s.id === serviceId);
  const resources = service ? service.resourceKinds.flatMap((k) => resourcesOfKind(catalog?.resources ?? [], k)) : [];
  const slots = useQuery({ ...trpc.scheduling.findSlots.queryOptions(input ?? { siteId: desk.siteId, serviceId: '' }), enabled: input !== null });
  const nameOf = (id: string) => catalog?.resources.find((r) => r.id === id)?.name ?? id;

  const search = (v: Values) => {
    if (!v.serviceId) return;
    setInput({
      siteId: desk.siteId,
      serviceId: v.serviceId,
      from: v.from.format(DATE_FORMAT),
      days: 14,
      limit: 8,
      ...(v.resourceId ? { resourceId: v.resourceId } : {}),
      ...(v.partOfDay === 'any' ? {} : { partOfDay: v.partOfDay }),
    });
  };

  return (
    <Flex vertical gap={16}>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ serviceId: undefined, resourceId: undefined, partOfDay: 'any', from: dayjs(date) }}
        onFinish={search}
        onValuesChange={(changed) => {
          if ('serviceId' in changed) form.setFieldValue('resourceId', undefined);
        }}
      >
        <Form.Item name="serviceId" label={t('calendar.field.service')} rules={[{ required: true, message: t('calendar.validation.service') }]}>
          <Select
            data-testid="find-slot-service"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('calendar.form.servicePlaceholder')}
            options={services.map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item name="resourceId" label={t('calendar.findSlot.resource')}>
          <Select data-testid="find-slot-resource" allowClear placeholder={t('calendar.form.anyFree')} options={resources.map((r) => ({ value: r.id, label: r.name }))} />
        </Form.Item>
        <Form.Item name="partOfDay" label={t('calendar.findSlot.partOfDay')}>
          <Segmented<Part> data-testid="find-slot-part" options={PARTS.map((p) => ({ value: p, label: t(`calendar.findSlot.part.${p}`) }))} />
        </Form.Item>
        <Form.Item name="from" label={t('calendar.findSlot.from')}>
          <DatePicker data-testid="find-slot-from" format={DATE_FORMAT} allowClear={false} className="foyer-full-width" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="find-slot-search" block>
          {t('calendar.findSlot.search')}
        </Button>
      </Form>

      {input !== null &&
        (slots.isPending ? (
          <Skeleton active />
        ) : slots.isError ? (
          <Alert type="error" showIcon title={messageOf(t, appErrorOf(slots.error).key, appErrorOf(slots.error).params)} role="alert" />
        ) : slots.data.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar.findSlot.none', { days: input.days ?? 14 })} data-testid="find-slot-empty" />
        ) : (
          <List
            aria-label={t('calendar.findSlot.results')}
            dataSource={slots.data}
            renderItem={(slot) => (
              <List.Item
                data-testid="find-slot-result"
                data-start={slot.start}
                className="foyer-row"
                onClick={() => onPick(slot, input.serviceId)}
                actions={[
                  <Button key="book" type="link" data-testid="find-slot-book" onClick={(e) => {
                    e.stopPropagation();
                    onPick(slot, input.serviceId);
                  }}>
                    {t('calendar.findSlot.book')}
                  </Button>,
                ]}
              >
                <Flex vertical>
                  <Typography.Text strong>{formatSpan(slot.start, slot.end, language, timeZone)}</Typography.Text>
                  <Typography.Text type="secondary">{slot.resourceIds.map(nameOf).join(' · ')}</Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        ))}
    </Flex>
  );
}
