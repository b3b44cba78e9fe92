/**
 * A resource's working schedule: weekly templates (each a week of ranges, in force between two
 * optional dates, optionally every other week from an anchor week: week A / week B rotas), date
 * overrides (a date with its own ranges, or off all day) and leave (from a date and time to
 * another, in the site's zone). Controlled; messages come keyed by the paths of hours-values.
 *
 * Test hooks: `resource-form-template-<i>` per template, its days `resource-form-template-<i>-day-<ISO weekday>`,
 * `template-add`, `override-add`, `leave-add`, and rows `override-row`, `leave-row`.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Flex, Form, Row, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { DATE_FORMAT, DATE_TIME_FORMAT, type FormErrors } from './form-values';
import { RangeListEditor, WeekHoursEditor } from './hours-editors';
import { emptyTemplate, errorsUnder, type LeaveRows, type OverrideRows, type ScheduleRows, type TemplateRows } from './hours-values';
import { statusOf, useFieldText } from './use-schedules';

interface Props {
  rows: ScheduleRows;
  onChange(rows: ScheduleRows): void;
  errors: FormErrors;
  disabled?: boolean;
  timeZone: string;
}

const dateValue = (s: string | null) => (s ? dayjs(s) : null);
const dateText = (d: Dayjs | null) => (d ? d.format(DATE_FORMAT) : null);

export function ScheduleEditor({ rows, onChange, errors, disabled = false, timeZone }: Props) {
  const { t } = useTranslation();
  const replace = <K extends keyof ScheduleRows>(key: K, list: ScheduleRows[K]) => onChange({ ...rows, [key]: list });

  return (
    <Flex vertical gap={16}>
      <section>
        <Typography.Title level={5}>{t('schedules.rota.templates')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('schedules.rota.templatesHelp')}</Typography.Paragraph>
        <Flex vertical gap={12}>
          {rows.templates.map((tpl, i) => (
            <TemplateCard
              key={i}
              index={i}
              template={tpl}
              errors={errorsUnder(errors, `templates.${i}`)}
              disabled={disabled}
              onChange={(next) => replace('templates', rows.templates.map((x, k) => (k === i ? next : x)))}
              onRemove={rows.templates.length > 1 ? () => replace('templates', rows.templates.filter((_, k) => k !== i)) : null}
            />
          ))}
          {!disabled && (
            <div>
              <Button icon={<PlusOutlined />} type="dashed" data-testid="template-add" onClick={() => replace('templates', [...rows.templates, emptyTemplate()])}>
                {t('schedules.rota.addTemplate')}
              </Button>
            </div>
          )}
        </Flex>
      </section>

      <section>
        <Typography.Title level={5}>{t('schedules.rota.overrides')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('schedules.rota.overridesHelp')}</Typography.Paragraph>
        <Flex vertical gap={8}>
          {rows.overrides.map((o, i) => (
            <OverrideRow
              key={i}
              override={o}
              errors={errorsUnder(errors, `overrides.${i}`)}
              disabled={disabled}
              onChange={(next) => replace('overrides', rows.overrides.map((x, k) => (k === i ? next : x)))}
              onRemove={() => replace('overrides', rows.overrides.filter((_, k) => k !== i))}
            />
          ))}
          {rows.overrides.length === 0 && <Typography.Text type="secondary">{t('schedules.rota.noOverrides')}</Typography.Text>}
          {!disabled && (
            <div>
              <Button
                icon={<PlusOutlined />}
                type="dashed"
                size="small"
                data-testid="override-add"
                onClick={() => replace('overrides', [...rows.overrides, { date: null, off: true, ranges: [] }])}
              >
                {t('schedules.rota.addOverride')}
              </Button>
            </div>
          )}
        </Flex>
      </section>

      <section>
        <Typography.Title level={5}>{t('schedules.rota.leave')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('schedules.rota.leaveHelp', { zone: timeZone })}</Typography.Paragraph>
        <Flex vertical gap={8}>
          {rows.leave.map((l, i) => (
            <LeaveRow
              key={i}
              leave={l}
              errors={errorsUnder(errors, `leave.${i}`)}
              disabled={disabled}
              onChange={(next) => replace('leave', rows.leave.map((x, k) => (k === i ? next : x)))}
              onRemove={() => replace('leave', rows.leave.filter((_, k) => k !== i))}
            />
          ))}
          {rows.leave.length === 0 && <Typography.Text type="secondary">{t('schedules.rota.noLeave')}</Typography.Text>}
          {!disabled && (
            <div>
              <Button icon={<PlusOutlined />} type="dashed" size="small" data-testid="leave-add" onClick={() => replace('leave', [...rows.leave, { start: '', end: '' }])}>
                {t('schedules.rota.addLeave')}
              </Button>
            </div>
          )}
        </Flex>
      </section>
    </Flex>
  );
}

function TemplateCard({
  index,
  template,
  errors,
  disabled,
  onChange,
  onRemove,
}: {
  index: number;
  template: TemplateRows;
  errors: FormErrors;
  disabled: boolean;
  onChange(t: TemplateRows): void;
  onRemove: (() => void) | null;
}) {
  const { t } = useTranslation();
  const text = useFieldText();
  const set = (patch: Partial<TemplateRows>) => onChange({ ...template, ...patch });
  return (
    <Card
      size="small"
      data-testid={`resource-form-template-${index}`}
      title={t('schedules.rota.template', { n: index + 1 })}
      extra={
        onRemove &&
        !disabled && (
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove} data-testid="template-remove">
            {t('schedules.remove')}
          </Button>
        )
      }
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item label={t('schedules.rota.effectiveFrom')} {...statusOf(text(errors.effectiveFrom))}>
            <DatePicker
              data-testid="template-from"
              value={dateValue(template.effectiveFrom)}
              onChange={(d: Dayjs | null) => set({ effectiveFrom: dateText(d) })}
              format={DATE_FORMAT}
              placeholder={t('schedules.rota.always')}
              disabled={disabled}
              className="foyer-date-input"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label={t('schedules.rota.effectiveTo')} {...statusOf(text(errors.effectiveTo))}>
            <DatePicker
              data-testid="template-to"
              value={dateValue(template.effectiveTo)}
              onChange={(d: Dayjs | null) => set({ effectiveTo: dateText(d) })}
              format={DATE_FORMAT}
              placeholder={t('schedules.rota.openEnded')}
              disabled={disabled}
              className="foyer-date-input"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label={t('schedules.rota.alternate')} extra={template.alternate ? t('schedules.rota.anchorHelp') : undefined} {...statusOf(text(errors.anchor))}>
            <Flex gap={8} align="center">
              <Switch
                data-testid="template-alternate"
                checked={template.alternate}
                onChange={(alternate) => set({ alternate })}
                disabled={disabled}
                aria-label={t('schedules.rota.alternate')}
              />
              {template.alternate && (
                <DatePicker
                  data-testid="template-anchor"
                  value={dateValue(template.anchor)}
                  onChange={(d: Dayjs | null) => set({ anchor: dateText(d) })}
                  format={DATE_FORMAT}
                  placeholder={t('schedules.rota.anchor')}
                  disabled={disabled}
                  className="foyer-date-input"
                />
              )}
            </Flex>
          </Form.Item>
        </Col>
      </Row>
      <WeekHoursEditor
        rows={template.days}
        onChange={(days) => set({ days })}
        errors={errorsUnder(errors, 'days')}
        disabled={disabled}
        testIdPrefix={`resource-form-template-${index}-day`}
        emptyText={t('schedules.off')}
      />
    </Card>
  );
}

function OverrideRow({
  override,
  errors,
  disabled,
  onChange,
  onRemove,
}: {
  override: OverrideRows;
  errors: FormErrors;
  disabled: boolean;
  onChange(o: OverrideRows): void;
  onRemove(): void;
}) {
  const { t } = useTranslation();
  const text = useFieldText();
  const set = (patch: Partial<OverrideRows>) => onChange({ ...override, ...patch });
  const dateError = text(errors.date) ?? text(errors['']);
  return (
    <Flex gap={12} align="flex-start" wrap className="foyer-override-row" data-testid="override-row">
      <Form.Item {...statusOf(dateError)} className="foyer-inline-item">
        <DatePicker
          data-testid="override-date"
          value={dateValue(override.date)}
          onChange={(d: Dayjs | null) => set({ date: dateText(d) })}
          format={DATE_FORMAT}
          disabled={disabled}
          aria-label={t('schedules.rota.overrideDate')}
          className="foyer-date-input"
        />
      </Form.Item>
      <Flex gap={6} align="center" className="foyer-override-off">
        <Switch
          data-testid="override-off"
          size="small"
          checked={override.off}
          onChange={(off) => set({ off, ranges: off ? override.ranges : override.ranges.length > 0 ? override.ranges : [{ start: '09:00', end: '12:00' }] })}
          disabled={disabled}
          aria-label={t('schedules.rota.offAllDay')}
        />
        <Typography.Text>{t('schedules.rota.offAllDay')}</Typography.Text>
      </Flex>
      {!override.off && (
        <div className="foyer-override-ranges">
          <RangeListEditor rows={override.ranges} onChange={(ranges) => set({ ranges })} errors={errorsUnder(errors, 'ranges')} disabled={disabled} emptyText={t('schedules.off')} />
        </div>
      )}
      {!disabled && <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('schedules.remove')} onClick={onRemove} />}
    </Flex>
  );
}

function LeaveRow({ leave, errors, disabled, onChange, onRemove }: { leave: LeaveRows; errors: FormErrors; disabled: boolean; onChange(l: LeaveRows): void; onRemove(): void }) {
  const { t } = useTranslation();
  const text = useFieldText();
  const message = text(errors.start) ?? text(errors.end) ?? text(errors['']);
  const value: [Dayjs | null, Dayjs | null] = [leave.start ? dayjs(leave.start) : null, leave.end ? dayjs(leave.end) : null];
  return (
    <Flex gap={12} align="flex-start" data-testid="leave-row">
      <Form.Item {...statusOf(message)} className="foyer-inline-item">
        <DatePicker.RangePicker
          data-testid="leave-range"
          showTime={{ format: 'HH:mm', minuteStep: 5 }}
          format={DATE_TIME_FORMAT}
          value={value}
          allowEmpty={[true, true]}
          onChange={(range) => onChange({ start: range?.[0]?.format(DATE_TIME_FORMAT) ?? '', end: range?.[1]?.format(DATE_TIME_FORMAT) ?? '' })}
          disabled={disabled}
          aria-label={t('schedules.rota.leave')}
        />
      </Form.Item>
      {!disabled && <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('schedules.remove')} onClick={onRemove} />}
    </Flex>
  );
}
