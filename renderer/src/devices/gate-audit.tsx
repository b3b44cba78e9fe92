/**
 * A gate's recent audit, newest first, live: who or what acted, what happened (opened, closed,
 * someone passed, a fault), when, and why (the Test button, the Open gate button, the opening time
 * being over, a relay found on at start …).
 */
import { useQuery } from '@tanstack/react-query';
import { Table, Typography, type TableProps } from 'antd';
import type { TFunction } from 'i18next';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageParams } from '../../../core/errors';
import { formatRecent } from '../common/format';
import { useNow } from '../common/use-now';
import { messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { isTextKey } from '../i18n/resources';
import { useLanguage } from '../i18n/use-language';
import { useDesk } from '../shell/desk-context';
import type { AuditEntry } from './device-types';

const AUDIT_LIMIT = 10;

/** A text for a key built from data, or the data itself when this UI has no word for it yet. */
function textOr(t: TFunction, key: string, fallback: string): string {
  return isTextKey(key) ? t(key) : fallback;
}

function paramsOf(v: unknown): MessageParams {
  if (typeof v !== 'object' || v === null) return {};
  const out: MessageParams = {};
  for (const [k, p] of Object.entries(v)) if (typeof p === 'string' || typeof p === 'number') out[k] = p;
  return out;
}

export function actorText(t: TFunction, actor: string, me: string | undefined): string {
  if (actor === 'system') return t('devices.audit.system');
  if (me !== undefined && actor === me) return t('devices.audit.you');
  return t('devices.audit.staff', { id: actor.slice(-6) });
}

/** Why it happened: the reason given to open, the cause of a closing, or the fault's message. */
export function causeText(t: TFunction, entry: Pick<AuditEntry, 'action' | 'details'>): string | null {
  const d = entry.details;
  if (typeof d.reasonKey === 'string') return messageOf(t, d.reasonKey, paramsOf(d.params));
  if (typeof d.errorKey === 'string') return messageOf(t, d.errorKey, paramsOf(d.params));
  if (typeof d.cause === 'string') return textOr(t, `devices.audit.cause.${d.cause}`, d.cause);
  if (typeof d.reason === 'string') return textOr(t, `devices.audit.reason.${d.reason}`, d.reason);
  return null;
}

export function GateAudit({ deviceId }: { deviceId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { language } = useLanguage();
  const { info, timeZone } = useDesk();
  const now = useNow();
  const audit = useQuery(trpc.devices.audit.queryOptions({ deviceId, limit: AUDIT_LIMIT }));
  const me = info?.actor.staffId;

  const columns: TableProps<AuditEntry>['columns'] = [
    {
      key: 'when',
      title: t('devices.audit.column.when'),
      dataIndex: 'at',
      width: 130,
      render: (at: number) => (
        <span className="foyer-tabular">{formatRecent(at, now, language, timeZone, (time) => t('common.todayAt', { time }))}</span>
      ),
    },
    { key: 'who', title: t('devices.audit.column.who'), dataIndex: 'actor', width: 120, render: (a: string) => actorText(t, a, me) },
    {
      key: 'what',
      title: t('devices.audit.column.what'),
      dataIndex: 'action',
      width: 160,
      render: (a: string) => textOr(t, `devices.audit.action.${a}`, a),
    },
    {
      key: 'cause',
      title: t('devices.audit.column.cause'),
      render: (_: unknown, e: AuditEntry) => causeText(t, e) ?? <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>,
    },
  ];

  return (
    <Table<AuditEntry>
      data-testid="gate-audit"
      aria-label={t('devices.audit.title')}
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={audit.data ?? []}
      loading={audit.isPending}
      pagination={false}
      onRow={() => ({ 'data-testid': 'audit-row' }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: t('devices.audit.empty') }}
    />
  );
}
