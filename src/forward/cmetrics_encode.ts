/**
 * Writes sluice metrics as one cmetrics msgpack context (format version 2) that Fluent
 * Bit's in_forward decodes with `cmt_decode_msgpack_create`: values as float64, timestamps
 * and counts as uint64, summary sums and quantile values as the uint64 bits of a float64.
 * Not representable, and so changed or left out: non-monotonic sums are written as gauges;
 * exponential histograms and metrics without data are skipped and counted; units, start
 * times, exemplars, min/max, resource and scope are dropped; attribute values become strings.
 */
import type { MetricRecord } from "../event/metric.ts";
import { PROMETHEUS_TYPE_KEY } from "../metrics/model.ts";
import type { Attributes } from "../event/span.ts";
import type { MetricData, NumberDataPoint } from "../otlp/metric_data.ts";
import { CMT_TYPE, doubleToBits } from "./cmetrics.ts";
import { MpWriter } from "./mp_writer.ts";

const { COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED } = CMT_TYPE;

/** What {@link encodeCmetrics} wrote and what it could not represent. */
export interface CmetricsEncoding {
  /** One cmetrics context with every metric that could be written. */
  bytes: Uint8Array;
  /** Metrics left out (exponential histograms, metrics without data). */
  skipped: number;
}

function labelKeys(points: { attributes: Attributes }[]): string[] {
  const keys = new Set<string>();
  for (const p of points) for (const k in p.attributes) keys.add(k);
  return [...keys];
}

function labelString(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

/** A 64-bit FNV-1a of the label values, the series id cmetrics carries as `hash`. */
function seriesHash(values: string[]): bigint {
  let h = 0xcbf29ce484222325n;
  for (const s of values) {
    for (const b of new TextEncoder().encode(s + "\u0000")) {
      h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
    }
  }
  return h;
}

function writeHeader(
  w: MpWriter,
  type: number,
  m: MetricRecord,
  keys: string[],
  extra?: () => void,
) {
  w.str("meta").map(extra ? 5 : 4);
  w.str("ver").uint(2);
  w.str("type").uint(type);
  w.str("opts").map(4).str("ns").str("").str("ss").str("").str("name").str(m.name)
    .str("desc").str(m.description);
  w.str("labels").array(keys.length);
  for (const k of keys) w.str(k);
  extra?.();
}

function writePoint(
  w: MpWriter,
  keys: string[],
  p: { attributes: Attributes; timeUnixNano: bigint },
  body: () => void,
): void {
  // A point without attributes is cmetrics' "static" series: it has no label values.
  const labelled = keys.length > 0 && Object.keys(p.attributes).length > 0;
  const values = labelled
    ? keys.map((k) => (k in p.attributes ? labelString(p.attributes[k]) : ""))
    : [];
  w.map(labelled ? 4 : 3);
  w.str("ts").uint(p.timeUnixNano);
  body();
  if (labelled) {
    w.str("labels").array(values.length);
    for (const v of values) w.str(v);
  }
  w.str("hash").uint(seriesHash(values));
}

function numberValue(p: NumberDataPoint): number {
  return p.value === null ? 0 : Number(p.value);
}

/**
 * One cmetrics msgpack context holding `metrics`, readable by Fluent Bit's in_forward.
 *
 * @example
 * ```ts
 * import { kitSamples } from "../testing/samples.ts";
 *
 * const { bytes, skipped } = encodeCmetrics(kitSamples().metrics);
 * skipped; // 0
 * bytes.length > 0; // true
 * ```
 */
export function encodeCmetrics(metrics: readonly MetricRecord[]): CmetricsEncoding {
  const body = new MpWriter();
  let written = 0;
  let skipped = 0;
  for (const m of metrics) {
    const d = m.data as MetricData;
    if ("gauge" in d || "sum" in d) {
      const sum = "sum" in d ? d.sum : null;
      const points = "gauge" in d ? d.gauge.dataPoints : d.sum.dataPoints;
      const counter = sum !== null && sum.isMonotonic;
      const keys = labelKeys(points);
      body.map(2);
      writeHeader(
        body,
        counter ? COUNTER : m.metadata[PROMETHEUS_TYPE_KEY] === "unknown" ? UNTYPED : GAUGE,
        m,
        keys,
        counter
          ? () => body.str("aggregation_type").uint(sum!.aggregationTemporality === 1 ? 1 : 2)
          : undefined,
      );
      body.str("values").array(points.length);
      for (const p of points) {
        writePoint(body, keys, p, () => body.str("value").f64(numberValue(p)));
      }
    } else if ("histogram" in d) {
      const points = d.histogram.dataPoints;
      const keys = labelKeys(points);
      const bounds = points[0]?.explicitBounds ?? [];
      body.map(2);
      writeHeader(body, HISTOGRAM, m, keys, () => {
        body.str("buckets").array(bounds.length);
        for (const b of bounds) body.f64(b);
      });
      body.str("values").array(points.length);
      for (const p of points) {
        writePoint(body, keys, p, () => {
          body.str("histogram").map(3).str("buckets").array(bounds.length + 1);
          for (let i = 0; i <= bounds.length; i++) body.uint(p.bucketCounts[i] ?? 0n);
          body.str("sum").f64(p.sum ?? 0).str("count").uint(p.count);
        });
      }
    } else if ("summary" in d) {
      const points = d.summary.dataPoints;
      const keys = labelKeys(points);
      const quantiles = points[0]?.quantileValues.map((q) => q.quantile) ?? [];
      body.map(2);
      writeHeader(body, SUMMARY, m, keys, () => {
        body.str("quantiles").array(quantiles.length);
        for (const q of quantiles) body.f64(q);
      });
      body.str("values").array(points.length);
      for (const p of points) {
        writePoint(body, keys, p, () => {
          body.str("summary").map(4).str("quantiles_set").uint(p.quantileValues.length > 0 ? 1 : 0);
          body.str("quantiles").array(quantiles.length);
          for (let i = 0; i < quantiles.length; i++) {
            body.uint(doubleToBits(p.quantileValues[i]?.value ?? 0));
          }
          body.str("count").uint(p.count).str("sum").uint(doubleToBits(p.sum));
        });
      }
    } else {
      skipped++;
      continue;
    }
    written++;
  }
  const w = new MpWriter();
  w.map(2).str("meta").map(3);
  w.str("cmetrics").map(0).str("external").map(0);
  w.str("processing").map(1).str("static_labels").array(0);
  w.str("metrics").array(written).raw(body.bytes());
  return { bytes: w.bytes(), skipped };
}
