import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../core/i18n/messages';
import { createI18n } from './i18n';
import { resources } from './resources';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Keys with plural suffixes folded to their base, as a receptionist would see them: one text each. */
function baseKeys(table: Record<string, string>): string[] {
  return [...new Set(Object.keys(table).map((k) => k.replace(PLURAL, '')))].sort();
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();
}

describe('UI texts', () => {
  const en: Record<string, string> = resources.en.translation;
  const zh: Record<string, string> = resources['zh-CN'].translation;

  it('has exactly the same keys in every language', () => {
    expect(baseKeys(zh)).toEqual(baseKeys(en));
  });

  it('has every plural form each language needs, and no others', () => {
    for (const lang of LANGUAGES) {
      const table: Record<string, string> = resources[lang].translation;
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const plurals = new Set(Object.keys(table).filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
      for (const base of plurals) {
        const forms = Object.keys(table)
          .filter((k) => k.replace(PLURAL, '') === base && k !== base)
          .map((k) => k.slice(base.length + 1))
          .sort();
        expect({ lang, base, forms }).toEqual({ lang, base, forms: [...needed].sort() });
      }
    }
  });

  it('uses the same placeholders in every language', () => {
    for (const key of baseKeys(en)) {
      const enForms = Object.keys(en).filter((k) => k.replace(PLURAL, '') === key);
      const zhForms = Object.keys(zh).filter((k) => k.replace(PLURAL, '') === key);
      const enVars = [...new Set(enForms.flatMap((k) => placeholders(en[k] ?? '')))].sort();
      const zhVars = [...new Set(zhForms.flatMap((k) => placeholders(zh[k] ?? '')))].sort();
      expect({ key, vars: zhVars }).toEqual({ key, vars: enVars });
    }
  });

  it('has no empty texts', () => {
    for (const lang of LANGUAGES) {
      const table: Record<string, string> = resources[lang].translation;
      for (const [key, text] of Object.entries(table)) expect({ lang, key, empty: text.trim() === '' }).toEqual({ lang, key, empty: false });
    }
  });

  it('formats plurals and core error messages in both languages', () => {
    const i18n = createI18n('en');
    expect(i18n.t('outbox.pending', { count: 1 })).toBe('1 change waiting to sync');
    expect(i18n.t('outbox.pending', { count: 12 })).toBe('12 changes waiting to sync');
    expect(i18n.t('errors.customer.phoneTaken', { name: '张三' })).toBe('This phone number already belongs to 张三.');
    void i18n.changeLanguage('zh-CN');
    expect(i18n.t('outbox.pending', { count: 12 })).toBe('12 项更改待同步');
    expect(i18n.t('errors.customer.phoneTaken', { name: '张三' })).toBe('该手机号已被客户 张三 使用。');
  });
});
