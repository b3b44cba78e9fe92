/**
 * The demo seed as a list of steps, each one mutation at a given instant of the demo's past, and
 * the runner that plays them through `Replica.mutate` on a replica whose clock it moves.
 *
 * Resuming: every step says how to tell that it has already happened (a row with its id, a
 * booking already at or past its status, site settings already as wanted), so a seed killed at
 * any point and started again skips what was committed and runs the rest: no duplicates, and no
 * progress counter that could disagree with the data. Ids of demo records are derived from the
 * organization and the step's key (UUIDv7 with the step's instant and hashed random bits), so a
 * resumed seed names the same records as the first run.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { v7 } from 'uuid';
import type { ManualClock } from '../../../core/clock';
import { AppError } from '../../../core/errors';
import type { Actor } from '../../../core/mutator';
import type { BookingStatus } from '../../../core/scheduling/schedule';
import type { Replica } from '../replica/replica';

/** The id of the demo record named `key` in an organization: the same on every run. */
export function demoId(organizationId: string, key: string, at: number): string {
  const random = createHash('sha256').update(`${organizationId}/${key}`).digest().subarray(0, 16);
  return v7({ msecs: Math.max(0, Math.floor(at)), random });
}

type RowTable = 'organizations' | 'departments' | 'resources' | 'services' | 'class_sessions' | 'bookings';

/** The settings a site must have for its settings step to count as done. */
export interface SiteSettingsExpect {
  granularityMinutes: number;
  holdMinutes: number;
  lateCancelHours: number;
  noShowGraceMinutes: number;
  waitlistAutoOffer: boolean;
  blacklistAfterNoShows: number | null;
  /** Compared with the stored calendar JSON, key by key. */
  calendar: Record<string, unknown>;
}

export type StepCheck =
  | { kind: 'row'; table: RowTable; id: string }
  | { kind: 'customer'; organizationId: string; phone: string }
  | { kind: 'series'; seriesId: string }
  /** Done when the booking is at `status` or further along (cancelled and noShow are last). */
  | { kind: 'status'; bookingId: string; status: BookingStatus }
  | { kind: 'sessionCancelled'; sessionId: string }
  | { kind: 'site'; siteId: string; expect: SiteSettingsExpect };

export interface SeedStep {
  /** Names the step (and the record it makes) for ids, logs and tests. */
  key: string;
  /** When it happens: the clock the mutator sees. */
  at: number;
  /** Whose desk does it: the clinic's or the gym's (the site actor), or the organization's. */
  site: 'clinic' | 'gym';
  mutator: string;
  args: Record<string, unknown>;
  check: StepCheck;
  /**
   * A refusal (CONFLICT, NOT_FOUND) skips the step instead of failing the seed. Bookings and their
   * changes are optional: data added by hand on an older demo desk may be in their way.
   */
  optional: boolean;
}

const RANK: Record<BookingStatus, number> = { pending: 0, confirmed: 1, arrived: 2, inService: 3, completed: 4, cancelled: 5, noShow: 5 };

/** Canonical JSON: objects with sorted keys, so two equal values compare equal as strings. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What the database says about a step: still to do, done, or moot (its booking is not there). */
export class StepProbe {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly r: Replica) {}

  private prepare<P extends unknown[], R>(sql: string): Database.Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.r.sqlite.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as Database.Statement<P, R>;
  }

  state(c: StepCheck): 'todo' | 'done' | 'moot' {
    const db = { prepare: <P extends unknown[] = unknown[], R = unknown>(sql: string) => this.prepare<P, R>(sql) };
    switch (c.kind) {
      case 'row':
        return db.prepare(`SELECT 1 FROM ${c.table} WHERE id = ?`).get(c.id) ? 'done' : 'todo';
      case 'customer':
        return db.prepare('SELECT 1 FROM customers WHERE organization_id = ? AND phone = ?').get(c.organizationId, c.phone) ? 'done' : 'todo';
      case 'series':
        return db.prepare('SELECT 1 FROM bookings WHERE series_id = ? LIMIT 1').get(c.seriesId) ? 'done' : 'todo';
      case 'status': {
        const row = db.prepare<[string], { status: BookingStatus }>('SELECT status FROM bookings WHERE id = ?').get(c.bookingId);
        if (!row) return 'moot';
        return RANK[row.status] >= RANK[c.status] ? 'done' : 'todo';
      }
      case 'sessionCancelled': {
        const row = db.prepare<[string], { status: string }>('SELECT status FROM class_sessions WHERE id = ?').get(c.sessionId);
        if (!row) return 'moot';
        return row.status === 'cancelled' ? 'done' : 'todo';
      }
      case 'site': {
        const row = db
          .prepare<[string], { granularity_minutes: number; hold_minutes: number; late_cancel_hours: number; no_show_grace_minutes: number; waitlist_auto_offer: number; blacklist_after_no_shows: number | null; schedule: string }>(
            'SELECT granularity_minutes, hold_minutes, late_cancel_hours, no_show_grace_minutes, waitlist_auto_offer, blacklist_after_no_shows, schedule FROM sites WHERE id = ?',
          )
          .get(c.siteId);
        if (!row) return 'todo';
        const e = c.expect;
        const stored = JSON.parse(row.schedule) as Record<string, unknown>;
        const same =
          row.granularity_minutes === e.granularityMinutes &&
          row.hold_minutes === e.holdMinutes &&
          row.late_cancel_hours === e.lateCancelHours &&
          row.no_show_grace_minutes === e.noShowGraceMinutes &&
          row.waitlist_auto_offer === (e.waitlistAutoOffer ? 1 : 0) &&
          row.blacklist_after_no_shows === e.blacklistAfterNoShows &&
          Object.entries(e.calendar).every(([k, v]) => canonical(stored[k]) === canonical(v));
        return same ? 'done' : 'todo';
      }
    }
  }
}

export interface StepReport {
  /** Steps run now. */
  ran: number;
  /** Steps found done (by an earlier, interrupted run) or moot. */
  alreadyDone: number;
  /** Optional steps a rule refused, with the refusal's message key. */
  refused: { key: string; reason: string }[];
}

export interface RunOptions {
  /** Called after each step that ran (committed); a test throws here to simulate a crash. */
  onStep?: ((key: string) => void) | undefined;
  /** No step can have happened yet (a first run): skip asking the database. */
  fresh?: boolean;
}

/**
 * Plays the steps in order of time on `replica`, whose clock must be `clock`: before each step the
 * clock is set to the step's instant, so every rule (no booking in the past, notice, no-show only
 * after the start, late cancellation) is checked as it was then.
 */
export async function runSteps(
  replica: Replica,
  clock: ManualClock,
  steps: readonly SeedStep[],
  actors: Record<SeedStep['site'], Actor>,
  opts: RunOptions = {},
): Promise<StepReport> {
  const probe = new StepProbe(replica);
  const report: StepReport = { ran: 0, alreadyDone: 0, refused: [] };
  for (const step of steps) {
    if (!opts.fresh && probe.state(step.check) !== 'todo') {
      report.alreadyDone++;
      continue;
    }
    clock.set(step.at);
    try {
      await replica.mutate(step.mutator, step.args, actors[step.site]);
    } catch (e) {
      if (step.optional && AppError.is(e) && (e.code === 'CONFLICT' || e.code === 'NOT_FOUND')) {
        report.refused.push({ key: step.key, reason: e.key });
        continue;
      }
      throw e;
    }
    report.ran++;
    opts.onStep?.(step.key);
  }
  return report;
}
