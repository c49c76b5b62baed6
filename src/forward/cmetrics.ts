/**
 * Fluent Bit's metrics payload on the forward wire (`fluent_signal` 1): one or more
 * concatenated cmetrics msgpack contexts (cmetrics `cmt_encode_msgpack.c`, format version 2),
 * mapped to and from sluice's OTLP-shaped MetricRecord.
 *
 * Mapping: counter ↔ monotonic sum (cmetrics `aggregation_type` ↔ temporality, unspecified
 * read as cumulative), gauge ↔ gauge, untyped ↔ gauge marked `prometheus.type: unknown`, histogram ↔ explicit-bucket histogram,
 * summary ↔ summary. Labels ↔ point attributes (values as strings; cmetrics' static labels
 * are added to every point). cmetrics has no resource, scope, unit, start time, exemplars or
 * min/max: those read as empty here and are dropped by the encoder (cmetrics_encode.ts).
 */
import type { MetricRecord } from "../event/metric.ts";
import { decodeMulti } from "../event/msgpack.ts";
import { type Attributes, emptyResource, emptyScope } from "../event/span.ts";
import type {
  HistogramDataPoint,
  MetricData,
  NumberDataPoint,
  SummaryDataPoint,
} from "../otlp/metric_data.ts";
import { describeValue, ForwardError } from "./errors.ts";
import { PROMETHEUS_TYPE_KEY } from "../metrics/model.ts";
import { isMap } from "./entries.ts";

type Obj = Record<string, unknown>;

/** cmetrics metric types. */
export const CMT_TYPE = { COUNTER: 0, GAUGE: 1, HISTOGRAM: 2, SUMMARY: 3, UNTYPED: 4 } as const;
const { COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED } = CMT_TYPE;

function bad(detail: string): never {
  throw new ForwardError("bad_payload", `Cannot decode cmetrics payload: ${detail}`);
}

function map(v: unknown, what: string): Obj {
  if (!isMap(v)) bad(`expected ${what} to be a map, got ${describeValue(v)}`);
  return v;
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) bad(`expected ${what} to be an array, got ${describeValue(v)}`);
  return v;
}

function num(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  bad(`expected ${what} to be a number, got ${describeValue(v)}`);
}

function big(v: unknown, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  bad(`expected ${what} to be an integer, got ${describeValue(v)}`);
}

const f64 = new DataView(new ArrayBuffer(8));

/** cmetrics keeps summary sums and quantile values as the bits of a float64 in a uint64. */
function bitsToDouble(v: bigint): number {
  f64.setBigUint64(0, BigInt.asUintN(64, v));
  return f64.getFloat64(0);
}

/** The uint64 bits of a float64, as cmetrics stores summary values. */
export function doubleToBits(x: number): bigint {
  f64.setFloat64(0, x);
  return f64.getBigUint64(0);
}

function fqName(opts: Obj): string {
  let out = "";
  for (const part of [opts.ns, opts.ss]) {
    if (typeof part === "string" && part !== "") out += part + "_";
  }
  return out + (typeof opts.name === "string" ? opts.name : "");
}

