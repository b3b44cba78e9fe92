/**
 * For property tests of streaming decoders: a fast-check arbitrary that cuts a byte stream into
 * chunks at arbitrary points (including empty chunks), as a serial port or socket may deliver it.
 * Test-only; nothing in the app imports it.
 */
import fc from 'fast-check';

export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.slice(from, p));
    from = p;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

/** Arbitrary chunkings of a given stream. */
export function chunkings(bytes: Uint8Array): fc.Arbitrary<Uint8Array[]> {
  return fc.array(fc.nat(bytes.length), { maxLength: Math.max(1, bytes.length) }).map((cuts) => splitAt(bytes, cuts));
}
