/**
 * In-order cursor commits: each chunk is queued with the cursor of its last entry, and
 * the committed cursor moves to a chunk's cursor only when its ack and every earlier one
 * have settled, so a restart never skips an entry an output has not finished with.
 */
import type { Ack } from "../../../src/event/ack.ts";

interface Pending {
  ack: Ack | null;
  cursor: string;
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
 * commits.push(a, "c1");
 * commits.push(b, "c2");
 * commits.push(null, "c3"); // entries filtered out after c2
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

  /** Queues a cursor; `ack` null means nothing needs acknowledging before it. */
  push(ack: Ack | null, cursor: string): void {
    const last = this.#queue.length > this.#head ? this.#queue[this.#queue.length - 1]! : null;
    if (ack === null && last !== null && last.ack === null) last.cursor = cursor;
    else this.#queue.push({ ack, cursor });
    if (ack === null) this.advance();
    else ack.done.then(() => this.advance());
  }

  /** Saves the cursor past every settled entry at the head of the queue. */
  advance(): void {
    let moved: string | undefined;
    while (this.#head < this.#queue.length) {
      const p = this.#queue[this.#head]!;
      if (p.ack !== null && !p.ack.settled) break;
      moved = p.cursor;
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
