/**
 * OTLP/JSON ExportTraceServiceRequest ↔ Span[] (spec "JSON Protobuf Encoding"):
 * hex IDs, integer or named enums, int64 as strings or numbers, camelCase or snake_case keys.
 */
import type { Resource, Scope, Span, SpanEvent, SpanLink } from "../event/span.ts";
import { fail } from "./errors.ts";
import { hexId } from "./hex.ts";
import { jsonAttributes, walkJsonRequest } from "./json_common.ts";
import {
  jsonArray,
  jsonEntry,
  jsonEnum,
  jsonId,
  jsonInt32,
  type JsonObject,
  jsonObject,
  jsonString,
  jsonUint64,
} from "./json_read.ts";
import { attributesToJson, groupedJsonBody, type JsonOut, putIf } from "./json_write.ts";
import { blankSpan } from "./model.ts";

/** SpanKind names (integers are what OTLP/JSON mandates; names are accepted too). */
export const SPAN_KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
};

/** StatusCode names, including Fluent Bit's short `UNSET`/`OK`/`ERROR`. */
export const STATUS_CODE_NAMES: Record<string, number> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
  UNSET: 0,
  OK: 1,
  ERROR: 2,
};

const KEYS = {
  resource: ["resourceSpans", "resource_spans"],
  scope: ["scopeSpans", "scope_spans"],
  item: ["spans", "spans"],
} as { resource: [string, string]; scope: [string, string]; item: [string, string] };

/** Decodes a parsed OTLP/JSON traces request into spans. */
export function decodeTracesJson(root: unknown): Span[] {
  const spans: Span[] = [];
  walkJsonRequest(root, KEYS, (items, path, g) => {
    for (let i = 0; i < items.length; i++) {
      spans.push(jsonSpan(items[i], `${path}[${i}]`, g.resource, g.scope));
    }
  });
  return spans;
}

function jsonSpan(value: unknown, path: string, resource: Resource, scope: Scope): Span {
  const o = jsonEntry(value, path);
  const s = blankSpan(resource, scope);
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case "traceId":
      case "trace_id":
        s.traceId = jsonId(v, `${path}.traceId`);
        break;
      case "spanId":
      case "span_id":
        s.spanId = jsonId(v, `${path}.spanId`);
        break;
      case "parentSpanId":
      case "parent_span_id":
        s.parentSpanId = jsonId(v, `${path}.parentSpanId`);
        break;
      case "traceState":
      case "trace_state":
        s.traceState = jsonString(v, `${path}.traceState`);
        break;
      case "flags":
        s.flags = jsonInt32(v, `${path}.flags`);
        break;
      case "name":
        s.name = jsonString(v, `${path}.name`);
        break;
      case "kind":
        s.kind = jsonEnum(v, `${path}.kind`, SPAN_KIND_NAMES);
        break;
      case "startTimeUnixNano":
      case "start_time_unix_nano":
        s.startTimeUnixNano = jsonUint64(v, `${path}.startTimeUnixNano`);
        break;
      case "endTimeUnixNano":
      case "end_time_unix_nano":
        s.endTimeUnixNano = jsonUint64(v, `${path}.endTimeUnixNano`);
        break;
      case "attributes":
        s.attributes = jsonAttributes(v, `${path}.attributes`);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        s.droppedAttributesCount = jsonInt32(v, `${path}.droppedAttributesCount`);
        break;
      case "events":
        s.events = jsonArray(v, `${path}.events`).map((e, i) =>
          jsonEvent(e, `${path}.events[${i}]`)
        );
        break;
      case "droppedEventsCount":
      case "dropped_events_count":
        s.droppedEventsCount = jsonInt32(v, `${path}.droppedEventsCount`);
        break;
      case "links":
        s.links = jsonArray(v, `${path}.links`).map((l, i) => jsonLink(l, `${path}.links[${i}]`));
        break;
      case "droppedLinksCount":
      case "dropped_links_count":
        s.droppedLinksCount = jsonInt32(v, `${path}.droppedLinksCount`);
        break;
      case "status":
        s.status = jsonStatus(jsonObject(v, `${path}.status`), `${path}.status`);
        break;
    }
  }
  return s;
}

