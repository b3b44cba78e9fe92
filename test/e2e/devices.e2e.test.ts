/**
 * A new user, in Chromium, at the Devices page of `foyer serve`, with a simulated ticket printer on
 * a socat pty pair (the desk opens it with the real serialport binding) and a simulated gate
 * controller on loopback Modbus TCP. They add both devices through the form, press Test on each,
 * and the simulators see a printed test page and a relay pulse. The printer then runs out of paper:
 * the page and the status bar say so in words with the printer's name, a ticket printed meanwhile
 * waits in the queue, and when the paper is back it prints exactly once and all is well again.
 * A second window in Chinese shows the same page in Chinese, and a keyboard-wedge scan typed on it
 * shows up as the last keyboard scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { ticketText } from '../../devices/sim/escpos-decoder';
import { GateSim } from '../../devices/sim/gate.sim';
import { PrinterSim } from '../../devices/sim/printer.sim';
import { createPtyPair, type PtyPair } from '../../devices/sim/pty-pair';
import { tempDir } from '../../electron/host/testing';
import { freePort, launchChromium, serve, type Served } from './harness';

/** Status polls run every 5 s while a printer is idle (the drivers' defaults): allow a few. */
const WAIT = { timeout: 25_000 };
const visible = (l: Locator) => l.waitFor({ state: 'visible', ...WAIT });
const hidden = (l: Locator) => l.waitFor({ state: 'hidden', ...WAIT });
const hasCount = (l: Locator, n: number) => expect.poll(() => l.count(), WAIT).toBe(n);
const hasText = (l: Locator, text: string) => expect.poll(async () => (await l.count()) > 0 && (await l.first().innerText()), WAIT).toContain(text);

let browser: Browser;
let server: Served;
let pair: PtyPair;
let printer: PrinterSim;
let gate: GateSim;
let gatePort: number;

beforeAll(async () => {
  pair = await createPtyPair({ dir: tempDir('foyer-e2e-pty-') });
  printer = new PrinterSim();
  await printer.listen({ serial: { path: pair.a } });
  gate = new GateSim();
  const address = await gate.listen({ tcp: { port: 0 } });
  if (address.kind !== 'tcp') throw new Error('the gate simulator did not listen on TCP');
  gatePort = address.port;
  server = await serve(tempDir('foyer-e2e-devices-'), await freePort());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  // The desk first: it switches the gate's relay off and releases the port before the simulators go.
  await server?.stop();
  await printer?.close();
  await gate?.close();
  await pair?.close();
});

const row = (page: Page, name: string) => page.locator(`[data-testid="device-row"][data-device-name="${name}"]`);
const jobs = (r: Locator, state: string) => r.locator(`[data-testid="job-row"][data-job-state="${state}"]`);

async function openDevices(page: Page, lang: 'en' | 'zh-CN'): Promise<void> {
  await page.goto(`${server.url}/devices?lang=${lang}`);
  await visible(page.getByTestId('devices-add'));
}

/** Picks an option of an antd Select by typing it into the Select's search. */
async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(option);
  await page.keyboard.press('Enter');
}

