/**
 * Waiting with a deadline in tests: poll a condition until it holds, or bound a promise.
 * The one place tests wait on real time; each names what it waits for, so a timeout says
 * what never happened.
 */

/** How long {@link until} and {@link within} wait, milliseconds. */
export interface WaitOptions {
  /** Give up after this many milliseconds (default 5000). */
  timeout?: number;
  /** Milliseconds between two checks of {@link until} (default 10; 0 = next macrotask). */
  interval?: number;
}

/** `T` without the falsy values {@link until} never returns. */
export type Truthy<T> = Exclude<T, null | undefined | false | 0 | "">;

const TIMEOUT_MS = 5000;
const INTERVAL_MS = 10;

/**
 * Polls `check` until it gives a truthy value and returns that value; throws an Error
 * naming `what` once `timeout` passes. An error thrown by `check` ends the wait at once.
 *
 * @example
 * ```ts
 * import { assert, assertRejects } from "./assert.ts";
 *
 * let n = 0;
 * const t = setInterval(() => n++, 1);
 * const seen = await until(() => (n >= 3 ? n : 0), "three ticks"); // the truthy value
 * clearInterval(t);
 * assert(seen >= 3);
 * await assertRejects(() => until(() => false, "nothing", { timeout: 20 }), Error, "nothing");
 * ```
 */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  options: WaitOptions = {},
): Promise<Truthy<T>> {
  const timeout = options.timeout ?? TIMEOUT_MS;
  const interval = options.interval ?? INTERVAL_MS;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Resolves as `promise` does, or throws an Error naming `what` if it has not settled
 * within `timeout`; the timer is always cleared.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * assertEquals(await within(Promise.resolve(1), "the answer"), 1);
 * ```
 */
export async function within<T>(
  promise: Promise<T>,
  what: string,
  options: Pick<WaitOptions, "timeout"> = {},
): Promise<T> {
  const timeout = options.timeout ?? TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${timeout} ms waiting for ${what}`)),
      timeout,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
