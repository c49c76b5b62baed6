/**
 * Interop with protobufjs reflection over a JSON descriptor of the OTLP messages written
 * here from opentelemetry-proto's .proto files (every field, including those the JS SDK
 * never writes: summaries, exemplars, metric metadata, link flags, log event names).
 * protobufjs decodes what we encode (compared through our OTLP/JSON reader, which the
 * canonical examples pin down) and we decode what protobufjs encodes.
 */
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import protobuf from "npm:protobufjs@7.5.4";
import { assert, assertEquals } from "../testing/assert.ts";
import { sampleMetrics, sampleSpans } from "./_samples.ts";
import { testdataJson } from "./_test_util.ts";
import { decodeLogsJson } from "./json_logs.ts";
import { decodeMetricsJson } from "./json_metrics.ts";
import { decodeTracesJson } from "./json_traces.ts";
import { groupsToRecords } from "./logs_layout.ts";
import {
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  encodeLogs,
  encodeMetrics,
  encodeTraces,
} from "./mod.ts";

/** `name type id`, `*` before the type for repeated, `|group` after for a oneof member. */
const MESSAGES: Record<string, string> = {
  AnyValue:
    "stringValue string 1|v; boolValue bool 2|v; intValue int64 3|v; doubleValue double 4|v; arrayValue ArrayValue 5|v; kvlistValue KeyValueList 6|v; bytesValue bytes 7|v",
  ArrayValue: "values *AnyValue 1",
  KeyValueList: "values *KeyValue 1",
  KeyValue: "key string 1; value AnyValue 2",
  InstrumentationScope:
    "name string 1; version string 2; attributes *KeyValue 3; droppedAttributesCount uint32 4",
  Resource: "attributes *KeyValue 1; droppedAttributesCount uint32 2",
  ExportTraceServiceRequest: "resourceSpans *ResourceSpans 1",
  ResourceSpans: "resource Resource 1; scopeSpans *ScopeSpans 2; schemaUrl string 3",
  ScopeSpans: "scope InstrumentationScope 1; spans *Span 2; schemaUrl string 3",
  Span:
    "traceId bytes 1; spanId bytes 2; traceState string 3; parentSpanId bytes 4; flags fixed32 16; name string 5; kind int32 6; startTimeUnixNano fixed64 7; endTimeUnixNano fixed64 8; attributes *KeyValue 9; droppedAttributesCount uint32 10; events *Event 11; droppedEventsCount uint32 12; links *Link 13; droppedLinksCount uint32 14; status Status 15",
  Event:
    "timeUnixNano fixed64 1; name string 2; attributes *KeyValue 3; droppedAttributesCount uint32 4",
  Link:
    "traceId bytes 1; spanId bytes 2; traceState string 3; attributes *KeyValue 4; droppedAttributesCount uint32 5; flags fixed32 6",
  Status: "message string 2; code int32 3",
  ExportLogsServiceRequest: "resourceLogs *ResourceLogs 1",
  ResourceLogs: "resource Resource 1; scopeLogs *ScopeLogs 2; schemaUrl string 3",
  ScopeLogs: "scope InstrumentationScope 1; logRecords *LogRecord 2; schemaUrl string 3",
  LogRecord:
    "timeUnixNano fixed64 1; observedTimeUnixNano fixed64 11; severityNumber int32 2; severityText string 3; body AnyValue 5; attributes *KeyValue 6; droppedAttributesCount uint32 7; flags fixed32 8; traceId bytes 9; spanId bytes 10; eventName string 12",
  ExportMetricsServiceRequest: "resourceMetrics *ResourceMetrics 1",
  ResourceMetrics: "resource Resource 1; scopeMetrics *ScopeMetrics 2; schemaUrl string 3",
  ScopeMetrics: "scope InstrumentationScope 1; metrics *Metric 2; schemaUrl string 3",
  Metric:
    "name string 1; description string 2; unit string 3; gauge Gauge 5|d; sum Sum 7|d; histogram Histogram 9|d; exponentialHistogram ExponentialHistogram 10|d; summary Summary 11|d; metadata *KeyValue 12",
  Gauge: "dataPoints *NumberDataPoint 1",
  Sum: "dataPoints *NumberDataPoint 1; aggregationTemporality int32 2; isMonotonic bool 3",
  Histogram: "dataPoints *HistogramDataPoint 1; aggregationTemporality int32 2",
  ExponentialHistogram:
    "dataPoints *ExponentialHistogramDataPoint 1; aggregationTemporality int32 2",
  Summary: "dataPoints *SummaryDataPoint 1",
  NumberDataPoint:
    "attributes *KeyValue 7; startTimeUnixNano fixed64 2; timeUnixNano fixed64 3; asDouble double 4|v; asInt sfixed64 6|v; exemplars *Exemplar 5; flags uint32 8",
  HistogramDataPoint:
    "attributes *KeyValue 9; startTimeUnixNano fixed64 2; timeUnixNano fixed64 3; count fixed64 4; sum double 5|_sum; bucketCounts *fixed64 6; explicitBounds *double 7; exemplars *Exemplar 8; flags uint32 10; min double 11|_min; max double 12|_max",
  ExponentialHistogramDataPoint:
    "attributes *KeyValue 1; startTimeUnixNano fixed64 2; timeUnixNano fixed64 3; count fixed64 4; sum double 5|_sum; scale sint32 6; zeroCount fixed64 7; positive Buckets 8; negative Buckets 9; flags uint32 10; exemplars *Exemplar 11; min double 12|_min; max double 13|_max; zeroThreshold double 14",
  Buckets: "offset sint32 1; bucketCounts *uint64 2",
  SummaryDataPoint:
    "attributes *KeyValue 7; startTimeUnixNano fixed64 2; timeUnixNano fixed64 3; count fixed64 4; sum double 5; quantileValues *ValueAtQuantile 6; flags uint32 8",
  ValueAtQuantile: "quantile double 1; value double 2",
  Exemplar:
    "filteredAttributes *KeyValue 7; timeUnixNano fixed64 2; asDouble double 3|v; asInt sfixed64 6|v; spanId bytes 4; traceId bytes 5",
};

