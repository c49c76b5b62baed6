/**
 * Fluent Bit's log-field mapping for the opentelemetry output: which record field becomes
 * the OTLP body (`logs_body_key`), and where the timestamp, severity, trace context and
 * attributes of a record come from when it has no OTLP metadata of its own (a tail or
 * dummy record): metadata fields (`logs_*_metadata_key`), then body fields
 * (`logs_*_message_key`). Records decoded by the opentelemetry input pass unchanged, except
 * that a body the input nested under `log` is unwrapped again, so a round trip keeps it.
 */
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import {
  compileAccessor,
  isRecordMap,
  type RecordAccessor,
} from "../../../src/event/record_accessor.ts";

/** The codec body key records are rewritten to when their body is a chosen value. */
export const BODY_SLOT = "\u0000sluice.otlp.body";

/** Compiled mapping settings. */
export interface LogMapping {
  metadataKey: string;
  bodyKeys: RecordAccessor[];
  bodyKeyAttributes: boolean;
  /** OTLP field name (as the input writes it) to [metadata accessor, body accessor?]. */
  fields: [string, RecordAccessor, RecordAccessor | undefined][];
  attributes: RecordAccessor;
  /** Top-level metadata keys the accessors read, kept out of the attributes. */
  consumed: Set<string>;
}

/** The mapping keys as the options table names them. */
export interface LogMappingOptions {
  logs_metadata_key: string;
  logs_body_key: string[];
  logs_body_key_attributes: boolean;
  logs_attributes_metadata_key: string;
  logs_timestamp_metadata_key: string;
  logs_observed_timestamp_metadata_key: string;
  logs_severity_text_metadata_key: string;
  logs_severity_text_message_key: string;
  logs_severity_number_metadata_key: string;
  logs_severity_number_message_key: string;
  logs_trace_id_metadata_key: string;
  logs_trace_id_message_key: string;
  logs_span_id_metadata_key: string;
  logs_span_id_message_key: string;
  logs_trace_flags_metadata_key: string;
}

/** Compiles the mapping keys; throws SyntaxError for a bad record accessor. */
export function logMapping(o: LogMappingOptions): LogMapping {
  const ra = compileAccessor;
  const fields: LogMapping["fields"] = [
    ["timestamp", ra(o.logs_timestamp_metadata_key), undefined],
    ["observed_timestamp", ra(o.logs_observed_timestamp_metadata_key), undefined],
    [
      "severity_number",
      ra(o.logs_severity_number_metadata_key),
      ra(o.logs_severity_number_message_key),
    ],
    ["severity_text", ra(o.logs_severity_text_metadata_key), ra(o.logs_severity_text_message_key)],
    ["trace_id", ra(o.logs_trace_id_metadata_key), ra(o.logs_trace_id_message_key)],
    ["span_id", ra(o.logs_span_id_metadata_key), ra(o.logs_span_id_message_key)],
    ["trace_flags", ra(o.logs_trace_flags_metadata_key), undefined],
  ];
  const attributes = ra(o.logs_attributes_metadata_key);
  const consumed = new Set<string>([String(attributes.path[0])]);
  for (const f of fields) consumed.add(String(f[1].path[0]));
  return {
    metadataKey: o.logs_metadata_key,
    bodyKeys: bodyKeysOf(o.logs_body_key).map((k) => ra(k)),
    bodyKeyAttributes: o.logs_body_key_attributes,
    fields,
    attributes,
    consumed,
  };
}

/** The body keys: as given, or Fluent Bit's defaults `$log` then `$message` when unset. */
function bodyKeysOf(given: readonly string[]): string[] {
  const keys = given.filter((k) => k !== "");
  return keys.length > 0 ? keys : ["$log", "$message"];
}

function usable(field: string, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (field === "severity_number") {
    const n = typeof v === "bigint" ? Number(v) : v;
    return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 24;
  }
  return true;
}

function isSingleLog(body: RecordMap): boolean {
  let n = 0;
  for (const k in body) {
    if (k !== "log" || ++n > 1) return false;
  }
  return n === 1;
}

/**
 * The record as the codec should encode it (with `bodyKey: BODY_SLOT`): OTLP fields under
 * the metadata key, completed from the mapping keys, and the chosen body in BODY_SLOT.
 * Returns `rec` itself when nothing changes.
 */
export function mapLogRecord(rec: LogRecord, m: LogMapping): LogRecord {
  const raw = rec.metadata[m.metadataKey];
  const otlp = isRecordMap(raw) ? raw : null;
  let meta: RecordMap | null = null;
  for (const [field, fromMeta, fromBody] of m.fields) {
    if (otlp !== null && otlp[field] !== undefined) continue;
    let v = fromMeta.get(rec.metadata);
    if (!usable(field, v) && fromBody) v = fromBody.get(rec.body);
    if (usable(field, v)) (meta ??= { ...otlp })[field] = v;
  }
  let attrs: RecordMap | null = null;
  if (otlp === null || !isRecordMap(otlp.attributes)) {
    const given = m.attributes.get(rec.metadata);
    if (isRecordMap(given)) attrs = { ...given };
  }
  for (const k in rec.metadata) {
    if (k === m.metadataKey || m.consumed.has(k)) continue;
    attrs ??= otlp !== null && isRecordMap(otlp.attributes) ? { ...otlp.attributes } : {};
    attrs[k] = rec.metadata[k];
  }
  let body: RecordMap | null = null;
  for (const acc of m.bodyKeys) {
    if (!acc.has(rec.body)) continue;
    body = { [BODY_SLOT]: acc.get(rec.body) };
    if (m.bodyKeyAttributes) {
      const rest = { ...rec.body };
      acc.delete(rest);
      attrs ??= otlp !== null && isRecordMap(otlp.attributes) ? { ...otlp.attributes } : {};
      for (const k in rest) attrs[k] = rest[k];
    }
    break;
  }
  if (body === null && otlp !== null && isSingleLog(rec.body)) {
    body = { [BODY_SLOT]: rec.body.log };
  }
  if (attrs !== null) (meta ??= { ...otlp }).attributes = attrs;
  if (meta === null && body === null) return rec;
  const metadata = meta === null ? rec.metadata : { ...rec.metadata, [m.metadataKey]: meta };
  return { time: rec.time, metadata, body: body ?? rec.body };
}
