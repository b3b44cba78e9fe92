/**
 * The availability engine: where a service can start, with which resources.
 *
 * Definition. A slot start t is offered when
 * 1. t is on the site's wall-clock grid: its local reading in the site zone is a whole multiple of
 *    `granularityMinutes` after local midnight. On DST days this is the grid of wall times that
 *    EXIST: in a spring-forward gap the missing wall times are skipped (Berlin 2026-03-29 with a
 *    15-minute grid: 01:45 CET, then 03:00 CEST); in a fall-back overlap each repeated wall time is
 *    offered once per pass, as two different instants (02:00 CEST and, an hour later, 02:00 CET).
 *    No instant appears twice and no existing wall time on the grid is skipped;
 * 2. t lies in local dates [from, to] of the site zone, now + minNotice ≤ t, and
 *    t < now + maxAdvanceDays × 24 h;
 * 3. for every kind the service needs (a kind listed n times needs n different resources), enough
 *    candidates FIT: the whole buffered interval [t − bufferBefore, t + duration + bufferAfter)
 *    lies in the resource's working time (schedule.ts) and meets none of its busy intervals
 *    (bookings and holds with their own buffers, group sessions).
 * The slot's resources are the FIRST fitting combination: per kind, in the order the kinds first
 * appear in `resourceKinds`, the first fitting candidates in the order `resources` lists them.
 * `allCombinations` also lists every fitting combination in that (lexicographic) order.
 *
 * For a group service (seats > 1) the same search finds where a NEW session could go; the seats
 * of existing sessions are counted by `sessionAvailability`.
 *
 * Algorithm, with no per-minute loop. Per candidate: free = working − busy (linear sweeps over
 * sorted interval lists, busy time read from the rows once or from a prebuilt BusyIndex); each
 * free interval [a, b) gives the starts [a + before, b − duration − after]. Grid points are
 * generated only inside the site's own feasible starts, per offset segment as an arithmetic
 * progression; one merge pass per candidate marks the points it fits in a byte matrix, from which
 * the combined view, the chosen combination and the per-resource view are read. A query costs
 * O(rows + intervals + grid points × candidates). Intl is used only to build the window's zone
 * timeline (one offset reading per day, a bisection per DST change).
 */
import type { LocalDate } from '../time';
import { clip, subtract } from './intervals';
import { BLOCKING_STATUSES, busyFor, SiteWindow, type BusyBooking, type BusyIndex, type BusyInput, type GroupSession } from './schedule';
import type { ResourceSchedule, ServiceSpec, SiteSchedule } from './scheduling.schema';
import { DAY_MS, dayNumber, MINUTE_MS } from './zoned-time';

export type PartOfDay = 'morning' | 'afternoon' | 'evening';

/** Local start times (minutes after midnight, [from, to)) of each part of the day. */
export const PARTS_OF_DAY: Readonly<Record<PartOfDay, readonly [number, number]>> = {
  morning: [0, 12 * 60],
  afternoon: [12 * 60, 18 * 60],
  evening: [18 * 60, 24 * 60],
};

export interface SlotPreferences {
  /** Only combinations that include this resource. */
  resourceId?: string;
  /** Only slots starting, in local time, in this part of the day. */
  partOfDay?: PartOfDay;
}

export interface FreeSlotsArgs extends Omit<BusyInput, 'bookings'> {
  /**
   * The bookings that may block the candidates (rows ordered by start are read fastest), or a
   * BusyIndex built once from them for many queries. Holds and `sessions` are read as given.
   */
  bookings: readonly BusyBooking[] | BusyIndex;
  site: SiteSchedule;
  service: ServiceSpec;
  /** Candidates, best first; each one's `kind` says which of the service's needs it can fill. */
  resources: readonly ResourceSchedule[];
  /** Local dates in the site zone, both included. */
  from: LocalDate;
  to: LocalDate;
  preferences?: SlotPreferences;
  /** Also list every fitting combination per slot (costly with many candidates). */
  allCombinations?: boolean;
}

export interface Slot {
  start: number;
  /** start + duration; the buffers are around [start, end), not in it. */
  end: number;
  /** One id per entry of the service's `resourceKinds`, in the same order. */
  resourceIds: string[];
  /** With `allCombinations`: every fitting combination, the chosen one first. */
  combinations?: string[][];
}

