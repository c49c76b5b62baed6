/**
 * Wrapping plain log records into an OTLP group, as Fluent Bit's opentelemetry_envelope
 * does: each run of records outside a group gets a GROUP_START record before it (metadata
 * `{schema: "otlp", resource_id: 0, scope_id: 0}`, body `{resource: {}, scope: {}}`) and a
 * GROUP_END record after it; records already in a group (from an OTLP input) are left as
 * they are. A later `content_modifier` (context `otel_resource_attributes`, ...) then fills
 * the group's resource and scope, which the OTLP output sends as such.
 */
import { GROUP_END, GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";

function groupStart(): LogRecord {
  return {
    time: GROUP_START,
    metadata: { schema: "otlp", resource_id: 0, scope_id: 0 },
    body: { resource: {}, scope: {} },
  };
}

function groupEnd(): LogRecord {
  return { time: GROUP_END, metadata: {}, body: {} };
}

function isStart(r: LogRecord): boolean {
  return r.time.sec === -1 && r.time.nsec === 0;
}

function isEnd(r: LogRecord): boolean {
  return r.time.sec === -2 && r.time.nsec === 0;
}

/**
 * `records` with every run of ungrouped records wrapped in a group of its own; the same
 * array when nothing needs wrapping.
 *
 * @example
 * ```ts
 * import { logRecord } from "../../../src/event/log_record.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const out = envelop([logRecord({ msg: "a" }), logRecord({ msg: "b" })]);
 * assertEquals(out.map((r) => r.time.sec < 0 ? r.time.sec : "log"), [-1, "log", "log", -2]);
 * assertEquals(out[0]!.body, { resource: {}, scope: {} });
 * ```
 */
export function envelop(records: LogRecord[]): LogRecord[] {
  let inGroup = false;
  let wrapping = false;
  let changed = false;
  const out: LogRecord[] = [];
  for (const r of records) {
    if (isStart(r)) {
      if (wrapping) {
        out.push(groupEnd());
        wrapping = false;
      }
      inGroup = true;
    } else if (isEnd(r)) {
      inGroup = false;
    } else if (!inGroup && !wrapping) {
      out.push(groupStart());
      wrapping = true;
      changed = true;
    }
    out.push(r);
  }
  if (wrapping) out.push(groupEnd());
  return changed ? out : records;
}
