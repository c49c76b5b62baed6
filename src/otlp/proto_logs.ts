/**
 * ExportLogsServiceRequest protobuf ↔ log groups, field numbers from
 * opentelemetry/proto/logs/v1/logs.proto and collector/logs/v1/logs_service.proto.
 */
import type { ProtoWriter } from "./proto_writer.ts";
import { emptyScope, type Resource } from "../event/span.ts";
import { blankLog, type OtlpLog, type OtlpLogGroup } from "./log_model.ts";
import {
  decodeResourceGroups,
  endAt,
  I32,
  I64,
  LEN,
  type ProtoLocation,
  readAnyValue,
  readKeyValueInto,
  readScopeInto,
  skipField,
  subEnd,
  VARINT,
} from "./proto_common.ts";
import {
  encodeWith,
  writeAnyValue,
  writeAttributes,
  writeResource,
  writeScope,
} from "./proto_write.ts";
import type { OtlpReader } from "./proto_reader.ts";

const NAMES = ["resourceLogs", "scopeLogs", "logRecords"] as const;

/** Decodes an ExportLogsServiceRequest (or LogsData) into one group per ScopeLogs. */
export function decodeLogsProto(body: Uint8Array): OtlpLogGroup[] {
  const groups: OtlpLogGroup[] = [];
  decodeResourceGroups(body, NAMES, (r, resource, loc) => {
    groups.push(readScopeLogs(r, resource, loc));
  });
  return groups;
}

function readScopeLogs(r: OtlpReader, resource: Resource, loc: ProtoLocation): OtlpLogGroup {
  const end = subEnd(r);
  const group: OtlpLogGroup = {
    resource,
    scope: emptyScope(),
    resourceIndex: loc.resource,
    scopeIndex: loc.scope,
    logs: [],
  };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((2 << 3) | LEN)) {
      loc.item++;
      group.logs.push(readLogRecord(r));
    } else if (tag === ((1 << 3) | LEN)) readScopeInto(r, group.scope);
    else if (tag === ((3 << 3) | LEN)) group.scope.schemaUrl = r.str();
    else skipField(r, tag);
  }
  endAt(r, end);
  loc.item = -1;
  return group;
}

function readLogRecord(r: OtlpReader): OtlpLog {
  const end = subEnd(r);
  const l = blankLog();
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | I64:
        l.timeUnixNano = r.u64();
        break;
      case (11 << 3) | I64:
        l.observedTimeUnixNano = r.u64();
        break;
      case (2 << 3) | VARINT:
        l.severityNumber = r.int32();
        break;
      case (3 << 3) | LEN:
        l.severityText = r.str();
        break;
      case (5 << 3) | LEN: {
        const e = subEnd(r);
        l.body = readAnyValue(r, e);
        endAt(r, e);
        break;
      }
      case (6 << 3) | LEN:
        readKeyValueInto(r, l.attributes);
        break;
      case (7 << 3) | VARINT:
        l.droppedAttributesCount = r.uint32();
        break;
      case (8 << 3) | I32:
        l.flags = r.fixed32();
        break;
      case (9 << 3) | LEN:
        l.traceId = r.id();
        break;
      case (10 << 3) | LEN:
        l.spanId = r.id();
        break;
      case (12 << 3) | LEN:
        l.eventName = r.str();
        break;
      default:
        skipField(r, tag);
    }
  }
  endAt(r, end);
  return l;
}

/**
 * Encodes log groups as an ExportLogsServiceRequest. Consecutive groups that share a
 * resource object go into one ResourceLogs.
 */
export function encodeLogsProto(groups: readonly OtlpLogGroup[]): Uint8Array {
  return encodeWith((w) => {
    for (let i = 0; i < groups.length;) {
      const resource = groups[i]!.resource;
      w.tag(1, LEN).fork();
      writeResource(w, 1, resource);
      for (; i < groups.length && groups[i]!.resource === resource; i++) {
        const g = groups[i]!;
        w.tag(2, LEN).fork();
        writeScope(w, 1, g.scope);
        for (const l of g.logs) writeLogRecord(w, l);
        if (g.scope.schemaUrl !== "") w.tag(3, LEN).string(g.scope.schemaUrl);
        w.join();
      }
      if (resource.schemaUrl !== "") w.tag(3, LEN).string(resource.schemaUrl);
      w.join();
    }
  });
}

function writeLogRecord(w: ProtoWriter, l: OtlpLog): void {
  w.tag(2, LEN).fork();
  if (l.timeUnixNano !== 0n) w.tag(1, I64).fixed64(l.timeUnixNano);
  if (l.severityNumber !== 0) w.tag(2, VARINT).int32(l.severityNumber);
  if (l.severityText !== "") w.tag(3, LEN).string(l.severityText);
  if (l.body !== null) {
    w.tag(5, LEN).fork();
    writeAnyValue(w, l.body);
    w.join();
  }
  writeAttributes(w, 6, l.attributes);
  if (l.droppedAttributesCount !== 0) w.tag(7, VARINT).uint32(l.droppedAttributesCount);
  if (l.flags !== 0) w.tag(8, I32).fixed32(l.flags);
  if (l.traceId.length > 0) w.tag(9, LEN).bytes(l.traceId);
  if (l.spanId.length > 0) w.tag(10, LEN).bytes(l.spanId);
  if (l.observedTimeUnixNano !== 0n) w.tag(11, I64).fixed64(l.observedTimeUnixNano);
  if (l.eventName !== "") w.tag(12, LEN).string(l.eventName);
  w.join();
}
