/**
 * The `cloudwatch_logs` output: log records to Amazon CloudWatch Logs (Fluent Bit's
 * `out_cloudwatch_logs`; metrics as EMF documents), signed with SigV4 from the standard credential chain or an
 * assumed role, with the engine's retries and dead letters.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { cloudwatchOptions } from "./options.ts";

/** The cloudwatch_logs output plugin definition. */
export const plugin = defineOutput({
  name: "cloudwatch_logs",
  description: "Send logs to Amazon CloudWatch",
  options: cloudwatchOptions,
  example: {
    options: {
      region: "us-east-1",
      log_group_name: "sluice",
      log_stream_prefix: "from-",
      endpoint: "http://127.0.0.1:${TEST_HTTP_PORT}",
    },
  },
  signals: ["logs", "metrics"],
  defaults: { workers: 1 },
  create: async (options, ctx) =>
    (await import("./cloudwatch_logs.ts")).createCloudwatchOutput(options, ctx),
});
