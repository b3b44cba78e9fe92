/**
 * The demo organization a new desk starts with: a clinic and a gym in Asia/Shanghai and a few
 * hundred customers with realistic Chinese and English names, phones and (for some) resident ID
 * numbers with valid check digits. Everything is written through the mutators, like any other
 * change, and is deterministic for a given seed.
 */
import { nationalIdCheckChar } from '../../../core/customers/national-id';
import { normalizePhone } from '../../../core/customers/phone';
import type { Actor } from '../../../core/mutator';
import type { Replica } from '../replica/replica';
import { CN_GIVEN, CN_REGIONS, CN_SURNAMES, EN_FIRST, EN_LAST, TAGS_ZH } from './names';

/** mulberry32: a small, fast, seedable PRNG; demo data only. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

/**
 * Seeds the demo organization if this replica has none yet, and returns the actor the desk runs
 * as. Resumable: the organization is recorded first and `demo_seeded` last, so a desk killed
 * mid-seed tops up the missing customers on its next start instead of starting over.
 */
export async function seedDemo(replica: Replica, customers = 300): Promise<Actor> {
  let actor = actorFromMeta(replica);
  if (actor && replica.getMeta('demo_seeded') === '1') return actor;
  if (!actor) {
    const organizationId = replica.newId();
    const clinicSiteId = replica.newId();
    const gymSiteId = replica.newId();
    actor = { staffId: replica.newId(), role: 'owner', organizationId, siteId: clinicSiteId };
    await replica.mutate(
      'organization.setup',
      {
        id: organizationId,
        name: '康健医疗与健身 Kangjian Health & Fitness',
        defaultCountry: 'CN',
        sites: [
          { id: clinicSiteId, name: '康健诊所 · 徐汇 Kangjian Clinic Xuhui', kind: 'clinic', timeZone: 'Asia/Shanghai' },
          { id: gymSiteId, name: '康健健身 · 静安 Kangjian Gym Jing’an', kind: 'gym', timeZone: 'Asia/Shanghai' },
        ],
      },
      actor,
    );
    replica.setMeta('organization_id', organizationId);
    replica.setMeta('site_id', clinicSiteId);
    replica.setMeta('staff_id', actor.staffId);
    replica.setMeta('staff_role', actor.role);
  }
  const existing = await replica.db
    .selectFrom('customers')
    .select('phone')
    .where('organization_id', '=', actor.organizationId)
    .execute();
  const have = new Set(existing.map((r) => r.phone));
  for (const c of demoCustomers(customers)) {
    const e164 = c.phone.startsWith('+') ? c.phone : `+86${c.phone}`;
    if (have.has(e164)) continue;
    await replica.mutate('customer.create', { id: replica.newId(), ...c }, actor);
  }
  replica.setMeta('demo_seeded', '1');
  return actor;
}

export function actorFromMeta(replica: Replica): Actor | null {
  const organizationId = replica.getMeta('organization_id');
  const staffId = replica.getMeta('staff_id');
  if (!organizationId || !staffId) return null;
  return {
    organizationId,
    staffId,
    role: (replica.getMeta('staff_role') as Actor['role'] | null) ?? 'front_desk',
    siteId: replica.getMeta('site_id'),
  };
}
