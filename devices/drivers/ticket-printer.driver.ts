/**
 * Ticket printer driver: an ESC/POS printer on a Transport, a queue of print jobs taken one at a
 * time in order, and the printer's status from real-time requests (DLE EOT 1–4).
 *
 * Status. Every poll sends DLE EOT 1, 2, 3 and 4 in one write and waits `statusTimeoutMs` for the
 * four replies. A printer answers these on reception, also while offline, so no reply means the
 * printer is not responding (off, hung, wrong port or baud rate). Polls run before the first job
 * of a run, after every job, every `pollIntervalMs` while idle and every `recoveryPollMs` while
 * something is wrong or jobs wait, and at once when an Automatic Status Back frame arrives.
 * Cover open, paper out, an error and offline are faults; paper near end is a warning.
 *
 * Job states (each change is a 'job' event, emitted synchronously before the driver goes on):
 *
 *   queued ──status good──► sending ──write resolved──► written ──reply: good──► confirmed
 *     ▲  │                    │                           │
 *     │  └─fault/no link─► held (sent=false)              ├──reply: fault──► held (sent, delivered)
 *     └────fault clears───────┘                           │                    └─reply: good─► confirmed
 *                             │                           └──no reply──► held (sent, not delivered)
 *                             └─write failed / link lost, or link lost while sent and not confirmed─► uncertain
 *   cancel(): unsent → cancelled; sent → uncertain.   expiresAt passed while unsent → failed.
 *
 * Two flags carry what matters for duplicates:
 *   sent       the driver began writing the job's bytes (set in the 'sending' event, before the
 *              write is issued), so some of them may have reached the printer. A sent job is never
 *              written again by this driver, in any state.
 *   delivered  a status reply arrived after the job on the same connection. The link is an
 *              ordered byte stream and the printer answers DLE EOT in the order it receives bytes,
 *              so a reply to a request written after the job proves the printer received all of
 *              the job. A delivered job held by a fault is in the printer's receive buffer, and
 *              the printer prints it when the fault clears (printer.sim.ts documents this); the
 *              driver waits for a good status and confirms it without resending.
 *
 * The choice is at-most-once: a job prints zero or one time, never twice. The price is that a job
 * whose fate cannot be known becomes 'uncertain' and is handed to staff (an 'alert' and a
 * rejected print() promise) to check the paper and reprint by hand. That happens when the link is
 * lost while a job is sent but not confirmed: mid-write (some bytes may be out), after the write
 * but before a status reply (they may be in the printer), or while held delivered (a printer
 * power-cycled during the outage has lost its buffer; one whose cable was pulled has not).
 *
 * Restarting the host: the device manager persists every 'job' event. `recoveryAfterRestart`
 * says what to do with a job from its last persisted event: resubmit it only if it was never
 * sent (queued, or held with sent=false); a sent job that never reached a terminal state goes
 * to staff. Because 'sending' is emitted before the write, a crash mid-write leaves 'sending' as
 * the last record, which counts as sent.
 *
 * "Done" is `confirmed`: the bytes were written and a status reply after them says online, cover
 * closed, paper present, no error. A printer prints at a few hundred mm/s, so a ticket may still
 * be printing when confirmed; a paper end during that print is held by the printer and finished
 * after the paper is changed, which is still one ticket. `confirmDelayMs` delays the confirming
 * poll for printers where that matters.
 *
 * print() resolves with the 'confirmed' event or rejects with an AppError when the job ended
 * otherwise. While a job is held its promise stays pending (paper can take minutes); the 'held'
 * state and the alert are reported within one status timeout, and cancel() ends a wait.
 *
 * Limits: DLE EOT replies carry no request id. After a timed-out poll the decoder forgets the
 * expected replies, so late ones are discarded, unless they arrive after the next poll was sent
 * (recoveryPollMs later), when they are taken as its answer: a status at most that much old. Job
 * bytes that contain 10 04 0n are taken by a printer for a status request (an ESC/POS pitfall);
 * the reply is discarded as unsolicited because nothing is expected during a job write.
 */
