/**
 * The desk's device manager: turns the configured devices (device-store.ts) into transports and
 * drivers (devices/), keeps each one's health for the UI, persists the print queue and audits the
 * gate. The only place where drivers meet the database.
 *
 * Print queue. A job is a row (with its bytes) before any byte goes to the printer; every driver
 * job event updates the row synchronously (the driver's listeners run before its next step). When
 * a printer's driver starts (host start, device re-configured, device enabled), its open jobs are
 * recovered with `recoveryAfterRestart`: a job whose bytes were never sent is submitted again (it
 * cannot print twice: it never started printing); one that may have printed becomes 'uncertain'
 * and waits for staff to reprint or dismiss it (printing it again could give two people the same
 * number). So a restart loses no job and prints none twice.
 *
 * Gate audit. Every opening, closing (with its cause), passage or missing passage, failed open and
 * fault is an audit_log row with who or what caused it. A relay found on when the host starts
 * (it was killed mid-pulse) is switched off by the driver and audited with cause 'start'.
 *
 * Names. Drivers name a device by its transport (a port or an address) in their message
 * parameters; the manager replaces `device` with the name staff gave it, so the UI reads
 * "Front printer is out of paper".
 */
import { DeviceConfig, describeTransport, type DeviceConfigInput, type DeviceKind } from '../../../core/devices/device-config';
import { AppError, type MessageParams } from '../../../core/errors';
import { parseOrThrow } from '../../../core/validation';
import {
  GateDriver,
  LineDisplayDriver,
  ScannerDriver,
  TicketPrinterDriver,
  recoveryAfterRestart,
  systemClock,
  type DriverClock,
  type DriverState,
  type GateDriverOptions,
  type LineDisplayDriverOptions,
  type PrintJobEvent,
  type ScannerDriverOptions,
  type TicketPrinterOptions,
} from '../../../devices/drivers';
import { createCd5220Codec, createEpsonDisplayCodec, encodeTestPage } from '../../../devices/protocol';
import { SerialTransport, TcpTransport, type Transport } from '../../../devices/transport';
import type { AuditRecord, DeviceRecord, DeviceStore, PrintJobRecord } from './device-store';

export type DeviceHealthState = DriverState | 'disabled';

export interface DeviceHealth {
  state: DeviceHealthState;
  reasonKey?: string;
  params?: MessageParams;
  since: number;
}

export interface DeviceView {
  id: string;
  name: string;
  kind: DeviceKind;
  enabled: boolean;
  config: DeviceConfig;
  /** Where it is: "/dev/ttyUSB0 @ 115200", "192.168.1.20:502". */
  where: string;
  health: DeviceHealth;
  /** Printers: jobs not printed yet (queued, held, being sent). */
  waitingJobs: number;
  /** Printers: jobs that may not have printed, waiting for staff. */
  uncertainJobs: number;
  /** Displays: what the display shows, as far as the desk knows. */
  shown: { line1: string; line2: string } | null;
  /** Scanners: the last code read. */
  lastScan: { code: string; at: number } | null;
  /** Gates: whether the relay is on now. */
  gateOpen: boolean;
}

export type DeviceEvent =
  | { type: 'devices' }
  | { type: 'status'; deviceId: string; health: DeviceHealth }
  | { type: 'job'; deviceId: string; jobId: string; state: PrintJobRecord['state'] }
  | { type: 'audit'; deviceId: string; action: string }
  | { type: 'scan'; deviceId: string; code: string; at: number }
  | { type: 'shown'; deviceId: string };

export type TestOutcome =
  | { kind: 'printing'; job: PrintJobRecord }
  | { kind: 'shown'; line1: string; line2: string }
  | { kind: 'opened'; at: number }
  | { kind: 'waiting-for-scan' };

