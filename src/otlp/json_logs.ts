/**
 * OTLP/JSON ExportLogsServiceRequest ↔ log groups (spec "JSON Protobuf Encoding"),
 * accepting camelCase or snake_case keys and Fluent Bit's `traceFlags` for `flags`.
 */
import { hexId } from "./hex.ts";
import { jsonAnyValue, jsonAttributes, walkJsonRequest } from "./json_common.ts";
import { jsonEntry, jsonEnum, jsonId, jsonInt32, jsonString, jsonUint64 } from "./json_read.ts";
import {
  anyValueToJson,
  attributesToJson,
  jsonBody,
  type JsonOut,
  putIf,
  resourceToJson,
  scopeToJson,
} from "./json_write.ts";
import { blankLog, type OtlpLog, type OtlpLogGroup, SEVERITY_NAMES } from "./log_model.ts";

const KEYS = {
  resource: ["resourceLogs", "resource_logs"],
  scope: ["scopeLogs", "scope_logs"],
  item: ["logRecords", "log_records"],
} as { resource: [string, string]; scope: [string, string]; item: [string, string] };

/** Decodes a parsed OTLP/JSON logs request into one group per ScopeLogs. */
export function decodeLogsJson(root: unknown): OtlpLogGroup[] {
  const groups: OtlpLogGroup[] = [];
  walkJsonRequest(root, KEYS, (items, path, g) => {
    const logs: OtlpLog[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) logs[i] = jsonLog(items[i], `${path}[${i}]`);
    groups.push({ ...g, logs });
  });
  return groups;
}

function jsonLog(value: unknown, path: string): OtlpLog {
  const o = jsonEntry(value, path);
  const l = blankLog();
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case "timeUnixNano":
      case "time_unix_nano":
        l.timeUnixNano = jsonUint64(v, `${path}.timeUnixNano`);
        break;
      case "observedTimeUnixNano":
      case "observed_time_unix_nano":
        l.observedTimeUnixNano = jsonUint64(v, `${path}.observedTimeUnixNano`);
        break;
      case "severityNumber":
      case "severity_number":
        l.severityNumber = jsonEnum(v, `${path}.severityNumber`, SEVERITY_NAMES);
        break;
      case "severityText":
      case "severity_text":
        l.severityText = jsonString(v, `${path}.severityText`);
        break;
      case "body":
        l.body = jsonAnyValue(v, `${path}.body`);
        break;
      case "attributes":
        l.attributes = jsonAttributes(v, `${path}.attributes`);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        l.droppedAttributesCount = jsonInt32(v, `${path}.droppedAttributesCount`);
        break;
      case "flags":
      case "traceFlags":
        l.flags = jsonInt32(v, `${path}.${k}`);
        break;
      case "traceId":
      case "trace_id":
        l.traceId = jsonId(v, `${path}.traceId`);
        break;
      case "spanId":
      case "span_id":
        l.spanId = jsonId(v, `${path}.spanId`);
        break;
      case "eventName":
      case "event_name":
        l.eventName = jsonString(v, `${path}.eventName`);
        break;
    }
  }
  return l;
}

/** Encodes log groups as an OTLP/JSON body; consecutive groups sharing a resource merge. */
export function encodeLogsJson(groups: readonly OtlpLogGroup[]): Uint8Array {
  const resourceLogs: JsonOut[] = [];
  for (let i = 0; i < groups.length;) {
    const resource = groups[i]!.resource;
    const scopeLogs: JsonOut[] = [];
    for (; i < groups.length && groups[i]!.resource === resource; i++) {
      const g = groups[i]!;
      const sl: JsonOut = { scope: scopeToJson(g.scope), logRecords: g.logs.map(logToJson) };
      putIf(sl, "schemaUrl", g.scope.schemaUrl);
      scopeLogs.push(sl);
    }
    const rl: JsonOut = { resource: resourceToJson(resource), scopeLogs };
    putIf(rl, "schemaUrl", resource.schemaUrl);
    resourceLogs.push(rl);
  }
  return jsonBody({ resourceLogs });
}

function logToJson(l: OtlpLog): JsonOut {
  const o: JsonOut = {};
  putIf(o, "timeUnixNano", l.timeUnixNano === 0n ? "" : String(l.timeUnixNano));
  putIf(
    o,
    "observedTimeUnixNano",
    l.observedTimeUnixNano === 0n ? "" : String(l.observedTimeUnixNano),
  );
  putIf(o, "severityNumber", l.severityNumber);
  putIf(o, "severityText", l.severityText);
  if (l.body !== null) o.body = anyValueToJson(l.body);
  putIf(o, "attributes", attributesToJson(l.attributes));
  putIf(o, "droppedAttributesCount", l.droppedAttributesCount);
  putIf(o, "flags", l.flags);
  putIf(o, "traceId", hexId(l.traceId));
  putIf(o, "spanId", hexId(l.spanId));
  putIf(o, "eventName", l.eventName);
  return o;
}
