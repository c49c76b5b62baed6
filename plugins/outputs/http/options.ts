/**
 * The http output's option table: the HTTP client's keys (`src/net/http_client`) and
 * Fluent Bit's `out_http` keys of its own, with their defaults and meaning.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { JSON_DATE_FORMATS } from "../../../src/event/json_format.ts";
import { httpClientOptions } from "../../../src/net/http_client/mod.ts";

/** The `format` values of Fluent Bit's http output. */
export const HTTP_FORMATS = ["json", "json_lines", "json_stream", "msgpack", "gelf"] as const;

/** Every key of Fluent Bit's http output (besides the common output keys). */
export const httpOptions = {
  ...httpClientOptions,
  format: opt.choice(
    HTTP_FORMATS,
    "json",
    "Body format: json (an array), json_lines, json_stream, msgpack or gelf",
  ),
  http_method: opt.choice(["POST", "PUT"] as const, "POST", "Request method: POST or PUT"),
  json_date_key: opt.string(
    "date",
    "Name of the time key in JSON records; false (or off) leaves it out",
  ),
  json_date_format: opt.choice(
    JSON_DATE_FORMATS,
    "double",
    "Format of the date key: double, epoch, epoch_ms, iso8601 or java_sql_timestamp",
  ),
  header_tag: opt.string(undefined, "A header whose value is the chunk's tag"),
  allow_duplicated_headers: opt.bool(
    true,
    "Send a repeated header name once per value; off keeps the last value only",
  ),
  bearer_token: opt.string(undefined, "Send `Authorization: Bearer <token>` (sluice addition)"),
  log_response_payload: opt.bool(true, "Log the response body of failed requests"),
  gelf_timestamp_key: opt.string(undefined, "Key used as `timestamp` in gelf format"),
  gelf_host_key: opt.string(undefined, "Key used as `host` in gelf format"),
  gelf_short_message_key: opt.string(undefined, "Key used as `short_message` in gelf format"),
  gelf_full_message_key: opt.string(undefined, "Key used as `full_message` in gelf format"),
  gelf_level_key: opt.string(undefined, "Key used as `level` in gelf format"),
  body_key: opt.string(
    undefined,
    "Send this record key as the body, one request per record " +
      "(not supported yet: setting it is an error)",
  ),
  headers_key: opt.string(
    undefined,
    "Record key holding per-record headers (with body_key; " +
      "not supported yet)",
  ),
} satisfies OptionTable;

/** Parsed http output options. */
export type HttpOptions = OptionValues<typeof httpOptions>;
