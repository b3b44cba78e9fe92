/**
 * The keyboard-wedge detector: examples for each rule, and properties with fast-check: human
 * typing (keys ≥ 80 ms apart) is never captured and reaches the field unchanged and in order; a
 * scanner burst between human typing is captured exactly once with its exact code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyboardWedgeDetector, type KeyInput, type WedgeDecision } from './keyboard-wedge';

/**
 * Feeds the keys as a renderer would (flushing at each deadline before the next key) and returns
 * what reached the field (keys, in order) and the scans.
 */
function run(keys: readonly KeyInput[], detector = new KeyboardWedgeDetector()): { typed: string[]; scans: string[]; decisions: WedgeDecision[][] } {
  const typed: string[] = [];
  const scans: string[] = [];
  const decisions: WedgeDecision[][] = [];
  const apply = (ds: WedgeDecision[], key?: KeyInput) => {
    for (const d of ds) {
      if (d.kind === 'pass' && key !== undefined) typed.push(key.key);
      else if (d.kind === 'release') typed.push(...d.keys.map((k) => k.key));
      else if (d.kind === 'scan') scans.push(d.code);
    }
  };
  for (const key of keys) {
    const deadline = detector.deadline;
    if (deadline !== undefined && deadline <= key.timeStamp) apply(detector.flush(deadline));
    const ds = detector.push(key);
    decisions.push(ds);
    apply(ds, key);
  }
  apply(detector.flush(Number.MAX_SAFE_INTEGER));
  return { typed, scans, decisions };
}

function at(times: number[], keys: string[]): KeyInput[] {
  return keys.map((key, i) => ({ key, timeStamp: times[i]! }));
}

function evenly(start: number, gap: number, keys: string[]): KeyInput[] {
  return keys.map((key, i) => ({ key, timeStamp: start + i * gap }));
}

