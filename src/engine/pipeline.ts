/**
 * The running pipeline: pulls every input through its processors and the
 * filters, routes chunks to outputs by tag, and shuts down in order: stop
 * inputs, drain outputs (up to `grace`), give up and count what is left, close.
 */
import type { Chunk } from "../event/chunk.ts";
import type { BuiltInput, BuiltOutput, BuiltPipeline } from "./build.ts";
import { cloneChunk } from "./clone.ts";
import type { Logger } from "./log.ts";
import type { Metric, MetricsRegistry } from "./metrics.ts";
import { composeStages } from "./stages.ts";

/** How a drain is bounded. */
export interface DrainOptions {
  /** Seconds; negative waits without limit. */
  grace: number;
  /**
   * `deadline`: at most `grace` seconds in all (a signal asked us to stop).
   * `progress`: as long as it takes, unless nothing settles for `grace` seconds
   * (every input ended by itself: a batch job must not lose its tail).
   */
  mode: "deadline" | "progress";
}

/** A built pipeline, running. */
export class Pipeline {
  #built: BuiltPipeline;
  #log: Logger;
  #records: Metric;
  #bytes: Metric;
  #unrouted: Metric;
  #targets = new Map<string, BuiltOutput[]>();
  #pumps: Promise<void>[] = [];
  #failed = false;
  #closed = false;

  constructor(built: BuiltPipeline, deps: { log: Logger; metrics: MetricsRegistry }) {
    this.#built = built;
    this.#log = deps.log;
    const m = deps.metrics;
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

  /** Starts every input; resolves when all of them have ended. */
  run(): Promise<void> {
    const filters = composeStages(this.#built.filters.map((f) => f.stage));
    this.#pumps = this.#built.inputs.map((input) => this.#pump(input, filters));
    return Promise.all(this.#pumps).then(() => {});
  }

  /** Asks every input to stop; resolves when they have (or after `timeoutMs`). */
  async stopInputs(timeoutMs = 5000): Promise<void> {
    for (const i of this.#built.inputs) i.abort.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.#pumps), timeout]);
    clearTimeout(timer);
  }

  /** Flushes every output; returns the number of records given up on. */
  async drain(options: DrainOptions): Promise<number> {
    const outputs = this.#built.outputs;
    const drained = Promise.all(outputs.map((o) => o.runner.drain())).then(() => true);
    if (options.grace < 0) {
      await drained;
      return 0;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.grace * 1000);
    });
    const done =
      await (options.mode === "deadline"
        ? Promise.race([drained, deadline])
        : this.#untilStalled(drained, options.grace));
    clearTimeout(timer);
    if (done) return 0;
    return outputs.reduce((n, o) => n + o.runner.abandon(), 0);
  }

  /** Closes every instance. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const i of this.#built.inputs) i.abort.abort();
    await Promise.allSettled(this.#built.inputs.map((i) => i.instance.close?.()));
    await Promise.allSettled(this.#built.outputs.map((o) => o.runner.close()));
    await Promise.allSettled(this.#built.closers.map((c) => c()));
  }

  async #untilStalled(drained: Promise<boolean>, grace: number): Promise<boolean> {
    const outstanding = () => this.#built.outputs.reduce((n, o) => n + o.runner.outstanding, 0);
    let last = outstanding();
    let since = Date.now();
    let finished = false;
    drained.then(() => (finished = true));
    while (!finished) {
      let tick: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([drained, new Promise((r) => (tick = setTimeout(r, 100)))]);
      clearTimeout(tick);
      const now = outstanding();
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (!finished && Date.now() - since > grace * 1000) return false;
    }
    return true;
  }

  async #pump(input: BuiltInput, filters: (c: AsyncIterable<Chunk>) => AsyncIterable<Chunk>) {
    const stream = filters(input.processors(this.#gate(input)));
    try {
      for await (const chunk of stream) this.#route(chunk, input);
    } catch (e) {
      this.#failed = true;
      this.#log.error(`input ${input.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async *#gate(input: BuiltInput): AsyncGenerator<Chunk> {
    const it = input.instance.chunks[Symbol.asyncIterator]();
    const labels = { name: input.name };
    const aborted = new Promise<void>((resolve) =>
      input.abort.signal.addEventListener("abort", () => resolve(), { once: true })
    );
    try {
      while (!input.abort.signal.aborted) {
        if (input.limit.paused) await Promise.race([input.limit.whenResumed(), aborted]);
        if (input.abort.signal.aborted) break;
        const r = await it.next();
        if (r.done) return;
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
    if (targets.length === 0) {
      this.#unrouted.inc({ name: input.name }, chunk.records.length);
      this.#log.once(
        "warn",
        `unrouted:${chunk.tag}`,
        `no output matches tag "${chunk.tag}"; discarding`,
      );
      chunk.ack.release();
      return;
    }
    for (const out of targets) {
      const routed = targets.length > 1 && out.hasProcessors ? cloneChunk(chunk) : chunk;
      chunk.ack.retain();
      out.runner.enqueue(routed);
    }
    chunk.ack.release();
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
