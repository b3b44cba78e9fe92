/**
 * The time grid itself: FullCalendar (its GPL option) with a column per resource. Day and week
 * are resource time grids (week: each day split into the resource columns), month is a day grid.
 *
 * - Times are calendar times (calendar-time.ts): FullCalendar runs in 'UTC' and is fed the site's
 *   wall-clock readings; `now` is the site's too, so the now line and "today" are right whatever
 *   the PC's zone.
 * - Drag a range on a column: a new booking there (`onSelect`). Drag a booking: a reschedule to
 *   the new time and column (`onDrop`), which the caller confirms with the host or reverts.
 * - Resizing is off: booking.reschedule keeps a booking's length and buffers (they were set by
 *   the service when it was booked, and no mutator changes the length of a booking), so a resize
 *   could only be refused.
 * - Event and column contents are built with FullCalendar's own `createElement` (its internal
 *   Preact), not React elements: React content would be mounted through one portal per event,
 *   which is several times slower for a full day of 600 bookings. The event's time is written by
 *   that content too, and FullCalendar's own time text is switched off (`displayEventTime`): it
 *   builds a new Intl formatter for every event's time range, ~0.2 ms each.
 * - FullCalendar re-applies every option when this component re-renders, so every prop given to
 *   it is kept referentially stable (memoized by the caller and here).
 * - The events are handed over only once the empty grid is mounted. A time grid places events
 *   from the measured rows; events given at mount are first rendered hidden, then measured and
 *   rendered again in place, so a day of 600 bookings was built and laid out twice. FullCalendar
 *   mounts its view and measures the rows synchronously in its componentDidMount; the events are
 *   given in the re-render that its viewDidMount callback asks for, which React runs right after
 *   that commit, before the browser paints. They are then built once, where they belong.
 */
import type { DateSelectArg, DateSpanApi, EventClickArg, EventContentArg, EventDropArg, EventInput } from '@fullcalendar/core';
import zhCnLocale from '@fullcalendar/core/locales/zh-cn';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import type { ResourceInput, ResourceLabelContentArg } from '@fullcalendar/resource';
import resourceTimeGridPlugin from '@fullcalendar/resource-timegrid';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Language } from '../../../core/i18n/messages';
import type { LocalDate } from '../../../core/time';
import { movedResourceIds, type EventMeta, type ResourceMeta } from './calendar-events';
import { calendarDateOf, fromCalendarTime, hhmm, calendarMinutesOf, toCalendarTime } from './calendar-time';
import type { CalendarBooking, CalendarSession } from './types';

/** The GPL option of FullCalendar Premium: Foyer is GPL-3.0-or-later. */
const LICENSE_KEY = 'GPL-My-Project-Is-Open-Source';
const PLUGINS = [resourceTimeGridPlugin, dayGridPlugin, interactionPlugin];
const LOCALES = [zhCnLocale];
const FC_VIEWS = { day: 'resourceTimeGridDay', week: 'resourceTimeGridWeek', month: 'dayGridMonth' } as const;
const TIME_FORMAT = { hour: '2-digit', minute: '2-digit', hour12: false } as const;
/**
 * Slot labels are written here rather than by FullCalendar's Intl formatting (a new formatter
 * per label range, ~20 ms for a day's labels); the title is not shown (no header toolbar), so it
 * is not formatted at all.
 */
const SLOT_LABEL = (arg: { date: { hour: number; minute: number } }) => hhmm(arg.date.hour * 60 + arg.date.minute);
const NO_TITLE = () => '';
/**
 * Narrowest column before the grid scrolls sideways (many resources). FullCalendar's own
 * `dayMinWidth` needs the premium scrollgrid plugin, which is not installed, so the grid is
 * given a minimum width instead and its frame scrolls.
 */
const COLUMN_MIN_WIDTH = { day: 110, week: 72, month: 0 } as const;
const TIME_AXIS_WIDTH = 64;
const NO_EVENTS: EventInput[] = [];

export type GridView = keyof typeof FC_VIEWS;

/** FullCalendar's createElement (Preact's `h`), as handed to content hooks. */
type H = (tag: string, props: Record<string, unknown> | null, ...children: unknown[]) => unknown;

