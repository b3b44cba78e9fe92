/**
 * Money is an integer amount of minor units (fen, cents) with an ISO 4217 currency code. Never a
 * float: 0.1 + 0.2 must not happen to a deposit.
 */
import { z } from 'zod';

const MINOR_DIGITS: Record<string, number> = { CNY: 2, USD: 2, EUR: 2, HKD: 2, JPY: 0, KRW: 0 };

export const Money = z.object({
  amountMinor: z.number().int('errors.money.notInteger').refine(Number.isSafeInteger, 'errors.money.tooLarge'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'errors.money.currency'),
});
export type Money = z.infer<typeof Money>;

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch ${a.currency} vs ${b.currency}`);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

/** Formats for display, e.g. `¥12.50` in zh-CN, `CN¥12.50` in en. */
export function formatMoney(m: Money, locale: string): string {
  const d = minorDigits(m.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: d,
    maximumFractionDigits: d,
  }).format(m.amountMinor / 10 ** d);
}
