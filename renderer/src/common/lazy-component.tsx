/**
 * A component whose code is loaded on first use, or earlier with `load()` (a page's code while
 * the app boots, a drawer's once the screen is idle). Unlike React.lazy, a component whose code
 * has already arrived renders at once instead of suspending for a tick. That matters more than
 * the tick: React holds back the reveal of suspended content until 300 ms after its fallback was
 * shown. Only a component still loading suspends (to the nearest Suspense boundary).
 */
import { use, type ComponentType } from 'react';

export interface LazyComponent<P> {
  Component: ComponentType<P>;
  /** Starts loading the code (once); resolves when it is there. */
  load(): Promise<unknown>;
}

export function lazyComponent<P extends object>(importComponent: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const load = () => {
    loading ??= importComponent().then(
      (component) => (loaded = component),
      (error: unknown) => {
        // The next render or load() tries again.
        loading = null;
        throw error;
      },
    );
    return loading;
  };
  function Component(props: P) {
    const Loaded = loaded ?? use(load());
    return <Loaded {...props} />;
  }
  return { Component, load };
}

/** Runs `task` once the browser is idle, at least `afterMs` from now; returns a cancel function. */
export function whenIdle(task: () => void, afterMs: number): () => void {
  let idle: number | null = null;
  const timer = setTimeout(() => (idle = requestIdleCallback(task)), afterMs);
  return () => {
    clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
  };
}
