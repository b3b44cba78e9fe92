/**
 * How a waitlist entry reads wherever it is shown (the page, "find a slot", the candidates of a
 * freed slot): its wishes in one line, and its state as a tag — an open offer with the time its
 * hold has left, counting down.
 */
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../core/i18n/messages';
import { formatLocalDate } from '../calendar/calendar-format';
import type { WaitlistEntry } from './types';
import { countdown, entryState, weekdayName, type EntryState } from './waitlist-values';

const STATE_COLOURS: Record<EntryState, string> = { waiting: 'blue', offered: 'gold', lapsed: 'default', booked: 'green', removed: 'default' };

/** "Mon, Wed · Afternoon · with Dr Gao · until Fri, Dec 4, 2026". */
export function wishesText(t: TFunction, e: WaitlistEntry, language: Language, resourceName: (id: string) => string): string {
  const parts: string[] = [];
  if (e.preferredWeekdays.length > 0) parts.push(e.preferredWeekdays.map((d) => weekdayName(d, language)).join(', '));
  if (e.preferredPartsOfDay.length > 0) parts.push(e.preferredPartsOfDay.map((p) => t(`calendar.findSlot.part.${p}`)).join(', '));
  if (parts.length === 0) parts.push(t('waitlist.wish.anyTime'));
  if (e.preferredResourceId !== null) parts.push(t('waitlist.wish.with', { name: resourceName(e.preferredResourceId) }));
  const from = e.dateFrom === null ? null : formatLocalDate(e.dateFrom, language);
  const to = e.dateTo === null ? null : formatLocalDate(e.dateTo, language);
  if (from !== null && to !== null) parts.push(t('waitlist.wish.between', { from, to }));
  else if (from !== null) parts.push(t('waitlist.wish.from', { date: from }));
  else if (to !== null) parts.push(t('waitlist.wish.until', { date: to }));
  return parts.join(' · ');
}

export function EntryStateTag({ entry, now }: { entry: WaitlistEntry; now: number }) {
  const { t } = useTranslation();
  const state = entryState(entry, now);
  const text = state === 'offered' ? t('waitlist.state.offered', { left: countdown((entry.offerExpiresAt ?? now) - now) }) : t(`waitlist.state.${state}`);
  return (
    <Tag color={STATE_COLOURS[state]} data-testid="waitlist-state" data-state={state} className="foyer-tabular">
      {text}
    </Tag>
  );
}

export function UrgentTag() {
  const { t } = useTranslation();
  return (
    <Tag color="red" data-testid="waitlist-urgent">
      {t('waitlist.urgent')}
    </Tag>
  );
}
