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

  /** Moves `ms` forward and wakes the sleeps that are due. */
  advance(ms: number): void {
    this.set(this.#now + ms);
  }

  /** When the earliest waiting sleep ends, or undefined when none waits. */
  get nextDeadline(): number | undefined {
    let at: number | undefined;
    for (const s of this.#sleeps) if (at === undefined || s.at < at) at = s.at;
    return at;
  }

  /**
   * Lets the code under test run, jumping from deadline to deadline, until `promise`
   * settles; returns its value. Throws a RangeError naming `what` after `maxTurns`
   * macrotask turns, so a test that never settles fails instead of hanging.
   *
   * @example
   * ```ts
   * import { assertEquals } from "./assert.ts";
   *
   * const clock = new FakeClock();
   * await clock.runUntil(clock.sleep(60_000), "a minute"); // at once: time jumps to the deadline
   * assertEquals(clock.now(), 60000);
   * ```
   */
  async runUntil<T>(promise: Promise<T>, what: string, maxTurns = 10_000): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => (settled = true));
    watched.catch(() => {});
    for (let turn = 0; turn < maxTurns; turn++) {
      await new Promise((r) => setTimeout(r, 0));
      if (settled) return await watched;
      const at = this.nextDeadline;
      if (at !== undefined) this.set(Math.max(at, this.#now));
    }
    throw new RangeError(`Cannot settle ${what}: still pending after ${maxTurns} turns`);
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

  /** A clock starting at `start` milliseconds. */
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
