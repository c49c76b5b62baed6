/**
 * The running pipeline, a coordinator: it replays what filesystem storage kept from an
 * earlier run (`storage/persist.ts`), pulls every input (`input_gate.ts`: pausing and the
 * stop rule) through its processors and the filters, hands each chunk to storage or to
 * the router (`router.ts`), keeps the buffer gauges (`buffer_gauges.ts`), and shuts down
 * in order (`shutdown.ts`): stop inputs, drain outputs (up to `grace`), close.
 */
import { errorMessage } from "../error_message.ts";
import type { Chunk } from "../event/chunk.ts";
import type { InputReport } from "../plugin.ts";
import { BufferGauges } from "./buffer_gauges.ts";
import type { BuiltInput, BuiltOutput, BuiltPipeline } from "./built.ts";
import { gateInput, type InputCounters, inputCounters } from "./input_gate.ts";
import type { Logger } from "./log.ts";
import type { MetricsRegistry } from "./metrics.ts";
import { Router } from "./router.ts";
import { closeBuilt, type DrainOptions, drainOutputs, stopInputs } from "./shutdown.ts";
import { composeStages } from "./stages.ts";
import type { FilesystemStorage, ReplaySummary } from "./storage/filesystem_storage.ts";
import { Persister } from "./storage/persist.ts";
import type { InputBufferStats } from "./storage/storage_report.ts";

export type { DrainOptions };

/** A built pipeline, running. */
export class Pipeline {
  #built: BuiltPipeline;
  #log: Logger;
  #persister: Persister;
  #counters: InputCounters;
  #router: Router<BuiltOutput>;
  #gauges: BufferGauges;
  #pumps: Promise<void>[] = [];
  #failed = false;
  #closed = false;
  #cutoff = false;

  constructor(built: BuiltPipeline, deps: { log: Logger; metrics: MetricsRegistry }) {
    this.#built = built;
    this.#log = deps.log;
    const { log, metrics } = deps;
    this.#counters = inputCounters(metrics, built.inputs);
    this.#router = new Router(built.outputs, { log, metrics });
    this.#persister = new Persister(built.storage, { router: this.#router, log, metrics });
    this.#gauges = new BufferGauges(built.inputs, { metrics, storage: built.storage });
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
    this.#gauges.start();
    await this.replay();
    const filters = composeStages(this.#built.filters.map((f) => f.stage));
    this.#pumps = this.#built.inputs.map((input) => this.#pump(input, filters));
    await Promise.all(this.#pumps);
  }

  /** Queues the chunk files an earlier run left (before any input starts). */
  replay(): Promise<ReplaySummary | undefined> {
    return this.#persister.replay();
  }

  /**
   * Routes a chunk straight to the outputs its tag matches, past inputs and filters (a
   * dead-letter replay). Returns false when no output takes it (its ack is released).
   */
  inject(chunk: Chunk): boolean {
    return this.#router.inject(chunk);
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
    return this.#gauges.report();
  }

  /** Every input's buffered chunks, for `/api/v1/storage` and the storage gauges. */
  bufferStats(): InputBufferStats[] {
    return this.#gauges.stats();
  }

  /** Each input's own report (the files tail follows), by instance name. */
  inputReports(): Map<string, InputReport> {
    const out = new Map<string, InputReport>();
    for (const i of this.#built.inputs) {
      const report = i.instance.report?.();
      if (report) out.set(i.name, report);
    }
    return out;
  }

  /**
   * Asks every input to stop; resolves when they have ended (or after `timeoutMs`, when
   * the engine stops pulling them: see `input_gate.ts`).
   */
  async stopInputs(timeoutMs = 5000): Promise<void> {
    await stopInputs(this.#built, this.#pumps, timeoutMs);
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
    await closeBuilt(this.#built);
    this.#gauges.stop();
  }

  async #pump(input: BuiltInput, filters: (c: AsyncIterable<Chunk>) => AsyncIterable<Chunk>) {
    const gated = gateInput(input, { counters: this.#counters, cutoff: () => this.#cutoff });
    const stream = filters(input.processors(gated));
    const persist = this.#persister.persists(input.storageType);
    try {
      for await (const chunk of stream) {
        if (persist) await this.#persister.persist(chunk, input);
        else this.#router.route(chunk, input);
      }
    } catch (e) {
      this.#failed = true;
      this.#log.error(`input ${input.name} failed: ${errorMessage(e)}`);
    }
  }
}
