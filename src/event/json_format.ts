/**
 * Log records as JSON, the way Fluent Bit's outputs (`stdout`, `http`, `tcp`, `null`,
 * ...) write them with `format json | json_lines | json_stream`: the date key first
 * (`json_date_key`, `json_date_format`), then `__internal__` when the record has
 * metadata or group attributes, then the body. A body key equal to the date key (or to
 * `__internal__`) wins over the generated one, as in Fluent Bit where the last
 * duplicate key is kept. Group marker records are not written; the records between
 * them carry the group's attributes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { EventTime } from "./event_time.ts";
 * import { logRecord } from "./log_record.ts";
 *
 * const text = formatJsonRecord(logRecord({ msg: "hi" }, new EventTime(1700000000, 5e8)), {});
 * assertEquals(text, '{"date":1700000000.5,"msg":"hi"}');
 * ```
 */
import type { EventTime } from "./event_time.ts";
import {
  bodyJson,
  bodyJsonAfterBrace,
  escapeJsonText,
  formatTimeDouble,
  jsonValue,
  Utf8TextBuilder,
} from "./json_value.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "./log_record.ts";

/** The `json_date_format` values Fluent Bit accepts (epoch_millis/_milliseconds alias epoch_ms). */
export const JSON_DATE_FORMATS = [
  "double",
  "epoch",
  "epoch_ms",
  "epoch_millis",
  "epoch_milliseconds",
  "iso8601",
  "java_sql_timestamp",
] as const;

/** A `json_date_format` value. */
export type JsonDateFormat = typeof JSON_DATE_FORMATS[number];

/** How a chunk's records are joined: one array, one per line, or back to back. */
export type JsonRecordsFormat = "json" | "json_lines" | "json_stream";

/** Options for {@link formatJsonRecord}. */
export interface JsonRecordOptions {
  /** Key for the record time; `null` leaves it out. Defaults to `date`. */
  dateKey?: string | null;
  /** Defaults to `double` (seconds with the fraction). */
  dateFormat?: JsonDateFormat;
  /** Escape non-ASCII characters as `\uXXXX` (`json.escape_unicode`); defaults to true. */
  escapeUnicode?: boolean;
  /** Write NaN as `null` (`json.convert_nan_to_null`); defaults to false. */
  convertNanToNull?: boolean;
  /** Body of the group start record the record belongs to, written as `group_attributes`. */
  groupAttributes?: RecordMap;
}

/** Options for {@link formatJsonRecords} and {@link encodeJsonRecords}. */
export interface JsonRecordsOptions extends Omit<JsonRecordOptions, "groupAttributes"> {
  format: JsonRecordsFormat;
}

/** The date key from a `json_date_key` value: `false`, `off` or `no` disable it. */
export function parseDateKey(raw: string | undefined): string | null {
  if (raw === undefined) return "date";
  const v = raw.trim().toLowerCase();
  return v === "false" || v === "off" || v === "no" ? null : raw;
}

/** Writes record times as JSON values, caching the second-level text of the date formats. */
class DateWriter {
  readonly #format: JsonDateFormat;
  #sec = Number.NaN;
  #prefix = "";
  /** The last time written and its text: records of one read share their time. */
  #lastSec = Number.NaN;
  #lastNsec = Number.NaN;
  #last = "";

  constructor(format: JsonDateFormat) {
    this.#format = format;
  }

  write(t: EventTime): string {
    if (t.sec === this.#lastSec && t.nsec === this.#lastNsec) return this.#last;
    this.#last = this.#text(t);
    this.#lastSec = t.sec;
    this.#lastNsec = t.nsec;
    return this.#last;
  }

  #text(t: EventTime): string {
    switch (this.#format) {
      case "double":
        return formatTimeDouble(t.sec, t.nsec);
      case "epoch":
        return String(t.sec);
      case "epoch_ms":
      case "epoch_millis":
      case "epoch_milliseconds":
        return String(t.sec * 1000 + Math.floor(t.nsec / 1e6));
      case "iso8601":
        return `"${this.#second(t.sec, "T")}.${micros(t.nsec)}Z"`;
      case "java_sql_timestamp":
        return `"${this.#second(t.sec, " ")}.${micros(t.nsec)}"`;
    }
  }

