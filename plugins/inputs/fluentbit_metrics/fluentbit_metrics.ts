/**
 * The fluentbit_metrics input: every `scrape_interval`, a snapshot of sluice's own metrics
 * (`snapshot.ts`) as one metrics chunk, counting its scrapes in
 * `fluentbit_input_metrics_scrapes_total{name}` as Fluent Bit does. With `scrape_on_start`
 * and an interval over 2 s, one more snapshot is taken 5 s after start.
 */
import type { Chunk, MetricChunk } from "../../../src/event/chunk.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { FluentbitMetricsOptions } from "./options.ts";
import { snapshot } from "./snapshot.ts";

/** When this process started (the runtime's time origin). */
const STARTED_AT = new Date(Math.floor(performance.timeOrigin));

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}

/** A running fluentbit_metrics input. */
export class FluentbitMetricsInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  #options: FluentbitMetricsOptions;
  #ctx: InputContext;

  constructor(options: FluentbitMetricsOptions, ctx: InputContext) {
    this.#options = options;
    this.#ctx = ctx;
    this.chunks = this.#main();
  }

  async *#main(): AsyncGenerator<Chunk> {
    const ctx = this.#ctx;
    const intervalMs = Math.max(1, this.#options.scrape_interval * 1000);
    const scrapes = ctx.metrics.counter(
      "fluentbit_input_metrics_scrapes_total",
      "Number of total metrics scrapes",
    );
    scrapes.touch({ name: ctx.name });
    const host = hostname();
    const startedAt = ctx.clock.now();
    let next = startedAt + intervalMs;
    let onStart = this.#options.scrape_on_start && intervalMs > 2000 ? startedAt + 5000 : Infinity;
    while (!ctx.signal.aborted) {
      const at = Math.min(next, onStart);
      await ctx.clock.sleep(Math.max(0, at - ctx.clock.now()), ctx.signal).catch(() => {});
      if (ctx.signal.aborted) break;
      if (at === onStart) onStart = Infinity;
      else next += intervalMs * Math.max(1, Math.ceil((ctx.clock.now() - next) / intervalMs));
      await ctx.whenResumed();
      scrapes.inc({ name: ctx.name });
      const records = snapshot(
        { families: ctx.metrics.families, startedAt: STARTED_AT, hostname: host },
        Date.now(),
      );
      if (records.length > 0) yield ctx.signalChunk<MetricChunk>("metrics", records);
    }
  }
}
