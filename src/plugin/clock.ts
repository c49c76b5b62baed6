/**
 * The one clock of sluice: monotonic milliseconds and abortable sleeps. The engine gives it
 * to every plugin as `ctx.clock`; tests give a fake one so time moves by hand.
 */

/** A monotonic millisecond clock with abortable sleeps. */
export interface Clock {
  /** Monotonic milliseconds (fractions allowed). */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener("abort", done, { once: true });
    });
  },
};

const CANCELLED = new Error("timer cancelled");

/** What {@link nextOrTimer} gives when the deadline came first. */
export const TIMER: unique symbol = Symbol("timer");

/**
 * Waits for `next` or until `deadline` (clock milliseconds), whichever is first; with
 * no deadline, just `next`. The timer is always cancelled.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const ready = Promise.resolve<IteratorResult<string>>({ done: false, value: "line" });
 * assertEquals(await nextOrTimer(ready, realClock.now() + 60_000, realClock), {
 *   done: false,
 *   value: "line",
 * }); // the 60 s timer is cancelled
 * let release = (_: IteratorResult<string>): void => {};
 * const pending = new Promise<IteratorResult<string>>((resolve) => (release = resolve));
 * assertEquals(await nextOrTimer(pending, realClock.now(), realClock), TIMER);
 * release({ done: true, value: undefined });
 * ```
 */
export async function nextOrTimer<T>(
  next: Promise<IteratorResult<T>>,
  deadline: number | undefined,
  clock: Clock,
): Promise<IteratorResult<T> | typeof TIMER> {
  if (deadline === undefined) return await next;
  const cancel = new AbortController();
  const timer = clock.sleep(Math.max(0, deadline - clock.now()), cancel.signal);
  try {
    return await Promise.race([next, timer.then((): typeof TIMER => TIMER)]);
  } finally {
    cancel.abort(CANCELLED); // a reason of our own: abort() alone builds a DOMException
  }
}
