/**
 * What the end-to-end tests do on a page, as a receptionist would: wait for things to show or go,
 * pick an option of an antd Select by typing, and choose a customer in the customer search.
 */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

export const WAIT = { timeout: 15_000 };
export const visible = (l: Locator) => l.waitFor({ state: 'visible', ...WAIT });
export const hidden = (l: Locator) => l.waitFor({ state: 'hidden', ...WAIT });
export const hasCount = (l: Locator, n: number) => expect.poll(() => l.count(), WAIT).toBe(n);

/** Picks an option of an antd Select by typing into its search. */
export async function choose(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await visible(page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first());
  await page.keyboard.press('Enter');
}

/** Types a customer's name into a customer search (calendar/customer-picker.tsx) and picks them. */
export async function pickCustomer(page: Page, testId: string, c: { id: string; name: string }): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(c.name);
  const option = page.locator(`[data-testid="customer-option"][data-customer-id="${c.id}"]`);
  await visible(option);
  await option.click();
}

/**
 * "Find a slot" on an open calendar: the first free time for a service with a resource, booked for
 * a customer in the booking drawer. Returns the booked start.
 */
export async function bookFirstFreeSlot(page: Page, wanted: { service: string; resource: string; customer: { id: string; name: string } }): Promise<number> {
  await page.getByTestId('find-slot-open').click();
  const panel = page.getByTestId('find-slot');
  await visible(panel);
  await choose(page, 'find-slot-service', wanted.service);
  await choose(page, 'find-slot-resource', wanted.resource);
  await panel.getByTestId('find-slot-search').click();
  const first = panel.getByTestId('find-slot-result').first();
  await visible(first);
  const start = Number(await first.getAttribute('data-start'));
  await first.getByTestId('find-slot-book').click();
  const drawer = page.getByTestId('booking-drawer');
  await visible(drawer);
  await pickCustomer(page, 'booking-customer-search', wanted.customer);
  await page.getByTestId('booking-save').click();
  await hidden(drawer);
  return start;
}
