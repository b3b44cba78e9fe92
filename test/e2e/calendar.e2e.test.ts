/**
 * A receptionist, in Chromium, at the Calendar of `foyer serve`. Two doctors, a room, a coach, a
 * service, a class of two seats and a waitlist entry (for the service with the second doctor) are
 * set up through the desk's own tRPC API (with the launch token from the page), in a department of
 * their own so their columns come first, whatever demo data the desk was seeded with; freed slots
 * are offered by hand (the site's auto-offer is off). Then, in the day view:
 *   - drag a range on the doctor's column, fill in the drawer, save: the booking is on the grid;
 *   - drag it an hour later: the move is saved and still there after a reload;
 *   - drag it onto the other doctor's column: the host has it with that doctor, at the same time;
 *   - drag it onto a time that doctor is already booked: the refusal is said in plain words and
 *     the booking snaps back (and the host still has it at its time);
 *   - open the class, book its two seats one by one; a third is refused in words ("full");
 *   - cancel the booking from the drawer with a reason: the host has the reason, the drawer lists
 *     the waitlist customer who wants that slot, "Offer this slot" holds it for them (the host's
 *     waitlist has the entry offered, with a live hold on that doctor and room at that time);
 *   - "Find a slot" for the service with the first doctor and book the first slot offered.
 * And once in Chinese: the page, the views and a booking's status read in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { tempDir } from '../../electron/host/testing';
import { addDays, wallTimeToInstant, weekdayOf } from '../../core/scheduling/zoned-time';
import { localDateOf } from '../../core/time';
import { deskApi, freePort, launchChromium, serve, type DeskApi, type Served } from './harness';
import { choose, hasCount, hidden, pickCustomer, visible, WAIT } from './ui';

let browser: Browser;
let server: Served;
let api: DeskApi;
let siteId: string;
let timeZone: string;
/** The day the test books on: a day the doctors work 08:00–12:00 at least. */
let day: string;
let doctor: string;
let doctor2: string;
let room: string;
let service: string;
let coach: string;
/** A class of two seats at 08:00 on the day, with the coach. */
let sessionId: string;
interface Person {
  id: string;
  name: string;
}
let customer: Person;
let other: Person;
/** On the waitlist for the service with the second doctor. */
let waiting: Person;
let entryId: string;
/** Two who take the class's seats and one who comes too late. */
let classmates: [Person, Person, Person];

// ---- the desk's tRPC API over HTTP, as the page calls it --------------------------------------

const mutate = <T = { id: string }>(name: string, args: Record<string, unknown>) => api.mutate<T>(name, args);

interface BookingView {
  id: string;
  start: number;
  status: string;
  resourceIds: string[];
  cancelReason: string | null;
  cancelledBy: string | null;
}
const bookingOf = (id: string) => api.query<BookingView>('scheduling.booking', { id });

interface WaitlistView {
  id: string;
  status: string;
  offer: { holdId: string; start: number; resourceIds: string[]; expiresAt: number } | null;
}

/** The instant of "HH:MM" on the test day in the site's zone. */
const at = (hhmm: string) => wallTimeToInstant(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), timeZone);

const everyDay = (start: number, end: number) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

async function registerCustomer(name: string, phone: string): Promise<Person> {
  const { id } = await api.mutation<{ id: string }>('customers.create', { name, phone });
  return { id, name };
}

