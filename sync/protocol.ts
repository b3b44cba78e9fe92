/**
 * The sync protocol between a desk and the server (ARCHITECTURE.md, "The write path").
 *
 * Push: the desk sends its outbox in order; each mutation is identified by `(clientId, id)`, with
 * ids increasing by one per client. The server re-runs each one with its own checks and answers
 * applied / rejected (code and message key) / transient. Applied and rejected both advance the
 * client's `lastMutationId`, so a permanent error never blocks the outbox; a mutation already
 * processed is answered from the record, never run twice.
 *
 * Pull: the desk sends its cookie (the server's change version it has seen) and gets the rows of
 * its organization (and sites) changed since, in columnar sets, plus deletions, its
 * `lastMutationId` and the outcome of every rejected mutation it still holds. Rows come in whole
 * versions (one version per server transaction), so a pull never shows half of a change. A pull
 * may stop before the end (`more`): a first sync of a large site comes in chunks, all below one
 * `ceiling` fixed when it started, and resumes from the last chunk the desk committed.
 *
 * Versions: `protocolVersion` is the shape of these messages; `schemaVersion` the shape of the
 * synced tables. A desk outside the server's supported range is told to update
 * (`UPGRADE_REQUIRED`) and keeps working offline.
 */
import { z } from 'zod';
import type { AppErrorShape } from '../core/errors';

export const PROTOCOL_VERSION = 1;
/** Bumped whenever a synced table changes shape (core/db-schema.ts, both stores' migrations). */
export const SCHEMA_VERSION = 1;
/** The oldest desk versions this build's server still serves. */
export const MIN_PROTOCOL_VERSION = 1;
export const MIN_SCHEMA_VERSION = 1;

/** The longest a desk may work offline and still have its changes judged as of when they were made. */
export const MAX_OFFLINE_MS = 7 * 24 * 3600_000;

/**
 * The time a pushed mutation is judged at: when the desk made it, corrected by the desk's clock
 * error (its `sentAt` against the server's receipt time), never in the future and never more than
 * MAX_OFFLINE_MS ago.
 */
export function mutationTime(createdAt: number, sentAt: number, receivedAt: number): number {
  const corrected = createdAt + (receivedAt - sentAt);
  return Math.min(receivedAt, Math.max(receivedAt - MAX_OFFLINE_MS, corrected));
}

/** Limits a server enforces before doing any work. */
export const MAX_PUSH_MUTATIONS = 1000;
export const MAX_ARGS_BYTES = 64 * 1024;
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_PULL_LIMIT = 5000;
export const MAX_PULL_LIMIT = 50_000;

const ClientId = z.uuid({ message: 'errors.sync.clientId' });
const Versions = {
  protocolVersion: z.number().int().positive(),
  schemaVersion: z.number().int().positive(),
};

export const PushMutation = z.object({
  /** Per client, 1, 2, 3, … in the order the desk made them. */
  id: z.number().int().positive(),
  name: z.string().min(1).max(64),
  version: z.number().int().positive(),
  args: z.unknown(),
  /** The staff member who made it on the desk; the server checks them against its own records. */
  staffId: z.string().min(1).max(64),
  /**
   * The desk's clock when it was made. Never used for order. Rules about time (no booking in the
   * past, minimum notice) are checked as of when the change was made, so work done offline is
   * judged as it was done: the server corrects this by the desk's clock error and bounds it to
   * [now − MAX_OFFLINE_MS, now] (mutationTime).
   */
  createdAt: z.number().int().nonnegative(),
});
export type PushMutation = z.infer<typeof PushMutation>;

export const PushRequest = z.object({
  ...Versions,
  clientId: ClientId,
  /** The desk's clock when it sent this: the server measures the desk's clock error from it. */
  sentAt: z.number().int().nonnegative(),
  mutations: z.array(PushMutation).min(1).max(MAX_PUSH_MUTATIONS),
});
export type PushRequest = z.infer<typeof PushRequest>;

export type MutationOutcome =
  | { id: number; outcome: 'applied' }
  | { id: number; outcome: 'rejected'; error: AppErrorShape }
  | { id: number; outcome: 'transient'; error: AppErrorShape };

export interface PushResponse {
  /** The last mutation of this client the server has processed (applied or rejected). */
  lastMutationId: number;
  results: MutationOutcome[];
}

/** Where a chunked pull stopped: after this row of the table at `table` in SYNCED_TABLES order. */
export const PullPosition = z.object({
  table: z.number().int().nonnegative(),
  version: z.number().int().nonnegative(),
  id: z.string().max(64),
});
export type PullPosition = z.infer<typeof PullPosition>;

export const PullRequest = z.object({
  ...Versions,
  clientId: ClientId,
  /** The version the desk has everything up to; 0 for a desk that has nothing yet. */
  cookie: z.number().int().nonnegative(),
  /** While a chunked pull is under way: the version it brings the desk up to, and where it is. */
  ceiling: z.number().int().nonnegative().nullable().default(null),
  after: PullPosition.nullable().default(null),
  /** The smallest outbox id the desk still holds: rejections from there on are sent back. */
  pendingFrom: z.number().int().positive().nullable().default(null),
  limit: z.number().int().positive().max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});
export type PullRequest = z.input<typeof PullRequest>;

/** Rows of one table, column names once and values in that order. */
export interface RowSet {
  columns: string[];
  rows: unknown[][];
}

export interface Rejection {
  mutationId: number;
  name: string;
  args: unknown;
  staffId: string;
  error: AppErrorShape;
  /** Server time it was rejected. */
  at: number;
}

/**
 * A pull's answer. Rows come table by table (SYNCED_TABLES order), each table's by version then id,
 * all with versions in (cookie, ceiling]; a row changed again after the pull started has a version
 * above the ceiling and comes in the next pull. Deletions come after the last table. The desk
 * applies a chunk in one transaction with foreign keys unchecked (the server's rows are consistent
 * once the pull is complete and the next one has caught up).
 */
export interface PullResponse {
  /** The desk has everything up to this version once `more` is false; until then, the old cookie. */
  cookie: number;
  /** The version this pull brings the desk up to. */
  ceiling: number;
  /** Where to go on from; null when complete. */
  after: PullPosition | null;
  more: boolean;
  /** Rows this pull sends in all (counted on its first chunk only, for the progress bar). */
  total: number | null;
  lastMutationId: number;
  /** Changed top-level rows by table, and for those parents every current child row. */
  tables: Record<string, RowSet>;
  /** Ids of top-level rows deleted, by table. */
  deletes: Record<string, string[]>;
  rejections: Rejection[];
}

/** What a desk is told when its versions are outside what the server serves. */
export function versionProblem(req: { protocolVersion: number; schemaVersion: number }): AppErrorShape | null {
  if (req.protocolVersion < MIN_PROTOCOL_VERSION || req.schemaVersion < MIN_SCHEMA_VERSION) {
    return { code: 'UPGRADE_REQUIRED', key: 'errors.sync.deskTooOld', params: { server: PROTOCOL_VERSION, desk: req.protocolVersion } };
  }
  if (req.protocolVersion > PROTOCOL_VERSION || req.schemaVersion > SCHEMA_VERSION) {
    return { code: 'UPGRADE_REQUIRED', key: 'errors.sync.serverTooOld', params: { server: PROTOCOL_VERSION, desk: req.protocolVersion } };
  }
  return null;
}
