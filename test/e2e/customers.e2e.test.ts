/**
 * A new user, in English, at the Customers page of `foyer serve` in Chromium: registers a
 * customer, finds them by part of the name and by phone digits, edits them; the customer is still
 * there after a reload and after the server restarts. Invalid input is refused at the field and
 * writes nothing (no outbox entry). A second window sees changes live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { tempDir } from '../../electron/host/testing';
import { freePort, launchChromium, serve, type Served } from './harness';

const WAIT = { timeout: 15_000 };
const visible = (l: Locator) => l.waitFor({ state: 'visible', ...WAIT });
const hidden = (l: Locator) => l.waitFor({ state: 'hidden', ...WAIT });
const hasCount = (l: Locator, n: number) => expect.poll(() => l.count(), WAIT).toBe(n);
const hasText = (l: Locator, text: string) => expect.poll(async () => (await l.count()) > 0 && (await l.first().innerText()), WAIT).toContain(text);

let browser: Browser;
let server: Served;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = tempDir('foyer-e2e-');
  port = await freePort();
  server = await serve(dataDir, port);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function outboxCount(): number {
  const db = new Database(path.join(dataDir, 'desk.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function openCustomers(page: Page): Promise<void> {
  await page.goto(`${server.url}/customers?lang=en`);
  await visible(page.getByTestId('customer-search'));
}

async function search(page: Page, query: string): Promise<void> {
  await page.getByTestId('customer-search').fill(query);
}

async function register(page: Page, fields: { name: string; phone: string; nationalId?: string }): Promise<void> {
  await page.getByTestId('customer-register').click();
  await page.getByTestId('customer-form-name').fill(fields.name);
  await page.getByTestId('customer-form-phone').fill(fields.phone);
  if (fields.nationalId) await page.getByTestId('customer-form-nationalId').fill(fields.nationalId);
  await page.getByTestId('customer-save').click();
}

describe('Customers, end to end in Chromium', () => {
  it('registers, finds, edits, and keeps a customer across reload and restart', async () => {
    const page = await browser.newPage();
    await openCustomers(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await register(page, { name: 'Harriet Quillfeather', phone: '139 2468 1357' });
    await hidden(page.getByTestId('customer-form-name'));

    await search(page, 'quillfea');
    await hasCount(page.getByTestId('customer-row'), 1);
    await hasText(page.getByTestId('customer-row'), 'Harriet Quillfeather');

    await search(page, '24681357');
    await hasCount(page.getByTestId('customer-row'), 1);
    await hasText(page.getByTestId('customer-row'), '139 2468 1357');

    await page.getByTestId('customer-row').first().click();
    await hasText(page.getByTestId('customer-card'), 'Harriet Quillfeather');
    await page.getByTestId('customer-edit').click();
    await page.getByTestId('customer-form-name').fill('Harriet Quillfeather-Wu');
    await page.getByTestId('customer-save').click();
    await hasText(page.getByTestId('customer-card'), 'Harriet Quillfeather-Wu');

    await page.reload();
    await search(page, 'quillfeather-wu');
    await hasCount(page.getByTestId('customer-row'), 1);

    await server.stop();
    server = await serve(dataDir, port);
    const again = await browser.newPage();
    await openCustomers(again);
    await search(again, '2468');
    await hasText(again.getByTestId('customer-row'), 'Harriet Quillfeather-Wu');
    await page.close();
    await again.close();
  });

  it('refuses an invalid phone, a bad id checksum and a duplicate phone at the field, writing nothing', async () => {
    const page = await browser.newPage();
    await openCustomers(page);
    const before = outboxCount();

    await register(page, { name: 'Bad Phone', phone: '12345' });
    await visible(page.getByText('A mainland China mobile number has 11 digits'));
    await page.keyboard.press('Escape');

    await register(page, { name: 'Bad Id', phone: '13922223333', nationalId: '110105194912310021' });
    await visible(page.getByText('This ID number fails its check digit'));
    await page.keyboard.press('Escape');

    await register(page, { name: 'Second Harriet', phone: '13924681357' });
    await visible(page.getByText('This phone number already belongs to Harriet Quillfeather-Wu.'));
    await page.keyboard.press('Escape');

    expect(outboxCount()).toBe(before);
    await search(page, 'second harriet');
    await hasCount(page.getByTestId('customer-row'), 0);
    await page.close();
  });

  it('shows a customer registered in one window in another without reload', async () => {
    const one = await browser.newPage();
    const two = await browser.newPage();
    await openCustomers(one);
    await openCustomers(two);
    await search(two, 'ottoline');
    await hasCount(two.getByTestId('customer-row'), 0);
    await register(one, { name: 'Ottoline Marsh', phone: '13811112222' });
    await hasCount(two.getByTestId('customer-row'), 1);
    await one.close();
    await two.close();
  });
});
