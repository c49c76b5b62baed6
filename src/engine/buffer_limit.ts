/**
 * An input's buffer accounting for `mem_buf_limit`: bytes of its chunks not yet
 * settled by every output. Over the limit the input is paused (the engine stops
 * pulling from it; push inputs answer 503), and it resumes as soon as acks drain
 * it below the limit, always: a paused input cannot stay stuck while its own chunks settle.
 * The service-wide `sluice.memory_limit` pauses it too, through the same state.
 */
import type { Chunk } from "../event/chunk.ts";
import type { Logger } from "./log.ts";
import type { MemoryPause } from "./memory_guard.ts";
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
  #memory: MemoryPause | undefined;

  constructor(
    options: { limit: number; log: Logger; gauge: Metric; name: string; memory?: MemoryPause },
  ) {
    this.limit = options.limit;
    this.#memory = options.memory;
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

  /** True while over the limit, or while the service is over its memory limit. */
  get paused(): boolean {
    return this.#paused || this.#memory?.paused === true;
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
    this.#memory?.observe();
  }

  /** Resolves once the input may produce again (at once when not paused). */
  async whenResumed(): Promise<void> {
    while (this.paused) {
      if (this.#paused) await new Promise<void>((resolve) => this.#waiters.push(resolve));
      else await this.#memory?.whenResumed();
    }
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
