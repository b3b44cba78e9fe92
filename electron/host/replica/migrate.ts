/**
 * Migration runner. The schema version lives in SQLite's `user_version`. All pending migrations
 * run in ONE transaction together with the version bump, so a crash mid-way leaves the previous
 * schema intact. A database written by a newer app (higher version than we know) is refused
 * rather than opened and damaged.
 */
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../core/errors';
import type { Migration } from './migrations/index';

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((v, m) => Math.max(v, m.version), 0);
}

export function migrate(db: Database, migrations: readonly Migration[]): { from: number; to: number; applied: number[] } {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error('migrations must be in increasing order');
  }
  const from = db.pragma('user_version', { simple: true }) as number;
  const known = latestVersion(migrations);
  if (from > known) throw new AppError('SCHEMA_TOO_NEW', 'errors.schemaTooNew', { found: from, known });
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from, applied: [] };
  db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${known}`);
  }).immediate();
  return { from, to: known, applied: pending.map((m) => m.version) };
}
