/**
 * A clock for tests of stages that wait on deadlines: it only moves when told, and
 * sleeps resolve once it passes their end.
 */
import type { Clock } from "../engine/clock.ts";

/** A clock that only moves when told; sleeps resolve as `set` passes their deadline. */
export class FakeClock implements Clock {
  #now = 0;
  #sleeps = new Set<{ at: number; resolve: () => void }>();

  now = (): number => this.#now;

  sleep(ms: number): { promise: Promise<void>; cancel(): void } {
    let entry!: { at: number; resolve: () => void };
    const promise = new Promise<void>((resolve) => (entry = { at: this.#now + ms, resolve }));
    this.#sleeps.add(entry);
    if (ms <= 0) this.#fire();
    return { promise, cancel: () => this.#sleeps.delete(entry) };
  }

  /** Moves to `ms` and wakes the sleeps that are due. */
  set(ms: number): void {
    this.#now = ms;
    this.#fire();
  }

  /** How many sleeps are waiting. */
  get sleeping(): number {
    return this.#sleeps.size;
  }

  #fire(): void {
    for (const s of this.#sleeps) {
      if (s.at <= this.#now) {
        this.#sleeps.delete(s);
        s.resolve();
      }
    }
  }
}
