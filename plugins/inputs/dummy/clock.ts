/** The dummy input's clock: monotonic time and abortable sleeps, injectable for tests. */

/** Monotonic time and sleeps, as the dummy input's schedule uses them. */
export interface Clock {
  /** Monotonic milliseconds (fractions allowed). */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal.addEventListener("abort", done, { once: true });
    });
  },
};

/** A clock whose sleeps advance its time at once: a schedule runs without waiting. */
export class FakeClock implements Clock {
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

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (!signal.aborted) this.#now += Math.max(0, ms);
    return Promise.resolve();
  }
}
