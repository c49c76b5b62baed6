/**
 * The record keys Fluent Bit's stackdriver output lifts into LogEntry fields besides the
 * simple ones: `logging.googleapis.com/operation` → `operation`,
 * `logging.googleapis.com/sourceLocation` → `sourceLocation`, the `http_request_key` map →
 * `httpRequest`, and the time from `timestamp: {seconds, nanos}` or `timestampSeconds` /
 * `timestampNanos`. A lifted map leaves the payload, or stays there with only the subfields
 * the LogEntry field has no place for.
 */
import { EventTime } from "../../../src/event/event_time.ts";
import { isRecordMap } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";

const K = "logging.googleapis.com";
/** The record key of the operation. */
export const OPERATION_KEY = `${K}/operation`;
/** The record key of the source location. */
export const SOURCE_LOCATION_KEY = `${K}/sourceLocation`;

/** One lifted field: its value, and what the payload keeps of the record's map (if anything). */
export interface Lifted {
  value: RecordMap;
  rest?: RecordMap;
}

const str = (v: unknown, def = "") => typeof v === "string" ? v : def;

function int(v: unknown, def = 0): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === "string" && /^[+-]?\d{1,19}$/.test(v)) return Number(v);
  return def;
}

const bool = (v: unknown, def = false) => typeof v === "boolean" ? v : def;

function split(map: RecordMap, known: readonly string[]): RecordMap | undefined {
  const rest: RecordMap = {};
  let n = 0;
  for (const k in map) {
    if (known.includes(k)) continue;
    rest[k] = map[k];
    n++;
  }
  return n > 0 ? rest : undefined;
}

/** `operation` from the record's operation map. */
export function liftOperation(v: unknown): Lifted | undefined {
  if (!isRecordMap(v)) return undefined;
  return {
    value: { id: str(v.id), producer: str(v.producer), first: bool(v.first), last: bool(v.last) },
    rest: split(v, ["id", "producer", "first", "last"]),
  };
}

/** `sourceLocation` from the record's source location map. */
export function liftSourceLocation(v: unknown): Lifted | undefined {
  if (!isRecordMap(v)) return undefined;
  return {
    value: { file: str(v.file), line: int(v.line), function: str(v.function) },
    rest: split(v, ["file", "line", "function"]),
  };
}

const HTTP_STRINGS = [
  "requestMethod",
  "requestUrl",
  "userAgent",
  "remoteIp",
  "serverIp",
  "referer",
  "protocol",
] as const;
const HTTP_INTS = ["requestSize", "responseSize", "status", "cacheFillBytes"] as const;
const HTTP_BOOLS = ["cacheLookup", "cacheHit", "cacheValidatedWithOriginServer"] as const;
const HTTP_KNOWN = ["latency", ...HTTP_STRINGS, ...HTTP_INTS, ...HTTP_BOOLS];

/** `httpRequest` from the record's http request map; `latency` kept when it reads `1.5s`. */
export function liftHttpRequest(v: unknown): Lifted | undefined {
  if (!isRecordMap(v)) return undefined;
  const value: RecordMap = {};
  const latency = v.latency;
  if (
    typeof latency === "string" && latency.length <= 32 && /^\s*\d+(.\d+)?\s*s\s*$/.test(latency)
  ) {
    value.latency = latency.replace(/[^0-9.s]/g, "");
  }
  for (const k of HTTP_STRINGS) value[k] = str(v[k]);
  for (const k of HTTP_INTS) value[k] = int(v[k]);
  for (const k of HTTP_BOOLS) value[k] = bool(v[k]);
  return { value, rest: split(v, HTTP_KNOWN) };
}

function seconds(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === "string" && /^\d{1,18}$/.test(v)) return Number(v);
  return 0;
}

/**
 * The time a record gives itself, and the keys it came from (left out of the payload):
 * `timestamp: {seconds, nanos}`, else `timestampSeconds` with `timestampNanos`. Seconds of 0
 * keep the record's own time, as Fluent Bit does; undefined when neither form is there.
 */
export function recordTime(
  body: RecordMap,
  time: EventTime,
): { time: EventTime; keys: string[] } | undefined {
  const ts = body.timestamp;
  if (isRecordMap(ts) && "seconds" in ts && "nanos" in ts) {
    return { time: pick(seconds(ts.seconds), seconds(ts.nanos), time), keys: ["timestamp"] };
  }
  if ("timestampSeconds" in body && "timestampNanos" in body) {
    return {
      time: pick(seconds(body.timestampSeconds), seconds(body.timestampNanos), time),
      keys: ["timestampSeconds", "timestampNanos"],
    };
  }
  return undefined;
}

function pick(sec: number, nsec: number, fallback: EventTime): EventTime {
  if (sec === 0 || nsec > 999_999_999) return fallback;
  return new EventTime(sec, nsec);
}
