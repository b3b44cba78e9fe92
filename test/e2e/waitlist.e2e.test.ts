/**
 * A receptionist, in Chromium, at the Waitlist page of `foyer serve`. A doctor, a room, a service
 * and a customer are set up through the desk's tRPC API (with the launch token from the page).
 * Then, in English: the customer is put on the waitlist through the form (urgent, with the doctor);
 * "Find a slot" lists free times that suit the wishes and "Offer" holds the first for them (the
 * row counts the offer down; the host has the hold); "Book" books through the hold, and the entry
 * is booked (the host has the booking at the offered time). And in Chinese: the page, its
 * section in the sidebar and the booked entry read in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '../../electron/host/testing';
import { deskApi, freePort, launchChromium, serve, type DeskApi, type Served } from './harness';
import { choose, hasCount, hidden, pickCustomer, visible, WAIT } from './ui';

let browser: Browser;
let server: Served;
let api: DeskApi;
let siteId: string;
let doctor: string;
let customer: { id: string; name: string };

interface WaitlistView {
  id: string;
  customerId: string;
  status: string;
  urgent: boolean;
  preferredResourceId: string | null;
  offer: { holdId: string; start: number; resourceIds: string[] } | null;
  bookingId: string | null;
}
const entriesOf = (statuses: string[]) => api.query<WaitlistView[]>('scheduling.waitlist', { siteId, statuses });

beforeAll(async () => {
  server = await serve(tempDir('foyer-e2e-waitlist-'), await freePort());
  browser = await launchChromium();
  api = await deskApi(server.url);
  const info = await api.query<{ deskSiteId: string | null }>('system.info');
  siteId = info.deskSiteId!;
  const department = await api.mutate('department.create', { siteId, name: 'A E2E Waitlist' });
  const ranges = (start: number, end: number) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
  const resource = async (kind: string, name: string, start: number, end: number) =>
    (await api.mutate('resource.create', { siteId, departmentId: department.id, kind, name, schedule: { schedules: [{ ranges: ranges(start, end) }] } })).id;
  doctor = await resource('practitioner', 'E2E Dr Wu', 8 * 60, 20 * 60);
  await resource('room', 'E2E Waitlist Room', 0, 24 * 60);
  await api.mutate('service.create', {
    siteId,
    departmentId: department.id,
    name: 'E2E Checkup',
    durationMinutes: 30,
    price: { amountMinor: 6000, currency: 'CNY' },
    resourceKinds: ['practitioner', 'room'],
  });
  const { id } = await api.mutation<{ id: string }>('customers.create', { name: 'E2E Qian Hua', phone: '13700004321' });
  customer = { id, name: 'E2E Qian Hua' };
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openWaitlist(page: Page, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.goto(`${server.url}/waitlist?lang=${lang}`);
  await visible(page.getByTestId('waitlist'));
}

const rowOf = (page: Page) => page.locator('[data-testid="waitlist-row"]').filter({ hasText: customer.name });

describe('Waitlist, end to end in Chromium', () => {
  it('adds an entry through the form, offers it a slot and books it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openWaitlist(page);
    await page.getByTestId('waitlist-add').click();
    const save = page.getByTestId('waitlist-save');
    await visible(save);
    await pickCustomer(page, 'waitlist-customer-search', customer);
    await choose(page, 'waitlist-service', 'E2E Checkup');
    await choose(page, 'waitlist-resource', 'E2E Dr Wu');
    await page.getByTestId('waitlist-urgent-switch').click();
    await save.click();
    await hidden(save);

    const row = rowOf(page);
    await visible(row);
    expect(await row.getAttribute('data-state')).toBe('waiting');
    expect(await row.innerText()).toContain('E2E Checkup');
    expect(await row.innerText()).toContain('with E2E Dr Wu');
    await visible(row.getByTestId('waitlist-urgent'));
    const [added] = (await entriesOf(['waiting'])).filter((e) => e.customerId === customer.id);
    expect(added).toMatchObject({ urgent: true, preferredResourceId: doctor, offer: null });

    await row.getByTestId('waitlist-find-slot').click();
    const slots = page.getByTestId('waitlist-slots');
    await visible(slots);
    const first = slots.getByTestId('waitlist-slot').first();
    await visible(first);
    const start = Number(await first.getAttribute('data-start'));
    expect(start).toBeGreaterThan(Date.now());
    await first.getByTestId('waitlist-slot-offer').click();
    await hidden(slots);

    await expect.poll(() => row.getAttribute('data-state'), WAIT).toBe('offered');
    expect(await row.getByTestId('waitlist-state').innerText()).toMatch(/Offered · \d+:\d\d left/);
    await visible(row.getByTestId('waitlist-held'));
    const [offered] = (await entriesOf(['offered'])).filter((e) => e.id === added!.id);
    expect(offered?.offer).toMatchObject({ start });
    expect(offered!.offer!.resourceIds).toContain(doctor);

    await row.getByTestId('waitlist-book').click();
    // Booked entries leave the open list; the "Booked" filter shows them.
    await hasCount(rowOf(page), 0);
    await page.getByTestId('waitlist-filter-booked').click();
    await expect.poll(() => rowOf(page).getAttribute('data-state'), WAIT).toBe('booked');
    const [booked] = (await entriesOf(['booked'])).filter((e) => e.id === added!.id);
    expect(booked?.bookingId).toBeTruthy();
    const booking = await api.query<{ start: number; status: string; customerId: string; resourceIds: string[] }>('scheduling.booking', { id: booked!.bookingId });
    expect(booking).toMatchObject({ start, status: 'confirmed', customerId: customer.id });
    expect(booking.resourceIds).toContain(doctor);
    await page.close();
  });

  it('reads in Chinese', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openWaitlist(page, 'zh-CN');
    await expect.poll(() => page.locator('.foyer-page-title').innerText(), WAIT).toBe('候补名单');
    expect(await page.getByTestId('nav-waitlist').innerText()).toContain('候补');
    await page.getByTestId('waitlist-filter-all').click();
    await expect.poll(() => rowOf(page).getByTestId('waitlist-state').innerText(), WAIT).toBe('已预约');
    await page.close();
  });
});
