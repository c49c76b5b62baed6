/**
 * Record payloads of Fluent Bit's tcp and udp outputs: msgpack (v2 records), json (one
 * array), json_lines or json_stream, or, with `raw_message_key`, one record value per line.
 */
import {
  encodeJsonRecords,
  type JsonDateFormat,
  type JsonRecordsFormat,
  parseDateKey,
} from "../../../src/event/json_format.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { encodeRecords } from "../../../src/event/msgpack.ts";
import { compileAccessor, valueText } from "../../../src/event/record_accessor.ts";

/** The `format` values of the tcp and udp outputs. */
export const STREAM_OUTPUT_FORMATS = ["msgpack", "json", "json_lines", "json_stream"] as const;

/** The option values a payload depends on. */
export interface PayloadOptions {
  format: string;
  json_date_key?: string;
  json_date_format: string;
  raw_message_key?: string;
}

/** Encodes records; null when there is nothing to send. */
export type PayloadEncoder = (records: readonly LogRecord[]) => Uint8Array | null;

const encoder = new TextEncoder();

/**
 * The encoder for `options`, with the service's JSON settings.
 *
 * @example
 * ```ts
 * import { EventTime } from "../../../src/event/event_time.ts";
 * import { logRecord } from "../../../src/event/log_record.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const encode = payloadEncoder({
 *   format: "json_lines",
 *   json_date_key: "date",
 *   json_date_format: "double",
 * });
 * const bytes = encode([logRecord({ a: 1 }, new EventTime(1700000000, 500_000_000))]);
 * assertEquals(new TextDecoder().decode(bytes!), '{"date":1700000000.5,"a":1}\n');
 * ```
 */
export function payloadEncoder(
  options: PayloadOptions,
  json: { escapeUnicode?: boolean; convertNanToNull?: boolean } = {},
): PayloadEncoder {
  if (options.raw_message_key) {
    const ra = compileAccessor(options.raw_message_key);
    return (records) => {
      let text = "";
      for (const r of records) {
        if (isGroupMarker(r)) continue;
        const v = valueText(ra.get(r.body));
        if (v !== undefined) text += v + "\n";
      }
      return text.length > 0 ? encoder.encode(text) : null;
    };
  }
  const real = (records: readonly LogRecord[]) => records.some((r) => !isGroupMarker(r));
  if (options.format === "msgpack") {
    return (records) => real(records) ? encodeRecords(records) : null;
  }
  const jsonOptions = {
    format: options.format as JsonRecordsFormat,
    dateKey: parseDateKey(options.json_date_key),
    dateFormat: options.json_date_format as JsonDateFormat,
    escapeUnicode: json.escapeUnicode ?? true,
    convertNanToNull: json.convertNanToNull ?? false,
  };
  return (records) => real(records) ? encodeJsonRecords(records, jsonOptions) : null;
}
