/**
 * How a chunk becomes OTLP/HTTP requests. Logs are cut into batches of `batch_size`
 * records (and at most `logs_max_resources` resources and `logs_max_scopes` scopes); a
 * batch that starts inside an OTLP group repeats the group's GROUP_START record, so every
 * request keeps its resource and scope. Traces and metrics go in one request per chunk.
 * The cut depends only on the records, so a retried chunk is cut the same way again.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { GROUP_START, isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import { encodeLogs, encodeMetrics, encodeTraces, type OtlpFormat } from "../../../src/otlp/mod.ts";
import { BODY_SLOT, type LogMapping, mapLogRecord } from "./log_mapping.ts";

/** One logs request: records [start, end) of the chunk, after `prefix` when set. */
export interface LogBatch {
  start: number;
  end: number;
  /** The GROUP_START of the group the batch starts inside, repeated. */
  prefix: LogRecord | null;
  /** Log records (group markers not counted). */
  count: number;
}

/** Limits of one logs request. */
export interface LogBatchLimits {
  batchSize: number;
  /** 0 = no limit. */
  maxResources: number;
  /** 0 = no limit. */
  maxScopes: number;
}

/** Cuts log records into request batches; only batches with log records are returned. */
export function logBatches(records: readonly LogRecord[], limits: LogBatchLimits): LogBatch[] {
  const out: LogBatch[] = [];
  let open: LogRecord | null = null;
  let batch: LogBatch = { start: 0, end: 0, prefix: null, count: 0 };
  let scopes = 0;
  const resources = new Set<unknown>();
  const cut = (at: number): void => {
    batch.end = at;
    if (batch.count > 0) out.push(batch);
    batch = { start: at, end: at, prefix: open, count: 0 };
    scopes = open === null ? 0 : 1;
    resources.clear();
    if (open !== null) resources.add(open.metadata.resource_id);
  };
  for (const [i, r] of records.entries()) {
    if (isGroupMarker(r)) {
      if (r.time.sec !== GROUP_START.sec) {
        open = null;
        continue;
      }
      const resource = r.metadata.resource_id;
      const overScopes = limits.maxScopes > 0 && scopes + 1 > limits.maxScopes;
      const overResources = limits.maxResources > 0 && !resources.has(resource) &&
        resources.size + 1 > limits.maxResources;
      if (batch.count > 0 && (overScopes || overResources)) {
        open = null;
        cut(i);
      }
      open = r;
      scopes++;
      resources.add(resource);
      continue;
    }
    if (batch.count >= limits.batchSize) cut(i);
    batch.count++;
  }
  cut(records.length);
  return out;
}

/** What encoding a chunk needs. */
export interface EncodeSettings {
  format: OtlpFormat;
  limits: LogBatchLimits;
  mapping: LogMapping;
  /** Metric data point attributes to add (`add_label`). */
  labels: Record<string, string>;
}

/** The requests of one chunk: how many, and each one's body, encoded when asked for. */
export interface RequestPlan {
  count: number;
  /** Records the request carries (log records, spans or metrics). */
  items(i: number): number;
  encode(i: number): Uint8Array;
}

/** Plans the requests of `chunk`. */
export function planRequests(chunk: Chunk, s: EncodeSettings): RequestPlan {
  if (chunk.signal === "traces") {
    const spans = chunk.records;
    return single(spans.length, () => encodeTraces(spans, s.format));
  }
  if (chunk.signal === "metrics") {
    const metrics = chunk.records;
    return single(metrics.length, () => encodeMetrics(withLabels(metrics, s.labels), s.format));
  }
  const records = chunk.records;
  const batches = logBatches(records, s.limits);
  return {
    count: batches.length,
    items: (i) => batchAt(batches, i).count,
    encode(i: number): Uint8Array {
      const b = batchAt(batches, i);
      const list: LogRecord[] = b.prefix === null ? [] : [b.prefix];
      for (const r of records.slice(b.start, b.end)) {
        list.push(isGroupMarker(r) ? r : mapLogRecord(r, s.mapping));
      }
      return encodeLogs(list, s.format, { metadataKey: s.mapping.metadataKey, bodyKey: BODY_SLOT });
    },
  };
}

function batchAt(batches: readonly LogBatch[], i: number): LogBatch {
  const b = batches[i];
  if (b === undefined) {
    throw new RangeError(`Cannot use request ${i}: the chunk has ${batches.length} requests`);
  }
  return b;
}

function single(items: number, encode: () => Uint8Array): RequestPlan {
  return items === 0
    ? { count: 0, items: () => 0, encode }
    : { count: 1, items: () => items, encode };
}

/** Copies of `metrics` whose data points carry `labels` (the records are shared: no mutation). */
export function withLabels(
  metrics: readonly MetricRecord[],
  labels: Record<string, string>,
): readonly MetricRecord[] {
  if (Object.keys(labels).length === 0) return metrics;
  return metrics.map((m) => {
    const data: Record<string, unknown> = {};
    for (const [kind, value] of Object.entries(m.data)) {
      const v = value as { dataPoints?: { attributes: Record<string, unknown> }[] };
      data[kind] = Array.isArray(v?.dataPoints)
        ? {
          ...v,
          dataPoints: v.dataPoints.map((p) => ({
            ...p,
            attributes: { ...p.attributes, ...labels },
          })),
        }
        : value;
    }
    return { ...m, data };
  });
}
