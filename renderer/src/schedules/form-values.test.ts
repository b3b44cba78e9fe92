import { describe, expect, it } from 'vitest';
import { at } from '../../../core/scheduling/scheduling.fixtures';
import { formatHhmm, hexOfColour, instantOfWall, minorToYuan, parseHhmm, patchOf, placeIssues, wallOfInstant, yuanToMinor } from './form-values';

describe('HH:MM ⇄ minutes', () => {
  it('reads times as a receptionist types them, 24:00 included', () => {
    expect(parseHhmm('09:30')).toBe(570);
    expect(parseHhmm('9:05')).toBe(545);
    expect(parseHhmm(' 17:00 ')).toBe(1020);
    expect(parseHhmm('00:00')).toBe(0);
    expect(parseHhmm('24:00')).toBe(1440);
    // A Chinese input method's full-width colon.
    expect(parseHhmm('14：00')).toBe(840);
  });

  it('refuses what is not a time', () => {
    for (const bad of ['', '9', '9.30', '930', '25:00', '24:30', '12:60', '-1:00', 'noon', '12:5']) expect(parseHhmm(bad)).toBeNull();
  });

  it('writes minutes back as two-digit HH:MM, and round-trips', () => {
    expect(formatHhmm(545)).toBe('09:05');
    expect(formatHhmm(0)).toBe('00:00');
    expect(formatHhmm(1440)).toBe('24:00');
    for (let m = 0; m <= 1440; m += 7) expect(parseHhmm(formatHhmm(m))).toBe(m);
  });
});

describe('yuan ⇄ fen', () => {
  it('reads yuan with up to two decimals into integer fen, without float errors', () => {
    expect(yuanToMinor('120')).toBe(12000);
    expect(yuanToMinor('88.5')).toBe(8850);
    expect(yuanToMinor('88.50')).toBe(8850);
    expect(yuanToMinor('0.07')).toBe(7);
    expect(yuanToMinor('0.1')).toBe(10);
    // 0.29 * 100 is 28.999999999999996 in floating point.
    expect(yuanToMinor('0.29')).toBe(29);
    expect(yuanToMinor('1,280.00')).toBe(128000);
    expect(yuanToMinor('12.')).toBe(1200);
    expect(yuanToMinor('-3')).toBe(-300);
  });

  it('refuses more than two decimals and anything else', () => {
    for (const bad of ['', '12.345', 'abc', '¥12', '1e3', '.5', '12.3.4']) expect(yuanToMinor(bad)).toBeNull();
  });

  it('writes fen as yuan with two decimals, and round-trips', () => {
    expect(minorToYuan(8850)).toBe('88.50');
    expect(minorToYuan(7)).toBe('0.07');
    expect(minorToYuan(0)).toBe('0.00');
    expect(minorToYuan(-250)).toBe('-2.50');
    for (const fen of [0, 1, 99, 100, 12345, 999999]) expect(yuanToMinor(minorToYuan(fen))).toBe(fen);
  });
});

describe('site-local date and time ⇄ instant', () => {
  it('reads a wall time in the site zone, not the PC zone', () => {
    expect(instantOfWall('2026-11-23 09:00', 'Asia/Shanghai')).toBe(at('2026-11-23', '09:00', 'Asia/Shanghai'));
    expect(instantOfWall('2026-11-23 09:00', 'Europe/Berlin')).toBe(at('2026-11-23', '09:00', 'Europe/Berlin'));
    expect(wallOfInstant(at('2026-11-23', '18:30', 'Asia/Shanghai'), 'Asia/Shanghai')).toBe('2026-11-23 18:30');
  });

  it('refuses dates that do not exist and malformed input', () => {
    expect(instantOfWall('2026-02-30 09:00', 'Asia/Shanghai')).toBeNull();
    expect(instantOfWall('2026-11-23', 'Asia/Shanghai')).toBeNull();
    expect(instantOfWall('2026-11-23 24:00', 'Asia/Shanghai')).toBeNull();
    expect(instantOfWall('', 'Asia/Shanghai')).toBeNull();
  });
});

describe('placeIssues', () => {
  it('maps schema paths through the longest alias and keeps the rest of the path', () => {
    const errors = placeIssues(
      [
        { path: ['patch', 'openingHours', 3, 'end'], key: 'errors.schedule.endBeforeStart' },
        { path: ['patch', 'openingHours', 4], key: 'errors.schedule.overlap' },
        { path: ['patch', 'holdMinutes'], key: 'errors.site.holdMinutes' },
      ],
      [
        { from: ['openingHours', 3], to: 'hours.0.1' },
        { from: ['openingHours', 4], to: 'hours.1.0' },
      ],
      ['patch'],
    );
    expect(errors).toEqual({
      'hours.0.1.end': { key: 'errors.schedule.endBeforeStart' },
      'hours.1.0': { key: 'errors.schedule.overlap' },
      holdMinutes: { key: 'errors.site.holdMinutes' },
    });
  });

  it('keeps the first message of a place', () => {
    const errors = placeIssues(
      [
        { path: ['name'], key: 'errors.name.required' },
        { path: ['name'], key: 'errors.name.tooLong' },
      ],
      [],
    );
    expect(errors).toEqual({ name: { key: 'errors.name.required' } });
  });
});

describe('patchOf', () => {
  it('holds only the fields that changed, arrays and objects compared by value', () => {
    const was = { name: 'Yoga', seats: 12, kinds: ['coach', 'studio'], price: { amountMinor: 8800, currency: 'CNY' } };
    expect(patchOf(was, { ...was, kinds: ['coach', 'studio'], price: { amountMinor: 8800, currency: 'CNY' } })).toEqual({});
    expect(patchOf(was, { ...was, seats: 10, price: { amountMinor: 9900, currency: 'CNY' } })).toEqual({ seats: 10, price: { amountMinor: 9900, currency: 'CNY' } });
  });
});

describe('hexOfColour', () => {
  it('keeps #rrggbb and reads a cleared picker as no colour', () => {
    expect(hexOfColour({ toHexString: () => '#1677ff' })).toBe('#1677ff');
    expect(hexOfColour({ toHexString: () => '#1677ff80' })).toBe('#1677ff');
    expect(hexOfColour({ cleared: true, toHexString: () => '#00000000' })).toBeNull();
    expect(hexOfColour(null)).toBeNull();
  });
});
