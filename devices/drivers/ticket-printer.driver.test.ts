/**
 * The ticket printer driver against a scripted printer on the mock transport, with fake timers:
 * every job state transition, every status timeout, and the duplicate-avoidance rules (a sent job
 * is never written again; a job whose fate is unknown becomes uncertain).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../core/errors';
import { encodeTestPage } from '../protocol/escpos.codec';
import type { RealtimeEvent } from '../protocol/escpos-status.codec';
import { MockTransport } from '../transport/mock.transport';
import { asbFrame, realtimeStatusByte, type PrinterCondition } from '../sim/printer-status';
import type { DriverStatus } from './driver-status';
import {
  TicketPrinterDriver,
  evaluateReport,
  recoveryAfterRestart,
  reportFromReplies,
  type PrintJobEvent,
  type PrinterAlert,
  type TicketPrinterOptions,
} from './ticket-printer.driver';

afterEach(() => {
  vi.useRealTimers();
});

const isStatusRequest = (w: Uint8Array) => w.length > 0 && w.length % 3 === 0 && w.every((b, i) => (i % 3 === 0 ? b === 0x10 : i % 3 === 1 ? b === 0x04 : b >= 1 && b <= 4));

/** A printer behind the mock transport: answers DLE EOT from its conditions, records jobs. */
class FakePrinter {
  readonly conditions = new Set<PrinterCondition>();
  readonly jobs: Uint8Array[] = [];
  /** Writes in order: 'S' for a status request, the job's id text otherwise. */
  readonly log: string[] = [];
  silent = false;
  /** Runs when a job arrives (before any later status request is answered). */
  onJob: ((bytes: Uint8Array) => void) | undefined;

  constructor(readonly t: MockTransport) {
    t.respond((w) => {
      if (isStatusRequest(w)) {
        this.log.push('S');
        if (this.silent) return undefined;
        const replies: number[] = [];
        for (let i = 2; i < w.length; i += 3) replies.push(realtimeStatusByte(w[i] as 1, this.conditions));
        return Uint8Array.from(replies);
      }
      this.jobs.push(w);
      this.log.push(jobName(w));
      this.onJob?.(w);
      return undefined;
    });
  }

  set(c: PrinterCondition, on = true): void {
    if (on) this.conditions.add(c);
    else this.conditions.delete(c);
  }
}

function job(id: string) {
  return { id, bytes: Uint8Array.from([0x1b, 0x40, ...new TextEncoder().encode(id), 0x0a, 0x1d, 0x56, 0x41, 0x00]) };
}

function jobName(w: Uint8Array): string {
  return new TextDecoder().decode(w.subarray(2, w.indexOf(0x0a)));
}

