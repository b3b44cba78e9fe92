/**
 * The calendar a receptionist keeps open all day. One column per resource (grouped by
 * department), the site from the header's site picker, date and view in the URL
 * (`/calendar?date=2026-11-23&view=day`), times in the site's zone, the booking grid as slots.
 *
 * Drag a range to book, drag a booking to move it (the host's mutators decide; a refusal is
 * said in words and the booking snaps back), click one to see and change it, click a class to
 * see its roster. "Find a slot" finds the next free times for a service. Everything on screen is
 * live: the app refetches on every committed change (host/use-live-updates.ts), and the previous
 * window stays on screen while the next one loads, so nothing blinks.
 */
import { CalendarOutlined, FilterOutlined, LeftOutlined, PlusOutlined, RightOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Badge, Button, DatePicker, Empty, Flex, Popover, Segmented, Select, Skeleton, Space, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BOOKING_STATUSES, type BookingStatus } from '../../../core/scheduling/schedule';
import { localDateOf } from '../../../core/time';
import { lazyComponent, whenIdle } from '../common/lazy-component';
import { useHotkey } from '../common/use-hotkey';
import { useNow } from '../common/use-now';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import type { useLanguage } from '../i18n/use-language';
import { paths } from '../routing/routes';
import { useRouter } from '../routing/router';
import { useDesk, type Site, type SystemInfo } from '../shell/desk-context';
import { BookingCalendar, type DropRequest, type EventTexts, type GridView } from './booking-calendar';
import type { BookingDrawerTarget } from './booking-drawer';
import { SiteDeskProvider, useCalendarDesk } from './calendar-desk';
import { COLOUR_MODES, type ColourMode } from './calendar-colours';
import { toCalendarEvents, toCalendarResources, visibleHours } from './calendar-events';
import { activeFilterCount, defaultFilters, filterCalendar, NO_DEPARTMENT, type CalendarFilters } from './calendar-filters';
import { formatLocalDate } from './calendar-format';
import { rememberCalendarSite } from './calendar-prefetch';
import { statusLabel } from './calendar-labels';
import { CALENDAR_VIEWS, rangeOf, shiftPlace, type CalendarPlace, type CalendarView } from './calendar-url';
import type { CalendarBooking, CalendarSession, FoundSlot } from './types';
import { useCalendarPlace } from './use-calendar-place';
import './calendar.css';

const DATE_FORMAT = 'YYYY-MM-DD';
const NO_RESOURCES: ReturnType<typeof toCalendarResources> = [];
const NO_EVENTS: ReturnType<typeof toCalendarEvents> = [];
const NO_BOOKINGS: CalendarBooking[] = [];
const DEFAULT_HOURS = { slotMinTime: '08:00:00', slotMaxTime: '20:00:00', scrollTime: '08:00:00' };

/**
 * The drawers (the booking form with customer search and registration, a booking's details, a
 * class roster, find a slot) and the list view (a table) are not needed to show the day's grid,
 * so their code is loaded once the calendar is on screen and the browser is idle, or when first
 * needed.
 */
const bookingList = lazyComponent(() => import('./booking-list').then((m) => m.BookingList));
const bookingDrawer = lazyComponent(() => import('./booking-drawer').then((m) => m.BookingDrawer));
const sessionDrawer = lazyComponent(() => import('./session-drawer').then((m) => m.SessionDrawer));
const findSlotDrawer = lazyComponent(() => import('./find-slot-drawer').then((m) => m.FindSlotDrawer));
const { Component: BookingList } = bookingList;
const { Component: BookingDrawer } = bookingDrawer;
const { Component: SessionDrawer } = sessionDrawer;
const { Component: FindSlotDrawer } = findSlotDrawer;
const DRAWERS_AFTER_MS = 1_000;

/** True from the first time `open` is: a drawer is mounted when first opened, then stays mounted (it animates its closing). */
function useOpenedOnce(open: boolean): boolean {
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  return opened || open;
}

export function CalendarPage() {
  const { t } = useTranslation();
  const { info, site } = useDesk();
  // So that the next window opened on the calendar can ask for this site's day at once (calendar-prefetch.ts).
  useEffect(() => {
    if (site) rememberCalendarSite(site);
  }, [site]);
  if (!info) return <Skeleton active className="foyer-page" />;
  if (!site) return <Empty className="foyer-page" description={t('header.noOrganization')} />;
  return <CalendarForSite key={site.id} site={site} info={info} />;
}

function CalendarForSite({ site, info }: { site: Site; info: SystemInfo }) {
  return (
    <SiteDeskProvider site={site} role={info.actor.role}>
      <CalendarScreen />
    </SiteDeskProvider>
  );
}

