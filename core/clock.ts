/**
 * Time source. core/ never reads the wall clock itself: the host, the server and tests pass one in,
 * so domain rules are deterministic under test and simulation.
 * Instants are UTC epoch milliseconds (see ARCHITECTURE.md, Conventions).
 */
export interface Clock {
  now(): number;
}

/** A clock that only moves when told to: for tests and deterministic simulations. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
