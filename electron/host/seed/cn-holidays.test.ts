import { describe, expect, it } from 'vitest';
import { SiteSchedule } from '../../../core/scheduling/scheduling.schema';
import { weekdayOf } from '../../../core/scheduling/zoned-time';
import { CN_HOLIDAYS, cnHolidays } from './cn-holidays';

describe('mainland China public holidays', () => {
  it('lists every day of 2026’s Spring Festival and National Day breaks, with their make-up weekend days', () => {
    const { holidays, workdayOverrides } = cnHolidays([2026]);
    const dates = holidays.map((h) => h.date);
    expect(dates.filter((d) => d.startsWith('2026-02'))).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    expect(dates.filter((d) => d >= '2026-10-01' && d <= '2026-10-31')).toHaveLength(7);
    expect(workdayOverrides.map((w) => w.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('makes only weekend days into working days, each like a weekday, never on a holiday', () => {
    for (const year of Object.keys(CN_HOLIDAYS).map(Number)) {
      const { holidays, workdayOverrides } = cnHolidays([year]);
      for (const w of workdayOverrides) {
        expect(weekdayOf(w.date)).toBeGreaterThanOrEqual(6);
        expect(w.worksLike).toBeLessThanOrEqual(5);
      }
      // The site schedule's own rules accept the table (no date both a holiday and a working day, none twice).
      expect(
        SiteSchedule.safeParse({ timeZone: 'Asia/Shanghai', granularityMinutes: 15, openingHours: [], holidays, workdayOverrides }).success,
      ).toBe(true);
    }
  });

  it('has nothing for a year whose notice it does not know', () => {
    expect(cnHolidays([1999])).toEqual({ holidays: [], workdayOverrides: [] });
  });
});