describe('keyboard-wedge detector', () => {
  it('a burst of characters ending in Enter is one scan; nothing of it reaches the field', () => {
    const keys = evenly(1000, 8, [...'6901234567892', 'Enter']);
    const { typed, scans, decisions } = run(keys);
    expect(scans).toEqual(['6901234567892']);
    expect(typed).toEqual([]);
    expect(decisions.slice(0, -1).every((d) => d.length === 1 && d[0]!.kind === 'buffer')).toBe(true);
    expect(decisions.at(-1)).toEqual([{ kind: 'scan', code: '6901234567892' }]);
  });

  it('human typing is held for at most the gap, then released unchanged', () => {
    const d = new KeyboardWedgeDetector();
    expect(d.push({ key: 'z', timeStamp: 0 })).toEqual([{ kind: 'buffer' }]);
    expect(d.deadline).toBe(30);
    expect(d.flush(29)).toEqual([]);
    expect(d.flush(30)).toEqual([{ kind: 'release', keys: [{ key: 'z', timeStamp: 0 }] }]);
    // a key after a human gap releases the one before and is held itself
    d.push({ key: 'h', timeStamp: 100 });
    expect(d.push({ key: 'i', timeStamp: 220 })).toEqual([{ kind: 'release', keys: [{ key: 'h', timeStamp: 100 }] }, { kind: 'buffer' }]);
    expect(d.push({ key: 'Enter', timeStamp: 400 })).toEqual([{ kind: 'release', keys: [{ key: 'i', timeStamp: 220 }] }, { kind: 'pass' }]);
  });

  it('a fast burst that is too short, or not ended by Enter in time, is typing', () => {
    expect(run(evenly(0, 5, [...'ABCDE', 'Enter']))).toMatchObject({ scans: [], typed: [...'ABCDE', 'Enter'] });
    const late = [...evenly(0, 5, [...'ABCDEFGH']), { key: 'Enter', timeStamp: 35 + 60 }];
    expect(run(late)).toMatchObject({ scans: [], typed: [...'ABCDEFGH', 'Enter'] });
    const broken = at([0, 5, 10, 60, 65, 70, 75, 80], [...'ABCDEFG', 'Enter']);
    expect(run(broken)).toMatchObject({ scans: [], typed: [...'ABCDEFG', 'Enter'] });
  });

  it('Shift inside a burst (upper-case letters) neither breaks it nor becomes part of the code', () => {
    const keys = at([0, 1, 6, 12, 13, 18, 24, 30, 36], ['Shift', 'M', 'E', 'M', 'Shift', '-', '0', '4', '2']);
    const { scans } = run([...keys, { key: 'Enter', timeStamp: 40 }]);
    expect(scans).toEqual(['MEM-042']);
  });

  it('a shortcut or an editing key releases held keys and passes itself', () => {
    const d = new KeyboardWedgeDetector();
    d.push({ key: 'a', timeStamp: 0 });
    expect(d.push({ key: 'v', timeStamp: 5, ctrlKey: true })).toEqual([{ kind: 'release', keys: [{ key: 'a', timeStamp: 0 }] }, { kind: 'pass' }]);
    d.push({ key: 'b', timeStamp: 10 });
    expect(d.push({ key: 'Backspace', timeStamp: 15 })).toEqual([{ kind: 'release', keys: [{ key: 'b', timeStamp: 10 }] }, { kind: 'pass' }]);
    expect(d.push({ key: 'Process', timeStamp: 200 })).toEqual([{ kind: 'pass' }]); // IME composition
    d.push({ key: 'c', timeStamp: 300 });
    expect(d.reset()).toEqual([{ kind: 'release', keys: [{ key: 'c', timeStamp: 300 }] }]);
  });

  it('a custom terminator (Tab) and a smaller minimum', () => {
    const d = new KeyboardWedgeDetector({ terminators: ['Tab'], minLength: 3 });
    const { scans } = run(evenly(0, 4, [...'A12', 'Tab']), d);
    expect(scans).toEqual(['A12']);
  });

  const CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/.:?=& 张王李号'];
  const humanKey = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...CHARS) },
    { weight: 1, arbitrary: fc.constantFrom('Enter', 'Backspace', 'Tab', 'ArrowLeft', 'Shift', 'Process') },
  );
  const humanTyping = (start: number) =>
    fc
      .array(fc.tuple(humanKey, fc.integer({ min: 80, max: 2000 })), { maxLength: 40 })
      .map((pairs) => {
        let t = start;
        return pairs.map(([key, gap]) => {
          t += gap;
          return { key, timeStamp: t };
        });
      });

  it('property: human typing (keys ≥ 80 ms apart) is never captured and reaches the field unchanged, in order', () => {
    fc.assert(
      fc.property(humanTyping(0), (keys) => {
        const { typed, scans } = run(keys);
        expect(scans).toEqual([]);
        expect(typed).toEqual(keys.map((k) => k.key));
      }),
      { numRuns: 500 },
    );
  });

  it('property: a scanner burst between human typing is captured exactly once, with its exact code', () => {
    const burst = fc.tuple(
      fc.array(fc.constantFrom(...CHARS.filter((c) => c !== ' ')), { minLength: 6, maxLength: 64 }),
      fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 65, maxLength: 65 }),
    );
    fc.assert(
      fc.property(humanTyping(0), burst, humanTyping(0), fc.integer({ min: 80, max: 1000 }), (before, [code, gaps], after, pause) => {
        let t = (before.at(-1)?.timeStamp ?? 0) + pause;
        const scan: KeyInput[] = code.map((key, i) => {
          if (i > 0) t += gaps[i]!;
          return { key, timeStamp: t };
        });
        t += gaps[64]!;
        scan.push({ key: 'Enter', timeStamp: t });
        const shift = t + pause;
        const later = after.map((k) => ({ ...k, timeStamp: k.timeStamp + shift }));
        const { typed, scans } = run([...before, ...scan, ...later]);
        expect(scans).toEqual([code.join('')]);
        expect(typed).toEqual([...before, ...later].map((k) => k.key));
      }),
      { numRuns: 500 },
    );
  });
});
