/**
 * An input's buffer accounting for `mem_buf_limit`: bytes of its chunks not yet
 * settled by every output. Over the limit the input is paused (the engine stops
 * pulling from it; push inputs answer 503), and it resumes as soon as acks drain
 * it below the limit, always: a paused input cannot stay stuck while its own chunks settle.
 */
import type { Chunk } from "../event/chunk.ts";
import type { Logger } from "./log.ts";
import type { Metric } from "./metrics.ts";

/** Tracks one input's in-flight bytes and pause state. */
export class BufferLimit {
  readonly limit: number;
  #inflight = 0;
  #chunks = 0;
  #paused = false;
  #waiters: (() => void)[] = [];
  #log: Logger;
  #gauge: Metric;
  #labels: { name: string };

  constructor(options: { limit: number; log: Logger; gauge: Metric; name: string }) {
    this.limit = options.limit;
    this.#log = options.log;
    this.#gauge = options.gauge;
    this.#labels = { name: options.name };
    this.#gauge.set(this.#labels, 0);
  }

  /** Bytes buffered and not yet settled. */
  get inflight(): number {
    return this.#inflight;
  }

  /** Chunks buffered and not yet settled. */
  get chunks(): number {
    return this.#chunks;
  }

  /** True while over the limit. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Counts `chunk` until its ack settles. */
  track(chunk: Chunk): void {
    const bytes = chunk.bytes;
    this.#inflight += bytes;
    this.#chunks++;
    if (this.limit > 0 && !this.#paused && this.#inflight >= this.limit) {
      this.#paused = true;
      this.#gauge.set(this.#labels, 1);
      this.#log.warn(`paused (mem buf overlimit ${this.#inflight}/${this.limit} bytes)`);
    }
    chunk.ack.done.then(() => this.#settle(bytes));
  }

  /** Resolves once the input may produce again (at once when not paused). */
  whenResumed(): Promise<void> {
    if (!this.#paused) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #settle(bytes: number): void {
    this.#inflight -= bytes;
    this.#chunks--;
    if (this.#paused && this.#inflight < this.limit) {
      this.#paused = false;
      this.#gauge.set(this.#labels, 0);
      this.#log.info("resume (mem buf below limit)");
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    }
  }
}