/** Driver settings the tests shorten; production uses the drivers' defaults. */
export interface DriverTuning {
  printer?: Partial<Omit<TicketPrinterOptions, 'transport' | 'clock' | 'paper'>>;
  gate?: Partial<Omit<GateDriverOptions, 'transport' | 'clock' | 'board' | 'relay' | 'pulseMs' | 'passageInput'>>;
  display?: Partial<Omit<LineDisplayDriverOptions, 'transport' | 'clock' | 'codec'>>;
  scanner?: Partial<Omit<ScannerDriverOptions, 'transport' | 'clock' | 'duplicateWindowMs'>>;
  /** Reconnect backoff and connect timeout of every transport. */
  transport?: { connectTimeoutMs?: number; initialDelayMs?: number; maxDelayMs?: number };
}

export interface DeviceManagerOptions {
  store: DeviceStore;
  newId: () => string;
  /** Time for rows (the replica's clock). */
  now: () => number;
  /** The organization audit rows belong to. */
  organizationId: () => string;
  driverClock?: DriverClock;
  tuning?: DriverTuning;
  log?: (line: string) => void;
}

/** The actor behind a call: a staff id, or what acted ("system"). */
export interface DeviceCaller {
  staffId: string;
}

interface Running {
  kind: DeviceKind;
  record: DeviceRecord;
  driver: TicketPrinterDriver | LineDisplayDriver | GateDriver | ScannerDriver;
  offs: (() => void)[];
  shown: { line1: string; line2: string } | null;
  lastScan: { code: string; at: number } | null;
}

const TEST_LINES = { line1: 'Foyer 测试 TEST', line2: '' };

function withName(params: MessageParams | undefined, name: string): MessageParams | undefined {
  return params === undefined ? undefined : 'device' in params ? { ...params, device: name } : params;
}

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', 'errors.device.unknown', { id });
}

export class DeviceManager {
  readonly #o: DeviceManagerOptions;
  readonly #clock: DriverClock;
  readonly #running = new Map<string, Running>();
  readonly #listeners = new Set<(e: DeviceEvent) => void>();
  #closed = false;

  constructor(options: DeviceManagerOptions) {
    this.#o = options;
    this.#clock = options.driverClock ?? systemClock();
  }

