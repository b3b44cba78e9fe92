/**
 * Resources of the site: the people and things bookings hold (doctors and therapists, coaches,
 * rooms and studios, equipment), each with a kind, a department, a colour on the calendar, a
 * capacity (how many people a room holds) and its working schedule. Adding and editing happen in
 * one form with the schedule editor; when a change leaves upcoming bookings outside the new
 * working time (or without the resource, once deactivated), the host says which, and the form
 * shows them before it closes.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, ColorPicker, Flex, Form, Input, InputNumber, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { appErrorOf } from '../host/app-error';
import { StrandedBookingsAlert, strandedOf, type StrandedBooking } from './booking-lists';
import { resourceHoursOf, type CatalogDepartment, type CatalogResource } from './catalog-types';
import {
  checkResource,
  emptyResourceValues,
  placeResourceIssues,
  RESOURCE_FIELDS,
  resourcePatchOf,
  resourceValuesOf,
  type ResourceFormValues,
} from './catalog-values';
import { activeColumn, EditorModal, editColumn } from './catalog-table';
import { hexOfColour, type FormErrors } from './form-values';
import { emptyScheduleRows, scheduleRowsOf, type ScheduleRows } from './hours-values';
import { kindLabel, kindOptions } from './kinds';
import { ScheduleEditor } from './schedule-editor';
import { statusOf, useFieldText, useGeneralText, useSchedulingMutate } from './use-schedules';

interface Props {
  siteId: string;
  timeZone: string;
  resources: CatalogResource[];
  departments: CatalogDepartment[];
  canManage: boolean;
}

type Target = { mode: 'create' } | { mode: 'edit'; resource: CatalogResource };

export function ResourcesTab({ siteId, timeZone, resources, departments, canManage }: Props) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<Target | null>(null);
  const departmentName = (id: string | null) => departments.find((d) => d.id === id)?.name ?? t('common.empty');
  const presentKinds = useMemo(() => [...new Set(resources.map((r) => r.kind))], [resources]);

  return (
    <Card
      size="small"
      title={t('schedules.resources.title')}
      extra={
        canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'create' })} data-testid="resource-add">
            {t('schedules.resources.add')}
          </Button>
        )
      }
    >
      {!canManage && <Alert type="info" showIcon title={t('schedules.readOnly.schedule')} className="foyer-form-alert" />}
      <Table<CatalogResource>
        size="small"
        rowKey="id"
        dataSource={resources}
        pagination={resources.length > 20 ? { pageSize: 20 } : false}
        locale={{ emptyText: t('schedules.resources.empty') }}
        onRow={(r) => ({ 'data-testid': 'resource-row', 'data-name': r.name, 'data-kind': r.kind }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            key: 'name',
            title: t('schedules.resources.name'),
            render: (_, r) => (
              <Flex gap={8} align="center">
                {r.colour && <span className="foyer-swatch" style={{ background: r.colour }} aria-hidden />}
                <Typography.Text delete={!r.active}>{r.name}</Typography.Text>
              </Flex>
            ),
          },
          { key: 'kind', title: t('schedules.resources.kind'), render: (_, r) => <Tag>{kindLabel(t, r.kind)}</Tag> },
          { key: 'department', title: t('schedules.resources.department'), render: (_, r) => departmentName(r.departmentId) },
          { key: 'capacity', title: t('schedules.resources.capacity'), render: (_, r) => r.capacity ?? t('schedules.resources.noLimit') },
          {
            key: 'rota',
            title: t('schedules.resources.rota'),
            render: (_, r) => {
              const h = resourceHoursOf(r);
              const ranges = h.schedules.reduce((n, s) => n + s.ranges.length, 0);
              return ranges === 0 ? (
                <Tag color="orange">{t('schedules.resources.noHours')}</Tag>
              ) : (
                [
                  t('schedules.resources.templates', { count: h.schedules.length }),
                  h.dateOverrides.length > 0 ? t('schedules.resources.overrides', { count: h.dateOverrides.length }) : null,
                  h.leave.length > 0 ? t('schedules.resources.leave', { count: h.leave.length }) : null,
                ]
                  .filter((x) => x !== null)
                  .join(' · ')
              );
            },
          },
          activeColumn<CatalogResource>(t),
          editColumn<CatalogResource>(t, canManage, (resource) => setTarget({ mode: 'edit', resource }), 'resource-edit'),
        ]}
      />
      <EditorModal
        open={target !== null}
        title={target?.mode === 'edit' ? t('schedules.resources.editTitle', { name: target.resource.name }) : t('schedules.resources.addTitle')}
        onClose={() => setTarget(null)}
        width={980}
        testId="resource-form"
      >
        {target && (
          <ResourceForm
            siteId={siteId}
            timeZone={timeZone}
            target={target}
            departments={departments}
            presentKinds={presentKinds}
            canManage={canManage}
            onDone={() => setTarget(null)}
          />
        )}
      </EditorModal>
    </Card>
  );
}

function ResourceForm({
  siteId,
  timeZone,
  target,
  departments,
  presentKinds,
  canManage,
  onDone,
}: {
  siteId: string;
  timeZone: string;
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
  const [form] = Form.useForm<ResourceFormValues>();
  const [schedule, setSchedule] = useState<ScheduleRows>(() =>
    target.mode === 'edit' ? scheduleRowsOf(resourceHoursOf(target.resource), timeZone) : emptyScheduleRows(),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [stranded, setStranded] = useState<{ list: StrandedBooking[]; name: string } | null>(null);
  // Once a save has been refused, every change re-checks, so messages go away as things are fixed.
  const refused = useRef(false);
  const inFlight = useRef(false);

  const isShown = (path: string) =>
    (RESOURCE_FIELDS as readonly string[]).includes(path) || /^(templates|overrides|leave)\./.test(path);

  const recheck = (values: ResourceFormValues, rows: ScheduleRows) => {
    if (!refused.current) return;
    const checked = checkResource(siteId, values, rows, timeZone);
    setErrors(checked.ok ? {} : checked.errors);
  };

  const save = async () => {
    if (inFlight.current) return;
    setGeneral(null);
    const values: ResourceFormValues = form.getFieldsValue(true);
    const checked = checkResource(siteId, values, schedule, timeZone);
    if (!checked.ok) {
      refused.current = true;
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    inFlight.current = true;
    try {
      if (target.mode === 'create') {
        await mutate({ name: 'resource.create', args: checked.value });
        void message.success(t('schedules.resources.created', { name: checked.value.name }));
        onDone();
        return;
      }
      const patch = resourcePatchOf(target.resource, resourceHoursOf(target.resource), checked.value);
      if (Object.keys(patch).length === 0) {
        void message.info(t('schedules.unchanged'));
        onDone();
        return;
      }
      const result = await mutate({ name: 'resource.update', args: { id: target.resource.id, patch } });
      void message.success(t('schedules.resources.updated', { name: checked.value.name }));
      const list = strandedOf(result);
      if (list.length > 0) setStranded({ list, name: checked.value.name });
      else onDone();
    } catch (e) {
      refused.current = true;
      const error = appErrorOf(e);
      const placed = placeResourceIssues(error.issues ?? [], schedule, timeZone);
      setErrors(placed);
      setGeneral(generalText(error, placed, isShown));
    } finally {
      inFlight.current = false;
    }
  };

  if (stranded) {
    return (
      <Flex vertical gap={12}>
        <StrandedBookingsAlert stranded={stranded.list} resource={stranded.name} />
        <Typography.Text type="secondary">{t('schedules.stranded.hint')}</Typography.Text>
        <Flex justify="flex-end">
          <Button type="primary" onClick={onDone} data-testid="resource-stranded-close">
            {t('common.close')}
          </Button>
        </Flex>
      </Flex>
    );
  }

  const field = (name: (typeof RESOURCE_FIELDS)[number]) => statusOf(text(errors[name]));
  const readOnly = !canManage;

  return (
    <Form<ResourceFormValues>
      form={form}
      name="resource"
      layout="vertical"
      requiredMark
      initialValues={target.mode === 'edit' ? resourceValuesOf(target.resource) : emptyResourceValues()}
      onValuesChange={(_, all) => {
        setGeneral(null);
        recheck(all, schedule);
      }}
      onFinish={() => void save()}
      disabled={readOnly}
    >
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="name" label={t('schedules.resources.name')} required {...field('name')}>
            <Input data-testid="resource-form-name" maxLength={64} autoComplete="off" autoFocus placeholder={t('schedules.resources.namePlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="kind" label={t('schedules.resources.kind')} required extra={target.mode === 'edit' ? t('schedules.resources.kindLocked') : undefined} {...field('kind')}>
            <Select
              data-testid="resource-form-kind"
              showSearch={{ optionFilterProp: 'label' }}
              disabled={readOnly || target.mode === 'edit'}
              options={kindOptions(t, presentKinds)}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="departmentId" label={t('schedules.resources.department')} {...field('departmentId')}>
            <Select
              data-testid="resource-form-departmentId"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('schedules.noDepartment')}
              options={departments.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="capacity" label={t('schedules.resources.capacity')} extra={t('schedules.resources.capacityHelp')} {...field('capacity')}>
            <InputNumber data-testid="resource-form-capacity" min={1} max={1000} precision={0} placeholder={t('schedules.resources.noLimit')} className="foyer-number" />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            name="colour"
            label={t('schedules.colour')}
            getValueFromEvent={hexOfColour}
            {...field('colour')}
          >
            <ColorPicker data-testid="resource-form-colour" allowClear disabledAlpha format="hex" onClear={() => form.setFieldValue('colour', null)} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="active" label={t('schedules.active')} valuePropName="checked" extra={t('schedules.resources.activeHelp')} {...field('active')}>
            <Switch data-testid="resource-form-active" />
          </Form.Item>
        </Col>
      </Row>
      <ScheduleEditor
        rows={schedule}
        onChange={(next) => {
          setSchedule(next);
          setGeneral(null);
          recheck(form.getFieldsValue(true), next);
        }}
        errors={errors}
        disabled={readOnly}
        timeZone={timeZone}
      />
      {Object.keys(errors).length > 0 && !general && (
        <Alert type="error" showIcon title={t('errors.invalidInput')} className="foyer-form-alert" data-testid="resource-form-invalid" />
      )}
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" data-testid="resource-form-error" />}
      <Flex justify="flex-end" gap={8} className="foyer-form-buttons">
        <Button onClick={onDone} disabled={false}>
          {canManage ? t('common.cancel') : t('common.close')}
        </Button>
        {canManage && (
          <Button type="primary" htmlType="submit" loading={pending} data-testid="resource-save">
            {t('common.save')}
          </Button>
        )}
      </Flex>
    </Form>
  );
}
