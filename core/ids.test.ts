import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { createIdSource, isUuid } from './ids';

const counterRandom = () => {
  let n = 0;
  return (len: number) => Uint8Array.from({ length: len }, () => n++ & 0xff);
};

describe('UUIDv7 ids', () => {
  it('are valid version-7 UUIDs carrying the clock time', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 22));
    const id = createIdSource(clock, counterRandom()).newId();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(clock.now());
  });

  it('increase strictly within one millisecond and when the clock steps back', () => {
    const clock = new ManualClock(1_000_000);
    const ids = createIdSource(clock, counterRandom());
    const made: string[] = [];
    for (let i = 0; i < 1000; i++) made.push(ids.newId());
    clock.set(999_000);
    for (let i = 0; i < 10; i++) made.push(ids.newId());
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });
});