function placeLabel(place: CalendarPlace, language: ReturnType<typeof useLanguage>['language']): string {
  const { from, to } = rangeOf(place);
  if (place.view === 'week') return `${formatLocalDate(from, language)} – ${formatLocalDate(to, language)}`;
  if (place.view === 'month') return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.parse(`${place.date}T12:00:00Z`));
  return formatLocalDate(place.date, language);
}

function CalendarScreen() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const { navigate } = useRouter();
  const desk = useCalendarDesk();
  const { siteId, timeZone, language, catalog, write, mutate } = desk;
  const now = useNow();
  const today = localDateOf(now, timeZone);
  const [place, go] = useCalendarPlace(today);
  const range = rangeOf(place);
  const calendar = useQuery({ ...trpc.scheduling.calendar.queryOptions({ siteId, ...range }), placeholderData: keepPreviousData });
  const data = calendar.data;

  const [filters, setFilters] = useState<CalendarFilters>(defaultFilters);
  const [colourMode, setColourMode] = useState<ColourMode>('status');
  const [drawer, setDrawer] = useState<BookingDrawerTarget | null>(null);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [findOpen, setFindOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const zone = data?.timeZone ?? timeZone;
  const granularity = data?.granularityMinutes ?? desk.granularityMinutes;
  const gridView: GridView | null = place.view === 'list' ? null : place.view;

  const shown = useMemo(() => (data ? filterCalendar(data, filters) : null), [data, filters]);
  const resources = useMemo(() => (shown ? toCalendarResources(shown.resources) : NO_RESOURCES), [shown]);
  const events = useMemo(
    () => (data && shown ? toCalendarEvents(data, shown, { timeZone: zone, colourMode, resourceView: place.view !== 'month' }) : NO_EVENTS),
    [data, shown, zone, colourMode, place.view],
  );
  const computedHours = useMemo(() => (data && shown ? visibleHours(data, shown, zone) : DEFAULT_HOURS), [data, shown, zone]);
  const { slotMinTime, slotMaxTime, scrollTime } = computedHours;
  const hours = useMemo(() => ({ slotMinTime, slotMaxTime, scrollTime }), [slotMinTime, slotMaxTime, scrollTime]);
  // Only the list view needs it (and reading 600 local dates costs ~20 ms).
  const listBookings = useMemo(
    () => (shown && gridView === null ? shown.bookings.filter((b) => localDateOf(b.start, zone) === place.date) : NO_BOOKINGS),
    [shown, gridView, zone, place.date],
  );
  const session = sessionId === null ? null : (data?.sessions.find((s) => s.id === sessionId) ?? null);

  const texts = useMemo<EventTexts>(() => {
    // Looked up once, not once per event (600 i18next calls cost ~25 ms).
    const statuses = new Map(BOOKING_STATUSES.map((s) => [s as string, statusLabel(t, s)]));
    return {
      seatsLeft: (count) => t('calendar.session.left', { count }),
      full: t('calendar.session.full'),
      status: (s) => statuses.get(s) ?? s,
      closure: (reason) => t('calendar.closure', { reason }),
      noDepartment: t('calendar.noDepartment'),
    };
  }, [t]);

  useEffect(
    () =>
      whenIdle(() => {
        void bookingList.load();
        void bookingDrawer.load();
        void sessionDrawer.load();
        void findSlotDrawer.load();
      }, DRAWERS_AFTER_MS),
    [],
  );
  const bookingDrawerOpened = useOpenedOnce(drawer !== null);
  const sessionDrawerOpened = useOpenedOnce(session !== null);
  const findSlotOpened = useOpenedOnce(findOpen);

  const setView = (view: CalendarView) => go({ ...place, view });
  const openNew = useCallback(() => setDrawer({ mode: 'new', prefill: { date: place.date } }), [place.date]);
  useHotkey({ key: 'n', alt: true }, openNew, drawer === null && desk.canWrite);

  const onSelect = useCallback(
    (r: { start: number; end: number; resourceId: string | null }) =>
      setDrawer({ mode: 'new', prefill: { start: r.start, resourceIds: r.resourceId ? [r.resourceId] : [], minutes: Math.round((r.end - r.start) / 60_000) } }),
    [],
  );
  const onOpenBooking = useCallback((b: CalendarBooking) => setDrawer({ mode: 'existing', bookingId: b.id, title: b.customerName }), []);
  const onOpenSession = useCallback((s: CalendarSession) => setSessionId(s.id), []);
  const onOpenDay = useCallback((date: string) => go({ date, view: 'day' }), [go]);

  const onDrop = useCallback(
    (r: DropRequest) => {
      setError(null);
      void (async () => {
        const outcome = await write((extras) =>
          mutate({
            name: 'booking.reschedule',
            args: { id: r.booking.id, start: r.start, resourceIds: r.resourceIds, ...(extras.acknowledgeCustomerOverlap ? { acknowledgeCustomerOverlap: true } : {}) },
          }),
        );
        if (outcome.ok) {
          void message.success(t('calendar.moved', { name: r.booking.customerName }));
          return;
        }
        r.revert();
        if (outcome.error) setError(t('calendar.moveRefused', { reason: messageOf(t, outcome.error.key, outcome.error.params) }));
      })();
    },
    [write, mutate, message, t],
  );

  const onTransition = (b: CalendarBooking, to: Exclude<BookingStatus, 'pending' | 'cancelled' | 'noShow'>) => {
    setBusy(`${b.id}:${to}`);
    setError(null);
    void write(() => mutate({ name: 'booking.transition', args: { id: b.id, to } }))
      .then((outcome) => {
        if (!outcome.ok && outcome.error) setError(messageOf(t, outcome.error.key, outcome.error.params));
      })
      .finally(() => setBusy(null));
  };

  const onPickSlot = (slot: FoundSlot, serviceId: string) => {
    setFindOpen(false);
    go({ date: localDateOf(slot.start, zone), view: place.view === 'week' ? 'week' : 'day' });
    setDrawer({ mode: 'new', prefill: { start: slot.start, resourceIds: slot.resourceIds, serviceId } });
  };

  const resourceName = (id: string) => catalog?.resources.find((r) => r.id === id)?.name ?? data?.resources.find((r) => r.id === id)?.name ?? id;
  const loadError = calendar.isError && !data ? appErrorOf(calendar.error) : null;
  const filterCount = activeFilterCount(filters);

  return (
    <div className="foyer-page foyer-calendar-page" data-testid="calendar" data-date={place.date} data-view={place.view} data-loading={calendar.isFetching ? 'true' : 'false'}>
      <Flex justify="space-between" align="center" gap={12} wrap className="foyer-calendar-toolbar">
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={3} className="foyer-page-title">
            {t('calendar.title')}
          </Typography.Title>
          <Space.Compact>
            <Tooltip title={t('calendar.previous')}>
              <Button icon={<LeftOutlined />} onClick={() => go(shiftPlace(place, -1))} aria-label={t('calendar.previous')} data-testid="calendar-prev" />
            </Tooltip>
            <Button onClick={() => go({ ...place, date: today })} data-testid="calendar-today" disabled={place.date === today}>
              {t('calendar.today')}
            </Button>
            <Tooltip title={t('calendar.next')}>
              <Button icon={<RightOutlined />} onClick={() => go(shiftPlace(place, 1))} aria-label={t('calendar.next')} data-testid="calendar-next" />
            </Tooltip>
          </Space.Compact>
          <DatePicker
            value={dayjs(place.date)}
            format={DATE_FORMAT}
            allowClear={false}
            onChange={(d) => d && go({ ...place, date: d.format(DATE_FORMAT) })}
            aria-label={t('calendar.pickDate')}
            data-testid="calendar-date"
            suffixIcon={<CalendarOutlined />}
            className="foyer-calendar-date"
          />
          <Typography.Text strong data-testid="calendar-label">
            {placeLabel(place, language)}
          </Typography.Text>
        </Flex>
        <Flex align="center" gap={8} wrap>
          <Segmented<CalendarView>
            value={place.view}
            onChange={setView}
            aria-label={t('calendar.view.label')}
            options={CALENDAR_VIEWS.map((v) => ({ value: v, label: <span data-testid={`calendar-view-${v}`}>{t(`calendar.view.${v}`)}</span> }))}
          />
          <Select<ColourMode>
            value={colourMode}
            onChange={setColourMode}
            aria-label={t('calendar.colour.label')}
            data-testid="calendar-colour"
            popupMatchSelectWidth={false}
            options={COLOUR_MODES.map((m) => ({ value: m, label: t(`calendar.colour.${m}`) }))}
          />
          <Popover trigger="click" placement="bottomRight" content={<FilterPanel filters={filters} onChange={setFilters} />} title={t('calendar.filters')}>
            <Badge count={filterCount} size="small">
              <Button icon={<FilterOutlined />} data-testid="calendar-filters">
                {t('calendar.filters')}
              </Button>
            </Badge>
          </Popover>
          <Button icon={<SearchOutlined />} onClick={() => setFindOpen(true)} data-testid="find-slot-open">
            {t('calendar.findSlot.title')}
          </Button>
          {desk.canWrite && (
            <Tooltip title={t('calendar.newShortcut')}>
              <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="calendar-new" aria-keyshortcuts="Alt+N">
                {t('calendar.new')}
              </Button>
            </Tooltip>
          )}
        </Flex>
      </Flex>

      {error && <Alert type="error" showIcon closable={{ onClose: () => setError(null) }} title={error} data-testid="calendar-error" role="alert" className="foyer-calendar-alert" />}
      {loadError && (
        <Alert
          type="error"
          showIcon
          title={t('calendar.loadFailed')}
          description={messageOf(t, loadError.key, loadError.params)}
          action={<Button onClick={() => void calendar.refetch()}>{t('common.retry')}</Button>}
          data-testid="calendar-error"
          className="foyer-calendar-alert"
        />
      )}

      {!data && calendar.isPending ? (
        <Skeleton active />
      ) : gridView === null ? (
        <Suspense fallback={<Skeleton active />}>
          <BookingList bookings={listBookings} resourceName={resourceName} loading={calendar.isPending} busy={busy} onOpen={onOpenBooking} onTransition={onTransition} />
        </Suspense>
      ) : gridView !== 'month' && data && data.resources.length === 0 ? (
        <Empty description={t('calendar.noResources')} data-testid="calendar-empty">
          <Button onClick={() => navigate(paths.scheduleSettings())}>{t('calendar.setUp')}</Button>
        </Empty>
      ) : (
        <div className="foyer-calendar-grid">
          <BookingCalendar
            view={gridView}
            date={place.date}
            timeZone={zone}
            language={language}
            granularityMinutes={granularity}
            resources={resources}
            events={events}
            hours={hours}
            editable={desk.canWrite}
            texts={texts}
            onSelect={onSelect}
            onDrop={onDrop}
            onOpenBooking={onOpenBooking}
            onOpenSession={onOpenSession}
            onOpenDay={onOpenDay}
          />
        </div>
      )}

      {bookingDrawerOpened && (
        <Suspense fallback={null}>
          <BookingDrawer target={drawer} onClose={() => setDrawer(null)} />
        </Suspense>
      )}
      {sessionDrawerOpened && (
        <Suspense fallback={null}>
          <SessionDrawer session={session} onClose={() => setSessionId(null)} onOpenBooking={(id, title) => setDrawer({ mode: 'existing', bookingId: id, title })} />
        </Suspense>
      )}
      {findSlotOpened && (
        <Suspense fallback={null}>
          <FindSlotDrawer open={findOpen} date={place.date < today ? today : place.date} onClose={() => setFindOpen(false)} onPick={onPickSlot} />
        </Suspense>
      )}
    </div>
  );
}