export interface ResourceAvailability {
  resourceId: string;
  kind: string;
  /** Slot starts at which some fitting combination includes this resource. */
  starts: number[];
}

export interface Availability {
  /** The combined view: every offered start with its chosen resources, in time order. */
  slots: Slot[];
  /** Per candidate of a needed kind, in the order of `resources`. */
  perResource: ResourceAvailability[];
}

interface KindNeed {
  kind: string;
  need: number;
  /** Indexes into the candidate list, in preference order. */
  candidates: number[];
  /** Positions of this kind in `resourceKinds`. */
  positions: number[];
  /** Scratch: the candidates that fit at the current grid point, in order. */
  fitting: number[];
}

interface Options {
  limit: number;
  perResource: boolean;
}

/** Free slots for a service: the combined view and per-resource availability. */
export function freeSlots(args: FreeSlotsArgs): Availability {
  return compute(args, { limit: Infinity, perResource: true });
}

/** The first `n` free slots (combined view), honouring the preferences. */
export function nextFreeSlots(args: FreeSlotsArgs, n: number, preferences: SlotPreferences = {}): Slot[] {
  if (n <= 0) return [];
  return compute({ ...args, preferences: { ...args.preferences, ...preferences } }, { limit: n, perResource: false }).slots;
}

function compute(args: FreeSlotsArgs, opts: Options): Availability {
  const { site, service } = args;
  const prefs = args.preferences ?? {};

  // Needs and candidates.
  const kinds: KindNeed[] = [];
  service.resourceKinds.forEach((kind, position) => {
    let k = kinds.find((x) => x.kind === kind);
    if (!k) kinds.push((k = { kind, need: 0, candidates: [], positions: [], fitting: [] }));
    k.need++;
    k.positions.push(position);
  });
  const candidates: ResourceSchedule[] = [];
  const seen = new Set<string>();
  for (const r of args.resources) {
    const k = kinds.find((x) => x.kind === r.kind);
    // A resource listed twice is one resource: it must not fill two places of a combination.
    if (!k || seen.has(r.id)) continue;
    seen.add(r.id);
    k.candidates.push(candidates.length);
    candidates.push(r);
  }
  const slots: Slot[] = [];
  const perResource = opts.perResource
    ? candidates.map((r) => ({ resourceId: r.id, kind: r.kind, starts: [] as number[] }))
    : [];
  const none: Availability = { slots, perResource };
  const preferred = prefs.resourceId === undefined ? -1 : candidates.findIndex((r) => r.id === prefs.resourceId);
  if (prefs.resourceId !== undefined && preferred < 0) return none;
  const preferredKind = preferred < 0 ? null : kinds.find((k) => k.candidates.includes(preferred))!;

  const fromDay = dayNumber(args.from);
  const toDay = dayNumber(args.to);
  if (toDay < fromDay) return none;
  const grid = site.granularityMinutes * MINUTE_MS;
  const duration = service.durationMinutes * MINUTE_MS;
  const before = service.bufferBeforeMinutes * MINUTE_MS;
  const after = service.bufferAfterMinutes * MINUTE_MS;

  // Working time is needed a little beyond the dates: buffers and long services cross midnight.
  const siteWindow = new SiteWindow(
    site,
    fromDay - Math.ceil(before / DAY_MS) - 1,
    toDay + Math.ceil((duration + after) / DAY_MS) + 1,
  );
  const tl = siteWindow.timeline;
  const lo = Math.max(tl.dayStart(fromDay), args.now + service.minNoticeMinutes * MINUTE_MS);
  const hi = Math.min(tl.dayStart(toDay + 1), args.now + service.maxAdvanceDays * DAY_MS);
  if (lo >= hi) return none;

  // Feasible starts per candidate, as closed intervals [first, last] (flat), clipped to [lo, hi).
  const spanLo = lo - before;
  const spanHi = hi + duration + after;
  const busy = busyFor(candidates.map((r) => r.id), args, spanLo, spanHi);
  const startSets = candidates.map((r) => {
    const working = clip(siteWindow.resourceWorking(r), spanLo, spanHi);
    return feasibleStarts(subtract(working, busy.get(r.id) ?? []), before, duration, after, lo, hi);
  });
  const siteStarts = feasibleStarts(clip(siteWindow.open, spanLo, spanHi), before, duration, after, lo, hi);

  // The grid points inside the site's feasible starts (and the preferred part of the day).
  const part = prefs.partOfDay === undefined ? null : PARTS_OF_DAY[prefs.partOfDay];
  const points: number[] = [];
  const segments = tl.segments;
  let seg = 0;
  for (let i = 0; i < siteStarts.length; i += 2) {
    const first = siteStarts[i]!;
    const last = siteStarts[i + 1]!;
    while (segments[seg]!.end <= first) seg++;
    for (let sg = seg; sg < segments.length && segments[sg]!.start <= last; sg++) {
      const { start: segStart, end: segEnd, offset } = segments[sg]!;
      const from = Math.max(first, segStart);
      const to = Math.min(last, segEnd - 1);
      const rem = mod(from + offset, grid);
      for (let t = rem === 0 ? from : from + grid - rem; t <= to; t += grid) {
        if (part !== null) {
          const minute = mod(t + offset, DAY_MS) / MINUTE_MS;
          if (minute < part[0] || minute >= part[1]) continue;
        }
        points.push(t);
      }
    }
  }

  // fits[c * P + p] = 1 when candidate c fits at point p: one merge-style pass per candidate.
  const P = points.length;
  const fits = new Uint8Array(candidates.length * P);
  startSets.forEach((set, c) => {
    const base = c * P;
    let p = 0;
    for (let i = 0; i < set.length && p < P; i += 2) {
      const first = set[i]!;
      const last = set[i + 1]!;
      while (p < P && points[p]! < first) p++;
      while (p < P && points[p]! <= last) fits[base + p++] = 1;
    }
  });

  // ok[p] = 1 when a combination fits at point p (one with the preferred resource, if any).
  const ok = new Uint8Array(P);
  for (let p = 0; p < P; p++) {
    if (preferred >= 0 && fits[preferred * P + p] !== 1) continue;
    let fitsAll = true;
    for (const k of kinds) {
      let count = 0;
      for (let i = 0; i < k.candidates.length && count < k.need; i++) count += fits[k.candidates[i]! * P + p]!;
      if (count < k.need) {
        fitsAll = false;
        break;
      }
    }
    if (fitsAll) ok[p] = 1;
  }

  // The combined view, with the first fitting combination per slot.
  const width = service.resourceKinds.length;
  for (let p = 0; p < P && slots.length < opts.limit; p++) {
    if (ok[p] !== 1) continue;
    const t = points[p]!;
    const resourceIds = new Array<string>(width);
    for (const k of kinds) {
      if (k.need === 1 && k !== preferredKind && !args.allCombinations) {
        let i = 0;
        while (fits[k.candidates[i]! * P + p] !== 1) i++;
        resourceIds[k.positions[0]!] = candidates[k.candidates[i]!]!.id;
        continue;
      }
      k.fitting.length = 0;
      for (const c of k.candidates) if (fits[c * P + p] === 1) k.fitting.push(c);
      const chosen = choose(k, preferred, k === preferredKind);
      for (let n = 0; n < k.need; n++) resourceIds[k.positions[n]!] = candidates[chosen[n]!]!.id;
    }
    const slot: Slot = { start: t, end: t + duration, resourceIds };
    if (args.allCombinations) slot.combinations = allCombinations(kinds, candidates, preferred, preferredKind, width);
    slots.push(slot);
  }

  // Per resource: the points where it fits and a combination fits. With a preferred resource,
  // another of its kind is in such a combination only if the kind is needed more than once.
  if (opts.perResource) {
    for (const k of kinds) {
      const others = k !== preferredKind || k.need >= 2;
      for (const c of k.candidates) {
        if (!others && c !== preferred) continue;
        const starts = perResource[c]!.starts;
        const base = c * P;
        for (let p = 0; p < P; p++) if ((fits[base + p]! & ok[p]!) === 1) starts.push(points[p]!);
      }
    }
  }
  return { slots, perResource };
}

