/**
 * The opentelemetry input's option table: Fluent Bit's `in_opentelemetry` keys (its own,
 * and the shared HTTP listener keys of `src/net/http_server` (listen, TLS, limits, auth),
 * with `http2` meaning what it does in Fluent Bit here: HTTP/2 and OTLP/gRPC on the port.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { httpServerOptions } from "../../../src/net/http_server/mod.ts";

/** Every key of Fluent Bit's opentelemetry input besides the common input keys. */
export const otlpInputOptions = {
  ...httpServerOptions(4318),
  http2: opt.bool(
    true,
    "Serve HTTP/2 on the port too: OTLP/gRPC (Export calls) and OTLP/HTTP over h2 or h2c",
  ),
  "http_server.http2": opt.bool(true, "Same as http2; both must be on for HTTP/2 and OTLP/gRPC"),
  tag_key: opt.string(
    undefined,
    "Record accessor into each log record's body; its string value becomes the record's tag",
  ),
  tag_from_uri: opt.bool(
    true,
    "Tag records from the request path (v1_logs, v1_metrics, v1_traces); set false to use tag",
  ),
  successful_response_code: opt.int(201, "HTTP status of a successful export: 200, 201 or 204", {
    check: (v) => [200, 201, 204].includes(v) ? undefined : `expected 200, 201 or 204, got ${v}`,
  }),
  raw_traces: opt.bool(
    false,
    "Forward each /v1/traces payload as one log record {trace: payload} instead of decoding it",
  ),
  logs_metadata_key: opt.string("otlp", "Metadata key holding a log record's OTLP fields"),
  logs_body_key: opt.string(
    undefined,
    "Put every log body under this key; unset: a map body is the record, others go under log",
  ),
  profiles_support: opt.bool(false, "Accepted for compatibility (profiles are not supported)"),
  encode_profiles_as_log: opt.bool(true, "Accepted for compatibility"),
} satisfies OptionTable;

/** Parsed opentelemetry input options. */
export type OtlpInputOptions = OptionValues<typeof otlpInputOptions>;
