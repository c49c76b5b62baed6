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
import { type CarriedInput, InputSource } from "./input_source.ts";
import type { Logger } from "./log.ts";
import type { Metric, MetricsRegistry } from "./metrics.ts";
import { Router } from "./router.ts";
import {
  closeBuilt,
  closeInputs,
  type DrainOptions,
  drainOutputs,
  settleOutputs,
  stopInputs,
} from "./shutdown.ts";
import { composeStages } from "./stages.ts";
import type { TapPoint, Taps } from "./taps.ts";
import type { Stage } from "../plugin.ts";
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
  #inputsClosed = false;
  #taps: Taps | undefined;
  /** Each input's source, by input name (carried in from the previous pipeline or made here). */
  #sources = new Map<string, CarriedInput>();
  /** Inputs handed to the next pipeline by a reload: not stopped or closed here. */
  #given = new Set<BuiltInput>();
  #dropped: Metric;

  constructor(
    built: BuiltPipeline,
    deps: { log: Logger; metrics: MetricsRegistry; taps?: Taps },
  ) {
    this.#built = built;
    this.#taps = deps.taps;
    const taps = deps.taps;
    if (taps) {
      for (const o of built.outputs) {
        o.runner.onEnqueue = (c) => taps.active && taps.emit("output", o.name, c);
      }
    }
    this.#log = deps.log;
    const { log, metrics } = deps;
    this.#counters = inputCounters(metrics, built.inputs);
    this.#router = new Router(built.outputs, { log, metrics });
    this.#persister = new Persister(built.storage, { router: this.#router, log, metrics });
    this.#gauges = new BufferGauges(built.inputs, {
      metrics,
      storage: built.storage,
      outputs: built.outputs.map((o) => o.name),
    });
    this.#dropped = metrics.counter(
      "fluentbit_output_dropped_records_total",
      "Output dropped_records.",
    );
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
    const filters = composeStages(
      this.#built.filters.map((f) => this.#tapped(f.stage, "filter", f.name)),
    );
    this.#pumps = this.#built.inputs.map((input) =>
      this.#pump(input, filters, this.#source(input))
    );
    const ordinary = this.#pumps.filter((_, n) => !this.#built.inputs[n]!.emitter);
    Promise.all(ordinary).then(() => this.#built.emitters?.close());
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
    await stopInputs({ inputs: this.#own() }, this.#pumps, timeoutMs);
    for (const input of this.#own()) {
      const carried = this.#sources.get(input.name);
      if (carried) carried.cutoff.value = true;
    }
  }

  /**
   * Flushes every output, chunks waiting in filesystem storage first; returns the number
   * of records given up on (filesystem chunks left on disk are not given up on).
   */
  drain(options: DrainOptions): Promise<number> {
    return drainOutputs(this.#built.outputs.map((o) => o.runner), this.#built.storage, options);
  }

  /**
   * A hot reload, once the inputs are stopped: lets the outputs deliver what they hold for up
   * to `boundMs` (so inputs commit it before they close); resolves when they are idle or the
   * bound has passed.
   */
  settle(boundMs: number): Promise<void> {
    return settleOutputs(this.#built.outputs.map((o) => o.runner), boundMs);
  }

  /**
   * A hot reload, after `settle`: hands whatever the outputs still hold (and writes in flight
   * that fail later) to `next`'s output of the same name, acks held, so nothing is dropped or
   * acknowledged early. Filesystem chunks stay on disk for `next`'s storage to replay.
   * Returns the records handed over.
   */
  handOverTo(next: Pipeline): number {
    this.#built.storage?.stop();
    let moved = 0;
    for (const o of this.#built.outputs) moved += o.runner.handOver((c) => next.adopt(o.name, c));
    return moved;
  }

  /**
   * Takes a chunk another pipeline's output `name` could not deliver before a reload, with
   * that route's hold on its ack: queued at this pipeline's output of the same name, or, when
   * the reload removed it, counted as dropped there and released.
   */
  adopt(name: string, chunk: Chunk): void {
    const out = this.#built.outputs.find((o) => o.name === name);
    if (out) return out.runner.enqueue(chunk);
    this.#log.warn(
      `output ${name} was removed by the reload: ${chunk.records.length} records dropped`,
    );
    this.#dropped.inc({ name }, chunk.records.length);
    chunk.ack.release();
  }

  /** Closes the inputs (sockets and files) after `stopInputs`, before a reload rebuilds them. */
  async closeInputs(): Promise<void> {
    if (this.#inputsClosed) return;
    this.#inputsClosed = true;
    await closeInputs({ inputs: this.#own() });
  }

  /**
   * A hot reload keeps the inputs named in `names` running for the next pipeline: their
   * reading here ends (what the filters hold goes out as at a stop), and their sources are
   * returned for `carry`. They are then neither stopped nor closed by this pipeline.
   */
  detachInputs(names: ReadonlySet<string>): Map<string, CarriedInput> {
    const out = new Map<string, CarriedInput>();
    for (const input of this.#built.inputs) {
      const carried = this.#sources.get(input.name);
      if (!names.has(input.name) || !carried) continue;
      this.#given.add(input);
      carried.source.detach();
      out.set(input.name, carried);
    }
    return out;
  }

  /** The built input named `name`, for the next pipeline to reuse after `detachInputs`. */
  builtInput(name: string): BuiltInput | undefined {
    return this.#built.inputs.find((i) => i.name === name && this.#given.has(i));
  }

  /** Takes the sources of inputs a previous pipeline detached; call before `run`. */
  carry(sources: ReadonlyMap<string, CarriedInput>): void {
    for (const [name, carried] of sources) this.#sources.set(name, carried);
  }

  /** `stage`, followed by tap point `point` of `name` when the service has taps. */
  #tapped(stage: Stage, point: TapPoint, name: string): Stage {
    const taps = this.#taps;
    if (!taps) return stage;
    return async function* (chunks) {
      for await (const c of stage(chunks)) {
        if (taps.active) taps.emit(point, name, c);
        yield c;
      }
    };
  }

  /** The inputs this pipeline owns (all but those a reload gave to the next one). */
  #own(): BuiltInput[] {
    return this.#built.inputs.filter((i) => !this.#given.has(i));
  }

  /** The input's source: carried in by a reload, or a new one over its gated chunks. */
  #source(input: BuiltInput): CarriedInput {
    const known = this.#sources.get(input.name);
    if (known && !known.source.ended) return known;
    const cutoff = { value: false };
    const gated = gateInput(input, { counters: this.#counters, cutoff: () => cutoff.value });
    const made = { source: new InputSource(input.processors(gated)), cutoff };
    this.#sources.set(input.name, made);
    return made;
  }

  /** Closes every instance and waits for storage's last file operations. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeBuilt({ ...this.#built, inputs: this.#own() }, {
      inputsClosed: this.#inputsClosed,
    });
    this.#gauges.stop();
  }

  async #pump(
    input: BuiltInput,
    filters: (c: AsyncIterable<Chunk>) => AsyncIterable<Chunk>,
    carried: CarriedInput,
  ) {
    const stream = filters(this.#tapped((c) => c, "input", input.name)(carried.source.attach()));
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
