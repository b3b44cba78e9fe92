/**
 * A receptionist, in Chromium, at the Calendar of `foyer serve`. A doctor, a room and a service
 * are set up through the desk's own tRPC API (with the launch token from the page), in a
 * department of their own so their columns come first, whatever demo data the desk was seeded
 * with. Then, in the day view:
 *   - drag a range on the doctor's column, fill in the drawer, save: the booking is on the grid;
 *   - drag it an hour later: the move is saved and still there after a reload;
 *   - drag it onto a time the doctor is already booked: the refusal is said in plain words and
 *     the booking snaps back (and the host still has it at its time);
 *   - cancel it from the drawer with a reason: it leaves the grid, the host has the reason;
 *   - "Find a slot" for the service with that doctor and book the first slot offered.
 * And once in Chinese: the page, the views and a booking's status read in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { tempDir } from '../../electron/host/testing';
import { addDays, wallTimeToInstant, weekdayOf } from '../../core/scheduling/zoned-time';
import { localDateOf } from '../../core/time';
import { freePort, launchChromium, serve, type Served } from './harness';

const WAIT = { timeout: 15_000 };
const visible = (l: Locator) => l.waitFor({ state: 'visible', ...WAIT });
const hidden = (l: Locator) => l.waitFor({ state: 'hidden', ...WAIT });
const hasCount = (l: Locator, n: number) => expect.poll(() => l.count(), WAIT).toBe(n);

let browser: Browser;
let server: Served;
let token: string;
let siteId: string;
let timeZone: string;
/** The day the test books on: a day the doctor works 08:00–12:00 at least. */
let day: string;
let doctor: string;
let room: string;
let service: string;
let customer: { id: string; name: string };
let other: { id: string; name: string };

// ---- the desk's tRPC API over HTTP, as the page calls it --------------------------------------

interface TrpcAnswer<T> {
  result?: { data: T };
  error?: { message: string; data?: { appError?: { key: string } } };
}

