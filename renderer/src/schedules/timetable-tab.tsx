/**
 * The class timetable: a week of group class sessions (services with more than one seat), with
 * the coach, the room and the seats taken; schedule a class, move it or change its coach, room or
 * seats, and cancel it with a reason (everyone booked is cancelled by the studio, never a late
 * cancellation of theirs). The host checks the coach and room are free and working, as for any
 * booking. Dates and times are the site's.
 */
import { EditOutlined, LeftOutlined, PlusOutlined, RightOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Flex, Form, Input, InputNumber, Row, Select, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { CancelSessionArgs } from '../../../core/scheduling/class-session.mutators';
import { addDays, instantToWall, weekdayOf } from '../../../core/scheduling/zoned-time';
import { localDateOf } from '../../../core/time';
import { parseOrThrow } from '../../../core/validation';
import { useNow } from '../common/use-now';
import { appErrorOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import type { CalendarSession, CatalogResource, CatalogService } from './catalog-types';
import { checkSession, placeSessionIssues, sessionKinds, type SessionArgs, type SessionFormValues } from './catalog-values';
import { EditorModal } from './catalog-table';
import { DATE_FORMAT, formatHhmm, patchOf, placeIssues, tryParse, type FormErrors } from './form-values';
import { kindLabel } from './kinds';
import { statusOf, useFieldText, useGeneralText, useSchedulingMutate } from './use-schedules';

interface Props {
  siteId: string;
  timeZone: string;
  services: CatalogService[];
  resources: CatalogResource[];
  canManage: boolean;
}

type Target = { mode: 'create'; date: string } | { mode: 'edit'; session: CalendarSession };

/** The Monday of a date's ISO week. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

export function TimetableTab({ siteId, timeZone, services, resources, canManage }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const now = useNow();
  const today = localDateOf(now, timeZone);
  const [monday, setMonday] = useState(() => mondayOf(today));
  const week = useQuery(trpc.scheduling.calendar.queryOptions({ siteId, from: monday, to: addDays(monday, 6) }));
  const [target, setTarget] = useState<Target | null>(null);
  const [cancelling, setCancelling] = useState<CalendarSession | null>(null);
  const groupServices = services.filter((s) => s.seats > 1);
  const nameOf = (id: string | null) => (id ? (resources.find((r) => r.id === id)?.name ?? t('common.empty')) : t('common.empty'));
  const sessions = week.data?.sessions ?? [];

  const whenOf = (s: CalendarSession) => {
    const a = instantToWall(s.start, timeZone);
    const b = instantToWall(s.end, timeZone);
    return `${a.date} ${t(`schedules.weekdayShort.${a.weekday}`)} ${formatHhmm(a.minutes)}–${formatHhmm(b.minutes)}`;
  };

  return (
    <Card
      size="small"
      title={t('schedules.classes.title')}
      extra={
        canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setTarget({ mode: 'create', date: monday < today ? today : monday })}
            disabled={groupServices.length === 0}
            data-testid="session-add"
          >
            {t('schedules.classes.add')}
          </Button>
        )
      }
    >
      <Flex vertical gap={12}>
        {!canManage && <Alert type="info" showIcon title={t('schedules.readOnly.schedule')} />}
        {groupServices.length === 0 && <Alert type="info" showIcon title={t('schedules.classes.noGroupServices')} />}
        <Flex gap={8} align="center" wrap>
          <Button icon={<LeftOutlined />} aria-label={t('schedules.classes.previousWeek')} onClick={() => setMonday(addDays(monday, -7))} />
          <DatePicker
            picker="date"
            value={dayjs(monday)}
            format={(d) => t('schedules.classes.weekOf', { from: d.format(DATE_FORMAT), to: d.add(6, 'day').format(DATE_FORMAT) })}
            onChange={(d: Dayjs | null) => d && setMonday(mondayOf(d.format(DATE_FORMAT)))}
            allowClear={false}
            data-testid="timetable-week"
            className="foyer-week-picker"
          />
          <Button icon={<RightOutlined />} aria-label={t('schedules.classes.nextWeek')} onClick={() => setMonday(addDays(monday, 7))} />
          <Button onClick={() => setMonday(mondayOf(today))}>{t('schedules.classes.thisWeek')}</Button>
        </Flex>
        <Table<CalendarSession>
          size="small"
          rowKey="id"
          loading={week.isPending}
          dataSource={sessions}
          pagination={false}
          locale={{ emptyText: t('schedules.classes.empty') }}
          onRow={(s) => ({ 'data-testid': 'session-row', 'data-status': s.status }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'when', title: t('schedules.classes.when'), render: (_, s) => whenOf(s) },
            { key: 'service', title: t('schedules.classes.service'), render: (_, s) => s.serviceName },
            { key: 'coach', title: t('schedules.classes.coach'), render: (_, s) => nameOf(s.coachId) },
            { key: 'room', title: t('schedules.classes.room'), render: (_, s) => nameOf(s.roomId) },
            { key: 'seats', title: t('schedules.classes.seats'), render: (_, s) => t('schedules.classes.taken', { taken: s.taken, capacity: s.capacity }) },
            {
              key: 'status',
              title: t('schedules.classes.status'),
              render: (_, s) =>
                s.status === 'cancelled' ? <Tag>{t('schedules.classes.cancelled')}</Tag> : <Tag color="green">{t('schedules.classes.scheduled')}</Tag>,
            },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    title: '',
                    width: 180,
                    render: (_: unknown, s: CalendarSession) =>
                      s.status === 'scheduled' && s.start > now ? (
                        <Flex gap={4}>
                          <Button size="small" icon={<EditOutlined />} onClick={() => setTarget({ mode: 'edit', session: s })} data-testid="session-edit">
                            {t('schedules.edit')}
                          </Button>
                          <Button size="small" danger icon={<StopOutlined />} onClick={() => setCancelling(s)} data-testid="session-cancel">
                            {t('schedules.classes.cancel')}
                          </Button>
                        </Flex>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Flex>
      <EditorModal
        open={target !== null}
        title={target?.mode === 'edit' ? t('schedules.classes.editTitle', { service: target.session.serviceName }) : t('schedules.classes.addTitle')}
        onClose={() => setTarget(null)}
        width={640}
        testId="session-form"
      >
        {target && <SessionForm target={target} timeZone={timeZone} services={groupServices} resources={resources} onDone={() => setTarget(null)} />}
      </EditorModal>
      <EditorModal open={cancelling !== null} title={t('schedules.classes.cancelTitle')} onClose={() => setCancelling(null)} testId="session-cancel-form">
        {cancelling && <CancelSessionForm session={cancelling} when={whenOf(cancelling)} onDone={() => setCancelling(null)} />}
      </EditorModal>
    </Card>
  );
}

function sessionValuesOf(target: Target, services: CatalogService[], timeZone: string): SessionFormValues {
  if (target.mode === 'create') return { serviceId: services.length === 1 ? services[0]!.id : null, date: target.date, time: '18:00', coachId: null, roomId: null, seats: null };
  const s = target.session;
  const w = instantToWall(s.start, timeZone);
  const serviceSeats = services.find((x) => x.id === s.serviceId)?.seats;
  return { serviceId: s.serviceId, date: w.date, time: formatHhmm(w.minutes), coachId: s.coachId, roomId: s.roomId, seats: s.capacity === serviceSeats ? null : s.capacity };
}

function SessionForm({
  target,
  timeZone,
  services,
  resources,
  onDone,
}: {
  target: Target;
  timeZone: string;
  services: CatalogService[];
  resources: CatalogResource[];
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const initial = useMemo(() => sessionValuesOf(target, services, timeZone), [target, services, timeZone]);
  const [values, setValues] = useState<SessionFormValues>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const service = services.find((s) => s.id === values.serviceId) ?? null;
  const kinds = sessionKinds(service?.resourceKinds ?? []);
  const active = resources.filter((r) => r.active);
  const coaches = active.filter((r) => r.kind === kinds.coach);
  const rooms = active.filter((r) => r.kind === kinds.room);
  const set = (patch: Partial<SessionFormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setGeneral(null);
  };
  const isShown = (p: string) => ['serviceId', 'date', 'time', 'coachId', 'roomId', 'seats'].includes(p);

  const save = async () => {
    setGeneral(null);
    const checked = checkSession(values, timeZone);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    try {
      if (target.mode === 'create') {
        await mutate({ name: 'classSession.create', args: checked.value });
        void message.success(t('schedules.classes.created'));
      } else {
        const before = checkSession(initial, timeZone);
        const { serviceId: _s, ...next } = checked.value;
        const was: Omit<SessionArgs, 'serviceId'> = before.ok
          ? { start: before.value.start, coachId: before.value.coachId, roomId: before.value.roomId, seats: before.value.seats }
          : { start: target.session.start, coachId: target.session.coachId, roomId: target.session.roomId, seats: null };
        const patch = patchOf(was, next);
        if (Object.keys(patch).length === 0) void message.info(t('schedules.unchanged'));
        else {
          await mutate({ name: 'classSession.update', args: { id: target.session.id, patch } });
          void message.success(t('schedules.classes.updated'));
        }
      }
      onDone();
    } catch (e) {
      const error = appErrorOf(e);
      const placed = placeSessionIssues(error.issues ?? []);
      setErrors(placed);
      setGeneral(generalText(error, placed, isShown));
    }
  };

  return (
    <Form layout="vertical" onFinish={() => void save()}>
      <Form.Item label={t('schedules.classes.service')} required {...statusOf(text(errors.serviceId))}>
        <Select
          data-testid="session-form-serviceId"
          value={values.serviceId ?? undefined}
          disabled={target.mode === 'edit'}
          onChange={(serviceId: string) => set({ serviceId, coachId: null, roomId: null })}
          options={services.filter((s) => s.active || s.id === values.serviceId).map((s) => ({ value: s.id, label: s.name }))}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
      {service && !kinds.supported && <Alert type="warning" showIcon title={t('schedules.classes.tooManyKinds')} className="foyer-form-alert" />}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item label={t('schedules.classes.date')} required {...statusOf(text(errors.date))}>
            <DatePicker
              data-testid="session-form-date"
              value={values.date ? dayjs(values.date) : null}
              format={DATE_FORMAT}
              onChange={(d: Dayjs | null) => set({ date: d ? d.format(DATE_FORMAT) : null })}
              className="foyer-date-input"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('schedules.classes.start')} required extra={service ? t('schedules.classes.lasts', { count: service.durationMinutes }) : undefined} {...statusOf(text(errors.time))}>
            <Input data-testid="session-form-time" value={values.time} onChange={(e) => set({ time: e.target.value })} placeholder="18:00" maxLength={5} className="foyer-time-input" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={kinds.coach ? kindLabel(t, kinds.coach) : t('schedules.classes.coach')} required {...statusOf(text(errors.coachId))}>
            <Select
              data-testid="session-form-coachId"
              value={values.coachId ?? undefined}
              onChange={(coachId: string) => set({ coachId })}
              options={coaches.map((r) => ({ value: r.id, label: r.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              notFoundContent={t('schedules.classes.noneOfKind')}
            />
          </Form.Item>
        </Col>
        {kinds.room && (
          <Col span={12}>
            <Form.Item label={kindLabel(t, kinds.room)} required {...statusOf(text(errors.roomId))}>
              <Select
                data-testid="session-form-roomId"
                value={values.roomId ?? undefined}
                onChange={(roomId: string) => set({ roomId })}
                options={rooms.map((r) => ({ value: r.id, label: r.capacity ? `${r.name} (${t('schedules.classes.holds', { count: r.capacity })})` : r.name }))}
                showSearch={{ optionFilterProp: 'label' }}
                notFoundContent={t('schedules.classes.noneOfKind')}
              />
            </Form.Item>
          </Col>
        )}
        <Col span={12}>
          <Form.Item label={t('schedules.classes.seatsOverride')} extra={service ? t('schedules.classes.seatsDefault', { count: service.seats }) : undefined} {...statusOf(text(errors.seats))}>
            <InputNumber
              data-testid="session-form-seats"
              value={values.seats}
              onChange={(seats) => set({ seats: typeof seats === 'number' ? seats : null })}
              min={1}
              max={500}
              precision={0}
              placeholder={service ? String(service.seats) : undefined}
              className="foyer-number"
            />
          </Form.Item>
        </Col>
      </Row>
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" data-testid="session-form-error" />}
      <Flex justify="flex-end" gap={8}>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={pending} data-testid="session-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}

function CancelSessionForm({ session, when, onDone }: { session: CalendarSession; when: string; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const text = useFieldText();
  const generalText = useGeneralText();
  const { mutate, pending } = useSchedulingMutate();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);

  const cancel = async () => {
    const checked = tryParse(() => parseOrThrow(CancelSessionArgs, { id: session.id, reason }));
    if (!checked.ok) {
      setErrors(placeIssues(checked.issues, []));
      return;
    }
    setErrors({});
    try {
      const result = (await mutate({ name: 'classSession.cancel', args: checked.value })) as { cancelledBookings?: unknown[] } | null;
      void message.success(t('schedules.classes.cancelledDone', { count: result?.cancelledBookings?.length ?? 0 }));
      onDone();
    } catch (e) {
      const error = appErrorOf(e);
      const placed = placeIssues(error.issues ?? [], []);
      setErrors(placed);
      setGeneral(generalText(error, placed, (p) => p === 'reason'));
    }
  };

  return (
    <Form layout="vertical" onFinish={() => void cancel()}>
      <Typography.Paragraph>
        {t('schedules.classes.cancelHelp', { service: session.serviceName, when, count: session.taken })}
      </Typography.Paragraph>
      <Form.Item label={t('schedules.classes.cancelReason')} required {...statusOf(text(errors.reason))}>
        <Input data-testid="session-cancel-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} autoFocus />
      </Form.Item>
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" />}
      <Flex justify="flex-end" gap={8}>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button danger type="primary" htmlType="submit" loading={pending} data-testid="session-cancel-confirm">
          {t('schedules.classes.cancel')}
        </Button>
      </Flex>
    </Form>
  );
}
