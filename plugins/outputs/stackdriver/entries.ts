/**
 * The `entries:write` body of a chunk, as Fluent Bit's stackdriver output writes it:
 * `{"partialSuccess":true,"resource":{"type":...,"labels":{...}},"entries":[...]}`, each
 * entry with (when the record has them) `severity`, `trace`, `spanId`, `traceSampled`,
 * `insertId`, `operation`, `sourceLocation`, `httpRequest`, `labels`, then `jsonPayload` (the record without the special keys) or
 * `textPayload`, `logName` and `timestamp` (nanoseconds, UTC). `items` maps entries back
 * to records; records that cannot become an entry are returned as `refused`.
 */
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { isRecordMap } from "../../../src/event/record_accessor.ts";
import { strftimeCache } from "../../../src/event/strftime.ts";
import {
  type Lifted,
  liftHttpRequest,
  liftOperation,
  liftSourceLocation,
  OPERATION_KEY,
  recordTime,
  SOURCE_LOCATION_KEY,
} from "./special_fields.ts";

const K = "logging.googleapis.com";
/** Record keys Fluent Bit reads for the resource (and leaves out of the payload). */
export const MONITORED_RESOURCE_KEY = `${K}/monitored_resource`;
/** The record key naming the local resource (`k8s_container.<ns>.<pod>.<container>`). */
export const LOCAL_RESOURCE_ID_KEY = `${K}/local_resource_id`;
const INSERT_ID_KEY = `${K}/insertId`;

const SEVERITIES: Record<string, number> = {
  EMERGENCY: 800,
  EMERG: 800,
  A: 700,
  ALERT: 700,
  C: 600,
  F: 600,
  CRIT: 600,
  FATAL: 600,
  CRITICAL: 600,
  E: 500,
  ERR: 500,
  ERROR: 500,
  SEVERE: 500,
  W: 400,
  WARN: 400,
  WARNING: 400,
  N: 300,
  NOTICE: 300,
  I: 200,
  INFO: 200,
  D: 100,
  DEBUG: 100,
  TRACE: 100,
  TRACE_INT: 100,
  FINE: 100,
  FINER: 100,
  FINEST: 100,
  CONFIG: 100,
  DEFAULT: 0,
};

/** The LogSeverity number of a severity name (case-insensitive), or undefined. */
export function severityOf(name: string): number | undefined {
  return SEVERITIES[name.toUpperCase()];
}

/** How records become entries (derived once from the options). */
export interface EntrySettings {
  /** The project of logName unless a record's project_id_key says otherwise. */
  project: string;
  severityKey: string;
  traceKey: string;
  spanIdKey: string;
  traceSampledKey: string;
  logNameKey: string;
  projectIdKey: string;
  labelsKey: string;
  /** The record key of the httpRequest map. */
  httpRequestKey: string;
  /** Labels from the config, `key=value`, added to every entry (they win over the record's). */
  labels: [string, string][];
  autoformatTrace: boolean;
  textPayloadKey?: string;
  /** k8s resources name the log after the record's stream (stdout/stderr). */
  k8s: boolean;
}

/** One request body and what its entries are. */
export interface EntriesBody {
  /** The entries, as JSON objects in Fluent Bit's key order. */
  entries: Record<string, unknown>[];
  /** For each entry, the index of its record in the chunk. */
  items: number[];
  /** Records left out, with why. */
  refused: { index: number; reason: string }[];
}

const timeText = strftimeCache("%Y-%m-%dT%H:%M:%S");

/** Builds the entries of records. */
export function buildEntries(
  records: readonly LogRecord[],
  tag: string,
  s: EntrySettings,
): EntriesBody {
  const removed = new Set([
    MONITORED_RESOURCE_KEY,
    LOCAL_RESOURCE_ID_KEY,
    s.projectIdKey,
    s.labelsKey,
    s.severityKey,
    s.traceKey,
    s.spanIdKey,
    s.traceSampledKey,
    s.logNameKey,
    "stream",
  ]);
  const entries: Record<string, unknown>[] = [];
  const items: number[] = [];
  const refused: { index: number; reason: string }[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) continue;
    const b = r.body;
    const str = (k: string) => typeof b[k] === "string" ? b[k] as string : undefined;
    const e: Record<string, unknown> = {};
    const sev = str(s.severityKey);
    const severity = sev === undefined ? undefined : severityOf(sev);
    if (severity !== undefined) e.severity = severity;
    const trace = str(s.traceKey);
    if (trace !== undefined) {
      e.trace = s.autoformatTrace ? `projects/${s.project}/traces/${trace}` : trace;
    }
    const span = str(s.spanIdKey);
    if (span !== undefined) e.spanId = span;
    if (typeof b[s.traceSampledKey] === "boolean") e.traceSampled = b[s.traceSampledKey];
    let insertId = false;
    if (INSERT_ID_KEY in b) {
      const v = b[INSERT_ID_KEY];
      if (typeof v !== "string" || v === "") {
        refused.push({ index: i, reason: `${INSERT_ID_KEY} should be a non-empty string` });
        continue;
      }
      e.insertId = v;
      insertId = true;
    }
    const operation = liftOperation(b[OPERATION_KEY]);
    if (operation) e.operation = operation.value;
    const source = liftSourceLocation(b[SOURCE_LOCATION_KEY]);
    if (source) e.sourceLocation = source.value;
    const http = liftHttpRequest(b[s.httpRequestKey]);
    if (http) e.httpRequest = http.value;
    const own = recordTime(b, r.time);
    const recordLabels = b[s.labelsKey];
    if (recordLabels !== undefined && !isRecordMap(recordLabels)) {
      refused.push({ index: i, reason: `${s.labelsKey} should be a map of labels` });
      continue;
    }
    if (recordLabels || s.labels.length > 0) {
      const labels: RecordMap = { ...(recordLabels as RecordMap | undefined) };
      for (const [k, v] of s.labels) labels[k] = v;
      e.labels = labels;
    }
    const payload: RecordMap = {};
    let kept = 0;
    const lifted = new Map<string, Lifted | undefined>([
      [OPERATION_KEY, operation],
      [SOURCE_LOCATION_KEY, source],
      [s.httpRequestKey, http],
    ]);
    for (const k in b) {
      if (removed.has(k) || (insertId && k === INSERT_ID_KEY) || own?.keys.includes(k)) continue;
      const l = lifted.get(k);
      if (l) {
        if (!l.rest) continue;
        payload[k] = l.rest;
      } else payload[k] = b[k];
      kept++;
    }
    const text = s.textPayloadKey === undefined ? undefined : str(s.textPayloadKey);
    if (text !== undefined && kept === 1) e.textPayload = text;
    else e.jsonPayload = payload;
    let logName = str(s.logNameKey);
    if (logName === undefined) {
      const stream = s.k8s ? str("stream") : undefined;
      logName = stream === "stdout" || stream === "stderr" ? stream : tag;
    }
    e.logName = `projects/${str(s.projectIdKey) ?? s.project}/logs/${logName}`;
    const t = own?.time ?? r.time;
    e.timestamp = `${timeText(t.sec)}.${String(t.nsec).padStart(9, "0")}Z`;
    entries.push(e);
    items.push(i);
  }
  return { entries, items, refused };
}