function descriptor(): protobuf.INamespace {
  const nested: Record<string, protobuf.IType> = {};
  for (const [name, spec] of Object.entries(MESSAGES)) {
    const fields: Record<string, protobuf.IField> = {};
    const oneofs: Record<string, { oneof: string[] }> = {};
    for (const part of spec.split(";")) {
      const [fname, ftype, idGroup] = part.trim().split(" ");
      assert(fname !== undefined && ftype !== undefined && idGroup !== undefined);
      const [id, group] = idGroup.split("|");
      const repeated = ftype.startsWith("*");
      fields[fname] = {
        type: ftype.replace("*", ""),
        id: Number(id),
        ...(repeated ? { rule: "repeated" } : {}),
      };
      if (group) (oneofs[group] ??= { oneof: [] }).oneof.push(fname);
    }
    nested[name] = Object.keys(oneofs).length > 0 ? { fields, oneofs } : { fields };
  }
  return { nested: { otlp: { nested } } };
}

const root = protobuf.Root.fromJSON(descriptor());
const ID_KEYS = new Set(["traceId", "spanId", "parentSpanId"]);

/** protobufjs decode → plain object in OTLP/JSON shape (hex IDs, string int64). */
function pjDecode(type: string, bytes: Uint8Array): unknown {
  const t = root.lookupType(`otlp.${type}`);
  const obj = t.toObject(t.decode(bytes), { longs: String, bytes: String, defaults: false });
  return hexIds(obj);
}

function hexIds(v: unknown, key = ""): unknown {
  if (typeof v === "string" && ID_KEYS.has(key)) {
    return Array.from(atob(v), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  }
  if (Array.isArray(v)) return v.map((x) => hexIds(x));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hexIds(x, k)]));
  }
  return v;
}

/** OTLP/JSON object → protobufjs encode (IDs from hex to base64 first). */
function pjEncode(type: string, json: unknown): Uint8Array {
  const t = root.lookupType(`otlp.${type}`);
  return t.encode(t.fromObject(base64Ids(json) as Record<string, unknown>)).finish();
}

function base64Ids(v: unknown, key = ""): unknown {
  if (typeof v === "string" && ID_KEYS.has(key)) {
    return btoa(String.fromCharCode(...(v.match(/../g) ?? []).map((h) => parseInt(h, 16))));
  }
  if (Array.isArray(v)) return v.map((x) => base64Ids(x));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, base64Ids(x, k)]));
  }
  return v;
}

Deno.test("protobufjs decodes our protobuf traces to the spans we encoded", () => {
  const spans = decodeTraces(encodeTraces(sampleSpans(), "protobuf"), "protobuf");
  const theirs = pjDecode("ExportTraceServiceRequest", encodeTraces(spans, "protobuf"));
  assertEquals(decodeTracesJson(theirs), spans);
});

Deno.test("protobufjs decodes our protobuf logs to the records we encoded", () => {
  const records = decodeLogs(
    encodeLogs(
      decodeLogs(
        new TextEncoder().encode(JSON.stringify(testdataJson("otelproto-examples-events.json"))),
        "json",
      ),
      "protobuf",
    ),
    "protobuf",
  );
  const theirs = pjDecode("ExportLogsServiceRequest", encodeLogs(records, "protobuf"));
  assertEquals(groupsToRecords(decodeLogsJson(theirs)), records);
});

Deno.test("protobufjs decodes our protobuf metrics, all five kinds, to what we encoded", () => {
  const metrics = decodeMetrics(encodeMetrics(sampleMetrics(), "protobuf"), "protobuf");
  const theirs = pjDecode("ExportMetricsServiceRequest", encodeMetrics(metrics, "protobuf"));
  assertEquals(decodeMetricsJson(theirs), metrics);
});

Deno.test("decodeTraces/Logs/Metrics read what protobufjs encodes from the canonical examples", () => {
  const cases = [
    ["ExportTraceServiceRequest", "otelproto-examples-trace.json", decodeTraces],
    [
      "ExportTraceServiceRequest",
      "otelcontrib-pdatatest-ptracetest-equal__expected.json",
      decodeTraces,
    ],
    ["ExportLogsServiceRequest", "otelproto-examples-logs.json", decodeLogs],
    ["ExportLogsServiceRequest", "otelproto-examples-events.json", decodeLogs],
    ["ExportMetricsServiceRequest", "otelproto-examples-metrics.json", decodeMetrics],
  ] as const;
  for (const [type, file, decode] of cases) {
    const json = testdataJson(file);
    const fromJson = decode(new TextEncoder().encode(JSON.stringify(json)), "json");
    assertEquals(decode(pjEncode(type, json), "protobuf"), fromJson, file);
  }
});
