/**
 * The desks of sync-many-desks, in their own process (so their work is not the server's):
 *   node --import tsx bench/lib/sync-desks-child.ts <server url>   (forked with an IPC channel)
 *
 * It gets the desks' device tokens in a message, and for each opens a ServerLink (the desk's own
 * link: a WebSocket subscribed to `onPoke` with the token, pulls over HTTP) with a client id of its
 * own. Each desk first pulls to the server's current version, then pulls whenever it is poked,
 * with its cookie, as the desk's sync loop does (a poke during a pull makes one more pull after
 * it). No replica: the rows are received and dropped.
 *
 * Times are `process.hrtime.bigint()` (CLOCK_MONOTONIC, the same clock in every process of the
 * machine) in ms. Messages:
 *   parent → child  { type: 'desks', tokens }            open the links; answers { type: 'ready' }
 *   parent → child  { type: 'expect', version }          answers { type: 'round', version, poked, pulled, cpuMs }
 *                                                         once every desk has pulled up to version:
 *                                                         per desk, when the first poke of at least
 *                                                         that version arrived and when the pull
 *                                                         that reached it was answered; and this
 *                                                         process's CPU time since the last round
 *   parent → child  { type: 'close' }
 */
import { randomUUID } from 'node:crypto';
import { ServerLink } from '../../electron/host/sync/server-link';
import { PROTOCOL_VERSION, SCHEMA_VERSION } from '../../sync/protocol';

export type ToDesks = { type: 'desks'; tokens: string[] } | { type: 'expect'; version: number } | { type: 'close' };
export type FromDesks =
  | { type: 'ready'; cookies: number[] }
  | { type: 'round'; version: number; poked: number[]; pulled: number[]; cpuMs: number }
  | { type: 'error'; message: string };

const [url] = process.argv.slice(2);
if (!url || !process.send) {
  process.stderr.write('usage (forked with IPC): sync-desks-child.ts <server url>\n');
  process.exit(2);
}
const send = (m: FromDesks) => process.send!(m);
const now = () => Number(process.hrtime.bigint()) / 1e6;

interface Desk {
  link: ServerLink;
  clientId: string;
  cookie: number;
  pulling: boolean;
  again: boolean;
  up: boolean;
  /** [version, time] of each poke and of each pull answered, in order. */
  pokes: [number, number][];
  pulls: [number, number][];
}

const desks: Desk[] = [];
let expected: number | null = null;
let cpu0 = process.cpuUsage();

async function pull(d: Desk): Promise<void> {
  if (d.pulling) {
    d.again = true;
    return;
  }
  d.pulling = true;
  try {
    do {
      d.again = false;
      for (;;) {
        const res = await d.link.pull({ protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, clientId: d.clientId, cookie: d.cookie, ceiling: null, after: null, pendingFrom: null, limit: 5000 });
        d.pulls.push([res.cookie, now()]);
        d.cookie = res.cookie;
        if (!res.more) break;
      }
      check();
    } while (d.again);
  } catch (e) {
    send({ type: 'error', message: String((e as Error).message ?? e) });
  } finally {
    d.pulling = false;
  }
}

/** Answers the parent once every desk has pulled up to the expected version. */
function check(): void {
  if (expected === null) return;
  const v = expected;
  if (!desks.every((d) => d.cookie >= v)) return;
  const first = (xs: [number, number][]) => xs.find(([ver]) => ver >= v)?.[1] ?? Number.NaN;
  const cpu = process.cpuUsage(cpu0);
  expected = null;
  send({ type: 'round', version: v, poked: desks.map((d) => first(d.pokes)), pulled: desks.map((d) => first(d.pulls)), cpuMs: (cpu.user + cpu.system) / 1000 });
  cpu0 = process.cpuUsage();
  for (const d of desks) {
    d.pokes = d.pokes.filter(([ver]) => ver > v);
    d.pulls = d.pulls.filter(([ver]) => ver > v);
  }
}

process.on('message', (m: ToDesks) => {
  if (m.type === 'desks') {
    void (async () => {
      for (const token of m.tokens) {
        const d: Desk = { link: null as unknown as ServerLink, clientId: randomUUID(), cookie: 0, pulling: false, again: false, up: false, pokes: [], pulls: [] };
        d.link = new ServerLink({
          url,
          token,
          onPoke: (version) => {
            d.pokes.push([version, now()]);
            void pull(d);
          },
          onConnection: (up) => {
            d.up = up;
          },
        });
        desks.push(d);
      }
      // Catch up first, a few at a time, then listen.
      for (let i = 0; i < desks.length; i += 50) await Promise.all(desks.slice(i, i + 50).map((d) => pull(d)));
      for (const d of desks) d.link.listen();
      while (!desks.every((d) => d.up)) await new Promise((r) => setTimeout(r, 20));
      cpu0 = process.cpuUsage();
      send({ type: 'ready', cookies: desks.map((d) => d.cookie) });
    })().catch((e: unknown) => send({ type: 'error', message: String((e as Error).message ?? e) }));
  } else if (m.type === 'expect') {
    expected = m.version;
    check();
  } else {
    for (const d of desks) d.link.close();
    setTimeout(() => process.exit(0), 100);
  }
});