  /** Starts every enabled device. Does not wait for devices to answer: their health shows that. */
  start(): void {
    for (const record of this.#o.store.list()) if (record.enabled) this.#launch(record);
  }

  on(listener: (e: DeviceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  list(): DeviceView[] {
    return this.#o.store.list().map((r) => this.#view(r));
  }

  get(id: string): DeviceView {
    const record = this.#o.store.get(id);
    if (record === undefined) throw notFound(id);
    return this.#view(record);
  }

  // ---- configuration ----------------------------------------------------------------------------

  add(input: DeviceConfigInput): DeviceView {
    this.#assertOpen();
    const config = parseOrThrow(DeviceConfig, input);
    this.#assertNameFree(config.name, '');
    const id = this.#o.newId();
    this.#o.store.insert(id, config, this.#o.now());
    const record = this.#o.store.get(id)!;
    if (record.enabled) this.#launch(record);
    this.#emit({ type: 'devices' });
    return this.#view(record);
  }

  async update(id: string, input: DeviceConfigInput): Promise<DeviceView> {
    this.#assertOpen();
    const before = this.#o.store.get(id);
    if (before === undefined) throw notFound(id);
    const config = parseOrThrow(DeviceConfig, input);
    if (config.kind !== before.kind) {
      throw new AppError('INVALID', 'errors.deviceConfig.kindChange', {}, [{ path: ['kind'], key: 'errors.deviceConfig.kindChange' }]);
    }
    this.#assertNameFree(config.name, id);
    // Stop first: the old driver must release the port (and switch a gate off) before a new one opens it.
    await this.#stop(id);
    this.#o.store.update(id, config, this.#o.now());
    const record = this.#o.store.get(id)!;
    if (record.enabled) this.#launch(record);
    this.#emit({ type: 'devices' });
    return this.#view(record);
  }

  /**
   * Removes a device: its driver stops (a gate's relay is switched off), its waiting jobs are
   * cancelled (a ticket for a printer that is gone helps nobody), its row stays for the history.
   */
  async remove(id: string, by: DeviceCaller): Promise<void> {
    this.#assertOpen();
    const record = this.#o.store.get(id);
    if (record === undefined) throw notFound(id);
    await this.#stop(id);
    const now = this.#o.now();
    this.#o.store.transaction(() => {
      for (const j of this.#o.store.openJobs(id)) {
        this.#o.store.updateJob(j.id, { ...j, state: 'cancelled', reasonKey: 'errors.device.printer.jobCancelled', params: { job: j.label } }, now);
      }
      this.#o.store.remove(id, now);
      this.#audit(record, by.staffId, 'device.removed', { name: record.name });
    });
    this.#emit({ type: 'devices' });
  }

  // ---- using devices ----------------------------------------------------------------------------

  /** Presses the device's Test button: a test page, a test message, a gate pulse, or waits for a scan. */
  async test(id: string, by: DeviceCaller): Promise<TestOutcome> {
    const r = this.#runningOf(id);
    switch (r.kind) {
      case 'printer': {
        const { columns, codepage } = (r.record.config as Extract<DeviceConfig, { kind: 'printer' }>).options;
        const bytes = encodeTestPage({ columns, codepage, subtitle: `${r.record.name} · ${describeTransport(r.record.config.transport)}` });
        return { kind: 'printing', job: this.print(id, { label: 'test-page', bytes }, by) };
      }
      case 'display':
        await this.show(id, TEST_LINES.line1, TEST_LINES.line2);
        return { kind: 'shown', ...TEST_LINES };
      case 'gate': {
        const opened = await this.openGate(id, { reason: 'test', by: by.staffId });
        return { kind: 'opened', at: opened.at };
      }
      case 'scanner':
        return { kind: 'waiting-for-scan' };
    }
  }

  /**
   * Queues a print job: persisted first, then handed to the driver. Resolves with the row at once;
   * the job's progress arrives as 'job' events (and in jobs()).
   */
  print(deviceId: string, job: { label: string; bytes: Uint8Array }, by: DeviceCaller, reprintOf: string | null = null): PrintJobRecord {
    const r = this.#runningOf(deviceId);
    if (r.kind !== 'printer') throw new AppError('INVALID', 'errors.device.notAPrinter', { device: r.record.name });
    const id = this.#o.newId();
    this.#o.store.insertJob({ id, deviceId, label: job.label, bytes: job.bytes, createdBy: by.staffId, reprintOf }, this.#o.now());
    this.#submit(r, id, job.bytes);
    this.#emit({ type: 'job', deviceId, jobId: id, state: 'queued' });
    return this.#o.store.getJob(id)!;
  }

  /** Prints a job again as a new job (staff checked the printer: the ticket is missing). */
  reprint(jobId: string, by: DeviceCaller): PrintJobRecord {
    const original = this.#o.store.getJob(jobId);
    const bytes = this.#o.store.jobBytes(jobId);
    if (original === undefined || bytes === undefined) throw new AppError('NOT_FOUND', 'errors.device.printer.unknownJob', { job: jobId });
    if (!['uncertain', 'failed', 'cancelled', 'confirmed'].includes(original.state)) {
      throw new AppError('CONFLICT', 'errors.device.printer.jobStillWaiting', { job: original.label });
    }
    const record = this.#o.store.get(original.deviceId);
    if (record === undefined) throw notFound(original.deviceId);
    if (original.state === 'uncertain') this.#closeUncertain(original, 'errors.device.printer.jobReprinted', by);
    return this.print(original.deviceId, { label: original.label, bytes }, by, original.id);
  }

  /** Staff checked an uncertain job: it did print. Closes it without printing again. */
  dismiss(jobId: string, by: DeviceCaller): PrintJobRecord {
    const job = this.#o.store.getJob(jobId);
    if (job === undefined) throw new AppError('NOT_FOUND', 'errors.device.printer.unknownJob', { job: jobId });
    if (job.state !== 'uncertain') throw new AppError('CONFLICT', 'errors.device.printer.notUncertain', { job: job.label });
    this.#closeUncertain(job, 'errors.device.printer.jobDismissed', by);
    return this.#o.store.getJob(jobId)!;
  }

  /** Withdraws a waiting job; one that may already be printing becomes uncertain (the driver decides). */
  cancelJob(jobId: string, by: DeviceCaller): PrintJobRecord {
    const job = this.#o.store.getJob(jobId);
    if (job === undefined) throw new AppError('NOT_FOUND', 'errors.device.printer.unknownJob', { job: jobId });
    const r = this.#running.get(job.deviceId);
    if (r?.kind === 'printer') (r.driver as TicketPrinterDriver).cancel(jobId);
    const after = this.#o.store.getJob(jobId)!;
    if (['queued', 'held'].includes(after.state) && !after.sent) {
      // Not in a driver (the printer is disabled): cancel the row itself.
      this.#o.store.updateJob(jobId, { ...after, state: 'cancelled', reasonKey: 'errors.device.printer.jobCancelled', params: { job: after.label } }, this.#o.now());
    }
    this.#auditJob(job, by.staffId, 'print.cancelled');
    this.#emit({ type: 'job', deviceId: job.deviceId, jobId, state: this.#o.store.getJob(jobId)!.state });
    return this.#o.store.getJob(jobId)!;
  }

  jobs(deviceId: string, limit = 50): PrintJobRecord[] {
    return this.#o.store.recentJobs(deviceId, limit);
  }

  async show(deviceId: string, line1: string, line2 = ''): Promise<void> {
    const r = this.#runningOf(deviceId);
    if (r.kind !== 'display') throw new AppError('INVALID', 'errors.device.notADisplay', { device: r.record.name });
    try {
      await (r.driver as LineDisplayDriver).show(line1, line2);
    } catch (e) {
      throw this.#named(e, r.record.name);
    }
  }

  /** Pulses a gate. Audited (opened, closed, passage) through the driver's events; a failure is audited here. */
  async openGate(deviceId: string, request: { reason: string; by: string }): Promise<{ at: number; extended: boolean }> {
    const r = this.#runningOf(deviceId);
    if (r.kind !== 'gate') throw new AppError('INVALID', 'errors.device.notAGate', { device: r.record.name });
    try {
      const opened = await (r.driver as GateDriver).open(request);
      return { at: opened.at, extended: opened.extended };
    } catch (e) {
      const error = this.#named(e, r.record.name);
      this.#audit(r.record, request.by, 'gate.openFailed', { reason: request.reason, errorKey: error.key, params: error.params });
      throw error;
    }
  }

  audit(deviceId: string, limit = 50): AuditRecord[] {
    return this.#o.store.auditFor('device', deviceId, limit);
  }

  /** Stops every driver: gates switch their relays off, a print in progress may finish. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#running.keys()].map((id) => this.#stop(id)));
    this.#listeners.clear();
  }

  // ---- internals --------------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw new AppError('INTERNAL', 'errors.internal');
  }

  #assertNameFree(name: string, exceptId: string): void {
    if (this.#o.store.nameTakenBy(name, exceptId) !== undefined) {
      throw new AppError('CONFLICT', 'errors.deviceConfig.nameTaken', { name }, [{ path: ['name'], key: 'errors.deviceConfig.nameTaken', params: { name } }]);
    }
  }

  #runningOf(id: string): Running {
    const r = this.#running.get(id);
    if (r !== undefined) return r;
    const record = this.#o.store.get(id);
    if (record === undefined) throw notFound(id);
    throw new AppError('CONFLICT', 'errors.device.disabled', { device: record.name });
  }

  #named(e: unknown, name: string): AppError {
    if (!AppError.is(e)) return new AppError('INTERNAL', 'errors.internal');
    return new AppError(e.code, e.key, withName(e.params, name), e.issues);
  }

  #emit(e: DeviceEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (error) {
        this.#o.log?.(`device event listener failed: ${String(error)}`);
      }
    }
  }

  #audit(record: DeviceRecord, actor: string, action: string, details: Record<string, unknown>): void {
    this.#o.store.audit(this.#o.organizationId(), {
      id: this.#o.newId(),
      at: this.#o.now(),
      actor,
      action,
      subjectType: 'device',
      subjectId: record.id,
      details: { device: record.name, ...details },
    });
    this.#emit({ type: 'audit', deviceId: record.id, action });
  }

  #auditJob(job: PrintJobRecord, actor: string, action: string): void {
    const record = this.#o.store.get(job.deviceId);
    if (record !== undefined) this.#audit(record, actor, action, { job: job.id, label: job.label });
  }

  #closeUncertain(job: PrintJobRecord, reasonKey: string, by: DeviceCaller): void {
    this.#o.store.updateJob(job.id, { ...job, state: 'cancelled', reasonKey, params: { job: job.label, by: by.staffId } }, this.#o.now());
    this.#auditJob(job, by.staffId, reasonKey === 'errors.device.printer.jobDismissed' ? 'print.dismissed' : 'print.reprinted');
    this.#emit({ type: 'job', deviceId: job.deviceId, jobId: job.id, state: 'cancelled' });
  }

  #transport(record: DeviceRecord): Transport {
    const t = record.config.transport;
    const tuning = this.#o.tuning?.transport ?? {};
    return t.type === 'serial'
      ? new SerialTransport({ path: t.path, baudRate: t.baudRate, parity: t.parity, ...tuning })
      : new TcpTransport({ host: t.host, port: t.port, ...tuning });
  }

  #launch(record: DeviceRecord): void {
    const transport = this.#transport(record);
    const clock = this.#clock;
    const tuning = this.#o.tuning ?? {};
    const c = record.config;
    const r: Running = { kind: record.kind, record, driver: undefined as never, offs: [], shown: null, lastScan: null };
    switch (c.kind) {
      case 'printer': {
        const driver = new TicketPrinterDriver({ transport, clock, paper: { columns: c.options.columns, codepage: c.options.codepage }, ...tuning.printer });
        r.driver = driver;
        r.offs.push(driver.on('job', (e) => this.#onJob(record, e)));
        break;
      }
      case 'display': {
        const options = { encoding: c.options.encoding };
        const codec = c.options.codec === 'epson' ? createEpsonDisplayCodec(options) : createCd5220Codec(options);
        const driver = new LineDisplayDriver({ transport, clock, codec, ...tuning.display });
        r.driver = driver;
        r.offs.push(
          driver.on('shown', (e) => {
            r.shown = e.content.kind === 'text' ? { line1: e.content.lines[0], line2: e.content.lines[1] } : { line1: '', line2: '' };
            this.#emit({ type: 'shown', deviceId: record.id });
          }),
        );
        break;
      }
      case 'gate': {
        const o = c.options;
        const driver = new GateDriver({
          transport,
          clock,
          board: o.board === 'lcus' ? { kind: 'lcus' } : { kind: 'modbus', framing: c.transport.type === 'tcp' ? 'tcp' : 'rtu', unit: o.unit },
          relay: o.relay,
          pulseMs: o.pulseMs,
          ...(o.passageInput === null ? {} : { passageInput: o.passageInput }),
          ...tuning.gate,
        });
        r.driver = driver;
        r.offs.push(
          driver.on('opened', (e) => this.#audit(record, e.by, 'gate.opened', { reason: e.reason, relay: e.relay, openId: e.openId, extended: e.extended })),
          driver.on('closed', (e) => this.#audit(record, 'system', 'gate.closed', { cause: e.cause, relay: e.relay, openId: e.openId ?? null, onMs: e.onMs ?? null })),
          driver.on('passage', (e) => this.#audit(record, e.by, 'gate.passage', { reason: e.reason, openId: e.openId })),
          driver.on('passage-not-confirmed', (e) =>
            this.#audit(record, e.by, 'gate.passageNotConfirmed', { reason: e.reason, openId: e.openId, superseded: e.superseded }),
          ),
          driver.on('fault', (e) => this.#audit(record, 'system', 'gate.fault', { reasonKey: e.reasonKey, params: withName(e.params, record.name) ?? {} })),
        );
        break;
      }
      case 'scanner': {
        const driver = new ScannerDriver({ transport, clock, duplicateWindowMs: c.options.duplicateWindowMs, ...tuning.scanner });
        r.driver = driver;
        r.offs.push(
          driver.on('scan', (e) => {
            r.lastScan = { code: e.code, at: e.at };
            this.#emit({ type: 'scan', deviceId: record.id, code: e.code, at: e.at });
          }),
        );
        break;
      }
    }
    const onStatus = (): void => this.#emit({ type: 'status', deviceId: record.id, health: this.#health(record) });
    // The union of four emitters has no common `on` signature; every driver has a 'status' event.
    r.offs.push((r.driver as TicketPrinterDriver).on('status', onStatus));
    this.#running.set(record.id, r);
    r.driver.start().catch((e: unknown) => this.#o.log?.(`${record.name}: ${String(e)}`));
    if (r.kind === 'printer') this.#recoverJobs(r);
  }

  /** The open jobs of a printer whose driver just started: resubmit the unsent, ask staff about the rest. */
  #recoverJobs(r: Running): void {
    for (const job of this.#o.store.openJobs(r.record.id)) {
      if (job.state === 'uncertain') continue;
      const action = recoveryAfterRestart(job);
      if (action === 'resubmit') {
        const bytes = this.#o.store.jobBytes(job.id);
        if (bytes !== undefined) this.#submit(r, job.id, bytes);
      } else if (action === 'ask-staff') {
        this.#o.store.updateJob(
          job.id,
          { ...job, state: 'uncertain', reasonKey: 'errors.device.printer.jobUncertain', params: { job: job.label, device: r.record.name } },
          this.#o.now(),
        );
        this.#emit({ type: 'job', deviceId: r.record.id, jobId: job.id, state: 'uncertain' });
      }
    }
  }

  #submit(r: Running, id: string, bytes: Uint8Array): void {
    // The outcome arrives through 'job' events (#onJob); the promise only says the same.
    (r.driver as TicketPrinterDriver).print({ id, bytes }).catch(() => undefined);
  }

  #onJob(record: DeviceRecord, e: PrintJobEvent): void {
    const job = this.#o.store.getJob(e.id);
    if (job === undefined) return;
    this.#o.store.updateJob(e.id, { state: e.state, sent: e.sent, delivered: e.delivered, reasonKey: e.reasonKey, params: withName(e.params, record.name) }, this.#o.now());
    if (e.state === 'confirmed' || e.state === 'uncertain' || e.state === 'failed') {
      this.#audit(record, job.createdBy, `print.${e.state}`, { job: job.id, label: job.label });
    }
    this.#emit({ type: 'job', deviceId: record.id, jobId: e.id, state: e.state });
  }

  async #stop(id: string): Promise<void> {
    const r = this.#running.get(id);
    if (r === undefined) return;
    this.#running.delete(id);
    try {
      await r.driver.close();
    } catch (e) {
      this.#o.log?.(`${r.record.name}: ${String(e)}`);
    }
    for (const off of r.offs) off();
    this.#emit({ type: 'status', deviceId: id, health: this.#health(r.record) });
  }

  #health(record: DeviceRecord): DeviceHealth {
    const r = this.#running.get(record.id);
    if (r === undefined) return { state: 'disabled', since: record.updatedAt };
    const s = r.driver.status;
    return {
      state: s.state,
      ...(s.reasonKey === undefined ? {} : { reasonKey: s.reasonKey }),
      ...(s.params === undefined ? {} : { params: withName(s.params, record.name) }),
      since: s.since,
    };
  }

  #view(record: DeviceRecord): DeviceView {
    const r = this.#running.get(record.id);
    const open = record.kind === 'printer' ? this.#o.store.openJobs(record.id) : [];
    return {
      id: record.id,
      name: record.name,
      kind: record.kind,
      enabled: record.enabled,
      config: record.config,
      where: describeTransport(record.config.transport),
      health: this.#health(record),
      waitingJobs: open.filter((j) => j.state !== 'uncertain').length,
      uncertainJobs: open.filter((j) => j.state === 'uncertain').length,
      shown: r?.shown ?? null,
      lastScan: r?.lastScan ?? null,
      gateOpen: r?.kind === 'gate' ? (r.driver as GateDriver).isOpen : false,
    };
  }
}
