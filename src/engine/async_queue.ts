/**
 * An unbounded single-consumer queue that is also an async iterable: producers
 * `push`, one consumer iterates, `end` lets the iteration finish once drained.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const q = new AsyncQueue<number>();
 * q.push(1);
 * q.push(2);
 * q.end(); // the iteration ends once the queue is drained
 * const got: number[] = [];
 * for await (const n of q) got.push(n);
 * assertEquals(got, [1, 2]);
 * ```
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #head = 0;
  #ended = false;
  #wake: (() => void) | undefined;

  /** Items waiting to be taken. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** True once `end` was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Adds an item; pushing after `end` is a programming error. */
  push(item: T): void {
    if (this.#ended) throw new RangeError("Cannot push to an ended queue");
    this.#items.push(item);
    this.#notify();
  }

  /** No more items will come; iteration ends once the queue is empty. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** Takes every waiting item at once. */
  drain(): T[] {
    const out = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return out;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #take(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined as T; // let the consumer's item be collected

    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.size > 0) {
        yield this.#take();
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
