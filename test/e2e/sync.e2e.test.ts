/**
 * A front desk enrolled with a server, in Chromium: a Foyer server runs in this test process (PGlite
 * in memory, an organization with its owner, a doctor, a service and two customers made there), and
 * `foyer desk --server URL --enroll CODE` serves the desk's UI.
 *
 *   - The window opens on the sign-in screen; a wrong password is refused in words; the owner signs
 *     in, the app loads and the header says who is signed in and that the desk is online.
 *   - The server stops: the header says "Offline since …"; a customer registered through the UI
 *     waits as "1 change waiting". The server starts again on the same port: "Sync now" brings the
 *     desk back online with nothing waiting, and the server has the customer.
 *   - While the server is stopped again, the receptionist books the first free slot with the doctor
 *     through the calendar, and the same slot is booked for someone else at the server. Back online,
 *     the server refuses the desk's booking: the header shows a conflict, the inbox at
 *     /sync/conflicts says what it was, who made it and why, and offers free times with the doctor;
 *     one click books there and closes the conflict, and the server has that booking.
 *   - In Chinese, the inbox and the header read in Chinese.
 *   - Signing out brings the sign-in screen back. With the server away, the screen says so; a login
 *     never used on this desk is refused in words, and the owner signs in from the desk's memory.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../core/clock';
import { createIdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import { addDays } from '../../core/scheduling/zoned-time';
import { localDateOf } from '../../core/time';
import { tempDir } from '../../electron/host/testing';
import { createEnrollmentCode } from '../../server/admin/devices';
import { createOrganization } from '../../server/admin/organizations';
import { startServer, type RunningServer } from '../../server/app';
import { openStore, type Store } from '../../server/store/store';
import { storeMutator, testSchemaName } from '../../server/store/testing';
import { desk, freePort, launchChromium, type Served } from './harness';
import { bookFirstFreeSlot, hidden, visible, WAIT } from './ui';

const SH = 'Asia/Shanghai';
const PASSWORD = 'correct horse battery';
const clock = { now: () => Date.now() };
const ids = createIdSource(clock, (n) => randomBytes(n));

let store: Store;
let server: RunningServer | null = null;
let serverPort: number;
let served: Served;
let browser: Browser;
let owner: Actor;
let doctor: string;
let service: string;
let ann: { id: string; name: string };
let bob: { id: string; name: string };

/** Runs a mutator at the server, as a push from another desk would, while the server may be down. */
const atServer = <R = unknown>(name: string, args: unknown) => storeMutator(store, new ManualClock(Date.now()), ids)<R>(name, args, owner);

async function startTheServer(): Promise<void> {
  server = await startServer({ store, port: serverPort });
}

async function stopTheServer(): Promise<void> {
  await server?.close();
  server = null;
}

beforeAll(async () => {
  store = await openStore({ schema: testSchemaName() });
  const org = await createOrganization(
    { store, clock, ids },
    { name: 'Kangjian Clinic', defaultCountry: 'CN', sites: [{ name: 'Clinic', kind: 'clinic', timeZone: SH }], owner: { name: 'Owner Wang', login: 'owner', password: PASSWORD } },
  );
  owner = { staffId: org.ownerStaffId, role: 'owner', organizationId: org.organizationId, siteId: null };
  const siteId = org.siteIds[0]!;
  const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 8 * 60, end: 18 * 60 }));
  doctor = ids.newId();
  service = ids.newId();
  ann = { id: ids.newId(), name: 'Ann Sync' };
  bob = { id: ids.newId(), name: 'Bob Sync' };
  await atServer('site.updateSettings', { siteId, patch: { openingHours: week } });
  await atServer('resource.create', { id: doctor, siteId, kind: 'practitioner', name: 'Dr. Li', schedule: { schedules: [{ ranges: week }] } });
  await atServer('service.create', { id: service, siteId, name: 'Consultation', durationMinutes: 30, price: { amountMinor: 5000, currency: 'CNY' }, resourceKinds: ['practitioner'] });
  for (const [c, phone] of [
    [ann, '+8613800000001'],
    [bob, '+8613800000002'],
  ] as const) {
    await atServer('customer.create', { id: c.id, name: c.name, phone, gender: 'unknown', notes: '', tags: [] });
  }

  serverPort = await freePort();
  await startTheServer();
  const { code } = await createEnrollmentCode({ store, clock }, { organizationId: org.organizationId, name: 'Front desk 1', createdBy: 'e2e' });
  served = await desk(path.join(tempDir('foyer-e2e-sync-'), 'data'), await freePort(), { url: server!.url, code });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await stopTheServer();
  await store?.close();
});

