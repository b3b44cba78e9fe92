/**
 * Holidays and special days: a month calendar with the site's special dates marked and the list
 * of them (a public holiday, a 调休 make-up working day that works like a given weekday, or
 * special hours, closed included); planned closures (date ranges with a reason); and the
 * emergency "close now" with "reopen". Every change answers with the bookings it puts outside
 * open time, shown at once so staff can call those customers.
 */
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Calendar, Card, Col, DatePicker, Flex, Form, Input, Modal, Popconfirm, Radio, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { Weekday } from '../../../core/scheduling/scheduling.schema';
import { weekdayOf } from '../../../core/scheduling/zoned-time';
import { localDateOf } from '../../../core/time';
import { useNow } from '../common/use-now';
import { appErrorOf } from '../host/app-error';
import { AffectedBookingsTable, affectedOf } from './booking-lists';
import type { AffectedBooking, CatalogSite } from './catalog-types';
import { siteCalendarOf } from './catalog-types';
import {
  checkClosure,
  checkSpecialDay,
  placeClosureIssues,
  placeSpecialDayIssues,
  specialDaysOf,
  specialDayValuesOf,
  type ClosureValues,
  type SpecialDay,
  type SpecialDayKind,
  type SpecialDayValues,
} from './catalog-values';
import { EmergencyClosureCard } from './close-now';
import { DATE_FORMAT, formatHhmm, type FormErrors } from './form-values';
import { errorsUnder, WEEKDAYS } from './hours-values';
import { RangeListEditor } from './hours-editors';
import { statusOf, useFieldText, useGeneralText, useSchedulingMutate } from './use-schedules';

const KIND_COLOUR: Record<SpecialDay['kind'], string> = { holiday: 'red', workday: 'blue', hours: 'gold' };

export function SpecialDaysTab({ site, canManage, canClose }: { site: CatalogSite; canManage: boolean; canClose: boolean }) {
  const { t } = useTranslation();
  const calendar = siteCalendarOf(site);
  const days = useMemo(() => specialDaysOf(calendar), [calendar]);
  const [editing, setEditing] = useState<{ day: SpecialDay | null; date: string | null } | null>(null);
  const [affected, setAffected] = useState<AffectedBooking[] | null>(null);

  return (
    <Flex vertical gap={16}>
      {!canManage && <Alert type="info" showIcon title={t('schedules.readOnly.site')} />}
      <Card
        size="small"
        title={t('schedules.days.title')}
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="holiday-add" onClick={() => setEditing({ day: null, date: null })}>
              {t('schedules.days.add')}
            </Button>
          )
        }
      >
        <Row gutter={24}>
          <Col xs={24} lg={9}>
            <Calendar
              fullscreen={false}
              className="foyer-days-calendar"
              fullCellRender={(current: Dayjs, info) => {
                if (info.type !== 'date') return info.originNode;
                const day = days.find((d) => d.date === current.format(DATE_FORMAT));
                return (
                  <div
                    className={day ? `ant-picker-cell-inner foyer-day-mark foyer-day-mark-${day.kind}` : 'ant-picker-cell-inner'}
                    title={day ? t(`schedules.days.kind.${day.kind}`) : undefined}
                  >
                    {current.date()}
                  </div>
                );
              }}
              onSelect={(date, { source }) => {
                if (source !== 'date' || !canManage) return;
                const iso = date.format(DATE_FORMAT);
                setEditing({ day: days.find((d) => d.date === iso) ?? null, date: iso });
              }}
            />
          </Col>
          <Col xs={24} lg={15}>
            <SpecialDaysTable days={days} canManage={canManage} site={site} onEdit={(day) => setEditing({ day, date: day.date })} onAffected={setAffected} />
          </Col>
        </Row>
      </Card>

      <ClosuresCard site={site} canManage={canManage} onAffected={setAffected} />
      <EmergencyClosureCard site={site} canClose={canClose} />

      <SpecialDayModal site={site} target={editing} onClose={() => setEditing(null)} onAffected={setAffected} />
      <AffectedModal bookings={affected} onClose={() => setAffected(null)} />
    </Flex>
  );
}

