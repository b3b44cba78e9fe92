/**
 * Mainland China's public holidays and 调休 make-up working days, as the State Council announces
 * them each autumn for the next year (国务院办公厅关于 YYYY 年部分节假日安排的通知). They cannot be
 * computed: the lunar festivals move, and which weekend days become working days is decided by
 * the notice. So this is a hand-kept table; add a year when its notice is published (usually in
 * November). The demo seed takes the years it finds here among the current and the next one.
 *
 * - `from`–`to` is the whole break as announced, weekend days included (the clinic works on
 *   Saturdays, so a Saturday inside the break must be closed too).
 * - `workdays` are the make-up days. The notice does not say whose timetable a make-up day
 *   follows; we use the weekday of a holiday weekday it stands in for (`worksLike`, 1 = Monday).
 */
import type { Holiday, Weekday, WorkdayOverride } from '../../../core/scheduling/scheduling.schema';
import { addDays } from '../../../core/scheduling/zoned-time';

export interface HolidayBreak {
  name: string;
  from: string;
  to: string;
  workdays: { date: string; worksLike: Weekday }[];
}

/** 2026: the notice of 2025-11-04. */
export const CN_HOLIDAYS: Readonly<Record<number, readonly HolidayBreak[]>> = {
  2026: [
    { name: '元旦 New Year’s Day', from: '2026-01-01', to: '2026-01-03', workdays: [{ date: '2026-01-04', worksLike: 5 }] },
    {
      name: '春节 Spring Festival',
      from: '2026-02-15',
      to: '2026-02-23',
      workdays: [
        { date: '2026-02-14', worksLike: 5 },
        { date: '2026-02-28', worksLike: 1 },
      ],
    },
    { name: '清明节 Qingming Festival', from: '2026-04-04', to: '2026-04-06', workdays: [] },
    { name: '劳动节 Labour Day', from: '2026-05-01', to: '2026-05-05', workdays: [{ date: '2026-05-09', worksLike: 2 }] },
    { name: '端午节 Dragon Boat Festival', from: '2026-06-19', to: '2026-06-21', workdays: [] },
    { name: '中秋节 Mid-Autumn Festival', from: '2026-09-25', to: '2026-09-27', workdays: [] },
    {
      name: '国庆节 National Day',
      from: '2026-10-01',
      to: '2026-10-07',
      workdays: [
        { date: '2026-09-20', worksLike: 3 },
        { date: '2026-10-10', worksLike: 2 },
      ],
    },
  ],
};

/** The holidays (every day of each break) and make-up days of the given years that the table knows. */
export function cnHolidays(years: readonly number[]): { holidays: Holiday[]; workdayOverrides: WorkdayOverride[] } {
  const holidays: Holiday[] = [];
  const workdayOverrides: WorkdayOverride[] = [];
  for (const year of years) {
    for (const b of CN_HOLIDAYS[year] ?? []) {
      for (let d = b.from; d <= b.to; d = addDays(d, 1)) holidays.push({ date: d, name: b.name });
      workdayOverrides.push(...b.workdays);
    }
  }
  return { holidays, workdayOverrides };
}
