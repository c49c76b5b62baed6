/**
 * Metrics as cmetrics' text format, the readable print of Fluent Bit's stdout and file
 * outputs: one line per series, `<RFC 3339 ns time> name{labels} = value`, histograms as
 * `{ buckets = { le=count, ... }, sum=S, count=N }` (cumulative counts), summaries as
 * `{ quantiles = { q=v, ... }, sum=S, count=N }`; counters first, then gauges, summaries,
 * histograms and untyped metrics, as cmetrics orders them. Label values are printed as they are.
 * Values are written in their shortest exact form (Fluent Bit: `%.17g`, sums `%g`).
 */
import type { MetricRecord } from "../event/metric.ts";
import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from "../otlp/metric_data.ts";
import { explicitFromExponential } from "./exponential.ts";
import { labelValue, prometheusType } from "./model.ts";
import { goFloat } from "./prometheus/series.ts";
import type { Attributes } from "../event/span.ts";

/** An epoch-ns time as RFC 3339 with nine fractional digits: `2026-01-01T00:00:00.000000000Z`. */
export function rfc3339Nanos(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  const frac = String(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).padStart(9, "0");
  return `${iso.slice(0, 19)}.${frac}Z`;
}

function num(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return goFloat(v, 17);
}

const ORDER: Record<string, number> = { counter: 0, gauge: 1, summary: 2, histogram: 3 };

/** cmetrics prints counters, gauges, summaries, histograms, then untyped metrics. */
function byType(metrics: readonly MetricRecord[]): MetricRecord[] {
  const rank = (m: MetricRecord) => {
    const t = prometheusType(m);
    return ORDER[t === "info" || t === "stateset" ? "gauge" : t] ?? 4;
  };
  return metrics.map((m, i) => [rank(m), i, m] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
}

function labels(attrs: Attributes): string {
  const parts: string[] = [];
  for (const k in attrs) parts.push(`${k}="${labelValue(attrs[k]!)}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

function bound(b: number): string {
  return goFloat(b);
}

function histogram(p: HistogramDataPoint): string {
  const parts: string[] = [];
  let cumulative = 0n;
  for (let i = 0; i < p.bucketCounts.length; i++) {
    cumulative += p.bucketCounts[i]!;
    parts.push(`${bound(p.explicitBounds[i] ?? Infinity)}=${cumulative}`);
  }
  return `{ buckets = { ${parts.join(", ")} }, sum=${num(p.sum ?? NaN)}, count=${p.count} }`;
}

/**
 * `metrics` in cmetrics' text format.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { gaugeData, newMetric, numberPoint } from "./model.ts";
 *
 * const m = newMetric("temp", gaugeData([numberPoint({ room: "a" }, 21.5, 0n)]));
 * assertEquals(metricsText([m]), '1970-01-01T00:00:00.000000000Z temp{room="a"} = 21.5\n');
 * ```
 */
export function metricsText(metrics: readonly MetricRecord[]): string {
  let out = "";
  for (const m of byType(metrics)) {
    const d = m.data as Record<string, { dataPoints: unknown[] } | undefined>;
    const line = (p: { timeUnixNano: bigint; attributes: Attributes }, value: string) => {
      out += `${rfc3339Nanos(p.timeUnixNano)} ${m.name}${labels(p.attributes)} = ${value}\n`;
    };
    if (d.gauge || d.sum) {
      for (const p of (d.gauge ?? d.sum)!.dataPoints as NumberDataPoint[]) {
        line(
          p,
          p.value === null ? "nan" : typeof p.value === "bigint" ? String(p.value) : num(p.value),
        );
      }
    } else if (d.histogram) {
      for (const p of d.histogram.dataPoints as HistogramDataPoint[]) line(p, histogram(p));
    } else if (d.exponentialHistogram) {
      for (const p of d.exponentialHistogram.dataPoints as ExponentialHistogramDataPoint[]) {
        line(p, histogram(explicitFromExponential(p)));
      }
    } else if (d.summary) {
      for (const p of d.summary.dataPoints as SummaryDataPoint[]) {
        const q = p.quantileValues.map((v) => `${num(v.quantile)}=${num(v.value)}`).join(", ");
        line(p, `{ quantiles = { ${q} }, sum=${num(p.sum)}, count=${p.count} }`);
      }
    }
  }
  return out;
}
