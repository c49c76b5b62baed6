/**
 * The running pipeline: replays what filesystem storage kept from an earlier run,
 * pulls every input through its processors and the filters, writes the chunks of
 * filesystem inputs to disk, routes chunks to outputs by tag, and shuts down in
 * order: stop inputs, drain outputs (up to `grace`), give up and count what is left
 * (filesystem chunks stay on disk), close.
 */
import { errorMessage } from "../error_message.ts";
import type { Chunk } from "../event/chunk.ts";
import type { BuiltInput, BuiltOutput, BuiltPipeline } from "./build.ts";
import { cloneChunk } from "./clone.ts";
import type { Logger } from "./log.ts";
import type { Metric, MetricsRegistry } from "./metrics.ts";
import { type DrainOptions, drainOutputs } from "./drain.ts";
import { composeStages } from "./stages.ts";
import type { ChunkHeader } from "./storage/chunk_file.ts";
import type { ReplaySummary } from "./storage/filesystem_storage.ts";
import type { FilesystemStorage } from "./storage/filesystem_storage.ts";
import {
  type InputBufferStats,
  storageReport,
  updateStorageGauges,
} from "./storage/storage_report.ts";

export type { DrainOptions };

/**
 * Resolves when `resumed` does or `signal` aborts. A listener per wait, not a race
 * against one long-lived abort promise, which would keep a reaction for every pause.
 */
function resumedOrAborted(resumed: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    resumed.then(done);
  });
}

/** A built pipeline, running. */
export class Pipeline {
  #built: BuiltPipeline;
  #log: Logger;
  #records: Metric;
  #bytes: Metric;
  #unrouted: Metric;
  #writeErrors: Metric;
  #metrics: MetricsRegistry;
  #gauges: ReturnType<typeof setInterval> | undefined;
  #targets = new Map<string, BuiltOutput[]>();
  #pumps: Promise<void>[] = [];
  #failed = false;
  #closed = false;
  #replayed = false;
  #cutoff = false;

