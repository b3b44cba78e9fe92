/**
 * Event colours. By status (the default: what needs doing is what stands out), or by service or
 * resource (what kind of work fills the day). Each booking status has one colour used everywhere
 * (calendar block, tag in the drawer and the list); services and resources use their own colour
 * when set, else one from a fixed palette chosen by their id, so a colour does not move when
 * another record is added.
 */
import type { BookingStatus } from '../../../core/scheduling/schedule';

export const COLOUR_MODES = ['status', 'service', 'resource'] as const;
export type ColourMode = (typeof COLOUR_MODES)[number];

export interface EventColours {
  background: string;
  border: string;
  text: string;
}

/** Calendar block colours per status: a light fill, a strong edge, dark text. */
export const STATUS_COLOURS: Readonly<Record<BookingStatus, EventColours>> = {
  pending: { background: '#fff7e6', border: '#fa8c16', text: '#873800' },
  confirmed: { background: '#e6f4ff', border: '#1677ff', text: '#002c8c' },
  arrived: { background: '#e6fffb', border: '#13a8a8', text: '#00474f' },
  inService: { background: '#f9f0ff', border: '#722ed1', text: '#22075e' },
  completed: { background: '#f6ffed', border: '#52c41a', text: '#135200' },
  cancelled: { background: '#fafafa', border: '#bfbfbf', text: '#8c8c8c' },
  noShow: { background: '#fff1f0', border: '#f5222d', text: '#820014' },
};

/** The antd Tag colour of a status (drawer, list), the same hue as on the calendar. */
export const STATUS_TAG_COLOURS: Readonly<Record<BookingStatus, string>> = {
  pending: 'orange',
  confirmed: 'blue',
  arrived: 'cyan',
  inService: 'purple',
  completed: 'green',
  cancelled: 'default',
  noShow: 'red',
};

/** Distinct, readable hues for records without a colour of their own. */
export const PALETTE = ['#1677ff', '#13a8a8', '#722ed1', '#eb2f96', '#fa8c16', '#52c41a', '#2f54eb', '#faad14', '#a0d911', '#f5222d'] as const;

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A stable palette colour for an id (FNV-1a over its characters). */
export function paletteColour(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}

/** `colour` mixed with white: `amount` 0 is the colour, 1 is white. */
export function tint(colour: string, amount: number): string {
  if (!HEX.test(colour)) return colour;
  const n = Number.parseInt(colour.slice(1), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * amount);
  const [r, g, b] = [mix((n >> 16) & 255), mix((n >> 8) & 255), mix(n & 255)];
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

/** Colours for a record's own colour (or its palette colour): light fill, the colour as edge. */
export function ownColours(colour: string | null, id: string): EventColours {
  const base = colour !== null && HEX.test(colour) ? colour : paletteColour(id);
  return { background: tint(base, 0.82), border: base, text: '#1f1f1f' };
}

export function statusColours(status: string): EventColours {
  return STATUS_COLOURS[status as BookingStatus] ?? STATUS_COLOURS.confirmed;
}

/**
 * The colours of a booking in a mode. A cancelled or no-show booking keeps its status colour in
 * every mode, so it never passes for a live one.
 */
export function bookingColours(
  mode: ColourMode,
  b: { status: string; serviceId: string; serviceColour: string | null; resourceIds: readonly string[] },
  resourceColour: (id: string) => string | null,
): EventColours {
  if (mode === 'status' || b.status === 'cancelled' || b.status === 'noShow') return statusColours(b.status);
  if (mode === 'service') return ownColours(b.serviceColour, b.serviceId);
  const first = b.resourceIds[0];
  return first === undefined ? statusColours(b.status) : ownColours(resourceColour(first), first);
}
