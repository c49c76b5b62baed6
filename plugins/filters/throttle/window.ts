/**
 * Fluent Bit's throttle window (`filter_throttle/window.c`): a ring of panes keyed by whole
 * seconds, each counting the records kept while it was current, and their total. A tick
 * moves to a new pane (overwriting the oldest) unless one already has this second.
 */

/** One pane: its second and the records kept in it. */
interface Pane {
  ts: number;
  count: number;
}

/**
 * The sliding window of one throttle instance.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const w = new ThrottleWindow(5, 1); // window 5, rate 1
 * w.tick(100);
 * const kept = Array.from({ length: 100 }, () => w.admit()).filter(Boolean).length;
 * assertEquals(kept, 5); // the empty window lets rate × window through at once
 * ```
 */
export class ThrottleWindow {
  readonly size: number;
  readonly rate: number;
  #panes: Pane[];
  #max = -1;
  #total = 0;
  #current = 0;

  /** `size` panes; `rate` records per pane on average. */
  constructor(size: number, rate: number) {
    this.size = size;
    this.rate = rate;
    // Fluent Bit zero-fills the panes, and no unix second is 0; NaN matches no second either.
    this.#panes = Array.from({ length: size }, () => ({ ts: NaN, count: 0 }));
  }

  /** The records kept over the whole window. */
  get total(): number {
    return this.#total;
  }

  /** The ticker: second `ts` becomes the current pane (a new one unless one has it). */
  tick(ts: number): void {
    this.#add(ts, 0);
  }

  /** One record: false (drop) when the window's average is at the rate, else counted. */
  admit(): boolean {
    if (this.#total / this.size >= this.rate) return false;
    this.#add(this.#current, 1);
    return true;
  }

  #add(ts: number, n: number): void {
    this.#current = ts;
    let pane = this.#panes.find((p) => p.ts === ts);
    if (!pane) {
      if (this.#max === this.size - 1) this.#max = -1;
      this.#max += 1;
      pane = this.#panes[this.#max]!;
      pane.ts = ts;
      pane.count = 0;
    }
    pane.count += n;
    let sum = 0;
    for (const p of this.#panes) sum += p.count;
    this.#total = sum;
  }
}
