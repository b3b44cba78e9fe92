/**
 * Chinese resident identity numbers (GB 11643-1999): 17 digits and a check character.
 * Digits 1-6: region; 7-14: birth date YYYYMMDD; 15-17: sequence (the 17th is odd for men);
 * 18: ISO 7064 MOD 11-2 check, 0-9 or X. We check shape, a real birth date and the checksum.
 */
import { isRealDate } from '../time';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function nationalIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type NationalIdCheck = { ok: true; value: string; birthDate: string } | { ok: false; key: string };

export function checkNationalId(input: string): NationalIdCheck {
  const v = input.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(v)) return { ok: false, key: 'errors.nationalId.format' };
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (!isRealDate(birthDate) || birthDate < '1900-01-01') return { ok: false, key: 'errors.nationalId.birthDate' };
  if (nationalIdCheckChar(v.slice(0, 17)) !== v[17]) return { ok: false, key: 'errors.nationalId.checksum' };
  return { ok: true, value: v, birthDate };
}
