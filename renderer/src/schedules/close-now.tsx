/**
 * Emergency closure ("close now": a power cut, a burst pipe). Staff give the end time and a
 * reason; the desk FIRST lists the bookings the closure would hit (scheduling.previewCloseNow) and
 * only then offers to confirm site.closeNow, so nobody closes a site without seeing whom to call.
 * Active and upcoming emergency closures are listed with "Reopen" (the power is back).
 *
 * Times are typed as wall time in the site's zone, whatever zone the PC is set to.
 */
import { ThunderboltOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../core/scheduling/zoned-time';
import { localDateOf } from '../../../core/time';
import { formatDateTime } from '../common/format';
import { useNow } from '../common/use-now';
import { appErrorOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import { AffectedBookingsTable, affectedOf } from './booking-lists';
import type { AffectedBooking, CatalogSite } from './catalog-types';
import { checkCloseNow, type CloseNowRequest, type CloseNowValues } from './catalog-values';
import { DATE_TIME_FORMAT, placeIssues, wallOfInstant, type FormErrors } from './form-values';
import { statusOf, useFieldText, useGeneralText, useSchedulingMutate } from './use-schedules';

const HALF_HOUR = 30 * 60_000;
/** How far ahead emergency closures are listed: they are for hours, not weeks. */
const LIST_DAYS = 14;

/** Two hours from now, rounded up to the half hour: a sensible first guess for the end. */
export function defaultCloseNowEnd(now: number, timeZone: string): string {
  return wallOfInstant(Math.ceil((now + 4 * HALF_HOUR) / HALF_HOUR) * HALF_HOUR, timeZone);
}

export function EmergencyClosureCard({ site, canClose }: { site: CatalogSite; canClose: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const { language } = useLanguage();
  const generalText = useGeneralText();
  const { mutate } = useSchedulingMutate();
  const now = useNow(30_000);
  const today = localDateOf(now, site.timeZone);
  const upcoming = useQuery(trpc.scheduling.calendar.queryOptions({ siteId: site.id, from: addDays(today, -1), to: addDays(today, LIST_DAYS) }));
  // The list is as of its last fetch at least: a closure reopened a moment ago has ended by then.
  const asOf = Math.max(now, upcoming.dataUpdatedAt);
  const active = (upcoming.data?.closures ?? []).filter((c) => c.end > asOf);
  const [open, setOpen] = useState(false);

  const reopen = async (id: string) => {
    try {
      await mutate({ name: 'site.reopen', args: { id } });
      void message.success(t('schedules.closeNow.reopened'));
    } catch (e) {
      void message.error(generalText(appErrorOf(e), {}, () => false));
    }
  };

  return (
    <Card
      size="small"
      title={t('schedules.closeNow.title')}
      extra={
        canClose && (
          <Button danger type="primary" icon={<ThunderboltOutlined />} onClick={() => setOpen(true)} data-testid="close-now">
            {t('schedules.closeNow.button')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('schedules.closeNow.help')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={active}
        locale={{ emptyText: t('schedules.closeNow.none') }}
        onRow={() => ({ 'data-testid': 'emergency-closure-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            key: 'when',
            title: t('schedules.closeNow.when'),
            render: (_, c) => `${formatDateTime(c.start, language, site.timeZone)} – ${formatDateTime(c.end, language, site.timeZone)}`,
          },
          { key: 'reason', title: t('schedules.closeNow.reason'), render: (_, c) => c.reason },
          {
            key: 'state',
            title: '',
            render: (_, c) => (c.start <= asOf ? t('schedules.closeNow.activeNow') : t('schedules.closeNow.upcoming')),
          },
          ...(canClose
            ? [
                {
                  key: 'actions',
                  title: '',
                  width: 120,
                  render: (_: unknown, c: { id: string }) => (
                    <Popconfirm title={t('schedules.closeNow.reopenConfirm')} onConfirm={() => void reopen(c.id)} okText={t('schedules.closeNow.reopen')} cancelText={t('common.cancel')}>
                      <Button size="small" data-testid="reopen">
                        {t('schedules.closeNow.reopen')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={open}
        title={t('schedules.closeNow.modalTitle', { site: site.name })}
        onCancel={() => setOpen(false)}
        footer={null}
        destroyOnHidden
        mask={{ closable: false }}
        width={760}
        data-testid="close-now-form"
      >
        {open && <CloseNowForm site={site} onDone={() => setOpen(false)} />}
      </Modal>
    </Card>
  );
}

type Step = { step: 'edit' } | { step: 'preview'; request: CloseNowRequest; affected: AffectedBooking[] } | { step: 'done'; end: number; affected: AffectedBooking[] };

function CloseNowForm({ site, onDone }: { site: CatalogSite; onDone(): void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { language } = useLanguage();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const [values, setValues] = useState<CloseNowValues>(() => ({ end: defaultCloseNowEnd(Date.now(), site.timeZone), reason: '' }));
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [state, setState] = useState<Step>({ step: 'edit' });
  const [loading, setLoading] = useState(false);
  const isShown = (p: string) => p === 'end' || p === 'reason';

  const change = (patch: Partial<CloseNowValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setGeneral(null);
    // A preview is only good for what it was made from.
    if (state.step === 'preview') setState({ step: 'edit' });
  };

  const fail = (e: unknown) => {
    const error = appErrorOf(e);
    const placed = placeIssues(error.issues ?? [], []);
    setErrors(placed);
    setGeneral(generalText(error, placed, isShown));
  };

  const preview = async () => {
    setGeneral(null);
    const checked = checkCloseNow(site.id, values, site.timeZone, Date.now());
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setLoading(true);
    try {
      const affected = await queryClient.fetchQuery({
        ...trpc.scheduling.previewCloseNow.queryOptions({ siteId: site.id, end: checked.value.end }),
        staleTime: 0,
      });
      setState({ step: 'preview', request: checked.value, affected });
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  };

  const confirm = async () => {
    if (state.step !== 'preview') return;
    try {
      const result = await mutate({ name: 'site.closeNow', args: state.request });
      void message.success(t('schedules.closeNow.closed'));
      setState({ step: 'done', end: state.request.end, affected: affectedOf(result) });
    } catch (e) {
      fail(e);
      setState({ step: 'edit' });
    }
  };

  if (state.step === 'done') {
    return (
      <Flex vertical gap={12} data-testid="close-now-done">
        <Alert type="success" showIcon title={t('schedules.closeNow.closedUntil', { time: formatDateTime(state.end, language, site.timeZone) })} />
        <Typography.Text type="secondary">{t('schedules.affected.callHint')}</Typography.Text>
        <AffectedBookingsTable bookings={state.affected} testId="close-now-result" />
        <Flex justify="flex-end">
          <Button type="primary" onClick={onDone}>
            {t('common.close')}
          </Button>
        </Flex>
      </Flex>
    );
  }

  return (
    <Form layout="vertical" onFinish={() => void (state.step === 'preview' ? confirm() : preview())}>
      <Typography.Paragraph type="secondary">{t('schedules.closeNow.formHelp', { zone: site.timeZone })}</Typography.Paragraph>
      <Form.Item label={t('schedules.closeNow.end')} required {...statusOf(text(errors.end))}>
        <DatePicker
          data-testid="close-now-end"
          showTime={{ format: 'HH:mm', minuteStep: 5 }}
          format={DATE_TIME_FORMAT}
          value={values.end ? dayjs(values.end) : null}
          onChange={(d: Dayjs | null) => change({ end: d ? d.format(DATE_TIME_FORMAT) : '' })}
          needConfirm={false}
          allowClear={false}
          className="foyer-datetime-input"
        />
      </Form.Item>
      <Form.Item label={t('schedules.closeNow.reason')} required {...statusOf(text(errors.reason))}>
        <Input
          data-testid="close-now-reason"
          value={values.reason}
          maxLength={200}
          placeholder={t('schedules.closeNow.reasonPlaceholder')}
          onChange={(e) => change({ reason: e.target.value })}
        />
      </Form.Item>
      {state.step === 'preview' && (
        <Flex vertical gap={8} className="foyer-form-alert">
          <Alert
            type={state.affected.length > 0 ? 'warning' : 'info'}
            showIcon
            title={t('schedules.closeNow.previewTitle', { time: formatDateTime(state.request.end, language, site.timeZone) })}
          />
          <AffectedBookingsTable bookings={state.affected} testId="close-now-affected" />
        </Flex>
      )}
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" data-testid="close-now-error" />}
      <Flex justify="flex-end" gap={8}>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        {state.step === 'preview' ? (
          <Button danger type="primary" htmlType="submit" loading={pending} data-testid="close-now-confirm">
            {t('schedules.closeNow.confirm', { count: state.affected.length })}
          </Button>
        ) : (
          <Button type="primary" htmlType="submit" loading={loading} data-testid="close-now-preview">
            {t('schedules.closeNow.preview')}
          </Button>
        )}
      </Flex>
    </Form>
  );
}
