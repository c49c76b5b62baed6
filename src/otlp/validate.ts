/**
 * Checks the OTLP spec's semantic rules that decoding deliberately does not enforce
 * (decode keeps IDs as given): trace IDs are 16 non-zero bytes, span IDs 8, a parent span
 * ID is empty or 8 bytes, a metric has a name and a data kind. Each function returns one
 * message per problem, naming where it is as in the request, so an input can reject the
 * request (Fluent Bit answers 400) or pass the data on.
 */
import { GROUP_START, isGroupMarker, type LogRecord } from "../event/log_record.ts";
import type { MetricRecord } from "../event/metric.ts";
import type { Span } from "../event/span.ts";
import { isZeroId } from "./hex.ts";
import { type MetricData, metricKind } from "./metric_data.ts";
import { groupByResourceScope } from "./model.ts";

/** Options of the validators. */
export interface ValidateOptions {
  /** Stop after this many problems (default 100). */
  limit?: number;
  /** Metadata key holding the OTLP fields of a log record (default `otlp`). */
  metadataKey?: string;
}

function checkId(
  out: string[],
  path: string,
  id: unknown,
  size: number,
  what: string,
  optional: boolean,
): void {
  if (!(id instanceof Uint8Array)) {
    if (id !== undefined && id !== null) out.push(`${path}: expected ${what} as bytes`);
    else if (!optional) out.push(`${path}: missing ${what}`);
    return;
  }
  if (id.length === 0) {
    if (!optional) out.push(`${path}: missing ${what}, expected ${size} bytes`);
  } else if (id.length !== size) {
    out.push(
      `${path}: expected ${size} bytes (${size * 2} hex characters), got ${id.length}`,
    );
  } else if (isZeroId(id)) out.push(`${path}: expected a non-zero ${what}`);
}

/** True when `checkId` would find no problem with `id` (tested first: no path strings). */
function idOk(id: unknown, size: number, optional: boolean): boolean {
  if (!(id instanceof Uint8Array)) return optional && (id === undefined || id === null);
  if (id.length === 0) return optional;
  return id.length === size && !isZeroId(id);
}

/** Problems with span, parent span and link IDs. */
export function validateSpans(spans: readonly Span[], options: ValidateOptions = {}): string[] {
  const limit = options.limit ?? 100;
  const out: string[] = [];
  let ri = 0;
  for (const scopes of groupByResourceScope(spans).values()) {
    let si = 0;
    for (const list of scopes.values()) {
      for (let k = 0; k < list.length && out.length < limit; k++) {
        const s = list[k]!;
        if (
          s.links.length === 0 && idOk(s.traceId, 16, false) && idOk(s.spanId, 8, false) &&
          idOk(s.parentSpanId, 8, true)
        ) continue;
        const p = `resourceSpans[${ri}].scopeSpans[${si}].spans[${k}]`;
        checkId(out, `${p}.traceId`, s.traceId, 16, "trace ID", false);
        checkId(out, `${p}.spanId`, s.spanId, 8, "span ID", false);
        checkId(out, `${p}.parentSpanId`, s.parentSpanId, 8, "parent span ID", true);
        for (const [i, link] of s.links.entries()) {
          checkId(out, `${p}.links[${i}].traceId`, link.traceId, 16, "trace ID", false);
          checkId(out, `${p}.links[${i}].spanId`, link.spanId, 8, "span ID", false);
        }
      }
      si++;
    }
    ri++;
  }
  return out.slice(0, limit);
}

/** Problems with the trace and span IDs of log records (both optional). */
export function validateLogs(
  records: readonly LogRecord[],
  options: ValidateOptions = {},
): string[] {
  const limit = options.limit ?? 100;
  const key = options.metadataKey ?? "otlp";
  const out: string[] = [];
  let group = "";
  let k = 0;
  for (let i = 0; i < records.length && out.length < limit; i++) {
    const rec = records[i]!;
    if (isGroupMarker(rec)) {
      const m = rec.metadata;
      group = rec.time.sec === GROUP_START.sec
        ? `resourceLogs[${m.resource_id}].scopeLogs[${m.scope_id}].logRecords`
        : "";
      k = 0;
      continue;
    }
    const at = k++;
    const meta = rec.metadata[key];
    if (meta === null || typeof meta !== "object") continue;
    const m = meta as Record<string, unknown>;
    if (idOk(m.trace_id, 16, true) && idOk(m.span_id, 8, true)) continue;
    const p = group === "" ? `records[${i}]` : `${group}[${at}]`;
    checkId(out, `${p}.traceId`, m.trace_id, 16, "trace ID", true);
    checkId(out, `${p}.spanId`, m.span_id, 8, "span ID", true);
  }
  return out.slice(0, limit);
}

/** Problems with metrics: no name, no data kind, bad exemplar IDs. */
export function validateMetrics(
  metrics: readonly MetricRecord[],
  options: ValidateOptions = {},
): string[] {
  const limit = options.limit ?? 100;
  const out: string[] = [];
  let ri = 0;
  for (const scopes of groupByResourceScope(metrics).values()) {
    let si = 0;
    for (const list of scopes.values()) {
      for (let k = 0; k < list.length && out.length < limit; k++) {
        const m = list[k]!;
        const p = `resourceMetrics[${ri}].scopeMetrics[${si}].metrics[${k}]`;
        if (m.name === "") out.push(`${p}.name: missing metric name`);
        const kind = metricKind(m);
        if (kind === null) {
          out.push(
            `${p}: missing data, expected one of gauge, sum, histogram, ` +
              `exponentialHistogram or summary`,
          );
          continue;
        }
        const points = (m.data as MetricData as Record<string, { dataPoints: unknown[] }>)[kind]!
          .dataPoints as { exemplars?: { traceId: Uint8Array; spanId: Uint8Array }[] }[];
        for (let j = 0; j < points.length; j++) {
          const ex = points[j]!.exemplars ?? [];
          for (let e = 0; e < ex.length; e++) {
            const exemplar = ex[e]!;
            const ep = `${p}.${kind}.dataPoints[${j}].exemplars[${e}]`;
            checkId(out, `${ep}.traceId`, exemplar.traceId, 16, "trace ID", true);
            checkId(out, `${ep}.spanId`, exemplar.spanId, 8, "span ID", true);
          }
        }
      }
      si++;
    }
    ri++;
  }
  return out.slice(0, limit);
}
