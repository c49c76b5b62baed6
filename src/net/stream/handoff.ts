/**
 * A rendezvous between many producers (connections) and one consumer: `put` resolves only
 * once the consumer has taken the item, so a producer that waits on it reads no further.
 * That is how a listener pauses reading under backpressure without dropping anything.
 */

interface Waiting<T> {
  item: T;
  taken: () => void;
}

/** Items handed from producers to one consumer, each producer held until its item is taken. */
export class Handoff<T> {
  #items: Waiting<T>[] = [];
  #head = 0;
  #wake: (() => void) | null = null;
  #closed = false;

  /** Items put and not yet taken. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Hands `item` over; resolves when the consumer takes it (or at once after `close`). */
  put(item: T): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((taken) => {
      this.#items.push({ item, taken });
      this.#wake?.();
    });
  }

  /** The next item, waiting for one; undefined once closed and empty. */
  async take(): Promise<T | undefined> {
    while (this.size === 0) {
      if (this.#closed) return undefined;
      await new Promise<void>((wake) => (this.#wake = wake));
      this.#wake = null;
    }
    const next = this.#items[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    next.taken();
    return next.item;
  }

  /** No more puts; the consumer still takes what is queued, then sees the end. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }
}
