/**
 * sluice's own metrics as metric records, under Fluent Bit's names: every family of the
 * registry (counters as cumulative monotonic sums started at the process start, gauges as
 * gauges) plus Fluent Bit's process families (`fluentbit_uptime`, `fluentbit_build_info`, ...)
 * the registry does not hold, as `/api/v2/metrics` shows them.
 */
import type { MetricRecord } from "../../../src/event/metric.ts";
import { emptyResource, emptyScope } from "../../../src/event/span.ts";
import { counterData, gaugeData, newMetric, numberPoint } from "../../../src/metrics/model.ts";
import type { MetricFamilyView, MetricLabels } from "../../../src/plugin.ts";
import { type Family, processFamilies } from "../../../src/server/v2_metrics.ts";
import { VERSION } from "../../../src/version.ts";

/** What a snapshot is taken of. */
export interface SnapshotSource {
  /** The registry's families. */
  families: ReadonlyMap<string, MetricFamilyView>;
  /** When the process started. */
  startedAt: Date;
  /** The host name for the process families. */
  hostname: string;
}

/** The records of `source` at `nowMs`. */
export function snapshot(source: SnapshotSource, nowMs: number): MetricRecord[] {
  const resource = emptyResource();
  const scope = emptyScope();
  const now = BigInt(nowMs) * 1_000_000n;
  const start = BigInt(source.startedAt.getTime()) * 1_000_000n;
  const out: MetricRecord[] = [];
  const add = (
    f: { name: string; help: string; type: "counter" | "gauge" },
    series: Iterable<{ labels: MetricLabels; value: number }>,
  ) => {
    const counter = f.type === "counter";
    const points = [...series].map((s) =>
      numberPoint({ ...s.labels }, s.value, now, counter ? start : 0n)
    );
    if (points.length === 0) return;
    const data = counter ? counterData(points) : gaugeData(points);
    out.push(newMetric(f.name, data, { description: f.help, resource, scope }));
  };
  const info = {
    startedAt: source.startedAt,
    hostname: source.hostname,
    version: VERSION,
    reloadCount: 0,
  };
  for (const f of processFamilies(info, nowMs) as Family[]) {
    if (!source.families.has(f.name)) add(f, f.series);
  }
  for (const f of source.families.values()) add(f, f.series.values());
  return out;
}