import { AppError, type MessageParams } from '../../core/errors';
import { encodeTestPage, type PaperColumns, type PrinterCodepage } from '../protocol/escpos.codec';
import {
  EscPosStatusDecoder,
  encodeStatusRequest,
  type PrinterStatus,
  type RealtimeEvent,
  type StatusRequest,
} from '../protocol/escpos-status.codec';
import { closedError, type Transport, type TransportStateChange } from '../transport/transport';
import { DriverEmitter, StatusCell, delay, isUsable, systemClock, type DriverClock, type DriverStatus, type TimerHandle } from './driver-status';

export type PrintJobState = 'queued' | 'held' | 'sending' | 'written' | 'confirmed' | 'uncertain' | 'failed' | 'cancelled';

export const TERMINAL_JOB_STATES: readonly PrintJobState[] = ['confirmed', 'uncertain', 'failed', 'cancelled'];

export interface PrintJob {
  /** Unique per job (the manager's id, persisted with the job's events). */
  id: string;
  /** Complete ESC/POS for the job (encodeTicket, encodeTestPage). */
  bytes: Uint8Array;
  /** A job not yet sent by then fails with errors.device.printer.jobExpired (a ticket hours late helps nobody). */
  expiresAt?: number;
}

export interface PrintJobEvent {
  id: string;
  state: PrintJobState;
  /** The driver began writing the bytes; some may have reached the printer. Never resent once true. */
  sent: boolean;
  /** A status reply after the job proves the printer received all of it. */
  delivered: boolean;
  /** Why it is held, uncertain, failed or cancelled. */
  reasonKey?: string;
  params?: MessageParams;
  at: number;
}

export type PrinterAlert =
  /** Jobs wait for a printer fault to be fixed (paper out, cover open, …); reasonKey says which. */
  | { kind: 'jobs-held'; jobIds: string[]; reasonKey: string; params: MessageParams; at: number }
  /** A job may or may not have printed: staff check and reprint by hand. */
  | { kind: 'job-uncertain'; jobId: string; reasonKey: 'errors.device.printer.jobUncertain'; params: MessageParams; causeKey: string; at: number };

export interface TicketPrinterEvents {
  status: DriverStatus;
  alert: PrinterAlert;
  job: PrintJobEvent;
}

export interface TicketPrinterOptions {
  transport: Transport;
  clock?: DriverClock;
  /** Status poll while idle and well. Default 5000 ms. */
  pollIntervalMs?: number;
  /** Status poll while faulted, disconnected or with jobs waiting. Default 1000 ms. */
  recoveryPollMs?: number;
  /** Bound for the replies to one poll. Default 1000 ms. */
  statusTimeoutMs?: number;
  /** Wait between a job's write and its confirming poll. Default 0. */
  confirmDelayMs?: number;
  /** How long close() lets a job write in progress finish. Default 5000 ms. */
  closeTimeoutMs?: number;
  /** For testPrint(). Default 48 columns, GB18030. */
  paper?: { columns: PaperColumns; codepage: PrinterCodepage };
  /** How many finished job ids are remembered to refuse a resubmission. Default 1000. */
  rememberJobIds?: number;
}

/** What the host does with a job whose driver is gone (host restart, device removed), from its last event. */
export type JobRecovery = 'resubmit' | 'ask-staff' | 'done';

export function recoveryAfterRestart(last: Pick<PrintJobEvent, 'state' | 'sent'>): JobRecovery {
  switch (last.state) {
    case 'confirmed':
    case 'cancelled':
    case 'failed':
      return 'done';
    case 'uncertain':
      return 'ask-staff';
    case 'queued':
    case 'held':
    case 'sending':
    case 'written':
      return last.sent ? 'ask-staff' : 'resubmit';
  }
}

/** One poll's answers, merged. */
export interface PrinterReport {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  /** Recoverable errors: EOT 2 error bit, mechanical or automatically recoverable error (head too hot). */
  error: boolean;
  cutterError: boolean;
  unrecoverableError: boolean;
}

export function reportFromReplies(replies: readonly RealtimeEvent[]): PrinterReport {
  const r: PrinterReport = {
    online: true,
    coverOpen: false,
    paperOut: false,
    paperNearEnd: false,
    error: false,
    cutterError: false,
    unrecoverableError: false,
  };
  for (const e of replies) {
    switch (e.request) {
      case 1:
        r.online = !e.status.offline;
        break;
      case 2:
        r.coverOpen ||= e.status.coverOpen;
        r.paperOut ||= e.status.paperEndStop;
        r.error ||= e.status.error;
        break;
      case 3:
        r.error ||= e.status.mechanicalError || e.status.autoRecoverableError;
        r.cutterError ||= e.status.autocutterError;
        r.unrecoverableError ||= e.status.unrecoverableError;
        break;
      case 4:
        r.paperOut ||= e.status.paperEnd;
        r.paperNearEnd ||= e.status.nearEnd;
        break;
    }
  }
  return r;
}

