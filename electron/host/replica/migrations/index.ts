/**
 * The registry of replica migrations, in order. Numbers go in steps of 10 and match the file
 * names; a shipped migration is never edited, only followed by a new one.
 */
import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-initial';
import * as m0020 from './0020-devices';
import * as m0030 from './0030-scheduling';
import * as m0040 from './0040-sync';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'initial', up: m0010.up },
  { version: 20, name: 'devices', up: m0020.up },
  { version: 30, name: 'scheduling', up: m0030.up },
  { version: 40, name: 'sync', up: m0040.up },
];
