/**
 * OTLP log groups ↔ Fluent Bit's log record layout (reference §4.1): per ScopeLogs a
 * GROUP_START record (metadata `{schema: "otlp", resource_id, scope_id}`, body
 * `{resource: {...}, scope: {...}}`), its records with the OTLP fields under
 * `metadata.otlp`, then a GROUP_END record. Only fields with non-default values are
 * written, as Fluent Bit's protobuf path does; times are bigint nanoseconds, IDs bytes.
 */
import { EventTime } from "../event/event_time.ts";
import {
  GROUP_END,
  GROUP_START,
  isGroupMarker,
  type LogRecord,
  type RecordMap,
} from "../event/log_record.ts";
import type { AnyValue, Attributes } from "../event/span.ts";
import { blankLog, type OtlpLog, type OtlpLogGroup } from "./log_model.ts";
import { groupFromStart, metaId, metaInt, metaU64, plainGroup } from "./logs_meta.ts";
import { isEmpty, isPlainObject } from "./values.ts";

/** How log records are laid out; the keys mirror Fluent Bit's opentelemetry plugins. */
export interface LogLayoutOptions {
  /** Put every body under this key (`logs_body_key`); unset: a map body is the record body. */
  bodyKey?: string;
  /** Metadata key holding the OTLP fields (`logs_metadata_key`), default `otlp`. */
  metadataKey?: string;
  /** Clock for a record with neither time nor observed time, default `EventTime.now`. */
  now?: () => EventTime;
}

/** Lays decoded OTLP log groups out as Fluent Bit records; empty groups are left out. */
export function groupsToRecords(
  groups: readonly OtlpLogGroup[],
  options: LogLayoutOptions = {},
): LogRecord[] {
  const metaKey = options.metadataKey ?? "otlp";
  const now = options.now ?? EventTime.now;
  const out: LogRecord[] = [];
  for (const g of groups) {
    if (g.logs.length === 0) continue;
    out.push({
      time: GROUP_START,
      metadata: { schema: "otlp", resource_id: g.resourceIndex, scope_id: g.scopeIndex },
      body: groupBody(g),
    });
    for (const l of g.logs) {
      const time = l.timeUnixNano !== 0n
        ? EventTime.fromNanos(l.timeUnixNano)
        : l.observedTimeUnixNano !== 0n
        ? EventTime.fromNanos(l.observedTimeUnixNano)
        : now();
      out.push({ time, metadata: { [metaKey]: logMetadata(l) }, body: logBody(l.body, options) });
    }
    out.push({ time: GROUP_END, metadata: {}, body: {} });
  }
  return out;
}

function groupBody(g: OtlpLogGroup): RecordMap {
  const r = g.resource;
  const resource: RecordMap = {};
  if (!isEmpty(r.attributes)) resource.attributes = r.attributes;
  if (r.droppedAttributesCount !== 0) resource.dropped_attributes_count = r.droppedAttributesCount;
  if (r.schemaUrl !== "") resource.schema_url = r.schemaUrl;
  const s = g.scope;
  const scope: RecordMap = {};
  if (s.name !== "") scope.name = s.name;
  if (s.version !== "") scope.version = s.version;
  if (!isEmpty(s.attributes)) scope.attributes = s.attributes;
  if (s.droppedAttributesCount !== 0) scope.dropped_attributes_count = s.droppedAttributesCount;
  if (s.schemaUrl !== "") scope.schema_url = s.schemaUrl;
  return { resource, scope };
}

function logMetadata(l: OtlpLog): RecordMap {
  const m: RecordMap = {};
  if (l.observedTimeUnixNano !== 0n) m.observed_timestamp = l.observedTimeUnixNano;
  if (l.timeUnixNano !== 0n) m.timestamp = l.timeUnixNano;
  if (l.severityNumber !== 0) m.severity_number = l.severityNumber;
  if (l.severityText !== "") m.severity_text = l.severityText;
  if (!isEmpty(l.attributes)) m.attributes = l.attributes;
  if (l.droppedAttributesCount !== 0) m.dropped_attributes_count = l.droppedAttributesCount;
  if (l.traceId.length > 0) m.trace_id = l.traceId;
  if (l.spanId.length > 0) m.span_id = l.spanId;
  if (l.flags !== 0) m.trace_flags = l.flags;
  if (l.eventName !== "") m.event_name = l.eventName;
  return m;
}

function logBody(body: AnyValue, options: LogLayoutOptions): RecordMap {
  if (
    options.bodyKey === undefined && body !== null && typeof body === "object" &&
    !Array.isArray(body) && !(body instanceof Uint8Array)
  ) {
    return body;
  }
  return { [options.bodyKey ?? "log"]: body };
}

/**
 * Groups Fluent Bit records back into OTLP log groups: each GROUP_START opens a group
 * with its resource and scope (adjacent groups of the same resource share one resource
 * object); records outside any group go into one group with an empty resource and scope.
 */
export function recordsToGroups(
  records: readonly LogRecord[],
  options: LogLayoutOptions = {},
): OtlpLogGroup[] {
  const metaKey = options.metadataKey ?? "otlp";
  const groups: OtlpLogGroup[] = [];
  let open: OtlpLogGroup | null = null;
  let plain: OtlpLogGroup | null = null;
  for (const rec of records) {
    if (isGroupMarker(rec)) {
      if (rec.time.sec === GROUP_START.sec) {
        open = groupFromStart(rec, groups[groups.length - 1]);
        groups.push(open);
      } else open = null;
      continue;
    }
    let g = open;
    if (g === null) {
      if (plain === null) groups.push(plain = plainGroup());
      g = plain;
    }
    g.logs.push(toOtlpLog(rec, metaKey, options.bodyKey));
  }
  return groups.filter((g) => g.logs.length > 0);
}

function toOtlpLog(rec: LogRecord, metaKey: string, bodyKey: string | undefined): OtlpLog {
  const l = blankLog();
  const raw = rec.metadata[metaKey];
  const m = raw !== null && typeof raw === "object" && isPlainObject(raw) ? raw as RecordMap : null;
  const body = rec.body;
  if (bodyKey !== undefined) {
    l.body = Object.hasOwn(body, bodyKey) ? body[bodyKey] as AnyValue : body as Attributes;
  } else if (m !== null && isSingleLog(body)) l.body = body.log as AnyValue;
  else l.body = body as Attributes;
  l.timeUnixNano = rec.time.toNanos();
  if (m === null) return l;
  l.timeUnixNano = metaU64(m.timestamp) ?? l.timeUnixNano;
  l.observedTimeUnixNano = metaU64(m.observed_timestamp) ?? 0n;
  l.severityNumber = metaInt(m.severity_number);
  if (typeof m.severity_text === "string") l.severityText = m.severity_text;
  const attrs = m.attributes;
  if (attrs !== null && typeof attrs === "object" && isPlainObject(attrs)) {
    l.attributes = attrs as Attributes;
  }
  l.droppedAttributesCount = metaInt(m.dropped_attributes_count);
  l.traceId = metaId(m.trace_id);
  l.spanId = metaId(m.span_id);
  l.flags = metaInt(m.trace_flags);
  if (typeof m.event_name === "string") l.eventName = m.event_name;
  return l;
}

function isSingleLog(body: RecordMap): boolean {
  let n = 0;
  for (const k in body) {
    if (k !== "log" || ++n > 1) return false;
  }
  return n === 1;
}
