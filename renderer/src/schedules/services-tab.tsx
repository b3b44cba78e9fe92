/**
 * Services of the site: what can be booked, for how long, with how much preparation and cleaning
 * time around it (buffers), at what price, for how many people at once (more than one seat makes
 * it a group class), needing which kinds of resource together, and how far ahead. Prices are
 * typed in yuan and stored in fen. Editing a service never changes bookings already made.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, ColorPicker, Flex, Form, Input, InputNumber, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../core/money';
import { appErrorOf } from '../host/app-error';
import { useLanguage } from '../i18n/use-language';
import type { CatalogDepartment, CatalogService } from './catalog-types';
import {
  checkService,
  emptyServiceValues,
  placeServiceIssues,
  SERVICE_FIELDS,
  servicePatchOf,
  serviceValuesOf,
  type ServiceField,
  type ServiceFormValues,
} from './catalog-values';
import { activeColumn, EditorModal, editColumn } from './catalog-table';
import { hexOfColour, type FormErrors } from './form-values';
import { kindLabel, kindOptions } from './kinds';
import { statusOf, useFieldText, useGeneralText, useSchedulingMutate } from './use-schedules';

interface Props {
  siteId: string;
  services: CatalogService[];
  departments: CatalogDepartment[];
  /** Kinds of the site's resources, offered beside the usual ones. */
  presentKinds: string[];
  canManage: boolean;
}

type Target = { mode: 'create' } | { mode: 'edit'; service: CatalogService };