async function setup(options: Partial<TicketPrinterOptions> = {}) {
  vi.useFakeTimers();
  const t = new MockTransport({ description: 'printer', writeTimeoutMs: 1000 });
  const printer = new FakePrinter(t);
  const driver = new TicketPrinterDriver({ transport: t, pollIntervalMs: 5000, recoveryPollMs: 1000, statusTimeoutMs: 1000, ...options });
  const events: PrintJobEvent[] = [];
  const alerts: PrinterAlert[] = [];
  const statuses: DriverStatus[] = [];
  driver.on('job', (e) => events.push(e));
  driver.on('alert', (a) => alerts.push(a));
  driver.on('status', (s) => statuses.push(s));
  const started = driver.start();
  await vi.advanceTimersByTimeAsync(20);
  await started;
  printer.log.length = 0;
  const states = (id: string) => events.filter((e) => e.id === id).map((e) => e.state);
  const last = (id: string) => events.filter((e) => e.id === id).at(-1);
  return { t, printer, driver, events, alerts, statuses, states, last };
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Keeps a rejection from being reported as unhandled while the test inspects it later. */
function settled<T>(p: Promise<T>): { result: () => { ok: true; value: T } | { ok: false; error: unknown } | undefined } {
  let r: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  p.then(
    (value) => (r = { ok: true, value }),
    (error: unknown) => (r = { ok: false, error }),
  );
  return { result: () => r };
}

describe('ticket printer driver: status', () => {
  it('start() opens the transport, reads DLE EOT 1–4 and reports ready', async () => {
    const { t, driver, statuses } = await setup();
    expect(t.writes[0]).toEqual(Uint8Array.of(0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4));
    expect(driver.status.state).toBe('ready');
    expect(driver.connected).toBe(true);
    expect(driver.report).toMatchObject({ online: true, paperOut: false, coverOpen: false });
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'ready']);
  });

  it.each([
    [['paper-out'], 'fault', 'errors.device.printer.paperOut'],
    [['cover-open'], 'fault', 'errors.device.printer.coverOpen'],
    [['cover-open', 'paper-out'], 'fault', 'errors.device.printer.coverOpen'],
    [['offline'], 'fault', 'errors.device.printer.error'],
    [['near-end'], 'warning', 'errors.device.printer.paperNearEnd'],
    [[], 'ready', undefined],
  ] as [PrinterCondition[], string, string | undefined][])('conditions %j → %s %s', async (conditions, state, reasonKey) => {
    const { printer, driver } = await setup();
    for (const c of conditions) printer.set(c);
    driver.refresh();
    await advance(10);
    expect([driver.status.state, driver.status.reasonKey]).toEqual([state, reasonKey]);
    if (reasonKey !== undefined) expect(driver.status.params).toEqual({ device: 'printer' });
  });

  it('maps each status bit to the reason staff can act on', () => {
    const replies = (b1: number, b2: number, b3: number, b4: number): RealtimeEvent[] => {
      return [
        { kind: 'realtime', request: 1, raw: b1, status: { drawerPinHigh: false, offline: (b1 & 8) !== 0 } },
        { kind: 'realtime', request: 2, raw: b2, status: { coverOpen: (b2 & 4) !== 0, feedingByButton: (b2 & 8) !== 0, paperEndStop: (b2 & 0x20) !== 0, error: (b2 & 0x40) !== 0 } },
        { kind: 'realtime', request: 3, raw: b3, status: { mechanicalError: (b3 & 4) !== 0, autocutterError: (b3 & 8) !== 0, unrecoverableError: (b3 & 0x20) !== 0, autoRecoverableError: (b3 & 0x40) !== 0 } },
        { kind: 'realtime', request: 4, raw: b4, status: { nearEnd: (b4 & 0x0c) !== 0, paperEnd: (b4 & 0x60) !== 0 } },
      ];
    };
    const verdict = (b1: number, b2: number, b3: number, b4: number) => evaluateReport(reportFromReplies(replies(b1, b2, b3, b4)));
    expect(verdict(0x12, 0x12, 0x12, 0x12)).toEqual({ state: 'ready' });
    expect(verdict(0x1a, 0x12, 0x12, 0x12)).toEqual({ state: 'fault', reasonKey: 'errors.device.printer.offline' });
    expect(verdict(0x1a, 0x52, 0x32, 0x12)).toEqual({ state: 'fault', reasonKey: 'errors.device.printer.unrecoverableError' });
    expect(verdict(0x1a, 0x52, 0x1a, 0x12)).toEqual({ state: 'fault', reasonKey: 'errors.device.printer.cutterError' });
    expect(verdict(0x1a, 0x52, 0x52, 0x12)).toEqual({ state: 'fault', reasonKey: 'errors.device.printer.error' });
    // paper end seen by the sensor alone (EOT 2 says nothing) is still paper out
    expect(verdict(0x12, 0x12, 0x12, 0x72)).toEqual({ state: 'fault', reasonKey: 'errors.device.printer.paperOut' });
    expect(verdict(0x12, 0x12, 0x12, 0x1e)).toEqual({ state: 'warning', reasonKey: 'errors.device.printer.paperNearEnd' });
  });

  it('polls every pollIntervalMs while idle, every recoveryPollMs while faulted, and at once on an ASB frame', async () => {
    const { t, printer, driver } = await setup();
    await advance(15_000);
    expect(printer.log).toEqual(['S', 'S', 'S']);
    printer.log.length = 0;
    printer.set('cover-open');
    await advance(5000);
    expect(driver.status.reasonKey).toBe('errors.device.printer.coverOpen');
    await advance(3000);
    expect(printer.log.length).toBe(4); // the idle poll that saw it, then one per second
    printer.log.length = 0;
    printer.set('cover-open', false);
    t.receive(asbFrame(new Set())); // an ASB-enabled printer reports the change itself
    await advance(10);
    expect(printer.log).toEqual(['S']);
    expect(driver.status.state).toBe('ready');
  });

  it('a printer that does not answer is a not-responding fault within the status timeout', async () => {
    const { printer, driver, statuses } = await setup();
    printer.silent = true;
    driver.refresh();
    await advance(990);
    expect(driver.status.state).toBe('ready');
    await advance(20);
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.printer.notResponding', params: { device: 'printer' } });
    expect(driver.report).toBeUndefined();
    printer.silent = false;
    await advance(1000);
    expect(driver.status.state).toBe('ready');
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'ready', 'fault', 'ready']);
  });

  it('ignores garbage and late replies: no crash, no misread status', async () => {
    const { t, printer, driver } = await setup();
    t.receive([0xff, 0x00, 0x80, 0x7f, 0x13, 0x11, 0x10, 0x01]); // noise, XON/XOFF, a cut ASB frame
    t.receive([0x1a, 0x1a]); // replies nobody asked for ("offline") are discarded
    await advance(5000);
    expect(driver.status.state).toBe('ready');
    // a reply that arrives after its poll timed out is not taken for the next one
    printer.silent = true;
    driver.refresh();
    await advance(1010);
    expect(driver.status.reasonKey).toBe('errors.device.printer.notResponding');
    t.receive([0x1a, 0x72, 0x12, 0x7e]); // late: "paper out"
    printer.silent = false;
    await advance(1000);
    expect(driver.status.state).toBe('ready');
  });

  it('reports a transport that cannot open, and connects when it comes back by itself', async () => {
    vi.useFakeTimers();
    const t = new MockTransport({ description: 'printer' });
    const printer = new FakePrinter(t);
    t.failNextOpen(new AppError('DEVICE_FAULT', 'errors.device.notFound', { device: 'printer' }));
    const driver = new TicketPrinterDriver({ transport: t });
    const status = await driver.start();
    expect(status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.notFound' });
    t.reconnect();
    await advance(10);
    expect(driver.status.state).toBe('ready');
    expect(printer.log).toEqual(['S']);
    await driver.close();
  });
});

