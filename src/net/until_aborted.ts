/**
 * The receive loop every socket input shares: iterate a listener or receiver until the
 * input's signal aborts (which closes it, so its iteration ends after what it already read),
 * and close it however the loop ends.
 */

/** Something that yields what it receives and stops when closed. */
export interface ClosableSource<T> extends AsyncIterable<T> {
  /** Stops receiving; iteration ends after what was already read. */
  close(): Promise<void>;
}

/**
 * Yields what `source` receives until `signal` aborts; closes `source` at the end either way.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const items = [1, 2, 3];
 * let closed = false;
 * const source = {
 *   async *[Symbol.asyncIterator]() {
 *     while (!closed && items.length > 0) yield items.shift()!;
 *   },
 *   close: async () => void (closed = true),
 * };
 * const seen: number[] = [];
 * for await (const n of untilAborted(source, new AbortController().signal)) seen.push(n);
 * assertEquals([seen, closed], [[1, 2, 3], true]);
 * ```
 */
export async function* untilAborted<T>(
  source: ClosableSource<T>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const stop = () => void source.close();
  signal.addEventListener("abort", stop, { once: true });
  if (signal.aborted) stop();
  try {
    yield* source;
  } finally {
    signal.removeEventListener("abort", stop);
    await source.close();
  }
}
