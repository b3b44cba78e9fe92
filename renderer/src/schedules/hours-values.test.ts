import { describe, expect, it } from 'vitest';
import { at, weekly, WEEKDAYS } from '../../../core/scheduling/scheduling.fixtures';
import {
  checkDayRows,
  checkScheduleRows,
  checkWeekRows,
  copyDay,
  emptyTemplate,
  emptyWeekRows,
  placeScheduleIssues,
  scheduleRowsOf,
  weekRowsOf,
  type ScheduleRows,
  type WeekRows,
} from './hours-values';

const SH = 'Asia/Shanghai';

/** Monday to Friday 09:00–12:00 and 14:00–17:00, as the editor holds it. */
function clinicWeek(): WeekRows {
  const rows = emptyWeekRows();
  rows[0] = [
    { start: '09:00', end: '12:00' },
    { start: '14:00', end: '17:00' },
  ];
  return copyDay(rows, 1, [1, 2, 3, 4, 5]);
}

describe('week rows ⇄ WeeklyHours', () => {
  it('turns the rows into core ranges, sorted by day and time, and back', () => {
    const rows = clinicWeek();
    rows[5] = [
      { start: '13:00', end: '17:00' },
      { start: '9:00', end: '12:00' },
    ];
    const r = checkWeekRows(rows);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([...weekly(WEEKDAYS, '09:00-12:00', '14:00-17:00'), ...weekly([6], '09:00-12:00', '13:00-17:00')]);
    const back = weekRowsOf(r.value);
    expect(back[0]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '14:00', end: '17:00' },
    ]);
    expect(back[5]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(back[6]).toEqual([]);
  });

  it('copies one day onto the workdays without touching the weekend', () => {
    const rows = emptyWeekRows();
    rows[0] = [{ start: '08:00', end: '20:00' }];
    rows[6] = [{ start: '10:00', end: '16:00' }];
    const copied = copyDay(rows, 1, [1, 2, 3, 4, 5]);
    expect(copied.slice(0, 5).every((d) => d.length === 1 && d[0]!.start === '08:00')).toBe(true);
    expect(copied[5]).toEqual([]);
    expect(copied[6]).toEqual([{ start: '10:00', end: '16:00' }]);
  });

  it('puts "end before start" under the end of that range, and an overlap on the range that overlaps', () => {
    const rows = emptyWeekRows();
    rows[0] = [{ start: '18:00', end: '09:00' }];
    rows[2] = [
      { start: '09:00', end: '12:00' },
      { start: '11:00', end: '13:00' },
    ];
    const r = checkWeekRows(rows);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      'hours.0.0.end': { key: 'errors.schedule.endBeforeStart' },
      'hours.2.1': { key: 'errors.schedule.overlap' },
    });
  });

  it('reports a time that is not a time before any rule', () => {
    const rows = emptyWeekRows();
    rows[1] = [{ start: '9.30', end: '25:00' }];
    const r = checkWeekRows(rows);
    expect(r).toEqual({
      ok: false,
      errors: { 'hours.1.0.start': { key: 'schedules.error.timeFormat' }, 'hours.1.0.end': { key: 'schedules.error.timeFormat' } },
    });
  });

  it('checks one day the same way (special hours)', () => {
    expect(checkDayRows([{ start: '10:00', end: '14:00' }])).toEqual({ ok: true, value: [{ start: 600, end: 840 }] });
    expect(checkDayRows([])).toEqual({ ok: true, value: [] });
    const bad = checkDayRows([
      { start: '10:00', end: '14:00' },
      { start: '13:00', end: '12:00' },
    ]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors['ranges.1.end']).toEqual({ key: 'errors.schedule.endBeforeStart' });
  });
});

