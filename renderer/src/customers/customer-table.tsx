/**
 * The customer list. Rows are focusable: ↑/↓ move between them, Enter or Space opens the card,
 * so a receptionist can search, pick and open without the mouse.
 */
import { Table, Tag, type TableProps } from 'antd';
import type { HTMLAttributes, KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../core/customers/customer.schema';
import { formatPhone } from '../../../core/customers/phone';
import { formatRecent } from '../common/format';
import { useNow } from '../common/use-now';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';

interface Props {
  items: Customer[];
  loading: boolean;
  empty: ReactNode;
  onOpen(id: string): void;
}

type RowProps = HTMLAttributes<HTMLElement> & { 'data-testid': string; 'data-customer-id': string };

function moveFocus(e: KeyboardEvent<HTMLElement>, to: 'next' | 'previous'): void {
  const sibling = to === 'next' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
  if (sibling instanceof HTMLElement && sibling.dataset.testid === 'customer-row') {
    e.preventDefault();
    sibling.focus();
  }
}

export function CustomerTable({ items, loading, empty, onOpen }: Props) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  const now = useNow();
  const none = t('common.empty');

  const columns: TableProps<Customer>['columns'] = [
    { key: 'name', title: t('customers.column.name'), dataIndex: 'name', className: 'foyer-col-name' },
    {
      key: 'phone',
      title: t('customers.column.phone'),
      dataIndex: 'phone',
      width: 160,
      render: (phone: string) => <span className="foyer-tabular">{formatPhone(phone)}</span>,
    },
    {
      key: 'gender',
      title: t('customers.column.gender'),
      dataIndex: 'gender',
      width: 90,
      render: (g: Customer['gender']) => t(`customer.gender.${g}`),
    },
    {
      key: 'birthDate',
      title: t('customers.column.birthDate'),
      dataIndex: 'birthDate',
      width: 120,
      render: (d: string | null) => <span className="foyer-tabular">{d ?? none}</span>,
    },
    {
      key: 'tags',
      title: t('customers.column.tags'),
      dataIndex: 'tags',
      render: (tags: string[]) =>
        tags.length === 0
          ? none
          : tags.map((tag) => (
              <Tag key={tag} bordered={false}>
                {tag}
              </Tag>
            )),
    },
    {
      key: 'updated',
      title: t('customers.column.updated'),
      dataIndex: 'updatedAt',
      width: 160,
      render: (at: number) => formatRecent(at, now, language, timeZone, (time) => t('common.todayAt', { time })),
    },
  ];

  const onRow = (c: Customer): RowProps => ({
    'data-testid': 'customer-row',
    'data-customer-id': c.id,
    tabIndex: 0,
    className: 'foyer-row',
    onClick: () => onOpen(c.id),
    onKeyDown: (e) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onOpen(c.id);
      } else if (e.key === 'ArrowDown') moveFocus(e, 'next');
      else if (e.key === 'ArrowUp') moveFocus(e, 'previous');
    },
  });

  return (
    <Table<Customer>
      data-testid="customer-table"
      aria-label={t('customers.table.label')}
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      onRow={onRow}
      locale={{ emptyText: empty }}
      sticky={{ offsetHeader: 64 }}
    />
  );
}
