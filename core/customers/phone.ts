/**
 * Phone numbers. A number without a country prefix is read as mainland China, where only mobile
 * numbers are accepted: 11 digits, `1[3-9]` then 9 digits. Anything else must be a valid
 * international number, which we store in E.164 (`+4420…`). libphonenumber-js (full metadata)
 * decides validity per country.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const CN_MOBILE = /^1[3-9]\d{9}$/;

export type PhoneCheck = { ok: true; e164: string } | { ok: false; key: string };

export function normalizePhone(input: string): PhoneCheck {
  const compact = input.replace(/[\s\-()]/g, '');
  if (compact === '') return { ok: false, key: 'errors.phone.required' };
  if (!/^(\+|00)?\d+$/.test(compact)) return { ok: false, key: 'errors.phone.invalid' };
  const intl = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : null;
  if (intl === null) {
    return CN_MOBILE.test(compact) ? { ok: true, e164: `+86${compact}` } : { ok: false, key: 'errors.phone.cnMobile' };
  }
  if (intl.startsWith('+86')) {
    return CN_MOBILE.test(intl.slice(3)) ? { ok: true, e164: intl } : { ok: false, key: 'errors.phone.cnMobile' };
  }
  const parsed = parsePhoneNumberFromString(intl);
  if (!parsed || !parsed.isValid()) return { ok: false, key: 'errors.phone.invalid' };
  return { ok: true, e164: parsed.number };
}

/** How a stored E.164 number is shown: `138 1234 5678` for China, international format otherwise. */
export function formatPhone(e164: string): string {
  if (e164.startsWith('+86') && e164.length === 14) {
    const n = e164.slice(3);
    return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
  }
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
