/**
 * Child process for the crash test: writes customers through the replica as fast as it can and
 * prints each id on stdout only after its transaction committed. The test kills it with SIGKILL
 * mid-burst. Run as: node --import tsx crash-writer.fixture.ts <db file> <organization id> <staff id>
 */
import { webcrypto } from 'node:crypto';
import { createIdSource } from '../../../core/ids';
import { Replica } from './replica';

const [file, organizationId, staffId] = process.argv.slice(2) as [string, string, string];
const clock = { now: () => Date.now() };
const ids = createIdSource(clock, (n) => webcrypto.getRandomValues(new Uint8Array(n)));
const replica = Replica.open({ file, clock, ids });
const actor = { staffId, role: 'owner' as const, organizationId, siteId: null };
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const id = ids.newId();
  await replica.mutate('customer.create', { id, name: `Crash Test ${i}`, phone: `135${String(i).padStart(8, '0')}` }, actor);
  process.stdout.write(`${id}\n`);
}
