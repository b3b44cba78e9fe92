/**
 * The demo organization a new desk starts with: a clinic and a gym in Asia/Shanghai, a few
 * hundred customers with realistic Chinese and English names, phones and (for some) resident ID
 * numbers with valid check digits, and a living calendar for the current and the next week
 * (demo-catalog.ts, demo-plan.ts). Everything is written through the mutators, like any other
 * change, and is deterministic for a given seed and "now".
 */
import { webcrypto } from 'node:crypto';
import { ManualClock } from '../../../core/clock';
import { nationalIdCheckChar } from '../../../core/customers/national-id';
import { normalizePhone } from '../../../core/customers/phone';
import { createIdSource } from '../../../core/ids';
import type { Actor } from '../../../core/mutator';
import { addDays, wallTimeToInstant } from '../../../core/scheduling/zoned-time';
import { Replica } from '../replica/replica';
import { hm } from './demo-catalog';
import { DEMO_TIME_ZONE, demoWeek, planDemoCalendar } from './demo-plan';
import { CN_GIVEN, CN_REGIONS, CN_SURNAMES, EN_FIRST, EN_LAST, TAGS_ZH } from './names';
import { prng } from './prng';
import { demoId, runSteps, type SeedStep, type StepReport } from './seed-steps';

export { prng };

