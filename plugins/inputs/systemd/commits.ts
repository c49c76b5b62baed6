/**
 * In-order cursor commits: each chunk handed on is queued, then the cursor of the last
 * entry read after it; the committed cursor moves to a queued cursor only when every
 * chunk queued before it has been acknowledged, so a restart never skips an entry an
 * output has not finished with.
 */
import type { Ack } from "../../../src/event/ack.ts";

interface Pending {
  /** A chunk to wait for, or null for a position. */
  ack: Ack | null;
  cursor: string | null;
}

/**
 * The cursor commit FIFO.
 *
 * @example
 * ```ts
 * import { Ack } from "../../../src/event/ack.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const saved: string[] = [];
 * const commits = new CursorCommits((c) => saved.push(c));
 * const [a, b] = [new Ack(), new Ack()];
 * commits.track(a);
 * commits.track(b);
 * commits.reach("c3"); // a and b hold the entries up to c3
 * b.release();
 * commits.advance();
 * assertEquals(saved, []); // a is still out
 * a.release();
 * commits.advance();
 * assertEquals(saved, ["c3"]);
 * ```
 */
export class CursorCommits {
  #queue: Pending[] = [];
  #head = 0;
  #save: (cursor: string) => void;
  #committed: string | undefined;

  constructor(save: (cursor: string) => void) {
    this.#save = save;
  }

  /** The last cursor saved. */
  get committed(): string | undefined {
    return this.#committed;
  }

  /** Queues a chunk: later positions wait for its ack. */
  track(ack: Ack): void {
    this.#queue.push({ ack, cursor: null });
    ack.done.then(() => this.advance());
  }

  /** Queues the position after every entry handed on so far. */
  reach(cursor: string): void {
    const last = this.#queue.length > this.#head ? this.#queue[this.#queue.length - 1]! : null;
    if (last !== null && last.ack === null) last.cursor = cursor;
    else this.#queue.push({ ack: null, cursor });
    this.advance();
  }

  /** Saves the cursor past every settled entry at the head of the queue. */
  advance(): void {
    let moved: string | undefined;
    while (this.#head < this.#queue.length) {
      const p = this.#queue[this.#head]!;
      if (p.ack !== null && !p.ack.settled) break;
      if (p.cursor !== null) moved = p.cursor;
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (moved !== undefined && moved !== this.#committed) {
      this.#committed = moved;
      this.#save(moved);
    }
  }
}
