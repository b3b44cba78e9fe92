/**
 * Typed translation keys: `t('customers.register')` is checked against en.ts and core's error
 * messages, so a misspelt key fails the type check instead of showing the key on screen.
 * Values are typed as plain strings so callers are not tied to the English wording.
 */
import 'i18next';
import type { resources } from './resources';

type Texts = { [K in keyof (typeof resources)['en']['translation']]: string };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    keySeparator: false;
    nsSeparator: false;
    resources: { translation: Texts };
  }
}
