/**
 * Helpers for tests of the desk host: a replica in a fresh temporary folder with a manual clock
 * and deterministic ids, and an owner actor for a set-up organization.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../core/clock';
import { createIdSource } from '../../core/ids';
import type { Actor } from '../../core/mutator';
import { Replica } from './replica/replica';

export function tempDir(prefix = 'foyer-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Random bytes from a seeded counter: ids are unique and repeatable run to run. */
export function seededRandom(seed = 1): (n: number) => Uint8Array {
  let x = seed;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x >>> 24;
    });
}

export async function openTestReplica(file = path.join(tempDir(), 'desk.sqlite')) {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 1, 0, 0));
  const ids = createIdSource(clock, seededRandom(Math.floor(Math.random() * 1e9)));
  const replica = Replica.open({ file, clock, ids });
  const organizationId = ids.newId();
  const owner: Actor = { staffId: ids.newId(), role: 'owner', organizationId, siteId: null };
  await replica.mutate(
    'organization.setup',
    {
      id: organizationId,
      name: 'Test Clinic',
      defaultCountry: 'CN',
      sites: [{ id: ids.newId(), name: 'Main', kind: 'clinic', timeZone: 'Asia/Shanghai' }],
    },
    owner,
  );
  return { replica, clock, ids, owner, organizationId, file };
}
