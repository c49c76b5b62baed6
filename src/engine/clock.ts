/**
 * The clock stages that hold records back (multiline, tail sampling) read and sleep
 * on, injectable so tests move time by hand instead of sleeping; and the race of an
 * upstream chunk against the next deadline those stages all need.
 */

/** A monotonic millisecond clock with cancellable sleeps. */
export interface Clock {
  now(): number;
  sleep(ms: number): { promise: Promise<void>; cancel(): void };
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms: number) {
    let id: ReturnType<typeof setTimeout> | undefined;
    const promise = new Promise<void>((resolve) => (id = setTimeout(resolve, ms)));
    return { promise, cancel: () => clearTimeout(id) };
  },
};

/** What {@link nextOrTimer} gives when the deadline came first. */
export const TIMER: unique symbol = Symbol("timer");

/**
 * Waits for `next` or until `deadline` (clock milliseconds), whichever is first; with
 * no deadline, just `next`. The timer is always cancelled.
 *
 * @example
 * ```ts
 * const r = await nextOrTimer(it.next(), stage.nextDeadline(), realClock);
 * if (r === TIMER) flushExpired();
 * ```
 */
export async function nextOrTimer<T>(
  next: Promise<IteratorResult<T>>,
  deadline: number | undefined,
  clock: Clock,
): Promise<IteratorResult<T> | typeof TIMER> {
  if (deadline === undefined) return await next;
  const timer = clock.sleep(Math.max(0, deadline - clock.now()));
  try {
    return await Promise.race([next, timer.promise.then((): typeof TIMER => TIMER)]);
  } finally {
    timer.cancel();
  }
}
