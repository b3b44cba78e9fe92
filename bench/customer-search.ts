/**
 * customer-search: `searchCustomers(replica, organizationId, query)` — the function behind the
 * `customers.search` tRPC procedure, with its default page size of 50 — over 100,000 customers
 * in a real replica file, for a mix of what receptionists type. Target: p50 < 5 ms, p99 < 20 ms.
 */
import { CN_SURNAMES } from '../electron/host/seed/names';
import { prng } from '../electron/host/seed/demo';
import { pinyinSyllables } from '../core/customers/search-terms';
import { searchCustomers } from '../electron/host/replica/customers.queries';
import { seededReplica } from './lib/replica';
import { msBetween, roundSig, summarize } from './lib/stats';
import type { Replica } from '../electron/host/replica/replica';
import type { Benchmark, ClassFigure, Log } from './lib/types';

const CUSTOMERS = 100_000;
const WARMUP = 100;
const TIMED = 2_000;

/** Share of each kind of query in the mix (percent). */
const MIX = {
  'cn-surname': 15, // one Chinese character: 张, 王
  'cn-name': 25, // a 2-3 character Chinese name, or the first two characters of a 3-character one
  'pinyin-initials': 15, // zs, wf, lxy
  'en-substring': 10, // ann, smi: 3-4 letters of an English first or last name
  'phone-digits': 30, // 3-11 digits from the start or the end of a stored number
  'no-match': 5,
} as const;
export type QueryClass = keyof typeof MIX;

const NO_MATCH = ['qqxz', 'zzzzq', 'xyzzy', '龘', '饕餮', '鑫鑫鑫', '00000000', '1000000000'];
const HAN = /\p{Script=Han}/u;

export interface Query {
  cls: QueryClass;
  q: string;
}

function queryMaker(names: { cn: string[]; en: string[] }, phoneDigits: string[], noMatch: string[], seed: number): () => Query {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const singleSurnames = CN_SURNAMES.filter((s) => [...s].length === 1);
  const classes = Object.entries(MIX) as [QueryClass, number][];
  const total = classes.reduce((s, [, w]) => s + w, 0);
  const make: Record<QueryClass, () => string> = {
    'cn-surname': () => (rnd() < 0.3 ? pick(['张', '王']) : pick(singleSurnames)),
    'cn-name': () => {
      for (;;) {
        const chars = [...pick(names.cn)];
        if (chars.length === 2) return chars.join('');
        if (chars.length === 3) return (rnd() < 0.3 ? chars.slice(0, 2) : chars).join('');
      }
    },
    'pinyin-initials': () => {
      const initials = pinyinSyllables(pick(names.cn))
        .map((s) => s[0])
        .join('');
      return rnd() < 0.3 ? initials.slice(0, 2) : initials;
    },
    'en-substring': () => {
      if (rnd() < 0.2) return pick(['ann', 'smi']);
      const word = pick(pick(names.en).toLowerCase().split(' '));
      const len = Math.min(word.length, 3 + Math.floor(rnd() * 2));
      const at = rnd() < 0.6 ? 0 : Math.floor(rnd() * (word.length - len + 1));
      return word.slice(at, at + len);
    },
    'phone-digits': () => {
      const d = pick(phoneDigits);
      const len = Math.min(d.length, 3 + Math.floor(rnd() * 9));
      return rnd() < 0.5 ? d.slice(0, len) : d.slice(d.length - len);
    },
    'no-match': () => pick(noMatch),
  };
  return () => {
    let x = rnd() * total;
    for (const [cls, w] of classes) {
      x -= w;
      if (x < 0) return { cls, q: make[cls]() };
    }
    return { cls: 'no-match', q: make['no-match']() };
  };
}

/**
 * The warm-up and timed query lists for a seeded replica, drawn from its own names and phones
 * (deterministic for a given replica). No-match candidates that do match something are dropped.
 */
export async function queryLists(replica: Replica, org: string, log: Log): Promise<{ warmup: Query[]; timed: Query[] }> {
  const rows = replica.sqlite.prepare<[], { name: string; phone: string }>('SELECT name, phone FROM customers ORDER BY id').all();
  const names = { cn: rows.filter((r) => HAN.test(r.name)).map((r) => r.name), en: rows.filter((r) => !HAN.test(r.name)).map((r) => r.name) };
  // The digits a receptionist would type: the national number for China, all digits otherwise.
  const phoneDigits = rows.map((r) => (r.phone.startsWith('+86') ? r.phone.slice(3) : r.phone.slice(1)));
  const noMatch: string[] = [];
  for (const q of NO_MATCH) {
    if ((await searchCustomers(replica, org, q)).items.length === 0) noMatch.push(q);
    else log(`dropped no-match query ${q}: it matches`);
  }
  return {
    warmup: Array.from({ length: WARMUP }, queryMaker(names, phoneDigits, noMatch, 1)),
    timed: Array.from({ length: TIMED }, queryMaker(names, phoneDigits, noMatch, 2)),
  };
}

const bench: Benchmark = {
  name: 'customer-search',
  async run(log: Log) {
    const seeded = await seededReplica(CUSTOMERS, log, { reuse: true });
    try {
      const { replica, actor } = seeded;
      const org = actor.organizationId;
      const { warmup, timed } = await queryLists(replica, org, log);
      for (const { q } of warmup) await searchCustomers(replica, org, q);

      const all: number[] = [];
      const byClass = new Map<QueryClass, { ms: number[]; hits: number }>();
      for (const { cls, q } of timed) {
        const t0 = process.hrtime.bigint();
        const r = await searchCustomers(replica, org, q);
        const ms = msBetween(t0, process.hrtime.bigint());
        all.push(ms);
        const c = byClass.get(cls) ?? { ms: [], hits: 0 };
        c.ms.push(ms);
        c.hits += r.items.length;
        byClass.set(cls, c);
      }

      const s = summarize(all);
      const classes: Record<string, ClassFigure> = {};
      for (const cls of Object.keys(MIX) as QueryClass[]) {
        const c = byClass.get(cls);
        if (!c) continue;
        const cs = summarize(c.ms);
        classes[cls] = { p50: roundSig(cs.p50), p99: roundSig(cs.p99), samples: cs.samples, hits: roundSig(c.hits / cs.samples) };
        log(`${cls.padEnd(16)} n=${String(cs.samples).padStart(4)}  p50 ${cs.p50.toFixed(2)} ms  p99 ${cs.p99.toFixed(2)} ms  max ${cs.max.toFixed(1)} ms  mean hits ${(c.hits / cs.samples).toFixed(1)}`);
      }
      log(`all              n=${s.samples}  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  max ${s.max.toFixed(1)} ms`);
      return [
        {
          name: 'customer-search',
          unit: 'ms',
          p50: roundSig(s.p50),
          p99: roundSig(s.p99),
          target: { p50: 5, p99: 20 },
          samples: s.samples,
          byClass: classes,
        },
      ];
    } finally {
      await seeded.close();
    }
  },
};
export default bench;
