/**
 * Departments of the site (内科, 口腔科, 团课…): the list, a new one by name, renaming in place and
 * deactivating (nothing is ever deleted; resources and services keep their department).
 */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Switch, Table, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CreateDepartmentArgs } from '../../../core/scheduling/catalog.mutators';
import { parseOrThrow } from '../../../core/validation';
import { appErrorOf } from '../host/app-error';
import type { CatalogDepartment, CatalogResource, CatalogService } from './catalog-types';
import { CHECK_ID, placeIssues, tryParse, type FormErrors } from './form-values';
import { statusOf, useFieldText, useGeneralText, useSchedulingMutate } from './use-schedules';

const Name = CreateDepartmentArgs.shape.name;

interface Props {
  siteId: string;
  departments: CatalogDepartment[];
  resources: CatalogResource[];
  services: CatalogService[];
  canManage: boolean;
}

export function DepartmentsTab({ siteId, departments, resources, services, canManage }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);

  const fail = (e: unknown) => {
    const error = appErrorOf(e);
    const placed = placeIssues(error.issues ?? [], [], ['patch']);
    setErrors(placed);
    setGeneral(generalText(error, placed, (p) => p === 'name'));
  };

  const create = async () => {
    setGeneral(null);
    const checked = tryParse(() => parseOrThrow(CreateDepartmentArgs, { id: CHECK_ID, siteId, name }));
    if (!checked.ok) {
      setErrors(placeIssues(checked.issues, []));
      return;
    }
    setErrors({});
    try {
      await mutate({ name: 'department.create', args: { siteId, name: checked.value.name } });
      void message.success(t('schedules.departments.created', { name: checked.value.name }));
      setName('');
    } catch (e) {
      fail(e);
    }
  };

  const rename = async (d: CatalogDepartment, next: string) => {
    const checked = tryParse(() => parseOrThrow(z.object({ name: Name }), { name: next }));
    if (!checked.ok) {
      void message.error(text(placeIssues(checked.issues, []).name));
      return;
    }
    if (checked.value.name === d.name) return;
    try {
      await mutate({ name: 'department.update', args: { id: d.id, patch: { name: checked.value.name } } });
      void message.success(t('schedules.departments.renamed', { name: checked.value.name }));
    } catch (e) {
      void message.error(generalText(appErrorOf(e), {}, () => false));
    }
  };

  const setActive = async (d: CatalogDepartment, active: boolean) => {
    try {
      await mutate({ name: 'department.update', args: { id: d.id, patch: { active } } });
      void message.success(active ? t('schedules.departments.activated', { name: d.name }) : t('schedules.departments.deactivated', { name: d.name }));
    } catch (e) {
      void message.error(generalText(appErrorOf(e), {}, () => false));
    }
  };

  const used = (id: string) => resources.filter((r) => r.departmentId === id).length + services.filter((s) => s.departmentId === id).length;

  return (
    <Card size="small" title={t('schedules.departments.title')}>
      <Flex vertical gap={12}>
        {!canManage && <Alert type="info" showIcon title={t('schedules.readOnly.schedule')} />}
        {canManage && (
          <Form layout="inline" onFinish={() => void create()}>
            <Form.Item label={t('schedules.departments.name')} {...statusOf(text(errors.name))}>
              <Input
                data-testid="department-name"
                value={name}
                maxLength={64}
                placeholder={t('schedules.departments.namePlaceholder')}
                onChange={(e) => {
                  setName(e.target.value);
                  setGeneral(null);
                }}
              />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={pending} data-testid="department-add">
                {t('schedules.departments.add')}
              </Button>
            </Form.Item>
          </Form>
        )}
        {general && <Alert type="error" showIcon title={general} />}
        <Table<CatalogDepartment>
          size="small"
          rowKey="id"
          dataSource={departments}
          pagination={false}
          locale={{ emptyText: t('schedules.departments.empty') }}
          onRow={(d) => ({ 'data-testid': 'department-row', 'data-name': d.name }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'name',
              title: t('schedules.departments.name'),
              render: (_, d) => (
                <Typography.Text editable={canManage ? { onChange: (v) => void rename(d, v), triggerType: ['icon', 'text'], text: d.name } : false} delete={!d.active}>
                  {d.name}
                </Typography.Text>
              ),
            },
            { key: 'used', title: t('schedules.departments.used'), render: (_, d) => used(d.id) },
            {
              key: 'active',
              title: t('schedules.active'),
              render: (_, d) =>
                canManage ? (
                  <Switch size="small" checked={d.active} onChange={(v) => void setActive(d, v)} aria-label={t('schedules.active')} data-testid="department-active" />
                ) : (
                  <Tag color={d.active ? 'green' : 'default'}>{d.active ? t('schedules.active') : t('schedules.inactive')}</Tag>
                ),
            },
          ]}
        />
      </Flex>
    </Card>
  );
}
