/**
 * The opentelemetry output's option table: Fluent Bit's `out_opentelemetry` keys, the
 * network-client keys, and sluice's `format` (OTLP/HTTP protobuf or JSON).
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { httpClientOptions } from "../../../src/net/http_client/mod.ts";
import { balanceOptions } from "./balance_options.ts";

/** The HTTP client's keys without `uri` (OTLP has one path per signal). */
const { uri: _uri, ...clientOptions } = httpClientOptions;

const unsupported = "Not supported; set it off or leave it unset";

/** Every key of Fluent Bit's opentelemetry output besides the common output keys. */
export const otlpOutputOptions = {
  ...clientOptions,
  format: opt.choice(
    ["protobuf", "json"] as const,
    "protobuf",
    "OTLP/HTTP encoding: protobuf or json (sluice extension)",
  ),
  logs_uri: opt.string("/v1/logs", "Path logs are posted to"),
  metrics_uri: opt.string("/v1/metrics", "Path metrics are posted to"),
  traces_uri: opt.string("/v1/traces", "Path traces are posted to"),
  profiles_uri: opt.string("/v1development/profiles", "Accepted for compatibility"),
  grpc: opt.bool(
    false,
    "Export over OTLP/gRPC (HTTP/2, h2c without tls) instead of OTLP/HTTP; compress gzip works",
  ),
  grpc_logs_uri: opt.string(
    "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
    "gRPC method path of the logs export (grpc on)",
  ),
  grpc_metrics_uri: opt.string(
    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
    "gRPC method path of the metrics export (grpc on)",
  ),
  grpc_traces_uri: opt.string(
    "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
    "gRPC method path of the traces export (grpc on)",
  ),
  grpc_profiles_uri: opt.string(
    "/opentelemetry.proto.collector.profiles.v1experimental.ProfilesService/Export",
    "Accepted for compatibility",
  ),
  http2: opt.choice(
    ["off", "on", "force"] as const,
    "off",
    "HTTP/2: OTLP/HTTP is sent over HTTP/1.1; grpc on always speaks HTTP/2 (force only with grpc)",
  ),
  batch_size: opt.int(1000, "Log records per request; a larger chunk is sent in several", {
    check: (v) => v >= 1 ? undefined : `expected at least 1, got ${v}`,
  }),
  logs_max_resources: opt.int(0, "Resources per logs request (0 = no limit)"),
  logs_max_scopes: opt.int(0, "Scopes per logs request (0 = no limit)"),
  add_label: opt.multi("Metrics: attribute `name value` added to every data point; may repeat"),
  log_response_payload: opt.bool(true, "Log the receiver's answer on failures"),
  logs_body_key: opt.multi(
    "Record accessor of the field that becomes the log body; first match wins; may repeat " +
      "(unset: $log, then $message, as in Fluent Bit; no match: the whole record)",
  ),
  logs_body_key_attributes: opt.bool(
    false,
    "With logs_body_key: the record's other fields become log attributes",
  ),
  logs_metadata_key: opt.string("otlp", "Metadata key holding a log record's OTLP fields"),
  logs_resource_metadata_key: opt.string(
    "Resource",
    "Accepted for compatibility, unused as in Fluent Bit (the resource is the OTLP group's)",
  ),
  logs_instrumentation_scope_metadata_key: opt.string(
    "InstrumentationScope",
    "Accepted for compatibility, unused as in Fluent Bit (the scope is the OTLP group's)",
  ),
  logs_attributes_metadata_key: opt.string("$Attributes", "Metadata field with the attributes"),
  logs_timestamp_metadata_key: opt.string("$Timestamp", "Metadata field with the time (ns)"),
  logs_observed_timestamp_metadata_key: opt.string(
    "$ObservedTimestamp",
    "Metadata field with the observed time (ns)",
  ),
  logs_severity_text_metadata_key: opt.string("$SeverityText", "Metadata field: severity text"),
  logs_severity_text_message_key: opt.string("$SeverityText", "Body field: severity text"),
  logs_severity_number_metadata_key: opt.string(
    "$SeverityNumber",
    "Metadata field: severity number",
  ),
  logs_severity_number_message_key: opt.string("$SeverityNumber", "Body field: severity number"),
  logs_trace_id_metadata_key: opt.string("$TraceId", "Metadata field: trace ID"),
  logs_trace_id_message_key: opt.string("$TraceId", "Body field: trace ID (hex)"),
  logs_span_id_metadata_key: opt.string("$SpanId", "Metadata field: span ID"),
  logs_span_id_message_key: opt.string("$SpanId", "Body field: span ID (hex)"),
  logs_trace_flags_metadata_key: opt.string("$TraceFlags", "Metadata field: trace flags"),
  aws_auth: opt.bool(false, `SigV4 signing: ${unsupported}`),
  aws_region: opt.string(undefined, "Accepted for compatibility (aws_auth)"),
  aws_service: opt.string("logs", "Accepted for compatibility (aws_auth)"),
  aws_sts_endpoint: opt.string(undefined, "Accepted for compatibility (aws_auth)"),
  aws_role_arn: opt.string(undefined, "Accepted for compatibility (aws_auth)"),
  aws_external_id: opt.string(undefined, "Accepted for compatibility (aws_auth)"),
  aws_profile: opt.string("default", "Accepted for compatibility (aws_auth)"),
  "oauth2.enable": opt.bool(false, `OAuth2 client credentials: ${unsupported}`),
  "oauth2.token_url": opt.string(undefined, "Accepted for compatibility (oauth2.enable)"),
  "oauth2.client_id": opt.string(undefined, "Accepted for compatibility (oauth2.enable)"),
  "oauth2.client_secret": opt.string(undefined, "Accepted for compatibility (oauth2.enable)"),
  "oauth2.scope": opt.string(undefined, "Accepted for compatibility (oauth2.enable)"),
  "oauth2.audience": opt.string(undefined, "Accepted for compatibility (oauth2.enable)"),
  "oauth2.auth_method": opt.string(undefined, "Accepted for compatibility (oauth2.enable)"),
  ...balanceOptions,
} satisfies OptionTable;

/** Parsed opentelemetry output options. */
export type OtlpOutputOptions = OptionValues<typeof otlpOutputOptions>;
