import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  dateOfDay,
  dayLengthMinutes,
  dayNumber,
  daysBetween,
  instantToWall,
  localMidnight,
  wallBoundaryToInstant,
  wallTimeToInstant,
  weekdayOf,
  ZoneTimeline,
} from './zoned-time';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const SHANGHAI = 'Asia/Shanghai';
const utc = (iso: string) => Date.parse(iso);

describe('calendar dates', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2026-03-01', '2026-02-01')).toBe(-28);
  });

  it('gives ISO weekdays, Monday 1 to Sunday 7', () => {
    expect(weekdayOf('2026-02-14')).toBe(6); // the 2026 Spring Festival make-up Saturday
    expect(weekdayOf('2026-03-29')).toBe(7);
    expect(weekdayOf('2026-03-30')).toBe(1);
    expect(weekdayOf('1970-01-01')).toBe(4);
  });

  it('refuses dates that do not exist and times outside the day', () => {
    expect(() => dayNumber('2026-02-29')).toThrow(RangeError);
    expect(() => dayNumber('2026-2-1')).toThrow(RangeError);
    expect(() => wallTimeToInstant('2026-03-02', 1441, BERLIN)).toThrow(RangeError);
    expect(() => wallBoundaryToInstant('2026-03-02', -1, BERLIN)).toThrow(RangeError);
  });

  it('agrees with Date.UTC on day numbers and weekdays (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const d = new Date(n * 86_400_000);
        const date = d.toISOString().slice(0, 10);
        expect(dateOfDay(n)).toBe(date);
        expect(dayNumber(date)).toBe(n);
        expect(weekdayOf(date)).toBe(d.getUTCDay() === 0 ? 7 : d.getUTCDay());
      }),
    );
  });
});

describe('Europe/Berlin', () => {
  it('moves a wall time in the spring-forward gap forward by the gap (02:30 → 03:30 CEST)', () => {
    const t = wallTimeToInstant('2026-03-29', 150, BERLIN);
    expect(t).toBe(utc('2026-03-29T01:30:00Z'));
    expect(instantToWall(t, BERLIN)).toEqual({ date: '2026-03-29', minutes: 210, weekday: 7 });
  });

  it('maps a range edge in the gap to the end of the gap (02:30 → 03:00 CEST)', () => {
    expect(wallBoundaryToInstant('2026-03-29', 150, BERLIN)).toBe(utc('2026-03-29T01:00:00Z'));
    expect(wallBoundaryToInstant('2026-03-29', 180, BERLIN)).toBe(utc('2026-03-29T01:00:00Z'));
    expect(wallBoundaryToInstant('2026-03-29', 119, BERLIN)).toBe(utc('2026-03-29T00:59:00Z'));
  });

  it('takes the earlier instant for a wall time in the fall-back overlap', () => {
    expect(wallTimeToInstant('2026-10-25', 150, BERLIN)).toBe(utc('2026-10-25T00:30:00Z'));
    expect(wallBoundaryToInstant('2026-10-25', 150, BERLIN)).toBe(utc('2026-10-25T00:30:00Z'));
    // Both passes read 02:30.
    expect(instantToWall(utc('2026-10-25T00:30:00Z'), BERLIN).minutes).toBe(150);
    expect(instantToWall(utc('2026-10-25T01:30:00Z'), BERLIN).minutes).toBe(150);
    expect(wallTimeToInstant('2026-10-25', 180, BERLIN)).toBe(utc('2026-10-25T02:00:00Z'));
  });

  it('has 23- and 25-hour days and starts each day at local midnight', () => {
    expect(localMidnight('2026-03-29', BERLIN)).toBe(utc('2026-03-28T23:00:00Z'));
    expect(localMidnight('2026-03-30', BERLIN)).toBe(utc('2026-03-29T22:00:00Z'));
    expect(dayLengthMinutes('2026-03-29', BERLIN)).toBe(23 * 60);
    expect(dayLengthMinutes('2026-10-25', BERLIN)).toBe(25 * 60);
    expect(dayLengthMinutes('2026-07-01', BERLIN)).toBe(24 * 60);
    expect(wallTimeToInstant('2026-03-29', 1440, BERLIN)).toBe(localMidnight('2026-03-30', BERLIN));
  });

  it('finds exactly the two changes of 2026', () => {
    const tl = new ZoneTimeline(BERLIN, dayNumber('2026-01-01'), dayNumber('2026-12-31'));
    expect(tl.segments.slice(1).map((s) => new Date(s.start).toISOString())).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
    ]);
    expect(tl.segments.map((s) => s.offset / 3_600_000)).toEqual([1, 2, 1]);
  });
});

