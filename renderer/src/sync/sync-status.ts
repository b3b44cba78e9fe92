/**
 * How the desk's sync reads in the header: the host's status (sync.onStatus) boiled down to one
 * kind with a tone, and the words for it ("Offline since 10:42", "offline for 2 h 5 min", "3
 * changes waiting, oldest 12 min"). Pure, so every state is tested without a browser.
 *
 * The kinds, in the order they win:
 *   alone            the desk is not enrolled with a server (the demo): nothing to sync with
 *   upgradeRequired  the server refuses this version of Foyer
 *   unauthorized     the server does not recognize this desk (never enrolled there, or revoked)
 *   offline          the server cannot be reached
 *   (a retry after any of these three is a "syncing" cycle: it keeps its kind until it works, so
 *   the header does not flicker)
 *   syncing          a cycle is under way (with the progress of a first, chunked pull)
 *   connecting       started, but neither a cycle has finished nor the push socket is up yet
 *   online           the last cycle worked; `live` says whether pokes arrive over the socket
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { TFunction } from 'i18next';
import type { AppErrorShape } from '../../../core/errors';
import type { Language } from '../../../core/i18n/messages';
import type { HostRouter } from '../../../electron/host/router/app.router';
import { formatDay, formatMoment, formatTime } from '../calendar/calendar-format';

export type DeskSyncStatus = inferRouterOutputs<HostRouter>['sync']['status'];

export type SyncKind = 'alone' | 'connecting' | 'online' | 'syncing' | 'offline' | 'upgradeRequired' | 'unauthorized';
export type SyncTone = 'neutral' | 'good' | 'busy' | 'warning' | 'error';

/** antd Tag colours of each tone. */
export const TONE_COLOURS: Record<SyncTone, string> = { neutral: 'default', good: 'success', busy: 'processing', warning: 'warning', error: 'error' };

const TONES: Record<SyncKind, SyncTone> = {
  alone: 'neutral',
  connecting: 'busy',
  online: 'good',
  syncing: 'busy',
  offline: 'warning',
  upgradeRequired: 'error',
  unauthorized: 'error',
};

export interface SyncView {
  kind: SyncKind;
  tone: SyncTone;
  /** For `offline`: since when the server has not answered (null when not known). */
  since: number | null;
  /** Whether changes made elsewhere arrive at once (the poke socket is up). */
  live: boolean;
  /** While a first (chunked) sync is under way: rows received of the total, 0–100. */
  percent: number | null;
  pending: number;
  oldestPendingAt: number | null;
  openConflicts: number;
  /** The last problem, shown while it still stands (not when it is only "cannot be reached"). */
  error: AppErrorShape | null;
  /** Whether "Sync now" can do anything here. */
  canSync: boolean;
}

export function syncViewOf(s: DeskSyncStatus): SyncView {
  const kind = kindOf(s);
  const progress = s.progress && s.progress.total > 0 ? Math.min(100, Math.floor((s.progress.received / s.progress.total) * 100)) : null;
  return {
    kind,
    tone: TONES[kind],
    since: kind === 'offline' ? s.offlineSince : null,
    live: s.live,
    percent: kind === 'syncing' ? progress : null,
    pending: s.pending,
    oldestPendingAt: s.pending > 0 ? s.oldestPendingAt : null,
    openConflicts: s.openConflicts,
    error: kind === 'offline' || kind === 'upgradeRequired' || kind === 'unauthorized' ? problemOf(s.lastError) : null,
    canSync: kind !== 'alone',
  };
}

/** The last error, unless it only says what the offline hint says already ("cannot be reached"). */
function problemOf(error: AppErrorShape | null): AppErrorShape | null {
  return error?.key === 'errors.sync.unavailable' ? null : error;
}

function kindOf(s: DeskSyncStatus): SyncKind {
  if (s.serverUrl === null) return 'alone';
  switch (s.state) {
    case 'upgradeRequired':
    case 'unauthorized':
    case 'offline':
      return s.state;
    case 'syncing':
      // A retry after a failure keeps saying what failed until it works.
      if (s.offlineSince === null) return 'syncing';
      if (s.lastError?.code === 'UPGRADE_REQUIRED') return 'upgradeRequired';
      if (s.lastError?.code === 'UNAUTHORIZED' || s.lastError?.code === 'FORBIDDEN') return 'unauthorized';
      return 'offline';
    case 'idle':
      return s.lastSyncedAt === null && !s.live ? 'connecting' : 'online';
    case 'stopped':
      return 'connecting';
  }
}

/** The header's words for the status: "Online", "Offline since 10:42", "Update Foyer", … */
export function syncLabel(t: TFunction, view: SyncView, timeOf: (instant: number) => string): string {
  if (view.kind === 'offline' && view.since !== null) return t('sync.state.offlineSince', { time: timeOf(view.since) });
  return t(`sync.state.${view.kind}`);
}

/** One sentence on what the status means for the receptionist. */
export function syncHint(t: TFunction, view: SyncView): string {
  if (view.kind === 'online' && !view.live) return t('sync.hint.onlinePolling');
  return t(`sync.hint.${view.kind}`);
}

/** A moment of today as "10:42"; of another day as "Mon, Nov 23, 2026 10:42" (in the site's zone). */
export function momentText(instant: number, now: number, language: Language, timeZone: string): string {
  return formatDay(instant, language, timeZone) === formatDay(now, language, timeZone) ? formatTime(instant, language, timeZone) : formatMoment(instant, language, timeZone);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "less than a minute", "12 min", "2 h 5 min", "3 d 4 h" (rounded down). */
export function durationText(t: TFunction, ms: number): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return t('sync.duration.lessThanMinute');
  if (total < HOUR) return t('sync.duration.minutes', { minutes: Math.floor(total / MINUTE) });
  if (total < DAY) return t('sync.duration.hours', { hours: Math.floor(total / HOUR), minutes: Math.floor((total % HOUR) / MINUTE) });
  return t('sync.duration.days', { days: Math.floor(total / DAY), hours: Math.floor((total % DAY) / HOUR) });
}

/** Whether a new status means the conflict inbox on screen is out of date. */
export function conflictsMoved(previous: DeskSyncStatus | undefined, next: DeskSyncStatus): boolean {
  return previous !== undefined && previous.openConflicts !== next.openConflicts;
}
