/**
 * The UI language and the switch in the header. A choice is remembered on this PC and overrides
 * a `?lang=` that forced the language at load (the parameter is dropped from the URL).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../core/i18n/messages';
import { isLanguage, LANGUAGE_STORAGE_KEY, searchWithoutLanguage } from './language';

export function useLanguage(): { language: Language; setLanguage(language: Language): void } {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
  const setLanguage = useCallback(
    (next: Language) => {
      void i18n.changeLanguage(next);
      try {
        window.localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
      } catch {
        // Storage can be unavailable (private mode, full disk); the choice then lasts this session.
      }
      const search = searchWithoutLanguage(window.location.search);
      if (search !== window.location.search) {
        window.history.replaceState(window.history.state, '', window.location.pathname + search + window.location.hash);
      }
    },
    [i18n],
  );
  return { language, setLanguage };
}
