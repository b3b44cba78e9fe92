/**
 * Recognising a keyboard-wedge scanner (a USB scanner that types the code as keystrokes) by the
 * timing of the keys, without taking a receptionist's typing. Pure: it is fed key events
 * ({ key, timeStamp } as in a DOM KeyboardEvent, timeStamps in ms on one clock) and answers with
 * decisions; the renderer acts on them.
 *
 * A scan is a burst: at least `minLength` characters, each less than `maxGapMs` after the one
 * before, ended by Enter less than `endTimeoutMs` after the last character. People do not type
 * like that (even fast typists leave 80 ms and more between keys); scanners send a key every few
 * milliseconds.
 *
 * Because the first characters of a burst look like anyone's first keystroke, every character is
 * held ('buffer') until it is clear what it is. Held characters are handed back ('release') as
 * soon as the burst breaks: a key after too long a gap, a key that is not a character (Backspace,
 * Tab, arrows, IME 'Process'), a shortcut (Ctrl/Alt/Meta), an Enter that does not end a scan, or
 * the deadline passing (`deadline`, then `flush(now)`). A human keystroke is therefore delayed by
 * at most max(maxGapMs, endTimeoutMs) and reaches the field unchanged and in order.
 *
 * Decisions for one pushed key, in order: first a 'release' of older held keys if the new key
 * breaks their burst, then the new key's own: 'buffer' (hold it), 'pass' (let it through now),
 * or 'scan' (this Enter ended a scan: swallow it and the held keys, the code is in the decision).
 * Modifier keys alone (Shift for an upper-case letter, which scanners send too) are passed and do
 * not count as keys or break a burst.
 */

export interface KeyInput {
  /** KeyboardEvent.key: a character, or a name such as 'Enter', 'Shift', 'Backspace'. */
  key: string;
  /** KeyboardEvent.timeStamp (ms). */
  timeStamp: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export type WedgeDecision =
  /** Let this key through. */
  | { kind: 'pass' }
  /** Hold this key back (preventDefault): it may be part of a scan. */
  | { kind: 'buffer' }
  /** The held keys and this Enter were a scan: swallow them; `code` is what was scanned. */
  | { kind: 'scan'; code: string }
  /** The held keys were typing after all: insert them into the field, in this order. */
  | { kind: 'release'; keys: KeyInput[] };

export interface KeyboardWedgeOptions {
  /** A character less than this after the previous one continues a burst. Default 30 ms. */
  maxGapMs?: number;
  /** Characters a scan has at least. Default 6. */
  minLength?: number;
  /** Enter must come less than this after the last character. Default 50 ms. */
  endTimeoutMs?: number;
  /** Keys that end a scan. Default ['Enter']. */
  terminators?: readonly string[];
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'OS', 'Hyper', 'Super']);

export class KeyboardWedgeDetector {
  readonly #maxGapMs: number;
  readonly #minLength: number;
  readonly #endTimeoutMs: number;
  readonly #terminators: ReadonlySet<string>;
  #held: KeyInput[] = [];

  constructor(options: KeyboardWedgeOptions = {}) {
    this.#maxGapMs = options.maxGapMs ?? 30;
    this.#minLength = options.minLength ?? 6;
    this.#endTimeoutMs = options.endTimeoutMs ?? 50;
    this.#terminators = new Set(options.terminators ?? ['Enter']);
  }

  /** Keys held back now. */
  get held(): readonly KeyInput[] {
    return this.#held;
  }

  /**
   * When the held keys must be released if nothing else arrives (call `flush` then), or
   * undefined when nothing is held.
   */
  get deadline(): number | undefined {
    const last = this.#held[this.#held.length - 1];
    if (last === undefined) return undefined;
    // Too short to be a scan yet: only another character can keep it alive.
    const wait = this.#held.length >= this.#minLength ? Math.max(this.#maxGapMs, this.#endTimeoutMs) : this.#maxGapMs;
    return last.timeStamp + wait;
  }

  push(event: KeyInput): WedgeDecision[] {
    if (MODIFIERS.has(event.key)) return [{ kind: 'pass' }];
    const out: WedgeDecision[] = [];
    const last = this.#held[this.#held.length - 1];
    const gap = last === undefined ? Infinity : Math.max(0, event.timeStamp - last.timeStamp);
    const shortcut = event.ctrlKey === true || event.altKey === true || event.metaKey === true;

    if (!shortcut && this.#terminators.has(event.key)) {
      if (this.#held.length >= this.#minLength && gap < this.#endTimeoutMs) {
        const code = this.#held.map((k) => k.key).join('');
        this.#held = [];
        return [{ kind: 'scan', code }];
      }
      this.#release(out);
      out.push({ kind: 'pass' });
      return out;
    }
    if (!shortcut && isCharacter(event.key)) {
      if (last !== undefined && gap >= this.#maxGapMs) this.#release(out);
      this.#held.push(event);
      out.push({ kind: 'buffer' });
      return out;
    }
    this.#release(out);
    out.push({ kind: 'pass' });
    return out;
  }

  /** Releases the held keys if their deadline has passed at `now`. */
  flush(now: number): WedgeDecision[] {
    const deadline = this.deadline;
    if (deadline === undefined || now < deadline) return [];
    const out: WedgeDecision[] = [];
    this.#release(out);
    return out;
  }

  /** Releases whatever is held (the field lost focus, the window closes). */
  reset(): WedgeDecision[] {
    const out: WedgeDecision[] = [];
    this.#release(out);
    return out;
  }

  #release(out: WedgeDecision[]): void {
    if (this.#held.length === 0) return;
    out.push({ kind: 'release', keys: this.#held });
    this.#held = [];
  }
}

/** One printable character (a code point, so an emoji counts once). */
function isCharacter(key: string): boolean {
  const chars = [...key];
  const code = key.codePointAt(0) ?? 0;
  return chars.length === 1 && code >= 0x20 && code !== 0x7f;
}
