import { describe, expect, it } from 'vitest';
import { wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import { createI18n } from '../i18n/i18n';
import { conflictsMoved, durationText, momentText, syncHint, syncLabel, syncViewOf, TONE_COLOURS, type DeskSyncStatus } from './sync-status';

const SH = 'Asia/Shanghai';
const at = (hhmm: string, day = '2026-11-23') => wallTimeToInstant(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), SH);
const MIN = 60_000;

const idle: DeskSyncStatus = {
  state: 'idle',
  offlineSince: null,
  lastSyncedAt: at('10:00'),
  lastError: null,
  pending: 0,
  oldestPendingAt: null,
  progress: null,
  serverUrl: 'https://foyer.example',
  live: true,
  openConflicts: 0,
};
const unavailable = { code: 'UNAVAILABLE' as const, key: 'errors.sync.unavailable', params: { detail: 'ECONNREFUSED' } };

describe('syncViewOf', () => {
  it('reads a desk that is not enrolled as working alone, with nothing to sync', () => {
    const v = syncViewOf({ ...idle, state: 'stopped', serverUrl: null, live: false, lastSyncedAt: null, pending: 4, oldestPendingAt: at('09:00') });
    expect(v).toMatchObject({ kind: 'alone', tone: 'neutral', canSync: false, pending: 4 });
    expect(TONE_COLOURS[v.tone]).toBe('default');
  });

  it('is online after a cycle worked, live or not, and connecting before the first', () => {
    expect(syncViewOf(idle)).toMatchObject({ kind: 'online', tone: 'good', live: true, error: null, canSync: true });
    expect(syncViewOf({ ...idle, live: false })).toMatchObject({ kind: 'online', live: false });
    expect(syncViewOf({ ...idle, live: false, lastSyncedAt: null })).toMatchObject({ kind: 'connecting', tone: 'busy' });
    expect(TONE_COLOURS[syncViewOf(idle).tone]).toBe('success');
  });

  it('is offline since the first failure, and stays offline (not "syncing") while it retries', () => {
    const down: DeskSyncStatus = { ...idle, state: 'offline', live: false, offlineSince: at('10:42'), lastError: unavailable, pending: 1, oldestPendingAt: at('10:45') };
    expect(syncViewOf(down)).toMatchObject({ kind: 'offline', tone: 'warning', since: at('10:42'), pending: 1, oldestPendingAt: at('10:45') });
    // "Cannot be reached" is what the state says already; anything else is worth its own words.
    expect(syncViewOf(down).error).toBeNull();
    const failing = { code: 'INTERNAL' as const, key: 'errors.internal' };
    expect(syncViewOf({ ...down, lastError: failing }).error).toEqual(failing);
    expect(syncViewOf({ ...down, state: 'syncing' })).toMatchObject({ kind: 'offline', since: at('10:42') });
    expect(TONE_COLOURS.warning).toBe('warning');
  });

  it('tells an old Foyer and an unknown desk from a network problem, also while retrying', () => {
    const old = { ...idle, state: 'upgradeRequired' as const, offlineSince: at('08:00'), lastError: { code: 'UPGRADE_REQUIRED' as const, key: 'errors.sync.deskTooOld' } };
    expect(syncViewOf(old)).toMatchObject({ kind: 'upgradeRequired', tone: 'error', since: null, error: old.lastError });
    expect(syncViewOf({ ...old, state: 'syncing' }).kind).toBe('upgradeRequired');
    const revoked = { ...idle, state: 'unauthorized' as const, offlineSince: at('08:00'), lastError: { code: 'UNAUTHORIZED' as const, key: 'errors.sync.deviceToken' } };
    expect(syncViewOf(revoked)).toMatchObject({ kind: 'unauthorized', tone: 'error' });
    expect(syncViewOf({ ...revoked, state: 'syncing' }).kind).toBe('unauthorized');
    expect(TONE_COLOURS.error).toBe('error');
  });

  it('shows a first sync’s progress only while it syncs', () => {
    const first = { ...idle, state: 'syncing' as const, lastSyncedAt: null, progress: { received: 5_000, total: 12_000 } };
    expect(syncViewOf(first)).toMatchObject({ kind: 'syncing', tone: 'busy', percent: 41 });
    expect(syncViewOf({ ...first, progress: null }).percent).toBeNull();
    expect(syncViewOf({ ...first, progress: { received: 0, total: 0 } }).percent).toBeNull();
    expect(TONE_COLOURS.busy).toBe('processing');
  });

  it('hides a stale error and the oldest time when nothing waits', () => {
    expect(syncViewOf({ ...idle, lastError: unavailable, oldestPendingAt: at('09:00') })).toMatchObject({ error: null, oldestPendingAt: null });
  });
});

describe('the words', () => {
  const en = createI18n('en').t;
  const zh = createI18n('zh-CN').t;
  const timeOf = (instant: number) => momentText(instant, at('12:00'), 'en', SH);

  it('labels every kind, with the time an outage began', () => {
    const down = syncViewOf({ ...idle, state: 'offline', offlineSince: at('10:42'), lastError: unavailable });
    expect(syncLabel(en, down, timeOf)).toBe('Offline since 10:42');
    expect(syncLabel(zh, down, timeOf)).toBe('自 10:42 起离线');
    expect(syncLabel(en, syncViewOf(idle), timeOf)).toBe('Online');
    expect(syncLabel(en, syncViewOf({ ...idle, serverUrl: null }), timeOf)).toBe('Works alone');
    expect(syncLabel(en, syncViewOf({ ...idle, state: 'upgradeRequired' }), timeOf)).toBe('Update Foyer');
    expect(syncLabel(en, syncViewOf({ ...idle, state: 'unauthorized' }), timeOf)).toBe('Desk not recognized');
    expect(syncLabel(en, syncViewOf({ ...idle, state: 'syncing' }), timeOf)).toBe('Syncing…');
  });

  it('says that changes from elsewhere come slower while the socket is down', () => {
    expect(syncHint(en, syncViewOf(idle))).toContain('within seconds');
    expect(syncHint(en, syncViewOf({ ...idle, live: false }))).toContain('within half a minute');
  });

  it('writes durations the way a receptionist says them', () => {
    expect(durationText(en, 20_000)).toBe('less than a minute');
    expect(durationText(en, 12 * MIN + 59_000)).toBe('12 min');
    expect(en('sync.details.offlineFor', { duration: durationText(en, 125 * MIN) })).toBe('Offline for 2 h 5 min');
    expect(durationText(en, (3 * 24 + 4) * 60 * MIN + 7 * MIN)).toBe('3 d 4 h');
    expect(durationText(zh, 125 * MIN)).toBe('2 小时 5 分钟');
    expect(durationText(en, -5_000)).toBe('less than a minute');
  });

  it('writes a moment as a time today and with its date on another day, in the site’s zone', () => {
    expect(momentText(at('09:30'), at('23:00'), 'en', SH)).toBe('09:30');
    expect(momentText(at('09:30', '2026-11-22'), at('08:00'), 'en', SH)).toBe('Sun, Nov 22, 2026 09:30');
  });
});

describe('conflictsMoved', () => {
  it('refreshes the inbox when the number of open conflicts changes, not on every status', () => {
    expect(conflictsMoved(undefined, idle)).toBe(false);
    expect(conflictsMoved(idle, { ...idle, lastSyncedAt: at('10:01') })).toBe(false);
    expect(conflictsMoved(idle, { ...idle, openConflicts: 1 })).toBe(true);
    expect(conflictsMoved({ ...idle, openConflicts: 1 }, idle)).toBe(true);
  });
});
