import { describe, expect, it } from 'vitest';
import { detectLanguage, languageOfLocale, searchWithoutLanguage } from './language';

describe('detectLanguage', () => {
  it('is forced by ?lang=', () => {
    expect(detectLanguage({ search: '?lang=en', stored: 'zh-CN', preferred: ['zh-CN'] })).toBe('en');
    expect(detectLanguage({ search: '?x=1&lang=zh-CN', stored: 'en', preferred: ['en-US'] })).toBe('zh-CN');
  });

  it('ignores an unsupported ?lang= and falls back to the stored choice', () => {
    expect(detectLanguage({ search: '?lang=fr', stored: 'zh-CN', preferred: ['en-US'] })).toBe('zh-CN');
  });

  it('uses the OS locale when nothing was chosen: any Chinese is zh-CN, the rest English', () => {
    expect(detectLanguage({ search: '', stored: null, preferred: ['zh-TW', 'en'] })).toBe('zh-CN');
    expect(detectLanguage({ search: '', stored: 'garbage', preferred: ['de-DE', 'zh-CN'] })).toBe('en');
    expect(detectLanguage({ search: '', stored: null, preferred: [] })).toBe('en');
  });

  it('maps locale tags', () => {
    expect(languageOfLocale('zh')).toBe('zh-CN');
    expect(languageOfLocale('zh-Hans-CN')).toBe('zh-CN');
    expect(languageOfLocale('zu')).toBe('en');
  });
});

describe('searchWithoutLanguage', () => {
  it('drops only the lang parameter', () => {
    expect(searchWithoutLanguage('?lang=en')).toBe('');
    expect(searchWithoutLanguage('?a=1&lang=en&b=2')).toBe('?a=1&b=2');
  });
});
