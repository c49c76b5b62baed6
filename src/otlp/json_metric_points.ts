/**
 * OTLP/JSON read and write of metric data points and exemplars: int64/fixed64 as decimal
 * strings (numbers accepted), doubles as numbers (numeric strings and "NaN"/"Infinity"
 * accepted), IDs as hex, camelCase or snake_case keys.
 */
import { hexId } from "./hex.ts";
import { jsonAttributes } from "./json_common.ts";
import {
  jsonArray,
  jsonDouble,
  jsonEntry,
  jsonId,
  jsonInt32,
  jsonInt64,
  type JsonObject,
  jsonObject,
  jsonUint64,
} from "./json_read.ts";
import { attributesToJson, jsonDoubleOut, type JsonOut, putIf } from "./json_write.ts";
import type {
  DataPointBase,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from "./metric_data.ts";

/** `o[camel]`, else `o[snake]`. */
function pick(o: JsonObject, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

function base(o: JsonObject, path: string): DataPointBase {
  return {
    attributes: jsonAttributes(o.attributes, `${path}.attributes`),
    startTimeUnixNano: jsonUint64(
      pick(o, "startTimeUnixNano", "start_time_unix_nano"),
      `${path}.startTimeUnixNano`,
    ),
    timeUnixNano: jsonUint64(pick(o, "timeUnixNano", "time_unix_nano"), `${path}.timeUnixNano`),
    flags: jsonInt32(o.flags, `${path}.flags`),
  };
}

function optDouble(v: unknown, path: string): number | null {
  return v === undefined || v === null ? null : jsonDouble(v, path);
}

function numberValue(o: JsonObject, path: string): number | bigint | null {
  const d = pick(o, "asDouble", "as_double");
  if (d !== undefined && d !== null) return jsonDouble(d, `${path}.asDouble`);
  const i = pick(o, "asInt", "as_int");
  if (i !== undefined && i !== null) return jsonInt64(i, `${path}.asInt`);
  return null;
}

function exemplars(v: unknown, path: string): Exemplar[] {
  return jsonArray(v, path).map((x, i) => {
    const p = `${path}[${i}]`;
    const o = jsonEntry(x, p);
    return {
      filteredAttributes: jsonAttributes(
        pick(o, "filteredAttributes", "filtered_attributes"),
        `${p}.filteredAttributes`,
      ),
      timeUnixNano: jsonUint64(pick(o, "timeUnixNano", "time_unix_nano"), `${p}.timeUnixNano`),
      value: numberValue(o, p),
      spanId: jsonId(pick(o, "spanId", "span_id"), `${p}.spanId`),
      traceId: jsonId(pick(o, "traceId", "trace_id"), `${p}.traceId`),
    };
  });
}

function u64s(v: unknown, path: string): bigint[] {
  return jsonArray(v, path).map((x, i) => jsonUint64(x, `${path}[${i}]`));
}

/** Reads a NumberDataPoint. */
export function jsonNumberPoint(value: unknown, path: string): NumberDataPoint {
  const o = jsonEntry(value, path);
  return {
    ...base(o, path),
    value: numberValue(o, path),
    exemplars: exemplars(o.exemplars, `${path}.exemplars`),
  };
}

/** Reads a HistogramDataPoint. */
export function jsonHistogramPoint(value: unknown, path: string): HistogramDataPoint {
  const o = jsonEntry(value, path);
  const bounds = pick(o, "explicitBounds", "explicit_bounds");
  return {
    ...base(o, path),
    count: jsonUint64(o.count, `${path}.count`),
    sum: optDouble(o.sum, `${path}.sum`),
    bucketCounts: u64s(pick(o, "bucketCounts", "bucket_counts"), `${path}.bucketCounts`),
    explicitBounds: jsonArray(bounds, `${path}.explicitBounds`).map((x, i) =>
      jsonDouble(x, `${path}.explicitBounds[${i}]`)
    ),
    exemplars: exemplars(o.exemplars, `${path}.exemplars`),
    min: optDouble(o.min, `${path}.min`),
    max: optDouble(o.max, `${path}.max`),
  };
}

function buckets(v: unknown, path: string): ExponentialBuckets {
  const o = jsonObject(v, path);
  if (o === null) return { offset: 0, bucketCounts: [] };
  return {
    offset: jsonInt32(o.offset, `${path}.offset`, false),
    bucketCounts: u64s(pick(o, "bucketCounts", "bucket_counts"), `${path}.bucketCounts`),
  };
}

/** Reads an ExponentialHistogramDataPoint. */
export function jsonExponentialPoint(value: unknown, path: string): ExponentialHistogramDataPoint {
  const o = jsonEntry(value, path);
  return {
    ...base(o, path),
    count: jsonUint64(o.count, `${path}.count`),
    sum: optDouble(o.sum, `${path}.sum`),
    scale: jsonInt32(o.scale, `${path}.scale`, false),
    zeroCount: jsonUint64(pick(o, "zeroCount", "zero_count"), `${path}.zeroCount`),
    positive: buckets(o.positive, `${path}.positive`),
    negative: buckets(o.negative, `${path}.negative`),
    exemplars: exemplars(o.exemplars, `${path}.exemplars`),
    min: optDouble(o.min, `${path}.min`),
    max: optDouble(o.max, `${path}.max`),
    zeroThreshold: jsonDouble(pick(o, "zeroThreshold", "zero_threshold"), `${path}.zeroThreshold`),
  };
}

/** Reads a SummaryDataPoint. */
export function jsonSummaryPoint(value: unknown, path: string): SummaryDataPoint {
  const o = jsonEntry(value, path);
  const qPath = `${path}.quantileValues`;
  return {
    ...base(o, path),
    count: jsonUint64(o.count, `${path}.count`),
    sum: jsonDouble(o.sum, `${path}.sum`),
    quantileValues: jsonArray(pick(o, "quantileValues", "quantile_values"), qPath).map((x, i) => {
      const q = jsonEntry(x, `${qPath}[${i}]`);
      return {
        quantile: jsonDouble(q.quantile, `${qPath}[${i}].quantile`),
        value: jsonDouble(q.value, `${qPath}[${i}].value`),
      };
    }),
  };
}

function baseToJson(p: DataPointBase): JsonOut {
  const o: JsonOut = {};
  putIf(o, "attributes", attributesToJson(p.attributes));
  putIf(o, "startTimeUnixNano", p.startTimeUnixNano === 0n ? "" : String(p.startTimeUnixNano));
  putIf(o, "timeUnixNano", p.timeUnixNano === 0n ? "" : String(p.timeUnixNano));
  putIf(o, "flags", p.flags);
  return o;
}

function putValue(o: JsonOut, v: number | bigint | null): void {
  if (typeof v === "number") o.asDouble = jsonDoubleOut(v);
  else if (typeof v === "bigint") o.asInt = String(v);
}

function exemplarsToJson(list: readonly Exemplar[]): JsonOut[] {
  return list.map((e) => {
    const o: JsonOut = {};
    putIf(o, "filteredAttributes", attributesToJson(e.filteredAttributes));
    putIf(o, "timeUnixNano", e.timeUnixNano === 0n ? "" : String(e.timeUnixNano));
    putValue(o, e.value);
    putIf(o, "spanId", hexId(e.spanId));
    putIf(o, "traceId", hexId(e.traceId));
    return o;
  });
}

function optOut(o: JsonOut, key: string, v: number | null): void {
  if (v !== null) o[key] = jsonDoubleOut(v);
}

/** Writes a NumberDataPoint. */
export function numberPointToJson(p: NumberDataPoint): JsonOut {
  const o = baseToJson(p);
  putValue(o, p.value);
  putIf(o, "exemplars", exemplarsToJson(p.exemplars));
  return o;
}

/** Writes a HistogramDataPoint. */
export function histogramPointToJson(p: HistogramDataPoint): JsonOut {
  const o = baseToJson(p);
  putIf(o, "count", p.count === 0n ? "" : String(p.count));
  optOut(o, "sum", p.sum);
  putIf(o, "bucketCounts", p.bucketCounts.map(String));
  putIf(o, "explicitBounds", p.explicitBounds.map(jsonDoubleOut));
  putIf(o, "exemplars", exemplarsToJson(p.exemplars));
  optOut(o, "min", p.min);
  optOut(o, "max", p.max);
  return o;
}

function bucketsToJson(b: ExponentialBuckets): JsonOut {
  const o: JsonOut = {};
  putIf(o, "offset", b.offset);
  putIf(o, "bucketCounts", b.bucketCounts.map(String));
  return o;
}

/** Writes an ExponentialHistogramDataPoint. */
export function exponentialPointToJson(p: ExponentialHistogramDataPoint): JsonOut {
  const o = baseToJson(p);
  putIf(o, "count", p.count === 0n ? "" : String(p.count));
  optOut(o, "sum", p.sum);
  putIf(o, "scale", p.scale);
  putIf(o, "zeroCount", p.zeroCount === 0n ? "" : String(p.zeroCount));
  if (p.positive.offset !== 0 || p.positive.bucketCounts.length > 0) {
    o.positive = bucketsToJson(p.positive);
  }
  if (p.negative.offset !== 0 || p.negative.bucketCounts.length > 0) {
    o.negative = bucketsToJson(p.negative);
  }
  putIf(o, "exemplars", exemplarsToJson(p.exemplars));
  optOut(o, "min", p.min);
  optOut(o, "max", p.max);
  if (p.zeroThreshold !== 0) o.zeroThreshold = jsonDoubleOut(p.zeroThreshold);
  return o;
}

/** Writes a SummaryDataPoint. */
export function summaryPointToJson(p: SummaryDataPoint): JsonOut {
  const o = baseToJson(p);
  putIf(o, "count", p.count === 0n ? "" : String(p.count));
  if (p.sum !== 0) o.sum = jsonDoubleOut(p.sum);
  putIf(
    o,
    "quantileValues",
    p.quantileValues.map((q) => ({
      quantile: jsonDoubleOut(q.quantile),
      value: jsonDoubleOut(q.value),
    })),
  );
  return o;
}