/** The driver state for a report, the most useful reason first (what staff must do). */
export function evaluateReport(r: PrinterReport): { state: 'ready' | 'warning' | 'fault'; reasonKey?: string } {
  if (r.coverOpen) return { state: 'fault', reasonKey: 'errors.device.printer.coverOpen' };
  if (r.paperOut) return { state: 'fault', reasonKey: 'errors.device.printer.paperOut' };
  if (r.unrecoverableError) return { state: 'fault', reasonKey: 'errors.device.printer.unrecoverableError' };
  if (r.cutterError) return { state: 'fault', reasonKey: 'errors.device.printer.cutterError' };
  if (r.error) return { state: 'fault', reasonKey: 'errors.device.printer.error' };
  if (!r.online) return { state: 'fault', reasonKey: 'errors.device.printer.offline' };
  if (r.paperNearEnd) return { state: 'warning', reasonKey: 'errors.device.printer.paperNearEnd' };
  return { state: 'ready' };
}

const REQUESTS: readonly StatusRequest[] = [1, 2, 3, 4];
const REQUEST_BYTES = Uint8Array.from(REQUESTS.flatMap((n) => [...encodeStatusRequest(n)]));

type Read =
  | { kind: 'status'; report: PrinterReport; link: number }
  | { kind: 'no-reply' }
  | { kind: 'no-link' };

interface Poll {
  link: number;
  replies: RealtimeEvent[];
  finish(read: Read): void;
}

interface Entry {
  job: PrintJob;
  state: PrintJobState;
  sent: boolean;
  delivered: boolean;
  reasonKey: string | undefined;
  params: MessageParams | undefined;
  /** The link the bytes went out on. */
  link: number;
  resolve(event: PrintJobEvent): void;
  reject(error: AppError): void;
}

const isTerminal = (s: PrintJobState) => TERMINAL_JOB_STATES.includes(s);

export class TicketPrinterDriver extends DriverEmitter<TicketPrinterEvents> {
  readonly #transport: Transport;
  readonly #clock: DriverClock;
  readonly #pollIntervalMs: number;
  readonly #recoveryPollMs: number;
  readonly #statusTimeoutMs: number;
  readonly #confirmDelayMs: number;
  readonly #closeTimeoutMs: number;
  readonly #paper: { columns: PaperColumns; codepage: PrinterCodepage };
  readonly #remember: number;
  readonly #decoder = new EscPosStatusDecoder();
  readonly #status: StatusCell;
  /** Unfinished jobs, in submission order. */
  readonly #jobs: Entry[] = [];
  /** Ids of finished jobs, oldest first, to refuse resubmission. */
  readonly #finished = new Set<string>();
  readonly #unsubscribe: (() => void)[] = [];

  #started = false;
  #closing = false;
  #closed = false;
  /** Bumped on every transport state change: identifies the connection bytes went out on. */
  #link = 0;
  /** The last poll said the printer can print (fresh: reset on link changes). */
  #good = false;
  #report: PrinterReport | undefined;
  #poll: Poll | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #timer: TimerHandle | undefined;
  #testPages = 0;

  constructor(options: TicketPrinterOptions) {
    super();
    this.#transport = options.transport;
    this.#clock = options.clock ?? systemClock();
    this.#pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.#recoveryPollMs = options.recoveryPollMs ?? 1000;
    this.#statusTimeoutMs = options.statusTimeoutMs ?? 1000;
    this.#confirmDelayMs = options.confirmDelayMs ?? 0;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.#paper = options.paper ?? { columns: 48, codepage: 'gb18030' };
    this.#remember = options.rememberJobIds ?? 1000;
    this.#status = new StatusCell(this.#clock, (s) => this.emit('status', s));
  }

  get description(): string {
    return this.#transport.description;
  }

  get status(): DriverStatus {
    return this.#status.value;
  }

