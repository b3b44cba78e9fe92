/**
 * calendar-render: the Scheduling issue's target "Calendar day view with 40 resource columns and
 * 600 bookings: rendered in Chromium in under 300 ms (measured with Playwright from navigation to
 * events painted)".
 *
 * The data folder: a new replica (Replica.open, as the host opens it) with one organization and
 * one clinic (Asia/Shanghai), made through the real mutators: `organization.setup`, 100
 * customers, 5 departments, 40 practitioners (8 per department) working 08:00–20:00 every day, a
 * 30-minute consultation, and 600 bookings on one day a week ahead: 15 per practitioner, back to
 * back from 08:00, every one through `booking.create` with its practitioner given (so every rule
 * and the overlap check ran). One in five is then checked in (`booking.transition`), so the day
 * has two statuses. The desk runs as `foyer serve --no-demo` on that folder (the built dist/, as
 * `npm run serve` runs it), so no demo data is added.
 *
 * What is timed, per sample, in a new page of one Chromium (Debian's, through playwright-core):
 * from the start of the navigation to `/calendar?date=…&view=day` (the page's
 * `performance.timeOrigin`) until all 600 booking elements are in the page AND painted. A script
 * put in the page before any of its own (`addInitScript`) checks once per animation frame whether
 * 600 `[data-testid="booking-event"]` elements exist and are placed (FullCalendar first renders
 * them hidden, then positions them once it has measured the grid); in the frame they first are,
 * it waits for that frame to be painted (a task queued from requestAnimationFrame runs after the
 * frame's paint) and reads `performance.now()`. The sample therefore includes: the HTML and the cached
 * JS/CSS (the HTTP cache is warm after the warm-up, as on a desk that has opened the app before),
 * parsing and running the bundle, `system.info`, `scheduling.calendar` and
 * `scheduling.catalog` over HTTP, React and FullCalendar's render and layout, and the paint.
 * Samples: 20 after 3 warm-up loads; the viewport is 1600 × 1000.
 * Target: p50 < 300 ms.
 *
 * More figures, without a target:
 * - calendar-render-after-data: the part of each sample after the response carrying
 *   `scheduling.calendar` ended (resource timing in the page): what the calendar itself costs,
 *   apart from loading the app and the data;
 * - calendar-render-main-thread-cpu: the CPU time the page's main thread used during the sample
 *   (CDP `Performance.getMetrics`, ThreadTime, read before the navigation and after the paint).
 *   On a shared machine the wall-clock figure grows with the load; this one much less, so it
 *   tells a slower machine from slower code;
 * - calendar-render-persistent-profile: the same samples (same probe, warm-up and count) in a
 *   browser with a profile on disk, as Electron's default session and a normal Chromium profile
 *   are. The context of the main figure is an incognito-like one, whose caches live in memory
 *   and which keeps no V8 code cache, so every script is compiled again on every load; a desk
 *   that has opened the app before does not do that. Taken after the main figure, in its own
 *   browser with a new profile folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Actor } from '../core/mutator';
import { addDays, wallTimeToInstant } from '../core/scheduling/zoned-time';
import { localDateOf } from '../core/time';
import { openReplica } from './lib/replica';
import { roundSig, summarize } from './lib/stats';
import type { Benchmark, Log } from './lib/types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIME_ZONE = 'Asia/Shanghai';
const DEPARTMENTS = 5;
const RESOURCES = 40;
const BOOKINGS = 600;
const CUSTOMERS = 100;
const WARMUP = 3;
const SAMPLES = 20;
const TARGET_MS = 300;
const VIEWPORT = { width: 1600, height: 1000 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

interface Prepared {
  dir: string;
  day: string;
}

/** The data folder: everything through the mutators, as a desk would have written it. */
async function prepare(dir: string, log: Log): Promise<Prepared> {
  const t0 = performance.now();
  const replica = openReplica(dir);
  try {
    const organizationId = replica.newId();
    const siteId = replica.newId();
    const owner: Actor = { staffId: replica.newId(), role: 'owner', organizationId, siteId };
    await replica.mutate(
      'organization.setup',
      { id: organizationId, name: 'Bench Clinic Group', defaultCountry: 'CN', sites: [{ id: siteId, name: 'Bench Clinic', kind: 'clinic', timeZone: TIME_ZONE }] },
      owner,
    );
    // What seedDemo records, so `foyer serve --no-demo` runs as this owner.
    replica.setMeta('organization_id', organizationId);
    replica.setMeta('site_id', siteId);
    replica.setMeta('staff_id', owner.staffId);
    replica.setMeta('staff_role', owner.role);
    replica.setMeta('demo_seeded', '1');

    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const id = replica.newId();
      await replica.mutate('customer.create', { id, name: `客户${String(i + 1).padStart(3, '0')}`, phone: `+86139${String(10_000_000 + i * 7919).slice(0, 8)}` }, owner);
      customers.push(id);
    }
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 8 * 60, end: 20 * 60 }));
    const departments: string[] = [];
    for (let d = 0; d < DEPARTMENTS; d++) {
      const id = replica.newId();
      await replica.mutate('department.create', { id, siteId, name: `科室 ${d + 1} Department ${d + 1}` }, owner);
      departments.push(id);
    }
    const resources: string[] = [];
    for (let r = 0; r < RESOURCES; r++) {
      const id = replica.newId();
      await replica.mutate(
        'resource.create',
        { id, siteId, departmentId: departments[r % DEPARTMENTS], kind: 'practitioner', name: `医生 ${String(r + 1).padStart(2, '0')} Dr ${r + 1}`, schedule: { schedules: [{ ranges: everyDay }] } },
        owner,
      );
      resources.push(id);
    }
    const serviceId = replica.newId();
    await replica.mutate(
      'service.create',
      { id: serviceId, siteId, name: '门诊 Consultation', durationMinutes: 30, price: { amountMinor: 5000, currency: 'CNY' }, resourceKinds: ['practitioner'] },
      owner,
    );

    const day = addDays(localDateOf(Date.now(), TIME_ZONE), 7);
    const perResource = BOOKINGS / RESOURCES;
    let n = 0;
    for (let slot = 0; slot < perResource; slot++) {
      for (const resourceId of resources) {
        const start = wallTimeToInstant(day, 8 * 60 + slot * 30, TIME_ZONE);
        const id = replica.newId();
        await replica.mutate(
          'booking.create',
          { id, serviceId, customerId: customers[n % CUSTOMERS], start, resourceIds: [resourceId], acknowledgeCustomerOverlap: true },
          owner,
        );
        if (n % 5 === 0) await replica.mutate('booking.transition', { id, to: 'arrived' }, owner);
        n++;
      }
    }
    const count = replica.sqlite.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number };
    if (count.n !== BOOKINGS) throw new Error(`expected ${BOOKINGS} bookings, have ${count.n}`);
    log(`data folder: ${RESOURCES} practitioners in ${DEPARTMENTS} departments, ${BOOKINGS} bookings on ${day}, made through the mutators in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return { dir, day };
  } finally {
    await replica.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `foyer serve --no-demo` on the folder; resolves with its URL. */
function serve(dir: string, port: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/foyer.mjs'), 'serve', '--no-demo', '--port', String(port), '--data-dir', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`foyer serve did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`foyer serve exited with ${code}:\n${output}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Runs in the page before its own scripts: once per frame, look for the events; in the first
 * frame that has them all, wait for that frame's paint and note the time. Plain JS (a string),
 * since it is evaluated in the page, not compiled with this file.
 */
const PAINT_PROBE = `(() => {
  const want = ${BOOKINGS};
  const shown = (el) => {
    const harness = el.closest('.fc-timegrid-event-harness');
    return harness !== null && harness.style.visibility !== 'hidden' && harness.style.top !== '';
  };
  const frame = () => {
    const events = document.querySelectorAll('[data-testid="booking-event"]');
    // FullCalendar first renders events hidden, then places them once it has measured the grid.
    if (events.length >= want && Array.prototype.every.call(events, shown)) {
      // A task queued here runs after this frame is painted.
      setTimeout(() => { window.__foyerPainted = performance.now(); }, 0);
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

interface Sample {
  painted: number;
  /** CPU time of the page's main thread from just before the navigation to the paint. */
  mainThreadCpu: number;
  domContentLoaded: number;
  /** The first paint of the page (the app's frame), from the Paint Timing API. */
  firstPaint: number | null;
  /** When the request carrying scheduling.calendar (batched with others) was sent and answered. */
  calendarRequest: number | null;
  calendarResponse: number | null;
}

async function sample(context: BrowserContext, url: string): Promise<Sample> {
  const page: Page = await context.newPage();
  try {
    await page.addInitScript(PAINT_PROBE);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0;
    const cpu0 = await threadTime();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __foyerPainted?: number }).__foyerPainted !== undefined, undefined, { timeout: 30_000, polling: 50 });
    const mainThreadCpu = ((await threadTime()) - cpu0) * 1000;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const calendar = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('scheduling.calendar'));
      return {
        painted: (window as unknown as { __foyerPainted: number }).__foyerPainted,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? 0,
        firstPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        calendarRequest: calendar ? calendar.startTime : null,
        calendarResponse: calendar ? calendar.responseEnd : null,
      };
    });
    return { ...timing, mainThreadCpu };
  } finally {
    await page.close();
  }
}

