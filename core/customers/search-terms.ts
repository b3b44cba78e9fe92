/**
 * Search keys for "search as you type". A customer is found by any substring of their name, of the
 * pinyin of a Chinese name (full or initials: `zs` finds 张三), of their phone digits or id number.
 * We index every suffix of each key; a substring query is then a prefix query over suffixes, which
 * a B-tree answers with one range scan, however short the query (one Chinese character is a
 * common query, and too short for trigram indexes).
 */
import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;

/** Lower-case, width-folded, single-spaced: the form both keys and queries are compared in. */
export function normalizeSearchText(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The pinyin of a name as syllables, surnames read as surnames (单 is shan, 曾 is zeng). */
export function pinyinSyllables(name: string): string[] {
  if (!HAN.test(name)) return [];
  return pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'removed', v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z]/g, ''))
    .filter((s) => s.length > 0);
}

export function searchKeys(c: { name: string; phone: string; nationalId: string | null }): string[] {
  const name = normalizeSearchText(c.name);
  const keys = new Set<string>([name]);
  if (name.includes(' ')) keys.add(name.replace(/ /g, ''));
  const syllables = pinyinSyllables(c.name);
  if (syllables.length > 0) {
    keys.add(syllables.join(''));
    keys.add(syllables.map((s) => s[0]).join(''));
  }
  keys.add(c.phone.replace(/\D/g, ''));
  if (c.nationalId) keys.add(c.nationalId.toLowerCase());
  return [...keys].filter((k) => k.length > 0);
}

/** Every suffix of every key, deduplicated: the rows of the search index for one customer. */
export function searchTerms(c: { name: string; phone: string; nationalId: string | null }): string[] {
  const terms = new Set<string>();
  for (const key of searchKeys(c)) {
    const chars = [...key];
    for (let i = 0; i < chars.length; i++) {
      if (chars[i] !== ' ') terms.add(chars.slice(i).join(''));
    }
  }
  return [...terms];
}

/**
 * The query as matched against terms: phone-like input ("138 1234-5678", "+86 138…") becomes its
 * digits; anything else is normalised text.
 */
export function normalizeQuery(q: string): string {
  const t = normalizeSearchText(q);
  if (/^[+\d][\d\s\-()]*$/.test(t)) return t.replace(/\D/g, '');
  return t;
}

/**
 * Orders matches the way a receptionist expects: exact name, name prefix, name substring, pinyin,
 * then phone, then id number; ties by name. Only called on rows the index already matched, so a
 * row that matched neither by name, phone nor id number matched by pinyin: we never compute
 * pinyin here (it is the costly part of ranking 200 candidates).
 */
export function matchRank(c: { name: string; phone: string; nationalId?: string | null }, query: string): number {
  const name = normalizeSearchText(c.name);
  if (name === query) return 0;
  if (name.startsWith(query)) return 1;
  if (name.includes(query) || name.replace(/ /g, '').includes(query)) return 2;
  if (c.phone.replace(/\D/g, '').includes(query)) return 4;
  if (c.nationalId?.toLowerCase().includes(query)) return 5;
  return 3;
}
