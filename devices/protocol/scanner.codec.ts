/**
 * Serial barcode / QR scanners (RS-232 or USB-COM mode): each read arrives as the code's bytes
 * followed by a configured suffix, CR (0D), LF (0A) or CR LF. `LineFramer` turns the byte stream
 * into codes, whatever the chunking.
 *
 * - terminator `any` (the default) ends a code at CR or at LF; since empty lines are ignored,
 *   CR LF gives one code, even when CR and LF arrive in different chunks. `CR` or `LF` alone lets
 *   the other byte be part of a code (multi-line QR contents); `CRLF` ends only at CR LF.
 * - A code longer than `maxLength` bytes (default 4096) is a stuck or misconfigured scanner: the
 *   partial is dropped with an `overflow` event and the rest up to the next terminator ignored.
 * - `prefix` / `suffix` (configured on many scanners, e.g. an AIM identifier like "]Q1") are
 *   removed when present. A code that is empty after that is ignored.
 * - Bytes are decoded as UTF-8 by default; Chinese scanners set to GBK output need `gb18030`.
 *   Other control bytes are kept: GS (1D) separates GS1 fields.
 */
import iconv from 'iconv-lite';
import { AppError } from '../../core/errors';

const CR = 0x0d;
const LF = 0x0a;

export type LineTerminator = 'any' | 'CR' | 'LF' | 'CRLF';
export type ScannerEncoding = 'utf8' | 'gb18030' | 'latin1';

export interface LineFramerOptions {
  terminator?: LineTerminator;
  maxLength?: number;
  encoding?: ScannerEncoding;
  prefix?: string;
  suffix?: string;
}

export type ScanEvent = { kind: 'code'; code: string } | { kind: 'overflow'; droppedBytes: number };

export const DEFAULT_MAX_CODE_BYTES = 4096;

export class LineFramer {
  readonly #terminator: LineTerminator;
  readonly #maxLength: number;
  readonly #encoding: ScannerEncoding;
  readonly #prefix: string;
  readonly #suffix: string;
  #line: number[] = [];
  #discarding = false;
  /** CRLF mode: a CR was seen and the next byte decides whether it ends the code. */
  #pendingCr = false;

  constructor(options: LineFramerOptions = {}) {
    this.#terminator = options.terminator ?? 'any';
    this.#maxLength = options.maxLength ?? DEFAULT_MAX_CODE_BYTES;
    if (!Number.isInteger(this.#maxLength) || this.#maxLength < 1) {
      throw new AppError('INVALID', 'errors.device.invalidArgument', { name: 'maxLength', value: this.#maxLength });
    }
    this.#encoding = options.encoding ?? 'utf8';
    this.#prefix = options.prefix ?? '';
    this.#suffix = options.suffix ?? '';
  }

  push(chunk: Uint8Array): ScanEvent[] {
    const events: ScanEvent[] = [];
    for (const b of chunk) {
      switch (this.#terminator) {
        case 'any':
          if (b === CR || b === LF) this.#end(events);
          else this.#append(b, events);
          break;
        case 'CR':
          if (b === CR) this.#end(events);
          else this.#append(b, events);
          break;
        case 'LF':
          if (b === LF) this.#end(events);
          else this.#append(b, events);
          break;
        case 'CRLF':
          if (this.#pendingCr) {
            this.#pendingCr = false;
            if (b === LF) {
              this.#end(events);
              break;
            }
            this.#append(CR, events);
          }
          if (b === CR) this.#pendingCr = true;
          else this.#append(b, events);
          break;
      }
    }
    return events;
  }

  /** Forget a partial code (e.g. after the port reconnects). */
  reset(): void {
    this.#line = [];
    this.#discarding = false;
    this.#pendingCr = false;
  }

  #append(b: number, events: ScanEvent[]): void {
    if (this.#discarding) return;
    this.#line.push(b);
    if (this.#line.length > this.#maxLength) {
      events.push({ kind: 'overflow', droppedBytes: this.#line.length });
      this.#line = [];
      this.#discarding = true;
    }
  }

  #end(events: ScanEvent[]): void {
    const bytes = this.#line;
    const discarding = this.#discarding;
    this.#line = [];
    this.#discarding = false;
    if (discarding || bytes.length === 0) return;
    let code = iconv.decode(Buffer.from(bytes), this.#encoding, { stripBOM: false });
    if (this.#prefix !== '' && code.startsWith(this.#prefix)) code = code.slice(this.#prefix.length);
    if (this.#suffix !== '' && code.endsWith(this.#suffix)) code = code.slice(0, code.length - this.#suffix.length);
    if (code !== '') events.push({ kind: 'code', code });
  }
}
