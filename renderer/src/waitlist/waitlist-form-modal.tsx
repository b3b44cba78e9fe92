/**
 * Putting a customer on the waitlist, and changing their wishes later: the service, the days and
 * parts of the day that suit them (none ticked: any), a resource they want, the dates they can
 * come, whether it is urgent, notes. The host's mutator decides (waitlist.add / waitlist.update);
 * a refusal lands under the field it is about, anything else above the buttons. An edit sends
 * only what changed; the customer and the service of an entry stay (a new wish is a new entry).
 */
import { Alert, App, Button, Checkbox, Col, DatePicker, Flex, Form, Input, Modal, Row, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../core/customers/phone';
import type { AppErrorShape } from '../../../core/errors';
import { resourcesOfKind } from '../calendar/booking-form-values';
import { useCalendarDesk } from '../calendar/calendar-desk';
import { CustomerPicker } from '../calendar/customer-picker';
import { placeError } from '../host/app-error';
import type { WaitlistEntry } from './types';
import {
  addArgsOf,
  emptyWaitlistValues,
  fieldOfIssue,
  PARTS_OF_DAY,
  patchOf,
  waitlistValuesOf,
  weekdayName,
  WEEKDAYS,
  type WaitlistField,
  type WaitlistFormValues,
} from './waitlist-values';

const DATE_FORMAT = 'YYYY-MM-DD';

export type WaitlistFormTarget = { mode: 'add' } | { mode: 'edit'; entry: WaitlistEntry };

export function WaitlistFormModal({ target, onClose }: { target: WaitlistFormTarget | null; onClose(): void }) {
  const { t } = useTranslation();
  const title = target?.mode === 'edit' ? t('waitlist.form.editTitle', { name: target.entry.customerName }) : t('waitlist.form.addTitle');
  return (
    <Modal open={target !== null} title={title} onCancel={onClose} footer={null} width={620} destroyOnHidden mask={{ closable: false }} data-testid="waitlist-form">
      {target && <WaitlistForm target={target} onDone={onClose} />}
    </Modal>
  );
}

function WaitlistForm({ target, onDone }: { target: WaitlistFormTarget; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const desk = useCalendarDesk();
  const { catalog, language } = desk;
  const [form] = Form.useForm<WaitlistFormValues>();
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = target.mode === 'edit' ? target.entry : null;

  const services = (catalog?.services ?? []).filter((s) => s.active || s.id === editing?.serviceId);
  const serviceId = Form.useWatch('serviceId', form);
  const service = services.find((s) => s.id === serviceId);
  const resources = service ? [...new Set(service.resourceKinds)].flatMap((k) => resourcesOfKind(catalog?.resources ?? [], k)) : [];

  const showError = (error: AppErrorShape) => {
    const { byField, general } = placeError<WaitlistField>(t, error, fieldOfIssue);
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    setGeneral(general);
  };

  const save = async (v: WaitlistFormValues) => {
    if (busy) return;
    setGeneral(null);
    const name = v.customer?.name ?? editing?.customerName ?? '';
    let send: () => Promise<unknown>;
    if (editing) {
      const patch = patchOf(editing, v);
      if (Object.keys(patch).length === 0) {
        void message.info(t('waitlist.form.unchanged'));
        onDone();
        return;
      }
      send = () => desk.mutate({ name: 'waitlist.update', args: { id: editing.id, patch } });
    } else {
      const args = addArgsOf(v);
      if (!args) return;
      send = () => desk.mutate({ name: 'waitlist.add', args });
    }
    setBusy(true);
    try {
      const outcome = await desk.write(send);
      if (outcome.ok) {
        void message.success(t(editing ? 'waitlist.form.updated' : 'waitlist.form.added', { name }));
        onDone();
      } else if (outcome.error) showError(outcome.error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<WaitlistFormValues>
      form={form}
      layout="vertical"
      initialValues={editing ? waitlistValuesOf(editing) : emptyWaitlistValues()}
      onFinish={(v) => void save(v)}
      onValuesChange={(changed) => {
        setGeneral(null);
        if ('serviceId' in changed) form.setFieldValue('resourceId', null);
      }}
    >
      {editing ? (
        <Form.Item label={t('waitlist.field.customer')}>
          <Flex gap={8}>
            <Typography.Text strong>{editing.customerName}</Typography.Text>
            <Typography.Text type="secondary" className="foyer-tabular">
              {formatPhone(editing.customerPhone)}
            </Typography.Text>
          </Flex>
        </Form.Item>
      ) : (
        <Form.Item name="customer" label={t('waitlist.field.customer')} rules={[{ required: true, message: t('waitlist.validation.customer') }]}>
          <CustomerPicker testId="waitlist-customer-search" autoFocus />
        </Form.Item>
      )}
      <Form.Item name="serviceId" label={t('waitlist.field.service')} rules={[{ required: true, message: t('waitlist.validation.service') }]}>
        <Select data-testid="waitlist-service" disabled={editing !== null} showSearch={{ optionFilterProp: 'label' }} options={services.map((s) => ({ value: s.id, label: s.name }))} />
      </Form.Item>
      <Form.Item name="weekdays" label={t('waitlist.field.weekdays')} extra={t('waitlist.field.weekdaysHelp')}>
        <Checkbox.Group data-testid="waitlist-weekdays" options={WEEKDAYS.map((d) => ({ value: d, label: weekdayName(d, language) }))} />
      </Form.Item>
      <Form.Item name="parts" label={t('waitlist.field.parts')} extra={t('waitlist.field.partsHelp')}>
        <Checkbox.Group data-testid="waitlist-parts" options={PARTS_OF_DAY.map((p) => ({ value: p, label: t(`calendar.findSlot.part.${p}`) }))} />
      </Form.Item>
      <Form.Item name="resourceId" label={t('waitlist.field.resource')}>
        <Select data-testid="waitlist-resource" allowClear placeholder={t('waitlist.field.anyResource')} options={resources.map((r) => ({ value: r.id, label: r.name }))} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="dateFrom" label={t('waitlist.field.dateFrom')}>
            <DatePicker data-testid="waitlist-date-from" format={DATE_FORMAT} className="foyer-full-width" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="dateTo" label={t('waitlist.field.dateTo')}>
            <DatePicker data-testid="waitlist-date-to" format={DATE_FORMAT} className="foyer-full-width" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="urgent" label={t('waitlist.field.urgent')} extra={t('waitlist.field.urgentHelp')} valuePropName="checked">
        <Switch data-testid="waitlist-urgent-switch" />
      </Form.Item>
      <Form.Item name="notes" label={t('waitlist.field.notes')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="waitlist-notes" />
      </Form.Item>
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" role="alert" data-testid="waitlist-form-error" />}
      <Flex justify="end" gap={8}>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="waitlist-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
