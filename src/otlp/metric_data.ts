/**
 * The typed shape of `MetricRecord.data` as the OTLP codec produces and reads it: the
 * metric's one data field keyed by its kind (`gauge`, `sum`, `histogram`,
 * `exponentialHistogram`, `summary`), with every data point field at a defined value.
 * 64-bit integers (times, counts, int values) are bigint; doubles are numbers; a number
 * value is a bigint for `as_int` and a number for `as_double`, null when unset.
 */
import type { MetricRecord } from "../event/metric.ts";
import type { Attributes } from "../event/span.ts";

/** A sampled measurement attached to a data point. */
export interface Exemplar {
  /** Attributes of the measurement that the aggregation dropped. */
  filteredAttributes: Attributes;
  /** When the measurement was taken, in nanoseconds since the Unix epoch. */
  timeUnixNano: bigint;
  /** bigint for `as_int`, number for `as_double`, null when neither is set. */
  value: number | bigint | null;
  /** The span active at the measurement; empty when none. */
  spanId: Uint8Array;
  /** The trace active at the measurement; empty when none. */
  traceId: Uint8Array;
}

/** Fields every data point kind has. */
export interface DataPointBase {
  /** The point's attributes. */
  attributes: Attributes;
  /** Start of the aggregation interval, in nanoseconds since the Unix epoch; 0n when unset. */
  startTimeUnixNano: bigint;
  /** End of the aggregation interval, in nanoseconds since the Unix epoch. */
  timeUnixNano: bigint;
  /** OTLP DataPointFlags (bit 0: no recorded value). */
  flags: number;
}

/** A gauge or sum point. */
export interface NumberDataPoint extends DataPointBase {
  /** bigint for `as_int`, number for `as_double`, null when neither is set. */
  value: number | bigint | null;
  /** Sampled measurements behind the point. */
  exemplars: Exemplar[];
}

/** An explicit-bucket histogram point; `sum`, `min`, `max` are null when absent. */
export interface HistogramDataPoint extends DataPointBase {
  /** Number of measurements. */
  count: bigint;
  /** Sum of the measurements. */
  sum: number | null;
  /** Count per bucket; one more than `explicitBounds`. */
  bucketCounts: bigint[];
  /** Upper bounds of the buckets but the last, ascending. */
  explicitBounds: number[];
  /** Sampled measurements behind the point. */
  exemplars: Exemplar[];
  /** Smallest measurement. */
  min: number | null;
  /** Largest measurement. */
  max: number | null;
}

/** One side (positive or negative) of an exponential histogram. */
export interface ExponentialBuckets {
  /** Index of the first bucket. */
  offset: number;
  /** Count per bucket, from `offset` on. */
  bucketCounts: bigint[];
}

/** An exponential histogram point; `sum`, `min`, `max` are null when absent. */
export interface ExponentialHistogramDataPoint extends DataPointBase {
  /** Number of measurements. */
  count: bigint;
  /** Sum of the measurements. */
  sum: number | null;
  /** Resolution: bucket boundaries are powers of 2^(2^-scale). */
  scale: number;
  /** Measurements within `zeroThreshold` of zero. */
  zeroCount: bigint;
  /** Buckets of positive measurements. */
  positive: ExponentialBuckets;
  /** Buckets of negative measurements. */
  negative: ExponentialBuckets;
  /** Sampled measurements behind the point. */
  exemplars: Exemplar[];
  /** Smallest measurement. */
  min: number | null;
  /** Largest measurement. */
  max: number | null;
  /** Width of the zero bucket. */
  zeroThreshold: number;
}

/** A quantile of a summary point. */
export interface ValueAtQuantile {
  /** The quantile, 0.0 to 1.0. */
  quantile: number;
  /** The value at that quantile. */
  value: number;
}

/** A summary point. */
export interface SummaryDataPoint extends DataPointBase {
  /** Number of measurements. */
  count: bigint;
  /** Sum of the measurements. */
  sum: number;
  /** Values at the reported quantiles. */
  quantileValues: ValueAtQuantile[];
}

/** OTLP AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
export const AggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;

/** The data of a metric: exactly one kind, or none for a metric without data. */
export type MetricData =
  | { gauge: { dataPoints: NumberDataPoint[] } }
  | {
    sum: { dataPoints: NumberDataPoint[]; aggregationTemporality: number; isMonotonic: boolean };
  }
  | { histogram: { dataPoints: HistogramDataPoint[]; aggregationTemporality: number } }
  | {
    exponentialHistogram: {
      dataPoints: ExponentialHistogramDataPoint[];
      aggregationTemporality: number;
    };
  }
  | { summary: { dataPoints: SummaryDataPoint[] } }
  | Record<string, never>;

/** The kind names `MetricRecord.data` is keyed by. */
export type MetricKind = "gauge" | "sum" | "histogram" | "exponentialHistogram" | "summary";

/** A metric's data with its type, as the codec wrote it (MetricRecord keeps it untyped). */
export function metricData(m: MetricRecord): MetricData {
  return m.data as MetricData;
}

/** The kind of a metric's data, or null when it has none. */
export function metricKind(m: MetricRecord): MetricKind | null {
  const d = m.data;
  if ("gauge" in d) return "gauge";
  if ("sum" in d) return "sum";
  if ("histogram" in d) return "histogram";
  if ("exponentialHistogram" in d) return "exponentialHistogram";
  if ("summary" in d) return "summary";
  return null;
}
