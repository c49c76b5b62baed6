/**
 * Waiting on a read or an abort, whichever comes first: what a pull input does at each
 * read of a stream it does not own (a child's stdout, the process's stdin).
 */

/** What {@link orAbort} gives when the signal aborted first. */
export const ABORTED: unique symbol = Symbol("aborted");

/**
 * `read`'s value, or ABORTED once `signal` aborts (a read that completed first wins). A
 * listener per call, removed when the read settles, so long runs of reads keep nothing
 * alive.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const stop = new AbortController();
 * assertEquals(await orAbort(Promise.resolve("line"), stop.signal), "line");
 * const never = new Promise<string>(() => {});
 * const waiting = orAbort(never, stop.signal);
 * stop.abort();
 * assertEquals(await waiting, ABORTED);
 * ```
 */
export function orAbort<T>(read: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    read.then((value) => {
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    }, (e) => {
      signal.removeEventListener("abort", onAbort);
      reject(e);
    });
  });
}
