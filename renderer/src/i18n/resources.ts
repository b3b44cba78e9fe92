/**
 * The i18next resources: the UI's own texts plus the error messages from core (the keys an
 * AppError carries), one flat namespace per language.
 */
import { errorMessages, type Language } from '../../../core/i18n/messages';
import { calendarTexts } from '../calendar/texts';
import { scheduleTexts } from '../schedules/texts';
import { syncTexts } from '../sync/texts';
import { waitlistTexts } from '../waitlist/texts';
import { en } from './en';
import { zhCN } from './zh-CN';

export const resources = {
  en: { translation: { ...en, ...calendarTexts.en, ...scheduleTexts.en, ...waitlistTexts.en, ...syncTexts.en, ...errorMessages.en } },
  'zh-CN': { translation: { ...zhCN, ...calendarTexts['zh-CN'], ...scheduleTexts['zh-CN'], ...waitlistTexts['zh-CN'], ...syncTexts['zh-CN'], ...errorMessages['zh-CN'] } },
} as const satisfies Record<Language, { translation: Record<string, string> }>;

type StripPlural<K> = K extends `${infer Base}_one` ? Base : K extends `${infer Base}_other` ? Base : K;

/** Every key the UI can translate, in the form `t()` takes (plural suffixes removed). */
export type TextKey = StripPlural<keyof (typeof resources)['en']['translation']>;

const known = new Set<string>(Object.keys(resources.en.translation).map((k) => k.replace(/_(one|other)$/, '')));

/** Whether a key that came from elsewhere (the host, an AppError) has a text. */
export function isTextKey(key: string): key is TextKey {
  return known.has(key);
}
