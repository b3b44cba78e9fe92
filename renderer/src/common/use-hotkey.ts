/**
 * A keyboard shortcut for the whole window. Plain keys (like `/`) are ignored while the user types
 * in a field, so they still type; shortcuts with Alt or Ctrl work everywhere.
 */
import { useEffect, useEffectEvent } from 'react';

export interface Hotkey {
  key: string;
  alt?: boolean;
  ctrlOrMeta?: boolean;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function matchesHotkey(e: KeyboardEvent, { key, alt = false, ctrlOrMeta = false }: Hotkey): boolean {
  // With Alt held, macOS turns letters into other characters, so compare the physical key too.
  const sameKey = e.key.toLowerCase() === key.toLowerCase() || (key.length === 1 && e.code === `Key${key.toUpperCase()}`);
  return sameKey && e.altKey === alt && (e.ctrlKey || e.metaKey) === ctrlOrMeta && !e.isComposing;
}

export function useHotkey(hotkey: Hotkey, handler: () => void, enabled = true): void {
  const onHotkey = useEffectEvent(handler);
  const { key, alt, ctrlOrMeta } = hotkey;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !matchesHotkey(e, { key, alt, ctrlOrMeta })) return;
      if (!alt && !ctrlOrMeta && isTyping(e.target)) return;
      e.preventDefault();
      onHotkey();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, alt, ctrlOrMeta, enabled]);
}
