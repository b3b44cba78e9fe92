/**
 * Kinds of resource. Core takes any short lowercase word ('practitioner', 'room', 'machine'…);
 * the UI offers the usual ones by name, and any other kind already used at the site as itself.
 */
import type { TFunction } from 'i18next';

export const KNOWN_KINDS = ['practitioner', 'room', 'dental_room', 'therapy_room', 'coach', 'studio', 'equipment'] as const;
type KnownKind = (typeof KNOWN_KINDS)[number];

const isKnown = (k: string): k is KnownKind => (KNOWN_KINDS as readonly string[]).includes(k);

export function kindLabel(t: TFunction, kind: string): string {
  return isKnown(kind) ? t(`schedules.kind.${kind}`) : kind;
}

/** The usual kinds, then the site's own, for a Select. */
export function kindOptions(t: TFunction, present: readonly string[] = []): { value: string; label: string }[] {
  const kinds = [...KNOWN_KINDS, ...present.filter((k) => !isKnown(k)).sort()];
  return kinds.map((k) => ({ value: k, label: kindLabel(t, k) }));
}
