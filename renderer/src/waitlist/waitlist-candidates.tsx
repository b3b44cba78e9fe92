/**
 * Who on the waitlist wants a slot that has just opened (a cancellation, a no-show, a
 * reschedule), as the booking mutator listed them: urgent first, then oldest. Each with their
 * wishes and "Offer this slot" (a hold for them, waitlist.offer) while nobody holds it; when the
 * site offered the slot automatically, to whom and until when. Names and states come from the live waitlist, so an
 * offer made here or on another desk shows at once.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../core/customers/phone';
import type { WaitlistOutcome } from '../../../core/scheduling/booking.writes';
import { useCalendarDesk } from '../calendar/calendar-desk';
import { formatSpan, formatTime } from '../calendar/calendar-format';
import { useNow } from '../common/use-now';
import { useTRPC } from '../host/trpc';
import { EntryStateTag, UrgentTag, wishesText } from './waitlist-labels';
import { useWaitlistActions } from './use-waitlist-actions';
import { canOffer, holdsSlot, type OfferSlot } from './waitlist-values';

export function WaitlistCandidates({ outcome, slot }: { outcome: WaitlistOutcome; slot: OfferSlot }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const desk = useCalendarDesk();
  const { siteId, catalog, language, timeZone } = desk;
  const actions = useWaitlistActions();
  const now = useNow(1_000);
  const open = useQuery(trpc.scheduling.waitlist.queryOptions({ siteId }));
  const entries = new Map((open.data ?? []).map((e) => [e.id, e]));
  const nameOf = (id: string) => catalog?.resources.find((r) => r.id === id)?.name ?? id;
  const customerName = (entryId: string) => entries.get(entryId)?.customerName ?? t('waitlist.candidates.unknown');
  const auto = outcome.offered;
  // While one of them holds the slot, it cannot be offered to another.
  const held = [...entries.values()].some((e) => holdsSlot(e, slot, now));

  return (
    <div className="foyer-inline-panel" data-testid="waitlist-candidates">
      <Flex vertical gap={8}>
        <Typography.Title level={5}>{t('waitlist.candidates.title')}</Typography.Title>
        <Typography.Text type="secondary">{formatSpan(slot.start, slot.end, language, timeZone)}</Typography.Text>
        {auto && (
          <Alert
            type="info"
            showIcon
            data-testid="waitlist-auto-offered"
            title={t('waitlist.candidates.autoOffered', { name: customerName(auto.entryId), until: formatTime(auto.expiresAt, language, timeZone) })}
          />
        )}
        {actions.error && <Alert type="error" showIcon title={actions.error} role="alert" data-testid="waitlist-candidates-error" />}
        <List
          size="small"
          dataSource={outcome.candidates}
          loading={open.isPending}
          renderItem={(c) => {
            const e = entries.get(c.entryId);
            return (
              <List.Item
                key={c.entryId}
                data-testid="waitlist-candidate"
                data-entry-id={c.entryId}
                actions={
                  e && desk.canWrite && !held && canOffer(e, now) && slot.start > now
                    ? [
                        <Button key="offer" size="small" type="primary" loading={actions.busy === `offer:${e.id}`} onClick={() => void actions.offer(e, slot)} data-testid="waitlist-candidate-offer">
                          {t('waitlist.candidates.offer')}
                        </Button>,
                      ]
                    : []
                }
              >
                <Flex vertical gap={2}>
                  <Space size={6} wrap>
                    <Typography.Text strong>{e?.customerName ?? t('waitlist.candidates.unknown')}</Typography.Text>
                    {e && (
                      <Typography.Text type="secondary" className="foyer-tabular">
                        {formatPhone(e.customerPhone)}
                      </Typography.Text>
                    )}
                    {c.urgent && <UrgentTag />}
                    {e && <EntryStateTag entry={e} now={now} />}
                  </Space>
                  {e && <Typography.Text type="secondary">{wishesText(t, e, language, nameOf)}</Typography.Text>}
                </Flex>
              </List.Item>
            );
          }}
        />
      </Flex>
    </div>
  );
}