const indicator = (page: Page) => page.getByTestId('sync-indicator');
const kindIs = (page: Page, kind: string) => expect.poll(() => indicator(page).getAttribute('data-kind'), WAIT).toBe(kind);
const pendingIs = (page: Page, n: number) => expect.poll(() => indicator(page).getAttribute('data-pending'), WAIT).toBe(String(n));
/**
 * Waits until the desk's push socket to the server is up: only then does the server going away
 * show at once (the socket closing). It reconnects with a backoff of up to 30 s after an outage.
 */
const socketUp = (page: Page) => expect.poll(() => indicator(page).getAttribute('data-live'), { timeout: 45_000 }).toBe('true');

/** Opens the sync details from the header and presses "Sync now". */
async function syncNow(page: Page): Promise<void> {
  await indicator(page).click();
  const button = page.getByTestId('sync-now');
  await visible(button);
  await button.click();
}

const serverCustomers = (name: string) => store.db.selectFrom('customers').select('id').where('name', '=', name).execute();

describe('Sync and sign-in, end to end in Chromium', () => {
  let page: Page;

  it('asks for a sign-in, then shows who is signed in and that the desk is online', async () => {
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${served.url}/customers?lang=en`);
    await visible(page.getByTestId('sign-in'));
    // Until someone signs in, the pages are not there.
    expect(await page.getByTestId('customer-search').count()).toBe(0);

    await page.getByTestId('sign-in-login').fill('owner');
    await page.getByTestId('sign-in-password').fill('not the password');
    await page.getByTestId('sign-in-submit').click();
    await visible(page.getByTestId('sign-in-error'));
    expect(await page.getByTestId('sign-in-error').innerText()).toContain('The login name or the password is wrong.');

    await page.getByTestId('sign-in-password').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await visible(page.getByTestId('customer-search'));
    await hidden(page.getByTestId('sign-in'));
    expect(await page.getByTestId('session-name').innerText()).toBe('Owner Wang');
    expect(await page.getByTestId('session-role').innerText()).toBe('Owner');
    await expect.poll(() => page.getByTestId('organization-name').innerText(), WAIT).toBe('Kangjian Clinic');
    await kindIs(page, 'online');
    expect(await indicator(page).innerText()).toBe('Online');
    await pendingIs(page, 0);
  });

  it('says when the server is away, counts what waits, and sends it when the server is back', async () => {
    await socketUp(page);
    await stopTheServer();
    await kindIs(page, 'offline');
    expect(await indicator(page).innerText()).toMatch(/^Offline since \d\d:\d\d$/);

    await page.getByTestId('customer-register').click();
    await page.getByTestId('customer-form-name').fill('Cai Offline');
    await page.getByTestId('customer-form-phone').fill('13700004321');
    await page.getByTestId('customer-save').click();
    await hidden(page.getByTestId('customer-form-name'));
    await pendingIs(page, 1);
    expect(await page.getByTestId('sync-pending').innerText()).toContain('1 change waiting');
    expect(await serverCustomers('Cai Offline')).toHaveLength(0);

    await startTheServer();
    await syncNow(page);
    await kindIs(page, 'online');
    await pendingIs(page, 0);
    await hidden(page.getByTestId('sync-pending'));
    expect(await serverCustomers('Cai Offline')).toHaveLength(1);
    await page.keyboard.press('Escape');
  });

  it('puts a booking the server refused in the inbox, and rebooks it at an alternative in one click', async () => {
    const day = addDays(localDateOf(Date.now(), SH), 2);
    await stopTheServer();
    // The push socket may not be back yet from the last outage, so nothing tells the desk the server
    // went away again: "Sync now" finds out.
    await syncNow(page);
    await kindIs(page, 'offline');
    await page.keyboard.press('Escape');

    // The receptionist books the first free time with the doctor while the server is away.
    await page.goto(`${served.url}/calendar?date=${day}&view=day&lang=en`);
    await visible(page.locator(`[data-testid="calendar-column"][data-resource-id="${doctor}"]`));
    const wanted = await bookFirstFreeSlot(page, { service: 'Consultation', resource: 'Dr. Li', customer: ann });
    await pendingIs(page, 1);

    // Meanwhile the same time with the same doctor is taken at the server.
    await atServer('booking.create', { id: ids.newId(), serviceId: service, customerId: bob.id, start: wanted, resourceIds: [doctor] });
    await startTheServer();
    await syncNow(page);
    await pendingIs(page, 0);
    const badge = page.getByTestId('sync-conflicts-badge');
    await visible(badge);
    expect(await badge.getAttribute('data-count')).toBe('1');
    await page.keyboard.press('Escape');
    await badge.click();

    await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe('/sync/conflicts');
    const card = page.getByTestId('sync-conflict');
    await visible(card);
    expect(await card.getAttribute('data-resolution')).toBe('open');
    const summary = await card.getByTestId('sync-conflict-summary').innerText();
    expect(summary).toMatch(/^Booking: Ann Sync · Consultation · .+ \d\d:\d\d · Dr\. Li$/);
    expect(await card.getByTestId('sync-conflict-reason').innerText()).toContain('Dr. Li is already booked at this time');
    expect(await card.getByTestId('sync-conflict-made').innerText()).toMatch(/^Made by you at /);

    const alternative = card.getByTestId('sync-conflict-rebook').first();
    await visible(alternative);
    expect(await alternative.innerText()).toMatch(/^Book (.+ )?\d\d:\d\d with Dr\. Li$/);
    const start = Number(await alternative.getAttribute('data-start'));
    expect(start).not.toBe(wanted);
    await alternative.click();

    await visible(page.getByTestId('sync-conflicts-empty'));
    await hidden(badge);
    await page.getByTestId('sync-conflicts-show-resolved').click();
    await expect.poll(() => card.getAttribute('data-resolution'), WAIT).toBe('rebooked');

    // The new booking reaches the server by itself (a local change pushes at once).
    await pendingIs(page, 0);
    await expect
      .poll(
        () => store.db.selectFrom('bookings').select(['customer_id', 'start_at']).where('customer_id', '=', ann.id).where('status', '!=', 'cancelled').execute(),
        WAIT,
      )
      .toEqual([{ customer_id: ann.id, start_at: start }]);
  });

  it('reads in Chinese', async () => {
    await page.goto(`${served.url}/sync/conflicts?lang=zh-CN`);
    await visible(page.getByTestId('sync-conflicts'));
    expect(await page.locator('.foyer-page-title').first().innerText()).toBe('同步冲突');
    await kindIs(page, 'online');
    expect(await indicator(page).innerText()).toBe('在线');
    expect(await page.getByTestId('session-role').innerText()).toBe('负责人');
  });

  it('signs out, and signs in again from the desk’s memory while the server is away', async () => {
    await page.goto(`${served.url}/customers?lang=en`);
    await visible(page.getByTestId('customer-search'));
    await socketUp(page);
    await page.getByTestId('session-menu').click();
    await page.getByTestId('sign-out').click();
    await visible(page.getByTestId('sign-in'));
    await hidden(page.getByTestId('customer-search'));

    await stopTheServer();
    await visible(page.getByTestId('sign-in-server-away'));
    // Someone who never signed in here cannot sign in while the server is away; the owner can.
    await page.getByTestId('sign-in-login').fill('somebody');
    await page.getByTestId('sign-in-password').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await visible(page.getByTestId('sign-in-error'));
    expect(await page.getByTestId('sign-in-error').innerText()).toContain('you have not signed in on this desk before');
    await page.getByTestId('sign-in-login').fill('owner');
    await page.getByTestId('sign-in-password').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await visible(page.getByTestId('customer-search'));
    expect(await page.getByTestId('session-name').innerText()).toBe('Owner Wang');
    await kindIs(page, 'offline');
    await page.close();
  });
});
