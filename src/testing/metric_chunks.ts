/** Metric records and chunks for plugin tests: gauges with given series, real acks. */
import { Ack } from "../event/ack.ts";
import type { MetricChunk } from "../event/chunk.ts";
import type { MetricRecord } from "../event/metric.ts";
import { type Attributes, emptyResource, emptyScope } from "../event/span.ts";
import type { NumberDataPoint } from "../otlp/metric_data.ts";

/**
 * A gauge named `name` with one point per entry of `series` (its attributes, value 1, 2, ...).
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const m = gaugeMetric("up", [{ job: "a" }]);
 * assertEquals((m.data.gauge as { dataPoints: { value: number }[] }).dataPoints[0]!.value, 1);
 * ```
 */
export function gaugeMetric(name: string, series: Attributes[] = [{}]): MetricRecord {
  const dataPoints: NumberDataPoint[] = series.map((attributes, i) => ({
    attributes: { ...attributes },
    startTimeUnixNano: 0n,
    timeUnixNano: 1_700_000_000_000_000_000n,
    flags: 0,
    value: i + 1,
    exemplars: [],
  }));
  return {
    resource: emptyResource(),
    scope: emptyScope(),
    name,
    description: "",
    unit: "",
    metadata: {},
    data: { gauge: { dataPoints } },
  };
}

/** A metrics chunk of `records` with a new ack. */
export function metricChunk(records: MetricRecord[], tag = "test"): MetricChunk {
  return { signal: "metrics", tag, records, bytes: 100, ack: new Ack(), input: "test.0" };
}

/** Every point's attributes of every metric, per metric name. */
export function seriesOf(chunk: MetricChunk | null): Record<string, Attributes[]> {
  const out: Record<string, Attributes[]> = {};
  for (const m of chunk?.records ?? []) {
    const d = m.data as Record<string, { dataPoints: { attributes: Attributes }[] }>;
    out[m.name] = Object.values(d).flatMap((x) => x.dataPoints.map((p) => p.attributes));
  }
  return out;
}