describe('America/New_York', () => {
  it('moves 02:30 on the spring-forward day to 03:30 EDT', () => {
    expect(wallTimeToInstant('2026-03-08', 150, NEW_YORK)).toBe(utc('2026-03-08T07:30:00Z'));
    expect(wallBoundaryToInstant('2026-03-08', 150, NEW_YORK)).toBe(utc('2026-03-08T07:00:00Z'));
    expect(wallTimeToInstant('2026-03-08', 119, NEW_YORK)).toBe(utc('2026-03-08T06:59:00Z'));
  });

  it('takes the EDT pass of 01:30 on the fall-back day', () => {
    expect(wallTimeToInstant('2026-11-01', 90, NEW_YORK)).toBe(utc('2026-11-01T05:30:00Z'));
    expect(instantToWall(utc('2026-11-01T06:30:00Z'), NEW_YORK)).toEqual({ date: '2026-11-01', minutes: 90, weekday: 7 });
    expect(wallTimeToInstant('2026-11-01', 120, NEW_YORK)).toBe(utc('2026-11-01T07:00:00Z'));
  });

  it('has 23- and 25-hour days', () => {
    expect(localMidnight('2026-03-08', NEW_YORK)).toBe(utc('2026-03-08T05:00:00Z'));
    expect(dayLengthMinutes('2026-03-08', NEW_YORK)).toBe(23 * 60);
    expect(dayLengthMinutes('2026-11-01', NEW_YORK)).toBe(25 * 60);
  });
});

describe('Asia/Shanghai', () => {
  it('is UTC+8 all year, every day 24 hours', () => {
    expect(localMidnight('2026-02-14', SHANGHAI)).toBe(utc('2026-02-13T16:00:00Z'));
    expect(wallTimeToInstant('2026-07-01', 9 * 60, SHANGHAI)).toBe(utc('2026-07-01T01:00:00Z'));
    expect(instantToWall(utc('2026-12-31T16:30:00Z'), SHANGHAI)).toEqual({ date: '2027-01-01', minutes: 30, weekday: 5 });
    for (const d of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01']) expect(dayLengthMinutes(d, SHANGHAI)).toBe(1440);
  });
});

describe('zones with midnight changes and odd offsets', () => {
  it('starts a day whose midnight falls in a gap at the end of the gap (Santiago)', () => {
    expect(localMidnight('2026-09-06', 'America/Santiago')).toBe(utc('2026-09-06T04:00:00Z'));
    expect(instantToWall(localMidnight('2026-09-06', 'America/Santiago'), 'America/Santiago').minutes).toBe(60);
    expect(dayLengthMinutes('2026-09-06', 'America/Santiago')).toBe(23 * 60);
  });

  it('handles half-hour DST (Lord Howe) and +05:45 (Kathmandu)', () => {
    expect(dayLengthMinutes('2026-10-04', 'Australia/Lord_Howe')).toBe(1410);
    expect(wallTimeToInstant('2026-07-01', 0, 'Asia/Kathmandu')).toBe(utc('2026-06-30T18:15:00Z'));
  });
});

const ZONES = [BERLIN, NEW_YORK, SHANGHAI, 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Auckland'];
const partsFormatter = new Map<string, Intl.DateTimeFormat>();
/** Oracle: the wall reading through formatToParts, independently of the implementation. */
function oracleWall(instant: number, tz: string): { date: string; minutes: number } {
  let f = partsFormatter.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    partsFormatter.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

const minuteIn2000s = fc.integer({ min: 946_684_800_000 / 60_000, max: 2_208_988_800_000 / 60_000 }).map((m) => m * 60_000);

describe('conversions (property)', () => {
  it('reads the same wall time as Intl.formatToParts', () => {
    fc.assert(
      fc.property(minuteIn2000s, fc.constantFrom(...ZONES), (t, tz) => {
        const w = instantToWall(t, tz);
        expect({ date: w.date, minutes: w.minutes }).toEqual(oracleWall(t, tz));
      }),
      { numRuns: 500 },
    );
  });

  it('maps a wall reading back to the earliest instant showing it', () => {
    fc.assert(
      fc.property(minuteIn2000s, fc.constantFrom(...ZONES), (t, tz) => {
        const w = instantToWall(t, tz);
        const back = wallTimeToInstant(w.date, w.minutes, tz);
        expect(instantToWall(back, tz)).toEqual(w);
        // Equal, or the first pass of a repeated (fall-back) wall time, at most an hour earlier.
        expect(back <= t && t - back <= 3_600_000).toBe(true);
        if (back < t) expect(oracleWall(back, tz)).toEqual(oracleWall(t, tz));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps range edges monotonic and day lengths consistent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_957, max: 25_567 }), fc.constantFrom(...ZONES), (day, tz) => {
        const date = dateOfDay(day);
        const tl = new ZoneTimeline(tz, day, day);
        let prev = tl.dayStart(day);
        for (let m = 0; m <= 1440; m += 15) {
          const b = tl.boundary(day, m);
          expect(b).toBeGreaterThanOrEqual(prev);
          prev = b;
        }
        expect(tl.boundary(day, 1440)).toBe(localMidnight(addDays(date, 1), tz));
        expect(oracleWall(tl.dayStart(day), tz).date).toBe(date);
        expect(oracleWall(tl.dayStart(day) - 60_000, tz).date).not.toBe(date);
      }),
      { numRuns: 300 },
    );
  });
});
