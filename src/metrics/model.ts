/**
 * Helpers over the metrics model (`MetricRecord` with OTLP-shaped data, `src/otlp/metric_data.ts`):
 * constructors for the common kinds, the Prometheus type a metric stands for, its data points
 * whatever their kind, and label views of point attributes.
 *
 * Prometheus types that OTLP has no kind for travel as a marker in the metric's metadata,
 * as the OpenTelemetry Prometheus compatibility spec writes it: `prometheus.type` is
 * `"unknown"` for an untyped (0.0.4) or unknown (OpenMetrics) metric carried as a gauge, and
 * `"info"`, `"stateset"` or `"gaugehistogram"` for the OpenMetrics types of those names.
 */
import type { MetricRecord } from "../event/metric.ts";
import {
  type Attributes,
  emptyResource,
  emptyScope,
  type Resource,
  type Scope,
} from "../event/span.ts";
import type {
  DataPointBase,
  HistogramDataPoint,
  MetricData,
  NumberDataPoint,
  SummaryDataPoint,
} from "../otlp/metric_data.ts";

/** The metadata key holding a Prometheus type OTLP has no kind for. */
export const PROMETHEUS_TYPE_KEY = "prometheus.type";

/** The metric types of the Prometheus text formats (0.0.4 and OpenMetrics 1.0). */
export type PrometheusType =
  | "counter"
  | "gauge"
  | "histogram"
  | "summary"
  | "unknown"
  | "info"
  | "stateset"
  | "gaugehistogram";

/** Where a new metric comes from and what it says about itself. */
export interface MetricInit {
  /** The metric's help text (OTLP description). */
  description?: string;
  /** The metric's unit. */
  unit?: string;
  /** Shared by the metrics of one source; a fresh empty one when omitted. */
  resource?: Resource;
  /** Shared by the metrics of one source; a fresh empty one when omitted. */
  scope?: Scope;
  /** A Prometheus type without an OTLP kind (`unknown`, `info`, ...), kept in the metadata. */
  prometheusType?: PrometheusType;
}

/**
 * A metric record of `name` holding `data`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const m = newMetric("up", { gauge: { dataPoints: [numberPoint({ job: "a" }, 1, 5n)] } });
 * assertEquals(prometheusType(m), "gauge");
 * ```
 */
export function newMetric(name: string, data: MetricData, init: MetricInit = {}): MetricRecord {
  const metadata: Attributes = {};
  const t = init.prometheusType;
  if (t === "unknown" || t === "info" || t === "stateset" || t === "gaugehistogram") {
    metadata[PROMETHEUS_TYPE_KEY] = t;
  }
  return {
    resource: init.resource ?? emptyResource(),
    scope: init.scope ?? emptyScope(),
    name,
    description: init.description ?? "",
    unit: init.unit ?? "",
    metadata,
    data: data as Record<string, unknown>,
  };
}

/** A gauge or sum point of `value` at `timeUnixNano`, started at `startUnixNano` (0n: unset). */
export function numberPoint(
  attributes: Attributes,
  value: number | bigint,
  timeUnixNano: bigint,
  startUnixNano = 0n,
): NumberDataPoint {
  return {
    attributes,
    startTimeUnixNano: startUnixNano,
    timeUnixNano,
    flags: 0,
    value,
    exemplars: [],
  };
}

/** A cumulative monotonic sum: a Prometheus counter. */
export function counterData(dataPoints: NumberDataPoint[]): MetricData {
  return { sum: { dataPoints, aggregationTemporality: 2, isMonotonic: true } };
}

/** A gauge. */
export function gaugeData(dataPoints: NumberDataPoint[]): MetricData {
  return { gauge: { dataPoints } };
}

/** A cumulative explicit-bucket histogram. */
export function histogramData(dataPoints: HistogramDataPoint[]): MetricData {
  return { histogram: { dataPoints, aggregationTemporality: 2 } };
}

/** A summary. */
export function summaryData(dataPoints: SummaryDataPoint[]): MetricData {
  return { summary: { dataPoints } };
}

/**
 * The Prometheus type `m` stands for: a monotonic sum is a counter, a non-monotonic one a
 * gauge, a gauge marked `prometheus.type` is that type, an exponential histogram a histogram.
 */
export function prometheusType(m: MetricRecord): PrometheusType {
  const d = m.data;
  const marked = m.metadata[PROMETHEUS_TYPE_KEY];
  if (
    typeof marked === "string" &&
    (marked === "unknown" || marked === "info" || marked === "stateset" ||
      marked === "gaugehistogram")
  ) return marked;
  if ("sum" in d) return (d.sum as { isMonotonic?: boolean }).isMonotonic ? "counter" : "gauge";
  if ("histogram" in d || "exponentialHistogram" in d) return "histogram";
  if ("summary" in d) return "summary";
  return "gauge";
}

/** The data points of `m`, whatever its kind; empty when it has no data. */
export function dataPoints(m: MetricRecord): DataPointBase[] {
  for (const v of Object.values(m.data)) {
    const points = (v as { dataPoints?: unknown } | null)?.dataPoints;
    if (Array.isArray(points)) return points as DataPointBase[];
  }
  return [];
}

/** An attribute value as a Prometheus label value (strings as they are, others as JSON). */
export function labelValue(v: Attributes[string]): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v === null) return "";
  if (v instanceof Uint8Array) return btoa(String.fromCharCode(...v));
  return JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x.toString() : x);
}
