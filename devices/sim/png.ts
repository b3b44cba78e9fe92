/**
 * A minimal PNG encoder for 1-bit bitmaps (no canvas package needed): signature, IHDR (greyscale,
 * bit depth 1), one IDAT with the rows deflated by node:zlib (filter type 0 per row), IEND. Each
 * chunk ends with the CRC-32 (ISO-HDLC: polynomial 0xEDB88320 reflected, init and final XOR
 * 0xFFFFFFFF) of its type and data.
 */
import { deflateSync } from 'node:zlib';

/** A black-and-white image; `pixels[y * width + x]` is 1 for a black (printed) dot. */
export class Bitmap {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height);
  }

  set(x: number, y: number): void {
    if (x >= 0 && y >= 0 && x < this.width && y < this.height) this.pixels[y * this.width + x] = 1;
  }

  get(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height && this.pixels[y * this.width + x] === 1;
  }

  fill(x: number, y: number, w: number, h: number): void {
    for (let j = Math.max(0, y); j < Math.min(this.height, y + h); j++) {
      for (let i = Math.max(0, x); i < Math.min(this.width, x + w); i++) this.pixels[j * this.width + i] = 1;
    }
  }

  /** A rectangle outline `t` dots thick. */
  frame(x: number, y: number, w: number, h: number, t = 1): void {
    this.fill(x, y, w, t);
    this.fill(x, y + h - t, w, t);
    this.fill(x, y, t, h);
    this.fill(x + w - t, y, t, h);
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)) >>> 0;
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function encodePng(bitmap: Bitmap): Buffer {
  const { width, height } = bitmap;
  if (width < 1 || height < 1) throw new RangeError('a PNG needs at least one pixel');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering (each row says type 0, none)
  ihdr[12] = 0; // no interlace
  const rowBytes = Math.ceil(width / 8);
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (rowBytes + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      // Greyscale 1-bit: 1 is white. Paper is white, dots are black.
      if (bitmap.pixels[y * width + x] === 0) raw[row + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
