/**
 * An async source a test pushes items into and ends by hand, for driving stages that
 * race their input against timers.
 */

/** An async source the test pushes chunks into. */
export class Channel<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #waiters: ((r: IteratorResult<T>) => void)[] = [];
  #ended = false;
  /** Whether the consumer stopped early (the iterator's `return` ran). */
  returned = false;

  /** Hands `item` to the consumer. */
  push(item: T): void {
    const w = this.#waiters.shift();
    if (w) w({ value: item, done: false });
    else this.#items.push(item);
  }

  /** Ends the source: the consumer's loop finishes after the items pushed so far. */
  end(): void {
    this.#ended = true;
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
  }

  /** The iterator the consumer reads. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: (): Promise<IteratorResult<T>> => {
        if (this.#items.length > 0) {
          return Promise.resolve({ value: this.#items.shift()!, done: false });
        }
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.#waiters.push(resolve));
      },
      return: (): Promise<IteratorResult<T>> => {
        this.returned = true;
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
