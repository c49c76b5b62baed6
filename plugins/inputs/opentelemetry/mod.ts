/**
 * The `opentelemetry` input: an OTLP/HTTP and OTLP/gRPC receiver (Fluent Bit's
 * `in_opentelemetry`) on one port: `/v1/traces`, `/v1/logs` and `/v1/metrics`, protobuf or
 * JSON, optionally gzip or zstd compressed (deflate is 415, as in Fluent Bit), served by the
 * bounded ingress of `src/net/http_server` (header and idle timeouts, connection limit, body
 * limit while inflating); HTTP/2 connections (h2c prior knowledge, ALPN h2 over TLS) go to
 * `src/net/grpc` for the three Export calls (and OTLP/HTTP over HTTP/2).
 * Logs take Fluent Bit's OTLP group layout, traces become span chunks, metrics metric chunks.
 *
 * Defined behaviour where Fluent Bit is loose or silent: an unknown path is 404; a
 * malformed body, or a trace/span ID of the wrong length (empty or all-zero trace and span
 * IDs included; an empty parent span ID is fine), is 400 naming the field; integer
 * `status.code` enums are accepted; a missing scope, null attributes or an absent status
 * decode to empty values; while the pipeline is paused every request gets 503 with
 * Retry-After instead of a closed connection.
 */
import { defineInput } from "../../../src/plugin.ts";
import { otlpInputOptions } from "./options.ts";

/** The opentelemetry input plugin definition. */
export const plugin = defineInput({
  name: "opentelemetry",
  description: "OpenTelemetry",
  options: otlpInputOptions,
  signals: ["logs", "traces", "metrics"],
  notes: [
    "OTLP/gRPC on the same port as OTLP/HTTP, as in Fluent Bit 4.x (http2 on, the default): " +
    "TraceService, MetricsService and LogsService Export, grpc-encoding gzip, zstd, deflate or " +
    "zlib (snappy is UNIMPLEMENTED), h2c with prior " +
    "knowledge or TLS with ALPN h2; OTLP/HTTP requests over HTTP/2 are served too.",
    "gRPC statuses follow the HTTP decisions: INVALID_ARGUMENT for a bad message or payload, " +
    "UNAUTHENTICATED, RESOURCE_EXHAUSTED over buffer_max_size (a declared length over it is " +
    "refused before its bytes arrive; gzip inflates with the same limit), UNAVAILABLE with " +
    "RetryInfo (1 s) while the pipeline is paused or the ingress queue is full, UNIMPLEMENTED " +
    "for another method.",
    "HTTP/2 is bounded: 100 streams per connection (more are refused with REFUSED_STREAM), " +
    "a request that stalls past http_server.idle_timeout gets DEADLINE_EXCEEDED, header blocks " +
    "are at most 64 KiB; sluice_input_otlp_grpc_calls_total counts calls by status code.",
  ],
  example: {
    options: { listen: "127.0.0.1", port: 0 },
    feed: {
      kind: "http",
      records: 5,
      requests: [
        {
          path: "/v1/logs",
          contentType: "application/json",
          body: '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hi"}}]}]}]}',
        },
        {
          path: "/v1/traces",
          contentType: "application/json",
          body: '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"op",' +
            '"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",' +
            '"startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}',
        },
        {
          path: "/v1/metrics",
          contentType: "application/json",
          body: '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g",' +
            '"gauge":{"dataPoints":[{"asDouble":1.5,"timeUnixNano":"1"}]}}]}]}]}',
        },
      ],
    },
  },
  create: async (options, ctx) =>
    (await import("./opentelemetry.ts")).createOtlpInput(options, ctx),
});
