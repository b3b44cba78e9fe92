/**
 * The Customers page, where receptionists find people: search as you type (name, phone digits,
 * pinyin or its initials; the host matches and ranks), the list, the card of the chosen customer
 * and the form to register or edit one. Keys: `/` search, ↓ into the list, Enter open, Alt+N
 * register.
 */
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Flex, Input, Spin, Tooltip, Typography, type InputRef } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useHotkey } from '../common/use-hotkey';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useRouter } from '../routing/router';
import { paths } from '../routing/routes';
import { CustomerCard } from './customer-card';
import { CustomerFormModal, type CustomerFormTarget } from './customer-form-modal';
import { CustomerTable } from './customer-table';

/** Rows per search: enough to scan, few enough to render at once. */
const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 150;

export function CustomersPage({ customerId }: { customerId: string | null }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { navigate } = useRouter();
  const [text, setText] = useState('');
  const [formTarget, setFormTarget] = useState<CustomerFormTarget | null>(null);
  const searchRef = useRef<InputRef>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const query = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const search = useQuery({
    ...trpc.customers.search.queryOptions({ query, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const count = useQuery(trpc.customers.count.queryOptions());
  const items = useMemo(() => search.data?.items ?? [], [search.data]);
  const searching = query !== '';
  const stale = search.isPlaceholderData || text.trim() !== query;

  const suggestedTags = useMemo(() => [...new Set(items.flatMap((c) => c.tags))].sort(), [items]);

  const openRegister = () => setFormTarget({ mode: 'create' });
  // "Not found" is usually "not registered yet": start the form with what was searched for.
  const registerSearched = () =>
    setFormTarget({ mode: 'create', prefill: /^[+\d][\d\s\-()]*$/.test(query) ? { phone: query } : { name: query } });
  // Page shortcuts work while nothing (card, form) is open on top of the list.
  const onTop = formTarget === null && customerId === null;
  useHotkey({ key: '/' }, () => searchRef.current?.focus({ cursor: 'all' }), onTop);
  useHotkey({ key: 'n', alt: true }, openRegister, onTop);

  const focusFirstRow = () => listRef.current?.querySelector<HTMLElement>('[data-testid="customer-row"]')?.focus();
  // The card was opened from a row (or a link); closing it returns to that row, else to the search.
  const lastOpened = useRef<string | null>(null);
  useEffect(() => {
    if (customerId !== null) lastOpened.current = customerId;
  }, [customerId]);
  const returnFocus = () => {
    const row = lastOpened.current
      ? listRef.current?.querySelector<HTMLElement>(`[data-customer-id="${CSS.escape(lastOpened.current)}"]`)
      : null;
    (row ?? searchRef.current)?.focus();
  };

  const summary = (() => {
    if (!search.data) return null;
    if (searching) {
      return items.length >= PAGE_SIZE
        ? t('customers.matchesLimited', { count: items.length })
        : t('customers.matches', { count: items.length });
    }
    return count.data !== undefined && items.length < count.data ? t('customers.recent', { shown: items.length }) : null;
  })();

  const empty = searching ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.noMatches', { query })}>
      <Button type="primary" icon={<PlusOutlined />} onClick={registerSearched} data-testid="customer-register-searched">
        {t('customers.register')}
      </Button>
    </Empty>
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.empty')} />
  );

  return (
    <div className="foyer-page">
      <Flex justify="space-between" align="center" gap={16} wrap className="foyer-page-head">
        <Flex align="baseline" gap={12}>
          <Typography.Title level={3} className="foyer-page-title">
            {t('nav.customers')}
          </Typography.Title>
          {count.data !== undefined && (
            <Typography.Text type="secondary" data-testid="customer-count">
              {t('customers.total', { count: count.data })}
            </Typography.Text>
          )}
        </Flex>
        <Tooltip title={t('customers.register.shortcut')}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={openRegister}
            data-testid="customer-register"
            aria-keyshortcuts="Alt+N"
          >
            {t('customers.register')}
          </Button>
        </Tooltip>
      </Flex>

      <Input
        ref={searchRef}
        autoFocus
        allowClear
        size="large"
        role="searchbox"
        data-testid="customer-search"
        aria-label={t('customers.search.label')}
        aria-keyshortcuts="/"
        title={t('customers.search.shortcut')}
        placeholder={t('customers.search.placeholder')}
        prefix={<SearchOutlined />}
        suffix={stale && search.isFetching ? <Spin size="small" /> : <span />}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            focusFirstRow();
          } else if (e.key === 'Enter') {
            // Enter on a search with one obvious answer opens it.
            const first = items[0];
            if (first && !stale && items.length === 1) navigate(paths.customer(first.id));
            else focusFirstRow();
          }
        }}
        className="foyer-search"
      />

      <Flex justify="space-between" className="foyer-summary">
        <Typography.Text type="secondary" data-testid="customer-summary" aria-live="polite">
          {summary}
        </Typography.Text>
      </Flex>

      {search.isError && !search.data ? (
        <Alert
          type="error"
          showIcon
          title={t('customers.loadFailed')}
          description={messageOf(t, appErrorOf(search.error).key, appErrorOf(search.error).params)}
          action={<Button onClick={() => void search.refetch()}>{t('common.retry')}</Button>}
        />
      ) : (
        <div ref={listRef}>
          <CustomerTable
            items={items}
            loading={search.isPending}
            empty={empty}
            onOpen={(id) => navigate(paths.customer(id))}
          />
        </div>
      )}

      <CustomerCard
        customerId={customerId}
        covered={formTarget !== null}
        onClose={() => navigate(paths.customers())}
        afterClose={returnFocus}
        onEdit={(customer) => setFormTarget({ mode: 'edit', customer })}
      />
      <CustomerFormModal target={formTarget} onClose={() => setFormTarget(null)} suggestedTags={suggestedTags} />
    </div>
  );
}
