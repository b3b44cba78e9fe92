/**
 * "Find a slot" for a waitlist entry: the next free times that suit its wishes, each with "Offer"
 * (a hold for the customer, waitlist.offer). Appointments come from the host's findSlots (the same
 * engine and busy data the booking mutator checks), classes from the calendar's sessions with a
 * seat free; both are kept only where core's waitlist matching would pick the entry.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Drawer, Empty, Flex, List, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { localDateOf } from '../../../core/time';
import { useCalendarDesk } from '../calendar/calendar-desk';
import { formatSpan } from '../calendar/calendar-format';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import type { WaitlistEntry } from './types';
import { wishesText } from './waitlist-labels';
import { useWaitlistActions } from './use-waitlist-actions';
import { findSlotsInputOf, freedSlotOf, sessionsForEntry, sessionWindowOf, slotsForEntry, type OfferSlot } from './waitlist-values';

/** Free times listed at once. */
const SHOWN = 8;

export function WaitlistSlotsDrawer({ entry, onClose }: { entry: WaitlistEntry | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={entry !== null}
      onClose={onClose}
      size={520}
      destroyOnHidden
      title={entry ? t('waitlist.slots.title', { name: entry.customerName }) : ''}
      data-testid="waitlist-slots"
    >
      {entry && <Slots key={entry.id} entry={entry} onOffered={onClose} />}
    </Drawer>
  );
}

interface Option {
  key: string;
  slot: OfferSlot;
  detail: string;
  seatsLeft: number | null;
}

function Slots({ entry, onOffered }: { entry: WaitlistEntry; onOffered(): void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const desk = useCalendarDesk();
  const { catalog, language, timeZone, siteId } = desk;
  const actions = useWaitlistActions();
  const now = useNow();
  const input = findSlotsInputOf(entry, siteId, localDateOf(now, timeZone));
  const isClass = (catalog?.services.find((s) => s.id === entry.serviceId)?.seats ?? 1) > 1;
  const nameOf = (id: string) => catalog?.resources.find((r) => r.id === id)?.name ?? id;

  const slots = useQuery({ ...trpc.scheduling.findSlots.queryOptions(input ?? { siteId, serviceId: entry.serviceId }), enabled: input !== null && !isClass && catalog !== undefined });
  const window = input ? sessionWindowOf(input) : { from: '', to: '' };
  const sessions = useQuery({ ...trpc.scheduling.calendar.queryOptions({ siteId, ...window }), enabled: input !== null && isClass });
  const source = isClass ? sessions : slots;

  const options: Option[] = isClass
    ? sessionsForEntry(sessions.data?.sessions ?? [], entry, timeZone, now, SHOWN).map((s) => ({
        key: s.id,
        slot: freedSlotOf({ start: s.start, end: s.end, resourceIds: [], sessionId: s.id }),
        detail: [s.coachId, ...(s.roomId === null ? [] : [s.roomId])].map(nameOf).join(' · '),
        seatsLeft: s.capacity - s.taken,
      }))
    : slotsForEntry(slots.data ?? [], entry, timeZone, SHOWN).map((s) => ({
        key: `${s.start}:${s.resourceIds.join(',')}`,
        slot: freedSlotOf({ ...s, sessionId: null }),
        detail: s.resourceIds.map(nameOf).join(' · '),
        seatsLeft: null,
      }));

  const offer = async (o: Option) => {
    if (await actions.offer(entry, o.slot)) onOffered();
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary">{wishesText(t, entry, language, nameOf)}</Typography.Text>
      {actions.error && <Alert type="error" showIcon title={actions.error} role="alert" data-testid="waitlist-slots-error" />}
      {input === null ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('waitlist.slots.over')} data-testid="waitlist-slots-empty" />
      ) : source.isPending ? (
        <Skeleton active />
      ) : source.isError ? (
        <Alert type="error" showIcon title={messageOf(t, appErrorOf(source.error).key, appErrorOf(source.error).params)} role="alert" />
      ) : options.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('waitlist.slots.none', { days: input.days ?? 0 })} data-testid="waitlist-slots-empty" />
      ) : (
        <List
          aria-label={t('waitlist.slots.results')}
          dataSource={options}
          renderItem={(o) => (
            <List.Item
              key={o.key}
              data-testid="waitlist-slot"
              data-start={o.slot.start}
              actions={
                desk.canWrite
                  ? [
                      <Button key="offer" type="primary" size="small" loading={actions.busy === `offer:${entry.id}`} onClick={() => void offer(o)} data-testid="waitlist-slot-offer">
                        {t('waitlist.slots.offer')}
                      </Button>,
                    ]
                  : []
              }
            >
              <Flex vertical>
                <Typography.Text strong>{formatSpan(o.slot.start, o.slot.end, language, timeZone)}</Typography.Text>
                <Flex gap={8} align="center">
                  <Typography.Text type="secondary">{o.detail}</Typography.Text>
                  {o.seatsLeft !== null && <Tag color="green">{t('waitlist.slots.seatsLeft', { count: o.seatsLeft })}</Tag>}
                </Flex>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Flex>
  );
}
