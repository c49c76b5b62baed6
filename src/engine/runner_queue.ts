/**
 * The waiting room of one output runner: chunks queued for the next flush, batches
 * ready to write, and batches waiting out a retry backoff. The runner decides when;
 * this keeps the order and the byte counts, and can hand everything back at shutdown
 * or take one chunk out for `storage.total_limit_size`.
 */
import type { Ack } from "../event/ack.ts";
import { type Chunk, CHUNK_MAX_BYTES } from "../event/chunk.ts";
import { type Batch, takeBatch } from "./batch.ts";
import { type Clock, realClock } from "../plugin/clock.ts";

/** Queued chunks, ready batches and retry timers of one output. */
export class RunnerQueue {
  #pending: Chunk[] = [];
  #pendingBytes = 0;
  #due = 0;
  #ready: Batch[] = [];
  #timers = new Map<Batch, AbortController>();
  #clock: Clock;

  /** A queue whose retry backoffs sleep on `clock` (the real one by default). */
  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? realClock;
  }

  /** Chunks queued and not yet batched. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Batches waiting out a backoff. */
  get waitingRetries(): number {
    return this.#timers.size;
  }

  /** Queues a chunk that came out of the output's processors. */
  push(chunk: Chunk): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.bytes;
  }

  /** The flush interval elapsed: everything queued now is due. */
  tick(): void {
    this.#due = this.#pending.length;
  }

  /** The next batch to write: a ready retry first, then queued chunks when due or full. */
  next(flushAll: boolean): Batch | undefined {
    if (this.#ready.length > 0) return this.#ready.shift();
    if (this.#pending.length === 0) return undefined;
    if (!flushAll && this.#due === 0 && this.#pendingBytes < CHUNK_MAX_BYTES) return undefined;
    const before = this.#pending.length;
    const batch = takeBatch(this.#pending);
    this.#due = Math.max(0, this.#due - (before - this.#pending.length));
    for (const c of batch.sources) this.#pendingBytes -= c.bytes;
    return batch;
  }

  /** Holds `batch` for `seconds`, then makes it ready and calls `ready`. */
  retryLater(batch: Batch, seconds: number, ready: () => void): void {
    const timer = new AbortController();
    this.#timers.set(batch, timer);
    this.#clock.sleep(seconds * 1000, timer.signal).then(() => {
      if (this.#timers.get(batch) !== timer || timer.signal.aborted) return;
      this.#timers.delete(batch);
      this.#ready.push(batch);
      ready();
    });
  }

  /** Ends every backoff now (shutdown flush). */
  retryAllNow(): void {
    for (const [batch, timer] of this.#timers) {
      timer.abort();
      this.#ready.push(batch);
    }
    this.#timers.clear();
  }

  /** Takes everything out, batched, for giving up at a shutdown deadline. */
  takeAll(): Batch[] {
    const all = [...this.#ready];
    for (const [batch, timer] of this.#timers) {
      timer.abort();
      all.push(batch);
    }
    this.#timers.clear();
    this.#ready = [];
    while (this.#pending.length > 0) all.push(takeBatch(this.#pending));
    this.#pendingBytes = 0;
    this.#due = 0;
    return all;
  }

  /**
   * Takes out the chunks carrying `ack`: queued ones alone, or the whole batch holding
   * one while it is ready or waiting for a retry. Undefined when none is here.
   */
  evict(ack: Ack): { chunks: Chunk[]; batch?: Batch } | undefined {
    if (this.#pending.some((c) => c.ack === ack)) {
      const chunks: Chunk[] = [];
      this.#pending = this.#pending.filter((c) => {
        if (c.ack !== ack) return true;
        chunks.push(c);
        this.#pendingBytes -= c.bytes;
        return false;
      });
      this.#due = Math.min(this.#due, this.#pending.length);
      return { chunks };
    }
    const has = (b: Batch) => b.sources.some((c) => c.ack === ack);
    const i = this.#ready.findIndex(has);
    if (i >= 0) {
      const batch = this.#ready.splice(i, 1)[0]!;
      return { chunks: batch.sources, batch };
    }
    for (const [batch, timer] of this.#timers) {
      if (!has(batch)) continue;
      timer.abort();
      this.#timers.delete(batch);
      return { chunks: batch.sources, batch };
    }
    return undefined;
  }
}
