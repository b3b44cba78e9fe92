import { describe, expect, it } from 'vitest';
import { formatLocalDate, formatSpan, formatTime } from './calendar-format';
import { at, SH } from './calendar.fixtures';

describe('calendar formats', () => {
  it('reads times in the site zone on a 24-hour clock in both languages', () => {
    expect(formatTime(at('14:05'), 'en', SH)).toBe('14:05');
    expect(formatTime(at('09:30'), 'zh-CN', SH)).toBe('09:30');
    expect(formatTime(at('09:30'), 'en', 'Europe/London')).toBe('01:30');
  });

  it('writes a span with its day once', () => {
    expect(formatSpan(at('09:00'), at('09:30'), 'en', SH)).toBe('Mon, Nov 23, 2026 09:00–09:30');
    expect(formatSpan(at('23:30'), at('00:30', '2026-11-24'), 'en', SH)).toBe('Mon, Nov 23, 2026 23:30–Tue, Nov 24, 2026 00:30');
  });

  it('writes a calendar date as it is, whatever the zone', () => {
    expect(formatLocalDate('2026-11-23', 'en')).toBe('Mon, Nov 23, 2026');
    expect(formatLocalDate('2026-11-23', 'zh-CN')).toBe('2026年11月23日周一');
  });
});
