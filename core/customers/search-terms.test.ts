import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchRank, normalizeQuery, pinyinSyllables, searchTerms } from './search-terms';

function finds(c: { name: string; phone: string; nationalId: string | null }, query: string): boolean {
  const q = normalizeQuery(query);
  return searchTerms(c).some((t) => t.startsWith(q));
}

const zhangSan = { name: '张三', phone: '+8613812345678', nationalId: null };

describe('customer search terms', () => {
  it('finds Chinese names by characters, full pinyin and pinyin initials', () => {
    for (const q of ['张', '三', '张三', 'zs', 'zhang', 'zhangsan', 'san']) expect(finds(zhangSan, q)).toBe(true);
    expect(finds(zhangSan, 'ls')).toBe(false);
  });

  it('reads surnames as surnames', () => {
    expect(pinyinSyllables('单雄信')[0]).toBe('shan');
    expect(pinyinSyllables('曾小贤')[0]).toBe('zeng');
  });

  it('finds phone numbers by any run of digits, whatever the separators typed', () => {
    for (const q of ['138', '5678', '1234 5678', '138-1234', '+86 138', '13812345678']) expect(finds(zhangSan, q)).toBe(true);
    expect(finds(zhangSan, '9999')).toBe(false);
  });

  it('finds every substring of a name, case-insensitively (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z]{1,10}( [A-Za-z]{1,10})?$/),
        fc.nat(),
        fc.nat(),
        (name, a, b) => {
          const start = a % name.length;
          const end = start + 1 + (b % (name.length - start));
          const sub = name.slice(start, end);
          if (sub.trim() === '') return true;
          return finds({ name, phone: '+8613800000000', nationalId: null }, sub);
        },
      ),
    );
  });

  it('ranks an exact name above a prefix, a substring, pinyin, phone and id matches', () => {
    expect(matchRank({ name: 'Ann', phone: '+8613800000000' }, 'ann')).toBe(0);
    expect(matchRank({ name: 'Anna Li', phone: '+8613800000000' }, 'ann')).toBe(1);
    expect(matchRank({ name: 'Joanna', phone: '+8613800000000' }, 'ann')).toBe(2);
    expect(matchRank({ name: '张三', phone: '+8613800000000' }, 'zs')).toBe(3);
    expect(matchRank({ name: '张三', phone: '+8613812345678' }, '5678')).toBe(4);
    expect(matchRank({ name: '张三', phone: '+8613800000000', nationalId: '11010519491231002X' }, '1231002x')).toBe(5);
  });
});
