/**
 * In-order commits of a file's position. Each chunk read from a file is queued with
 * the offset its lines end at; the committed offset moves to a chunk's offset only
 * when its ack and every earlier one have settled, so a restart never skips a line
 * that an output has not finished with.
 */
import type { Ack } from "../../../src/event/ack.ts";

interface Entry {
  /** Null for a position reached without a chunk (skipped or empty lines). */
  ack: Ack | null;
  end: number;
}

/** The commit FIFO of one file (one generation of it: a truncation starts a new queue). */
export class CommitQueue {
  #entries: Entry[] = [];
  #head = 0;
  #committed: number;

  constructor(committed: number) {
    this.#committed = committed;
  }

  /** The offset every earlier line has been acknowledged up to. */
  get committed(): number {
    return this.#committed;
  }

  /** Chunks queued and not yet settled in order. */
  get pending(): number {
    return this.#entries.length - this.#head;
  }

  /** The offset of the last entry queued (the committed offset when none is waiting). */
  get lastEnd(): number {
    return this.pending > 0 ? this.#entries[this.#entries.length - 1]!.end : this.#committed;
  }

  /** Queues a position; `ack` null means nothing needs acknowledging before it. */
  push(ack: Ack | null, end: number): void {
    const last = this.#entries.length > this.#head
      ? this.#entries[this.#entries.length - 1]!
      : null;
    if (ack === null && last !== null && last.ack === null) {
      last.end = end;
      return;
    }
    this.#entries.push({ ack, end });
    if (ack === null) this.advance();
  }

  /** Moves the committed offset past every settled entry at the head; true when it moved. */
  advance(): boolean {
    const before = this.#committed;
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const e = entries[this.#head]!;
      if (e.ack !== null && !e.ack.settled) break;
      this.#committed = e.end;
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
    return this.#committed !== before;
  }
}
