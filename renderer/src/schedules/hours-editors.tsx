/**
 * Editors for time ranges typed as "HH:MM": one day's list (add, remove, each range's problem
 * under it) and a week of them (Monday first, a day copied onto the workdays or every day).
 * They are controlled: the rows and the messages come in, changed rows go out. Messages are keyed
 * by the rows' paths (`<row>.start`, `<row>.end`, `<row>` for "overlaps another range"; a week's
 * by `<day-1>.<row>…`).
 *
 * Test hooks: each day of a week is `<testIdPrefix>-<ISO weekday>`; inside, `range-start`,
 * `range-end`, `range-remove`, `range-add` and `day-copy`.
 */
import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Dropdown, Flex, Input, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Weekday } from '../../../core/scheduling/scheduling.schema';
import { formatHhmm, parseHhmm, type FormErrors } from './form-values';
import { copyDay, errorsUnder, WEEKDAYS, WORKDAYS, type RangeRow, type WeekRows } from './hours-values';
import { useFieldText } from './use-schedules';

/** A new range follows the last one (an hour later, for three hours), or is 09:00–12:00. */
export function nextRange(rows: readonly RangeRow[]): RangeRow {
  const last = rows.length > 0 ? parseHhmm(rows[rows.length - 1]!.end) : null;
  if (last === null) return { start: '09:00', end: '12:00' };
  const start = Math.min(last + 60, 1380);
  return { start: formatHhmm(start), end: formatHhmm(Math.min(start + 180, 1440)) };
}

interface DayProps {
  rows: RangeRow[];
  onChange(rows: RangeRow[]): void;
  errors: FormErrors;
  disabled?: boolean;
  /** Shown when there are no ranges, e.g. "Closed" or "Off". */
  emptyText: string;
  label?: string;
}

export function RangeListEditor({ rows, onChange, errors, disabled = false, emptyText, label }: DayProps) {
  const { t } = useTranslation();
  const text = useFieldText();
  const set = (i: number, part: keyof RangeRow, value: string) => onChange(rows.map((r, k) => (k === i ? { ...r, [part]: value } : r)));
  return (
    <Flex vertical gap={6} className="foyer-range-list">
      {rows.length === 0 && (
        <Typography.Text type="secondary" className="foyer-range-empty">
          {emptyText}
        </Typography.Text>
      )}
      {rows.map((r, i) => {
        const startError = text(errors[`${i}.start`]);
        const endError = text(errors[`${i}.end`]);
        const rowError = text(errors[`${i}`]);
        const messages = [...new Set([startError, endError, rowError].filter((m): m is string => m !== undefined))];
        return (
          // Index keys: the rows are controlled and positional, like the ranges they stand for.
          <Flex vertical gap={2} key={i} data-testid="range-row">
            <Flex align="center" gap={6}>
              <Input
                data-testid="range-start"
                aria-label={t('schedules.range.start', { label: label ?? '' })}
                value={r.start}
                onChange={(e) => set(i, 'start', e.target.value)}
                status={startError || rowError ? 'error' : undefined}
                placeholder="09:00"
                disabled={disabled}
                className="foyer-time-input"
                maxLength={5}
              />
              <span aria-hidden>–</span>
              <Input
                data-testid="range-end"
                aria-label={t('schedules.range.end', { label: label ?? '' })}
                value={r.end}
                onChange={(e) => set(i, 'end', e.target.value)}
                status={endError || rowError ? 'error' : undefined}
                placeholder="17:00"
                disabled={disabled}
                className="foyer-time-input"
                maxLength={5}
              />
              {!disabled && (
                <Tooltip title={t('schedules.range.remove')}>
                  <Button
                    type="text"
                    size="small"
                    icon={<DeleteOutlined />}
                    aria-label={t('schedules.range.remove')}
                    data-testid="range-remove"
                    onClick={() => onChange(rows.filter((_, k) => k !== i))}
                  />
                </Tooltip>
              )}
            </Flex>
            {messages.length > 0 && (
              <Typography.Text type="danger" className="foyer-range-error" data-testid="range-error" role="alert">
                {messages.join(' ')}
              </Typography.Text>
            )}
          </Flex>
        );
      })}
      {!disabled && (
        <div>
          <Button size="small" type="dashed" icon={<PlusOutlined />} data-testid="range-add" onClick={() => onChange([...rows, nextRange(rows)])}>
            {t('schedules.range.add')}
          </Button>
        </div>
      )}
    </Flex>
  );
}

interface WeekProps {
  rows: WeekRows;
  onChange(rows: WeekRows): void;
  errors: FormErrors;
  disabled?: boolean;
  testIdPrefix: string;
  emptyText: string;
}

export function WeekHoursEditor({ rows, onChange, errors, disabled = false, testIdPrefix, emptyText }: WeekProps) {
  const { t } = useTranslation();
  const copy = (day: Weekday, to: readonly Weekday[]) => onChange(copyDay(rows, day, to));
  return (
    <Flex vertical gap={0} className="foyer-week-editor">
      {WEEKDAYS.map((day) => {
        const label = t(`schedules.weekday.${day}`);
        return (
          <Flex key={day} gap={12} align="flex-start" className="foyer-week-day" data-testid={`${testIdPrefix}-${day}`}>
            <Typography.Text strong className="foyer-week-day-label">
              {label}
            </Typography.Text>
            <div className="foyer-week-day-ranges">
              <RangeListEditor
                rows={rows[day - 1] ?? []}
                onChange={(next) => onChange(rows.map((r, i) => (i === day - 1 ? next : r)))}
                errors={errorsUnder(errors, String(day - 1))}
                disabled={disabled}
                emptyText={emptyText}
                label={label}
              />
            </div>
            {!disabled && (
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'workdays', label: <span data-testid="day-copy-workdays">{t('schedules.week.copyToWorkdays')}</span> },
                    { key: 'all', label: <span data-testid="day-copy-all">{t('schedules.week.copyToAll')}</span> },
                  ],
                  onClick: ({ key }) => copy(day, key === 'all' ? WEEKDAYS : WORKDAYS),
                }}
              >
                <Button size="small" type="text" icon={<CopyOutlined />} data-testid="day-copy" aria-label={t('schedules.week.copyDay', { day: label })}>
                  {t('schedules.week.copy')}
                </Button>
              </Dropdown>
            )}
          </Flex>
        );
      })}
    </Flex>
  );
}
