/**
 * The log_to_metrics filter's step: each log record its rules select updates the one metric
 * (counter, gauge or histogram), and the metric's snapshot, every series cumulative, goes into
 * the pipeline from the start as a metrics chunk under `tag` through the filter's emitter
 * input. Without a flush interval the snapshot is emitted after each chunk that changed it,
 * holding that chunk's ack until it is delivered; with one, on a timer when it changed, and a
 * last time when the inputs end. The log records pass on unchanged, or are all dropped with
 * `discard_logs`. A record whose value_field is missing or not a number is skipped, counted
 * and logged once with a sample.
 */
import { sourceOrderOf } from "../../../src/config/options.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import { sampleText } from "../../../src/event/sample_text.ts";
import {
  type Emitter,
  OptionError,
  type PluginContext,
  type TransformInstance,
} from "../../../src/plugin.ts";
import { kubernetesLabels, MAX_LABELS, orderedLabels, readLabels } from "./labels.ts";
import type { LogToMetricsOptions } from "./options.ts";
import { orderedRules, selects } from "./select.ts";
import { fullName, MetricState, nowNanos } from "./series.ts";
import { numericValue } from "./value.ts";

/** Fluent Bit's default histogram buckets. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/** Creates the filter: its metric, its rules, its emitter input and, when set, its timer. */
export function createLogToMetrics(o: LogToMetricsOptions, ctx: PluginContext): TransformInstance {
  const order = sourceOrderOf(o);
  const rules = orderedRules(o.regex, o.exclude, order);
  const labels = [
    ...(o.kubernetes_mode ? kubernetesLabels() : []),
    ...orderedLabels(o.label_field, o.add_label, order),
  ];
  if (labels.length > MAX_LABELS) {
    throw new OptionError(
      "add_label",
      `too many labels configured: ${labels.length} (at most ${MAX_LABELS})`,
    );
  }
  const mode = o.metric_mode;
  let value: RecordAccessor | undefined;
  if (mode !== "counter") {
    if (!o.value_field) {
      throw new OptionError(
        "value_field",
        `value_field is required for metric_mode ${mode}: name the numeric field, e.g. ` +
          `value_field: $latency`,
      );
    }
    value = compileValueField(o.value_field);
  }
  const bounds = [...(o.bucket.length > 0 ? o.bucket : DEFAULT_BUCKETS)].sort((a, b) => a - b);
  if (bounds.some((b, i) => i > 0 && b === bounds[i - 1])) {
    throw new OptionError("bucket", `bucket bounds must differ, got ${o.bucket.join(", ")}`);
  }
  if (mode === "histogram" && o.bucket.length === 0) {
    ctx.log.debug(`buckets are not set for histogram; using ${DEFAULT_BUCKETS.join(", ")}`);
  }
  const state = new MetricState({
    name: fullName(o.metric_namespace, o.metric_subsystem || mode, o.metric_name),
    description: o.metric_description!,
    mode,
    labelNames: labels.map((l) => l.name),
    bounds: mode === "histogram" ? bounds : [],
  });
  const intervalMs = o.flush_interval_sec * 1000 + Math.floor(o.flush_interval_nsec / 1e6);
  const timed = intervalMs > 0;
  const tag = o.tag!;
  const emitter: Emitter = ctx.emitters.open({
    name: o.emitter_name || `emitter_for_${ctx.name}`,
    memBufLimit: o.emitter_mem_buf_limit,
    storageType: "memory",
    onClose: () => flush(),
  });
  const badValues = ctx.metrics.counter(
    "sluice_filter_log_to_metrics_bad_value_records_total",
    "Records log_to_metrics skipped because value_field was missing or not a number.",
  );
  const metricLabels = { name: ctx.name };
  badValues.touch(metricLabels);

  function flush(from?: Chunk): void {
    if (!state.changed) return;
    if (!emitter.emitMetrics(from, tag, [state.snapshot()])) {
      ctx.log.once("warn", "emitter-closed", "the emitter has stopped: metrics not emitted");
    }
  }

  const stop = new AbortController();
  if (timed) void tick(intervalMs, stop.signal);
  async function tick(ms: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !ctx.signal.aborted) {
      await ctx.clock.sleep(ms, AbortSignal.any([signal, ctx.signal]));
      if (!signal.aborted) flush();
    }
  }

  const labelValues: string[] = new Array<string>(labels.length).fill("");
  function update(chunk: LogChunk): void {
    let bad = 0;
    let sample: unknown;
    let now: bigint | undefined;
    for (const r of chunk.records) {
      if (isGroupMarker(r) || !selects(rules, r.body)) continue;
      let v = 1;
      if (value) {
        const raw = value.get(r.body);
        const n = numericValue(raw);
        if (n === undefined || !Number.isFinite(n)) {
          if (bad++ === 0) sample = r.body;
          continue;
        }
        v = n;
      }
      now ??= nowNanos();
      state.record(readLabels(labels, r.body, labelValues), v, now);
    }
    if (bad > 0) {
      badValues.inc(metricLabels, bad);
      ctx.log.once(
        "warn",
        "bad-value",
        `value_field ${JSON.stringify(o.value_field)} is missing or not a number in ${bad} ` +
          `record(s) of this chunk: they are not counted (sluice_filter_log_to_metrics_bad_value_records_total). ` +
          `Sample: ${sampleText(sample)}`,
      );
    }
  }

  return {
    process(chunk: Chunk): Chunk | null {
      if (chunk.signal !== "logs") return chunk;
      update(chunk);
      if (!timed) flush(chunk);
      return o.discard_logs ? null : chunk;
    },
    close(): Promise<void> {
      stop.abort();
      return Promise.resolve();
    },
  };
}

function compileValueField(pattern: string): RecordAccessor {
  try {
    return compileAccessor(pattern);
  } catch (e) {
    throw new OptionError("value_field", e instanceof Error ? e.message : String(e));
  }
}
