/**
 * What the catalogue tabs (resources, services, the class timetable) share: the Active column, the
 * Edit (or View, for staff who may not manage) column, and the modal their forms open in.
 */
import { EditOutlined } from '@ant-design/icons';
import { Button, Modal, Tag } from 'antd';
import type { ColumnType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';

export function activeColumn<T extends { active: boolean }>(t: TFunction): ColumnType<T> {
  return {
    key: 'active',
    title: t('schedules.active'),
    render: (_, r) => <Tag color={r.active ? 'green' : 'default'}>{r.active ? t('schedules.active') : t('schedules.inactive')}</Tag>,
  };
}

export function editColumn<T>(t: TFunction, canManage: boolean, onEdit: (row: T) => void, testId: string): ColumnType<T> {
  return {
    key: 'actions',
    title: '',
    width: 96,
    render: (_, r) => (
      <Button size="small" icon={<EditOutlined />} onClick={() => onEdit(r)} data-testid={testId}>
        {canManage ? t('schedules.edit') : t('schedules.view')}
      </Button>
    ),
  };
}

/** A form's modal: closed by Cancel or Escape only (never by a stray click beside it), emptied on close. */
export function EditorModal(props: { open: boolean; title: ReactNode; width?: number; testId: string; onClose: () => void; children: ReactNode }) {
  return (
    <Modal open={props.open} title={props.title} onCancel={props.onClose} footer={null} destroyOnHidden mask={{ closable: false }} width={props.width} data-testid={props.testId}>
      {props.children}
    </Modal>
  );
}
