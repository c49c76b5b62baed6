import { EventTime } from "./event_time.ts";

/** A map body or metadata, as in a Fluent Bit record. */
export type RecordMap = Record<string, unknown>;

/**
 * A log record as Fluent Bit's v2 event `[[time, metadata], body]`, kept as a JS
 * object while it flows; the msgpack codec turns it into the array form on disk or wire.
 */
export interface LogRecord {
  /** The event time. */
  time: EventTime;
  /** Fluent Bit's per-record metadata map (OTLP fields live here). */
  metadata: RecordMap;
  /** The record's key/value body. */
  body: RecordMap;
}

/** Header time Fluent Bit writes on a group start marker record (OTLP logs). */
export const GROUP_START: EventTime = new EventTime(-1, 0);
/** Header time Fluent Bit writes on a group end marker record. */
export const GROUP_END: EventTime = new EventTime(-2, 0);

/** True for the group start/end marker records, which carry no log line. */
export function isGroupMarker(r: LogRecord): boolean {
  return r.time.sec < 0 && r.time.nsec === 0 && (r.time.sec === -1 || r.time.sec === -2);
}

/** A record with empty metadata at `time` (now when omitted). */
export function logRecord(body: RecordMap, time: EventTime = EventTime.now()): LogRecord {
  return { time, metadata: {}, body };
}