function decodeMap(entry: Obj, staticLabels: Attributes): MetricRecord {
  const meta = map(entry.meta, "metric meta");
  const type = num(meta.type, "meta.type");
  const opts = map(meta.opts, "meta.opts");
  const keys = list(meta.labels ?? [], "meta.labels").map(String);
  const values = list(entry.values, "metric values");
  const bounds = list(meta.buckets ?? [], "meta.buckets").map((b) => num(b, "bucket bound"));
  const quantiles = list(meta.quantiles ?? [], "meta.quantiles").map((q) => num(q, "quantile"));
  const points = values.map((raw) => {
    const v = map(raw, "metric value");
    const attributes: Attributes = { ...staticLabels };
    const labelValues = v.labels === undefined ? [] : list(v.labels, "label values");
    labelValues.forEach((lv, i) => {
      if (keys[i] !== undefined && lv !== null) attributes[keys[i]!] = String(lv);
    });
    return {
      v,
      base: { attributes, startTimeUnixNano: 0n, timeUnixNano: big(v.ts, "ts"), flags: 0 },
    };
  });
  let data: MetricData;
  if (type === COUNTER || type === GAUGE || type === UNTYPED) {
    const dataPoints: NumberDataPoint[] = points.map(({ v, base }) => ({
      ...base,
      value: num(v.value, "value"),
      exemplars: [],
    }));
    if (type === COUNTER) {
      const temporality = meta.aggregation_type === 1 ? 1 : 2;
      data = { sum: { dataPoints, aggregationTemporality: temporality, isMonotonic: true } };
    } else data = { gauge: { dataPoints } };
  } else if (type === HISTOGRAM) {
    const dataPoints: HistogramDataPoint[] = points.map(({ v, base }) => {
      const h = map(v.histogram, "histogram");
      return {
        ...base,
        count: big(h.count, "histogram count"),
        sum: num(h.sum, "histogram sum"),
        bucketCounts: list(h.buckets, "histogram buckets").map((b) => big(b, "bucket")),
        explicitBounds: bounds,
        exemplars: [],
        min: null,
        max: null,
      };
    });
    data = { histogram: { dataPoints, aggregationTemporality: 2 } };
  } else if (type === SUMMARY) {
    const dataPoints: SummaryDataPoint[] = points.map(({ v, base }) => {
      const s = map(v.summary, "summary");
      const set = s.quantiles_set !== 0 && s.quantiles_set !== undefined;
      const qv = list(s.quantiles ?? [], "summary quantiles");
      return {
        ...base,
        count: big(s.count, "summary count"),
        sum: bitsToDouble(big(s.sum, "summary sum")),
        quantileValues: set
          ? quantiles.map((quantile, i) => ({
            quantile,
            value: bitsToDouble(big(qv[i] ?? 0, "quantile value")),
          }))
          : [],
      };
    });
    data = { summary: { dataPoints } };
  } else bad(`unknown metric type ${type}`);
  return {
    resource: emptyResource(),
    scope: emptyScope(),
    name: fqName(opts),
    description: typeof opts.desc === "string" ? opts.desc : "",
    unit: "",
    // An untyped metric travels as a gauge marked as the metrics model writes it.
    metadata: type === UNTYPED ? { [PROMETHEUS_TYPE_KEY]: "unknown" } : {},
    data: data as Record<string, unknown>,
  };
}

/**
 * The metrics in a cmetrics msgpack payload (one or more contexts); throws ForwardError
 * "bad_payload" when it is not one.
 *
 * @example
 * ```ts
 * import { kitSamples } from "../testing/samples.ts";
 * import { encodeCmetrics } from "./cmetrics_encode.ts";
 *
 * const bytes = encodeCmetrics(kitSamples().metrics).bytes;
 * decodeCmetrics(bytes)[0]!.name; // "g"
 * ```
 */
export function decodeCmetrics(bytes: Uint8Array): MetricRecord[] {
  const out: MetricRecord[] = [];
  let contexts: unknown[];
  try {
    contexts = [...decodeMulti(bytes)];
  } catch (e) {
    bad((e as Error).message);
  }
  for (const c of contexts) {
    const ctx = map(c, "the context");
    const meta = ctx.meta === undefined ? {} : map(ctx.meta, "context meta");
    const processing = meta.processing === undefined ? {} : map(meta.processing, "processing");
    const staticLabels: Attributes = {};
    for (const pair of list(processing.static_labels ?? [], "static_labels")) {
      const kv = list(pair, "a static label");
      if (typeof kv[0] === "string") staticLabels[kv[0]] = String(kv[1] ?? "");
    }
    for (const m of list(ctx.metrics, "metrics")) {
      out.push(decodeMap(map(m, "a metric"), staticLabels));
    }
  }
  return out;
}
