/**
 * Remembered decisions (a sluice extension; Fluent Bit forgets a trace once decided
 * and judges its late spans as a new trace): bounded sets of trace IDs kept and
 * dropped, least recently used out first. A drop entry also says whether the trace
 * was evaluated or evicted unevaluated (`drop_oldest`).
 */

/** What is remembered of a trace. */
export type CachedDecision = "keep" | "drop" | "evicted";

/** A bounded least-recently-used map. */
class Lru<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined && this.#map.size > 1) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    if (this.#max === 0) return;
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!);
  }

  delete(key: string): void {
    this.#map.delete(key);
  }
}

/** The keep and drop caches. */
export class DecisionCache {
  readonly #keep: Lru<true>;
  readonly #drop: Lru<boolean>;

  constructor(keepSize: number, dropSize: number) {
    this.#keep = new Lru(keepSize);
    this.#drop = new Lru(dropSize);
  }

  /** The remembered decision for a trace key, if any. */
  get(key: string): CachedDecision | undefined {
    if (this.#keep.get(key)) return "keep";
    const d = this.#drop.get(key);
    if (d === undefined) return undefined;
    return d ? "evicted" : "drop";
  }

  /** Remembers a decision, replacing an older one for the same trace. */
  remember(key: string, decision: CachedDecision): void {
    if (decision === "keep") {
      this.#drop.delete(key);
      this.#keep.set(key, true);
    } else {
      this.#keep.delete(key);
      this.#drop.set(key, decision === "evicted");
    }
  }

  /** How many trace IDs are remembered as kept and as dropped. */
  get sizes(): { keep: number; drop: number } {
    return { keep: this.#keep.size, drop: this.#drop.size };
  }
}