export interface DemoCustomer {
  name: string;
  phone: string;
  nationalId: string | null;
  birthDate: string | null;
  gender: 'female' | 'male' | 'unknown';
  tags: string[];
  notes: string;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function demoCustomers(count: number, seed = 20261122): DemoCustomer[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const usedPhones = new Set<string>();
  const out: DemoCustomer[] = [];
  while (out.length < count) {
    const chinese = rnd() < 0.75;
    const gender = rnd() < 0.5 ? 'female' : 'male';
    const year = 1950 + Math.floor(rnd() * 60);
    const birthDate = `${year}-${pad(1 + Math.floor(rnd() * 12), 2)}-${pad(1 + Math.floor(rnd() * 28), 2)}`;
    let phone: string;
    do {
      const r = rnd();
      if (!chinese && r < 0.15) phone = `+447${pad(Math.floor(rnd() * 1e9), 9).replace(/^0/, '9')}`;
      else if (!chinese && r < 0.25) phone = `+8529${pad(Math.floor(rnd() * 1e7), 7)}`;
      else phone = `1${pick(['3', '5', '7', '8', '9'])}${pad(Math.floor(rnd() * 1e9), 9)}`;
    } while (usedPhones.has(phone) || !normalizePhone(phone).ok);
    usedPhones.add(phone);
    let nationalId: string | null = null;
    if (chinese && rnd() < 0.4) {
      const seq = pad(Math.floor(rnd() * 50) * 2 + (gender === 'male' ? 1 : 0), 3);
      const first17 = `${pick(CN_REGIONS)}${birthDate.replace(/-/g, '')}${seq}`;
      nationalId = first17 + nationalIdCheckChar(first17);
    }
    const hasBirth = nationalId !== null || rnd() < 0.5;
    out.push({
      name: chinese ? pick(CN_SURNAMES) + pick(CN_GIVEN) : `${pick(EN_FIRST)} ${pick(EN_LAST)}`,
      phone,
      nationalId,
      birthDate: hasBirth ? birthDate : null,
      gender: rnd() < 0.05 ? 'unknown' : gender,
      tags: rnd() < 0.3 ? [pick(TAGS_ZH)] : [],
      notes: '',
    });
  }
  return out;
}

export interface DemoOptions {
  /** Also set up the clinic's and the gym's calendars and book the current and next week (default true). */
  calendar?: boolean;
  /** Called after each step that ran; a test throws here to stop the seed as a crash would. */
  onStep?: (key: string) => void;
}

export interface DemoReport {
  actor: Actor;
  steps: StepReport;
}

/**
 * Seeds the demo organization if this replica has none yet, and returns the actor the desk runs
 * as. See seedDemoWithReport.
 */
export async function seedDemo(replica: Replica, customers = 300, opts: DemoOptions = {}): Promise<Actor> {
  return (await seedDemoWithReport(replica, customers, opts)).actor;
}

/**
 * Seeds the demo organization, its customers and its calendar, as far as they are missing.
 *
 * The demo has a past: the organization was set up months ago, customers registered since, and
 * the bookings of this week and the next were made, checked in, completed or cancelled on the
 * days they would have been. So the seed runs every mutation with the clock of its moment, on a
 * second connection to the replica's file whose clock it moves (the desk's own clock is the real
 * one), and the rules check each change as they would have then. The seed's "now" is the desk
 * clock's when the seed first started, kept in meta, so a seed resumed later plans the same
 * calendar.
 *
 * Resumable: the organization's ids are recorded before it is made, and every later step finds
 * out from the data whether it already happened (seed-steps.ts), so a desk killed mid-seed
 * finishes on its next start without duplicates. `demo_seeded` (organization and customers) and
 * `demo_calendar` mark the parts done; a desk seeded before the calendar existed gets it too.
 */
export async function seedDemoWithReport(replica: Replica, customers = 300, opts: DemoOptions = {}): Promise<DemoReport> {
  const wantCalendar = opts.calendar !== false;
  const steps: StepReport = { ran: 0, alreadyDone: 0, refused: [] };
  const existing = actorFromMeta(replica);
  if (existing && replica.getMeta('demo_seeded') === '1' && (!wantCalendar || replica.getMeta('demo_calendar') === '1')) {
    return { actor: existing, steps };
  }
  if (replica.sqlite.memory) throw new Error('The demo seed needs a replica in a file (it opens the file a second time).');
  let nowText = replica.getMeta('demo_now');
  if (nowText === null) {
    nowText = String(replica.now());
    replica.setMeta('demo_now', nowText);
  }
  const now = Number(nowText);
  const firstDay = demoWeek(now).firstDay;
  const at = (days: number, time: string) => wallTimeToInstant(addDays(firstDay, days), hm(time), DEMO_TIME_ZONE);

  const clock = new ManualClock(now);
  const machine = Replica.open({
    file: replica.sqlite.name,
    clock,
    ids: createIdSource(clock, (n) => webcrypto.getRandomValues(new Uint8Array(n))),
  });
  const add = (r: StepReport) => {
    steps.ran += r.ran;
    steps.alreadyDone += r.alreadyDone;
    steps.refused.push(...r.refused);
  };
  try {
    const org = await ensureOrganization(machine, clock, at(-90, '09:00'));
    const actor = org.actor;
    const actors = { clinic: actor, gym: actor };
    // A part never started before cannot have steps done: its first run skips looking. (Customers
    // are looked for anyway when there are some: an older seed may have been cut off.)
    const firstRun = (part: string, nothingYet = true) => {
      const fresh = machine.getMeta(`${part}_started`) === null && nothingYet;
      machine.setMeta(`${part}_started`, '1');
      return fresh;
    };
    if (machine.getMeta('demo_seeded') !== '1') {
      const list = customerSteps(actor.organizationId, customers, at(-89, '09:00'), at(-30, '18:00'));
      const none = !machine.sqlite.prepare('SELECT 1 FROM customers WHERE organization_id = ? LIMIT 1').get(actor.organizationId);
      add(await runSteps(machine, clock, list, actors, { onStep: opts.onStep, fresh: firstRun('demo_customers', none) }));
      machine.setMeta('demo_seeded', '1');
    }
    if (wantCalendar && machine.getMeta('demo_calendar') !== '1') {
      const customerIds = machine.sqlite
        .prepare<[string], { id: string }>('SELECT id FROM customers WHERE organization_id = ? ORDER BY phone, id')
        .all(actor.organizationId)
        .map((r) => r.id);
      const plan = planDemoCalendar({
        organizationId: actor.organizationId,
        sites: { clinic: org.clinicSiteId, gym: org.gymSiteId },
        now,
        customers: customerIds,
      });
      add(await runSteps(machine, clock, plan.steps, actors, { onStep: opts.onStep, fresh: firstRun('demo_calendar') }));
      machine.setMeta('demo_calendar', '1');
    }
    return { actor, steps };
  } finally {
    await machine.close();
  }
}

/**
 * The demo organization: made once, at `at`. Its ids go to meta first, so a seed that dies between
 * making it and recording it does not make a second one.
 */
async function ensureOrganization(r: Replica, clock: ManualClock, at: number): Promise<{ actor: Actor; clinicSiteId: string; gymSiteId: string }> {
  const found = actorFromMeta(r);
  if (found) {
    const site = (kind: 'clinic' | 'gym') =>
      r.sqlite
        .prepare<[string, string], { id: string }>('SELECT id FROM sites WHERE organization_id = ? AND kind = ? ORDER BY created_at, id LIMIT 1')
        .get(found.organizationId, kind)?.id;
    const clinicSiteId = site('clinic');
    const gymSiteId = site('gym');
    if (!clinicSiteId || !gymSiteId) throw new Error('The demo organization lacks its clinic or its gym.');
    return { actor: found, clinicSiteId, gymSiteId };
  }
  clock.set(at);
  const planned = r.getMeta('demo_organization');
  const ids = planned
    ? (JSON.parse(planned) as { organizationId: string; clinicSiteId: string; gymSiteId: string; staffId: string })
    : { organizationId: r.newId(), clinicSiteId: r.newId(), gymSiteId: r.newId(), staffId: r.newId() };
  if (!planned) r.setMeta('demo_organization', JSON.stringify(ids));
  // The owner works across the organization (siteId null); the desk itself stands at the clinic.
  const actor: Actor = { staffId: ids.staffId, role: 'owner', organizationId: ids.organizationId, siteId: null };
  if (!r.sqlite.prepare('SELECT 1 FROM organizations WHERE id = ?').get(ids.organizationId)) {
    await r.mutate(
      'organization.setup',
      {
        id: ids.organizationId,
        name: '康健医疗与健身 Kangjian Health & Fitness',
        defaultCountry: 'CN',
        sites: [
          { id: ids.clinicSiteId, name: '康健诊所 · 徐汇 Kangjian Clinic Xuhui', kind: 'clinic', timeZone: DEMO_TIME_ZONE },
          { id: ids.gymSiteId, name: '康健健身 · 静安 Kangjian Gym Jing’an', kind: 'gym', timeZone: DEMO_TIME_ZONE },
        ],
      },
      actor,
    );
  }
  r.setMeta('organization_id', actor.organizationId);
  r.setMeta('site_id', ids.clinicSiteId);
  r.setMeta('staff_id', actor.staffId);
  r.setMeta('staff_role', actor.role);
  return { actor, clinicSiteId: ids.clinicSiteId, gymSiteId: ids.gymSiteId };
}

/** The demo customers, registered one after another between `from` and `to`; known by phone. */
function customerSteps(organizationId: string, count: number, from: number, to: number): SeedStep[] {
  const list = demoCustomers(count);
  const gap = list.length > 1 ? Math.floor((to - from) / (list.length - 1)) : 0;
  return list.map((c, i) => {
    const e164 = c.phone.startsWith('+') ? c.phone : `+86${c.phone}`;
    const key = `customer/${e164}`;
    const t = from + i * gap;
    return {
      key,
      at: t,
      site: 'clinic',
      mutator: 'customer.create',
      args: { id: demoId(organizationId, key, t), ...c },
      check: { kind: 'customer', organizationId, phone: e164 },
      optional: false,
    };
  });
}

export function actorFromMeta(replica: Replica): Actor | null {
  const organizationId = replica.getMeta('organization_id');
  const staffId = replica.getMeta('staff_id');
  if (!organizationId || !staffId) return null;
  return {
    organizationId,
    staffId,
    role: (replica.getMeta('staff_role') as Actor['role'] | null) ?? 'front_desk',
    // Staff tied to one site carry it; the desk's own site ('site_id') is where it stands, not a scope.
    siteId: replica.getMeta('staff_site_id'),
  };
}
