/**
 * A record as the kubernetes filter rebuilds it (Fluent Bit's `pack_map_content`): the
 * original keys (`log` kept or dropped per `keep_log` and the merge result), the keys
 * merged from `log` (or under `merge_log_key`), then `kubernetes` and
 * `kubernetes_namespace`.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { Parser } from "../../../src/plugin.ts";

/** How `log` is merged. */
export interface MergeOptions {
  /** `merge_log`. */
  mergeLog: boolean;
  /** `merge_parser`, used when no annotation parser applies. */
  mergeParser?: Parser;
  /** `merge_log_key`. */
  mergeLogKey?: string;
  /** `merge_log_trim`. */
  trim: boolean;
  /** `keep_log`. */
  keepLog: boolean;
}

/** What is added to each record of a chunk. */
export interface Enrichment {
  /** The `kubernetes` map, when known. */
  kube?: RecordMap;
  /** The `kubernetes_namespace` map, when enabled and known. */
  namespace?: RecordMap;
}

const decoder = new TextDecoder();

/**
 * `value` without trailing newlines and trailing literal `\n` / `\r` escape pairs; the
 * first character is never looked at (Fluent Bit's `value_trim_size`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(trimValue("ok\n"), "ok");
 * assertEquals(trimValue("ok\\n\\r\n"), "ok");
 * assertEquals(trimValue("\n"), "\n");
 * ```
 */
export function trimValue(value: string): string {
  let size = value.length;
  for (let i = size - 1; i > 0; i--) {
    const c = value.charCodeAt(i);
    if (c === 10) {
      size--;
      continue;
    }
    if (value.charCodeAt(i - 1) === 92 && (c === 110 || c === 114)) {
      size -= 2;
      i--;
    } else break;
  }
  return size === value.length ? value : value.slice(0, size);
}

function isMap(v: unknown): v is RecordMap {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

interface Merged {
  fields: RecordMap;
  time?: EventTime;
  /** The text of `log`, kept in its place when `keep_log` is on. */
  text?: string;
  parsed: boolean;
}

/** The fields of a `log` text, or null when it does not merge. */
function mergeText(text: string, parser: Parser | undefined): Merged | null {
  if (parser) {
    const r = parser.parse(text);
    if (!r) return null;
    return r.time ? { fields: r.body, time: r.time, text, parsed: true } : {
      fields: r.body,
      text,
      parsed: true,
    };
  }
  const first = text.trimStart().charCodeAt(0);
  if (first !== 123) return null; // only a JSON object merges
  try {
    const v: unknown = JSON.parse(text);
    return isMap(v) ? { fields: v, text, parsed: true } : null;
  } catch {
    return null;
  }
}

/**
 * `record` enriched: `log` merged when `merge_log` is on and it parses (`parser`, the
 * annotation's choice, before `merge_parser`, before JSON), then `kubernetes` and
 * `kubernetes_namespace`. A parsed time replaces the record's.
 *
 * @example
 * ```ts
 * import { logRecord } from "../../../src/event/log_record.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const record = logRecord({ log: '{"lvl":"info","msg":"ok\\n"}\n', stream: "stdout" });
 * const out = enrich(record, { kube: { pod_name: "web" } }, undefined, {
 *   mergeLog: true,
 *   trim: true,
 *   keepLog: false,
 * });
 * assertEquals(out.body, { stream: "stdout", lvl: "info", msg: "ok", kubernetes: { pod_name: "web" } });
 * ```
 */
export function enrich(
  record: LogRecord,
  add: Enrichment,
  parser: Parser | undefined,
  options: MergeOptions,
): LogRecord {
  const src = record.body;
  let merged: Merged | null = null;
  let hasLog = false;
  if (options.mergeLog && Object.hasOwn(src, "log")) {
    hasLog = true;
    const v = src.log;
    if (isMap(v)) merged = { fields: v, parsed: false };
    else if (typeof v === "string") merged = mergeText(v, parser ?? options.mergeParser);
    else if (v instanceof Uint8Array) {
      merged = mergeText(decoder.decode(v), parser ?? options.mergeParser);
    }
  }
  const body: RecordMap = {};
  for (const key in src) {
    if (hasLog && key === "log") {
      if (options.keepLog) body.log = merged?.text ?? src.log;
      else if (merged === null) body.log = src.log;
      continue;
    }
    body[key] = src[key];
  }
  if (merged !== null) {
    const fields = merged.fields;
    let into = body;
    if (options.mergeLogKey !== undefined && Object.keys(fields).length > 0) {
      into = {};
      body[options.mergeLogKey] = into;
    }
    for (const key in fields) {
      const v = fields[key];
      into[key] = merged.parsed && options.trim && typeof v === "string" ? trimValue(v) : v;
    }
  }
  if (add.kube) body.kubernetes = add.kube;
  if (add.namespace) body.kubernetes_namespace = add.namespace;
  return { time: merged?.time ?? record.time, metadata: record.metadata, body };
}
