/**
 * Which language the UI starts in: a `?lang=` URL parameter forces it (tests, a TV set up once);
 * otherwise the receptionist's last choice (localStorage); otherwise the OS/browser locale, where
 * any Chinese locale means zh-CN and everything else English.
 */
import { LANGUAGES, type Language } from '../../../core/i18n/messages';

export const LANGUAGE_STORAGE_KEY = 'foyer.language';
export const LANGUAGE_URL_PARAM = 'lang';

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** Maps a BCP 47 tag to one of ours: `zh`, `zh-TW`, `zh-Hans-CN` → zh-CN; anything else → en. */
export function languageOfLocale(tag: string): Language {
  return /^zh(-|_|$)/i.test(tag) ? 'zh-CN' : 'en';
}

export interface LanguageSources {
  /** `location.search`, e.g. `?lang=en`. */
  search: string;
  /** The stored choice, or null. */
  stored: string | null;
  /** `navigator.languages` (most preferred first). */
  preferred: readonly string[];
}

export function detectLanguage({ search, stored, preferred }: LanguageSources): Language {
  const forced = new URLSearchParams(search).get(LANGUAGE_URL_PARAM);
  if (isLanguage(forced)) return forced;
  if (isLanguage(stored)) return stored;
  const first = preferred[0];
  return first ? languageOfLocale(first) : 'en';
}

/** `search` without the `lang` parameter, so a reload honours the choice made in the header. */
export function searchWithoutLanguage(search: string): string {
  const params = new URLSearchParams(search);
  params.delete(LANGUAGE_URL_PARAM);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}
