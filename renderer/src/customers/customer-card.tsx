/**
 * A customer's card: every field, in a drawer over the list (the URL is /customers/:id, so the
 * card survives a reload and can be opened in a second window). It stays live: an edit made
 * anywhere shows here at once.
 */
import { EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Empty, Skeleton, Space, Tag, Typography, type DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../core/customers/customer.schema';
import { formatPhone } from '../../../core/customers/phone';
import { localDateOf } from '../../../core/time';
import { ageOn, formatDateTime } from '../common/format';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';

interface Props {
  customerId: string | null;
  onClose(): void;
  /** After the close animation, so focus can go back to where the receptionist was. */
  afterClose(): void;
  onEdit(customer: Customer): void;
  /** Whether another layer (the edit form) is on top, so Escape belongs to it. */
  covered: boolean;
}

export function CustomerCard({ customerId, onClose, afterClose, onEdit, covered }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.customers.get.queryOptions({ id: customerId ?? '' }),
    enabled: customerId !== null,
  });
  const customer = query.data;

  return (
    <Drawer
      open={customerId !== null}
      onClose={onClose}
      afterOpenChange={(open) => {
        if (!open) afterClose();
      }}
      size={560}
      keyboard={!covered}
      data-testid="customer-card"
      aria-label={t('customer.card.label')}
      title={customer?.name ?? t('customer.card.label')}
      extra={
        customer && (
          <Button data-testid="customer-edit" icon={<EditOutlined />} onClick={() => onEdit(customer)}>
            {t('customer.card.edit')}
          </Button>
        )
      }
    >
      {query.isPending && customerId !== null && <Skeleton active />}
      {query.isError && <CardError error={query.error} onRetry={() => void query.refetch()} />}
      {customer && <CustomerDetails customer={customer} />}
    </Drawer>
  );
}

function CardError({ error, onRetry }: { error: unknown; onRetry(): void }) {
  const { t } = useTranslation();
  const shape = appErrorOf(error);
  if (shape.code === 'NOT_FOUND') return <Empty description={messageOf(t, shape.key, shape.params)} />;
  return (
    <Alert
      type="error"
      showIcon
      title={messageOf(t, shape.key, shape.params)}
      action={<Button onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}

function CustomerDetails({ customer: c }: { customer: Customer }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  const none = <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  const now = useNow();
  const age = c.birthDate ? ageOn(c.birthDate, localDateOf(now, timeZone)) : null;

  const items: DescriptionsProps['items'] = [
    { key: 'phone', label: t('customer.field.phone'), children: (
        <Typography.Text copyable={{ text: c.phone }} className="foyer-tabular">
          {formatPhone(c.phone)}
        </Typography.Text>
      ),
    },
    {
      key: 'nationalId',
      label: t('customer.field.nationalId'),
      children: c.nationalId ? <span className="foyer-tabular">{c.nationalId}</span> : none,
    },
    {
      key: 'birthDate',
      label: t('customer.field.birthDate'),
      children: c.birthDate ? (
        <Space size={8}>
          <span className="foyer-tabular">{c.birthDate}</span>
          {age !== null && <Typography.Text type="secondary">{t('customer.age', { age })}</Typography.Text>}
        </Space>
      ) : (
        none
      ),
    },
    { key: 'gender', label: t('customer.field.gender'), children: t(`customer.gender.${c.gender}`) },
    {
      key: 'tags',
      label: t('customer.field.tags'),
      children:
        c.tags.length > 0 ? (
          <Space size={[4, 4]} wrap>
            {c.tags.map((tag) => (
              <Tag key={tag} bordered={false}>
                {tag}
              </Tag>
            ))}
          </Space>
        ) : (
          none
        ),
    },
    {
      key: 'notes',
      label: t('customer.field.notes'),
      children: c.notes ? <Typography.Paragraph className="foyer-notes">{c.notes}</Typography.Paragraph> : none,
    },
    { key: 'createdAt', label: t('customer.field.createdAt'), children: formatDateTime(c.createdAt, language, timeZone) },
    { key: 'updatedAt', label: t('customer.field.updatedAt'), children: formatDateTime(c.updatedAt, language, timeZone) },
    {
      key: 'id',
      label: t('customer.field.id'),
      children: (
        <Typography.Text type="secondary" copyable className="foyer-tabular foyer-id">
          {c.id}
        </Typography.Text>
      ),
    },
  ];

  return <Descriptions column={1} bordered size="small" items={items} styles={{ label: { width: 128 } }} />;
}