describe('ticket printer driver: jobs', () => {
  it('a job is confirmed only after it was written and a status after it is good', async () => {
    const { printer, driver, states, events } = await setup();
    const done = driver.print(job('A001'));
    await advance(10);
    await expect(done).resolves.toMatchObject({ id: 'A001', state: 'confirmed', sent: true, delivered: true });
    expect(states('A001')).toEqual(['queued', 'sending', 'written', 'confirmed']);
    expect(printer.log).toEqual(['S', 'A001', 'S']);
    expect(events.find((e) => e.state === 'written')).toMatchObject({ sent: true, delivered: false });
  });

  it('takes jobs one at a time, in order, with a status check before and after each', async () => {
    const { printer, driver } = await setup();
    const ids = ['A001', 'A002', 'A003', 'A004'];
    const all = Promise.all(ids.map((id) => driver.print(job(id))));
    await advance(50);
    await all;
    const jobsLogged = printer.log.filter((l) => l !== 'S');
    expect(jobsLogged).toEqual(ids);
    for (const id of ids) {
      const k = printer.log.indexOf(id);
      expect(printer.log[k - 1]).toBe('S');
      expect(printer.log[k + 1]).toBe('S');
    }
  });

  it('paper out before a job holds it (alert, no bytes sent) and prints it once when paper is back', async () => {
    const { printer, driver, states, alerts, last } = await setup();
    printer.set('paper-out');
    const done = driver.print(job('A001'));
    await advance(10);
    expect(states('A001')).toEqual(['queued', 'held']);
    expect(last('A001')).toMatchObject({ sent: false, reasonKey: 'errors.device.printer.paperOut' });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'jobs-held', jobIds: ['A001'], reasonKey: 'errors.device.printer.paperOut' })]);
    expect(driver.status).toMatchObject({ state: 'fault', reasonKey: 'errors.device.printer.paperOut' });
    await advance(5000);
    expect(printer.jobs).toEqual([]);
    expect(alerts).toHaveLength(1); // one alert per hold, not per poll
    printer.set('paper-out', false);
    await advance(1000);
    await expect(done).resolves.toMatchObject({ state: 'confirmed' });
    expect(states('A001')).toEqual(['queued', 'held', 'queued', 'sending', 'written', 'confirmed']);
    expect(printer.jobs).toHaveLength(1);
  });

  it('paper running out during a job holds it as delivered and confirms it after recovery without resending', async () => {
    const { printer, driver, states, last, alerts } = await setup();
    printer.onJob = (w) => {
      if (jobName(w) === 'A001') printer.set('paper-out'); // the printer stops with the job in its buffer
    };
    const first = driver.print(job('A001'));
    const second = driver.print(job('A002'));
    await advance(10);
    expect(states('A001')).toEqual(['queued', 'sending', 'written', 'held']);
    expect(last('A001')).toMatchObject({ sent: true, delivered: true, reasonKey: 'errors.device.printer.paperOut' });
    expect(states('A002')).toEqual(['queued', 'held']);
    expect(alerts.map((a) => a.kind)).toEqual(['jobs-held']);
    await advance(4000);
    printer.set('paper-out', false);
    await advance(1000);
    await expect(first).resolves.toMatchObject({ state: 'confirmed', delivered: true });
    await second;
    expect(printer.jobs.map(jobName)).toEqual(['A001', 'A002']); // A001 written once
    expect(states('A001').at(-1)).toBe('confirmed');
  });

  it('paper near end is a warning: jobs still print', async () => {
    const { printer, driver } = await setup();
    printer.set('near-end');
    const done = driver.print(job('A001'));
    await advance(10);
    await expect(done).resolves.toMatchObject({ state: 'confirmed' });
    expect(driver.status).toMatchObject({ state: 'warning', reasonKey: 'errors.device.printer.paperNearEnd' });
  });

  it('no reply after a job: held as sent; a reply on the same link then proves delivery', async () => {
    const { printer, driver, states, last } = await setup();
    printer.onJob = () => {
      printer.silent = true;
    };
    const done = driver.print(job('A001'));
    await advance(1010);
    expect(states('A001')).toEqual(['queued', 'sending', 'written', 'held']);
    expect(last('A001')).toMatchObject({ sent: true, delivered: false, reasonKey: 'errors.device.printer.notResponding' });
    printer.silent = false;
    await advance(1000);
    await expect(done).resolves.toMatchObject({ state: 'confirmed', delivered: true });
    expect(printer.jobs).toHaveLength(1);
  });

  it('link lost after the write and before any reply: uncertain, alert, never resent', async () => {
    const { t, printer, driver, states, alerts } = await setup();
    printer.onJob = (w) => {
      if (jobName(w) === 'A001') printer.silent = true;
    };
    const done = settled(driver.print(job('A001')));
    await advance(1010);
    t.disconnect();
    await advance(10);
    expect(states('A001')).toEqual(['queued', 'sending', 'written', 'held', 'uncertain']);
    expect(done.result()).toMatchObject({ ok: false, error: { code: 'DEVICE_FAULT', key: 'errors.device.printer.jobUncertain', params: { job: 'A001' } } });
    expect(alerts.at(-1)).toMatchObject({ kind: 'job-uncertain', jobId: 'A001', reasonKey: 'errors.device.printer.jobUncertain', causeKey: 'errors.device.disconnected' });
    expect(driver.status.state).toBe('disconnected');

    printer.silent = false;
    t.reconnect();
    const next = driver.print(job('A002'));
    await advance(10);
    await next;
    expect(printer.jobs.map(jobName)).toEqual(['A001', 'A002']);
  });

  it.each([
    ['the write fails', (t: MockTransport) => t.failNextWrite(new AppError('DEVICE_FAULT', 'errors.device.disconnected', { device: 'printer' })), 'errors.device.disconnected', 0],
    ['the write stalls and times out', (t: MockTransport) => t.stall(), 'errors.device.timeout', 1000],
  ] as const)('%s mid-job: uncertain, never resent after reconnect', async (_name, fault, causeKey, wait) => {
    const { t, printer, driver, states, alerts } = await setup();
    driver.on('job', (e) => {
      if (e.id === 'A001' && e.state === 'sending') fault(t);
    });
    const done = settled(driver.print(job('A001')));
    const behind = driver.print(job('A002'));
    await advance(wait + 10);
    expect(states('A001')).toEqual(['queued', 'sending', 'uncertain']);
    expect(done.result()).toMatchObject({ ok: false, error: { key: 'errors.device.printer.jobUncertain' } });
    expect(alerts.find((a) => a.kind === 'job-uncertain')).toMatchObject({ causeKey });
    expect(states('A002')).toEqual(['queued', 'held']);
    t.stall(false);
    t.reconnect();
    await advance(10);
    await behind;
    expect(printer.jobs.map(jobName)).toEqual(['A002']);
  });

  it('disconnected before the job: held with the reason, sent once after reconnecting', async () => {
    const { t, printer, driver, states, last } = await setup();
    t.disconnect();
    const done = driver.print(job('A001'));
    await advance(10);
    expect(states('A001')).toEqual(['queued', 'held']);
    expect(last('A001')).toMatchObject({ sent: false, reasonKey: 'errors.device.disconnected' });
    await advance(3000);
    t.reconnect();
    await advance(10);
    await done;
    expect(printer.jobs).toHaveLength(1);
  });

  it('a printer power-cycled while holding a delivered job: uncertain (its buffer may be gone)', async () => {
    const { t, printer, driver, states } = await setup();
    printer.onJob = () => printer.set('cover-open');
    const done = settled(driver.print(job('A001')));
    await advance(10);
    expect(states('A001')).toEqual(['queued', 'sending', 'written', 'held']);
    t.disconnect();
    await advance(10);
    expect(states('A001').at(-1)).toBe('uncertain');
    printer.set('cover-open', false);
    t.reconnect();
    await advance(2000);
    expect(done.result()).toMatchObject({ ok: false });
    expect(printer.jobs).toHaveLength(1);
  });

  it('cancel(): an unsent job is cancelled; a sent one cannot be recalled and becomes uncertain', async () => {
    const { printer, driver, states } = await setup();
    printer.set('paper-out');
    const a = settled(driver.print(job('A001')));
    await advance(10);
    expect(driver.cancel('A001')).toBe('cancelled');
    await advance(0);
    expect(a.result()).toMatchObject({ ok: false, error: { key: 'errors.device.printer.jobCancelled' } });
    expect(states('A001')).toEqual(['queued', 'held', 'cancelled']);

    printer.set('paper-out', false);
    printer.onJob = () => printer.set('paper-out');
    const b = settled(driver.print(job('A002')));
    await advance(1010);
    expect(states('A002').at(-1)).toBe('held');
    expect(driver.cancel('A002')).toBe('uncertain');
    await advance(0);
    expect(b.result()).toMatchObject({ ok: false, error: { key: 'errors.device.printer.jobUncertain' } });
    expect(driver.cancel('nope')).toBeUndefined();
    expect(printer.jobs.map(jobName)).toEqual(['A002']);
  });

  it('a job not sent before expiresAt fails with jobExpired and is never printed', async () => {
    const { printer, driver, states, last } = await setup();
    printer.set('cover-open');
    const done = settled(driver.print({ ...job('A001'), expiresAt: Date.now() + 3000 }));
    await advance(2500);
    expect(states('A001')).toEqual(['queued', 'held']);
    await advance(1000);
    expect(last('A001')).toMatchObject({ state: 'failed', sent: false, reasonKey: 'errors.device.printer.jobExpired' });
    expect(done.result()).toMatchObject({ ok: false, error: { code: 'DEVICE_TIMEOUT', key: 'errors.device.printer.jobExpired' } });
    printer.set('cover-open', false);
    await advance(2000);
    expect(printer.jobs).toEqual([]);
  });

  it('refuses a job id that is active or already finished (a resubmission must not print twice)', async () => {
    const { driver } = await setup();
    const a = driver.print(job('A001'));
    await expect(driver.print(job('A001'))).rejects.toMatchObject({ code: 'CONFLICT', key: 'errors.device.printer.duplicateJob' });
    await advance(10);
    await a;
    await expect(driver.print(job('A001'))).rejects.toMatchObject({ key: 'errors.device.printer.duplicateJob' });
    await expect(driver.print({ id: 'x', bytes: new Uint8Array(0) })).rejects.toMatchObject({ code: 'INVALID', key: 'errors.device.invalidArgument' });
  });

  it('testPrint() prints the settings test page as a job', async () => {
    const { printer, driver } = await setup({ paper: { columns: 32, codepage: 'gb18030' } });
    await Promise.all([driver.testPrint({ id: 'test-1', subtitle: 'COM3' }), advance(10)]);
    expect(printer.jobs).toEqual([encodeTestPage({ columns: 32, codepage: 'gb18030', subtitle: 'COM3' })]);
  });

  it('close(): pending jobs reject with errors.device.closed, nothing more is written or reported', async () => {
    const { t, printer, driver, events } = await setup();
    printer.set('paper-out');
    const a = settled(driver.print(job('A001')));
    await advance(10);
    const before = events.length;
    const writes = t.writes.length;
    await driver.close();
    await advance(0);
    expect(a.result()).toMatchObject({ ok: false, error: { key: 'errors.device.closed' } });
    expect(t.state).toBe('closed');
    expect(driver.status.state).toBe('disconnected');
    await advance(10_000);
    expect(events.length).toBe(before);
    expect(t.writes.length).toBe(writes);
    await expect(driver.print(job('A002'))).rejects.toMatchObject({ key: 'errors.device.closed' });
  });
});