export function ServicesTab({ siteId, services, departments, presentKinds, canManage }: Props) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [target, setTarget] = useState<Target | null>(null);
  const departmentName = (id: string | null) => departments.find((d) => d.id === id)?.name ?? null;

  return (
    <Card
      size="small"
      title={t('schedules.services.title')}
      extra={
        canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'create' })} data-testid="service-add">
            {t('schedules.services.add')}
          </Button>
        )
      }
    >
      {!canManage && <Alert type="info" showIcon title={t('schedules.readOnly.schedule')} className="foyer-form-alert" />}
      <Table<CatalogService>
        size="small"
        rowKey="id"
        dataSource={services}
        pagination={services.length > 20 ? { pageSize: 20 } : false}
        locale={{ emptyText: t('schedules.services.empty') }}
        onRow={(s) => ({ 'data-testid': 'service-row', 'data-name': s.name }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            key: 'name',
            title: t('schedules.services.name'),
            render: (_, s) => (
              <Flex gap={8} align="center" wrap>
                {s.colour && <span className="foyer-swatch" style={{ background: s.colour }} aria-hidden />}
                <Typography.Text delete={!s.active}>{s.name}</Typography.Text>
                {s.seats > 1 && <Tag color="purple">{t('schedules.services.groupClass')}</Tag>}
              </Flex>
            ),
          },
          {
            key: 'category',
            title: t('schedules.services.category'),
            render: (_, s) => [s.category, departmentName(s.departmentId)].filter((x) => x).join(' · ') || t('common.empty'),
          },
          {
            key: 'duration',
            title: t('schedules.services.duration'),
            render: (_, s) => (
              <span data-testid="service-duration">
                {t('schedules.minutes', { count: s.durationMinutes })}
                {(s.bufferBeforeMinutes > 0 || s.bufferAfterMinutes > 0) && (
                  <Typography.Text type="secondary">
                    {' '}
                    {t('schedules.services.buffersSummary', { before: s.bufferBeforeMinutes, after: s.bufferAfterMinutes })}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          { key: 'price', title: t('schedules.services.price'), render: (_, s) => formatMoney({ amountMinor: s.priceMinor, currency: s.currency }, language) },
          { key: 'seats', title: t('schedules.services.seats'), render: (_, s) => s.seats },
          { key: 'needs', title: t('schedules.services.resourceKinds'), render: (_, s) => s.resourceKinds.map((k, i) => <Tag key={`${k}${i}`}>{kindLabel(t, k)}</Tag>) },
          activeColumn<CatalogService>(t),
          editColumn<CatalogService>(t, canManage, (service) => setTarget({ mode: 'edit', service }), 'service-edit'),
        ]}
      />
      <EditorModal
        open={target !== null}
        title={target?.mode === 'edit' ? t('schedules.services.editTitle', { name: target.service.name }) : t('schedules.services.addTitle')}
        onClose={() => setTarget(null)}
        width={820}
        testId="service-form"
      >
        {target && <ServiceForm siteId={siteId} target={target} departments={departments} presentKinds={presentKinds} canManage={canManage} onDone={() => setTarget(null)} />}
      </EditorModal>
    </Card>
  );
}

function ServiceForm({
  siteId,
  target,
  departments,
  presentKinds,
  canManage,
  onDone,
}: {
  siteId: string;
  target: Target;
  departments: CatalogDepartment[];
  presentKinds: string[];
  canManage: boolean;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const [form] = Form.useForm<ServiceFormValues>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const refused = useRef(false);
  const inFlight = useRef(false);
  const seats = Form.useWatch('seats', form) ?? 1;
  const kinds = useMemo(() => kindOptions(t, presentKinds), [t, presentKinds]);
  const isShown = (path: string) => (SERVICE_FIELDS as readonly string[]).includes(path);
  // A service keeps its currency; a new one is priced in yuan.
  const currency = target.mode === 'edit' ? target.service.currency : 'CNY';

  const save = async () => {
    if (inFlight.current) return;
    setGeneral(null);
    const values: ServiceFormValues = form.getFieldsValue(true);
    const checked = checkService(siteId, values, currency);
    if (!checked.ok) {
      refused.current = true;
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    inFlight.current = true;
    try {
      if (target.mode === 'create') {
        await mutate({ name: 'service.create', args: checked.value });
        void message.success(t('schedules.services.created', { name: checked.value.name }));
      } else {
        const patch = servicePatchOf(target.service, checked.value);
        if (Object.keys(patch).length === 0) void message.info(t('schedules.unchanged'));
        else {
          await mutate({ name: 'service.update', args: { id: target.service.id, patch } });
          void message.success(t('schedules.services.updated', { name: checked.value.name }));
        }
      }
      onDone();
    } catch (e) {
      refused.current = true;
      const error = appErrorOf(e);
      const placed = placeServiceIssues(error.issues ?? []);
      setErrors(placed);
      setGeneral(generalText(error, placed, isShown));
    } finally {
      inFlight.current = false;
    }
  };

  const item = (name: ServiceField) => ({ name, ...statusOf(text(errors[name])) });
  const minutes = t('schedules.unit.minutes');

  return (
    <Form<ServiceFormValues>
      form={form}
      name="service"
      layout="vertical"
      requiredMark
      disabled={!canManage}
      initialValues={target.mode === 'edit' ? serviceValuesOf(target.service) : emptyServiceValues()}
      onValuesChange={(_, all) => {
        setGeneral(null);
        if (refused.current) {
          const checked = checkService(siteId, all, currency);
          setErrors(checked.ok ? {} : checked.errors);
        }
      }}
      onFinish={() => void save()}
    >
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item {...item('name')} label={t('schedules.services.name')} required>
            <Input data-testid="service-form-name" maxLength={64} autoComplete="off" autoFocus placeholder={t('schedules.services.namePlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('category')} label={t('schedules.services.category')}>
            <Input data-testid="service-form-category" maxLength={64} placeholder={t('schedules.services.categoryPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('departmentId')} label={t('schedules.resources.department')}>
            <Select
              data-testid="service-form-departmentId"
              allowClear
              placeholder={t('schedules.noDepartment')}
              options={departments.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('durationMinutes')} label={t('schedules.services.duration')} required>
            <InputNumber data-testid="service-form-durationMinutes" min={1} max={1440} precision={0} suffix={minutes} className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('bufferBeforeMinutes')} label={t('schedules.services.bufferBefore')} tooltip={t('schedules.services.bufferHelp')}>
            <InputNumber data-testid="service-form-bufferBeforeMinutes" min={0} max={240} precision={0} suffix={minutes} className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('bufferAfterMinutes')} label={t('schedules.services.bufferAfter')} tooltip={t('schedules.services.bufferHelp')}>
            <InputNumber data-testid="service-form-bufferAfterMinutes" min={0} max={240} precision={0} suffix={minutes} className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('price')} label={t('schedules.services.price')} required>
            <Input data-testid="service-form-price" prefix="¥" inputMode="decimal" placeholder="0.00" className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('seats')} label={t('schedules.services.seats')} extra={seats > 1 ? t('schedules.services.groupHelp', { count: seats }) : t('schedules.services.privateHelp')}>
            <InputNumber data-testid="service-form-seats" min={1} max={500} precision={0} className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={24} md={18}>
          <Form.Item {...item('resourceKinds')} label={t('schedules.services.resourceKinds')} extra={t('schedules.services.resourceKindsHelp')} required>
            <Select data-testid="service-form-resourceKinds" mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={kinds} maxCount={4} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('minNoticeMinutes')} label={t('schedules.services.minNotice')} tooltip={t('schedules.services.minNoticeHelp')}>
            <InputNumber data-testid="service-form-minNoticeMinutes" min={0} max={525600} precision={0} suffix={minutes} className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('maxAdvanceDays')} label={t('schedules.services.maxAdvance')} tooltip={t('schedules.services.maxAdvanceHelp')}>
            <InputNumber data-testid="service-form-maxAdvanceDays" min={1} max={730} precision={0} suffix={t('schedules.unit.days')} className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            {...item('colour')}
            label={t('schedules.colour')}
            getValueFromEvent={hexOfColour}
          >
            <ColorPicker data-testid="service-form-colour" allowClear disabledAlpha format="hex" onClear={() => form.setFieldValue('colour', null)} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item {...item('active')} label={t('schedules.active')} valuePropName="checked" extra={t('schedules.services.activeHelp')}>
            <Switch data-testid="service-form-active" />
          </Form.Item>
        </Col>
      </Row>
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" data-testid="service-form-error" />}
      <Flex justify="flex-end" gap={8}>
        <Button onClick={onDone} disabled={false}>
          {canManage ? t('common.cancel') : t('common.close')}
        </Button>
        {canManage && (
          <Button type="primary" htmlType="submit" loading={pending} data-testid="service-save">
            {t('common.save')}
          </Button>
        )}
      </Flex>
    </Form>
  );
}
