/**
 * Creates the app's i18next instance (one per window, made in main.tsx). Keys are flat, so both
 * separators are off: `errors.phone.invalid` is one key, not a path.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../core/i18n/messages';
import { resources } from './resources';

export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'zh-CN'],
    resources,
    keySeparator: false,
    nsSeparator: false,
    // React escapes what it renders; escaping here too would show &amp; in names.
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