function jsonEvent(value: unknown, path: string): SpanEvent {
  const o = jsonEntry(value, path);
  const e: SpanEvent = { timeUnixNano: 0n, name: "", attributes: {}, droppedAttributesCount: 0 };
  for (const k in o) {
    const v = o[k];
    if (k === "timeUnixNano" || k === "time_unix_nano") {
      e.timeUnixNano = jsonUint64(v, `${path}.timeUnixNano`);
    } else if (k === "name") e.name = jsonString(v, `${path}.name`);
    else if (k === "attributes") e.attributes = jsonAttributes(v, `${path}.attributes`);
    else if (k === "droppedAttributesCount" || k === "dropped_attributes_count") {
      e.droppedAttributesCount = jsonInt32(v, `${path}.droppedAttributesCount`);
    }
  }
  return e;
}

function jsonLink(value: unknown, path: string): SpanLink {
  const o = jsonEntry(value, path);
  const l: SpanLink = {
    traceId: jsonId(o.traceId ?? o.trace_id, `${path}.traceId`),
    spanId: jsonId(o.spanId ?? o.span_id, `${path}.spanId`),
    traceState: jsonString(o.traceState ?? o.trace_state, `${path}.traceState`),
    attributes: jsonAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: jsonInt32(
      o.droppedAttributesCount ?? o.dropped_attributes_count,
      `${path}.droppedAttributesCount`,
    ),
    flags: jsonInt32(o.flags, `${path}.flags`),
  };
  return l;
}

function jsonStatus(o: JsonObject | null, path: string): Span["status"] {
  if (o === null) return { code: 0, message: "" };
  const code = jsonEnum(o.code, `${path}.code`, STATUS_CODE_NAMES);
  if (code !== 0 && code !== 1 && code !== 2) {
    fail(`${path}.code`, `expected 0 (unset), 1 (ok) or 2 (error), got ${code}`);
  }
  return { code, message: jsonString(o.message, `${path}.message`) };
}

/** Encodes spans as an OTLP/JSON ExportTraceServiceRequest body. */
export function encodeTracesJson(spans: readonly Span[]): Uint8Array {
  return groupedJsonBody(
    spans,
    { resource: "resourceSpans", scope: "scopeSpans", item: "spans" },
    spanToJson,
  );
}

function spanToJson(s: Span): JsonOut {
  const o: JsonOut = { traceId: hexId(s.traceId), spanId: hexId(s.spanId) };
  putIf(o, "traceState", s.traceState);
  putIf(o, "parentSpanId", hexId(s.parentSpanId));
  putIf(o, "flags", s.flags);
  o.name = s.name;
  o.kind = s.kind;
  o.startTimeUnixNano = String(s.startTimeUnixNano);
  o.endTimeUnixNano = String(s.endTimeUnixNano);
  putIf(o, "attributes", attributesToJson(s.attributes));
  putIf(o, "droppedAttributesCount", s.droppedAttributesCount);
  putIf(o, "events", s.events.map(eventToJson));
  putIf(o, "droppedEventsCount", s.droppedEventsCount);
  putIf(o, "links", s.links.map(linkToJson));
  putIf(o, "droppedLinksCount", s.droppedLinksCount);
  if (s.status.code !== 0 || s.status.message !== "") {
    const st: JsonOut = {};
    putIf(st, "message", s.status.message);
    putIf(st, "code", s.status.code);
    o.status = st;
  }
  return o;
}

function eventToJson(e: SpanEvent): JsonOut {
  const o: JsonOut = { timeUnixNano: String(e.timeUnixNano), name: e.name };
  putIf(o, "attributes", attributesToJson(e.attributes));
  putIf(o, "droppedAttributesCount", e.droppedAttributesCount);
  return o;
}

function linkToJson(l: SpanLink): JsonOut {
  const o: JsonOut = { traceId: hexId(l.traceId), spanId: hexId(l.spanId) };
  putIf(o, "traceState", l.traceState);
  putIf(o, "attributes", attributesToJson(l.attributes));
  putIf(o, "droppedAttributesCount", l.droppedAttributesCount);
  putIf(o, "flags", l.flags);
  return o;
}