function FilterPanel({ filters, onChange }: { filters: CalendarFilters; onChange(f: CalendarFilters): void }) {
  const { t } = useTranslation();
  const { catalog } = useCalendarDesk();
  const departments = [...(catalog?.departments ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name })), { value: NO_DEPARTMENT, label: t('calendar.noDepartment') }];
  const resources = (catalog?.resources ?? []).filter((r) => r.active).map((r) => ({ value: r.id, label: r.name }));
  const services = (catalog?.services ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.name }));
  const statuses = BOOKING_STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }));
  const multi = { mode: 'multiple' as const, allowClear: true, className: 'foyer-filter-select', maxTagCount: 'responsive' as const, placeholder: t('calendar.filter.all') };
  return (
    <Flex vertical gap={8} className="foyer-filter-panel">
      <Typography.Text type="secondary">{t('calendar.filter.department')}</Typography.Text>
      <Select {...multi} data-testid="filter-department" options={departments} value={filters.departmentIds} onChange={(v: string[]) => onChange({ ...filters, departmentIds: v })} />
      <Typography.Text type="secondary">{t('calendar.filter.resource')}</Typography.Text>
      <Select {...multi} data-testid="filter-resource" options={resources} value={filters.resourceIds} onChange={(v: string[]) => onChange({ ...filters, resourceIds: v })} optionFilterProp="label" />
      <Typography.Text type="secondary">{t('calendar.filter.service')}</Typography.Text>
      <Select {...multi} data-testid="filter-service" options={services} value={filters.serviceIds} onChange={(v: string[]) => onChange({ ...filters, serviceIds: v })} optionFilterProp="label" />
      <Typography.Text type="secondary">{t('calendar.filter.status')}</Typography.Text>
      <Select {...multi} data-testid="filter-status" options={statuses} value={filters.statuses} onChange={(v: BookingStatus[]) => onChange({ ...filters, statuses: v })} />
      <Flex justify="end">
        <Button size="small" onClick={() => onChange(defaultFilters())} data-testid="filter-reset">
          {t('calendar.filter.reset')}
        </Button>
      </Flex>
    </Flex>
  );
}
