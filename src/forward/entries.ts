/**
 * Forward protocol entries: `[time, record]` (v1) and Fluent Bit's `[[time, metadata], record]`
 * (v2), with time an EventTime (ext 0), a non-negative integer or a float of seconds.
 * Each function returns a string reason instead of throwing, so a bad entry costs one
 * comparison and the caller decides whether to skip it or refuse the message.
 */
import { EventTime } from "../event/event_time.ts";
import type { LogRecord, RecordMap } from "../event/log_record.ts";
import { describeValue } from "./errors.ts";

/** Whether `v` is a decoded msgpack map. */
export function isMap(v: unknown): v is RecordMap {
  if (v === null || typeof v !== "object") return false;
  // Decoded maps are plain objects: answered without the constructor-name lookup below.
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return true;
  return !Array.isArray(v) &&
    !(v instanceof Uint8Array) && !(v instanceof EventTime) &&
    (v as object).constructor?.name !== "ExtData";
}

/** An entry time as EventTime, or a reason string when it is not one. */
export function entryTime(v: unknown): EventTime | string {
  if (v instanceof EventTime) return v;
  if (typeof v === "number") {
    if (v >= 0 && v < 0x1_0000_0000 && Number.isFinite(v)) {
      return Number.isInteger(v) ? new EventTime(v, 0) : EventTime.fromSeconds(v);
    }
    return `expected a time in seconds from 0 to 2^32, got ${v}`;
  }
  if (typeof v === "bigint") return `expected a time in seconds from 0 to 2^32, got ${v}`;
  return `expected an EventTime, integer or float time, got ${describeValue(v)}`;
}

/** Marks Fluent Bit's group start/end entries, which carry no event of their own. */
export const GROUP_MARKER = Symbol("group marker");

/**
 * One forward entry as a log record; GROUP_MARKER for Fluent Bit's group markers
 * (header time -1 or -2); a reason string when the entry is malformed.
 */
export function entryRecord(entry: unknown): LogRecord | typeof GROUP_MARKER | string {
  if (!Array.isArray(entry) || entry.length !== 2) {
    return `expected an entry [time, record], got ${describeValue(entry)}`;
  }
  const head = entry[0];
  const body = entry[1];
  let metadata: RecordMap | undefined;
  let t: unknown = head;
  if (Array.isArray(head)) {
    if (head.length !== 2) {
      return `expected an entry header [time, metadata], got ${describeValue(head)}`;
    }
    t = head[0];
    if (t === -1 || t === -2) return GROUP_MARKER;
    const meta = head[1];
    if (meta !== null && !isMap(meta)) {
      return `expected a metadata map, got ${describeValue(meta)}`;
    }
    metadata = meta ?? {};
  }
  if (!isMap(body)) return `expected a map record, got ${describeValue(body)}`;
  const time = entryTime(t);
  if (typeof time === "string") return time;
  return { time, metadata: metadata ?? {}, body };
}