describe('recoveryAfterRestart', () => {
  it('resubmits only jobs that were never sent; sent and unfinished ones go to staff', () => {
    const table: [PrintJobEvent['state'], boolean, string][] = [
      ['queued', false, 'resubmit'],
      ['held', false, 'resubmit'],
      ['sending', true, 'ask-staff'],
      ['written', true, 'ask-staff'],
      ['held', true, 'ask-staff'],
      ['uncertain', true, 'ask-staff'],
      ['confirmed', true, 'done'],
      ['failed', false, 'done'],
      ['cancelled', false, 'done'],
    ];
    for (const [state, sent, expected] of table) expect({ state, sent, r: recoveryAfterRestart({ state, sent }) }).toEqual({ state, sent, r: expected });
  });

  it('a host that dies mid-queue: the last persisted event of each job says what to do', async () => {
    const { t, driver } = await setup();
    const persisted = new Map<string, PrintJobEvent>();
    driver.on('job', (e) => persisted.set(e.id, e)); // what a manager writes to SQLite
    driver.on('job', (e) => {
      if (e.id === 'A002' && e.state === 'written') t.stall(); // the host dies before A002 is confirmed
    });
    const pending = ['A001', 'A002', 'A003'].map((id) => settled(driver.print(job(id))));
    await advance(10);
    void pending;
    const actions = Object.fromEntries([...persisted].map(([id, e]) => [id, recoveryAfterRestart(e)]));
    expect(actions).toEqual({ A001: 'done', A002: 'ask-staff', A003: 'resubmit' });
  });
});
