/**
 * The `opentelemetry` input: an OTLP/HTTP receiver (Fluent Bit's `in_opentelemetry`) on one
 * port for `/v1/traces`, `/v1/logs` and `/v1/metrics`, protobuf or JSON, optionally gzip or
 * zstd compressed (deflate is 415, as in Fluent Bit), served by the bounded ingress of
 * `src/net/http_server` (header and idle timeouts, connection limit, body limit while inflating).
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
