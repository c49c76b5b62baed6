/**
 * The body of one request: a chunk's log records in the configured `format`, and its
 * content type.
 */
import { encodeJsonRecords, parseDateKey } from "../../../src/event/json_format.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { encodeRecords } from "../../../src/event/msgpack.ts";
import { type GelfFields, gelfRecords } from "./gelf.ts";
import type { HttpOptions } from "./options.ts";

/** Turns records into a request body. */
export interface PayloadEncoder {
  contentType: string;
  /** The body, or null when the records hold nothing to send (only group markers). */
  encode(records: readonly LogRecord[]): Uint8Array | null;
}

const encoder = new TextEncoder();

/** The encoder for `options.format`, with the service's JSON settings. */
export function payloadEncoder(
  options: HttpOptions,
  json: { escapeUnicode?: boolean; convertNanToNull?: boolean } = {},
): PayloadEncoder {
  const format = options.format;
  const hasRecords = (records: readonly LogRecord[]) => records.some((r) => !isGroupMarker(r));
  if (format === "msgpack") {
    return {
      contentType: "application/msgpack",
      encode: (records) => hasRecords(records) ? encodeRecords(records, { array32: true }) : null,
    };
  }
  if (format === "gelf") {
    const fields: GelfFields = {
      host: options.gelf_host_key,
      shortMessage: options.gelf_short_message_key,
      fullMessage: options.gelf_full_message_key,
      timestamp: options.gelf_timestamp_key,
      level: options.gelf_level_key,
    };
    return {
      contentType: "application/json",
      encode: (records) =>
        hasRecords(records) ? encoder.encode(gelfRecords(records, fields)) : null,
    };
  }
  const jsonOptions = {
    format,
    dateKey: parseDateKey(options.json_date_key),
    dateFormat: options.json_date_format,
    escapeUnicode: json.escapeUnicode ?? true,
    convertNanToNull: json.convertNanToNull ?? false,
  };
  return {
    contentType: format === "json_lines" ? "application/x-ndjson" : "application/json",
    encode: (records) => hasRecords(records) ? encodeJsonRecords(records, jsonOptions) : null,
  };
}