describe('schedule rows ⇄ ResourceHours', () => {
  it('turns templates (effective dates, every other week), overrides and leave into core shapes, and back', () => {
    const rows: ScheduleRows = {
      templates: [
        { ...emptyTemplate(), days: clinicWeek(), effectiveFrom: '2026-12-01' },
        { ...emptyTemplate(), days: copyDay([[{ start: '08:00', end: '12:00' }], [], [], [], [], [], []], 1, [6]), alternate: true, anchor: '2026-12-05' },
      ],
      overrides: [
        { date: '2026-12-24', off: false, ranges: [{ start: '09:00', end: '12:00' }] },
        { date: '2026-12-10', off: true, ranges: [{ start: '09:00', end: '10:00' }] },
      ],
      leave: [{ start: '2026-12-15 13:00', end: '2026-12-16 18:00' }],
    };
    const r = checkScheduleRows(rows, SH);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.schedules).toEqual([
      { ranges: weekly(WEEKDAYS, '09:00-12:00', '14:00-17:00'), effectiveFrom: '2026-12-01', effectiveTo: null, alternateWeeksFrom: null },
      { ranges: weekly([1, 6], '08:00-12:00'), effectiveFrom: null, effectiveTo: null, alternateWeeksFrom: '2026-12-05' },
    ]);
    // Sorted by date; "off" drops the ranges it kept while hidden.
    expect(r.value.dateOverrides).toEqual([
      { date: '2026-12-10', ranges: [] },
      { date: '2026-12-24', ranges: [{ start: 540, end: 720 }] },
    ]);
    expect(r.value.leave).toEqual([{ start: at('2026-12-15', '13:00', SH), end: at('2026-12-16', '18:00', SH) }]);

    const back = scheduleRowsOf(r.value, SH);
    expect(back.templates[0]!.days).toEqual(clinicWeek());
    expect(back.templates[1]).toMatchObject({ alternate: true, anchor: '2026-12-05' });
    expect(back.overrides.map((o) => [o.date, o.off])).toEqual([
      ['2026-12-10', true],
      ['2026-12-24', false],
    ]);
    expect(back.leave).toEqual([{ start: '2026-12-15 13:00', end: '2026-12-16 18:00' }]);
  });

  it('drops a blank template and starts an empty schedule with one blank template', () => {
    const r = checkScheduleRows({ templates: [emptyTemplate()], overrides: [], leave: [] }, SH);
    expect(r).toEqual({ ok: true, value: { schedules: [], dateOverrides: [], leave: [] } });
    expect(scheduleRowsOf({ schedules: [], dateOverrides: [], leave: [] }, SH).templates).toEqual([emptyTemplate()]);
  });

  it('places each problem on its own row: ranges by template and day, dates, anchor, leave', () => {
    const week = emptyWeekRows();
    week[3] = [{ start: '17:00', end: '09:00' }];
    const rows: ScheduleRows = {
      templates: [emptyTemplate(), { ...emptyTemplate(), days: week, effectiveFrom: '2026-12-10', effectiveTo: '2026-12-01' }, { ...emptyTemplate(), days: clinicWeek(), alternate: true, anchor: null }],
      overrides: [
        { date: '2026-12-24', off: true, ranges: [] },
        { date: '2026-12-24', off: true, ranges: [] },
      ],
      leave: [{ start: '2026-12-16 18:00', end: '2026-12-15 13:00' }],
    };
    // The anchor is missing: found before core's schema runs.
    const first = checkScheduleRows(rows, SH);
    expect(first).toEqual({ ok: false, errors: { 'templates.2.anchor': { key: 'schedules.error.dateRequired' } } });

    rows.templates[2]!.anchor = '2026-12-07';
    const r = checkScheduleRows(rows, SH);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      'templates.1.days.3.0.end': { key: 'errors.schedule.endBeforeStart' },
      'templates.1.effectiveTo': { key: 'errors.schedule.dateRangeOrder' },
      'overrides.1.date': { key: 'errors.schedule.duplicateDate' },
      'leave.0.end': { key: 'errors.schedule.endBeforeStart' },
    });
  });

  it('places the host’s answer about a schedule sent in an update', () => {
    const rows: ScheduleRows = { templates: [emptyTemplate(), { ...emptyTemplate(), days: clinicWeek() }], overrides: [], leave: [] };
    // Schema index 3 of the second template (the first is blank and not sent) is Tuesday's second range.
    const errors = placeScheduleIssues([{ path: ['patch', 'schedule', 'schedules', 0, 'ranges', 3, 'end'], key: 'errors.schedule.endBeforeStart' }], rows, SH, ['patch', 'schedule']);
    expect(errors).toEqual({ 'templates.1.days.1.1.end': { key: 'errors.schedule.endBeforeStart' } });
  });
});
