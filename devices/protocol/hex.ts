/**
 * Hex helpers for byte-level code: golden tests write expected bytes as hex literals, and drivers
 * log what went over the wire in the same notation ("1B 40 1C 26").
 */

/** Upper-case hex bytes separated by single spaces: `toHex([0x1b, 0x40])` is `"1B 40"`. */
export function toHex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/**
 * Parses hex bytes written with any spacing ("1B40", "1b 40", "1B 40 | 0A"); everything that is
 * not a hex digit is ignored, so comments such as `|` can separate fields.
 */
export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/[^0-9a-fA-F]/g, '');
  if (digits.length % 2 !== 0) throw new RangeError(`odd number of hex digits in "${text}"`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
