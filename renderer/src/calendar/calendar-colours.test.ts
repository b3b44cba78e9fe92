import { describe, expect, it } from 'vitest';
import { BOOKING_STATUSES } from '../../../core/scheduling/schedule';
import { bookingColours, ownColours, paletteColour, PALETTE, STATUS_COLOURS, STATUS_TAG_COLOURS, tint } from './calendar-colours';

const booking = { status: 'confirmed', serviceId: 'svc-1', serviceColour: '#ff0000', resourceIds: ['r-1'] };

describe('event colours', () => {
  it('gives every status its own colour, on the calendar and as a tag', () => {
    const borders = BOOKING_STATUSES.map((s) => STATUS_COLOURS[s].border);
    expect(new Set(borders).size).toBe(BOOKING_STATUSES.length);
    for (const s of BOOKING_STATUSES) expect(STATUS_TAG_COLOURS[s]).toBeTruthy();
  });

  it('colours by status, service or resource as chosen', () => {
    expect(bookingColours('status', booking, () => null)).toEqual(STATUS_COLOURS.confirmed);
    expect(bookingColours('service', booking, () => null)).toEqual({ background: tint('#ff0000', 0.82), border: '#ff0000', text: '#1f1f1f' });
    expect(bookingColours('resource', booking, (id) => (id === 'r-1' ? '#00ff00' : null)).border).toBe('#00ff00');
  });

  it('keeps cancelled and no-show bookings grey and red in every mode', () => {
    for (const mode of ['status', 'service', 'resource'] as const) {
      expect(bookingColours(mode, { ...booking, status: 'cancelled' }, () => '#00ff00')).toEqual(STATUS_COLOURS.cancelled);
      expect(bookingColours(mode, { ...booking, status: 'noShow' }, () => '#00ff00')).toEqual(STATUS_COLOURS.noShow);
    }
  });

  it('gives records without a colour a stable palette colour', () => {
    expect(paletteColour('abc')).toBe(paletteColour('abc'));
    expect(PALETTE).toContain(paletteColour('xyz'));
    expect(ownColours(null, 'abc').border).toBe(paletteColour('abc'));
    expect(ownColours('not a colour', 'abc').border).toBe(paletteColour('abc'));
  });

  it('tints towards white', () => {
    expect(tint('#000000', 0)).toBe('#000000');
    expect(tint('#000000', 1)).toBe('#ffffff');
    expect(tint('#0f766e', 0.5)).toBe('#87bbb7');
  });
});