function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/**
 * The starts t with [t − before, t + duration + after) inside one free interval, as closed
 * intervals [first, last] flat, limited to lo ≤ t < hi.
 */
function feasibleStarts(free: readonly number[], before: number, duration: number, after: number, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < free.length; i += 2) {
    const first = Math.max(free[i]! + before, lo);
    const last = Math.min(free[i + 1]! - duration - after, hi - 1);
    if (first <= last) out.push(first, last);
  }
  return out;
}

/** The kind's part of the first fitting combination: its first `need` fitting candidates. */
function choose(k: KindNeed, preferred: number, isPreferredKind: boolean): number[] {
  if (!isPreferredKind) return k.fitting.slice(0, k.need);
  const others = k.fitting.filter((c) => c !== preferred).slice(0, k.need - 1);
  return [...others, preferred].sort((a, b) => a - b);
}

/** Every fitting combination in lexicographic order, as position-aligned resource ids. */
function allCombinations(
  kinds: KindNeed[],
  candidates: readonly ResourceSchedule[],
  preferred: number,
  preferredKind: KindNeed | null,
  width: number,
): string[][] {
  const perKind = kinds.map((k) => {
    const subsets = kSubsets(k.fitting, k.need);
    return preferredKind === k ? subsets.filter((s) => s.includes(preferred)) : subsets;
  });
  const out: string[][] = [];
  const walk = (i: number, acc: string[]): void => {
    if (i === kinds.length) {
      out.push([...acc]);
      return;
    }
    const k = kinds[i]!;
    for (const subset of perKind[i]!) {
      k.positions.forEach((p, n) => (acc[p] = candidates[subset[n]!]!.id));
      walk(i + 1, acc);
    }
  };
  walk(0, new Array<string>(width));
  return out;
}

