/**
 * The opentelemetry input's option table: Fluent Bit's `in_opentelemetry` keys (its own,
 * the network-server keys and the shared `http_server.*` keys), with sluice's bearer token.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's opentelemetry input besides the common input keys. */
export const otlpInputOptions = {
  listen: opt.string("0.0.0.0", "Address to listen on"),
  host: opt.string(undefined, "Alias of listen; wins when both are set"),
  port: opt.int(4318, "TCP port for OTLP/HTTP (/v1/traces, /v1/logs, /v1/metrics)", {
    check: (v) => v >= 0 && v <= 65535 ? undefined : `expected a port 0-65535, got ${v}`,
  }),
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
  buffer_max_size: opt.size(4_000_000, "Largest request body, after decompression (413 above)"),
  buffer_chunk_size: opt.size(512_000, "Accepted for compatibility (bodies are read as streamed)"),
  "http_server.buffer_max_size": opt.size(
    undefined,
    "Largest request body; overrides buffer_max_size when set",
  ),
  "http_server.buffer_chunk_size": opt.size(undefined, "Accepted for compatibility"),
  "http_server.http2": opt.bool(true, "Accepted for compatibility (HTTP/2 is offered over TLS)"),
  http2: opt.bool(true, "Accepted for compatibility (HTTP/2 is offered over TLS)"),
  "http_server.max_connections": opt.int(0, "Accepted for compatibility"),
  "http_server.workers": opt.int(1, "Accepted for compatibility (one event loop serves all)"),
  "http_server.ingress_queue_event_limit": opt.int(
    8192,
    "Requests waiting to enter the pipeline before new ones get 503 with Retry-After",
  ),
  "http_server.ingress_queue_byte_limit": opt.size(
    256_000_000,
    "Bytes waiting to enter the pipeline before new requests get 503 with Retry-After",
  ),
  "http_server.idle_timeout": opt.duration(10, "Accepted for compatibility"),
  "auth.bearer_token": opt.string(
    undefined,
    "Require `Authorization: Bearer <token>` on every request (401 otherwise); sluice extension",
  ),
  profiles_support: opt.bool(false, "Accepted for compatibility (profiles are not supported)"),
  encode_profiles_as_log: opt.bool(true, "Accepted for compatibility"),
  tls: opt.bool(false, "Serve HTTPS; needs tls.crt_file and tls.key_file"),
  "tls.verify": opt.bool(true, "Accepted for compatibility (client certificates are not asked)"),
  "tls.verify_client_cert": opt.bool(false, "Accepted for compatibility"),
  "tls.debug": opt.int(1, "Accepted for compatibility"),
  "tls.ca_file": opt.string(undefined, "Accepted for compatibility"),
  "tls.ca_path": opt.string(undefined, "Accepted for compatibility"),
  "tls.crt_file": opt.string(undefined, "Server certificate chain (PEM)"),
  "tls.key_file": opt.string(undefined, "Server private key (PEM)"),
  "tls.key_passwd": opt.string(undefined, "Not supported: use an unencrypted key file"),
  "tls.vhost": opt.string(undefined, "Accepted for compatibility"),
  "tls.min_version": opt.string(undefined, "Accepted for compatibility"),
  "tls.max_version": opt.string(undefined, "Accepted for compatibility"),
  "tls.ciphers": opt.string(undefined, "Accepted for compatibility"),
  "net.backlog": opt.int(128, "Accepted for compatibility"),
  "net.io_timeout": opt.duration(0, "Accepted for compatibility"),
  "net.keepalive": opt.bool(true, "Accepted for compatibility"),
  "net.keepalive_idle_timeout": opt.duration(30, "Accepted for compatibility"),
  "net.share_port": opt.bool(false, "Accepted for compatibility"),
} satisfies OptionTable;

/** Parsed opentelemetry input options. */
export type OtlpInputOptions = OptionValues<typeof otlpInputOptions>;
