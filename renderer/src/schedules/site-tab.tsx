/**
 * The site's booking rules (grid, holds, late cancellation, no-show grace, waitlist auto-offer,
 * automatic blacklist) and its weekly opening hours, saved together as one site.updateSettings
 * carrying only what changed. Ranges are checked with core's WeeklyHours before anything is sent;
 * a bad range is refused under that range and nothing is saved.
 */
import { Alert, App, Button, Card, Col, Flex, Form, InputNumber, Row, Select, Switch, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { appErrorOf } from '../host/app-error';
import type { CatalogSite } from './catalog-types';
import { siteCalendarOf } from './catalog-types';
import { checkSiteSettings, GRANULARITIES, placeSiteIssues, siteFormValuesOf, type SiteFormValues } from './catalog-values';
import type { FormErrors } from './form-values';
import { errorsUnder, weekRowsOf, type WeekRows } from './hours-values';
import { WeekHoursEditor } from './hours-editors';
import { statusOf, useFieldText, useGeneralText, useSchedulingMutate } from './use-schedules';

const RULE_FIELDS = ['granularityMinutes', 'holdMinutes', 'lateCancelHours', 'noShowGraceMinutes', 'waitlistAutoOffer', 'blacklistAfterNoShows'] as const;

export function SiteTab({ site, canManage }: { site: CatalogSite; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const [form] = Form.useForm<SiteFormValues>();
  const [hours, setHours] = useState<WeekRows>(() => weekRowsOf(siteCalendarOf(site).openingHours));
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  // Once a save has been refused, every change re-checks, so messages go away as things are fixed.
  const refused = useRef(false);
  const autoBlacklist = Form.useWatch('autoBlacklist', form) ?? site.blacklistAfterNoShows !== null;

  const isShown = (path: string) => (RULE_FIELDS as readonly string[]).includes(path) || path.startsWith('hours.');

  const save = async () => {
    setGeneral(null);
    const values: SiteFormValues = form.getFieldsValue(true);
    const checked = checkSiteSettings(site, siteCalendarOf(site), values, hours);
    if (!checked.ok) {
      refused.current = true;
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    if (Object.keys(checked.value).length === 0) {
      void message.info(t('schedules.unchanged'));
      return;
    }
    try {
      await mutate({ name: 'site.updateSettings', args: { siteId: site.id, patch: checked.value } });
      void message.success(t('schedules.site.saved'));
    } catch (e) {
      refused.current = true;
      const error = appErrorOf(e);
      const placed = placeSiteIssues(error.issues ?? [], hours);
      setErrors(placed);
      setGeneral(generalText(error, placed, isShown));
    }
  };

  const recheck = (values: SiteFormValues, rows: WeekRows) => {
    setGeneral(null);
    if (!refused.current) return;
    const checked = checkSiteSettings(site, siteCalendarOf(site), values, rows);
    setErrors(checked.ok ? {} : checked.errors);
  };

  const field = (name: (typeof RULE_FIELDS)[number]) => statusOf(text(errors[name]));

  return (
    <Flex vertical gap={16}>
      {!canManage && <Alert type="info" showIcon title={t('schedules.readOnly.site')} data-testid="schedules-read-only" />}
      <Card title={t('schedules.site.rules')} size="small">
        <Form<SiteFormValues>
          form={form}
          name="site-rules"
          layout="vertical"
          initialValues={siteFormValuesOf(site)}
          disabled={!canManage}
          onValuesChange={(_, all) => recheck(all, hours)}
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="granularityMinutes" label={t('schedules.site.granularity')} extra={t('schedules.site.granularityHelp')} {...field('granularityMinutes')}>
                <Select
                  data-testid="site-form-granularityMinutes"
                  options={GRANULARITIES.map((g) => ({ value: g, label: t('schedules.minutes', { count: g }) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="holdMinutes" label={t('schedules.site.hold')} extra={t('schedules.site.holdHelp')} {...field('holdMinutes')}>
                <InputNumber data-testid="site-form-holdMinutes" min={1} max={1440} precision={0} suffix={t('schedules.unit.minutes')} className="foyer-number" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="lateCancelHours" label={t('schedules.site.lateCancel')} extra={t('schedules.site.lateCancelHelp')} {...field('lateCancelHours')}>
                <InputNumber data-testid="site-form-lateCancelHours" min={0} max={720} precision={0} suffix={t('schedules.unit.hours')} className="foyer-number" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="noShowGraceMinutes" label={t('schedules.site.noShowGrace')} extra={t('schedules.site.noShowGraceHelp')} {...field('noShowGraceMinutes')}>
                <InputNumber data-testid="site-form-noShowGraceMinutes" min={0} max={1440} precision={0} suffix={t('schedules.unit.minutes')} className="foyer-number" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="waitlistAutoOffer" label={t('schedules.site.waitlistAutoOffer')} extra={t('schedules.site.waitlistAutoOfferHelp')} valuePropName="checked" {...field('waitlistAutoOffer')}>
                <Switch data-testid="site-form-waitlistAutoOffer" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label={t('schedules.site.autoBlacklist')} extra={t('schedules.site.autoBlacklistHelp')} {...field('blacklistAfterNoShows')}>
                <Flex align="center" gap={8}>
                  <Form.Item name="autoBlacklist" valuePropName="checked" noStyle>
                    <Switch data-testid="site-form-autoBlacklist" aria-label={t('schedules.site.autoBlacklist')} />
                  </Form.Item>
                  <Form.Item name="blacklistAfterNoShows" noStyle>
                    <InputNumber
                      data-testid="site-form-blacklistAfterNoShows"
                      aria-label={t('schedules.site.blacklistAfter')}
                      min={1}
                      max={100}
                      precision={0}
                      disabled={!canManage || !autoBlacklist}
                      suffix={t('schedules.unit.noShows')}
                      className="foyer-number"
                    />
                  </Form.Item>
                </Flex>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>

      <Card title={t('schedules.site.hours')} size="small" extra={<Typography.Text type="secondary">{t('schedules.site.hoursHelp', { zone: site.timeZone })}</Typography.Text>}>
        <WeekHoursEditor
          rows={hours}
          onChange={(next) => {
            setHours(next);
            recheck(form.getFieldsValue(true), next);
          }}
          errors={errorsUnder(errors, 'hours')}
          disabled={!canManage}
          testIdPrefix="site-hours"
          emptyText={t('schedules.closed')}
        />
      </Card>

      {general && <Alert type="error" showIcon title={general} data-testid="site-form-error" />}
      {canManage && (
        <Flex justify="flex-end" gap={8}>
          <Button
            onClick={() => {
              form.resetFields();
              setHours(weekRowsOf(siteCalendarOf(site).openingHours));
              setErrors({});
              setGeneral(null);
              refused.current = false;
            }}
          >
            {t('schedules.discard')}
          </Button>
          <Button type="primary" loading={pending} onClick={() => void save()} data-testid="site-save">
            {t('common.save')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
}