export interface EventTexts {
  seatsLeft(count: number): string;
  full: string;
  status(status: string): string;
  closure(reason: string): string;
  noDepartment: string;
}

export interface DropRequest {
  booking: CalendarBooking;
  start: number;
  resourceIds: string[];
  revert(): void;
}

interface Props {
  view: GridView;
  date: LocalDate;
  timeZone: string;
  language: Language;
  granularityMinutes: number;
  resources: ResourceInput[];
  events: EventInput[];
  hours: { slotMinTime: string; slotMaxTime: string; scrollTime: string };
  editable: boolean;
  texts: EventTexts;
  onSelect(range: { start: number; end: number; resourceId: string | null }): void;
  onDrop(request: DropRequest): void;
  onOpenBooking(b: CalendarBooking): void;
  onOpenSession(s: CalendarSession): void;
  onOpenDay(date: LocalDate): void;
}

function clock(d: Date | null): string {
  return d === null ? '' : hhmm(calendarMinutesOf(d.valueOf()));
}

export const BookingCalendar = memo(function BookingCalendar(p: Props) {
  const ref = useRef<FullCalendar>(null);
  const { view, date, timeZone, texts, onSelect, onDrop, onOpenBooking, onOpenSession, onOpenDay } = p;

  // The events once the grid has measured itself (see the header).
  const [gridReady, setGridReady] = useState(false);
  const viewDidMount = useCallback(() => setGridReady(true), []);

  // Follow the URL: FullCalendar's own date and view are set once at mount, then moved here.
  useEffect(() => {
    const api = ref.current?.getApi();
    if (!api) return;
    const target = FC_VIEWS[view];
    if (api.view.type !== target) api.changeView(target, date);
    else if (calendarDateOf(api.getDate().valueOf()) !== date) api.gotoDate(date);
  }, [view, date]);

  const now = useCallback(() => toCalendarTime(Date.now(), timeZone), [timeZone]);

  const eventContent = useCallback(
    (arg: EventContentArg, h: H) => {
      const meta = arg.event.extendedProps as EventMeta;
      const time = `${clock(arg.event.start)}–${clock(arg.event.end)}`;
      if (meta.kind === 'booking') {
        const b = meta.booking;
        const tip = `${time} ${b.customerName} · ${b.serviceName} · ${texts.status(b.status)}`;
        const props = { className: 'foyer-ev', 'data-testid': 'booking-event', 'data-booking-id': b.id, 'data-status': b.status, title: tip };
        if (arg.view.type === FC_VIEWS.month) return h('div', props, clock(arg.event.start), ' ', h('b', null, b.customerName));
        // Few nodes per event: a day of 600 bookings is laid out at once.
        return h('div', props, b.lateCancel ? `${time} ⚑` : time, h('b', { className: 'foyer-ev-name' }, b.customerName), b.serviceName);
      }
      if (meta.kind === 'session') {
        const left = meta.seatsLeft;
        const seats = left === 0 ? texts.full : texts.seatsLeft(left);
        return h(
          'div',
          { className: 'foyer-ev', 'data-testid': 'session-event', 'data-session-id': meta.session.id, 'data-left': left, title: `${time} ${meta.session.serviceName} · ${seats}` },
          h('div', { className: 'foyer-ev-time' }, arg.view.type === FC_VIEWS.month ? clock(arg.event.start) : time),
          h('div', { className: 'foyer-ev-name' }, meta.session.serviceName),
          h('div', { className: left === 0 ? 'foyer-ev-seats foyer-ev-full' : 'foyer-ev-seats' }, seats),
        );
      }
      if (meta.kind === 'closure') return h('div', { className: 'foyer-bg-label', title: texts.closure(meta.reason) }, texts.closure(meta.reason));
      // Shading needs no content (and no nodes).
      return null;
    },
    [texts],
  );

  const resourceLabelContent = useCallback(
    (arg: ResourceLabelContentArg, h: H) => {
      const meta = arg.resource.extendedProps as ResourceMeta;
      const group = meta.departmentStart ? (meta.departmentName ?? (meta.othersStart ? texts.noDepartment : null)) : null;
      return h(
        'div',
        { className: 'foyer-col-head', 'data-testid': 'calendar-column', 'data-resource-id': arg.resource.id },
        group === null ? null : h('div', { className: 'foyer-col-dept' }, group),
        h('div', { className: 'foyer-colhead-name' }, arg.resource.title),
      );
    },
    [texts],
  );

  const resourceLabelClassNames = useCallback(
    (arg: ResourceLabelContentArg) => ((arg.resource.extendedProps as ResourceMeta).departmentStart ? ['foyer-dept-start'] : []),
    [],
  );

  const select = useCallback(
    (arg: DateSelectArg) => {
      arg.view.calendar.unselect();
      onSelect({ start: fromCalendarTime(arg.start.valueOf(), timeZone), end: fromCalendarTime(arg.end.valueOf(), timeZone), resourceId: arg.resource?.id ?? null });
    },
    [onSelect, timeZone],
  );

  // A new booking lies within one day.
  const selectAllow = useCallback((span: DateSpanApi) => calendarDateOf(span.start.valueOf()) === calendarDateOf(span.end.valueOf() - 1), []);

  const eventDrop = useCallback(
    (info: EventDropArg) => {
      const meta = info.event.extendedProps as EventMeta;
      if (meta.kind !== 'booking' || info.event.start === null) {
        info.revert();
        return;
      }
      onDrop({
        booking: meta.booking,
        start: fromCalendarTime(info.event.start.valueOf(), timeZone),
        resourceIds: movedResourceIds(meta.booking.resourceIds, info.oldResource?.id, info.newResource?.id),
        revert: info.revert,
      });
    },
    [onDrop, timeZone],
  );

  const eventClick = useCallback(
    (info: EventClickArg) => {
      const meta = info.event.extendedProps as EventMeta;
      if (meta.kind === 'booking') onOpenBooking(meta.booking);
      else if (meta.kind === 'session') onOpenSession(meta.session);
    },
    [onOpenBooking, onOpenSession],
  );

  const navLinkDayClick = useCallback((d: Date) => onOpenDay(calendarDateOf(d.valueOf())), [onOpenDay]);
  const slotDuration = useMemo(() => ({ minutes: p.granularityMinutes }), [p.granularityMinutes]);
  const resourceView = view !== 'month';

  const columns = view === 'week' ? p.resources.length * 7 : view === 'day' ? p.resources.length : 0;
  const minWidth = columns * COLUMN_MIN_WIDTH[view] + TIME_AXIS_WIDTH;

  return (
    <div className={`foyer-calendar-frame foyer-calendar-${view}`} style={{ minWidth: columns === 0 ? undefined : `max(100%, ${minWidth}px)` }}>
      <FullCalendar
        ref={ref}
        plugins={PLUGINS}
        schedulerLicenseKey={LICENSE_KEY}
        timeZone="UTC"
        now={now}
        initialView={FC_VIEWS[view]}
        initialDate={date}
        headerToolbar={false}
        height="100%"
        locales={LOCALES}
        locale={p.language === 'zh-CN' ? 'zh-cn' : 'en'}
        firstDay={1}
        resources={p.resources}
        resourceOrder="order"
        datesAboveResources
        events={gridReady ? p.events : NO_EVENTS}
        viewDidMount={viewDidMount}
        allDaySlot={false}
        slotDuration={slotDuration}
        slotLabelFormat={SLOT_LABEL}
        titleFormat={NO_TITLE}
        eventTimeFormat={TIME_FORMAT}
        displayEventTime={false}
        slotMinTime={p.hours.slotMinTime}
        slotMaxTime={p.hours.slotMaxTime}
        scrollTime={p.hours.scrollTime}
        nowIndicator
        navLinks
        navLinkDayClick={navLinkDayClick}
        dayMaxEvents
        eventDisplay={resourceView ? 'auto' : 'block'}
        selectable={p.editable && resourceView}
        selectMirror
        selectAllow={selectAllow}
        editable={p.editable}
        eventDurationEditable={false}
        eventResourceEditable
        select={select}
        eventDrop={eventDrop}
        eventClick={eventClick}
        eventContent={eventContent}
        resourceLabelContent={resourceLabelContent}
        resourceLabelClassNames={resourceLabelClassNames}
      />
    </div>
  );
});
