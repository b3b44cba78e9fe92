/**
 * What a receptionist does with a waitlist entry, wherever it is shown: offer it a slot (a hold
 * for the customer), book the offered slot through its hold, withdraw the offer (the entry waits
 * again), take the entry off the list. Each goes through the desk's one write path (the booking
 * questions answered by dialogs, the scheduling queries refreshed), says what happened, and keeps
 * a refusal's words for the caller to show.
 */
import { App } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WriteExtras } from '../calendar/booking-confirmations';
import { useCalendarDesk } from '../calendar/calendar-desk';
import { formatSpan, formatTime } from '../calendar/calendar-format';
import { placeError } from '../host/app-error';
import type { WaitlistEntry } from './types';
import { bookOfferArgsOf, type OfferSlot } from './waitlist-values';

type Named = Pick<WaitlistEntry, 'id' | 'customerName'>;

function expiresAtOf(result: unknown): number | null {
  return typeof result === 'object' && result !== null && 'expiresAt' in result && typeof result.expiresAt === 'number' ? result.expiresAt : null;
}

export interface WaitlistActions {
  /** `action:entryId` of the write on its way, for the button's spinner. */
  busy: string | null;
  error: string | null;
  offer(entry: Named, slot: OfferSlot): Promise<boolean>;
  book(entry: WaitlistEntry): Promise<boolean>;
  withdraw(entry: WaitlistEntry): Promise<boolean>;
  remove(entry: Named): Promise<boolean>;
}

export function useWaitlistActions(): WaitlistActions {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const desk = useCalendarDesk();
  const { write, mutate, language, timeZone } = desk;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(
    async (key: string, work: (extras: WriteExtras) => Promise<unknown>, said: (value: unknown) => string): Promise<boolean> => {
      if (busy) return false;
      setBusy(key);
      setError(null);
      try {
        const outcome = await write(work);
        if (outcome.ok) {
          void message.success(said(outcome.value));
          return true;
        }
        if (outcome.error) setError(placeError(t, outcome.error, () => null).general);
        return false;
      } finally {
        setBusy(null);
      }
    },
    [busy, write, message, t],
  );

  const span = useCallback((start: number, end: number) => formatSpan(start, end, language, timeZone), [language, timeZone]);

  const offer = useCallback(
    (entry: Named, slot: OfferSlot) =>
      run(
        `offer:${entry.id}`,
        () => mutate({ name: 'waitlist.offer', args: { id: entry.id, target: slot.target } }),
        (value) => {
          const until = expiresAtOf(value);
          return t('waitlist.offered', { time: span(slot.start, slot.end), name: entry.customerName, until: until === null ? '' : formatTime(until, language, timeZone) });
        },
      ),
    [run, mutate, t, span, language, timeZone],
  );

  const book = useCallback(
    async (entry: WaitlistEntry) => {
      const args = bookOfferArgsOf(entry);
      if (!args || !entry.offer) return false;
      const { start, end } = entry.offer;
      return run(
        `book:${entry.id}`,
        (extras) => mutate({ name: 'booking.create', args: { ...args, ...extras } }),
        () => t('waitlist.bookedFor', { name: entry.customerName, time: span(start, end) }),
      );
    },
    [run, mutate, t, span],
  );

  const withdraw = useCallback(
    async (entry: WaitlistEntry) => {
      if (!entry.offer) return false;
      const holdId = entry.offer.holdId;
      return run(`withdraw:${entry.id}`, () => mutate({ name: 'hold.release', args: { id: holdId } }), () => t('waitlist.withdrawn', { name: entry.customerName }));
    },
    [run, mutate, t],
  );

  const remove = useCallback(
    (entry: Named) => run(`remove:${entry.id}`, () => mutate({ name: 'waitlist.remove', args: { id: entry.id } }), () => t('waitlist.removed', { name: entry.customerName })),
    [run, mutate, t],
  );

  return { busy, error, offer, book, withdraw, remove };
}