async function call<T>(kind: 'query' | 'mutation', path: string, input?: unknown): Promise<T> {
  const headers = { Authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const res =
    kind === 'query'
      ? await fetch(`${server.url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers })
      : await fetch(`${server.url}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const answer = (await res.json()) as TrpcAnswer<T>;
  if (answer.error || !answer.result) throw new Error(`${path}: ${answer.error?.data?.appError?.key ?? answer.error?.message ?? res.status}`);
  return answer.result.data;
}
const query = <T>(path: string, input?: unknown) => call<T>('query', path, input);
const mutate = <T = { id: string }>(name: string, args: Record<string, unknown>) => call<T>('mutation', 'scheduling.mutate', { name, args });

interface BookingView {
  id: string;
  start: number;
  status: string;
  cancelReason: string | null;
  cancelledBy: string | null;
}
const bookingOf = (id: string) => query<BookingView>('scheduling.booking', { id });

/** The instant of "HH:MM" on the test day in the site's zone. */
const at = (hhmm: string) => wallTimeToInstant(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), timeZone);

const everyDay = (start: number, end: number) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

async function registerCustomer(name: string, phone: string): Promise<{ id: string; name: string }> {
  const { id } = await call<{ id: string }>('mutation', 'customers.create', { name, phone });
  return { id, name };
}

beforeAll(async () => {
  server = await serve(tempDir('foyer-e2e-calendar-'), await freePort());
  browser = await launchChromium();
  const html = await (await fetch(`${server.url}/`)).text();
  token = /<meta name="foyer-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(token).not.toBe('');

  const info = await query<{ actor: { siteId: string }; sites: { id: string; timeZone: string }[] }>('system.info');
  siteId = info.actor.siteId;
  timeZone = info.sites.find((s) => s.id === siteId)!.timeZone;
  const department = await mutate('department.create', { siteId, name: 'A E2E Clinic' });
  doctor = (
    await mutate('resource.create', { siteId, departmentId: department.id, kind: 'practitioner', name: 'E2E Dr Gao', schedule: { schedules: [{ ranges: everyDay(8 * 60, 20 * 60) }] } })
  ).id;
  room = (await mutate('resource.create', { siteId, departmentId: department.id, kind: 'room', name: 'E2E Room', schedule: { schedules: [{ ranges: everyDay(0, 24 * 60) }] } })).id;
  service = (
    await mutate('service.create', { siteId, departmentId: department.id, name: 'E2E Consult', durationMinutes: 30, price: { amountMinor: 8000, currency: 'CNY' }, resourceKinds: ['practitioner', 'room'] })
  ).id;
  customer = await registerCustomer('E2E Wang Fang', '13700001234');
  other = await registerCustomer('E2E Li Lei', '13700005678');

  // A weekday from the day after tomorrow on when the site is open and the doctor works the morning.
  const today = localDateOf(Date.now(), timeZone);
  for (let i = 2; i < 16; i++) {
    const date = addDays(today, i);
    if (weekdayOf(date) > 5) continue;
    const window = await query<{ resources: { id: string; working: { start: number; end: number }[] }[] }>('scheduling.calendar', { siteId, from: date, to: date });
    const working = window.resources.find((r) => r.id === doctor)?.working ?? [];
    const from = wallTimeToInstant(date, 8 * 60, timeZone);
    const to = wallTimeToInstant(date, 12 * 60, timeZone);
    if (working.some((w) => w.start <= from && w.end >= to)) {
      day = date;
      break;
    }
  }
  expect(day).toBeTruthy();
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

/** Picks an option of an antd Select by typing into its search. */
async function choose(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await visible(page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first());
  await page.keyboard.press('Enter');
}

async function pickCustomer(page: Page, testId: string, c: { id: string; name: string }): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(c.name);
  const option = page.locator(`[data-testid="customer-option"][data-customer-id="${c.id}"]`);
  await visible(option);
  await option.click();
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
    const box = (await event.boundingBox())!;
    const nine = await slotPoint(page, doctor, '09:00');
    const ten = await slotPoint(page, doctor, '10:00');
    const grab = { x: box.x + box.width / 2, y: box.y + 6 };
    await drag(page, grab, { x: grab.x, y: grab.y + (ten.y - nine.y) });

    await expect.poll(async () => (await bookingOf(bookingId)).start, WAIT).toBe(at('10:00'));
    await page.reload();
    await visible(eventOf(page, doctor, bookingId));
    expect(await offsetFrom(page, eventOf(page, doctor, bookingId), doctor, '10:00')).toBeLessThan(3);
    await page.close();
  });

  it('refuses a drop onto a time the doctor is booked, in words, and snaps the booking back', async () => {
    await mutate('booking.create', { serviceId: service, customerId: other.id, start: at('11:00'), resourceIds: [doctor, room] });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    await hasCount(eventsIn(page, doctor), 2);
    const event = eventOf(page, doctor, bookingId);
    const box = (await event.boundingBox())!;
    const ten = await slotPoint(page, doctor, '10:00');
    const eleven = await slotPoint(page, doctor, '11:00');
    const grab = { x: box.x + box.width / 2, y: box.y + 6 };
    await drag(page, grab, { x: grab.x, y: grab.y + (eleven.y - ten.y) });

    const error = page.getByTestId('calendar-error');
    await visible(error);
    expect(await error.innerText()).toMatch(/E2E (Dr Gao|Room) is already booked at this time/);
    await expect.poll(() => offsetFrom(page, eventOf(page, doctor, bookingId), doctor, '10:00'), WAIT).toBeLessThan(3);
    expect((await bookingOf(bookingId)).start).toBe(at('10:00'));
    await page.close();
  });

  it('cancels the booking from the drawer with a reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openDay(page);
    await eventOf(page, doctor, bookingId).click();
    const drawer = page.getByTestId('booking-drawer');
    await visible(drawer);
    await visible(drawer.getByTestId('booking-history'));
    await drawer.getByTestId('booking-action-cancelled').click();
    await drawer.getByTestId('booking-cancel-reason').fill('Feeling better');
    await drawer.getByTestId('booking-cancel-confirm').click();
    await expect.poll(() => drawer.getByTestId('booking-status').getAttribute('data-status'), WAIT).toBe('cancelled');
    expect(await drawer.innerText()).toContain('Feeling better');
    await page.keyboard.press('Escape');
    await hidden(drawer);
    // Cancelled bookings are hidden by default: only the other customer's booking is left.
    await hasCount(eventOf(page, doctor, bookingId), 0);
    await hasCount(eventsIn(page, doctor), 1);
    expect(await bookingOf(bookingId)).toMatchObject({ status: 'cancelled', cancelReason: 'Feeling better', cancelledBy: 'customer' });
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
    const booked = await query<{ bookings: { id: string; start: number; customerId: string; status: string; resourceIds: string[] }[] }>('scheduling.calendar', {
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
