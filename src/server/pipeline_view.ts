/**
 * `/api/v2/pipeline`: one JSON body with what the status page and `sluice top` show — the
 * graph, every instance's cumulative counters, buffers and paused state, the files tail
 * follows and their lag, sampling decisions, health, and the recent errors. Counters are
 * totals; a client takes rates from two bodies and their `now_ms`.
 */
import type { MetricsRegistry } from "../engine/metrics.ts";
import type { InputBufferStats } from "../engine/storage/storage_report.ts";
import type { FileReport, InputReport } from "../plugin.ts";
import type { HealthReport } from "./health.ts";
import type { RecentEntry } from "./recent_log.ts";
import type { Topology, TopologyEdge, TopologyNode } from "./topology.ts";
import { uptimeSeconds } from "./uptime.ts";
import { byName } from "./v1_metrics.ts";

/** What the body is made from. */
export interface PipelineSources {
  metrics: MetricsRegistry;
  topology: Topology;
  version: string;
  hostname: string;
  startedAt: Date;
  configPath?: string;
  health: HealthReport;
  buffers?: InputBufferStats[];
  reports?: Map<string, InputReport>;
  recent?: RecentEntry[];
  nowMs: number;
}

/** A tail file with its lag (bytes not read yet). */
export interface FileView extends FileReport {
  lag: number;
}

/** An input in the body. */
export interface InputView extends TopologyNode {
  records: number;
  bytes: number;
  paused: boolean;
  buffer: { chunks: number; bytes: number; limit: number; type: string };
  files: FileView[];
}

/** A filter in the body: records in, out, dropped and added. */
export interface FilterView extends TopologyNode {
  records_in: number;
  records_out: number;
  dropped: number;
  added: number;
}

/** An output in the body. */
export interface OutputView extends TopologyNode {
  records: number;
  bytes: number;
  errors: number;
  retries: number;
  retried_records: number;
  retries_failed: number;
  dropped: number;
  dead_letters: number;
}

/** A sampling processor's decisions. */
export interface SamplingView {
  name: string;
  pending: number;
  kept: number;
  dropped: number;
  late_spans: number;
  spans_in: number;
  spans_out: number;
}

/** The `/api/v2/pipeline` body. */
export interface PipelineBody {
  version: string;
  hostname: string;
  pid: number;
  config: string | null;
  started_at: string;
  uptime_sec: number;
  now_ms: number;
  health: HealthReport;
  inputs: InputView[];
  filters: FilterView[];
  outputs: OutputView[];
  edges: TopologyEdge[];
  sampling: SamplingView[];
  errors: RecentEntry[];
}

/** Sums of each family's series by their `name` label, each family summed once. */
function totals(metrics: MetricsRegistry): (family: string, name: string) => number {
  const cache = new Map<string, Map<string, number>>();
  return (family, name) => {
    let sums = cache.get(family);
    if (!sums) cache.set(family, sums = byName(metrics, family));
    return sums.get(name) ?? 0;
  };
}

function samplingViews(metrics: MetricsRegistry, v: ReturnType<typeof totals>): SamplingView[] {
  const names = new Set<string>();
  for (
    const s of metrics.families.get("sluice_sampling_traces_kept_total")?.series.values() ?? []
  ) {
    if (s.labels.name !== undefined) names.add(s.labels.name);
  }
  const p = "sluice_sampling_";
  return [...names].map((name) => ({
    name,
    pending: v(`${p}traces_pending`, name),
    kept: v(`${p}traces_kept_total`, name),
    dropped: v(`${p}traces_dropped_total`, name),
    late_spans: v(`${p}late_spans_total`, name),
    spans_in: v(`${p}spans_in_total`, name),
    spans_out: v(`${p}spans_out_total`, name),
  }));
}

/**
 * Builds the body from the registry and the engine's live state.
 *
 * @example
 * ```ts
 * import { MetricsRegistry } from "../engine/metrics.ts";
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const metrics = new MetricsRegistry();
 * metrics.counter("fluentbit_input_records_total", "").inc({ name: "dummy.0" }, 7);
 * const node = { name: "dummy.0", plugin: "dummy", kind: "input" as const, tag: "x" };
 * const body = pipelineBody({
 *   metrics,
 *   topology: { inputs: [{ ...node, processors: [] }], filters: [], outputs: [], edges: [] },
 *   version: "0.1.0",
 *   hostname: "h",
 *   startedAt: new Date(0),
 *   health: { status: "ok", errors: 0, retries_failed: 0, error_limit: 5,
 *     retry_failure_limit: 5, period_limit: 60 },
 *   nowMs: 90_000,
 * });
 * assertEquals([body.uptime_sec, body.inputs[0]?.records], [90, 7]);
 * ```
 */
export function pipelineBody(src: PipelineSources): PipelineBody {
  const v = totals(src.metrics);
  const buffers = new Map((src.buffers ?? []).map((b) => [b.name, b]));
  const inputs = src.topology.inputs.map((n): InputView => {
    const b = buffers.get(n.name);
    const files = (src.reports?.get(n.name)?.files ?? []).map((f) => ({
      ...f,
      lag: Math.max(0, f.size - f.read),
    }));
    return {
      ...n,
      records: v("fluentbit_input_records_total", n.name),
      bytes: v("fluentbit_input_bytes_total", n.name),
      paused: b?.paused ?? v("fluentbit_input_ingestion_paused", n.name) > 0,
      buffer: {
        chunks: b?.chunks ?? 0,
        bytes: b?.bytes ?? 0,
        limit: b?.limit ?? 0,
        type: b?.type ?? "memory",
      },
      files,
    };
  });
  const filters = src.topology.filters.map((n): FilterView => {
    const recordsIn = v("fluentbit_filter_records_total", n.name);
    const dropped = v("fluentbit_filter_drop_records_total", n.name);
    const added = v("fluentbit_filter_added_records_total", n.name);
    return {
      ...n,
      records_in: recordsIn,
      records_out: recordsIn - dropped + added,
      dropped,
      added,
    };
  });
  const outputs = src.topology.outputs.map((n): OutputView => ({
    ...n,
    records: v("fluentbit_output_proc_records_total", n.name),
    bytes: v("fluentbit_output_proc_bytes_total", n.name),
    errors: v("fluentbit_output_errors_total", n.name),
    retries: v("fluentbit_output_retries_total", n.name),
    retried_records: v("fluentbit_output_retried_records_total", n.name),
    retries_failed: v("fluentbit_output_retries_failed_total", n.name),
    dropped: v("fluentbit_output_dropped_records_total", n.name),
    dead_letters: v("sluice_output_dead_letter_records_total", n.name),
  }));
  return {
    version: src.version,
    hostname: src.hostname,
    pid: Deno.pid,
    config: src.configPath ?? null,
    started_at: src.startedAt.toISOString(),
    uptime_sec: uptimeSeconds(src.startedAt, src.nowMs),
    now_ms: src.nowMs,
    health: src.health,
    inputs,
    filters,
    outputs,
    edges: src.topology.edges,
    sampling: samplingViews(src.metrics, v),
    errors: src.recent ?? [],
  };
}