function detailOf(t: TFunction, day: SpecialDay): string {
  if (day.kind === 'holiday') return day.name || t('schedules.days.kind.holiday');
  if (day.kind === 'workday') return t('schedules.days.worksLikeDay', { day: t(`schedules.weekday.${day.worksLike ?? 1}`) });
  const ranges = day.ranges ?? [];
  return ranges.length === 0 ? t('schedules.days.closedAllDay') : ranges.map((r) => `${formatHhmm(r.start)}–${formatHhmm(r.end)}`).join(', ');
}

function SpecialDaysTable({
  days,
  site,
  canManage,
  onEdit,
  onAffected,
}: {
  days: SpecialDay[];
  site: CatalogSite;
  canManage: boolean;
  onEdit(day: SpecialDay): void;
  onAffected(b: AffectedBooking[]): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { mutate } = useSchedulingMutate();
  const generalText = useGeneralText();
  const today = localDateOf(useNow(), site.timeZone);
  const [showPast, setShowPast] = useState(false);
  const shown = showPast ? days : days.filter((d) => d.date >= today);

  const reset = async (day: SpecialDay) => {
    try {
      const result = await mutate({ name: 'site.setSpecialDay', args: { siteId: site.id, date: day.date, kind: 'normal' } });
      void message.success(t('schedules.days.removed', { date: day.date }));
      const affected = affectedOf(result);
      if (affected.length > 0) onAffected(affected);
    } catch (e) {
      const error = appErrorOf(e);
      void message.error(generalText(error, {}, () => false));
    }
  };

  return (
    <Flex vertical gap={8}>
      <Flex justify="flex-end" align="center" gap={8}>
        <Switch size="small" checked={showPast} onChange={setShowPast} aria-label={t('schedules.days.showPast')} data-testid="special-days-past" />
        <Typography.Text type="secondary">{t('schedules.days.showPast')}</Typography.Text>
      </Flex>
      <Table<SpecialDay>
        size="small"
        rowKey="date"
        data-testid="special-days"
        dataSource={shown}
        pagination={false}
        scroll={{ y: 420 }}
        locale={{ emptyText: t('schedules.days.empty') }}
        onRow={(d) => ({ 'data-testid': 'special-day-row', 'data-date': d.date, 'data-kind': d.kind }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'date', title: t('schedules.days.date'), render: (_, d) => `${d.date} ${t(`schedules.weekdayShort.${weekdayOf(d.date)}`)}` },
          { key: 'kind', title: t('schedules.days.kind'), render: (_, d) => <Tag color={KIND_COLOUR[d.kind]}>{t(`schedules.days.kind.${d.kind}`)}</Tag> },
          { key: 'detail', title: t('schedules.days.detail'), render: (_, d) => detailOf(t, d) },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  title: '',
                  width: 96,
                  render: (_: unknown, d: SpecialDay) => (
                    <Flex gap={4}>
                      <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('schedules.edit')} onClick={() => onEdit(d)} data-testid="special-day-edit" />
                      <Popconfirm title={t('schedules.days.removeConfirm', { date: d.date })} onConfirm={() => void reset(d)} okText={t('schedules.remove')} cancelText={t('common.cancel')}>
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('schedules.remove')} data-testid="special-day-remove" />
                      </Popconfirm>
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );
}

function SpecialDayModal({
  site,
  target,
  onClose,
  onAffected,
}: {
  site: CatalogSite;
  target: { day: SpecialDay | null; date: string | null } | null;
  onClose(): void;
  onAffected(b: AffectedBooking[]): void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={target !== null}
      title={target?.day ? t('schedules.days.editTitle', { date: target.day.date }) : t('schedules.days.addTitle')}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
      data-testid="special-day-form"
    >
      {target && <SpecialDayForm site={site} initial={specialDayValuesOf(target.day, target.date)} onDone={onClose} onAffected={onAffected} />}
    </Modal>
  );
}

function SpecialDayForm({ site, initial, onDone, onAffected }: { site: CatalogSite; initial: SpecialDayValues; onDone(): void; onAffected(b: AffectedBooking[]): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const [values, setValues] = useState<SpecialDayValues>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const set = (patch: Partial<SpecialDayValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setGeneral(null);
  };
  const isShown = (path: string) => ['date', 'kind', 'name', 'worksLike'].includes(path) || path.startsWith('ranges');

  const save = async () => {
    setGeneral(null);
    const checked = checkSpecialDay(site.id, values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    try {
      const result = await mutate({ name: 'site.setSpecialDay', args: checked.value });
      void message.success(t('schedules.days.saved', { date: checked.value.date }));
      onDone();
      const affected = affectedOf(result);
      if (affected.length > 0) onAffected(affected);
    } catch (e) {
      const error = appErrorOf(e);
      const placed = placeSpecialDayIssues(error.issues ?? [], values);
      setErrors(placed);
      setGeneral(generalText(error, placed, isShown));
    }
  };

  const kinds: Exclude<SpecialDayKind, 'normal'>[] = ['holiday', 'workday', 'hours'];
  return (
    <Form layout="vertical" onFinish={() => void save()}>
      <Form.Item label={t('schedules.days.date')} required {...statusOf(text(errors.date))}>
        <DatePicker
          data-testid="special-day-date"
          value={values.date ? dayjs(values.date) : null}
          format={DATE_FORMAT}
          onChange={(d: Dayjs | null) => set({ date: d ? d.format(DATE_FORMAT) : null })}
          // Enter accepts the typed date; it does not save the day before its kind is chosen.
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.preventDefault();
          }}
          allowClear={false}
          className="foyer-date-input"
        />
      </Form.Item>
      <Form.Item label={t('schedules.days.kind')} required {...statusOf(text(errors.kind))}>
        <Radio.Group
          data-testid="special-day-kind"
          optionType="button"
          buttonStyle="solid"
          value={values.kind}
          onChange={(e) => set({ kind: e.target.value as SpecialDayKind })}
          options={kinds.map((k) => ({ value: k, label: t(`schedules.days.kind.${k}`) }))}
        />
      </Form.Item>
      {values.kind === 'holiday' && (
        <Form.Item label={t('schedules.days.holidayName')} {...statusOf(text(errors.name))}>
          <Input data-testid="special-day-name" value={values.name} maxLength={64} placeholder={t('schedules.days.holidayNamePlaceholder')} onChange={(e) => set({ name: e.target.value })} />
        </Form.Item>
      )}
      {values.kind === 'workday' && (
        <Form.Item label={t('schedules.days.worksLike')} extra={t('schedules.days.worksLikeHelp')} required {...statusOf(text(errors.worksLike))}>
          <Select<Weekday>
            data-testid="special-day-worksLike"
            value={values.worksLike ?? undefined}
            onChange={(d) => set({ worksLike: d })}
            options={WEEKDAYS.map((d) => ({ value: d, label: t(`schedules.weekday.${d}`) }))}
            className="foyer-weekday-select"
          />
        </Form.Item>
      )}
      {values.kind === 'hours' && (
        <Form.Item label={t('schedules.days.hours')} extra={t('schedules.days.hoursHelp')}>
          <RangeListEditor rows={values.ranges} onChange={(ranges) => set({ ranges })} errors={errorsUnder(errors, 'ranges')} emptyText={t('schedules.days.closedAllDay')} />
        </Form.Item>
      )}
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" data-testid="special-day-error" />}
      <Flex justify="flex-end" gap={8}>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={pending} data-testid="special-day-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}

function ClosuresCard({ site, canManage, onAffected }: { site: CatalogSite; canManage: boolean; onAffected(b: AffectedBooking[]): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const closures = [...siteCalendarOf(site).closures].sort((a, b) => a.from.localeCompare(b.from));
  const [values, setValues] = useState<ClosureValues>({ from: null, to: null, reason: '' });
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);

  const add = async () => {
    setGeneral(null);
    const checked = checkClosure(site.id, values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    try {
      const result = await mutate({ name: 'site.addClosure', args: checked.value });
      void message.success(t('schedules.closures.added'));
      setValues({ from: null, to: null, reason: '' });
      const affected = affectedOf(result);
      if (affected.length > 0) onAffected(affected);
    } catch (e) {
      const error = appErrorOf(e);
      const placed = placeClosureIssues(error.issues ?? []);
      setErrors(placed);
      setGeneral(generalText(error, placed, (p) => p === 'range' || p === 'reason'));
    }
  };

  const remove = async (from: string, to: string) => {
    try {
      await mutate({ name: 'site.removeClosure', args: { siteId: site.id, from, to } });
      void message.success(t('schedules.closures.removed'));
    } catch (e) {
      void message.error(generalText(appErrorOf(e), {}, () => false));
    }
  };

  return (
    <Card size="small" title={t('schedules.closures.title')}>
      <Flex vertical gap={12}>
        <Table
          size="small"
          rowKey={(c) => `${c.from}/${c.to}`}
          dataSource={closures}
          pagination={false}
          locale={{ emptyText: t('schedules.closures.empty') }}
          onRow={(c) => ({ 'data-testid': 'closure-row', 'data-from': c.from }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'dates', title: t('schedules.closures.dates'), render: (_, c) => (c.from === c.to ? c.from : `${c.from} – ${c.to}`) },
            { key: 'reason', title: t('schedules.closures.reason'), render: (_, c) => c.reason || t('common.empty') },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    title: '',
                    width: 56,
                    render: (_: unknown, c: { from: string; to: string }) => (
                      <Popconfirm title={t('schedules.closures.removeConfirm')} onConfirm={() => void remove(c.from, c.to)} okText={t('schedules.remove')} cancelText={t('common.cancel')}>
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('schedules.remove')} />
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
        {canManage && (
          <Form layout="inline" onFinish={() => void add()} className="foyer-closure-form">
            <Form.Item label={t('schedules.closures.dates')} {...statusOf(text(errors.range ?? errors.from ?? errors.to))}>
              <DatePicker.RangePicker
                data-testid="closure-range"
                format={DATE_FORMAT}
                value={values.from && values.to ? [dayjs(values.from), dayjs(values.to)] : null}
                onChange={(range) => {
                  setValues((v) => ({ ...v, from: range?.[0]?.format(DATE_FORMAT) ?? null, to: range?.[1]?.format(DATE_FORMAT) ?? null }));
                  setGeneral(null);
                }}
              />
            </Form.Item>
            <Form.Item label={t('schedules.closures.reason')} {...statusOf(text(errors.reason))}>
              <Input
                data-testid="closure-reason"
                value={values.reason}
                maxLength={100}
                placeholder={t('schedules.closures.reasonPlaceholder')}
                onChange={(e) => setValues((v) => ({ ...v, reason: e.target.value }))}
              />
            </Form.Item>
            <Form.Item>
              <Button htmlType="submit" icon={<PlusOutlined />} loading={pending} data-testid="closure-add">
                {t('schedules.closures.add')}
              </Button>
            </Form.Item>
          </Form>
        )}
        {general && <Alert type="error" showIcon title={general} data-testid="closure-error" />}
      </Flex>
    </Card>
  );
}

function AffectedModal({ bookings, onClose }: { bookings: AffectedBooking[] | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={bookings !== null}
      title={t('schedules.affected.title')}
      onCancel={onClose}
      width={720}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('schedules.affected.callHint')}</Typography.Paragraph>
      {bookings && <AffectedBookingsTable bookings={bookings} testId="affected-bookings" />}
    </Modal>
  );
}
