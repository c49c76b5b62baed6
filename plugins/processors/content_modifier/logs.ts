/**
 * content_modifier on log chunks. `body` and `metadata` work on each log record
 * (group markers are left alone); `otel_log_attributes` on `metadata.otlp.attributes`;
 * the OTel resource and scope contexts on the GROUP_START record that heads each
 * OTLP group (body `resource` / `scope`), so every record of the group sees the
 * change. Plain (non-OTLP) records have no group and are left alone by those.
 */
import type { LogChunk } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { applyToMap, childMap, isMap, type Op } from "./actions.ts";
import type { LogContext } from "./compile.ts";

function isGroupStart(r: LogRecord): boolean {
  return r.time.sec === -1 && isGroupMarker(r);
}

/** The map `context` targets in a record, or undefined when the record has none. */
function mapOf(r: LogRecord, context: LogContext, op: Op): Record<string, unknown> | undefined {
  switch (context) {
    case "body":
      return isGroupMarker(r) || !isMap(r.body) ? undefined : r.body;
    case "metadata":
      return isGroupMarker(r) || !isMap(r.metadata) ? undefined : r.metadata;
    case "otel_log_attributes": {
      if (isGroupMarker(r) || !isMap(r.metadata)) return undefined;
      const otlp = childMap(r.metadata, "otlp", op);
      return otlp && childMap(otlp, "attributes", op);
    }
    case "otel_resource_attributes": {
      if (!isGroupStart(r) || !isMap(r.body.resource)) return undefined;
      return childMap(r.body.resource, "attributes", op);
    }
    case "otel_scope_attributes": {
      if (!isGroupStart(r) || !isMap(r.body.scope)) return undefined;
      return childMap(r.body.scope, "attributes", op);
    }
    case "otel_scope_name":
    case "otel_scope_version":
      return isGroupStart(r) && isMap(r.body) ? childMap(r.body, "scope", op) : undefined;
  }
}

/**
 * Applies `op` in `context` to every record of the chunk, in place. A map shared by
 * several group records (an attributes map decoded once) is changed once.
 */
export function modifyLogs(chunk: LogChunk, target: { context: LogContext; op: Op }): void {
  const { context, op } = target;
  const shared = context.startsWith("otel_") && context !== "otel_log_attributes"
    ? new Set<object>()
    : undefined;
  for (const r of chunk.records) {
    const map = mapOf(r, context, op);
    if (!map) continue;
    if (shared) {
      if (shared.has(map)) continue;
      shared.add(map);
    }
    applyToMap(op, map);
  }
}