beforeAll(async () => {
  server = await serve(tempDir('foyer-e2e-calendar-'), await freePort());
  browser = await launchChromium();
  api = await deskApi(server.url);

  const info = await api.query<{ deskSiteId: string | null; sites: { id: string; timeZone: string }[] }>('system.info');
  siteId = info.deskSiteId!;
  timeZone = info.sites.find((s) => s.id === siteId)!.timeZone;
  // Freed slots are offered by hand here, from the booking drawer.
  await mutate('site.updateSettings', { siteId, patch: { waitlistAutoOffer: false } });
  const department = await mutate('department.create', { siteId, name: 'A E2E Clinic' });
  const resource = async (kind: string, name: string, hours: [number, number]) =>
    (await mutate('resource.create', { siteId, departmentId: department.id, kind, name, schedule: { schedules: [{ ranges: everyDay(...hours) }] } })).id;
  doctor = await resource('practitioner', 'E2E Dr Gao', [8 * 60, 20 * 60]);
  doctor2 = await resource('practitioner', 'E2E Dr Zhou', [8 * 60, 20 * 60]);
  // A kind of its own, so the desk's automatic pick of "a free room" is this room and not one of
  // the demo clinic's (which room is free depends on the demo's bookings of the day).
  room = await resource('e2e_room', 'E2E Room', [0, 24 * 60]);
  coach = await resource('coach', 'E2E Coach Lin', [8 * 60, 20 * 60]);
  const price = { amountMinor: 8000, currency: 'CNY' };
  service = (await mutate('service.create', { siteId, departmentId: department.id, name: 'E2E Consult', durationMinutes: 30, price, resourceKinds: ['practitioner', 'e2e_room'] })).id;
  const spin = (await mutate('service.create', { siteId, departmentId: department.id, name: 'E2E Spin', durationMinutes: 60, seats: 2, price, resourceKinds: ['coach'] })).id;
  customer = await registerCustomer('E2E Wang Fang', '13700001234');
  other = await registerCustomer('E2E Li Lei', '13700005678');
  waiting = await registerCustomer('E2E Zhang Wei', '13700009012');
  classmates = [await registerCustomer('E2E Chen Jing', '13700003456'), await registerCustomer('E2E Zhao Min', '13700007890'), await registerCustomer('E2E Sun Li', '13700002468')];
  entryId = (await mutate('waitlist.add', { customerId: waiting.id, serviceId: service, preferredResourceId: doctor2 })).id;

  // A weekday from the day after tomorrow on when the site is open and the doctors work the morning.
  const today = localDateOf(Date.now(), timeZone);
  for (let i = 2; i < 16; i++) {
    const date = addDays(today, i);
    if (weekdayOf(date) > 5) continue;
    const window = await api.query<{ resources: { id: string; working: { start: number; end: number }[] }[] }>('scheduling.calendar', { siteId, from: date, to: date });
    const from = wallTimeToInstant(date, 8 * 60, timeZone);
    const to = wallTimeToInstant(date, 12 * 60, timeZone);
    const worksMorning = (id: string) => (window.resources.find((r) => r.id === id)?.working ?? []).some((w) => w.start <= from && w.end >= to);
    if (worksMorning(doctor) && worksMorning(doctor2) && worksMorning(coach)) {
      day = date;
      break;
    }
  }
  expect(day).toBeTruthy();
  sessionId = (await mutate('classSession.create', { serviceId: spin, start: at('08:00'), coachId: coach })).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// ---- the grid ---------------------------------------------------------------------------------

const column = (page: Page, resourceId: string) => page.locator(`td.fc-timegrid-col[data-resource-id="${resourceId}"]`);
const eventsIn = (page: Page, resourceId: string) => column(page, resourceId).locator('[data-testid="booking-event"]');
const eventOf = (page: Page, resourceId: string, bookingId: string) => column(page, resourceId).locator(`[data-testid="booking-event"][data-booking-id="${bookingId}"]`);

async function openDay(page: Page, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.goto(`${server.url}/calendar?date=${day}&view=day&lang=${lang}`);
  await visible(page.locator(`[data-testid="calendar-column"][data-resource-id="${doctor}"]`));
}

/** The top of the grid row of a time ("09:00") and the middle of a resource's column. */
async function slotPoint(page: Page, resourceId: string, hhmm: string): Promise<{ x: number; y: number }> {
  const col = column(page, resourceId);
  await col.scrollIntoViewIfNeeded();
  const lane = page.locator(`td.fc-timegrid-slot-lane[data-time="${hhmm}:00"]`);
  await lane.scrollIntoViewIfNeeded();
  const c = (await col.boundingBox())!;
  const l = (await lane.boundingBox())!;
  return { x: c.x + c.width / 2, y: l.y };
}

/** How far down the grid an event is drawn, compared with a time's row (0 when it starts there). */
async function offsetFrom(page: Page, event: Locator, resourceId: string, hhmm: string): Promise<number> {
  const box = (await event.boundingBox())!;
  const row = await slotPoint(page, resourceId, hhmm);
  return Math.abs(box.y - row.y);
}

/** Drags with the mouse in small steps, as a hand would (FullCalendar needs a few moves to start a drag). */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x, from.y + 6, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

/** Where to grab an event: near its top, in the middle. */
async function grabOf(event: Locator): Promise<{ x: number; y: number }> {
  const box = (await event.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + 6 };
}

describe('Calendar, end to end in Chromium', () => {
  let bookingId = '';

  it('books by dragging a range on the doctor’s column and shows the booking there', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    await visible(page.getByTestId('calendar'));
    const from = await slotPoint(page, doctor, '09:00');
    const to = await slotPoint(page, doctor, '09:15');
    await drag(page, { x: from.x, y: from.y + 4 }, { x: to.x, y: to.y + 8 });

    const drawer = page.getByTestId('booking-drawer');
    await visible(drawer);
    await pickCustomer(page, 'booking-customer-search', customer);
    await choose(page, 'booking-service', 'E2E Consult');
    await expect.poll(() => drawer.locator('[data-testid="booking-time"]').innerText(), WAIT).toContain('09:00');
    await page.getByTestId('booking-save').click();
    await hidden(drawer);

    await hasCount(eventsIn(page, doctor), 1);
    const event = eventsIn(page, doctor).first();
    bookingId = (await event.getAttribute('data-booking-id')) ?? '';
    expect(await event.getAttribute('data-status')).toBe('confirmed');
    expect(await event.innerText()).toContain(customer.name);
    expect(await offsetFrom(page, event, doctor, '09:00')).toBeLessThan(3);
    // The room the desk picked shows the same booking.
    await hasCount(eventOf(page, room, bookingId), 1);
    expect(await bookingOf(bookingId)).toMatchObject({ start: at('09:00'), status: 'confirmed' });
    await page.close();
  });

  it('moves the booking by dragging it, and the move survives a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    const event = eventOf(page, doctor, bookingId);
    await visible(event);
    const nine = await slotPoint(page, doctor, '09:00');
    const ten = await slotPoint(page, doctor, '10:00');
    const grab = await grabOf(event);
    await drag(page, grab, { x: grab.x, y: grab.y + (ten.y - nine.y) });

    await expect.poll(async () => (await bookingOf(bookingId)).start, WAIT).toBe(at('10:00'));
    await page.reload();
    await visible(eventOf(page, doctor, bookingId));
    expect(await offsetFrom(page, eventOf(page, doctor, bookingId), doctor, '10:00')).toBeLessThan(3);
    await page.close();
  });

  it('moves the booking to another doctor by dropping it on their column', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    const target = await slotPoint(page, doctor2, '10:00');
    const event = eventOf(page, doctor, bookingId);
    await visible(event);
    const grab = await grabOf(event);
    await drag(page, grab, { x: target.x, y: grab.y });

    await expect.poll(async () => (await bookingOf(bookingId)).resourceIds.includes(doctor2), WAIT).toBe(true);
    const moved = await bookingOf(bookingId);
    expect(moved.start).toBe(at('10:00'));
    expect(moved.resourceIds).not.toContain(doctor);
    expect(moved.resourceIds).toContain(room);
    await visible(eventOf(page, doctor2, bookingId));
    await hasCount(eventOf(page, doctor, bookingId), 0);
    expect(await offsetFrom(page, eventOf(page, doctor2, bookingId), doctor2, '10:00')).toBeLessThan(3);
    await page.close();
  });

  it('refuses a drop onto a time the doctor is booked, in words, and snaps the booking back', async () => {
    await mutate('booking.create', { serviceId: service, customerId: other.id, start: at('11:00'), resourceIds: [doctor2, room] });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    await hasCount(eventsIn(page, doctor2), 2);
    const ten = await slotPoint(page, doctor2, '10:00');
    const eleven = await slotPoint(page, doctor2, '11:00');
    const grab = await grabOf(eventOf(page, doctor2, bookingId));
    await drag(page, grab, { x: grab.x, y: grab.y + (eleven.y - ten.y) });

    const error = page.getByTestId('calendar-error');
    await visible(error);
    expect(await error.innerText()).toMatch(/E2E (Dr Zhou|Room) is already booked at this time/);
    await expect.poll(() => offsetFrom(page, eventOf(page, doctor2, bookingId), doctor2, '10:00'), WAIT).toBeLessThan(3);
    expect((await bookingOf(bookingId)).start).toBe(at('10:00'));
    await page.close();
  });

  it('books the last seat of a class, and the next booking is refused in words', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    const session = column(page, coach).locator(`[data-testid="session-event"][data-session-id="${sessionId}"]`);
    await session.scrollIntoViewIfNeeded();
    await session.click();
    const drawer = page.getByTestId('session-drawer');
    await visible(drawer);
    const left = drawer.getByTestId('session-seats-left');
    await expect.poll(() => left.getAttribute('data-left'), WAIT).toBe('2');

    const [first, last, late] = classmates;
    await pickCustomer(page, 'session-customer-search', first);
    await drawer.getByTestId('session-book').click();
    await expect.poll(() => left.getAttribute('data-left'), WAIT).toBe('1');
    await pickCustomer(page, 'session-customer-search', last);
    await drawer.getByTestId('session-book').click();
    await expect.poll(() => left.getAttribute('data-left'), WAIT).toBe('0');
    expect(await left.innerText()).toBe('Full');
    await hasCount(drawer.getByTestId('roster-row'), 2);

    await pickCustomer(page, 'session-customer-search', late);
    await drawer.getByTestId('session-book').click();
    const refusal = drawer.getByTestId('session-error');
    await visible(refusal);
    expect(await refusal.innerText()).toContain('This class is full (0 seats left).');
    const roster = await api.query<{ customerId: string; status: string }[]>('scheduling.roster', { sessionId });
    expect(roster.map((r) => r.customerId).sort()).toEqual([first.id, last.id].sort());
    await page.close();
  });

  it('cancels the booking from the drawer with a reason, and offers the freed slot to the waitlist', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    await eventOf(page, doctor2, bookingId).click();
    const drawer = page.getByTestId('booking-drawer');
    await visible(drawer);
    await visible(drawer.getByTestId('booking-history'));
    await drawer.getByTestId('booking-action-cancelled').click();
    await drawer.getByTestId('booking-cancel-reason').fill('Feeling better');
    await drawer.getByTestId('booking-cancel-confirm').click();
    await expect.poll(() => drawer.getByTestId('booking-status').getAttribute('data-status'), WAIT).toBe('cancelled');
    expect(await drawer.innerText()).toContain('Feeling better');
    expect(await bookingOf(bookingId)).toMatchObject({ status: 'cancelled', cancelReason: 'Feeling better', cancelledBy: 'customer' });

    // The one waiting for this service with this doctor is listed for the freed slot, and offered it.
    const candidate = drawer.locator(`[data-testid="waitlist-candidate"][data-entry-id="${entryId}"]`);
    await visible(candidate);
    expect(await candidate.innerText()).toContain(waiting.name);
    expect(await candidate.innerText()).toContain('with E2E Dr Zhou');
    await hasCount(drawer.getByTestId('waitlist-auto-offered'), 0);
    await candidate.getByTestId('waitlist-candidate-offer').click();
    await expect.poll(() => candidate.getByTestId('waitlist-state').getAttribute('data-state'), WAIT).toBe('offered');
    await hasCount(candidate.getByTestId('waitlist-candidate-offer'), 0);
    const [entry] = (await api.query<WaitlistView[]>('scheduling.waitlist', { siteId })).filter((e) => e.id === entryId);
    expect(entry).toMatchObject({ status: 'offered', offer: { start: at('10:00') } });
    expect(entry!.offer!.resourceIds.sort()).toEqual([doctor2, room].sort());
    expect(entry!.offer!.expiresAt).toBeGreaterThan(Date.now());

    await page.keyboard.press('Escape');
    await hidden(drawer);
    // Cancelled bookings are hidden by default: only the other customer's booking is left.
    await hasCount(eventOf(page, doctor2, bookingId), 0);
    await hasCount(eventsIn(page, doctor2), 1);
    await page.close();
  });

  it('finds a slot for the service with the doctor and books the first one offered', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    await page.getByTestId('find-slot-open').click();
    const panel = page.getByTestId('find-slot');
    await visible(panel);
    await choose(page, 'find-slot-service', 'E2E Consult');
    await choose(page, 'find-slot-resource', 'E2E Dr Gao');
    await panel.getByTestId('find-slot-search').click();
    const first = panel.getByTestId('find-slot-result').first();
    await visible(first);
    const start = Number(await first.getAttribute('data-start'));
    expect(start).toBeGreaterThan(Date.now());
    await first.getByTestId('find-slot-book').click();

    const drawer = page.getByTestId('booking-drawer');
    await visible(drawer);
    await pickCustomer(page, 'booking-customer-search', customer);
    await page.getByTestId('booking-save').click();
    await hidden(drawer);

    const slotDay = localDateOf(start, timeZone);
    await expect.poll(() => page.getByTestId('calendar').getAttribute('data-date'), WAIT).toBe(slotDay);
    const booked = await api.query<{ bookings: { id: string; start: number; customerId: string; status: string; resourceIds: string[] }[] }>('scheduling.calendar', {
      siteId,
      from: slotDay,
      to: slotDay,
    });
    const made = booked.bookings.find((b) => b.customerId === customer.id && b.start === start && b.status === 'confirmed');
    expect(made?.resourceIds).toContain(doctor);
    await visible(eventOf(page, doctor, made!.id));
    await page.close();
  });

  it('reads in Chinese', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page, 'zh-CN');
    await expect.poll(() => page.locator('.foyer-page-title').innerText(), WAIT).toBe('预约日历');
    expect(await page.getByTestId('calendar-view-week').innerText()).toBe('周');
    await page.getByTestId('calendar-view-list').click();
    const row = page.locator('[data-testid="booking-row"][data-status="confirmed"]').filter({ hasText: other.name });
    await visible(row);
    expect(await row.innerText()).toContain('已确认');
    expect(new URL(page.url()).searchParams.get('view')).toBe('list');
    await page.close();
  });
});
