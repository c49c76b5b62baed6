/**
 * Records to CloudWatch log events as Fluent Bit writes them: the message is the record as
 * JSON (or the `log_key` value: a string as it is, anything else as JSON), the timestamp is
 * the record's time in milliseconds; a message over 1,000,000 bytes is cut; records from
 * the cpu and mem inputs become Embedded Metric Format documents.
 */
import { escapeJsonText, jsonValue } from "../../../src/event/json_value.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";

/** Fluent Bit's cut-off for one message (MAX_EVENT_LEN). */
export const MAX_MESSAGE_BYTES = 1_000_000;

/** One log event of a PutLogEvents call, with the index of its record in the chunk. */
export interface LogEvent {
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** The message text. */
  message: string;
  /** Its UTF-8 size (what CloudWatch counts). */
  bytes: number;
  /** The record's index in the chunk. */
  index: number;
}

/** How records become events. */
export interface EventOptions {
  /** `log_key`. */
  logKey?: string;
  /** `json.escape_unicode` of the service. */
  escapeUnicode: boolean;
  /** `json.convert_nan_to_null`. */
  convertNanToNull: boolean;
  /** EMF for this chunk: the input was cpu or mem. */
  emf?: EmfOptions;
}

/** EMF settings (`metric_namespace`, `metric_dimensions`) and the input's kind. */
export interface EmfOptions {
  /** `metric_namespace`, `fluent-bit-metrics` when unset. */
  namespace?: string;
  /** `metric_dimensions`, split. */
  dimensions: string[][];
  /** Which input made the records. */
  input: "cpu" | "mem";
}

const encoder = new TextEncoder();

// deno-lint-ignore no-control-regex -- the range starts at NUL on purpose: any byte above 0x7f
const NON_ASCII = /[^\x00-\x7f]/;

/** The UTF-8 size of `text`, without encoding it. */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** `text` cut to at most `max` UTF-8 bytes, at a character boundary. */
export function truncateUtf8(text: string, max: number): { text: string; bytes: number } {
  if (text.length * 3 <= max) return { text, bytes: utf8Length(text) };
  const bytes = encoder.encode(text);
  if (bytes.length <= max) return { text, bytes: bytes.length };
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back to a lead byte
  return { text: new TextDecoder().decode(bytes.subarray(0, end)), bytes: end };
}

/** The ms timestamp of `r`, as Fluent Bit computes it (sec * 1000 + nsec / 1e6). */
export function eventMillis(r: LogRecord): number {
  return r.time.sec * 1000 + Math.floor(r.time.nsec / 1_000_000);
}

/**
 * The message of one record, or why there is none (`log_key` missing, empty message).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const opts = { escapeUnicode: false, convertNanToNull: false };
 * assertEquals(recordMessage({ log: "hi", n: 1 }, opts), { message: '{"log":"hi","n":1}' });
 * assertEquals(recordMessage({ log: "hi" }, { ...opts, logKey: "log" }), { message: "hi" });
 * assertEquals(recordMessage({ n: 1 }, { ...opts, logKey: "log" }), {
 *   reason: "log_key 'log' not found in record",
 * });
 * ```
 */
export function recordMessage(
  body: RecordMap,
  options: Omit<EventOptions, "emf">,
): { message: string } | { reason: string } {
  let message: string;
  if (options.logKey !== undefined) {
    if (!Object.hasOwn(body, options.logKey)) {
      return { reason: `log_key '${options.logKey}' not found in record` };
    }
    const value = body[options.logKey];
    message = typeof value === "string"
      ? value
      : value instanceof Uint8Array
      ? new TextDecoder().decode(value)
      : jsonValue(value, { convertNanToNull: options.convertNanToNull });
    if (message === "") return { reason: "empty log message" };
  } else {
    message = jsonValue(body, { convertNanToNull: options.convertNanToNull });
    if (message === "{}") return { reason: "empty log message" };
  }
  return { message: escapeJsonText(message, options.escapeUnicode) };
}

const CPU_KEYS = /^(cpu_|user_p|system_p)/;
const MEM_KEYS = /^(Mem\.total|Mem\.used|Mem\.free|Swap\.total|Swap\.used|Swap\.free)/;

/** The EMF document of a cpu or mem record, as Fluent Bit's pack_emf_payload builds it. */
export function emfDocument(r: LogRecord, emf: EmfOptions): RecordMap {
  const keys = emf.input === "cpu" ? CPU_KEYS : MEM_KEYS;
  const unit = emf.input === "cpu" ? "Percent" : "Bytes";
  const metrics = Object.keys(r.body).filter((k) => keys.test(k)).map((k) => ({
    Name: k,
    Unit: unit,
  }));
  return {
    _aws: {
      Timestamp: r.time.sec * 1000,
      CloudWatchMetrics: [{
        Namespace: emf.namespace ?? "fluent-bit-metrics",
        Dimensions: emf.dimensions,
        Metrics: metrics,
      }],
    },
    ...r.body,
  };
}

/**
 * The events of `records` and the records that give none, with the reason. Cut messages
 * are reported through `onTruncate`.
 */
export function toEvents(
  records: readonly LogRecord[],
  indexes: readonly number[],
  options: EventOptions,
  onTruncate: (bytes: number) => void,
): { events: LogEvent[]; refused: { index: number; reason: string }[] } {
  const events: LogEvent[] = [];
  const refused: { index: number; reason: string }[] = [];
  for (const index of indexes) {
    const r = records[index]!;
    const body = options.emf && options.logKey === undefined ? emfDocument(r, options.emf) : r.body;
    const m = recordMessage(body, options);
    if ("reason" in m) {
      refused.push({ index, reason: m.reason });
      continue;
    }
    let { text, bytes } = truncateUtf8(m.message, MAX_MESSAGE_BYTES);
    if (text.length < m.message.length) {
      onTruncate(utf8Length(m.message));
      // Do not leave half of an escape at the end (Fluent Bit drops an unpaired backslash).
      const trailing = /\\+$/.exec(text)?.[0].length ?? 0;
      if (trailing % 2 === 1) {
        text = text.slice(0, -1);
        bytes--;
      }
    }
    events.push({ timestamp: eventMillis(r), message: text, bytes, index });
  }
  return { events, refused };
}
