import { describe, expect, it } from 'vitest';
import { ageOn, formatRecent } from './format';

describe('ageOn', () => {
  it('counts whole years, birthdays included', () => {
    expect(ageOn('1990-05-20', '2025-05-19')).toBe(34);
    expect(ageOn('1990-05-20', '2025-05-20')).toBe(35);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2030-01-01', '2025-01-01')).toBeNull();
  });
});

describe('formatRecent', () => {
  const todayAt = (time: string) => `Today ${time}`;
  // 2025-11-22 01:30 UTC is 09:30 in Shanghai, the same calendar day as 15:59 UTC.
  const now = Date.UTC(2025, 10, 22, 15, 59);

  it('shows the time for an instant earlier today in the site zone', () => {
    expect(formatRecent(Date.UTC(2025, 10, 22, 1, 30), now, 'en', 'Asia/Shanghai', todayAt)).toBe('Today 9:30 AM');
  });

  it('shows the date for an earlier day, judged in the site zone, not UTC', () => {
    // 2025-11-21 16:30 UTC is already the 22nd in Shanghai.
    expect(formatRecent(Date.UTC(2025, 10, 21, 16, 30), now, 'zh-CN', 'Asia/Shanghai', todayAt)).toBe('Today 00:30');
    expect(formatRecent(Date.UTC(2025, 10, 21, 15, 30), now, 'zh-CN', 'Asia/Shanghai', todayAt)).toBe('2025年11月21日');
  });
});