  get connected(): boolean {
    return this.#transport.state === 'open';
  }

  /** The last status the printer reported (undefined until it answered a poll on this link). */
  get report(): PrinterReport | undefined {
    return this.#report === undefined ? undefined : { ...this.#report };
  }

  /** Everything heard from the printer so far, as the status decoder merges it. */
  get printerStatus(): PrinterStatus {
    return this.#decoder.status;
  }

  /** Unfinished jobs in order, as last reported. */
  get jobs(): PrintJobEvent[] {
    return this.#jobs.map((e) => this.#event(e));
  }

  /**
   * Opens the transport and reads the status once. Resolves with the status within the connect
   * and status timeouts; device problems are in the status, not thrown. A transport that could
   * not open keeps retrying by itself and the driver carries on when it opens.
   */
  async start(): Promise<DriverStatus> {
    if (this.#closing) throw closedError(this.description);
    if (!this.#started) {
      this.#started = true;
      this.#unsubscribe.push(
        this.#transport.onData((b) => this.#onData(b)),
        this.#transport.onStateChange((c) => this.#onTransport(c)),
      );
      if (this.#transport.state === 'open') this.#onTransport({ state: 'open', previous: 'open', reason: 'opened' });
      else this.#status.set('connecting');
    }
    try {
      await this.#transport.open();
    } catch {
      // Reported through the state change (reconnecting or failed).
    }
    if (this.#transport.state === 'open' && this.#status.state === 'connecting') {
      await this.#until(() => this.#status.state !== 'connecting', this.#statusTimeoutMs + 200);
    }
    return this.status;
  }

  /** Queues a job. Resolves when confirmed; rejects with an AppError when it ended otherwise. */
  print(job: PrintJob): Promise<PrintJobEvent> {
    if (this.#closing) return Promise.reject(closedError(this.description));
    if (typeof job.id !== 'string' || job.id === '') return Promise.reject(invalid('id', String(job.id)));
    if (!(job.bytes instanceof Uint8Array) || job.bytes.length === 0) return Promise.reject(invalid('bytes', 0));
    if (this.#finished.has(job.id) || this.#jobs.some((e) => e.job.id === job.id)) {
      return Promise.reject(new AppError('CONFLICT', 'errors.device.printer.duplicateJob', { device: this.description, job: job.id }));
    }
    return new Promise<PrintJobEvent>((resolve, reject) => {
      const entry: Entry = {
        job: { ...job, bytes: job.bytes.slice() },
        state: 'queued',
        sent: false,
        delivered: false,
        reasonKey: undefined,
        params: undefined,
        link: -1,
        resolve,
        reject,
      };
      this.#jobs.push(entry);
      this.emit('job', this.#event(entry));
      this.#kick();
    });
  }

  /** Prints the settings test page (rulers, Chinese text, sizes, QR, barcode, cut) as a job. */
  testPrint(options: { id?: string; subtitle?: string } = {}): Promise<PrintJobEvent> {
    const id = options.id ?? `test-page-${this.#clock.now()}-${++this.#testPages}`;
    const bytes = encodeTestPage({ ...this.#paper, ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }) });
    return this.print({ id, bytes });
  }

  /**
   * Withdraws a job. One never sent is cancelled; one already sent cannot be recalled from the
   * printer and becomes uncertain. Returns the job's resulting state, or undefined if unknown.
   */
  cancel(id: string): PrintJobState | undefined {
    const entry = this.#jobs.find((e) => e.job.id === id);
    if (entry === undefined) return undefined;
    if (entry.sent) this.#uncertain(entry, 'errors.device.printer.jobCancelled');
    else this.#finish(entry, 'cancelled', 'errors.device.printer.jobCancelled');
    this.#kick();
    return entry.state;
  }

  /** Polls the status now (outside the schedule). */
  refresh(): void {
    this.#kick();
  }

  /**
   * Stops: no new job is started, a write in progress may finish (up to closeTimeoutMs), then
   * pending print() promises reject with errors.device.closed and the transport is closed. Job
   * events stay as last reported; recoveryAfterRestart tells the host what each job needs.
   */
  async close(): Promise<void> {
    if (this.#closing) {
      while (!this.#closed) await delay(this.#clock, 10);
      return;
    }
    this.#closing = true;
    this.#clearTimer();
    const running = this.#running;
    if (running !== undefined) await Promise.race([running, delay(this.#clock, this.#closeTimeoutMs)]);
    this.#closed = true;
    this.#poll?.finish({ kind: 'no-link' });
    for (const entry of this.#jobs.splice(0)) entry.reject(closedError(this.description));
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#transport.close();
    this.#good = false;
    this.#status.set('disconnected');
  }

  // ---- the work loop ------------------------------------------------------------------------------

  #kick(): void {
    if (this.#closing) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#clearTimer();
    const run = (async () => {
      try {
        do {
          this.#again = false;
          await this.#cycle();
        } while (this.#again && !this.#closing);
      } catch (e) {
        // A bug, not a device problem: show it and keep the driver alive for the next poll.
        this.#status.set('fault', 'errors.internal');
        queueMicrotask(() => {
          throw e;
        });
      }
    })();
    this.#running = run;
    void run.finally(() => {
      if (this.#running === run) this.#running = undefined;
      // A kick that came after the loop's last check must not wait for the next poll.
      if (this.#again && !this.#closing) this.#kick();
      else this.#schedule();
    });
  }

  /** A status poll, then jobs in order while the printer is good. */
  async #cycle(): Promise<void> {
    this.#expire();
    if (this.#jobs.length === 0 && this.#transport.state !== 'open') return;
    this.#apply(await this.#readStatus());
    for (;;) {
      if (this.#closing) return;
      this.#expire();
      const head = this.#jobs[0];
      // A sent head (held by a fault, or waiting for a reply) blocks the queue: the printer's
      // buffer is first in, first out, and nothing goes after it until it is confirmed.
      if (head === undefined || head.sent || !this.#good) return;
      if (!(await this.#send(head))) return;
      if (this.#confirmDelayMs > 0) await delay(this.#clock, this.#confirmDelayMs);
      this.#apply(await this.#readStatus());
    }
  }

  #schedule(): void {
    this.#clearTimer();
    if (this.#closing) return;
    const waiting = this.#jobs.length > 0;
    // With no link and nothing waiting, the transport's 'open' wakes the driver.
    if (!waiting && this.#transport.state !== 'open') return;
    const ms = waiting || !isUsable(this.#status) ? this.#recoveryPollMs : this.#pollIntervalMs;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#kick();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // ---- status -------------------------------------------------------------------------------------

  #readStatus(): Promise<Read> {
    if (this.#transport.state !== 'open') return Promise.resolve({ kind: 'no-link' });
    this.#poll?.finish({ kind: 'no-link' });
    this.#decoder.forgetExpected();
    for (const n of REQUESTS) this.#decoder.expect(n);
    const result = new Promise<Read>((resolve) => {
      const poll: Poll = {
        link: this.#link,
        replies: [],
        finish: (read) => {
          if (this.#poll !== poll) return;
          this.#poll = undefined;
          this.#clock.clearTimeout(timer);
          if (read.kind !== 'status') this.#decoder.forgetExpected();
          resolve(read);
        },
      };
      const timer = this.#clock.setTimeout(() => poll.finish({ kind: 'no-reply' }), this.#statusTimeoutMs);
      this.#poll = poll;
    });
    const poll = this.#poll;
    // A failed write loses the link (the transport reports it); a stalled one is bounded by the timer.
    this.#transport.write(REQUEST_BYTES).catch(() => poll?.finish({ kind: 'no-link' }));
    return result;
  }

  #onData(bytes: Uint8Array): void {
    for (const e of this.#decoder.push(bytes)) {
      if (e.kind === 'realtime') {
        const poll = this.#poll;
        if (poll === undefined) continue;
        poll.replies.push(e);
        if (poll.replies.length === REQUESTS.length) {
          poll.finish({ kind: 'status', report: reportFromReplies(poll.replies), link: poll.link });
        }
      } else if (e.kind === 'asb') {
        // The printer says something changed: ask for the full status now.
        this.#kick();
      }
      // 'discarded' (noise, late replies) and 'flow' change nothing.
    }
  }

  /** What a poll means for the status and the jobs. */
  #apply(read: Read): void {
    if (this.#closed) return;
    const device = { device: this.description };
    if (read.kind === 'status') {
      const verdict = evaluateReport(read.report);
      this.#report = read.report;
      this.#good = verdict.state !== 'fault';
      this.#status.set(verdict.state, verdict.reasonKey, verdict.reasonKey === undefined ? undefined : device);
      const reasonKey = verdict.reasonKey ?? 'errors.device.printer.offline';
      const head = this.#jobs[0];
      let sentHead: Entry | undefined;
      let nowDelivered = false;
      if (head?.sent === true && head.state !== 'sending' && head.link === read.link) {
        // The reply followed the whole job on the same ordered stream: the printer has it.
        sentHead = head;
        nowDelivered = !head.delivered;
        head.delivered = true;
      }
      const unsent = this.#jobs.filter((e) => !e.sent);
      if (this.#good) {
        if (sentHead !== undefined) this.#finish(sentHead, 'confirmed');
        this.#release(unsent);
      } else {
        this.#hold(sentHead === undefined ? unsent : [sentHead, ...unsent], reasonKey, device, nowDelivered ? sentHead : undefined);
      }
      return;
    }
    this.#good = false;
    if (read.kind === 'no-reply') {
      this.#report = undefined;
      this.#status.set('fault', 'errors.device.printer.notResponding', device);
      this.#hold(
        this.#jobs.filter((e) => e.state !== 'sending'),
        'errors.device.printer.notResponding',
        device,
      );
      return;
    }
    // No link: the transport listener set the status and made sent jobs uncertain.
    const status = this.#status.value;
    this.#hold(
      this.#jobs.filter((e) => !e.sent),
      status.reasonKey ?? 'errors.device.notConnected',
      status.params ?? device,
    );
  }

  #onTransport(change: TransportStateChange): void {
    if (this.#closed) return;
    this.#link++;
    this.#good = false;
    this.#report = undefined;
    this.#decoder.reset();
    this.#poll?.finish({ kind: 'no-link' });
    const device = { device: this.description };
    switch (change.state) {
      case 'open':
        this.#status.set('connecting');
        this.#kick();
        return;
      case 'connecting':
        this.#status.set('connecting');
        return;
      case 'failed':
      case 'reconnecting':
        this.#status.setFromLinkDown(change, device);
        break;
      case 'closed':
        this.#status.set('disconnected', 'errors.device.closed', device);
        break;
    }
    const reason = this.#status.value;
    for (const entry of [...this.#jobs]) {
      // A job being written is settled by its failing write; see #send.
      if (entry.sent && entry.state !== 'sending') this.#uncertain(entry, reason.reasonKey ?? 'errors.device.disconnected', reason.params);
    }
    this.#hold(
      this.#jobs.filter((e) => !e.sent),
      reason.reasonKey ?? 'errors.device.disconnected',
      reason.params ?? device,
    );
    this.#schedule();
  }

  // ---- jobs ---------------------------------------------------------------------------------------

  /** Writes the head job once. Returns whether it reached 'written'. */
  async #send(entry: Entry): Promise<boolean> {
    if (this.#transport.state !== 'open') return false;
    const link = this.#link;
    entry.link = link;
    // Emitted before the write: a manager that persists it knows the bytes may be out, whatever happens next.
    this.#transition(entry, 'sending', { sent: true, reasonKey: undefined, params: undefined });
    // A listener may have cancelled it (now uncertain, conservatively) or begun closing the driver.
    if (entry.state !== 'sending') return false;
    if (this.#closing) {
      this.#transition(entry, 'queued', { sent: false });
      return false;
    }
    try {
      await this.#transport.write(entry.job.bytes);
    } catch (e) {
      if (this.#closed || isTerminal(entry.state)) return false;
      const error = AppError.is(e) ? e : new AppError('DEVICE_FAULT', 'errors.device.disconnected', { device: this.description });
      if (error.key === 'errors.device.notConnected') {
        // The transport refuses before sending anything (transport.ts): nothing left the host.
        this.#transition(entry, 'queued', { sent: false, reasonKey: undefined, params: undefined });
        return false;
      }
      this.#uncertain(entry, error.key, error.params);
      return false;
    }
    if (this.#closed || isTerminal(entry.state)) return false;
    if (this.#link !== link) {
      // Handed over, then the link went before any reply could prove the printer got it.
      this.#uncertain(entry, 'errors.device.disconnected', { device: this.description });
      return false;
    }
    this.#transition(entry, 'written', {});
    return true;
  }

  /** Holds the entries with this reason; one alert for those newly held (or held for a new reason). */
  #hold(entries: readonly Entry[], reasonKey: string, params: MessageParams, changedFlags?: Entry): void {
    const changed: string[] = [];
    for (const entry of entries) {
      if (isTerminal(entry.state)) continue;
      if (entry.state === 'held' && entry.reasonKey === reasonKey) {
        if (entry === changedFlags) this.#transition(entry, 'held', {});
        continue;
      }
      this.#transition(entry, 'held', { reasonKey, params });
      changed.push(entry.job.id);
    }
    if (changed.length > 0) this.emit('alert', { kind: 'jobs-held', jobIds: changed, reasonKey, params: { ...params }, at: this.#clock.now() });
  }

  #release(entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (entry.state === 'held') this.#transition(entry, 'queued', { reasonKey: undefined, params: undefined });
    }
  }

  #expire(): void {
    const now = this.#clock.now();
    for (const entry of [...this.#jobs]) {
      if (!entry.sent && entry.job.expiresAt !== undefined && now >= entry.job.expiresAt) {
        this.#finish(entry, 'failed', 'errors.device.printer.jobExpired');
      }
    }
  }

  #uncertain(entry: Entry, causeKey: string, causeParams?: MessageParams): void {
    if (isTerminal(entry.state)) return;
    this.#finish(entry, 'uncertain', causeKey, causeParams);
    const params = { device: this.description, job: entry.job.id };
    this.emit('alert', { kind: 'job-uncertain', jobId: entry.job.id, reasonKey: 'errors.device.printer.jobUncertain', params, causeKey, at: this.#clock.now() });
  }

  #finish(entry: Entry, state: 'confirmed' | 'uncertain' | 'failed' | 'cancelled', reasonKey?: string, params?: MessageParams): void {
    if (isTerminal(entry.state)) return;
    const at = this.#jobs.indexOf(entry);
    if (at >= 0) this.#jobs.splice(at, 1);
    this.#finished.add(entry.job.id);
    while (this.#finished.size > this.#remember) {
      const oldest = this.#finished.values().next().value;
      if (oldest === undefined) break;
      this.#finished.delete(oldest);
    }
    const job = { device: this.description, job: entry.job.id };
    const event = this.#transition(entry, state, { reasonKey, params: reasonKey === undefined ? undefined : (params ?? job) });
    switch (state) {
      case 'confirmed':
        entry.resolve(event);
        break;
      case 'uncertain':
        entry.reject(new AppError('DEVICE_FAULT', 'errors.device.printer.jobUncertain', job));
        break;
      case 'failed':
        entry.reject(new AppError('DEVICE_TIMEOUT', reasonKey ?? 'errors.device.printer.jobExpired', job));
        break;
      case 'cancelled':
        entry.reject(new AppError('DEVICE_FAULT', 'errors.device.printer.jobCancelled', job));
        break;
    }
  }

  #transition(
    entry: Entry,
    state: PrintJobState,
    change: { sent?: boolean; reasonKey?: string | undefined; params?: MessageParams | undefined },
  ): PrintJobEvent {
    entry.state = state;
    if (change.sent !== undefined) entry.sent = change.sent;
    if ('reasonKey' in change) entry.reasonKey = change.reasonKey;
    if ('params' in change) entry.params = change.params;
    const event = this.#event(entry);
    this.emit('job', event);
    return event;
  }

  #event(entry: Entry): PrintJobEvent {
    const event: PrintJobEvent = { id: entry.job.id, state: entry.state, sent: entry.sent, delivered: entry.delivered, at: this.#clock.now() };
    if (entry.reasonKey !== undefined) event.reasonKey = entry.reasonKey;
    if (entry.params !== undefined) event.params = { ...entry.params };
    return event;
  }

  async #until(predicate: () => boolean, ms: number): Promise<void> {
    const deadline = this.#clock.now() + ms;
    while (!predicate() && this.#clock.now() < deadline && !this.#closing) await delay(this.#clock, 10);
  }
}

function invalid(name: string, value: string | number): AppError {
  return new AppError('INVALID', 'errors.device.invalidArgument', { name, value });
}
