/**
 * The queue between forward connections and the input's chunk generator. A connection
 * puts one message's chunks and waits until the generator has handed them to the engine;
 * when the queue holds its byte limit, `put` waits for room instead of refusing, so the
 * connection stops reading and the sender's TCP window fills (backpressure, no drops).
 */
import type { Chunk } from "../../../src/event/chunk.ts";

interface Pending {
  chunks: Chunk[];
  bytes: number;
  settle: (taken: boolean) => void;
}

/** Messages waiting for the engine, bounded by bytes. */
export class ForwardIngress {
  #items: Pending[] = [];
  #bytes = 0;
  #limit: number;
  #closed = false;
  #wakeTaker: (() => void) | undefined;
  #roomWaiters: (() => void)[] = [];

  /** A queue holding at most `limitBytes` (one message always fits). */
  constructor(limitBytes: number) {
    this.#limit = limitBytes;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Queues one message's chunks once there is room; resolves true when the engine took the
   * last of them, false when the queue closed first.
   */
  async put(chunks: Chunk[], bytes: number): Promise<boolean> {
    while (!this.#closed && this.#bytes > 0 && this.#bytes + bytes > this.#limit) {
      await new Promise<void>((r) => this.#roomWaiters.push(r));
    }
    if (this.#closed) return false;
    return new Promise<boolean>((settle) => {
      this.#items.push({ chunks, bytes, settle });
      this.#bytes += bytes;
      const wake = this.#wakeTaker;
      this.#wakeTaker = undefined;
      wake?.();
    });
  }

  /** Refuses what waits and later puts, and ends {@link take}. Safe to call twice. */
  close(): void {
    this.#closed = true;
    for (const it of this.#items.splice(0)) it.settle(false);
    this.#bytes = 0;
    for (const w of this.#roomWaiters.splice(0)) w();
    const wake = this.#wakeTaker;
    this.#wakeTaker = undefined;
    wake?.();
  }

  /** Yields queued chunks in order until closed. */
  async *take(): AsyncGenerator<Chunk> {
    let current: Pending | undefined;
    try {
      while (true) {
        while (this.#items.length === 0 && !this.#closed) {
          await new Promise<void>((r) => (this.#wakeTaker = r));
        }
        if (this.#closed) return;
        current = this.#items.shift()!;
        this.#bytes -= current.bytes;
        for (const w of this.#roomWaiters.splice(0)) w();
        const { chunks } = current;
        for (let i = 0; i < chunks.length - 1; i++) yield chunks[i]!;
        const last = current;
        current = undefined;
        last.settle(true);
        yield chunks[chunks.length - 1]!;
      }
    } finally {
      current?.settle(false);
      this.close();
    }
  }
}
