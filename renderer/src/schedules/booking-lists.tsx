/**
 * The bookings a schedule change hits, for staff to call: those a closure or a special day puts
 * outside open time (customer, phone, service, time), and those a resource's new rota or its
 * deactivation leaves without it (a booking or a class, and when). Times are in the site's zone.
 */
import { Alert, Table, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { formatPhone } from '../../../core/customers/phone';
import { formatDateTime } from '../common/format';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';
import type { AffectedBooking } from './catalog-types';

/** What the site mutators answer with; read, not trusted. */
const Affected = z.object({
  affected: z.array(
    z.object({
      id: z.string(),
      customerId: z.string(),
      customerName: z.string(),
      customerPhone: z.string(),
      serviceId: z.string(),
      serviceName: z.string(),
      start: z.number(),
      end: z.number(),
      status: z.string(),
    }),
  ),
});

export function affectedOf(result: unknown): AffectedBooking[] {
  const r = Affected.safeParse(result);
  return r.success ? (r.data.affected as AffectedBooking[]) : [];
}

const Stranded = z.object({
  stranded: z.array(z.object({ id: z.string(), kind: z.enum(['booking', 'session']), start: z.number(), end: z.number() })),
});
export type StrandedBooking = z.infer<typeof Stranded>['stranded'][number];

export function strandedOf(result: unknown): StrandedBooking[] {
  const r = Stranded.safeParse(result);
  return r.success ? r.data.stranded : [];
}

export function AffectedBookingsTable({ bookings, testId }: { bookings: readonly AffectedBooking[]; testId?: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  return (
    <div data-testid={testId} data-count={bookings.length}>
      <Typography.Paragraph>
        {bookings.length === 0 ? t('schedules.affected.none') : t('schedules.affected.some', { count: bookings.length })}
      </Typography.Paragraph>
      {bookings.length > 0 && (
        <Table<AffectedBooking>
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ y: 280 }}
          dataSource={[...bookings]}
          onRow={() => ({ 'data-testid': 'affected-row' }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'time', title: t('schedules.affected.time'), render: (_, b) => formatDateTime(b.start, language, timeZone) },
            { key: 'customer', title: t('schedules.affected.customer'), render: (_, b) => b.customerName },
            { key: 'phone', title: t('schedules.affected.phone'), render: (_, b) => formatPhone(b.customerPhone) },
            { key: 'service', title: t('schedules.affected.service'), render: (_, b) => b.serviceName },
          ]}
        />
      )}
    </div>
  );
}

export function StrandedBookingsAlert({ stranded, resource }: { stranded: readonly StrandedBooking[]; resource: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { timeZone } = useDesk();
  if (stranded.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="resource-stranded"
      title={t('schedules.stranded.title', { count: stranded.length, resource })}
      description={
        <ul className="foyer-stranded-list">
          {stranded.map((s) => (
            <li key={s.id}>
              <Tag>{s.kind === 'session' ? t('schedules.stranded.session') : t('schedules.stranded.booking')}</Tag>
              {formatDateTime(s.start, language, timeZone)}
            </li>
          ))}
        </ul>
      }
    />
  );
}
