/**
 * A metric record as Prometheus samples: one per number point; `_bucket` (cumulative, with
 * `le`), `_sum` and `_count` per histogram point (exponential ones through their explicit
 * buckets); a sample per quantile plus `_sum` and `_count` per summary point. Names and
 * label names are made valid Prometheus names (other characters become `_`).
 */
import type { MetricRecord } from "../../event/metric.ts";
import type { Attributes } from "../../event/span.ts";
import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from "../../otlp/metric_data.ts";
import { explicitFromExponential } from "../exponential.ts";
import { labelValue } from "../model.ts";

/** Receives one sample: its full name, its labels, `le`/`quantile` (or null), value, time. */
export type SampleSink = (
  name: string,
  labels: readonly string[],
  special: readonly [string, string] | null,
  value: number,
  timeUnixNano: bigint,
) => void;

const NAME_OK = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_OK = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `name` as a valid metric name: other characters become `_`, a leading digit gets one. */
export function metricName(name: string): string {
  if (NAME_OK.test(name)) return name;
  const s = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(s) || s === "" ? "_" + s : s;
}

/** `name` as a valid label name. */
export function labelName(name: string): string {
  if (LABEL_OK.test(name)) return name;
  const s = name.replace(/[^a-zA-Z0-9_]/g, "_");
  return /^[0-9]/.test(s) || s === "" ? "_" + s : s;
}

/** Point attributes as alternating label names and values. */
export function labelPairs(attrs: Attributes): string[] {
  const out: string[] = [];
  for (const k in attrs) out.push(labelName(k), labelValue(attrs[k]!));
  return out;
}

/** A number point's value as a float (null, an unset value, as NaN). */
export function numberValue(v: number | bigint | null): number {
  return v === null ? NaN : Number(v);
}

/**
 * `v` as Go's `strconv.FormatFloat(v, 'g', -1, 64)` writes it, which Prometheus's client
 * libraries use for values and `le`/`quantile` labels (`1.6384e+06`, `0.05`, `1e-05`): the
 * shortest exact digits, in exponent form below 1e-4 or from 1e6 (from 10^`exponentFrom`).
 * `le` is a string to Prometheus, so its spelling must be the one targets use.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals([1638400, 0.05, 100000, 0.00001, 2.5e-7].map((v) => goFloat(v)),
 *   ["1.6384e+06", "0.05", "100000", "1e-05", "2.5e-07"]);
 * ```
 */
export function goFloat(v: number, exponentFrom = 6): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const e = v.toExponential(); // shortest digits: "1.6384e+6"
  const at = e.indexOf("e");
  const exp = Number(e.slice(at + 1));
  if (exp >= -4 && exp < exponentFrom) return String(v);
  const digits = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
  return `${e.slice(0, at)}e${exp < 0 ? "-" : "+"}${digits}`;
}

/** A bound as Prometheus writes `le` and `quantile` values. */
export function boundText(b: number): string {
  return goFloat(b);
}

/** Calls `sink` for each sample of `m` (see the module comment). */
export function forEachSample(m: MetricRecord, sink: SampleSink): void {
  const name = metricName(m.name);
  const d = m.data as Record<string, { dataPoints: unknown[] } | undefined>;
  if (d.gauge || d.sum) {
    for (const p of (d.gauge ?? d.sum)!.dataPoints as NumberDataPoint[]) {
      sink(name, labelPairs(p.attributes), null, numberValue(p.value), p.timeUnixNano);
    }
  } else if (d.histogram) {
    for (const p of d.histogram.dataPoints as HistogramDataPoint[]) histogramSamples(name, p, sink);
  } else if (d.exponentialHistogram) {
    for (const p of d.exponentialHistogram.dataPoints as ExponentialHistogramDataPoint[]) {
      histogramSamples(name, explicitFromExponential(p), sink);
    }
  } else if (d.summary) {
    for (const p of d.summary.dataPoints as SummaryDataPoint[]) {
      const labels = labelPairs(p.attributes);
      for (const q of p.quantileValues) {
        sink(name, labels, ["quantile", boundText(q.quantile)], q.value, p.timeUnixNano);
      }
      sink(name + "_sum", labels, null, p.sum, p.timeUnixNano);
      sink(name + "_count", labels, null, Number(p.count), p.timeUnixNano);
    }
  }
}

function histogramSamples(name: string, p: HistogramDataPoint, sink: SampleSink): void {
  const labels = labelPairs(p.attributes);
  let cumulative = 0n;
  const bucket = name + "_bucket";
  for (let i = 0; i < p.bucketCounts.length; i++) {
    cumulative += p.bucketCounts[i]!;
    const bound = i < p.explicitBounds.length ? p.explicitBounds[i]! : Infinity;
    if (bound === Infinity && i < p.bucketCounts.length - 1) continue;
    sink(bucket, labels, ["le", boundText(bound)], Number(cumulative), p.timeUnixNano);
  }
  if (p.bucketCounts.length === 0) {
    sink(bucket, labels, ["le", "+Inf"], Number(p.count), p.timeUnixNano);
  }
  sink(name + "_sum", labels, null, p.sum ?? NaN, p.timeUnixNano);
  sink(name + "_count", labels, null, Number(p.count), p.timeUnixNano);
}
