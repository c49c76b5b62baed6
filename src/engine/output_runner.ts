/**
 * Runs one output instance: its queue, its processor chain, flush-interval
 * batching, concurrent writes (`workers`), and the engine-owned retries. Every
 * routed chunk ends delivered or rejected, and its route on the ack is settled
 * either way, with a counter and a log line. A `PartialWriteError` (bulk APIs answering per
 * record) narrows the batch: delivered records are counted, refused ones dead-lettered with
 * the peer's reason, and only the rest retried.
 */
import type { Ack } from "../event/ack.ts";
import { errorMessage } from "../error_message.ts";
import type { Chunk } from "../event/chunk.ts";
import { AsyncQueue } from "./async_queue.ts";
import { type Clock, realClock } from "../plugin/clock.ts";
import { type Batch, batchRecords, chunkPart, narrowBatch, settleBatch } from "./batch.ts";
import { PartialWriteError, PermanentError, RetryableError } from "./errors.ts";
import { planPartial } from "./partial_write.ts";
import { settlesWithin } from "./settles_within.ts";
import type { Logger } from "./log.ts";
import type { MetricsRegistry } from "./metrics.ts";
import type { OutputInstance, Stage } from "../plugin.ts";
import { backoffSeconds } from "./retry.ts";
import { RunnerQueue } from "./runner_queue.ts";

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
  /**
   * Called before a rejected batch is settled (dead-letter store). Resolving to `false`
   * (or throwing) means the records could not be kept: they are counted as dropped.
   */
  onReject?: (rejection: Rejection) => Promise<boolean | void> | boolean | void;
  /**
   * True for chunks kept in filesystem storage: at a shutdown deadline they are counted
   * as kept (their file stays for the next start) rather than dropped.
   */
  isPersisted?: (chunk: Chunk) => boolean;
  /** What the flush interval and retry backoffs sleep on (the real clock by default). */
  clock?: Clock;
}

const COUNTERS = [
  "proc_records",
  "proc_bytes",
  "errors",
  "retries",
  "retries_failed",
  "dropped_records",
  "retried_records",
] as const;

/** One output's queue and writers. */
export class OutputRunner {
  readonly name: string;
  #o: OutputRunnerOptions;
  #incoming = new AsyncQueue<Chunk>();
  #queue: RunnerQueue;
  #clock: Clock;
  #active = 0;
  #outstanding = 0;
  #draining = false;
  #abandoned = false;
  #collected = false;
  #wake: (() => void) | undefined;
  #idle: (() => void) | undefined;
  #labels: { name: string };
  #loop: Promise<void>;
  #collect: Promise<void>;
  #ticker: AbortController | undefined;
  /** When the flush ticks are counted from: they fall at `#phase + n * flush`. */
  #phase: number;
  /** Where chunks given up on go after `handOver` (a hot reload's new runner). */
  #successor: ((chunk: Chunk) => void) | undefined;

  constructor(options: OutputRunnerOptions) {
    this.name = options.name;
    this.#o = options;
    this.#labels = { name: options.name };
    this.#clock = options.clock ?? realClock;
    this.#queue = new RunnerQueue({ clock: this.#clock });
    for (const m of COUNTERS) this.#counter(m).touch(this.#labels);
    this.#phase = this.#clock.now();
    this.#collect = this.#collectLoop();
    this.#loop = this.#dispatchLoop();
  }

