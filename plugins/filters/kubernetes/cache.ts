/**
 * The metadata cache: one entry per pod (or namespace), at most `capacity` entries (Fluent
 * Bit's table holds 256), the oldest evicted first when full, and entries older than
 * `ttl` seconds dropped on read when a TTL is set.
 */

/** A bounded map with an optional age limit. */
export class MetaCache<V> {
  #capacity: number;
  #ttlMs: number;
  #now: () => number;
  #entries = new Map<string, { value: V; at: number }>();

  /** A cache of `capacity` entries; `ttlSeconds` 0 keeps entries until evicted. */
  constructor(capacity: number, ttlSeconds: number, now: () => number = Date.now) {
    this.#capacity = Math.max(1, capacity);
    this.#ttlMs = ttlSeconds * 1000;
    this.#now = now;
  }

  /**
   * The value of `key`, or undefined when absent or expired.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../../../src/testing/assert.ts";
   *
   * let now = 0;
   * const cache = new MetaCache<string>(2, 10, () => now);
   * cache.set("a", "1");
   * cache.set("b", "2");
   * cache.set("c", "3");
   * assertEquals([cache.get("a"), cache.get("b"), cache.size], [undefined, "2", 2]);
   * now = 11_000;
   * assertEquals(cache.get("b"), undefined);
   * ```
   */
  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (this.#ttlMs > 0 && this.#now() - e.at > this.#ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Stores `value` under `key`, evicting the oldest entry when full. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, at: this.#now() });
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