/** Warm-up loads, then the samples, one page after another in `context`. */
async function samplesIn(context: BrowserContext, url: string): Promise<Sample[]> {
  for (let i = 0; i < WARMUP; i++) await sample(context, url);
  const samples: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await sample(context, url));
  return samples;
}

const bench: Benchmark = {
  name: 'calendar-render',
  async run(log: Log) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-calendar-'));
    let server: { url: string; child: ChildProcess } | null = null;
    let browser: Browser | null = null;
    try {
      const { dir, day } = await prepare(tmp, log);
      server = await serve(dir, await freePort());
      const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
      const url = `${server.url}/calendar?date=${day}&view=day&lang=zh-CN`;
      const samples = await samplesIn(await browser.newContext({ viewport: VIEWPORT }), url);
      await browser.close();
      browser = null;
      const painted = summarize(samples.map((s) => s.painted));
      const dcl = summarize(samples.map((s) => s.domContentLoaded));
      const firstPaints = samples.flatMap((s) => (s.firstPaint === null ? [] : [s.firstPaint]));
      const firstPaint = firstPaints.length > 0 ? `${summarize(firstPaints).p50.toFixed(0)} ms` : 'not reported';
      const withData = samples.filter((s): s is Sample & { calendarResponse: number } => s.calendarResponse !== null);
      const requested = summarize(withData.map((s) => s.calendarRequest!));
      const answered = summarize(withData.map((s) => s.calendarResponse));
      const afterData = summarize(withData.map((s) => s.painted - s.calendarResponse));
      const cpu = summarize(samples.map((s) => s.mainThreadCpu));
      log(`navigation → ${BOOKINGS} events painted: p50 ${painted.p50.toFixed(0)} ms, p99 ${painted.p99.toFixed(0)} ms (min ${painted.min.toFixed(0)}, max ${painted.max.toFixed(0)})`);
      log(
        `  p50 milestones: DOMContentLoaded ${dcl.p50.toFixed(0)} ms; calendar data requested ${requested.p50.toFixed(0)} ms, answered ${answered.p50.toFixed(0)} ms; ` +
          `first paint ${firstPaint}; from the data's arrival to the events' paint ${afterData.p50.toFixed(0)} ms (min ${afterData.min.toFixed(0)})`,
      );
      log(`  the page's main thread was on a CPU for p50 ${cpu.p50.toFixed(0)} ms of each sample (min ${cpu.min.toFixed(0)})`);

      // The same in a browser with a profile on disk (V8 code cache), in a new folder.
      const profileDir = path.join(tmp, 'profile');
      const persistent = await chromium.launchPersistentContext(profileDir, { executablePath, args: CHROMIUM_ARGS, viewport: VIEWPORT });
      let persistentSamples: Sample[];
      try {
        persistentSamples = await samplesIn(persistent, url);
      } finally {
        await persistent.close();
      }
      const persistentPainted = summarize(persistentSamples.map((s) => s.painted));
      const persistentCpu = summarize(persistentSamples.map((s) => s.mainThreadCpu));
      log(
        `  with a profile on disk: p50 ${persistentPainted.p50.toFixed(0)} ms, p99 ${persistentPainted.p99.toFixed(0)} ms (min ${persistentPainted.min.toFixed(0)}); ` +
          `main thread on a CPU p50 ${persistentCpu.p50.toFixed(0)} ms`,
      );
      return [
        {
          name: 'calendar-render',
          unit: 'ms',
          p50: roundSig(painted.p50),
          p99: roundSig(painted.p99),
          target: { p50: TARGET_MS },
          samples: painted.samples,
          note: `day view, ${RESOURCES} columns, ${BOOKINGS} bookings, Chromium ${VIEWPORT.width}×${VIEWPORT.height}; navigation start → all events painted`,
        },
        {
          name: 'calendar-render-after-data',
          unit: 'ms',
          p50: roundSig(afterData.p50),
          p99: roundSig(afterData.p99),
          target: {},
          samples: afterData.samples,
          note: 'the part of each sample after the calendar data arrived: React + FullCalendar render, layout and paint',
        },
        {
          name: 'calendar-render-main-thread-cpu',
          unit: 'ms',
          p50: roundSig(cpu.p50),
          p99: roundSig(cpu.p99),
          target: {},
          samples: cpu.samples,
          note: "CPU time of the page's main thread per sample (CDP Performance.getMetrics ThreadTime), which a busy machine does not inflate",
        },
        {
          name: 'calendar-render-persistent-profile',
          unit: 'ms',
          p50: roundSig(persistentPainted.p50),
          p99: roundSig(persistentPainted.p99),
          target: {},
          samples: persistentPainted.samples,
          note: 'the same samples in a browser with a profile on disk (as Electron and a normal Chromium profile have), which keeps compiled code of scripts run before',
        },
      ];
    } finally {
      await browser?.close();
      if (server) await stop(server.child);
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
export default bench;
