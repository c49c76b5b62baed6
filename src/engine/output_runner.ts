/**
 * Runs one output instance: its queue, its processor chain, flush-interval
 * batching, concurrent writes (`workers`), and the engine-owned retries. Every
 * routed chunk ends delivered or rejected, and its route on the ack is settled
 * either way, with a counter and a log line.
 */
import type { Chunk } from "../event/chunk.ts";
import { CHUNK_MAX_BYTES } from "../event/chunk.ts";
import { AsyncQueue } from "./async_queue.ts";
import { type Batch, batchRecords, settleBatch, takeBatch } from "./batch.ts";
import { PermanentError, RetryableError } from "./errors.ts";
import type { Logger } from "./log.ts";
import type { MetricsRegistry } from "./metrics.ts";
import type { OutputInstance, Stage } from "./plugin.ts";
import { backoffSeconds } from "./retry.ts";

/** Why a batch was given up on. */
export interface Rejection {
  batch: Batch;
  output: string;
  reason: string;
  status?: number;
}

/** Settings of one output runner. */
export interface OutputRunnerOptions {
  name: string;
  instance: OutputInstance;
  /** The output's processor chain, already composed. */
  processors: Stage;
  log: Logger;
  metrics: MetricsRegistry;
  /** Flush interval, seconds. */
  flush: number;
  workers: number;
  retryLimit: number;
  schedulerBase: number;
  schedulerCap: number;
  /** Called before a rejected batch is settled (dead-letter store). */
  onReject?: (rejection: Rejection) => Promise<void> | void;
}

/** One output's queue and writers. */
export class OutputRunner {
  readonly name: string;
  #o: OutputRunnerOptions;
  #incoming = new AsyncQueue<Chunk>();
  #pending: Chunk[] = [];
  #pendingBytes = 0;
  #due = 0;
  #ready: Batch[] = [];
  #retryTimers = new Map<Batch, ReturnType<typeof setTimeout>>();
  #active = 0;
  #outstanding = 0;
  #draining = false;
  #collected = false;
  #wake: (() => void) | undefined;
  #idle: (() => void) | undefined;
  #labels: { name: string };
  #loop: Promise<void>;
  #collect: Promise<void>;
  #ticker: ReturnType<typeof setInterval>;

