/**
 * Metadata lookups with a cache, one request per key at a time, and a bounded wait: a
 * chunk waits at most `waitMs` for its pod's metadata, then passes without it while the
 * request goes on and fills the cache for later chunks. A failed key is not asked again
 * before its backoff (1 s doubling to 30 s) ends, and while the API is unreachable (network
 * error, timeout, 5xx, 429) no key waits: records are never held for long, never dropped.
 */
import { MetaCache } from "./cache.ts";

/** Why a lookup gave nothing. */
export type MissReason = "failed" | "timeout" | "backoff";

/** A load's result: a value to cache, or a failure. */
export type Fetched<V> =
  | { ok: true; value: V }
  | { ok: false; reason: string; status?: number; unreachable: boolean };

/** How lookups behave. */
export interface LookupOptions {
  /** Most entries cached. */
  capacity: number;
  /** Cache TTL in seconds (0 = none). */
  ttlSeconds: number;
  /** Longest a chunk waits for a load, in ms. */
  waitMs: number;
  /** The clock, in ms. */
  now?: () => number;
}

/** The shared state of the API being reachable, for every lookup kind. */
export class ApiHealth {
  #downUntil = 0;
  #failures = 0;

  /** True while the API is known unreachable. */
  down(now: number): boolean {
    return now < this.#downUntil;
  }

  /** Notes a request that could not reach the API. */
  unreachable(now: number): void {
    this.#failures++;
    this.#downUntil = now + backoffMs(this.#failures);
  }

  /** Notes an answer from the API. */
  reached(): void {
    this.#failures = 0;
    this.#downUntil = 0;
  }
}

function backoffMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(5, Math.max(0, failures - 1)));
}

const TIMED_OUT = Symbol("timed out");

/** Cached lookups of one kind (pods, or namespaces). */
export class Lookups<V> {
  #cache: MetaCache<V>;
  #pending = new Map<string, Promise<V | null>>();
  #failed = new Map<string, { until: number; failures: number }>();
  #options: LookupOptions;
  #now: () => number;
  #health: ApiHealth;

  /** Lookups sharing `health` with the other kinds. */
  constructor(options: LookupOptions, health: ApiHealth) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#cache = new MetaCache<V>(options.capacity, options.ttlSeconds, this.#now);
    this.#health = health;
  }

  /** Entries cached. */
  get size(): number {
    return this.#cache.size;
  }

  /** The cached value of `key` without fetching. */
  cached(key: string): V | undefined {
    return this.#cache.get(key);
  }

  /**
   * The value of `key`: from the cache, else from `load` (awaited at most `waitMs`), or
   * the reason there is none. `onFailure` hears each failed load (with the HTTP status of
   * an answer that was not 200).
   */
  async get(
    key: string,
    load: () => Promise<Fetched<V>>,
    onFailure: (reason: string, status?: number) => void,
  ): Promise<V | MissReason> {
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    const now = this.#now();
    const failed = this.#failed.get(key);
    if (failed && now < failed.until) return "backoff";
    let pending = this.#pending.get(key);
    if (!pending) {
      if (this.#health.down(now)) return "backoff";
      pending = this.#start(key, load, onFailure);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.#options.waitMs);
    });
    try {
      const v = await Promise.race([pending, timeout]);
      if (v === TIMED_OUT) {
        this.#fail(key, this.#now());
        this.#health.unreachable(this.#now());
        return "timeout";
      }
      return v === null ? "failed" : v;
    } finally {
      clearTimeout(timer);
    }
  }

  #start(
    key: string,
    load: () => Promise<Fetched<V>>,
    onFailure: (reason: string, status?: number) => void,
  ): Promise<V | null> {
    const run = (async () => {
      let r: Fetched<V>;
      try {
        r = await load();
      } catch (e) {
        r = { ok: false, reason: String(e), unreachable: true };
      }
      const now = this.#now();
      if (r.ok) {
        this.#health.reached();
        this.#failed.delete(key);
        this.#cache.set(key, r.value);
        return r.value;
      }
      if (r.unreachable) this.#health.unreachable(now);
      else this.#health.reached();
      this.#fail(key, now);
      onFailure(r.reason, r.status);
      return null;
    })();
    this.#pending.set(key, run);
    run.finally(() => this.#pending.delete(key));
    return run;
  }

  #fail(key: string, now: number): void {
    const failures = (this.#failed.get(key)?.failures ?? 0) + 1;
    if (this.#failed.size >= 4096) this.#failed.clear();
    this.#failed.set(key, { until: now + backoffMs(failures), failures });
  }
}
