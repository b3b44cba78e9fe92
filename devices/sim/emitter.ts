/**
 * Typed events for the simulators: `sim.on('ticket', (t) => …)` returns an unsubscribe function.
 * Listener exceptions are isolated as in devices/transport (rethrown on a microtask).
 */
import { Listeners } from '../transport/transport';

export class Emitter<E extends object> {
  readonly #listeners: { [K in keyof E]?: Listeners<E[K]> } = {};

  on<K extends keyof E>(event: K, listener: (value: E[K]) => void): () => void {
    const list = (this.#listeners[event] ??= new Listeners<E[K]>());
    return list.add(listener);
  }

  /** Resolves with the next event of this kind (or rejects after `timeoutMs`). */
  next<K extends keyof E>(event: K, timeoutMs = 10_000, filter: (value: E[K]) => boolean = () => true): Promise<E[K]> {
    return new Promise<E[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${String(event)} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(event, (value) => {
        if (!filter(value)) return;
        clearTimeout(timer);
        off();
        resolve(value);
      });
    });
  }

  protected emit<K extends keyof E>(event: K, value: E[K]): void {
    this.#listeners[event]?.emit(value);
  }
}
