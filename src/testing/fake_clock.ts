/**
 * A clock for tests of stages that wait on deadlines: it only moves when told, and
 * sleeps resolve once it passes their end.
 */
import type { Clock } from "../plugin/clock.ts";

/** A clock that only moves when told; sleeps resolve as `set` passes their deadline. */
export class FakeClock implements Clock {
  #now = 0;
  #sleeps = new Set<{ at: number; resolve: () => void }>();

  now = (): number => this.#now;

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    let entry!: { at: number; resolve: () => void };
    const promise = new Promise<void>((resolve) => (entry = { at: this.#now + ms, resolve }));
    this.#sleeps.add(entry);
    signal?.addEventListener("abort", () => {
      this.#sleeps.delete(entry);
      entry.resolve();
    }, { once: true });
    if (ms <= 0) this.#fire();
    return promise;
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

/** A clock whose sleeps advance its time at once: a schedule runs without waiting. */
export class SkippingClock implements Clock {
  #now: number;
  /** Every sleep asked for, in milliseconds. */
  readonly sleeps: number[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.#now += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (!signal?.aborted) this.#now += Math.max(0, ms);
    return Promise.resolve();
  }
}
