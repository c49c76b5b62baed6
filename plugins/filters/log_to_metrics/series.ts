/**
 * The metric log_to_metrics keeps: one counter, gauge or histogram whose series are keyed by
 * their label values, cumulative since the filter started, and its snapshot as an OTLP-shaped
 * MetricRecord (a monotonic cumulative sum for a counter, a gauge, a cumulative histogram).
 * Each series carries the time it was created (start) and last changed, as Fluent Bit's
 * cmetrics does; values are doubles.
 */
import type { MetricRecord } from "../../../src/event/metric.ts";
import { emptyResource, emptyScope } from "../../../src/event/span.ts";
import {
  AggregationTemporality,
  type HistogramDataPoint,
  type MetricData,
  type NumberDataPoint,
} from "../../../src/otlp/metric_data.ts";

/** The kinds of metric the filter makes. */
export type MetricMode = "counter" | "gauge" | "histogram";

interface Series {
  labels: Record<string, string>;
  start: bigint;
  time: bigint;
  value: number;
  /** Histogram: count per bucket (not cumulative), one more than the bounds. */
  buckets: number[] | undefined;
  count: number;
}

/** What {@link MetricState} is made from. */
export interface MetricSpec {
  /** The full metric name. */
  name: string;
  /** Its help text. */
  description: string;
  /** Its kind. */
  mode: MetricMode;
  /** The label names, in order. */
  labelNames: readonly string[];
  /** Histogram bucket upper bounds, ascending. */
  bounds: readonly number[];
}

/** The current time in nanoseconds since the Unix epoch. */
export function nowNanos(): bigint {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

/**
 * The state of the one metric: `record` updates a series, `snapshot` copies them all.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const m = new MetricState({
 *   name: "log_metric_counter_requests",
 *   description: "d",
 *   mode: "counter",
 *   labelNames: ["status"],
 *   bounds: [],
 * });
 * m.record(["200"], 1, 1n);
 * m.record(["200"], 1, 2n);
 * const data = m.snapshot().data as { sum: { dataPoints: { value: unknown }[] } };
 * assertEquals(data.sum.dataPoints.map((p) => p.value), [2]);
 * ```
 */
export class MetricState {
  readonly spec: MetricSpec;
  #series = new Map<string, Series>();
  #changed = false;

  constructor(spec: MetricSpec) {
    this.spec = spec;
  }

  /** True when a series changed since the last snapshot. */
  get changed(): boolean {
    return this.#changed;
  }

  /** The number of series. */
  get size(): number {
    return this.#series.size;
  }

  /** Counts (counter), sets (gauge) or observes (histogram) `value` in the series of `values`. */
  record(values: readonly string[], value: number, now: bigint): void {
    const key = values.length === 1 ? values[0]! : values.join("\u0000");
    let s = this.#series.get(key);
    if (!s) {
      s = this.#newSeries(values, now);
      this.#series.set(key, s);
    }
    s.time = now;
    this.#changed = true;
    switch (this.spec.mode) {
      case "counter":
        s.value += 1;
        return;
      case "gauge":
        s.value = value;
        return;
      case "histogram": {
        const bounds = this.spec.bounds;
        let i = 0;
        while (i < bounds.length && value > bounds[i]!) i++;
        s.buckets![i]!++;
        s.value += value;
        s.count++;
      }
    }
  }

  #newSeries(values: readonly string[], now: bigint): Series {
    const labels: Record<string, string> = {};
    this.spec.labelNames.forEach((n, i) => (labels[n] = values[i] ?? ""));
    const buckets = this.spec.mode === "histogram"
      ? new Array<number>(this.spec.bounds.length + 1).fill(0)
      : undefined;
    return { labels, start: now, time: now, value: 0, buckets, count: 0 };
  }

  /** Every series as one MetricRecord with copies of the current values; clears `changed`. */
  snapshot(): MetricRecord {
    this.#changed = false;
    return {
      resource: emptyResource(),
      scope: emptyScope(),
      name: this.spec.name,
      description: this.spec.description,
      unit: "",
      metadata: {},
      data: this.#data() as Record<string, unknown>,
    };
  }

  #data(): MetricData {
    const series = [...this.#series.values()];
    if (this.spec.mode === "histogram") {
      const explicitBounds = [...this.spec.bounds];
      const dataPoints = series.map((s): HistogramDataPoint => ({
        attributes: { ...s.labels },
        startTimeUnixNano: s.start,
        timeUnixNano: s.time,
        flags: 0,
        count: BigInt(s.count),
        sum: s.value,
        bucketCounts: s.buckets!.map(BigInt),
        explicitBounds: [...explicitBounds],
        exemplars: [],
        min: null,
        max: null,
      }));
      return {
        histogram: { dataPoints, aggregationTemporality: AggregationTemporality.CUMULATIVE },
      };
    }
    const dataPoints = series.map((s): NumberDataPoint => ({
      attributes: { ...s.labels },
      startTimeUnixNano: s.start,
      timeUnixNano: s.time,
      flags: 0,
      value: s.value,
      exemplars: [],
    }));
    if (this.spec.mode === "gauge") return { gauge: { dataPoints } };
    return {
      sum: {
        dataPoints,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        isMonotonic: true,
      },
    };
  }
}

/** The full name as cmetrics builds it: namespace, subsystem and name joined by `_`, empty parts left out. */
export function fullName(namespace: string, subsystem: string, name: string): string {
  let out = namespace === "" ? "" : namespace + "_";
  if (subsystem !== "") out += subsystem.endsWith("_") ? subsystem : subsystem + "_";
  return out + name;
}