describe('Devices, end to end in Chromium with simulated hardware', () => {
  it('adds a printer and a gate, tests both, and follows the printer through paper-out and back', async () => {
    const page = await browser.newPage();
    await openDevices(page, 'en');
    await visible(page.getByTestId('devices-empty'));

    // The printer: a serial port, typed by hand (a socat link is not in the port list), at 115200 baud.
    await page.getByTestId('devices-add').click();
    await page.getByTestId('device-form-kind').getByText('Ticket printer').click();
    await page.getByTestId('device-form-name').fill('Front printer');
    await page.getByTestId('device-form-path').fill(pair.b);
    await choose(page, 'device-form-baudRate', '115200');
    await page.getByTestId('device-save').click();
    await hidden(page.getByTestId('device-form-name'));
    const frontPrinter = row(page, 'Front printer');
    await hasText(frontPrinter.getByTestId('device-health'), 'Ready');
    await hasText(frontPrinter, `${pair.b} @ 115200`);

    // The gate: Modbus TCP on loopback, relay 0, a short pulse. The network port starts at 502.
    await page.getByTestId('devices-add').click();
    await page.getByTestId('device-form-kind').getByText('Gate').click();
    await page.getByTestId('device-form-name').fill('Turnstile');
    await page.getByTestId('device-form-transportType').getByText('Network').click();
    expect(await page.getByTestId('device-form-port').inputValue()).toBe('502');
    await page.getByTestId('device-form-host').fill('127.0.0.1');
    await page.getByTestId('device-form-port').fill(String(gatePort));
    await page.getByTestId('device-form-relay').fill('0');
    await page.getByTestId('device-form-pulseMs').fill('300');
    await page.getByTestId('device-save').click();
    await hidden(page.getByTestId('device-form-name'));
    const turnstile = row(page, 'Turnstile');
    await hasText(turnstile.getByTestId('device-health'), 'Ready');
    await hidden(page.getByTestId('device-alerts'));

    // Test on the printer: a test page at the simulated paper, and its job printed on the page.
    await frontPrinter.getByTestId('device-test').click();
    await expect.poll(() => printer.tickets.length, WAIT).toBe(1);
    expect(ticketText(printer.tickets[0]!)).toContain('Test page');
    expect(ticketText(printer.tickets[0]!)).toContain('Front printer');
    await hasCount(jobs(frontPrinter, 'confirmed'), 1);
    await hasText(frontPrinter.getByTestId('device-test-progress'), 'Printed');

    // Test on the gate: one pulse of relay 0 at the simulated board, audited on the page.
    await turnstile.getByTestId('device-test').click();
    await expect.poll(() => gate.pulses(0).filter((p) => p.end !== undefined).length, WAIT).toBe(1);
    expect(gate.pulses(0)[0]!.durationMs).toBeGreaterThanOrEqual(250);
    await hasText(turnstile.getByTestId('gate-audit'), 'Test button');
    await hasText(turnstile.getByTestId('gate-audit'), 'Opening time over');
    // And the Open gate button pulses it again.
    await turnstile.getByTestId('gate-open').click();
    await expect.poll(() => gate.pulses(0).filter((p) => p.end !== undefined).length, WAIT).toBe(2);
    await hasText(turnstile.getByTestId('gate-audit'), 'Open gate button');

    // Out of paper: the fault in words with the printer's name, on the page and in the status bar.
    printer.set('paper-out');
    const paperOut = 'Front printer is out of paper. Load a new roll; waiting tickets print when it is back.';
    await hasText(frontPrinter.getByTestId('device-health'), 'Fault');
    await hasText(frontPrinter.getByTestId('device-health'), paperOut);
    await visible(page.getByTestId('device-alerts'));
    await hasText(page.getByTestId('device-alerts'), '1 device needs attention');
    await page.getByTestId('device-alerts').hover();
    await hasText(page.getByTestId('device-alerts-list'), paperOut);

    // A ticket printed meanwhile waits in the queue, held, with the reason.
    await frontPrinter.getByTestId('device-test').click();
    await hasCount(jobs(frontPrinter, 'held'), 1);
    await hasText(jobs(frontPrinter, 'held'), 'Held');
    await hasText(jobs(frontPrinter, 'held'), 'out of paper');
    expect(printer.tickets).toHaveLength(1);

    // Paper back: the held ticket prints, once, and all is well again.
    printer.set('paper-out', false);
    await expect.poll(() => printer.tickets.length, WAIT).toBe(2);
    await hasCount(jobs(frontPrinter, 'confirmed'), 2);
    await hasCount(jobs(frontPrinter, 'held'), 0);
    await hasText(frontPrinter.getByTestId('device-health'), 'Ready');
    await hidden(page.getByTestId('device-alerts'));
    // Give a duplicate every chance to show up: the next status poll has come and gone.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(printer.tickets).toHaveLength(2);
    expect(ticketText(printer.tickets[1]!)).toContain('Test page');
    await page.close();
  });

  it('shows the Devices page in Chinese, and a keyboard-wedge scan as the last keyboard scan', async () => {
    const page = await browser.newPage();
    await openDevices(page, 'zh-CN');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await hasText(page.locator('.foyer-page-title'), '设备');
    await hasText(page.getByTestId('devices-add'), '添加设备');
    const frontPrinter = row(page, 'Front printer');
    await hasText(frontPrinter, '小票打印机');
    await hasText(frontPrinter.getByTestId('device-health'), '就绪');
    await hasText(frontPrinter.getByTestId('device-test'), '测试');
    await hasText(frontPrinter.getByTestId('print-queue'), '已打印');
    await hasText(row(page, 'Turnstile').getByTestId('gate-open'), '开闸');
    await hasText(page.getByTestId('keyboard-scanner'), '最近扫码（键盘）');

    // A USB scanner in keyboard mode types fast and ends with Enter.
    await page.keyboard.type('6901234567892');
    await page.keyboard.press('Enter');
    await hasText(page.getByTestId('keyboard-last-scan'), '6901234567892');
    await page.close();
  });
});