  constructor(built: BuiltPipeline, deps: { log: Logger; metrics: MetricsRegistry }) {
    this.#built = built;
    this.#log = deps.log;
    const m = deps.metrics;
    this.#metrics = m;
    this.#writeErrors = m.counter(
      "sluice_storage_write_errors_total",
      "Chunks of filesystem inputs that could not be written to disk and went on in memory.",
    );
    this.#records = m.counter("fluentbit_input_records_total", "Number of input records.");
    this.#bytes = m.counter("fluentbit_input_bytes_total", "Number of input bytes.");
    this.#unrouted = m.counter(
      "sluice_input_unrouted_records_total",
      "Records that matched no output and were discarded.",
    );
    for (const i of built.inputs) {
      this.#records.touch({ name: i.name });
      this.#bytes.touch({ name: i.name });
    }
  }

  /** True when an input failed at run time. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Instance names, for the monitoring server. */
  get instances(): { inputs: string[]; filters: string[]; outputs: string[] } {
    const b = this.#built;
    return {
      inputs: b.inputs.map((i) => i.name),
      filters: b.filters.map((f) => f.name),
      outputs: b.outputs.map((o) => o.name),
    };
  }

  /**
   * Replays what filesystem storage kept from an earlier run, then starts every input;
   * resolves when all of them have ended.
   */
  async run(): Promise<void> {
    this.#startGauges();
    await this.replay();
    const filters = composeStages(this.#built.filters.map((f) => f.stage));
    this.#pumps = this.#built.inputs.map((input) => this.#pump(input, filters));
    await Promise.all(this.#pumps);
  }

  /** Queues the chunk files an earlier run left (before any input starts). */
  async replay(): Promise<ReplaySummary | undefined> {
    const storage = this.#built.storage;
    if (!storage || this.#replayed) return undefined;
    this.#replayed = true;
    try {
      return await storage.replay((h) => this.#storedTargets(h).map((o) => o.storage));
    } catch (e) {
      this.#log.error(`cannot replay ${storage.path}: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /**
   * Routes a chunk straight to the outputs its tag matches, past inputs and filters (a
   * dead-letter replay). Returns false when no output takes it (its ack is released).
   */
  inject(chunk: Chunk): boolean {
    const targets = this.#targetsOf(chunk);
    if (targets.length === 0) {
      chunk.ack.release();
      return false;
    }
    this.#fanOut(chunk, targets);
    return true;
  }

  /** Makes every output send what it holds at once, not at the next flush (batch jobs). */
  flushNow(): void {
    for (const o of this.#built.outputs) o.runner.flushNow();
  }

  /** Filesystem storage, when `storage.path` is set. */
  get storage(): FilesystemStorage | undefined {
    return this.#built.storage;
  }

  /** The `/api/v1/storage` body. */
  storageReport(): Record<string, unknown> {
    return storageReport(this.bufferStats(), this.#built.storage);
  }

  /** Every input's buffered chunks, for `/api/v1/storage` and the storage gauges. */
  bufferStats(): InputBufferStats[] {
    return this.#built.inputs.map((i) => ({
      name: i.name,
      type: i.storageType,
      chunks: i.limit.chunks,
      bytes: i.limit.inflight,
      limit: i.limit.limit,
      paused: i.limit.paused,
    }));
  }

  /** Asks every input to stop; resolves when they have (or after `timeoutMs`). */
  async stopInputs(timeoutMs = 5000): Promise<void> {
    for (const i of this.#built.inputs) i.abort.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.#pumps), timeout]);
    clearTimeout(timer);
    this.#cutoff = true;
  }

  /**
   * Flushes every output, chunks waiting in filesystem storage first; returns the number
   * of records given up on (filesystem chunks left on disk are not given up on).
   */
  drain(options: DrainOptions): Promise<number> {
    return drainOutputs(this.#built.outputs.map((o) => o.runner), this.#built.storage, options);
  }

  /** Closes every instance and waits for storage's last file operations. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const i of this.#built.inputs) i.abort.abort();
    await Promise.allSettled(this.#built.inputs.map((i) => i.instance.close?.()));
    await Promise.allSettled(this.#built.outputs.map((o) => o.runner.close()));
    await this.#built.storage?.close();
    await Promise.allSettled(this.#built.closers.map((c) => c()));
    if (this.#gauges !== undefined) clearInterval(this.#gauges);
    this.#updateGauges();
  }

  #startGauges(): void {
    if (this.#gauges !== undefined) return;
    this.#updateGauges();
    this.#gauges = setInterval(() => this.#updateGauges(), 1000);
    Deno.unrefTimer(this.#gauges);
  }

  #updateGauges(): void {
    updateStorageGauges(this.#metrics, this.bufferStats(), this.#built.storage);
  }

  async #pump(input: BuiltInput, filters: (c: AsyncIterable<Chunk>) => AsyncIterable<Chunk>) {
    const stream = filters(input.processors(this.#gate(input)));
    const persist = input.storageType === "filesystem" && this.#built.storage !== undefined;
    try {
      for await (const chunk of stream) {
        if (persist) await this.#persist(chunk, input);
        else this.#route(chunk, input);
      }
    } catch (e) {
      this.#failed = true;
      this.#log.error(`input ${input.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async *#gate(input: BuiltInput): AsyncGenerator<Chunk> {
    const it = input.instance.chunks[Symbol.asyncIterator]();
    const labels = { name: input.name };
    try {
      // After a stop the input is still pulled until it ends, so what it holds back (a last
      // line without a newline, a pending multiline message) goes out; past the stop timeout
      // (`#cutoff`) a late chunk is left unacknowledged, so its input will read it again.
      while (!this.#cutoff) {
        if (input.limit.paused && !input.abort.signal.aborted) {
          await resumedOrAborted(input.limit.whenResumed(), input.abort.signal);
        }
        const r = await it.next();
        if (r.done || this.#cutoff) return;
        const chunk = r.value;
        this.#records.inc(labels, chunk.records.length);
        this.#bytes.inc(labels, chunk.bytes);
        input.limit.track(chunk);
        yield chunk;
      }
    } finally {
      await it.return?.();
    }
  }

  #route(chunk: Chunk, input: BuiltInput): void {
    const targets = input.routable ? this.#targetsOf(chunk) : [];
    if (targets.length === 0) return this.#discard(chunk, input);
    this.#fanOut(chunk, targets);
  }

  /**
   * A filesystem input's chunk: on disk first (then its input may commit its position),
   * then to its outputs under storage's acks. If the disk refuses it, it goes on in
   * memory under the input's own ack, so nothing is lost either way.
   */
  async #persist(chunk: Chunk, input: BuiltInput): Promise<void> {
    const targets = input.routable ? this.#targetsOf(chunk) : [];
    if (targets.length === 0) return this.#discard(chunk, input);
    try {
      await this.#built.storage!.persist(chunk, targets.map((t) => t.storage));
    } catch (e) {
      this.#writeErrors.inc({ name: input.name });
      this.#log.once(
        "error",
        `storage:${input.name}`,
        `cannot write a chunk of ${input.name} to storage, delivering from memory: ${
          errorMessage(e)
        }`,
      );
      this.#fanOut(chunk, targets);
      return;
    }
    chunk.ack.release();
  }

  #discard(chunk: Chunk, input: BuiltInput): void {
    this.#unrouted.inc({ name: input.name }, chunk.records.length);
    this.#log.once(
      "warn",
      `unrouted:${chunk.tag}`,
      `no output matches tag "${chunk.tag}"; discarding`,
    );
    chunk.ack.release();
  }

  #fanOut(chunk: Chunk, targets: BuiltOutput[]): void {
    for (const out of targets) {
      const routed = targets.length > 1 && out.hasProcessors ? cloneChunk(chunk) : chunk;
      chunk.ack.retain();
      out.runner.enqueue(routed);
    }
    chunk.ack.release();
  }

  /** The outputs a stored chunk goes to: its recorded routes, else those its tag matches. */
  #storedTargets(h: ChunkHeader): BuiltOutput[] {
    const named = this.#built.outputs.filter((o) =>
      h.routes.includes(o.name) && o.signals.includes(h.signal)
    );
    if (named.length > 0) {
      if (named.length < h.routes.length) {
        this.#log.warn(
          `stored chunk of tag "${h.tag}" was routed to outputs this config lacks: ` +
            h.routes.filter((r) => !named.some((o) => o.name === r)).join(", "),
        );
      }
      return named;
    }
    return this.#built.outputs.filter((o) => o.signals.includes(h.signal) && o.matcher(h.tag));
  }

  #targetsOf(chunk: Chunk): BuiltOutput[] {
    const key = `${chunk.signal}\u0000${chunk.tag}`;
    let targets = this.#targets.get(key);
    if (!targets) {
      targets = this.#built.outputs.filter((o) =>
        o.signals.includes(chunk.signal) && o.matcher(chunk.tag)
      );
      if (this.#targets.size > 10_000) this.#targets.clear();
      this.#targets.set(key, targets);
    }
    return targets;
  }
}
