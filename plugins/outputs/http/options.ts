/** The http output's option table: Fluent Bit's `out_http` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { JSON_DATE_FORMATS } from "../../../src/event/json_format.ts";

/** The `format` values of Fluent Bit's http output. */
export const HTTP_FORMATS = ["json", "json_lines", "json_stream", "msgpack", "gelf"] as const;

/** Every key of Fluent Bit's http output (besides the common output keys). */
export const httpOptions = {
  host: opt.string("127.0.0.1", "IP address or hostname of the HTTP server"),
  port: opt.int(80, "TCP port of the HTTP server"),
  uri: opt.string("/", "Path of the request, e.g. /something"),
  format: opt.choice(
    HTTP_FORMATS,
    "json",
    "Body format: json (an array), json_lines, json_stream, msgpack or gelf",
  ),
  json_date_key: opt.string(
    "date",
    "Name of the time key in JSON records; false (or off) leaves it out",
  ),
  json_date_format: opt.choice(
    JSON_DATE_FORMATS,
    "double",
    "Format of the date key: double, epoch, epoch_ms, iso8601 or java_sql_timestamp",
  ),
  header: opt.multi("A `Name value` header added to every request; may repeat"),
  header_tag: opt.string(undefined, "A header whose value is the chunk's tag"),
  allow_duplicated_headers: opt.bool(
    true,
    "Send a repeated header name once per value; off keeps the last value only",
  ),
  compress: opt.choice(["gzip", "none"] as const, undefined, "Compress the body: gzip"),
  http_user: opt.string(undefined, "Basic authentication user"),
  http_passwd: opt.string("", "Basic authentication password (needs http_user)"),
  bearer_token: opt.string(undefined, "Send `Authorization: Bearer <token>` (sluice addition)"),
  proxy: opt.string(undefined, "HTTP proxy as http://host:port"),
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
  tls: opt.bool(false, "Use HTTPS"),
  "tls.verify": opt.bool(
    true,
    "Verify the server certificate; off needs sluice run with " +
      "--unsafely-ignore-certificate-errors",
  ),
  "tls.ca_file": opt.string(undefined, "PEM file of extra trusted CA certificates"),
  "tls.crt_file": opt.string(undefined, "PEM client certificate (mutual TLS)"),
  "tls.key_file": opt.string(undefined, "PEM private key of the client certificate"),
  "tls.vhost": opt.string(undefined, "Host name for SNI and the Host header"),
  "tls.debug": opt.int(1, "Accepted for compatibility"),
  "net.connect_timeout": opt.duration(10, "Accepted for compatibility (see net.io_timeout)"),
  "net.io_timeout": opt.duration(0, "Give up on a request after this long (0 = no limit)"),
  "net.keepalive": opt.bool(true, "Reuse connections between requests"),
  "net.keepalive_idle_timeout": opt.duration(30, "Close idle kept-alive connections after this"),
} satisfies OptionTable;

/** Parsed http output options. */
export type HttpOptions = OptionValues<typeof httpOptions>;
