/**
 * Choosing the customer of a booking: search as you type (name, phone digits, pinyin initials;
 * the host's customer search ranks), or register them on the spot when they are not found.
 */
import { UserAddOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Empty, Flex, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../core/customers/phone';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useTRPC } from '../host/trpc';
import { QuickRegisterModal, type PickedCustomer } from './quick-register-modal';

const SEARCH_DEBOUNCE_MS = 150;
const LIMIT = 20;

interface Props {
  /** Optional so a Form.Item can supply them. */
  value?: PickedCustomer | null;
  onChange?(customer: PickedCustomer | null): void;
  testId?: string;
  autoFocus?: boolean;
}

export function CustomerPicker({ value = null, onChange = () => undefined, testId = 'booking-customer-search', autoFocus }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [registering, setRegistering] = useState<string | null>(null);
  const query = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const search = useQuery({
    ...trpc.customers.search.queryOptions({ query, limit: LIMIT }),
    enabled: query !== '',
    placeholderData: keepPreviousData,
  });
  const found = query === '' ? [] : (search.data?.items ?? []);
  const options = [
    ...(value && !found.some((c) => c.id === value.id) ? [value] : []),
    ...found.map((c) => ({ id: c.id, name: c.name, phone: c.phone })),
  ].map((c) => ({
    value: c.id,
    customer: c,
    label: (
      <Flex justify="space-between" gap={12} data-testid="customer-option" data-customer-id={c.id}>
        <span>{c.name}</span>
        <Typography.Text type="secondary" className="foyer-tabular">
          {formatPhone(c.phone)}
        </Typography.Text>
      </Flex>
    ),
  }));

  return (
    <>
      <Space.Compact className="foyer-full-width">
        <Select
          data-testid={testId}
          aria-label={t('calendar.field.customer')}
          className="foyer-full-width"
          autoFocus={autoFocus}
          allowClear
          placeholder={t('calendar.customer.placeholder')}
          value={value?.id ?? null}
          options={options}
          showSearch={{ filterOption: false, onSearch: setText, searchValue: text, autoClearSearchValue: false }}
          loading={search.isFetching}
          labelRender={() => (value ? `${value.name} · ${formatPhone(value.phone)}` : null)}
          onChange={(id: string | null | undefined) => {
            const picked = options.find((o) => o.value === id)?.customer ?? null;
            onChange(picked);
            setText('');
          }}
          notFoundContent={
            query === '' ? (
              <Typography.Text type="secondary">{t('calendar.customer.typeToSearch')}</Typography.Text>
            ) : search.isFetching ? null : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.noMatches', { query })}>
                <Button type="primary" size="small" icon={<UserAddOutlined />} onClick={() => setRegistering(query)} data-testid="booking-customer-register">
                  {t('customers.register')}
                </Button>
              </Empty>
            )
          }
        />
        <Button icon={<UserAddOutlined />} onClick={() => setRegistering(text.trim())} aria-label={t('customers.register')} title={t('customers.register')} data-testid="booking-customer-new" />
      </Space.Compact>
      <QuickRegisterModal
        prefill={registering}
        onClose={() => setRegistering(null)}
        onCreated={(c) => {
          setRegistering(null);
          setText('');
          onChange(c);
        }}
      />
    </>
  );
}