  constructor(options: OutputRunnerOptions) {
    this.name = options.name;
    this.#o = options;
    this.#labels = { name: options.name };
    for (
      const m of [
        "proc_records",
        "proc_bytes",
        "errors",
        "retries",
        "retries_failed",
        "dropped_records",
        "retried_records",
      ]
    ) this.#counter(m).touch(this.#labels);
    this.#collect = this.#collectLoop();
    this.#loop = this.#dispatchLoop();
    this.#ticker = setInterval(() => {
      this.#due = this.#pending.length;
      this.#notify();
    }, Math.max(1, options.flush * 1000));
  }

  /** Chunks routed here and not yet settled. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Queues a routed chunk; its ack is already retained for this route. */
  enqueue(chunk: Chunk): void {
    this.#outstanding++;
    this.#incoming.push(chunk);
  }

  /** Stops taking chunks and flushes everything now, retries included; resolves when idle. */
  async drain(): Promise<void> {
    this.#draining = true;
    if (!this.#incoming.ended) this.#incoming.end();
    for (const [batch, timer] of this.#retryTimers) {
      clearTimeout(timer);
      this.#retryTimers.delete(batch);
      this.#ready.push(batch);
    }
    this.#notify();
    await this.#collect;
    if (this.#outstanding > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  /** Gives up on whatever is left (shutdown deadline): counted and settled. Returns the count. */
  abandon(): number {
    let records = 0;
    const left: Batch[] = [...this.#ready];
    for (const [batch, timer] of this.#retryTimers) {
      clearTimeout(timer);
      left.push(batch);
    }
    this.#retryTimers.clear();
    this.#ready = [];
    while (this.#pending.length > 0) left.push(takeBatch(this.#pending));
    for (const batch of left) {
      records += batchRecords(batch);
      this.#counter("dropped_records").inc(this.#labels, batchRecords(batch));
      this.#finish(batch);
    }
    if (records > 0) {
      this.#o.log.error(`shutdown deadline reached: ${records} records were not delivered`);
    }
    return records;
  }

  /** Stops timers and closes the output instance. Safe to call twice. */
  async close(): Promise<void> {
    clearInterval(this.#ticker);
    if (!this.#incoming.ended) this.#incoming.end();
    this.#draining = true;
    this.#notify();
    await this.#loop.catch(() => {});
    const instance = this.#o.instance;
    this.#o.instance = { write: () => Promise.reject(new PermanentError("output is closed")) };
    await instance.close?.();
  }

  #counter(metric: string) {
    return this.#o.metrics.counter(`fluentbit_output_${metric}_total`, `Output ${metric}.`);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #collectLoop(): Promise<void> {
    try {
      for await (const chunk of this.#o.processors(this.#incoming)) {
        this.#pending.push(chunk);
        this.#pendingBytes += chunk.bytes;
        this.#notify();
      }
    } catch (e) {
      this.#o.log.error(`processor chain failed: ${String(e)}`);
    } finally {
      this.#collected = true;
      this.#notify();
    }
  }

  #nextBatch(): Batch | undefined {
    if (this.#ready.length > 0) return this.#ready.shift();
    if (this.#pending.length === 0) return undefined;
    if (this.#draining || this.#due > 0 || this.#pendingBytes >= CHUNK_MAX_BYTES) {
      const before = this.#pending.length;
      const batch = takeBatch(this.#pending);
      this.#due = Math.max(0, this.#due - (before - this.#pending.length));
      this.#pendingBytes -= batch.sources.reduce((n, c) => n + c.bytes, 0);
      return batch;
    }
    return undefined;
  }

  async #dispatchLoop(): Promise<void> {
    while (true) {
      const batch = this.#active < this.#o.workers ? this.#nextBatch() : undefined;
      if (batch) {
        this.#active++;
        this.#write(batch).finally(() => {
          this.#active--;
          this.#notify();
        });
        continue;
      }
      if (this.#outstanding === 0 && this.#collected) {
        this.#idle?.();
        if (this.#incoming.ended) return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  async #write(batch: Batch): Promise<void> {
    const n = batchRecords(batch);
    try {
      await this.#o.instance.write(batch.chunk);
      this.#counter("proc_records").inc(this.#labels, n);
      this.#counter("proc_bytes").inc(this.#labels, batch.chunk.bytes);
      this.#finish(batch);
    } catch (e) {
      if (e instanceof RetryableError || !(e instanceof PermanentError)) {
        this.#retry(batch, e as Error);
      } else {
        this.#counter("errors").inc(this.#labels);
        await this.#reject(batch, `rejected: ${e.message}`, e.status);
      }
    }
  }

  #retry(batch: Batch, error: Error): void {
    if (batch.attempts >= this.#o.retryLimit) {
      this.#counter("retries_failed").inc(this.#labels);
      const reason = `retries exhausted after ${batch.attempts + 1} attempts: ${error.message}`;
      this.#o.log.warn(
        `chunk of ${batchRecords(batch)} records cannot be retried: ${error.message}`,
      );
      void this.#reject(batch, reason, (error as RetryableError).status);
      return;
    }
    batch.attempts++;
    this.#counter("retries").inc(this.#labels);
    this.#counter("retried_records").inc(this.#labels, batchRecords(batch));
    const wait = this.#draining ? 0 : backoffSeconds(batch.attempts, {
      base: this.#o.schedulerBase,
      cap: this.#o.schedulerCap,
      retryAfter: (error as RetryableError).retryAfter,
    });
    this.#o.log.warn(
      `chunk of ${
        batchRecords(batch)
      } records failed (${error.message}); retry ${batch.attempts} in ${wait.toFixed(1)}s`,
    );
    const timer = setTimeout(() => {
      this.#retryTimers.delete(batch);
      this.#ready.push(batch);
      this.#notify();
    }, wait * 1000);
    this.#retryTimers.set(batch, timer);
  }

  async #reject(batch: Batch, reason: string, status?: number): Promise<void> {
    try {
      await this.#o.onReject?.({ batch, output: this.name, reason, status });
    } catch (e) {
      this.#o.log.error(`dead-letter store failed: ${String(e)}`);
    }
    if (!this.#o.onReject) {
      this.#counter("dropped_records").inc(this.#labels, batchRecords(batch));
      this.#o.log.error(`dropped ${batchRecords(batch)} records: ${reason}`);
    }
    this.#finish(batch);
  }

  #finish(batch: Batch): void {
    this.#outstanding -= batch.sources.length;
    settleBatch(batch);
    this.#notify();
  }
}