  /**
   * At each flush tick, what is queued becomes due. The ticks keep their phase (every
   * `flush` seconds from the start, as Fluent Bit's flush timer), but the timer runs only
   * while chunks are queued: an idle output never wakes. `close` stops it.
   */
  #tick(): void {
    const ticker = new AbortController();
    this.#ticker = ticker;
    const every = Math.max(1, this.#o.flush * 1000);
    const wait = every - ((this.#clock.now() - this.#phase) % every);
    this.#clock.sleep(wait, ticker.signal).then(() => {
      if (this.#ticker !== ticker || ticker.signal.aborted) return;
      this.#ticker = undefined;
      this.#queue.tick();
      this.#notify();
      if (this.#queue.pendingCount > 0) this.#tick();
    });
  }

  /** Chunks routed here and not yet settled. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Sees every chunk routed here, before the processors (a tap point). */
  onEnqueue: ((chunk: Chunk) => void) | undefined;

  /** Queues a routed chunk; its ack is already retained for this route. */
  enqueue(chunk: Chunk): void {
    this.onEnqueue?.(chunk);
    this.#outstanding++;
    this.#incoming.push(chunk);
  }

  /**
   * Shutdown has begun: flush whatever is queued at once (no flush interval) and end retry
   * backoffs, while still taking chunks (filesystem storage may have more to hand over).
   */
  flushNow(): void {
    this.#draining = true;
    this.#queue.retryAllNow();
    this.#notify();
  }

  /** Stops taking chunks and flushes everything now, retries included; resolves when idle. */
  async drain(): Promise<void> {
    if (!this.#incoming.ended) this.#incoming.end();
    this.flushNow();
    await this.#collect;
    if (this.#outstanding > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  /**
   * Gives up on whatever is left (shutdown deadline); writes still in flight end the same
   * way. Nothing given up on is acknowledged, so inputs do not commit past it (tail reads
   * it again at the next start; filesystem chunks stay on disk). Memory chunks are counted
   * as dropped, since this run did not deliver them. Returns that count.
   */
  abandon(): number {
    this.#abandoned = true;
    let dropped = 0;
    let kept = 0;
    for (const batch of this.#queue.takeAll()) {
      const r = this.#giveUp(batch);
      dropped += r.dropped;
      kept += r.kept;
    }
    if (dropped > 0) {
      this.#o.log.error(`shutdown deadline reached: ${dropped} records were not delivered`);
    }
    if (kept > 0) this.#o.log.info(`shutdown deadline reached: ${kept} records stay in storage`);
    return dropped;
  }

  /**
   * A hot reload replaces this runner: like `abandon`, but the memory chunks still queued,
   * and those of writes in flight that fail from now on, go to `successor` with this
   * route's hold on their ack, so nothing is dropped and nothing is acknowledged early.
   * Filesystem chunks stay on disk for the new pipeline's storage. Returns the records
   * handed over now.
   */
  handOver(successor: (chunk: Chunk) => void): number {
    this.#successor = successor;
    let moved = 0;
    this.#abandoned = true;
    for (const batch of this.#queue.takeAll()) moved += this.#giveUp(batch).handed;
    if (moved > 0) this.#o.log.info(`hot reload: ${moved} queued records handed over`);
    return moved;
  }

  /**
   * Takes the chunks carrying `ack` out of the queue (queued, or in a batch waiting for a
   * retry; not while being written), for `storage.total_limit_size`. Returns the removed
   * chunks, unsettled (the caller settles them), or undefined when none could be taken.
   */
  evict(ack: Ack): Chunk[] | undefined {
    const r = this.#queue.evict(ack);
    if (!r) return undefined;
    if (r.batch && (r.batch.sources.length > 1 || r.batch.chunk !== r.batch.sources[0])) {
      r.batch.chunk.ack.release();
    }
    this.#outstanding -= r.chunks.length;
    this.#notify();
    return r.chunks;
  }

  /**
   * Stops timers and closes the output instance. Safe to call twice. After `abandon`, the
   * instance is closed first so it can cancel writes in flight, which get a few seconds.
   */
  async close(): Promise<void> {
    this.#ticker?.abort();
    this.#ticker = undefined;
    if (!this.#incoming.ended) this.#incoming.end();
    this.#draining = true;
    this.#notify();
    const instance = this.#o.instance;
    this.#o.instance = { write: () => Promise.reject(new PermanentError("output is closed")) };
    if (!this.#abandoned) {
      await this.#loop.catch(() => {});
      await instance.close?.();
      return;
    }
    const closed = instance.close?.();
    await settlesWithin(this.#loop.catch(() => {}), 3000);
    await closed;
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
        if (this.#abandoned) this.#giveUp({ chunk, sources: [chunk], attempts: 0 });
        else {
          this.#queue.push(chunk);
          if (this.#ticker === undefined && !this.#draining) this.#tick();
        }
        this.#notify();
      }
    } catch (e) {
      this.#o.log.error(`processor chain failed: ${String(e)}`);
    } finally {
      this.#collected = true;
      this.#notify();
    }
  }

  async #dispatchLoop(): Promise<void> {
    while (true) {
      const batch = this.#active < this.#o.workers && !this.#abandoned
        ? this.#queue.next(this.#draining)
        : undefined;
      if (batch) {
        this.#active++;
        this.#write(batch).finally(() => {
          this.#active--;
          this.#notify();
        });
        continue;
      }
      if (this.#outstanding <= 0 && this.#collected) {
        this.#idle?.();
        if (this.#incoming.ended) return;
      }
      if (this.#abandoned && this.#active === 0 && this.#incoming.ended) return;
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
      if (this.#abandoned) {
        const { handed } = this.#giveUp(batch);
        if (handed > 0) this.#o.log.info(`hot reload: ${handed} records in flight handed over`);
      } else if (e instanceof PartialWriteError) {
        await this.#partial(batch, e);
      } else if (e instanceof RetryableError || !(e instanceof PermanentError)) {
        this.#retry(batch, e);
      } else {
        this.#counter("errors").inc(this.#labels);
        await this.#reject(batch, `rejected: ${e.message}`, e.status);
      }
    }
  }

  #retry(batch: Batch, error: unknown): void {
    const n = batchRecords(batch);
    const message = errorMessage(error);
    const retryable = error instanceof RetryableError ? error : undefined;
    if (batch.attempts >= this.#o.retryLimit) {
      this.#counter("retries_failed").inc(this.#labels);
      const reason = `retries exhausted after ${batch.attempts + 1} attempts: ${message}`;
      this.#o.log.warn(`chunk of ${n} records cannot be retried: ${message}`);
      void this.#reject(batch, reason, retryable?.status);
      return;
    }
    batch.attempts++;
    this.#counter("retries").inc(this.#labels);
    this.#counter("retried_records").inc(this.#labels, n);
    const backoff = backoffSeconds(batch.attempts, {
      base: this.#o.schedulerBase,
      cap: this.#o.schedulerCap,
      retryAfter: retryable?.retryAfter,
    });
    // While draining for shutdown, retries come at most a second apart.
    const wait = this.#draining ? Math.min(1, backoff) : backoff;
    this.#o.log.warn(
      `chunk of ${n} records failed (${message}); retry ${batch.attempts} in ${wait.toFixed(1)}s`,
    );
    this.#queue.retryLater(batch, wait, () => this.#notify());
  }

  /** Counts what was delivered, dead-letters what was refused, writes only the rest again. */
  async #partial(batch: Batch, e: PartialWriteError): Promise<void> {
    const n = batchRecords(batch);
    const plan = planPartial(n, e);
    this.#counter("proc_records").inc(this.#labels, plan.delivered);
    const bytes = Math.round(batch.chunk.bytes * plan.delivered / n);
    this.#counter("proc_bytes").inc(this.#labels, bytes);
    if (plan.refused.length > 0) this.#counter("errors").inc(this.#labels);
    for (const g of plan.refused) {
      const part = { chunk: chunkPart(batch.chunk, g.indexes), sources: [], attempts: 0 };
      await this.#deadLetter(part, `rejected: ${g.reason}`, g.status);
    }
    if (plan.again.length === 0) return this.#finish(batch);
    narrowBatch(batch, plan.again);
    // Only records the peer never got to: again at once, not a failed attempt.
    if (!plan.failed) return this.#queue.retryLater(batch, 0, () => this.#notify());
    const { retryAfter, status } = e;
    this.#retry(batch, new RetryableError(e.message, { retryAfter, status, cause: e }));
  }

  async #reject(batch: Batch, reason: string, status?: number): Promise<void> {
    await this.#deadLetter(batch, reason, status);
    this.#finish(batch);
  }

  /** Hands the batch's records to the dead-letter store, or counts them as dropped. */
  async #deadLetter(batch: Batch, reason: string, status?: number): Promise<void> {
    let kept = false;
    if (this.#o.onReject) {
      try {
        kept = (await this.#o.onReject({ batch, output: this.name, reason, status })) !== false;
      } catch (e) {
        this.#o.log.error(`dead-letter store failed: ${String(e)}`);
      }
    }
    if (!kept) {
      this.#counter("dropped_records").inc(this.#labels, batchRecords(batch));
      this.#o.log.error(`dropped ${batchRecords(batch)} records: ${reason}`);
    }
  }

  /**
   * Counts a batch given up on at shutdown, without settling it (see `abandon`); after
   * `handOver`, its memory chunks go to the successor instead of being dropped.
   */
  #giveUp(batch: Batch): { dropped: number; kept: number; handed: number } {
    let dropped = 0;
    let kept = 0;
    let handed = 0;
    for (const c of batch.sources) {
      if (this.#o.isPersisted?.(c)) {
        kept += c.records.length;
      } else if (this.#successor) {
        handed += c.records.length;
        this.#successor(c);
      } else dropped += c.records.length;
    }
    if (handed > 0 && (batch.sources.length > 1 || batch.chunk !== batch.sources[0])) {
      batch.chunk.ack.release();
    }
    if (dropped > 0) this.#counter("dropped_records").inc(this.#labels, dropped);
    this.#outstanding -= batch.sources.length;
    this.#notify();
    return { dropped, kept, handed };
  }

  #finish(batch: Batch): void {
    this.#outstanding -= batch.sources.length;
    settleBatch(batch);
    this.#notify();
  }
}
