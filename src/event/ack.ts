/**
 * The acknowledgement handle every chunk carries. It starts held once by the
 * pipeline; each output route retains it and releases it when it has delivered
 * the chunk or written it to the dead-letter store. When the last hold is released
 * `done` resolves, and the input may commit its position up to that chunk.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const ack = new Ack();
 * ack.retain(2); // routed to two outputs
 * ack.release(); // the pipeline's own hold
 * ack.release(); // the first output finished
 * assertEquals(ack.settled, false);
 * ack.release(); // the second one too
 * assertEquals(ack.settled, true);
 * await ack.done;
 * ```
 */
export class Ack {
  #holds = 1;
  #resolve!: () => void;
  /** Resolves once every hold is released. */
  readonly done: Promise<void>;

  constructor() {
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** True once every hold is released. */
  get settled(): boolean {
    return this.#holds === 0;
  }

  /** Adds `n` holds; a settled ack cannot be retained again. */
  retain(n = 1): void {
    if (this.#holds === 0) throw new RangeError("Cannot retain a settled ack");
    this.#holds += n;
  }

  /** Drops one hold; the last one settles the ack. Extra releases are ignored. */
  release(): void {
    if (this.#holds === 0) return;
    this.#holds -= 1;
    if (this.#holds === 0) this.#resolve();
  }
}
