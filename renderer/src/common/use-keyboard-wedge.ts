/**
 * Reading a USB keyboard-wedge scanner (it types the code and presses Enter) in the browser,
 * without taking anyone's typing: core's KeyboardWedgeDetector decides from the timing of the keys,
 * this file acts on its decisions.
 *
 * Keys are watched on `window` in the capture phase, before any field or shortcut sees them. A key
 * the detector holds back has its default prevented and does not propagate (it may be part of a
 * scan); held keys that turn out to be typing are put back into the field they were typed in,
 * in order, through the editing path a user's typing takes (`insertText`, so React's onChange and
 * undo work; a value setter plus an `input` event where that is not available). A scan's Enter is
 * swallowed too, so it submits no form. Keys typed on a button, link or checkbox are not watched:
 * their default action (Space presses the button) cannot be replayed later.
 *
 * The routing of decisions (`WedgeKeyRouter`) and the text splice are pure and unit-tested; the
 * hook is the DOM wiring.
 */
import { useEffect, useEffectEvent } from 'react';
import { KeyboardWedgeDetector, type KeyInput, type KeyboardWedgeOptions } from '../../../core/devices/keyboard-wedge';

export interface WedgeSink {
  /** Typing that was held back: put it where it was typed. */
  insert(text: string): void;
  /** A scanned code. */
  scan(code: string): void;
}

/** Feeds keys to the detector and carries out its decisions on a sink. */
export class WedgeKeyRouter {
  readonly #detector: KeyboardWedgeDetector;
  readonly #sink: WedgeSink;

  constructor(detector: KeyboardWedgeDetector, sink: WedgeSink) {
    this.#detector = detector;
    this.#sink = sink;
  }

  /** Whether anything is held back now. */
  get holding(): boolean {
    return this.#detector.held.length > 0;
  }

  /** When held keys must be released if no key arrives, on the keys' clock. */
  get deadline(): number | undefined {
    return this.#detector.deadline;
  }

  /** Handles one keydown; true when the key's default action and propagation must be stopped. */
  key(event: KeyInput): boolean {
    let swallow = false;
    for (const d of this.#detector.push(event)) {
      if (d.kind === 'release') this.#sink.insert(d.keys.map((k) => k.key).join(''));
      else if (d.kind === 'scan') {
        swallow = true;
        this.#sink.scan(d.code);
      } else if (d.kind === 'buffer') swallow = true;
    }
    return swallow;
  }

  /** Releases held keys whose deadline has passed at `now`. */
  flush(now: number): void {
    for (const d of this.#detector.flush(now)) if (d.kind === 'release') this.#sink.insert(d.keys.map((k) => k.key).join(''));
  }

  /** Releases whatever is held (focus moves, the hook goes away). */
  reset(): void {
    for (const d of this.#detector.reset()) if (d.kind === 'release') this.#sink.insert(d.keys.map((k) => k.key).join(''));
  }
}

/** `value` with `text` typed over the selection [start, end): the new value and caret. */
export function spliceText(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const from = Math.max(0, Math.min(start, value.length));
  const to = Math.max(from, Math.min(end, value.length));
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'tel', 'url', 'email', 'password', 'number', '']);

function isTextField(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement | HTMLElement {
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  if (el instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(el.type) && !el.readOnly && !el.disabled;
  return el instanceof HTMLElement && el.isContentEditable;
}

/** Controls whose keys act at once (Space on a button), so they cannot be held and replayed. */
function isActionControl(el: EventTarget | null): boolean {
  if (!(el instanceof Element) || isTextField(el)) return false;
  return el.closest('button, a[href], select, summary, [role="button"], [role="checkbox"], [role="switch"], [role="radio"], [role="tab"], [role="option"], input') !== null;
}

function insertInto(target: Element | null, text: string): void {
  if (!isTextField(target) || !target.isConnected) return;
  if (document.activeElement === target && document.execCommand('insertText', false, text)) return;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
    // React tracks the value through the prototype's setter; an own-property set would be missed.
    const proto = target instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
    const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    let start = target.value.length;
    let end = start;
    try {
      start = target.selectionStart ?? start;
      end = target.selectionEnd ?? end;
    } catch {
      // type=number has no selection: append.
    }
    const next = spliceText(target.value, start, end, text);
    setter?.call(target, next.value);
    target.dispatchEvent(new Event('input', { bubbles: true }));
    try {
      target.setSelectionRange(next.caret, next.caret);
    } catch {
      // No selection on this input type.
    }
  }
}

export interface UseKeyboardWedgeOptions extends KeyboardWedgeOptions {
  /** Default true. */
  enabled?: boolean;
}

/** Calls `onScan` with each code a keyboard-wedge scanner types while the hook is mounted. */
export function useKeyboardWedge(onScan: (code: string) => void, options: UseKeyboardWedgeOptions = {}): void {
  const deliver = useEffectEvent(onScan);
  const { enabled = true, maxGapMs, minLength, endTimeoutMs } = options;
  useEffect(() => {
    if (!enabled) return;
    // The element the held keys were typed in, to release them there even if focus moved on.
    let target: Element | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const detector = new KeyboardWedgeDetector({
      ...(maxGapMs === undefined ? {} : { maxGapMs }),
      ...(minLength === undefined ? {} : { minLength }),
      ...(endTimeoutMs === undefined ? {} : { endTimeoutMs }),
    });
    const router = new WedgeKeyRouter(detector, {
      insert: (text) => insertInto(target, text),
      scan: (code) => deliver(code),
    });
    const schedule = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const deadline = router.deadline;
      if (deadline === undefined) return;
      timer = setTimeout(
        () => {
          timer = undefined;
          router.flush(performance.now());
          schedule();
        },
        Math.max(0, deadline - performance.now()) + 1,
      );
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      if (isActionControl(e.target)) {
        router.reset();
        schedule();
        return;
      }
      const focused = document.activeElement;
      // Focus moved while keys were held: they belong to the field they were typed in.
      if (router.holding && focused !== target) router.reset();
      if (!router.holding) target = focused;
      const swallow = router.key({ key: e.key, timeStamp: e.timeStamp, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey });
      if (swallow) {
        e.preventDefault();
        e.stopPropagation();
      }
      schedule();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      if (timer !== undefined) clearTimeout(timer);
      router.reset();
    };
  }, [enabled, maxGapMs, minLength, endTimeoutMs]);
}
