import { describe, expect, it } from 'vitest';
import { wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import { calendarDateOf, calendarMidnight, calendarMinutesOf, fromCalendarTime, hhmm, toCalendarTime } from './calendar-time';

const SH = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

describe('calendar time', () => {
  it('shows an instant at its wall-clock reading in the site zone, whatever the PC zone', () => {
    // 09:00 in Shanghai is 01:00Z; FullCalendar (in UTC) must draw it at 09:00.
    const nine = Date.UTC(2026, 10, 23, 1, 0);
    expect(new Date(toCalendarTime(nine, SH)).toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(fromCalendarTime(Date.UTC(2026, 10, 23, 9, 0), SH)).toBe(nine);
  });

  it('puts a late-evening UTC instant on the next local day', () => {
    // 2026-11-22 17:30Z is 01:30 on the 23rd in Shanghai.
    const t = toCalendarTime(Date.UTC(2026, 10, 22, 17, 30), SH);
    expect(calendarDateOf(t)).toBe('2026-11-23');
    expect(calendarMinutesOf(t)).toBe(90);
  });

  it('round-trips every quarter hour across a DST change, and keeps seconds', () => {
    const start = wallTimeToInstant('2026-03-28', 0, BERLIN);
    for (let i = 0; i < 4 * 48; i++) {
      const instant = start + i * 15 * 60_000;
      const back = fromCalendarTime(toCalendarTime(instant, BERLIN), BERLIN);
      expect(back).toBe(instant);
    }
    const withSeconds = start + 12_345;
    expect(fromCalendarTime(toCalendarTime(withSeconds, BERLIN), BERLIN)).toBe(withSeconds);
  });

  it('moves a time dropped in the spring-forward gap to the same time after it', () => {
    // Berlin 2026-03-29 02:30 does not exist; core reads it as 03:30 CEST (01:30Z).
    expect(new Date(fromCalendarTime(Date.UTC(2026, 2, 29, 2, 30), BERLIN)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads the fall-back hour as its first pass', () => {
    // Berlin 2026-10-25 02:30 happens twice; the calendar means the first (00:30Z).
    expect(new Date(fromCalendarTime(Date.UTC(2026, 9, 25, 2, 30), BERLIN)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('names dates and clock times', () => {
    expect(calendarMidnight('2026-11-23')).toBe(Date.UTC(2026, 10, 23));
    expect(hhmm(0)).toBe('00:00');
    expect(hhmm(9 * 60 + 5)).toBe('09:05');
    expect(hhmm(1440)).toBe('24:00');
  });
});
