/**
 * The `opentelemetry` output: OTLP/HTTP export (Fluent Bit's `out_opentelemetry`) of logs,
 * traces and metrics, protobuf by default or JSON (`format json`), optionally gzipped.
 * Log records keep their OTLP resource and scope per group; plain records are mapped with
 * Fluent Bit's `logs_*_key` options. Retries follow the OTLP spec (429, 502, 503, 504 and
 * network errors, honouring Retry-After); other failures are permanent; a chunk sent in
 * several requests resumes where it failed; `partial_success` is counted, not retried.
 * With `grpc on` the requests are OTLP/gRPC Export calls over `src/net/grpc` instead.
 * With `lb.endpoints` or `lb.dns`, spans are spread over several endpoints by trace ID.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { otlpOutputOptions } from "./options.ts";

/** The opentelemetry output plugin definition. */
export const plugin = defineOutput({
  name: "opentelemetry",
  description: "OpenTelemetry",
  options: otlpOutputOptions,
  example: { options: { port: "${TEST_HTTP_PORT}" } },
  signals: ["logs", "traces", "metrics"],
  notes: [
    "grpc on: OTLP/gRPC Export calls (grpc_logs_uri, grpc_metrics_uri, grpc_traces_uri) over " +
    "HTTP/2, h2c with prior knowledge or TLS with ALPN h2; compress gzip sets grpc-encoding " +
    "gzip (zstd falls back to gzip with a warning); header and http_user go as metadata.",
    "gRPC statuses are judged as the OTLP spec says: CANCELLED, DEADLINE_EXCEEDED, ABORTED, " +
    "OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, and RESOURCE_EXHAUSTED with RetryInfo are retried " +
    "(honouring the RetryInfo delay), others are permanent; Fluent Bit 4.2.8 also retries " +
    "INTERNAL and any RESOURCE_EXHAUSTED, and never OUT_OF_RANGE or DATA_LOSS.",
    "partial_success in a gRPC answer is counted and logged once, as over HTTP.",
  ],
  create: async (options, ctx) => {
    const { createOtlpOutput } = await import("./opentelemetry.ts");
    if (options["lb.endpoints"].length === 0 && options["lb.dns"].length === 0) {
      return createOtlpOutput(options, ctx);
    }
    const { createBalancedOutput } = await import("./balance.ts");
    return createBalancedOutput(
      options,
      ctx,
      (e) => createOtlpOutput({ ...options, host: e.host, port: e.port }, ctx),
    );
  },
});
