/**
 * The pure part of the keyboard-wedge hook: how the detector's decisions become "swallow this key",
 * text put back into the field, and scans. What a receptionist would notice: their typing arrives
 * complete and in order (with the Enter after it), a scanner's code arrives once and types nothing.
 */
import { describe, expect, it } from 'vitest';
import { KeyboardWedgeDetector, type KeyInput } from '../../../core/devices/keyboard-wedge';
import { spliceText, WedgeKeyRouter } from './use-keyboard-wedge';

/** A field the sink types into, and the keys that went through unswallowed (as the browser would type them). */
function harness() {
  let field = '';
  const scans: string[] = [];
  const router = new WedgeKeyRouter(new KeyboardWedgeDetector(), {
    insert: (text) => (field += text),
    scan: (code) => scans.push(code),
  });
  const press = (key: KeyInput): boolean => {
    const deadline = router.deadline;
    if (deadline !== undefined && deadline <= key.timeStamp) router.flush(deadline);
    const swallowed = router.key(key);
    if (!swallowed && [...key.key].length === 1) field += key.key;
    return swallowed;
  };
  return { router, press, scans, field: () => field };
}

const keys = (start: number, gap: number, text: string[]): KeyInput[] => text.map((key, i) => ({ key, timeStamp: start + i * gap }));

describe('WedgeKeyRouter', () => {
  it('swallows a scanner burst and its Enter and delivers the code once', () => {
    const h = harness();
    const swallowed = keys(1000, 6, [...'A1B2C3D4', 'Enter']).map(h.press);
    expect(swallowed.every(Boolean)).toBe(true);
    expect(h.scans).toEqual(['A1B2C3D4']);
    expect(h.field()).toBe('');
  });

  it('gives human typing back to the field in order, and lets Enter through after it', () => {
    const h = harness();
    const typed = keys(0, 120, [...'zhang', 'Enter']);
    const swallowed = typed.map(h.press);
    expect(swallowed.slice(0, 5)).toEqual([true, true, true, true, true]);
    expect(swallowed[5]).toBe(false);
    expect(h.field()).toBe('zhang');
    expect(h.scans).toEqual([]);
  });

  it('releases held keys when their deadline passes with no further key', () => {
    const h = harness();
    h.press({ key: 'x', timeStamp: 0 });
    expect(h.field()).toBe('');
    h.router.flush(10);
    expect(h.field()).toBe('');
    h.router.flush(30);
    expect(h.field()).toBe('x');
    expect(h.router.holding).toBe(false);
  });

  it('a short fast burst (a fast typist, a shortcut) is typing, not a scan', () => {
    const h = harness();
    keys(0, 5, [...'abc', 'Enter']).map(h.press);
    expect(h.scans).toEqual([]);
    expect(h.field()).toBe('abc');
  });

  it('puts held keys back before a Backspace acts on them', () => {
    const h = harness();
    h.press({ key: 'a', timeStamp: 0 });
    expect(h.press({ key: 'Backspace', timeStamp: 10 })).toBe(false);
    expect(h.field()).toBe('a');
  });

  it('reset hands back what is held', () => {
    const h = harness();
    keys(0, 5, [...'1234']).map(h.press);
    h.router.reset();
    expect(h.field()).toBe('1234');
    expect(h.router.deadline).toBeUndefined();
  });
});

describe('spliceText', () => {
  it('types over the selection and puts the caret after the text', () => {
    expect(spliceText('hello world', 6, 11, 'there')).toEqual({ value: 'hello there', caret: 11 });
    expect(spliceText('ab', 1, 1, 'X')).toEqual({ value: 'aXb', caret: 2 });
    expect(spliceText('ab', 9, 9, 'c')).toEqual({ value: 'abc', caret: 3 });
  });
});