  #second(sec: number, sep: string): string {
    if (sec !== this.#sec) {
      const iso = new Date(sec * 1000).toISOString();
      this.#sec = sec;
      this.#prefix = iso.slice(0, 10) + sep + iso.slice(11, 19);
    }
    return this.#prefix;
  }
}

function micros(nsec: number): string {
  return String(Math.floor(nsec / 1000)).padStart(6, "0");
}

function isEmpty(m: RecordMap): boolean {
  for (const _ in m) return false;
  return true;
}

/** Per-chunk state for writing records: resolved options and the date cache. */
class RecordWriter {
  readonly #dateKey: string | null;
  /** `{"<date key>":`, written before the date value. */
  readonly #dateOpen: string;
  readonly #dates: DateWriter;
  readonly #nan: { convertNanToNull: boolean };

  constructor(o: JsonRecordOptions) {
    this.#dateKey = o.dateKey === undefined ? "date" : o.dateKey;
    this.#dateOpen = this.#dateKey === null ? "" : "{" + JSON.stringify(this.#dateKey) + ":";
    this.#dates = new DateWriter(o.dateFormat ?? "double");
    this.#nan = { convertNanToNull: o.convertNanToNull === true };
  }

  /** `"__internal__":{...}` when the record has group attributes or metadata, else "". */
  #internal(r: LogRecord, group: RecordMap | undefined): string {
    if ((group === undefined || isEmpty(group)) && isEmpty(r.metadata)) return "";
    if (Object.hasOwn(r.body, "__internal__")) return "";
    const attrs = group === undefined ? "" : `"group_attributes":${jsonValue(group, this.#nan)},`;
    return `"__internal__":{${attrs}"log_metadata":${jsonValue(r.metadata, this.#nan)}}`;
  }

  /** One record as a JSON object, non-ASCII left unescaped. */
  write(r: LogRecord, group: RecordMap | undefined): string {
    const body = r.body;
    const internal = this.#internal(r, group);
    const key = this.#dateKey;
    let head: string;
    if (key !== null && !Object.hasOwn(body, key)) {
      head = this.#dateOpen + this.#dates.write(r.time);
      if (internal !== "") head += "," + internal;
    } else if (internal !== "") {
      head = "{" + internal;
    } else {
      return bodyJson(body, this.#nan);
    }
    const rest = bodyJsonAfterBrace(body, this.#nan);
    return rest === "}" ? head + "}" : head + "," + rest;
  }
}

/** One record as a one-line JSON object: date key, `__internal__`, then the body. */
export function formatJsonRecord(record: LogRecord, options: JsonRecordOptions): string {
  const text = new RecordWriter(options).write(record, options.groupAttributes);
  return escapeJsonText(text, options.escapeUnicode !== false);
}

/** Where {@link buildRecords} puts its text. */
interface TextSink {
  add(text: string): void;
}

/** Collects text as one string. */
class StringSink implements TextSink {
  text = "";

  add(text: string): void {
    this.text += text;
  }
}

/** Writes the records' text to `sink`, non-ASCII left unescaped. */
function buildRecords(
  records: readonly LogRecord[],
  options: JsonRecordsOptions,
  sink: TextSink,
): void {
  const writer = new RecordWriter(options);
  const format = options.format;
  if (format === "json") sink.add("[");
  let first = true;
  let group: RecordMap | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) {
      group = r.time.sec === -1 ? r.body : undefined;
      continue;
    }
    const obj = writer.write(r, group);
    if (format === "json_lines") sink.add(obj + "\n");
    else if (format === "json") sink.add(first ? obj : "," + obj);
    else sink.add(obj);
    first = false;
  }
  if (format === "json") sink.add("]");
}

/**
 * A chunk's records as Fluent Bit writes them: `json` one array, `json_lines` one
 * object per line (each ending in a newline), `json_stream` objects back to back.
 */
export function formatJsonRecords(
  records: readonly LogRecord[],
  options: JsonRecordsOptions,
): string {
  const sink = new StringSink();
  buildRecords(records, options, sink);
  return escapeJsonText(sink.text, options.escapeUnicode !== false);
}

/** {@link formatJsonRecords} as UTF-8 bytes: the hot path of JSON outputs (one string per chunk). */
export function encodeJsonRecords(
  records: readonly LogRecord[],
  options: JsonRecordsOptions,
): Uint8Array {
  const sink = new Utf8TextBuilder({ json: true, escapeUnicode: options.escapeUnicode !== false });
  buildRecords(records, options, sink);
  return sink.finish();
}
