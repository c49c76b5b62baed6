/**
 * The `opentelemetry` output: OTLP/HTTP export (Fluent Bit's `out_opentelemetry`) of logs,
 * traces and metrics, protobuf by default or JSON (`format json`), optionally gzipped.
 * Log records keep their OTLP resource and scope per group; plain records are mapped with
 * Fluent Bit's `logs_*_key` options. Retries follow the OTLP spec (429, 502, 503, 504 and
 * network errors, honouring Retry-After); other failures are permanent; a chunk sent in
 * several requests resumes where it failed; `partial_success` is counted, not retried.
 * With `lb.endpoints` or `lb.dns`, spans are spread over several endpoints by trace ID.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { otlpOutputOptions } from "./options.ts";
import { createOtlpOutput } from "./opentelemetry.ts";
import { createBalancedOutput, isBalanced } from "./balance.ts";

/** The opentelemetry output plugin definition. */
export const plugin = defineOutput({
  name: "opentelemetry",
  description: "OpenTelemetry",
  options: otlpOutputOptions,
  example: { options: { port: "${TEST_HTTP_PORT}" } },
  signals: ["logs", "traces", "metrics"],
  create: (options, ctx) =>
    isBalanced(options)
      ? createBalancedOutput(
        options,
        ctx,
        (e) => createOtlpOutput({ ...options, host: e.host, port: e.port }, ctx),
      )
      : createOtlpOutput(options, ctx),
});
