/**
 * Metric families as node_exporter exposes them (name, help, type, one value per label set),
 * built by the collectors on each update and turned into the pipeline's MetricRecords.
 */
import type { MetricRecord } from "../../../src/event/metric.ts";
import type { Resource, Scope } from "../../../src/event/span.ts";
import { AggregationTemporality, type NumberDataPoint } from "../../../src/otlp/metric_data.ts";

/** Prometheus's metric types; `untyped` travels as a gauge marked `prometheus.type: unknown`. */
export type FamilyType = "counter" | "gauge" | "untyped";

/** One series: its labels and value. */
export interface Sample {
  /** Label names to values, in the family's label order. */
  labels: Record<string, string>;
  /** The value. */
  value: number;
}

/** A metric family: name, help, type and its series. */
export interface Family {
  /** Full Prometheus name, e.g. `node_cpu_seconds_total`. */
  name: string;
  /** HELP text. */
  help: string;
  /** Prometheus type. */
  type: FamilyType;
  /** The series. */
  samples: Sample[];
  /** Collection time, nanoseconds since the Unix epoch. */
  timeUnixNano: bigint;
}

/** The families one collector update produced, by name, in creation order. */
export class Families {
  readonly #byName = new Map<string, Family>();
  readonly #time: bigint;

  constructor(timeUnixNano: bigint = nowNanos()) {
    this.#time = timeUnixNano;
  }

  /** Adds a sample to counter `name`, creating the family on first use. */
  counter(name: string, help: string, value: number, labels: Record<string, string> = {}): void {
    this.add("counter", name, help, value, labels);
  }

  /** Adds a sample to gauge `name`, creating the family on first use. */
  gauge(name: string, help: string, value: number, labels: Record<string, string> = {}): void {
    this.add("gauge", name, help, value, labels);
  }

  /** Adds a sample to untyped `name`, creating the family on first use. */
  untyped(name: string, help: string, value: number, labels: Record<string, string> = {}): void {
    this.add("untyped", name, help, value, labels);
  }

  /** Adds a sample to family `name` of `type`. */
  add(
    type: FamilyType,
    name: string,
    help: string,
    value: number,
    labels: Record<string, string>,
  ): void {
    let f = this.#byName.get(name);
    if (!f) {
      f = { name, help, type, samples: [], timeUnixNano: this.#time };
      this.#byName.set(name, f);
    }
    f.samples.push({ labels, value });
  }

  /** The families, in creation order. */
  list(): Family[] {
    return [...this.#byName.values()];
  }
}

/** Now in nanoseconds since the Unix epoch. */
export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

const UNKNOWN_META = { "prometheus.type": "unknown" } as const;

/**
 * The MetricRecords of `families`, sharing `resource` and `scope`: a counter is a cumulative
 * monotonic sum, a gauge a gauge, an untyped family a gauge with `prometheus.type: unknown`
 * in its metadata (the OpenTelemetry convention for Prometheus's unknown type).
 *
 * @example
 * ```ts
 * import { emptyResource, emptyScope } from "../../../src/event/span.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { Families, toMetricRecords } from "./families.ts";
 *
 * const f = new Families(5n);
 * f.gauge("node_load1", "1m load average.", 0.5);
 * const [m] = toMetricRecords(f.list(), emptyResource(), emptyScope());
 * assertEquals(m?.name, "node_load1");
 * ```
 */
export function toMetricRecords(
  families: readonly Family[],
  resource: Resource,
  scope: Scope,
): MetricRecord[] {
  const out: MetricRecord[] = [];
  for (const f of families) {
    const dataPoints: NumberDataPoint[] = f.samples.map((s) => ({
      attributes: s.labels,
      startTimeUnixNano: 0n,
      timeUnixNano: f.timeUnixNano,
      flags: 0,
      value: s.value,
      exemplars: [],
    }));
    const data = f.type === "counter"
      ? {
        sum: {
          dataPoints,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          isMonotonic: true,
        },
      }
      : { gauge: { dataPoints } };
    out.push({
      resource,
      scope,
      name: f.name,
      description: f.help,
      unit: "",
      metadata: f.type === "untyped" ? { ...UNKNOWN_META } : {},
      data,
    });
  }
  return out;
}
