/**
 * The data points of a metric whatever its kind, for stages that work on every point's
 * attributes (the labels and metrics_selector processors).
 */
import type { MetricRecord } from "../event/metric.ts";
import type { DataPointBase } from "./metric_data.ts";

/**
 * The metric's data points (the live array: a stage may filter it in place), or an empty
 * list for a metric without data.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { sampleMetrics } from "./_samples.ts";
 *
 * const [m] = sampleMetrics();
 * assertEquals(dataPointsOf(m!).length > 0, true);
 * ```
 */
export function dataPointsOf(m: MetricRecord): DataPointBase[] {
  for (const kind in m.data) {
    const points = (m.data[kind] as { dataPoints?: DataPointBase[] } | undefined)?.dataPoints;
    if (Array.isArray(points)) return points;
  }
  return [];
}

/** Replaces the metric's data points by `points` (same kind), in place. */
export function setDataPoints(m: MetricRecord, points: DataPointBase[]): void {
  for (const kind in m.data) {
    const data = m.data[kind] as { dataPoints?: DataPointBase[] } | undefined;
    if (data && Array.isArray(data.dataPoints)) {
      data.dataPoints = points;
      return;
    }
  }
}

/** An attribute value as label text: strings as they are, numbers and booleans as written. */
export function attributeText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
    case "boolean":
      return String(value);
    default:
      return value === null || value === undefined
        ? ""
        : JSON.stringify(value, (_k, v) => typeof v === "bigint" ? String(v) : v);
  }
}