/** The size-n subsets of a sorted list, in lexicographic order. */
function kSubsets(items: readonly number[], n: number): number[][] {
  const out: number[][] = [];
  const pick = (from: number, acc: number[]): void => {
    if (acc.length === n) {
      out.push([...acc]);
      return;
    }
    for (let i = from; i <= items.length - (n - acc.length); i++) {
      acc.push(items[i]!);
      pick(i + 1, acc);
      acc.pop();
    }
  };
  pick(0, []);
  return out;
}

// ---- group sessions ---------------------------------------------------------------------------

/** A short-lived claim on seats of a session while someone completes a booking. */
export interface SeatHold {
  sessionId: string;
  seats: number;
  /** The hold counts while now < expiresAt. */
  expiresAt: number;
}

export interface SessionSeats {
  sessionId: string;
  capacity: number;
  /** Seats taken by active bookings (BLOCKING_STATUSES). */
  booked: number;
  /** Seats held by unexpired holds. */
  held: number;
  /** What the desk shows as "2 left": never negative; 0 for a cancelled session. */
  seatsLeft: number;
}

/**
 * Seats left per group session, in the order of `sessions`. Bookings count with their `seats`
 * (party size, default 1) while active; cancelled and no-show bookings free their seats.
 */
export function sessionAvailability(
  sessions: readonly GroupSession[],
  bookings: readonly BusyBooking[],
  seatHolds?: { holds: readonly SeatHold[]; now: number },
): SessionSeats[] {
  const booked = new Map<string, number>();
  const held = new Map<string, number>();
  for (const s of sessions) {
    booked.set(s.id, 0);
    held.set(s.id, 0);
  }
  for (const b of bookings) {
    const id = b.sessionId;
    if (id == null || !booked.has(id) || !BLOCKING_STATUSES.has(b.status)) continue;
    booked.set(id, booked.get(id)! + (b.seats ?? 1));
  }
  if (seatHolds) {
    for (const h of seatHolds.holds) {
      if (!held.has(h.sessionId) || !(seatHolds.now < h.expiresAt)) continue;
      held.set(h.sessionId, held.get(h.sessionId)! + h.seats);
    }
  }
  return sessions.map((s) => {
    const b = booked.get(s.id)!;
    const h = held.get(s.id)!;
    return {
      sessionId: s.id,
      capacity: s.capacity,
      booked: b,
      held: h,
      seatsLeft: s.status === 'scheduled' ? Math.max(0, s.capacity - b - h) : 0,
    };
  });
}
