import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorMessages, formatMessage } from './messages';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('error messages', () => {
  it('exist in every language for the same keys', () => {
    expect(Object.keys(errorMessages['zh-CN']).sort()).toEqual(Object.keys(errorMessages.en).sort());
  });

  it('cover every message key the domain and the host use', () => {
    const root = path.resolve(__dirname, '..', '..');
    const used = new Set<string>();
    for (const dir of ['core', 'electron/host', 'devices', 'sync', 'server']) {
      if (!existsSync(path.join(root, dir))) continue;
      for (const f of sourceFiles(path.join(root, dir))) {
        for (const m of readFileSync(f, 'utf8').matchAll(/['"](errors\.[A-Za-z.]+)['"]/g)) used.add(m[1]!);
      }
    }
    const missing = [...used].filter((k) => !(k in errorMessages.en));
    expect(missing).toEqual([]);
  });

  it('fill in parameters', () => {
    expect(formatMessage('zh-CN', 'errors.customer.phoneTaken', { name: '张三' })).toBe('该手机号已被客户 张三 使用。');
    expect(formatMessage('en', 'errors.customer.phoneTaken', { name: 'Ann' })).toBe('This phone number already belongs to Ann.');
  });
});
